"""Index keys and JazzHR name searches that find an applicant's possible duplicates."""

from __future__ import annotations

import re
import unicodedata

from unidecode import unidecode

from integrations.jazzhr.matching.names import AFFIXES, PARTICLES, split_full_name
from integrations.jazzhr.matching.prepared import prepare
from integrations.jazzhr.matching.records import Person

MAX_SEARCH_NAMES = 3
MIN_SEARCH_NAME_LENGTH = 2

# Quotes split words here: "O'Brien" is searched as "Brien", which JazzHR finds
# inside "O'Brien", "OBrien" and "O Brien" alike.
_WORD_SEPARATORS = re.compile(r"[\W_]+")


def blocking_keys(person: Person) -> set[str]:
    """Return the index keys under which a person must be findable.

    Any pair that `compare` matches shares at least one key: "e:" the canonical
    email, "u:" the email user name without dots or +tag, "p:" the phone digits,
    "l:" the LinkedIn slug, and "n:" each name form of either name field. A name
    match always shares a form in one name part, which is why typos and nicknames
    need no keys of their own.
    """
    prepared = prepare(person)
    keys = {"n:" + form for form in prepared.first.forms | prepared.last.forms}
    contact_keys = {
        "e:": prepared.email.canonical,
        "u:": prepared.email.local_key,
        "p:": prepared.phone,
        "l:": prepared.linkedin,
    }
    keys.update(prefix + value for prefix, value in contact_keys.items() if value)
    return keys


def search_names(candidate: Person) -> list[str]:
    """Return name fragments for JazzHR's substring `name` filter, most selective first.

    The first surname word comes first, then its accent-free spelling. JazzHR matches
    a fragment against first or last name, so a surname search also finds applicants
    whose names were entered swapped. The first name follows for applicants whose
    surname changed or was misspelt.
    """
    first, last = split_full_name(candidate.first_name, candidate.last_name)
    surname_words = _search_words(last)
    fragments = []
    if surname_words:
        fragments.extend([surname_words[0], unidecode(surname_words[0]).strip()])
    fragments.extend(_search_words(first)[:1])
    fragments.extend(surname_words[1:])
    return _deduplicate(fragments)[:MAX_SEARCH_NAMES]


def _search_words(raw: str) -> list[str]:
    text = unicodedata.normalize("NFC", raw or "")
    words = [word for word in _WORD_SEPARATORS.split(text) if word]
    # One Latin letter is an initial, but one CJK character can be a whole surname.
    words = [
        word
        for word in words
        if len(word) >= MIN_SEARCH_NAME_LENGTH or not word.isascii()
    ]
    stems = [word for word in words if _fold(word) not in PARTICLES | AFFIXES]
    return stems or words


def _fold(word: str) -> str:
    return unidecode(word).casefold()


def _deduplicate(fragments: list[str]) -> list[str]:
    seen = set()
    unique = []
    for fragment in fragments:
        key = fragment.casefold()
        if key in seen:
            continue
        seen.add(key)
        unique.append(fragment)
    return unique
