"""Demo for the home page's "My next things": a lead member's request to join the Lead Member
Network waits for its chair (CHAIR_EMAIL). Idempotent."""

from __future__ import annotations

from sqlalchemy import delete, select

from seslip.demo import DemoContext, demo_step, lead_member_email
from seslip.extensions import db
from seslip.networks.memberships import request_to_join
from seslip.networks.models import JoinRequest, Network
from seslip.notifications.models import OutboxMessage

ASKING = lead_member_email("wokingham")
MESSAGE = ("I have just become Lead Member for Children's Services in Wokingham and would like "
           "to join the network's meetings and workshops.")


@demo_step
def join_request_waiting(ctx: DemoContext) -> int:
    person = ctx.user(ASKING)
    network = db.session.scalar(select(Network).where(Network.slug == "lead-member-network"))
    if person is None or network is None:
        ctx.echo("Waiting for the chair: the demo people or networks are missing.")
        return 0
    asked = db.session.scalar(select(JoinRequest.id).where(
        JoinRequest.user_id == person.id, JoinRequest.network_id == network.id))
    if asked is not None:
        return 0
    # The demo's mail stays out of the outbox: request_to_join commits its email, so drop it.
    request = request_to_join(person, network, MESSAGE)
    db.session.execute(delete(OutboxMessage).where(
        OutboxMessage.event == "join_request", OutboxMessage.subject.contains(person.name)))
    db.session.commit()
    ctx.echo(f"Waiting for the chair: {person.name} asks to join {network.name} "
             f"(request {request.id}).")
    return 1
