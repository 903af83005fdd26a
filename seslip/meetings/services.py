"""Meetings services: who may see and run a meeting, and every change (checked, audited,
committed). The read side for the pages is at the end."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from flask import current_app
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from seslip.accounts.models import User
from seslip.audit.services import diff, record
from seslip.errors import PermissionDenied, ServiceError
from seslip.extensions import db
from seslip.files import filetypes
from seslip.files.storage import storage
from seslip.meetings import calendar, rules
from seslip.meetings.models import (
    AgendaItem,
    Meeting,
    MeetingAction,
    MeetingRecord,
    Paper,
    PaperVersion,
    RecordStatus,
)
from seslip.networks.emails import send
from seslip.networks.models import Network
from seslip.networks.queries import can_manage, current_members, membership_of, posts_of
from seslip.timeutil import format_date, local_today, utcnow
from seslip.web import external_url

# --- who may do what ------------------------------------------------------------------------


def can_run(user: User | None, network: Network) -> bool:
    """Staff, the network's chairs, and its vice chairs (holders of a post that deputises for
    a chair post) create, edit and cancel its meetings, agendas and records."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    posts = posts_of(network)
    if can_manage(user, network, posts):
        return True
    chair_posts = {p.id for p in posts.positions if p.is_chair}
    return any(
        p.deputises_for_id in chair_posts and any(a.user_id == user.id
                                                  for a in posts.holding.get(p.id, []))
        for p in posts.positions
    )


def require_run(actor: User, meeting_or_network: Meeting | Network) -> None:
    network = (meeting_or_network.network if isinstance(meeting_or_network, Meeting)
               else meeting_or_network)
    if not can_run(actor, network):
        raise PermissionDenied(
            f"Only the chair or vice chair of {network.name} or the programme manager can do that.")


def can_see(user: User, meeting: Meeting, today: date | None = None) -> bool:
    """Members of the meeting's networks (both, when joint), those who run them, the owners of
    its items, and staff."""
    today = today or local_today()
    if user.is_staff or can_run(user, meeting.network):
        return True
    if any(membership_of(user, n, today) is not None for n in meeting.networks):
        return True
    return any(i.owner_id == user.id for i in meeting.current_items)


def require_see(actor: User, meeting: Meeting) -> None:
    if not can_see(actor, meeting):
        raise PermissionDenied(
            f"Only members of {' and '.join(n.name for n in meeting.networks)} can see this "
            "meeting.")


def can_see_network(user: User, network: Network, today: date | None = None) -> bool:
    """Who sees a network's meetings list and actions: its members, those who run it, staff."""
    return (user.is_staff or can_run(user, network)
            or membership_of(user, network, today or local_today()) is not None)


def require_see_network(actor: User, network: Network) -> None:
    if not can_see_network(actor, network):
        raise PermissionDenied(f"Only members of {network.name} can see its meetings.")


# --- meetings -------------------------------------------------------------------------------


@dataclass
class MeetingDetails:
    title: str
    day: date
    starts: time
    ends: time
    place: str = ""
    online_link: str = ""
    joint_network: Network | None = None
    papers_due_on: date | None = None


def _check(network: Network, details: MeetingDetails) -> None:
    if not details.title.strip():
        raise ServiceError("Enter a title for the meeting.", "title")
    if details.ends <= details.starts:
        raise ServiceError("The meeting must end after it starts.", "ends")
    if not details.place.strip() and not details.online_link.strip():
        raise ServiceError("Enter where the meeting is, a link to join online, or both.",
                           "place")
    link = details.online_link.strip()
    if link and not link.startswith("https://"):
        raise ServiceError("The link to join online must start with https://", "online_link")
    if details.joint_network is not None and details.joint_network.id == network.id:
        raise ServiceError("A joint meeting is with another network.", "joint_network")
    if details.papers_due_on is not None and details.papers_due_on >= details.day:
        raise ServiceError("Papers must be due before the day of the meeting.", "papers_due_on")


def _values(details: MeetingDetails) -> dict[str, object]:
    return {
        "title": details.title.strip(),
        "starts_at": rules.london_to_utc(details.day, details.starts),
        "ends_at": rules.london_to_utc(details.day, details.ends),
        "place": details.place.strip(),
        "online_link": details.online_link.strip(),
        "joint_network_id": details.joint_network.id if details.joint_network else None,
        "papers_due_on": details.papers_due_on or rules.papers_deadline(details.day),
    }


