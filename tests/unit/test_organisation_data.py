from seslip.organisations.data import AUTHORITIES, LEAD_AUTHORITY_SLUG, ORGANISATIONS, PARTNERS
from seslip.organisations.models import OrganisationKind
from seslip.organisations.services import SLUG_PATTERN

MEMBER_AUTHORITIES = {
    "Bracknell Forest", "Brighton and Hove", "Buckinghamshire", "East Sussex", "Hampshire",
    "Isle of Wight", "Kent", "Medway", "Milton Keynes", "Oxfordshire", "Portsmouth", "Reading",
    "Royal Borough of Windsor and Maidenhead", "Slough", "Southampton", "Surrey",
    "West Berkshire", "West Sussex", "Wokingham",
}


def test_the_nineteen_member_authorities_by_their_names() -> None:
    assert len(AUTHORITIES) == 19
    assert {a.name for a in AUTHORITIES} == MEMBER_AUTHORITIES
    assert all(a.kind is OrganisationKind.AUTHORITY for a in AUTHORITIES)


def test_partners_are_adcs_lga_solace_and_kinship() -> None:
    assert [p.name for p in PARTNERS] == ["ADCS", "LGA", "Solace", "Kinship"]
    assert all(p.kind is OrganisationKind.PARTNER and p.note for p in PARTNERS)


def test_slugs_are_unique_and_url_safe() -> None:
    slugs = [o.slug for o in ORGANISATIONS]
    assert len(set(slugs)) == len(slugs)
    assert all(SLUG_PATTERN.match(slug) for slug in slugs)


def test_notes_from_the_seeds() -> None:
    by_slug = {o.slug: o for o in ORGANISATIONS}
    assert by_slug["slough"].note == "Children's services delivered by Slough Children First"
    assert by_slug[LEAD_AUTHORITY_SLUG].name == "East Sussex"
    assert "chairs the Programme Steering Group" in by_slug[LEAD_AUTHORITY_SLUG].note
    assert "Vice Chair" in by_slug["kinship"].note
