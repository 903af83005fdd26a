"""The programme's organisations as the SESLIP home page and terms of reference name them.

`ensure_organisations` upserts these by slug, so the slugs never change once published.
"""

from __future__ import annotations

from dataclasses import dataclass

from seslip.organisations.models import OrganisationKind

LEAD_AUTHORITY_SLUG = "east-sussex"


@dataclass(frozen=True)
class OrganisationData:
    slug: str
    name: str
    kind: OrganisationKind
    note: str = ""
    website: str = ""


def _authority(slug: str, name: str, note: str = "") -> OrganisationData:
    return OrganisationData(slug, name, OrganisationKind.AUTHORITY, note)


def _partner(slug: str, name: str, note: str) -> OrganisationData:
    return OrganisationData(slug, name, OrganisationKind.PARTNER, note)


AUTHORITIES = (
    _authority("bracknell-forest", "Bracknell Forest"),
    _authority("brighton-and-hove", "Brighton and Hove"),
    _authority("buckinghamshire", "Buckinghamshire"),
    _authority(
        LEAD_AUTHORITY_SLUG,
        "East Sussex",
        "SESLIP's lead authority. Its director of children's services chairs the "
        "Programme Steering Group.",
    ),
    _authority("hampshire", "Hampshire"),
    _authority("isle-of-wight", "Isle of Wight"),
    _authority("kent", "Kent"),
    _authority("medway", "Medway"),
    _authority("milton-keynes", "Milton Keynes"),
    _authority("oxfordshire", "Oxfordshire"),
    _authority("portsmouth", "Portsmouth"),
    _authority("reading", "Reading"),
    _authority("windsor-and-maidenhead", "Royal Borough of Windsor and Maidenhead"),
    _authority("slough", "Slough", "Children's services delivered by Slough Children First"),
    _authority("southampton", "Southampton"),
    _authority("surrey", "Surrey"),
    _authority("west-berkshire", "West Berkshire"),
    _authority("west-sussex", "West Sussex"),
    _authority("wokingham", "Wokingham"),
)

PARTNERS = (
    _partner(
        "adcs",
        "ADCS",
        "The Association of Directors of Children's Services Ltd: the national leadership "
        "association in England for statutory directors of children's services and their "
        "senior management teams.",
    ),
    _partner(
        "lga",
        "LGA",
        "The Local Government Association: a politically-led, cross-party organisation that "
        "works on behalf of councils to ensure local government has a strong, credible voice "
        "with national government.",
    ),
    _partner(
        "solace",
        "Solace",
        "Society of Local Authority Chief Executives and Senior Managers: the representative "
        "body for senior strategic managers working in the public sector.",
    ),
    _partner(
        "kinship",
        "Kinship",
        "The kinship care charity. Its Chief Executive is Vice Chair of the South East "
        "Regional Kinship Network.",
    ),
)

ORGANISATIONS = AUTHORITIES + PARTNERS
