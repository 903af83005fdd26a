"""Every kind of email is listed once in notifications/kinds.py, so a person can choose how
to get it; only account links and the digest itself are always sent alone."""

from __future__ import annotations

import re

from seslip.config import ROOT
from seslip.notifications.kinds import KINDS, digestable

ALWAYS_ALONE = {"invitation", "password_reset", "weekly_digest"}


def _events() -> set[str]:
    names = (path.name.split(".")[0] for path in (ROOT / "templates" / "emails").glob("*_to_*"))
    return {re.sub(r"_to_[a-z_]+$", "", name) for name in names}


def test_every_email_event_is_a_listed_kind_or_always_sent_alone() -> None:
    events = _events()
    assert events - ALWAYS_ALONE == set(KINDS)
    assert not any(digestable(event) for event in ALWAYS_ALONE)


def test_what_cannot_wait_a_week_is_urgent() -> None:
    for event in ("approval_requested", "tor_submitted", "event_reminder", "event_promoted",
                  "event_cancelled", "cycle_reminder"):
        assert not digestable(event), event
    assert digestable("agenda_sent") and digestable("suggestion_triaged")
