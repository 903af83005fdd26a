"""A network's annual work programme: items with owners, status and target dates; a
task-and-finish group set up from an item (a network of that kind, child of this one, with its
own members, purpose and end date); reports published on the network's page as key documents
(so they keep every version). Those who run the network change it; its members read it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from seslip.accounts.models import User
from seslip.audit.services import diff, record
from seslip.documents.models import DocumentCategory
from seslip.documents.services import store_document
from seslip.errors import PermissionDenied, ServiceError
from seslip.extensions import db
from seslip.meetings import services as meetings
from seslip.networks.models import Membership, Network, NetworkKind
from seslip.networks.queries import current_members, membership_of
from seslip.networks.rules import slugify
from seslip.programmes.models import Audience, ItemStatus, Report, WorkItem
from seslip.records import get_or_raise
from seslip.timeutil import local_today

# --- who may do what ------------------------------------------------------------------------


def require_run(actor: User, network: Network) -> None:
    if not meetings.can_run(actor, network):
        raise PermissionDenied(
            f"Only the chair or vice chair of {network.name} or the programme manager can "
            "change its work programme.")


def programme_year(today: date) -> int:
    """The work programme year a day falls in: April to March, like the councils' year."""
    return today.year if today.month >= 4 else today.year - 1


def year_label(year: int) -> str:
    return f"{year}-{str(year + 1)[-2:]}"


# --- items ----------------------------------------------------------------------------------


@dataclass
class ItemValues:
    title: str
    year: int
    description: str = ""
    owner: User | None = None
    status: ItemStatus = ItemStatus.NOT_STARTED
    target_on: date | None = None


def _fields(values: ItemValues) -> dict[str, object]:
    title = " ".join(values.title.split())
    if not title:
        raise ServiceError("Enter what the item is.", "title")
    if len(title) > 300:
        raise ServiceError("The item must be 300 characters or fewer.", "title")
    if not 2000 <= values.year <= 2100:
        raise ServiceError("Choose the year of the work programme.", "year")
    return {"title": title, "year": values.year, "description": values.description.strip(),
            "owner_id": values.owner.id if values.owner else None, "status": values.status,
            "target_on": values.target_on}


def add_item(actor: User | None, network: Network, values: ItemValues) -> WorkItem:
    """`actor` None is the demo."""
    if actor is not None:
        require_run(actor, network)
    fields = _fields(values)
    item = WorkItem(network_id=network.id, **fields)
    db.session.add(item)
    db.session.flush()
    record(actor, "create", item, f"Added “{item.title}” to the work programme of "
           f"{network.name}", fields)
    db.session.commit()
    return item


def update_item(actor: User, item: WorkItem, values: ItemValues) -> WorkItem:
    require_run(actor, item.network)
    fields = _fields(values)
    changes = diff(item, fields)
    for name, value in fields.items():
        setattr(item, name, value)
    if changes:
        record(actor, "update", item, f"Changed work programme item “{item.title}”", changes)
    db.session.commit()
    return item


def set_status(actor: User, item: WorkItem, status: ItemStatus) -> WorkItem:
    require_run(actor, item.network)
    if item.status != status:
        record(actor, "update", item, f"“{item.title}” is now {status.label.lower()}",
               {"status": [item.status.value, status.value]})
        item.status = status
    db.session.commit()
    return item


# --- task-and-finish groups -----------------------------------------------------------------


@dataclass
class GroupValues:
    name: str
    purpose: str
    ends_on: date | None
    members: list[User] = field(default_factory=list)


