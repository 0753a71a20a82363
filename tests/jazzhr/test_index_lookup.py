"""Index look-ups: blocking keys, and sub-keys for names shared by many applicants."""

from __future__ import annotations

import datetime

import pytest

from integrations.jazzhr.matching import Person
from integrations.jazzhr.models import IndexedApplicantKey
from integrations.jazzhr.services import index
from integrations.jazzhr.types import ApplicantSummary
from support_dashboard.customers.models import Ats
from support_dashboard.customers.services import create_customer

FILLER_FIRST_NAMES = ["Anna", "Bruno", "Carla", "Dmitri", "Elif", "Farah", "Goran"]
FILLER_SURNAMES = ["Alvarez", "Brennan", "Castell", "Dubois", "Eriksen", "Fontaine"]

TARGETS = {
    "prospect_john_smith": ("John", "Smith"),
    "prospect_robert_smith": ("Robert", "Smith"),
    "prospect_christina_smith": ("Christina", "Smith"),
    "prospect_john_smythe": ("John", "Smithe"),
    "prospect_initial_smith": ("K", "Smith"),
}


def row(applicant_id: str, first_name: str, last_name: str) -> ApplicantSummary:
    return ApplicantSummary(
        id=applicant_id,
        first_name=first_name,
        last_name=last_name,
        phone="",
        apply_date=datetime.date(2026, 11, 2),
        job_id="",
        job_title="",
    )


@pytest.fixture
def customer(db):
    """A customer whose index contains 150 Smiths and 150 Johns besides the targets."""
    customer = create_customer("Acme Robotics", ats=Ats.JAZZHR)
    rows = [row(key, *name) for key, name in TARGETS.items()]
    for number in range(150):
        first = FILLER_FIRST_NAMES[number % len(FILLER_FIRST_NAMES)]
        last = FILLER_SURNAMES[number % len(FILLER_SURNAMES)]
        rows.append(row(f"prospect_smith_{number}", f"{first}{number}", "Smith"))
        rows.append(row(f"prospect_john_{number}", "John", f"{last}{number}"))
    index.save_listed_rows(customer, rows)
    return customer


def found_ids(customer, candidate: Person) -> set[str]:
    return {item.applicant_id for item in index.find_candidates(customer, candidate)}


def matched_ids(customer, candidate: Person) -> set[str]:
    return {
        match.applicant_id
        for match, _ in index.find_matches(customer, candidate, limit=50)
    }


@pytest.mark.parametrize(
    ("first_name", "last_name", "expected"),
    [
        ("Bob", "Smith", "prospect_robert_smith"),
        ("Jonh", "Smith", "prospect_john_smith"),
        ("Kohn", "Smith", "prospect_john_smith"),
        ("J", "Smith", "prospect_john_smith"),
        ("Jhon", "Smith", "prospect_john_smith"),
        ("Karl", "Smith", "prospect_initial_smith"),
        ("Tina", "Smith", "prospect_christina_smith"),
        ("John", "Smythe", "prospect_john_smythe"),
        ("Smith", "John", "prospect_john_smith"),
    ],
)
def test_lookup_common_names_finds_variant(customer, first_name, last_name, expected):
    candidate = Person(first_name=first_name, last_name=last_name)

    assert expected in matched_ids(customer, candidate)


def test_lookup_common_names_uses_subkeys(customer):
    candidate = Person(first_name="John", last_name="Smith")

    keys = index.lookup_keys(customer, candidate)
    found = found_ids(customer, candidate)

    assert "n:smith" not in keys
    assert "n:john" not in keys
    assert "a:smith|<jo" in keys
    assert "a:smith|1j" in keys
    assert "a:smith|^j" not in keys
    assert len(found) < 50
    assert "prospect_john_smith" in found


def test_lookup_rare_name_uses_name_key(customer):
    candidate = Person(first_name="Christina", last_name="Smith")

    keys = index.lookup_keys(customer, candidate)

    assert "n:christina" in keys
    assert "n:smith" not in keys


def test_lookup_without_common_names_skips_subkeys(customer):
    candidate = Person(first_name="Zora", last_name="Quill", email="zq@example.com")

    keys = index.lookup_keys(customer, candidate)

    assert keys == sorted(["e:zq@example.com", "n:quill", "n:zora"])


def test_lookup_contact_key_bypasses_names(customer):
    index.save_person(
        customer, "prospect_mail", Person("Ann", "Other", email="ann.q@example.com")
    )

    found = found_ids(customer, Person("John", "Smith", email="ann.q@example.com"))

    assert "prospect_mail" in found


def test_search_keys_store_subkeys():
    keys = index.search_keys(Person(first_name="Robert", last_name="Smith"))

    assert "n:smith" in keys
    assert "a:smith|<ro" in keys
    assert "a:smith|>rt" in keys
    assert "a:smith|=rt" in keys
    assert "a:smith|^r" in keys
    assert "a:smith|~robert" in keys
    assert "a:robert|<sm" in keys
    assert "a:smith|1r" not in keys


def test_stored_keys_match_search_keys(customer):
    stored = set(
        IndexedApplicantKey.objects.filter(
            applicant__jazzhr_applicant_id="prospect_robert_smith"
        ).values_list("key", flat=True)
    )

    assert stored == set(index.search_keys(Person("Robert", "Smith")))
