"""Peers' comments and questions on a shared self-assessment, section by section, and the
authority's replies. A comment is never edited or deleted; a reply is a comment with a parent.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from seslip.accounts.models import User
from seslip.audit.services import record
from seslip.challenge import access
from seslip.challenge.models import PeerComment, Triad
from seslip.errors import NotFound, ServiceError
from seslip.extensions import db
from seslip.permissions import require
from seslip.questionnaires.models import Response, ResponseStatus
from seslip.questionnaires.services import definition_of
from seslip.records import get_or_raise

MAX_COMMENT_CHARS = 5_000


@dataclass
class Thread:
    comment: PeerComment
    replies: list[PeerComment] = field(default_factory=list)


@dataclass(frozen=True)
class PeerView:
    """A shared response as its triad reads it, and what the reader may do there."""

    response: Response
    triad: Triad
    may_comment: bool  # a peer or the facilitator: start a comment
    may_reply: bool  # also the authority's own people


def open_shared(user: User, response_id: int) -> PeerView:
    """The response if `user` may read it as part of peer challenge: a peer or the facilitator
    (once it is finalised), the authority's own people, or staff."""
    response = get_or_raise(Response, response_id, "There is no such questionnaire response.")
    if response.cycle_id is None or response.organisation_id is None:
        raise NotFound("This response is not part of a peer-challenge cycle.")
    triad = access.triad_of(response.cycle_id, response.organisation_id)
    if triad is None:
        raise NotFound("This authority is not in a triad yet.")
    own = access.is_person_of(user, response)
    shared = response.status == ResponseStatus.FINALISED
    peer = shared and (triad.facilitator_id == user.id
                       or access.is_peer(user, triad, response.organisation_id))
    require(own or peer or user.is_staff,
            "Only the authority and its triad can read this self-assessment.")
    return PeerView(response, triad, may_comment=peer, may_reply=shared and (peer or own))


def threads(response: Response) -> dict[str, list[Thread]]:
    """The comments of each section, oldest first, each with its replies (one query)."""
    rows = db.session.scalars(select(PeerComment).where(PeerComment.response_id == response.id)
                              .order_by(PeerComment.created_at, PeerComment.id))
    found: dict[str, list[Thread]] = {}
    by_id: dict[int, Thread] = {}
    for comment in rows.unique():
        if comment.parent_id is None:
            by_id[comment.id] = Thread(comment)
            found.setdefault(comment.section_id, []).append(by_id[comment.id])
        elif comment.parent_id in by_id:
            by_id[comment.parent_id].replies.append(comment)
    return found


def add_comment(user: User, view: PeerView, section_id: str, body: str,
                parent_id: int | None = None) -> PeerComment:
    body = body.strip()
    if not body:
        raise ServiceError("Enter your comment or question.", "body")
    if len(body) > MAX_COMMENT_CHARS:
        raise ServiceError(f"A comment must be {MAX_COMMENT_CHARS:,} characters or fewer.",
                           "body")
    if parent_id is None:
        require(view.may_comment,
                "Only the other authorities of the triad and its facilitator can comment.")
        if section_id not in {s.id for s in definition_of(view.response).sections}:
            raise NotFound("This questionnaire has no such section.")
    else:
        require(view.may_reply, "You cannot reply to comments on this self-assessment.")
        parent = db.session.get(PeerComment, parent_id)
        if parent is None or parent.response_id != view.response.id or parent.parent_id:
            raise NotFound("There is no such comment to reply to.")
        section_id = parent.section_id
    comment = PeerComment(response_id=view.response.id, section_id=section_id,
                          parent_id=parent_id, author_id=user.id,
                          organisation_id=user.organisation_id, body=body)
    db.session.add(comment)
    authority = view.response.organisation.name if view.response.organisation else ""
    record(user, "create", comment,
           f"{'Replied to a comment' if parent_id else 'Commented'} on {authority}'s "
           f"self-assessment ({section_id})", {"body": body})
    _tell(user, view, comment, authority)
    db.session.commit()
    return comment


def _tell(user: User, view: PeerView, comment: PeerComment, authority: str) -> None:
    """A new comment goes to the authority's people; a reply to the comment's author."""
    from seslip.challenge.triads import people_of
    from seslip.networks.emails import send
    from seslip.web import external_url

    if comment.parent_id is None:
        people = people_of([view.response])[view.response.id]
        subject = f"A comment on {authority}'s self-assessment ({view.triad.name})"
    else:
        parent = db.session.get_one(PeerComment, comment.parent_id)
        people = [parent.author]
        subject = f"A reply to your comment on {authority}'s self-assessment"
    url = external_url("challenge.peer_response", response_id=view.response.id,
                       _anchor=f"comments-{comment.section_id}")
    send("peer_comment", "readers", [p for p in people if p.id != user.id], subject,
         comment=comment, authority=authority, author=user, url=url)
