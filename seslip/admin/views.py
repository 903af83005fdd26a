"""The admin dashboard: one page of links to the tools that staff use to run the programme."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, current_app, render_template, url_for
from flask_login import current_user
from werkzeug.routing import BuildError

from seslip.permissions import require_staff

bp = Blueprint("admin", __name__, url_prefix="/admin")


@dataclass(frozen=True)
class Card:
    endpoint: str
    title: str
    description: str


# Areas add their tools here; a card shows only once its endpoint exists, so the page never
# breaks while an area is still being built.
CARDS: tuple[Card, ...] = (
    Card("people.index", "People", "Everyone with an account: change roles, deactivate accounts."),
    Card("people.invite", "Invite someone", "Send an invitation to join the intranet by email."),
    Card(
        "organisations.index",
        "Organisations",
        "The 19 member authorities and the partner organisations: correct their details.",
    ),
    Card("organisations.new", "Add an organisation", "Add a new partner organisation."),
    Card(
        "networks.index",
        "Networks",
        "Networks and groups: their members, their posts and who holds them, nominations.",
    ),
    Card("networks.new_network", "New network", "Create a network or group, then add its posts."),
    Card(
        "questionnaires.index",
        "Questionnaires",
        "Self-assessments and other questionnaires: who has answered, reopen finalised answers.",
    ),
    Card("notifications.index", "Email outbox", "Emails waiting to be sent, sent and failed."),
    Card("audit.index", "Audit trail", "Who changed what, and when."),
)


@bp.get("/")
def index() -> str:
    require_staff(current_user)
    cards = []
    for card in CARDS:
        if card.endpoint not in current_app.view_functions:
            continue
        try:
            cards.append((card, url_for(card.endpoint)))
        except BuildError:  # an endpoint that needs arguments cannot be a card
            continue
    return render_template("admin/index.html", cards=cards)
