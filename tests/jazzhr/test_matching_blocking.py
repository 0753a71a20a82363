"""Blocking keys for the applicant index, and name searches for JazzHR's filter."""

from __future__ import annotations

import pytest

from bench.matching_dataset import build_pairs
from integrations.jazzhr.matching import Person, blocking_keys, compare, search_names

MAX_KEYS = 12


@pytest.fixture(scope="module")
def labelled_pairs():
    return build_pairs(seed=7, per_kind=8)


def test_blocking_keys_cover_every_field():
    person = Person(
        "Anna",
        "van der Berg",
        "Anna.vdBerg+jobs@gmail.com",
        "(212) 555-0134",
        "https://www.linkedin.com/in/anna-vdb/",
    )

    assert blocking_keys(person) == {
        "e:annavdberg@gmail.com",
        "u:annavdberg",
        "p:2125550134",
        "l:anna-vdb",
        "n:anna",
        "n:berg",
        "n:vanderberg",
    }


def test_blocking_keys_empty_person():
    assert blocking_keys(Person()) == set()


def test_blocking_keys_skip_role_mailboxes():
    keys = blocking_keys(Person(email="info@example.com"))

    assert keys == {"e:info@example.com"}


def test_blocking_keys_glued_particle_surnames():
    keys = blocking_keys(Person("Vanessa", "Vanderberg"))

    assert "n:berg" in keys
    assert "n:essa" not in keys


def test_blocking_keys_stay_few_for_long_names():
    person = Person(
        "María José",
        "García-López de la Fuente",
        "mj@example.com",
        "+34 612 34 56 78",
        "linkedin.com/in/mj",
    )

    assert len(blocking_keys(person)) <= MAX_KEYS


def test_blocking_keys_intersect_for_duplicates(labelled_pairs):
    missed = [
        (pair.kind, pair.candidate, pair.applicant)
        for pair in labelled_pairs
        if pair.is_duplicate
        and not blocking_keys(pair.candidate) & blocking_keys(pair.applicant)
    ]

    assert missed == []


def test_blocking_keys_intersect_for_every_match(labelled_pairs):
    missed = [
        (pair.kind, pair.candidate, pair.applicant)
        for pair in labelled_pairs
        if compare(pair.candidate, pair.applicant) is not None
        and not blocking_keys(pair.candidate) & blocking_keys(pair.applicant)
    ]

    assert missed == []


def test_blocking_keys_intersect_across_pairs(labelled_pairs):
    people = [pair.candidate for pair in labelled_pairs[::2]]
    people += [pair.applicant for pair in labelled_pairs[1::2]]
    keys = [blocking_keys(person) for person in people]

    missed = [
        (left, right)
        for index, left in enumerate(people)
        for other, right in enumerate(people[index + 1 :], start=index + 1)
        if not keys[index] & keys[other] and compare(left, right) is not None
    ]

    assert missed == []


def test_blocking_keys_stay_few_in_dataset(labelled_pairs):
    counts = [
        len(blocking_keys(person))
        for pair in labelled_pairs
        for person in (pair.candidate, pair.applicant)
    ]

    assert max(counts) <= MAX_KEYS


@pytest.mark.parametrize(
    ("candidate", "expected"),
    [
        (Person("John", "Smith"), ["Smith", "John"]),
        (Person("José", "García-López"), ["García", "Garcia", "José"]),
        (Person("Anna", "van der Berg"), ["Berg", "Anna"]),
        (Person("Sean", "O'Brien"), ["Brien", "Sean"]),
        (Person("John Smith", ""), ["Smith", "John"]),
        (Person("Li", "Wu"), ["Wu", "Li"]),
        (Person("Maria", "Silva Santos"), ["Silva", "Maria", "Santos"]),
        (Person("Jürgen", "Müller"), ["Müller", "Muller", "Jürgen"]),
        (Person("Cher", ""), ["Cher"]),
        (Person("伟", "王"), ["王", "Wang", "伟"]),
        (Person("J.", "Smith"), ["Smith"]),
        (Person(), []),
    ],
)
def test_search_names(candidate, expected):
    assert search_names(candidate) == expected


def test_search_names_at_most_three():
    names = search_names(Person("Ana María", "Fernández García de la Peña"))

    assert len(names) == 3
