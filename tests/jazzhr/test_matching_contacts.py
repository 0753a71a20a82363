"""Canonical emails, phone numbers and LinkedIn slugs used by the matcher."""

from __future__ import annotations

import pytest

from integrations.jazzhr.matching import canonical_email, linkedin_slug, phone_digits


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  Jane.Doe@Example.COM ", "jane.doe@example.com"),
        ("jane.doe@example.com", "jane.doe@example.com"),
        ("j.a.n.e.doe@gmail.com", "janedoe@gmail.com"),
        ("JaneDoe+jobs@Gmail.com", "janedoe@gmail.com"),
        ("jane.doe+linkedin@googlemail.com", "janedoe@gmail.com"),
        ("mailto:jane@example.com", "jane@example.com"),
    ],
)
def test_canonical_email_forms(raw, expected):
    assert canonical_email(raw) == expected


def test_canonical_email_keeps_dots_outside_gmail():
    assert canonical_email("jane.doe@outlook.com") != canonical_email(
        "janedoe@outlook.com"
    )


def test_canonical_email_keeps_tags_outside_gmail():
    assert canonical_email("jane+x@outlook.com") == "jane+x@outlook.com"


@pytest.mark.parametrize("raw", ["", "   ", "n/a", "jane@", "@example.com", "a@b"])
def test_canonical_email_invalid_is_empty(raw):
    assert canonical_email(raw) == ""


@pytest.mark.parametrize(
    "raw",
    [
        "(212) 555-0134",
        "212-555-0134",
        "212.555.0134",
        "+1 212 555 0134",
        "1-212-555-0134",
        "+12125550134",
        "2125550134",
        "001 212 555 0134",
        "(212) 555-0134 ext. 12",
    ],
)
def test_phone_digits_us_formats(raw):
    assert phone_digits(raw) == "2125550134"


@pytest.mark.parametrize(
    "raw",
    ["+44 20 7946 0958", "0044 20 7946 0958", "011 44 20 7946 0958", "020 7946 0958"],
)
def test_phone_digits_uk_formats(raw):
    assert phone_digits(raw) == "2079460958"


def test_phone_digits_drops_trunk_prefix():
    assert phone_digits("01512 3456789") == phone_digits("+49 1512 3456789")


def test_phone_digits_unparsable_last_ten():
    assert phone_digits("tel 9 9 1234 5678 90 12") == "3456789012"


@pytest.mark.parametrize("raw", ["", "n/a", "12345", "555-01"])
def test_phone_digits_short_is_empty(raw):
    assert phone_digits(raw) == ""


def test_phone_digits_default_region():
    assert phone_digits("020 7946 0958", default_region="GB") == "2079460958"


@pytest.mark.parametrize(
    "raw",
    [
        "https://www.linkedin.com/in/jane-doe-123/?trk=x",
        "http://linkedin.com/in/jane-doe-123",
        "linkedin.com/in/jane-doe-123",
        "www.linkedin.com/in/Jane-Doe-123/",
        "https://uk.linkedin.com/in/jane-doe-123",
        "https://www.linkedin.com/in/JANE-DOE-123/details/experience/",
        "  https://linkedin.com/in/jane-doe-123#contact ",
    ],
)
def test_linkedin_slug_forms(raw):
    assert linkedin_slug(raw) == "jane-doe-123"


def test_linkedin_slug_decodes_percent_escapes():
    assert linkedin_slug("https://www.linkedin.com/in/jos%C3%A9-garc%C3%ADa") == (
        "josé-garcía"
    )


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "jane-doe-123",
        "https://www.linkedin.com/company/acme",
        "https://example.com/in/jane-doe-123",
        "https://notlinkedin.com/in/jane-doe-123",
    ],
)
def test_linkedin_slug_other_urls_are_empty(raw):
    assert linkedin_slug(raw) == ""
