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
    Kind("action_due", "An action you own is due"),
    Kind("action_reminder", "An action you own is overdue"),
    Kind("suggestion_made", "A member suggests a topic for a network you chair"),
    Kind("suggestion_triaged", "What became of a topic you suggested"),
    Kind("tor_submitted", "Terms of reference wait for your approval", urgent=True),
    Kind("tor_published", "Terms of reference are approved and published"),
    Kind("tor_returned", "Terms of reference are returned with comments"),
    Kind("tor_review", "Terms of reference are due for their annual review"),
    Kind("cycle_opened", "A self-assessment cycle opens for your authority"),
    Kind("cycle_access", "You are given access to your authority's self-assessment"),
    Kind("cycle_reminder", "Reminders to finalise your self-assessment", urgent=True),
    Kind("self_assessment_shared", "A triad peer's self-assessment is shared with you"),
    Kind("peer_comment", "A comment or reply on a self-assessment"),
    Kind("challenge_day", "A challenge day is arranged or changed"),
    Kind("challenge_day_left", "Your authority leaves a challenge day's group"),
    Kind("event_registered", "Your place or waiting-list place at an event"),
    Kind("event_waiting", "You are on an event's waiting list"),
    Kind("event_promoted", "A place at an event is yours from the waiting list", urgent=True),
    Kind("event_changed", "An event you are registered for changes"),
    Kind("event_cancelled", "An event you are registered for is cancelled", urgent=True),
    Kind("event_registration_cancelled", "Your place at an event is cancelled"),
    Kind("event_reminder", "An event you are registered for is tomorrow", urgent=True),
    Kind("event_feedback", "Feedback asked after an event you attended"),
)}


def digestable(event: str) -> bool:
    kind = KINDS.get(event)
    return kind is not None and not kind.urgent
