"""Realistic demo data, made from the seeds with made-up people: `flask --app app seslip demo`.

Every step is idempotent: it creates only what is missing, so a second run changes nothing.
Other areas add steps without editing this file: in `seslip/<area>/demo.py`

    from seslip.demo import DemoContext, demo_step

    @demo_step
    def networks(ctx: DemoContext) -> int:
        ...  # create what is missing, return how many records were created

`run_demo` imports those modules (when they exist) after its own steps are registered.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from flask import current_app
from sqlalchemy import select

from seslip.accounts.models import OrgRole, SiteRole, User
from seslip.accounts.passwords import hash_password
from seslip.accounts.services import create_user, normalise_email
from seslip.errors import ServiceError
from seslip.extensions import db
from seslip.organisations.data import AUTHORITIES
from seslip.organisations.models import Organisation
from seslip.organisations.services import ensure_organisations

DEMO_PASSWORD = "seslip-demo-password"  # noqa: S105 - published on purpose, demo only
ADMIN_EMAIL = "admin@seslip.example"
PROGRAMME_MANAGER_EMAIL = "programme.manager@seslip.example"
# Areas whose demo.py registers steps; missing ones are skipped.
AREA_MODULES = ("seslip.networks.demo", "seslip.questionnaires.demo", "seslip.meetings.demo",
                "seslip.news.demo", "seslip.documents.demo",
                "seslip.notifications.demo", "seslip.core.demo",
                "seslip.terms.demo", "seslip.cycles.demo",
                "seslip.challenge.demo", "seslip.events.demo",
                "seslip.programmes.demo")


@dataclass
class DemoContext:
    echo: Callable[[str], None]
    _users: dict[str, User] = field(default_factory=dict)

    @cached_property
    def password_hash(self) -> str:
        # argon2 is slow on purpose: hash once and give every demo account the same hash.
        return hash_password(DEMO_PASSWORD)

    def organisation(self, slug: str) -> Organisation:
        org = db.session.scalar(select(Organisation).where(Organisation.slug == slug))
        if org is None:
            raise ServiceError(f"The demo needs the organisation {slug!r}; run the demo again.")
        return org

    def user(self, email: str) -> User | None:
        email = normalise_email(email)
        if email not in self._users:
            found = db.session.scalar(select(User).where(User.email == email))
            if found is None:
                return None
            self._users[email] = found
        return self._users[email]

    def ensure_user(
        self,
        email: str,
        name: str,
        *,
        site_role: SiteRole = SiteRole.MEMBER,
        organisation: str | None = None,
        org_role: OrgRole | None = None,
        job_title: str = "",
    ) -> bool:
        """Create the person unless an account with this email exists; True if created."""
        if self.user(email) is not None:
            return False
        user = create_user(
            None,
            email=email,
            name=name,
            site_role=site_role,
            organisation_id=self.organisation(organisation).id if organisation else None,
            org_role=org_role,
            job_title=job_title,
            commit=False,
        )
        user.password_hash = self.password_hash
        self._users[user.email] = user
        return True


DemoStep = Callable[[DemoContext], int]
DEMO_STEPS: list[DemoStep] = []


def demo_step(step: DemoStep) -> DemoStep:
    """Register a step; it returns how many records it created (0 when all were there)."""
    if step not in DEMO_STEPS:
        DEMO_STEPS.append(step)
    return step


@demo_step
def organisations(ctx: DemoContext) -> int:
    created, updated = ensure_organisations(None)
    ctx.echo(f"Organisations: {created} added, {updated} corrected.")
    return created + updated


@demo_step
def staff(ctx: DemoContext) -> int:
    created: int = ctx.ensure_user(
        ADMIN_EMAIL, "Morgan Ashdown", site_role=SiteRole.ADMIN, job_title="Intranet administrator"
    )
    created += ctx.ensure_user(
        PROGRAMME_MANAGER_EMAIL,
        "Harriet Kingsley",
        site_role=SiteRole.PROGRAMME_MANAGER,
        job_title="SESLIP Programme Manager",
    )
    db.session.commit()
    ctx.echo(f"Staff: {created} added.")
    return created


# Made-up people: (authority slug, lead member, DCS). None of them is a real person.
AUTHORITY_PEOPLE: dict[str, tuple[str, str]] = {
    "bracknell-forest": ("Cllr Eleanor Whitcombe", "Daniel Okonjo"),
    "brighton-and-hove": ("Cllr Rhys Penhaligon", "Amara Lindqvist"),
    "buckinghamshire": ("Cllr Fiona Marchetti", "Tobias Greenhalgh"),
    "east-sussex": ("Cllr Graham Fairweather", "Helena Brightwell"),
    "hampshire": ("Cllr Priya Venkataraman", "Oliver Stanbridge"),
    "isle-of-wight": ("Cllr Martin Quarrie", "Josephine Atherley"),
    "kent": ("Cllr Sandra Oyelaran", "Patrick Dunmore"),
    "medway": ("Cllr Imran Chaudhry", "Rosalind Trevelyan"),
    "milton-keynes": ("Cllr Bethany Corrigan", "Samuel Adeyemi"),
    "oxfordshire": ("Cllr Nigel Ashworth", "Catherine Ellery"),
    "portsmouth": ("Cllr Yvonne Tranter", "Marcus Holloway"),
    "reading": ("Cllr Tariq Mahmood", "Lucinda Fenwick"),
    "windsor-and-maidenhead": ("Cllr Deborah Kingswell", "Gareth Penrose"),
    "slough": ("Cllr Harjit Bhamra", "Naomi Castleford"),
    "southampton": ("Cllr Keith Lambourne", "Ifeoma Nwachukwu"),
    "surrey": ("Cllr Philippa Radley", "Edward Ravensworth"),
    "west-berkshire": ("Cllr Aidan Fothergill", "Margaret Olusanya"),
    "west-sussex": ("Cllr Joanna Petherick", "Vikram Sandhu"),
    "wokingham": ("Cllr Colin Ainsworth", "Rebecca Thorne"),
}

# (authority or partner slug, name, job title, org role)
OTHER_PEOPLE: tuple[tuple[str, str, str, OrgRole], ...] = (
    ("east-sussex", "Laura Pemberton", "Assistant Director, Safeguarding", OrgRole.OFFICER),
    ("east-sussex", "Femi Adebayo", "SESLIP Business Support Officer", OrgRole.OFFICER),
    ("milton-keynes", "Grace Holbrook", "Head of Kinship Care", OrgRole.OFFICER),
    ("slough", "Owen Pritchard", "Head of Service, Slough Children First", OrgRole.OFFICER),
    ("kent", "Sunita Rao", "Performance and Data Manager", OrgRole.OFFICER),
    ("adcs", "Jonathan Merriweather", "Policy Officer", OrgRole.PARTNER),
    ("lga", "Claire Dunsford", "Children's Services Adviser", OrgRole.PARTNER),
    ("solace", "Victor Hammond", "Senior Adviser", OrgRole.PARTNER),
    ("kinship", "Imogen Carrow", "Chief Executive", OrgRole.PARTNER),
)


def _email(name: str, slug: str) -> str:
    local = name.removeprefix("Cllr ").lower().replace(" ", ".").replace("'", "")
    return f"{local}@{slug}.example"


def lead_member_email(slug: str) -> str:
    return _email(AUTHORITY_PEOPLE[slug][0], slug)


@demo_step
def authority_people(ctx: DemoContext) -> int:
    created = 0
    for item in AUTHORITIES:
        lead, dcs = AUTHORITY_PEOPLE[item.slug]
        created += ctx.ensure_user(
            _email(lead, item.slug),
            lead,
            organisation=item.slug,
            org_role=OrgRole.LEAD_MEMBER,
            job_title="Lead Member for Children's Services",
        )
        created += ctx.ensure_user(
            _email(dcs, item.slug),
            dcs,
            organisation=item.slug,
            org_role=OrgRole.DCS,
            job_title="Director of Children's Services",
        )
    for slug, name, job_title, role in OTHER_PEOPLE:
        created += ctx.ensure_user(
            _email(name, slug), name, organisation=slug, org_role=role, job_title=job_title
        )
    db.session.commit()
    ctx.echo(f"People in the authorities and partners: {created} added.")
    return created


def _load_area_steps() -> None:
    for name in AREA_MODULES:
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as error:
            if error.name != name:  # the module exists but something it imports is missing
                raise


def run_demo(echo: Callable[[str], None]) -> int:
    """Run every demo step; returns how many records were created or corrected."""
    if current_app.config["SESLIP_ENV"] == "production":
        raise ServiceError("The demo data cannot be loaded when SESLIP_ENV is production.")
    _load_area_steps()
    ctx = DemoContext(echo=echo)
    total = 0
    for step in DEMO_STEPS:
        total += step(ctx)
    if total == 0:
        echo("The demo data is already there: nothing was changed.")
    return total


# One account of each kind a newcomer wants to try; tests check each is what it says.
CHAIR_EMAIL = lead_member_email("kent")  # networks demo: Chair of the Lead Member Network
MEMBER_EMAIL = _email("Sunita Rao", "kent")  # networks demo: a member of two networks, no post


def sign_in_help() -> list[str]:
    login = current_app.config["SESLIP_BASE_URL"] + "/login"
    return [
        f"Sign in at {login} with any of these demo accounts:",
        f"  admin:             {ADMIN_EMAIL}",
        f"  programme manager: {PROGRAMME_MANAGER_EMAIL}",
        f"  lead member:       {lead_member_email('east-sussex')} (East Sussex, self-assessment "
        "half done)",
        f"  network chair:     {CHAIR_EMAIL} (Chair of the South East Lead Member Network)",
        f"  ordinary member:   {MEMBER_EMAIL} (member of two networks, holds no post)",
        f"  password for all:  {DEMO_PASSWORD}",
    ]