def create_meeting(actor: User | None, network: Network, details: MeetingDetails) -> Meeting:
    if actor is not None:  # None: the demo
        require_run(actor, network)
    _check(network, details)
    meeting = Meeting(network_id=network.id, created_by_id=actor.id if actor else None,
                      **_values(details))
    db.session.add(meeting)
    db.session.flush()
    record(actor, "create", meeting, f"Planned {meeting.title} of {network.name}",
           {k: v for k, v in _values(details).items()})
    db.session.commit()
    return meeting


def update_meeting(actor: User, meeting: Meeting, details: MeetingDetails) -> Meeting:
    require_run(actor, meeting)
    _refuse_cancelled(meeting)
    _check(meeting.network, details)
    values = _values(details)
    changes = diff(meeting, values)
    for name, value in values.items():
        setattr(meeting, name, value)
    if changes.keys() & CALENDAR_FIELDS:
        meeting.sequence += 1  # calendars holding the meeting take this version
        if meeting.agenda_sent_at is not None:  # members have it in their calendars: update
            send("meeting_changed", "members", invited(meeting, local_today()),
                 f"Changed: {meeting.title}, "
                 f"{format_date(rules.utc_to_london(meeting.starts_at).date())}",
                 meeting=meeting, url=external_url("meetings.show", meeting_id=meeting.id),
                 attachments=[calendar.attachment(meeting)])
    if meeting.pattern_id is not None and meeting.confirmed_at is None:
        meeting.confirmed_at = utcnow()  # planned from the pattern: changing it confirms it
        changes["confirmed"] = [False, True]
    if changes:
        record(actor, "update", meeting, f"Changed {meeting.title}", changes)
    db.session.commit()
    return meeting


CALENDAR_FIELDS = {"title", "starts_at", "ends_at", "place", "online_link"}  # in the .ics


def _refuse_cancelled(meeting: Meeting) -> None:
    if meeting.is_cancelled:
        raise ServiceError("This meeting was cancelled, so it cannot be changed.")


def cancel_meeting(actor: User, meeting: Meeting, reason: str) -> Meeting:
    require_run(actor, meeting)
    _refuse_cancelled(meeting)
    if not reason.strip():
        raise ServiceError("Enter why the meeting is cancelled.", "reason")
    meeting.cancelled_at = utcnow()
    meeting.cancel_reason = reason.strip()
    meeting.sequence += 1
    record(actor, "cancel", meeting, f"Cancelled {meeting.title}",
           {"cancel_reason": meeting.cancel_reason})
    send("meeting_cancelled", "members", invited(meeting, local_today()),
         f"Cancelled: {meeting.title}, "
         f"{format_date(rules.utc_to_london(meeting.starts_at).date())}", meeting=meeting,
         url=external_url("meetings.show", meeting_id=meeting.id),
         attachments=[calendar.attachment(meeting)])
    db.session.commit()
    return meeting


# --- the agenda -----------------------------------------------------------------------------


def _check_item(title: str, minutes: int | None) -> None:
    if not title.strip():
        raise ServiceError("Enter the item's title.", "title")
    if minutes is not None and not 1 <= minutes <= 600:
        raise ServiceError("Enter the time for the item in minutes, from 1 to 600.", "minutes")


def add_item(actor: User | None, meeting: Meeting, title: str, owner: User | None,
             minutes: int | None = None, paper_expected: bool = False,
             commit: bool = True) -> AgendaItem:
    if actor is not None:
        require_run(actor, meeting)
    _refuse_cancelled(meeting)
    _check_item(title, minutes)
    if paper_expected and owner is None:
        raise ServiceError("Choose who writes the paper, so they can be reminded.", "owner")
    last = max((i.sort_order for i in meeting.items), default=0)
    item = AgendaItem(meeting_id=meeting.id, title=title.strip(), minutes=minutes,
                      owner_id=owner.id if owner else None, paper_expected=paper_expected,
                      sort_order=last + 1)
    db.session.add(item)
    db.session.flush()
    record(actor, "create", item, f"Added “{item.title}” to the agenda of {meeting.title}",
           {"owner": owner.name if owner else None, "minutes": minutes,
            "paper_expected": paper_expected})
    if commit:  # False: a caller (a triaged suggestion) commits its own change with it
        db.session.commit()
    return item