def _free_slug(name: str) -> str:
    base = slugify(name)
    taken = set(db.session.scalars(select(Network.slug).where(Network.slug.like(f"{base}%"))))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def create_group(actor: User | None, item: WorkItem, values: GroupValues,
                 today: date | None = None) -> Network:
    """Set up a task-and-finish group to do `item`: it belongs to the item's network, has its
    own members (from the network), purpose and end date, and reports back to the network."""
    today = today or local_today()
    network = item.network
    if actor is not None:
        require_run(actor, network)
    if item.group_id is not None:
        raise ServiceError("This item already has a task and finish group.")
    name = " ".join(values.name.split())
    if not name:
        raise ServiceError("Enter the group's name.", "name")
    if db.session.scalar(select(Network.id).where(Network.name == name)) is not None:
        raise ServiceError(f"Another network or group is already called {name}.", "name")
    if not values.purpose.strip():
        raise ServiceError("Enter what the group is to do.", "purpose")
    if values.ends_on is None or values.ends_on <= today:
        raise ServiceError("Enter the date the group ends: after today.", "ends_on")
    if not values.members:
        raise ServiceError("Choose at least one member of the group.", "members")
    outsiders = [p.name for p in values.members if membership_of(p, network, today) is None]
    if outsiders:
        raise ServiceError(f"Members come from {network.name}: {', '.join(outsiders)} "
                           "is not a member.", "members")
    group = Network(slug=_free_slug(name), name=name, kind=NetworkKind.TASK_AND_FINISH,
                    purpose=values.purpose.strip(), parent_id=network.id, established_on=today,
                    ends_on=values.ends_on,
                    meeting_pattern="As the group agrees, until it reports.")
    db.session.add(group)
    db.session.flush()
    record(actor, "create", group, f"Set up {name} from “{item.title}”",
           {"parent": network.name, "purpose": group.purpose, "ends_on": values.ends_on})
    for person in values.members:
        membership = Membership(network_id=group.id, user_id=person.id,
                                organisation_id=person.organisation_id, started_on=today)
        db.session.add(membership)
        db.session.flush()
        record(actor, "create", membership, f"Added {person.name} to {name}",
               {"network": name, "person": person.name})
    item.group_id = group.id
    if item.status == ItemStatus.NOT_STARTED:
        item.status = ItemStatus.IN_PROGRESS
    db.session.commit()
    return group


# --- reports --------------------------------------------------------------------------------


def may_report(user: User, network: Network, group: Network | None) -> bool:
    """A network's report: those who run it. A group's report back: also those who run the
    group."""
    return meetings.can_run(user, network) or (group is not None
                                               and meetings.can_run(user, group))


def publish_report(actor: User | None, network: Network, title: str, audience: Audience,
                   data: bytes, group: Network | None = None,
                   item: WorkItem | None = None) -> Report:
    if actor is not None and not may_report(actor, network, group):
        raise PermissionDenied(f"Only the chair or vice chair of {network.name} or the "
                               "programme manager can publish its reports.")
    if group is not None and group.parent_id != network.id:
        raise ServiceError(f"Choose one of the groups of {network.name}.", "group")
    if item is not None and item.network_id != network.id:
        raise ServiceError("Choose an item of this network's work programme.", "item")
    document = store_document(actor, title, DocumentCategory.OTHER, data)
    report = Report(network_id=network.id, group_id=group.id if group else None,
                    work_item_id=item.id if item else None, audience=audience,
                    document_id=document.id, published_by_id=actor.id if actor else None)
    db.session.add(report)
    db.session.flush()
    record(actor, "publish", report, f"Published “{document.title}” on {network.name}'s page",
           {"audience": audience.value, "group": group.name if group else None})
    db.session.commit()
    return report


# --- the read side --------------------------------------------------------------------------


def get_item(network: Network, ident: int) -> WorkItem:
    return get_or_raise(WorkItem, ident, "That item is not in this network's work programme.",
                        lambda i: i.network_id == network.id)


def items_of(network: Network, year: int) -> list[WorkItem]:
    stmt = (select(WorkItem).where(WorkItem.network_id == network.id, WorkItem.year == year)
            .options(selectinload(WorkItem.owner), selectinload(WorkItem.group))
            .order_by(WorkItem.target_on.is_(None), WorkItem.target_on, WorkItem.id))
    return list(db.session.scalars(stmt))


def years_of(network: Network) -> list[int]:
    stmt = select(WorkItem.year).where(WorkItem.network_id == network.id).distinct()
    return sorted(db.session.scalars(stmt), reverse=True)


def groups_of(network: Network, today: date) -> list[Network]:
    """The network's task-and-finish groups, current first."""
    stmt = (select(Network).where(Network.parent_id == network.id,
                                  Network.kind == NetworkKind.TASK_AND_FINISH)
            .order_by(Network.ends_on.desc()))
    found = list(db.session.scalars(stmt))
    return sorted(found, key=lambda g: g.ends_on is not None and g.ends_on < today)


def reports_of(network: Network) -> list[Report]:
    stmt = (select(Report).where(or_(Report.network_id == network.id,
                                     Report.group_id == network.id))
            .options(selectinload(Report.document), selectinload(Report.group))
            .order_by(Report.published_at.desc(), Report.id.desc()))
    return list(db.session.scalars(stmt))


def group_members(group: Network, today: date) -> list[User]:
    return [m.user for m in current_members(group, today)]
