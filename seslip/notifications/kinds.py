"""The kinds of email a person can choose to have straight away or in a weekly digest.

Keyed by the event name queue_email is given (emails/<event>_to_<audience>.*). An event not
listed here is always sent straight away: account links (invitations, resets) and anything an
area adds before it is listed. An urgent kind is listed so people can see it, but can never be
held; a single message can also be marked urgent by its sender (a paper due today).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    event: str
    label: str
    urgent: bool = False


KINDS: dict[str, Kind] = {kind.event: kind for kind in (
    Kind("agenda_sent", "A meeting's agenda and papers are ready"),
    Kind("meeting_changed", "A meeting's date, time or place has changed"),
    Kind("meeting_cancelled", "A meeting is cancelled"),
    Kind("paper_reminder", "Reminders to upload your paper (on the day it is due they always "
                           "come straight away)"),
    Kind("approval_requested", "An appointment waits for your approval", urgent=True),
    Kind("join_request", "Someone asks to join a network you chair"),
    Kind("join_request_decided", "Your request to join a network is answered"),
    Kind("appointment_made", "You are appointed to a post"),
    Kind("appointment_approved", "An appointment is approved"),
    Kind("appointment_declined", "An appointment you proposed is declined"),
    Kind("nomination_round_opened", "Nominations open for a post"),
    Kind("nomination_round_closed", "Nominations close for a post (to chairs)"),
    Kind("term_reminder", "A term of office is coming to its end"),
    Kind("holdover_reminder", "A post is held over after its term"),
    Kind("response_reopened", "A questionnaire you submitted is reopened for changes"),
)}


def digestable(event: str) -> bool:
    kind = KINDS.get(event)
    return kind is not None and not kind.urgent
