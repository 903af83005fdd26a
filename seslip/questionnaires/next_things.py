"""The questionnaires area's lines in "My next things": questionnaires to start or finish
(listed in seslip/panels.py). Outside a cycle they have no deadline, so they come last,
undated."""

from __future__ import annotations

from datetime import date

from flask import url_for

from seslip.accounts.models import User
from seslip.parts import NextThing
from seslip.questionnaires.services import questionnaires_for


def to_complete(user: User, today: date) -> list[NextThing]:
    things = []
    for definition, response in questionnaires_for(user):
        if response is not None and response.cycle_id is not None:
            continue  # a cycle's response is listed, with its date, by cycles.services
        if response is None:
            things.append(NextThing(None, f"Fill in {definition.title}",
                                    url_for("questionnaires.index"), "questionnaire"))
        elif response.is_draft:
            things.append(NextThing(None, f"Finish and submit {definition.title}",
                                    url_for("questionnaires.response", response_id=response.id),
                                    "questionnaire"))
    return things
