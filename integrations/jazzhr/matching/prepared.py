"""Per-person normalised forms, computed once and cached."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from integrations.jazzhr.matching.contacts import (
    EmailAddress,
    linkedin_slug,
    parse_email,
    phone_digits,
)
from integrations.jazzhr.matching.names import (
    NameField,
    email_handles,
    prepare_name_field,
    split_full_name,
)
from integrations.jazzhr.matching.records import Person

# About 1.8 KB per cached person (tracemalloc, generated benchmark names), so the
# cache stays under about 90 MB. Evicted people are prepared again in about 30 µs.
PREPARED_CACHE_SIZE = 50_000


@dataclass(frozen=True, slots=True)
class PreparedPerson:
    first: NameField
    last: NameField
    email: EmailAddress
    phone: str
    linkedin: str
    name_forms: frozenset[str]
    email_handles: frozenset[str]

    @property
    def names(self) -> tuple[NameField, NameField]:
        return self.first, self.last

    @property
    def has_name(self) -> bool:
        return bool(self.first.tokens or self.last.tokens)


@lru_cache(maxsize=PREPARED_CACHE_SIZE)
def prepare(person: Person) -> PreparedPerson:
    """Normalise a person's fields for `compare` and cache the result per person.

    A full name typed into one name field is split on its last space.
    """
    first_name, last_name = split_full_name(person.first_name, person.last_name)
    first = prepare_name_field(first_name, is_surname=False)
    last = prepare_name_field(last_name, is_surname=True)
    return PreparedPerson(
        first=first,
        last=last,
        email=parse_email(person.email),
        phone=phone_digits(person.phone),
        linkedin=linkedin_slug(person.linkedin_url),
        name_forms=first.forms | last.forms,
        email_handles=email_handles(first, last),
    )
