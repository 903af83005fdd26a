"""The admin dashboard: one page of links to the tools that staff use to run the programme."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, render_template, url_for
from flask_login import current_user

from seslip.permissions import require_staff

bp = Blueprint("admin", __name__, url_prefix="/admin")


@dataclass(frozen=True)
class Card:
    endpoint: str
    title: str
    description: str


# Areas add their tools here. Every endpoint must exist and need no arguments: a misspelt one
# fails the page (and its test) rather than vanishing.
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
    Card(
        "library.index",
        "Questionnaire library",
        "Write, check, preview and publish questionnaires; versions, changes and history.",
    ),
    Card(
        "terms.overview",
        "Terms of reference",
        "Every network's terms of reference: current version, drafts, approvals and reviews.",
    ),
    Card("notifications.index", "Email outbox", "Emails waiting to be sent, sent and failed."),
    Card("audit.index", "Audit trail", "Who changed what, and when."),
)


@bp.get("/")
def index() -> str:
    require_staff(current_user)
    cards = [(card, url_for(card.endpoint)) for card in CARDS]
    return render_template("admin/index.html", cards=cards)