def update_item(actor: User, item: AgendaItem, title: str, owner: User | None,
                minutes: int | None, paper_expected: bool, withdrawn: bool = False) -> AgendaItem:
    require_run(actor, item.meeting)
    _refuse_cancelled(item.meeting)
    _check_item(title, minutes)
    if paper_expected and owner is None:
        raise ServiceError("Choose who writes the paper, so they can be reminded.", "owner")
    values = {"title": title.strip(), "owner_id": owner.id if owner else None,
              "minutes": minutes, "paper_expected": paper_expected}
    changes = diff(item, values)
    for name, value in values.items():
        setattr(item, name, value)
    if withdrawn != (item.withdrawn_at is not None):
        item.withdrawn_at = utcnow() if withdrawn else None
        changes["withdrawn"] = [not withdrawn, withdrawn]
    if changes:
        record(actor, "update", item, f"Changed agenda item “{item.title}”", changes)
    db.session.commit()
    return item


def move_item(actor: User, item: AgendaItem, up: bool) -> None:
    require_run(actor, item.meeting)
    items = item.meeting.current_items
    index = items.index(item) if item in items else -1
    other = index + (-1 if up else 1)
    if index < 0 or not 0 <= other < len(items):
        return  # already first or last: nothing to do
    ordered = items[:]
    ordered[index], ordered[other] = ordered[other], ordered[index]
    for n, each in enumerate(ordered, start=1):
        each.sort_order = n
    record(actor, "move", item, f"Moved “{item.title}” {'up' if up else 'down'} the agenda")
    db.session.commit()


@dataclass
class AgendaRow:
    item: AgendaItem
    starts: datetime | None  # Europe/London, when the items before have times
    papers: list[Paper]
    missing: bool  # a paper is expected and none has been uploaded


def agenda(meeting: Meeting) -> list[AgendaRow]:
    rows = []
    clock: datetime | None = rules.utc_to_london(meeting.starts_at)
    for item in meeting.current_items:
        papers = [p for p in item.papers if p.versions]
        rows.append(AgendaRow(item, clock, papers, item.paper_expected and not papers))
        clock = clock + timedelta(minutes=item.minutes) if clock and item.minutes else None
    return rows


def chase_list(meeting: Meeting) -> list[AgendaRow]:
    """Items whose expected paper is missing: for the chair to chase."""
    return [row for row in agenda(meeting) if row.missing]


# --- papers ---------------------------------------------------------------------------------


def _may_upload(actor: User, meeting: Meeting, item: AgendaItem | None) -> None:
    if can_run(actor, meeting.network):
        return
    if item is not None and item.owner_id == actor.id:
        return
    raise PermissionDenied("Only the item's owner or the chair can upload its paper.")


def _store(actor: User, paper: Paper, filename: str, data: bytes) -> PaperVersion:
    kind = filetypes.checked(data, current_app.config["SESLIP_MAX_UPLOAD_BYTES"])
    number = len(paper.versions) + 1
    version = PaperVersion(
        paper=paper, number=number, storage_key=storage().save(data),
        download_name=filetypes.safe_name(paper.title or filename, kind),
        extension=kind.extension, size=len(data), sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by_id=actor.id if actor else None,
    )
    db.session.add(version)
    db.session.flush()
    record(actor, "upload", version, f"Uploaded version {number} of “{paper.title}”",
           {"size": len(data), "type": kind.label, "sha256": version.sha256})
    return version


def upload_paper(actor: User, meeting: Meeting, item: AgendaItem | None, title: str,
                 filename: str, data: bytes) -> PaperVersion:
    """A paper for `item` (a new version if it has one), or slides or a paper for the meeting
    as a whole."""
    _may_upload(actor, meeting, item)
    _refuse_cancelled(meeting)
    if item is not None and item.meeting_id != meeting.id:
        raise ServiceError("Choose an item of this meeting's agenda.", "item")
    existing = next((p for p in item.papers), None) if item is not None else None
    if existing is not None:
        version = _store(actor, existing, filename, data)
    else:
        title = title.strip() or (item.title if item else "")
        if not title:
            raise ServiceError("Enter a title for the paper or slides.", "title")
        paper = Paper(meeting_id=meeting.id, item_id=item.id if item else None, title=title)
        db.session.add(paper)
        version = _store(actor, paper, filename, data)
    db.session.commit()
    return version


def replace_paper(actor: User, paper: Paper, filename: str, data: bytes) -> PaperVersion:
    _may_upload(actor, paper.meeting, paper.item)
    _refuse_cancelled(paper.meeting)
    version = _store(actor, paper, filename, data)
    db.session.commit()
    return version


@dataclass(frozen=True)
class Download:
    data: bytes
    mimetype: str
    name: str


