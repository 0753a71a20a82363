"""Name variations that the matcher treats as the same person, and ones it does not."""

from __future__ import annotations

import unicodedata

import pytest

from integrations.jazzhr.matching import Person, Tier, compare


def name_match(candidate: tuple[str, str], applicant: tuple[str, str]):
    return compare(Person(*candidate), Person(*applicant), "applicant")


@pytest.mark.parametrize(
    ("candidate", "applicant", "reason"),
    [
        (("José", "García"), ("Jose", "Garcia"), "surname without accents"),
        (("Bob", "Smith"), ("Robert", "Smith"), "first name Bob ~ Robert"),
        (("Liz", "Taylor"), ("Elizabeth", "Taylor"), "first name Liz ~ Elizabeth"),
        (("Bill", "Jones"), ("William", "Jones"), "first name Bill ~ William"),
        (
            ("Chris", "Evans"),
            ("Christopher", "Evans"),
            "first name Chris ~ Christopher",
        ),
        (("Lupe", "Peña"), ("Guadalupe", "Peña"), "first name Lupe ~ Guadalupe"),
        (("J.", "Smith"), ("John", "Smith"), "first initial J. ~ John"),
        (("Jonh", "Smith"), ("John", "Smith"), "first name Jonh ~ John (typo)"),
        (("John", "Smiht"), ("John", "Smith"), "surname Smiht ~ Smith (typo)"),
        (
            ("Maria", "García-López"),
            ("Maria", "García"),
            "surname García-López ~ García",
        ),
        (("Maria", "García López"), ("Maria", "López"), "surname García López ~ López"),
        (("Anna", "van der Berg"), ("Anna", "Berg"), "surname van der Berg ~ Berg"),
        (
            ("Anna", "van der Berg"),
            ("Anna", "Vanderberg"),
            "surname van der Berg ~ Vanderberg",
        ),
        (("Anna", "Vanderberg"), ("Anna", "Berg"), "surname Vanderberg ~ Berg"),
        (("Ana", "da Silva"), ("Ana", "Silva"), "surname da Silva ~ Silva"),
        (("Sean", "O Brien"), ("Sean", "O'Brien"), "surname O Brien ~ OBrien"),
        (("Smith", "John"), ("John", "Smith"), "first and last name swapped"),
        (("Mary Ann", "Smith"), ("Maryann", "Smith"), "first name Mary Ann ~ Maryann"),
        (("Jean-Pierre", "Roux"), ("Jean", "Roux"), "first name Jean-Pierre ~ Jean"),
    ],
)
def test_compare_name_variation(candidate, applicant, reason):
    match = name_match(candidate, applicant)

    assert match is not None
    assert match.tier is Tier.POSSIBLE
    assert reason in match.reasons


@pytest.mark.parametrize(
    ("candidate", "applicant"),
    [
        (("  JOHN  ", "smith "), ("John", "Smith")),
        (('"Bob"', "Smith'"), ("Bob", "Smith")),
        (("“Anna”", "`Kowalska`"), ("Anna", "Kowalska")),
        (("Dr. John", "Smith Jr."), ("John", "Smith")),
        (("John Smith", ""), ("John", "Smith")),
        (("", "John Smith"), ("John", "Smith")),
    ],
)
def test_compare_same_name_written_differently(candidate, applicant):
    match = name_match(candidate, applicant)

    assert match is not None
    assert match.reasons == ("same name",)


def test_compare_nfd_equals_nfc():
    nfd = unicodedata.normalize("NFD", "José Muñoz").split()
    match = name_match(tuple(nfd), ("José", "Muñoz"))

    assert match is not None
    assert match.reasons == ("same name",)


def test_compare_accents_score_below_exact():
    accented = name_match(("José", "García"), ("Jose", "Garcia"))
    exact = name_match(("José", "García"), ("José", "García"))

    assert accented.score < exact.score


def test_compare_swapped_score_below_exact():
    swapped = name_match(("Smith", "John"), ("John", "Smith"))
    exact = name_match(("John", "Smith"), ("John", "Smith"))

    assert swapped.score < exact.score


@pytest.mark.parametrize(
    ("candidate", "applicant"),
    [
        (("John", "Smith"), ("Mary", "Jones")),
        (("John", "Smith"), ("John", "Jones")),
        (("John", "Smith"), ("Mary", "Smith")),
        (("Bob", "Smiht"), ("Robert", "Smith")),
        (("J.", "Smiht"), ("John", "Smith")),
        (("Li", "Wu"), ("Lu", "Wu")),
    ],
)
def test_compare_different_names_no_match(candidate, applicant):
    assert name_match(candidate, applicant) is None


def test_compare_empty_names_no_match():
    assert name_match(("", ""), ("", "")) is None


def test_compare_single_name_part_no_match():
    assert name_match(("John", ""), ("John", "")) is None
