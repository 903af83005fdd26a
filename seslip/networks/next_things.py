"""The networks area's lines in "My next things": approvals and requests to join waiting for
the chair (listed in seslip/panels.py)."""

from __future__ import annotations

from datetime import date

from flask import url_for

from seslip.accounts.models import SiteRole, User
from seslip.networks import queries as q
from seslip.networks.models import Network
from seslip.parts import NextThing


def waiting_for_chair(user: User, today: date) -> list[NextThing]:
    chaired = q.chaired_network_ids(user)
    things = [
        NextThing(
            a.created_at.date(),
            f"Approve or decline {a.user.name} as {a.position.title} of "
            f"{a.position.network.name}",
            url_for("networks.approval", appointment_id=a.id),
            "approval",
        )
        for a in q.approvals_waiting(chaired)
    ]
    for network, count, oldest in _join_requests(user, chaired):
        text = ("1 request" if count == 1 else f"{count} requests") + \
            f" to join {network.name} waiting for your answer"
        things.append(NextThing(oldest, text, url_for("networks.join_requests",
                                                      slug=network.slug), "join_request"))
    return things


def _join_requests(user: User, chaired: set[int]) -> list[tuple[Network, int, date]]:
    """The requests this person answers: their networks', and, for the programme manager,
    those of networks with nobody chairing (they are emailed those, as memberships.py does)."""
    if user.site_role != SiteRole.PROGRAMME_MANAGER:
        return q.join_requests_waiting(chaired)
    return [row for row in q.join_requests_waiting(None)
            if row[0].id in chaired or not q.chairs_of(row[0])]
