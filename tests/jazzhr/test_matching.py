"""Tiers, scores, reasons and ranking of candidate/applicant matches."""

from __future__ import annotations

import pytest

from integrations.jazzhr.matching import Match, Person, Tier, compare, rank_matches

JANE = Person(
    first_name="Jane",
    last_name="Doe",
    email="jane.doe@example.com",
    phone="(212) 555-0134",
    linkedin_url="https://www.linkedin.com/in/jane-doe-77/",
)


def jane(**changes: str) -> Person:
    fields = {
        "first_name": JANE.first_name,
        "last_name": JANE.last_name,
        "email": JANE.email,
        "phone": JANE.phone,
        "linkedin_url": JANE.linkedin_url,
    }
    fields.update(changes)
    return Person(**fields)


def test_compare_same_email_is_strong():
    match = compare(Person(email=" Jane.Doe@Example.com"), JANE, "prospect_1")

    assert match.tier is Tier.STRONG
    assert match.reasons[0] == "same email"


def test_compare_gmail_dots_are_strong():
    candidate = Person("Jane", "Doe", email="j.a.n.e.doe+jobs@googlemail.com")
    applicant = Person("Jane", "Doe", email="janedoe@gmail.com")

    match = compare(candidate, applicant)

    assert match.tier is Tier.STRONG
    assert match.reasons[0] == (
        "same email ignoring Gmail dots, +tag and googlemail.com"
    )


def test_compare_same_linkedin_is_strong():
    candidate = Person(linkedin_url="linkedin.com/in/JANE-DOE-77?trk=x")

    match = compare(candidate, JANE)

    assert match.tier is Tier.STRONG
    assert match.reasons == ("same LinkedIn profile",)


def test_compare_phone_and_name_strong():
    candidate = Person("Jane", "Doe", phone="+1 212 555 0134")

    match = compare(candidate, JANE)

    assert match.tier is Tier.STRONG
    assert match.reasons == ("same phone", "same name")


def test_compare_phone_other_name_possible():
    candidate = Person("Jane", "Roe", phone="212.555.0134")

    match = compare(candidate, JANE)

    assert match.tier is Tier.POSSIBLE
    assert match.reasons == ("same phone", "different surname")


def test_compare_household_phone_dropped():
    candidate = Person("Mark", "Doe", email="mark@example.org", phone=JANE.phone)

    assert compare(candidate, JANE) is None


def test_compare_similar_name_alone_is_possible():
    match = compare(Person("Jane", "Doe"), JANE)

    assert match.tier is Tier.POSSIBLE
    assert match.reasons == ("same name",)


def test_compare_email_dots_possible():
    candidate = Person("Jane", "Doe", email="jane.doe7@example.com")
    applicant = Person("Jane", "Doe", email="janedoe7@example.com")

    match = compare(candidate, applicant)

    assert match.tier is Tier.POSSIBLE
    assert match.reasons[0] == "same email ignoring dots"


def test_compare_email_other_domain_possible():
    candidate = Person(email="jdoe1987@example.org")
    applicant = Person("Jane", "Doe", email="jdoe1987@example.com")

    match = compare(candidate, applicant)

    assert match.tier is Tier.POSSIBLE
    assert match.reasons == ("same email user name at another domain",)


def test_compare_name_email_user_neutral():
    candidate = Person("Jane", "Doe", email="jane.doe@example.org")
    applicant = Person("Jane", "Doe", email="janedoe@example.com")

    match = compare(candidate, applicant)

    assert match.reasons == ("same name",)


def test_compare_email_user_collision_dropped():
    candidate = Person("John", "Smith", email="jsmith@acme.example")
    applicant = Person("Jane", "Smith", email="jsmith@globex.example")

    assert compare(candidate, applicant) is None


def test_compare_different_email_caps_tier():
    candidate = jane(email="jane@other.example", linkedin_url="")

    match = compare(candidate, JANE)

    assert match.tier is Tier.POSSIBLE
    assert "different email" in match.reasons


def test_compare_different_email_lowers_score():
    without_email = compare(Person("Jane", "Doe"), JANE)
    other_email = compare(Person("Jane", "Doe", email="jd@other.example"), JANE)

    assert other_email.score < without_email.score


