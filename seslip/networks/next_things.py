"""The networks area's lines in "My next things": approvals and requests to join waiting for
the chair (listed in seslip/panels.py)."""

from __future__ import annotations

from datetime import date

from flask import url_for

from seslip.accounts.models import User
from seslip.networks import queries as q
from seslip.panels import NextThing


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
    for network, count, oldest in q.join_requests_waiting(chaired):
        text = ("1 request" if count == 1 else f"{count} requests") + \
            f" to join {network.name} waiting for your answer"
        things.append(NextThing(oldest, text, url_for("networks.join_requests",
                                                      slug=network.slug), "join_request"))
    return things