MIMETYPES = {k.extension: k.mimetype for k in (filetypes.PDF, filetypes.PNG, filetypes.JPEG,
                                              filetypes.DOCX, filetypes.PPTX, filetypes.XLSX)}


def download(actor: User, version: PaperVersion) -> Download:
    require_see(actor, version.paper.meeting)
    return Download(storage().load(version.storage_key), MIMETYPES[version.extension],
                    version.download_name)


# --- sending the agenda ---------------------------------------------------------------------


def invited(meeting: Meeting, today: date) -> list[User]:
    """The current members of the meeting's networks (both, when joint), each once."""
    people: dict[int, User] = {}
    for network in meeting.networks:
        for membership in current_members(network, today):
            people.setdefault(membership.user_id, membership.user)
    return sorted(people.values(), key=lambda u: u.name)


def send_agenda(actor: User, meeting: Meeting, today: date | None = None) -> int:
    """Email every member a link to the agenda and papers (no attachments: the papers stay
    behind the sign-in)."""
    today = today or local_today()
    require_run(actor, meeting)
    _refuse_cancelled(meeting)
    if not meeting.current_items:
        raise ServiceError("Add at least one item to the agenda before sending it.")
    again = meeting.agenda_sent_at is not None
    subject = (f"{'Updated agenda' if again else 'Agenda and papers'}: {meeting.title}, "
               f"{format_date(rules.utc_to_london(meeting.starts_at).date())}")
    count = send("agenda_sent", "members", invited(meeting, today), subject, meeting=meeting,
                 rows=agenda(meeting), again=again,
                 url=external_url("meetings.show", meeting_id=meeting.id),
                 attachments=[calendar.attachment(meeting)])
    meeting.agenda_sent_at = utcnow()
    record(actor, "send", meeting, f"Sent the agenda of {meeting.title} to {count} people",
           {"recipients": count})
    db.session.commit()
    return count


# --- the record and actions -----------------------------------------------------------------


def save_record(actor: User, meeting: Meeting, attendance: str, apologies: str,
                decisions: str) -> MeetingRecord:
    require_run(actor, meeting)
    found = meeting.record
    if found is not None and found.status == RecordStatus.APPROVED:
        raise ServiceError("The record was approved, so it is no longer changed.")
    values = {"attendance": attendance.strip(), "apologies": apologies.strip(),
              "decisions": decisions.strip()}
    if found is None:
        found = MeetingRecord(meeting_id=meeting.id, drafted_by_id=actor.id, **values)
        db.session.add(found)
        db.session.flush()
        record(actor, "create", found, f"Drafted the record of {meeting.title}", values)
    else:
        changes = diff(found, values)
        for name, value in values.items():
            setattr(found, name, value)
        if changes:
            record(actor, "update", found, f"Changed the record of {meeting.title}", changes)
    db.session.commit()
    return found


def next_meeting_after(meeting: Meeting) -> Meeting | None:
    stmt = (select(Meeting)
            .where(_of_network(meeting.network), Meeting.cancelled_at.is_(None),
                   Meeting.starts_at > meeting.starts_at)
            .order_by(Meeting.starts_at))
    return db.session.scalars(stmt).first()


def approve_record(actor: User, found: MeetingRecord, today: date | None = None
                   ) -> MeetingRecord:
    """Approved at the next meeting: once that meeting has begun, and recorded against it."""
    today = today or local_today()
    meeting = found.meeting
    require_run(actor, meeting)
    if found.status == RecordStatus.APPROVED:
        raise ServiceError("The record is already approved.")
    following = next_meeting_after(meeting)
    held = rules.utc_to_london(following.starts_at).date() if following else None
    if following is None or held is None or held > today:
        raise ServiceError("A record is approved at the next meeting of the network: "
                           + (f"that is on {format_date(held)}." if held else
                              "none is planned yet."))
    found.status = RecordStatus.APPROVED
    found.approved_by_id = actor.id
    found.approved_at = utcnow()
    found.approved_at_meeting_id = following.id
    record(actor, "approve", found, f"Approved the record of {meeting.title} at "
           f"{following.title}", {"status": [RecordStatus.DRAFT, RecordStatus.APPROVED]})
    db.session.commit()
    return found


def add_action(actor: User | None, meeting: Meeting, description: str, owner: User | None,
               due_on: date | None) -> MeetingAction:
    if actor is not None:
        require_run(actor, meeting)
    if not description.strip():
        raise ServiceError("Enter what is to be done.", "description")
    if owner is None:
        raise ServiceError("Choose who owns the action.", "owner")
    action = MeetingAction(meeting_id=meeting.id, network_id=meeting.network_id,
                           description=description.strip(), owner_id=owner.id, due_on=due_on)
    db.session.add(action)
    db.session.flush()
    record(actor, "create", action, f"Action from {meeting.title} for {owner.name}",
           {"description": action.description, "due_on": due_on})
    db.session.commit()
    return action