def test_compare_different_phone_lowers_score():
    without_phone = compare(Person("Jane", "Doe"), JANE)
    other_phone = compare(Person("Jane", "Doe", phone="(415) 555-0199"), JANE)

    assert other_phone.score < without_phone.score
    assert "different phone" in other_phone.reasons


def test_compare_linkedin_beats_other_email():
    candidate = jane(email="jane@work.example")

    match = compare(candidate, JANE)

    assert match.tier is Tier.STRONG
    assert match.reasons == (
        "same LinkedIn profile",
        "same phone",
        "same name",
        "different email",
    )


def test_compare_name_change_same_email():
    match = compare(Person("Jane", "Smith", email=JANE.email), JANE)

    assert match.tier is Tier.STRONG
    assert match.reasons == ("same email", "different surname")


def test_compare_namesake_scores_low():
    namesake = Person("Jane", "Doe", "jane.d@other.example", "(312) 555-0188")

    match = compare(namesake, JANE)

    assert match.tier is Tier.POSSIBLE
    assert match.score < 0.5


def test_compare_unrelated_people_is_none():
    candidate = Person("Kwame", "Mensah", "kwame@example.org", "(617) 555-0100")

    assert compare(candidate, JANE) is None


@pytest.mark.parametrize(
    "field",
    ["email", "phone", "linkedin_url"],
)
def test_compare_empty_values_never_match(field):
    assert compare(Person(**{field: ""}), Person(**{field: ""})) is None


@pytest.mark.parametrize(
    ("field", "value"),
    [("email", "n/a"), ("phone", "none"), ("phone", "0"), ("linkedin_url", "-")],
)
def test_compare_placeholders_never_match(field, value):
    assert compare(Person(**{field: value}), Person(**{field: value})) is None


def test_compare_empty_people_is_none():
    assert compare(Person(), Person()) is None


def test_compare_score_is_within_bounds():
    candidates = [
        JANE,
        jane(first_name="J."),
        jane(email="", phone="", linkedin_url=""),
        Person("Jane", "Doe", "x@other.example", "(415) 555-0100"),
    ]

    scores = [compare(candidate, JANE).score for candidate in candidates]

    assert max(scores) <= 1.0
    assert min(scores) >= 0.0


def test_compare_keeps_applicant_id():
    assert compare(JANE, JANE, "prospect_42").applicant_id == "prospect_42"


def test_compare_is_symmetric_in_tier():
    candidate = Person("Bob", "Smith", phone="212-555-0134")
    applicant = Person("Robert", "Smith", phone="+12125550134")

    forward = compare(candidate, applicant)
    backward = compare(applicant, candidate)

    assert forward.tier is backward.tier
    assert forward.score == backward.score


def test_rank_matches_order():
    applicants = [
        ("b_namesake", Person("Jane", "Doe", email="other@example.org")),
        ("c_name_only", Person("Jane", "Doe")),
        ("a_name_only", Person("Jane", "Doe")),
        ("d_linkedin", Person(linkedin_url=JANE.linkedin_url)),
        ("e_email", Person("Jane", "Doe", email=JANE.email)),
        ("f_unrelated", Person("Kwame", "Mensah")),
    ]

    ranked = rank_matches(JANE, applicants)

    assert [match.applicant_id for match in ranked] == [
        "e_email",
        "d_linkedin",
        "a_name_only",
        "c_name_only",
        "b_namesake",
    ]


def test_rank_matches_sort_order_is_consistent():
    applicants = [(f"prospect_{index}", jane(phone="")) for index in range(3)]
    applicants.append(("prospect_9", Person("Jane", "Doe")))

    ranked = rank_matches(JANE, applicants)

    assert ranked == sorted(ranked, key=_expected_sort_key)


def _expected_sort_key(match: Match) -> tuple[int, float, str]:
    return (match.tier is not Tier.STRONG, -match.score, match.applicant_id)


def test_rank_matches_limit():
    applicants = [(f"prospect_{index}", Person("Jane", "Doe")) for index in range(20)]

    assert len(rank_matches(JANE, applicants, limit=5)) == 5


def test_rank_matches_empty_pool():
    assert rank_matches(JANE, []) == []
