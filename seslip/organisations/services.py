"""Organisations: the directory, each organisation's people, and keeping the list up to date."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, func, or_, select

from seslip.accounts.models import OrgRole, User
from seslip.audit.services import assign, record
from seslip.errors import NotFound, ServiceError
from seslip.extensions import db
from seslip.organisations.data import ORGANISATIONS, OrganisationData
from seslip.organisations.models import Organisation, OrganisationKind
from seslip.permissions import require_staff

# How an organisation page lists its people: the political lead first, then the director.
ROLE_ORDER: tuple[tuple[OrgRole | None, str], ...] = (
    (OrgRole.LEAD_MEMBER, "Lead member for children's services"),
    (OrgRole.DCS, "Director of children's services"),
    (OrgRole.OFFICER, "Officers"),
    (OrgRole.PARTNER, "Partner representatives"),
    (None, "Other people"),
)

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
RESERVED_SLUGS = {"new"}  # /directory/new is the form for adding one
EDITABLE_FIELDS = ("name", "kind", "note", "website", "archived")


@dataclass(frozen=True)
class DirectoryEntry:
    organisation: Organisation
    people: int


@dataclass
class Directory:
    authorities: list[DirectoryEntry]
    partners: list[DirectoryEntry]
    query: str = ""


@dataclass
class RoleGroup:
    role: OrgRole | None
    label: str
    people: list[User] = field(default_factory=list)


def _active_people_count() -> Any:
    return (
        select(func.count(User.id))
        .where(User.organisation_id == Organisation.id, User.is_active_account.is_(True))
        .correlate(Organisation)
        .scalar_subquery()
    )


def _matches(query: str) -> ColumnElement[bool]:
    # An organisation matches on its own name or the name of anyone who works there.
    needle = query.strip().lower()
    people = select(User.organisation_id).where(
        func.lower(User.name).contains(needle, autoescape=True),
        User.is_active_account.is_(True),
        User.organisation_id.is_not(None),
    )
    return or_(
        func.lower(Organisation.name).contains(needle, autoescape=True),
        Organisation.id.in_(people),
    )


def list_organisations(kind: OrganisationKind, query: str = "") -> list[DirectoryEntry]:
    """One query: the organisations of a kind, by name, with how many people each has."""
    stmt = (
        select(Organisation, _active_people_count().label("people"))
        .where(Organisation.kind == kind, Organisation.archived.is_(False))
        .order_by(Organisation.name)
    )
    if query.strip():
        stmt = stmt.where(_matches(query))
    return [DirectoryEntry(org, people) for org, people in db.session.execute(stmt)]


def directory(query: str = "") -> Directory:
    query = query.strip()[:100]
    return Directory(
        authorities=list_organisations(OrganisationKind.AUTHORITY, query),
        partners=list_organisations(OrganisationKind.PARTNER, query),
        query=query,
    )


def get_by_slug(slug: str) -> Organisation:
    org = db.session.scalar(select(Organisation).where(Organisation.slug == slug))
    if org is None:
        raise NotFound("There is no organisation at this address.")
    return org


def people_by_role(org: Organisation) -> list[RoleGroup]:
    """The organisation's active people in ROLE_ORDER, each group by name; empty groups left out."""
    people = db.session.scalars(
        select(User)
        .where(User.organisation_id == org.id, User.is_active_account.is_(True))
        .order_by(func.lower(User.name), User.id)
    ).all()
    groups = [RoleGroup(role, label) for role, label in ROLE_ORDER]
    by_role = {group.role: group for group in groups}
    for person in people:
        by_role.get(person.org_role, by_role[None]).people.append(person)
    return [group for group in groups if group.people]


def ensure_organisations(actor: User | None) -> tuple[int, int]:
    """Create or correct the programme's organisations from data.py; (created, updated).

    Running it again changes nothing. Organisations added by staff are left alone.
    """
    existing = {org.slug: org for org in db.session.scalars(select(Organisation))}
    created = updated = 0
    for item in ORGANISATIONS:
        org = existing.get(item.slug)
        if org is None:
            _add(actor, item)
            created += 1
            continue
        changes = assign(org, {"name": item.name, "kind": item.kind, "note": item.note})
        if changes:
            record(actor, "update", org, f"Updated {org.name} from the programme's list", changes)
            updated += 1
    db.session.commit()
    return created, updated


def _add(actor: User | None, item: OrganisationData) -> Organisation:
    org = Organisation(
        slug=item.slug, name=item.name, kind=item.kind, note=item.note, website=item.website
    )
    db.session.add(org)
    db.session.flush()
    record(
        actor,
        "create",
        org,
        f"Added {org.name}",
        {"slug": org.slug, "name": org.name, "kind": org.kind, "note": org.note,
         "website": org.website},
    )
    return org


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    cleaned = {key: values[key] for key in EDITABLE_FIELDS if key in values}
    for key in ("name", "note", "website"):
        if key in cleaned:
            cleaned[key] = (cleaned[key] or "").strip()
    if "kind" in cleaned:
        cleaned["kind"] = OrganisationKind(cleaned["kind"])
    if "archived" in cleaned:
        cleaned["archived"] = bool(cleaned["archived"])
    if "name" in cleaned and not cleaned["name"]:
        raise ServiceError("Enter the organisation's name", "name")
    website = cleaned.get("website", "")
    if website and not re.match(r"^https?://[^\s/]+\.[^\s]+$", website):
        raise ServiceError(
            "Enter the website as a full address, like https://www.example.gov.uk", "website"
        )
    return cleaned


def _name_taken(name: str, other_than: int | None = None) -> bool:
    stmt = select(Organisation.id).where(func.lower(Organisation.name) == name.lower())
    if other_than is not None:
        stmt = stmt.where(Organisation.id != other_than)
    return db.session.scalar(stmt) is not None


def create_organisation(actor: User, *, slug: str, **values: Any) -> Organisation:
    """Staff add an organisation (a new partner, say). Its slug is fixed from then on."""
    require_staff(actor)
    slug = slug.strip().lower()
    cleaned = _clean(values)
    if not SLUG_PATTERN.match(slug) or slug in RESERVED_SLUGS:
        raise ServiceError(
            "Enter a web address name using only lower-case letters, numbers and hyphens, "
            "like west-sussex",
            "slug",
        )
    if db.session.scalar(select(Organisation.id).where(Organisation.slug == slug)) is not None:
        raise ServiceError("Another organisation already uses this web address name", "slug")
    if _name_taken(cleaned["name"]):
        raise ServiceError("Another organisation already has this name", "name")
    org = _add(
        actor,
        OrganisationData(
            slug=slug,
            name=cleaned["name"],
            kind=cleaned.get("kind", OrganisationKind.PARTNER),
            note=cleaned.get("note", ""),
            website=cleaned.get("website", ""),
        ),
    )
    db.session.commit()
    return org


def update_organisation(actor: User, org: Organisation, **values: Any) -> dict[str, list[Any]]:
    """Staff correct an organisation's details; returns what changed (nothing is audited if
    nothing changed)."""
    require_staff(actor)
    cleaned = _clean(values)
    if "name" in cleaned and _name_taken(cleaned["name"], other_than=org.id):
        raise ServiceError("Another organisation already has this name", "name")
    changes = assign(org, cleaned)
    if changes:
        record(actor, "update", org, f"Updated {org.name}", changes)
        db.session.commit()
    return changes


def organisation_for_edit(actor: User, slug: str) -> Organisation:
    require_staff(actor)
    return get_by_slug(slug)