def complete_action(actor: User, action: MeetingAction, today: date | None = None
                    ) -> MeetingAction:
    if action.owner_id != actor.id and not can_run(actor, action.meeting.network):
        raise PermissionDenied("Only the action's owner or the chair can mark it done.")
    if action.done_on is not None:
        raise ServiceError("This action is already done.")
    action.done_on = today or local_today()
    record(actor, "complete", action, "Marked an action done", {"done_on": action.done_on})
    db.session.commit()
    return action


# --- the read side --------------------------------------------------------------------------


def _of_network(network: Network):  # type: ignore[no-untyped-def]
    return or_(Meeting.network_id == network.id, Meeting.joint_network_id == network.id)


def meetings_of(network: Network) -> list[Meeting]:
    stmt = (select(Meeting).where(_of_network(network))
            .options(selectinload(Meeting.network), selectinload(Meeting.joint_network))
            .order_by(Meeting.starts_at.desc()))
    return list(db.session.scalars(stmt))


def upcoming(network: Network, now: datetime | None = None) -> list[Meeting]:
    now = now or utcnow()
    stmt = (select(Meeting)
            .where(_of_network(network), Meeting.cancelled_at.is_(None), Meeting.ends_at >= now)
            .order_by(Meeting.starts_at))
    return list(db.session.scalars(stmt))


def latest_record(network: Network) -> MeetingRecord | None:
    stmt = (select(MeetingRecord).join(Meeting, MeetingRecord.meeting_id == Meeting.id)
            .where(_of_network(network)).order_by(Meeting.starts_at.desc()))
    return db.session.scalars(stmt).first()


def actions_of(network: Network, open_only: bool = False) -> list[MeetingAction]:
    stmt = (select(MeetingAction).join(Meeting, MeetingAction.meeting_id == Meeting.id)
            .where(_of_network(network))
            .options(selectinload(MeetingAction.owner))
            .order_by(MeetingAction.done_on.is_not(None), MeetingAction.due_on,
                      MeetingAction.id))
    if open_only:
        stmt = stmt.where(MeetingAction.done_on.is_(None))
    return list(db.session.scalars(stmt))


@dataclass
class NetworkPanel:
    """The "Meetings" section of a network's page."""

    network: Network
    can_see: bool
    can_run: bool
    next_meeting: Meeting | None = None
    rows: list[AgendaRow] = field(default_factory=list)
    later: list[Meeting] = field(default_factory=list)
    latest_record: MeetingRecord | None = None
    open_actions: list[MeetingAction] = field(default_factory=list)


def network_panel(user: User, network: Network, today: date | None = None) -> NetworkPanel:
    today = today or local_today()
    panel = NetworkPanel(network, can_see_network(user, network, today), can_run(user, network))
    if not panel.can_see:
        return panel
    coming = upcoming(network)
    if coming:
        panel.next_meeting, panel.later = coming[0], coming[1:4]
        panel.rows = agenda(coming[0])
    panel.latest_record = latest_record(network)
    panel.open_actions = actions_of(network, open_only=True)
    return panel


@dataclass
class ChairPanel:
    """The meetings part of the chair's tools on a network's page: plan a meeting, and the
    papers still awaited for the next one."""

    network: Network
    next_meeting: Meeting | None
    chase: list[AgendaRow]


def chair_panel(user: User, network: Network) -> ChairPanel | None:
    if not can_run(user, network):
        return None
    coming = upcoming(network)
    meeting = coming[0] if coming else None
    return ChairPanel(network, meeting, chase_list(meeting) if meeting else [])


def upload_items(actor: User, meeting: Meeting) -> list[AgendaItem] | None:
    """The items `actor` may upload a paper for; None: any, and papers for the meeting as a
    whole (those who run it). PermissionDenied for anyone else."""
    if can_run(actor, meeting.network):
        return None
    own = [i for i in meeting.current_items if i.owner_id == actor.id]
    if not own:
        raise PermissionDenied("Only the chair and the owners of agenda items upload papers.")
    return own


def replace_paper_allowed(actor: User, paper: Paper) -> None:
    """PermissionDenied unless `actor` may upload a new version of `paper`."""
    _may_upload(actor, paper.meeting, paper.item)
