"""Demo: a member of two networks (MEMBER_EMAIL) takes the everyday emails in a weekly
digest, so `tick` on a Monday shows one. Idempotent."""

from __future__ import annotations

from seslip.demo import MEMBER_EMAIL, DemoContext, demo_step
from seslip.notifications.kinds import KINDS
from seslip.notifications.models import DeliveryMode
from seslip.notifications.preferences import choices_of, save_choices

DIGESTED = ("agenda_sent", "meeting_changed", "nomination_round_opened", "join_request_decided",
            "term_reminder")


@demo_step
def notification_preferences(ctx: DemoContext) -> int:
    person = ctx.user(MEMBER_EMAIL)
    if person is None:
        ctx.echo("Email choices: the demo member is missing; run the demo again.")
        return 0
    already = {c.kind.event for c in choices_of(person) if c.mode == DeliveryMode.DIGEST}
    changed = save_choices(person, person, {event: DeliveryMode.DIGEST
                                            for event in DIGESTED if event in KINDS})
    ctx.echo(f"Email choices: {person.name} takes {len(already) + changed} kinds in a weekly "
             "digest.")
    return changed
