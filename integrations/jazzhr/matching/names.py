"""Normalised forms of name fields and the rules that call two names similar."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from nicknames import NickNamer
from rapidfuzz.distance import OSA
from unidecode import unidecode

# Straight, curly and angle quotes that are pasted around or into names.
QUOTE_CHARACTERS = "'\"`´‘’‚‛“”„‟«»‹›ʼ＂＇"
_REMOVE_QUOTES = str.maketrans("", "", QUOTE_CHARACTERS)
_SEPARATORS = re.compile(r"[\W_]+")

# Lower-case surname particles, dropped when comparing surname stems so that
# "van der Berg" and "García y López" compare on "berg" and "garcia", "lopez".
PARTICLES = frozenset(
    {
        "al",
        "bin",
        "da",
        "das",
        "de",
        "degli",
        "dei",
        "del",
        "della",
        "den",
        "der",
        "des",
        "di",
        "do",
        "dos",
        "du",
        "e",
        "el",
        "ibn",
        "la",
        "le",
        "los",
        "ten",
        "ter",
        "van",
        "von",
        "y",
        "zu",
    }
)
# Particle runs that are often written glued to the surname ("Vanderberg").
GLUED_PARTICLES = ("vander", "vanden", "vande", "vonder", "dela", "della", "van", "von")
MIN_GLUED_STEM_LENGTH = 4

# Titles and generational suffixes, dropped when other name tokens remain.
AFFIXES = frozenset(
    {"dr", "ii", "iii", "iv", "jr", "md", "mr", "mrs", "ms", "mx", "phd", "prof", "sr"}
)
MIN_SHORT_FORM_LENGTH = 3
MIN_END_FORM_LENGTH = 4
SWAPPED_FACTOR = 0.92

# NOTE: the nicknames 1.0.1 dataset covers English given names only, so familiar
# forms such as Pepe (José), Sasha (Aleksandr) or Kasia (Katarzyna) do not match.
_nicknamer = NickNamer()


@dataclass(frozen=True, slots=True)
class NameField:
    """One name field (first or last) in the forms the comparisons use.

    `tokens` are ASCII, case-folded and without titles or suffixes, and `first` is
    the first of them. `forms` are the
    stems that `blocking_keys` indexes: every token of two or more letters that is
    not a particle, the tokens joined without spaces, and that joined form without a
    glued particle prefix. Two fields that share a form are "anchored".
    """

    display: str = ""
    folded: str = ""
    ascii: str = ""
    tokens: tuple[str, ...] = ()
    compact: str = ""
    stems: frozenset[str] = frozenset()
    forms: frozenset[str] = frozenset()
    nickname_group: frozenset[str] = frozenset()
    first: str = ""


class PartMatch(NamedTuple):
    """Similarity of one name part: a score in (0, 1] and the reason to show, if any."""

    score: float
    reason: str = ""


class NameMatch(NamedTuple):
    score: float
    reasons: tuple[str, ...]


def clean_display(raw: str) -> str:
    """Return the name with quotes removed and whitespace collapsed, in NFC."""
    text = unicodedata.normalize("NFC", (raw or "").translate(_REMOVE_QUOTES))
    return " ".join(text.split())


def split_full_name(first: str, last: str) -> tuple[str, str]:
    """Split a full name typed into a single field into first and last name."""
    if first.strip() and last.strip():
        return first, last
    full = (first or last).split()
    if len(full) < 2:
        return first, last
    return " ".join(full[:-1]), full[-1]


@lru_cache(maxsize=65536)
def prepare_name_field(raw: str, is_surname: bool) -> NameField:
    display = clean_display(raw)
    folded_tokens = _folded_tokens(display)
    if not folded_tokens:
        return NameField(display=display)
    ascii_tokens = _ascii_tokens(folded_tokens)
    compact = "".join(ascii_tokens)
    stems = _stems(ascii_tokens, compact, is_surname)
    return NameField(
        display=display,
        folded=" ".join(folded_tokens),
        ascii=" ".join(ascii_tokens),
        tokens=ascii_tokens,
        compact=compact,
        stems=stems,
        forms=_forms(stems, compact),
        nickname_group=_nickname_group(ascii_tokens[0]),
        first=ascii_tokens[0],
    )


def _folded_tokens(display: str) -> tuple[str, ...]:
    folded = unicodedata.normalize("NFKC", display).casefold()
    tokens = [token for token in _SEPARATORS.split(folded) if token]
    without_affixes = [
        token for token in tokens if unidecode(token).strip() not in AFFIXES
    ]
    return tuple(without_affixes or tokens)


def _ascii_tokens(folded_tokens: tuple[str, ...]) -> tuple[str, ...]:
    ascii_tokens = []
    for token in folded_tokens:
        ascii_text = unidecode(token).casefold()
        ascii_tokens.extend(part for part in _SEPARATORS.split(ascii_text) if part)
    return tuple(ascii_tokens) or folded_tokens


def _stems(tokens: tuple[str, ...], compact: str, is_surname: bool) -> frozenset[str]:
    stems = {token for token in tokens if token not in PARTICLES and len(token) > 1}
    if not stems:
        stems = {compact} if len(compact) > 1 else set()
    # Only surnames: given names such as "Vanessa" start with the same letters.
    glued_stem = _strip_glued_particle(compact) if is_surname else ""
    if glued_stem:
        stems.add(glued_stem)
    return frozenset(stems)


def _strip_glued_particle(compact: str) -> str:
    for prefix in GLUED_PARTICLES:
        stem = compact.removeprefix(prefix)
        if stem != compact and len(stem) >= MIN_GLUED_STEM_LENGTH:
            return stem
    return ""


def _forms(stems: frozenset[str], compact: str) -> frozenset[str]:
    if len(compact) > 1:
        return stems | {compact}
    return stems


def _nickname_group(name: str) -> frozenset[str]:
    if len(name) < 2:
        return frozenset()
    return frozenset(_nicknamer.canonicals_of(name) | {name})


def email_handles(first: NameField, last: NameField) -> frozenset[str]:
    """Return the email user names spelt from the name alone ("janedoe", "jdoe").

    Namesakes share such user names at different domains, so a match on one adds
    nothing to the name match.
    """
    given_name, family_name = first.compact, last.compact
    if not (given_name and family_name):
        return frozenset(name for name in (given_name, family_name) if name)
    return frozenset(
        {
            given_name,
            family_name,
            given_name + family_name,
            family_name + given_name,
            given_name[0] + family_name,
            given_name + family_name[0],
            family_name + given_name[0],
        }
    )


def typo_limit(length: int) -> int:
    """Return the edits allowed for a name of this length to count as a typo."""
    if length <= 3:
        return 0
    if length <= 7:
        return 1
    return 2


def is_typo(left: str, right: str) -> bool:
    """Tell whether two different names are within a few typing errors.

    Uses the optimal string alignment distance, so a swap of two adjacent letters
    ("Jonh") is one edit.
    """
    limit = typo_limit(max(len(left), len(right)))
    if limit == 0:
        return False
    return OSA.distance(left, right, score_cutoff=limit) <= limit


def compare_first_names(candidate: NameField, applicant: NameField) -> PartMatch | None:
    if candidate.folded == applicant.folded:
        if len(candidate.compact) == 1:
            return PartMatch(0.8, f"same first initial {candidate.display}")
        return PartMatch(1.0)
    if candidate.ascii == applicant.ascii:
        return PartMatch(0.97, "first name without accents")
    similarity = _first_name_similarity(candidate, applicant)
    if similarity is None:
        return None
    score, rule = similarity
    label = f"{candidate.display} ~ {applicant.display}"
    if rule == "typo":
        return PartMatch(score, f"first name {label} (typo)")
    return PartMatch(score, f"{rule} {label}")


def _first_name_similarity(
    candidate: NameField, applicant: NameField
) -> tuple[float, str] | None:
    """Return the score and the reason's rule name for two different first names."""
    first, other = candidate.first, applicant.first
    if candidate.compact == applicant.compact:
        return 0.95, "first name"
    if first == other and len(first) > 1:
        return 0.9, "first name"
    if not candidate.nickname_group.isdisjoint(applicant.nickname_group):
        return 0.9, "first name"
    shorter, longer = (first, other) if len(first) <= len(other) else (other, first)
    if len(shorter) == 1:
        return (0.75, "first initial") if longer.startswith(shorter) else None
    if len(shorter) >= MIN_SHORT_FORM_LENGTH and longer.startswith(shorter):
        return 0.85, "first name"
    # Short forms also keep the end of a name: Lupe, Hannes, Tina.
    if len(shorter) >= MIN_END_FORM_LENGTH and longer.endswith(shorter):
        return 0.8, "first name"
    if not candidate.stems.isdisjoint(applicant.stems):
        return 0.8, "first name"
    if is_typo(first, other):
        return 0.8, "typo"
    return None


def compare_surnames(candidate: NameField, applicant: NameField) -> PartMatch | None:
    if candidate.folded == applicant.folded:
        return PartMatch(1.0)
    if candidate.ascii == applicant.ascii:
        return PartMatch(0.97, "surname without accents")
    label = f"surname {candidate.display} ~ {applicant.display}"
    if candidate.compact == applicant.compact:
        return PartMatch(0.95, label)
    if candidate.stems and applicant.stems:
        if candidate.stems <= applicant.stems or applicant.stems <= candidate.stems:
            return PartMatch(0.9, label)
    if is_typo(candidate.compact, applicant.compact):
        return PartMatch(0.85, f"{label} (typo)")
    return None


def compare_names(
    candidate: tuple[NameField, NameField], applicant: tuple[NameField, NameField]
) -> NameMatch | None:
    """Compare (first, last) name pairs, also with the candidate's fields swapped.

    Both parts must be similar, and at least one part must share a form with its
    counterpart, so that two weak resemblances (a nickname and a typo) never add up
    to a match and every match shares a blocking key.
    """
    direct = _compare_oriented(candidate, applicant)
    if direct is not None and direct.score >= SWAPPED_FACTOR:
        return direct
    swapped = _compare_oriented((candidate[1], candidate[0]), applicant)
    if swapped is None:
        return direct
    swapped = NameMatch(
        swapped.score * SWAPPED_FACTOR,
        ("first and last name swapped", *swapped.reasons),
    )
    if direct is None or swapped.score > direct.score:
        return swapped
    return direct


def _compare_oriented(
    candidate: tuple[NameField, NameField], applicant: tuple[NameField, NameField]
) -> NameMatch | None:
    (candidate_first, candidate_last), (applicant_first, applicant_last) = (
        candidate,
        applicant,
    )
    if candidate_first.forms.isdisjoint(
        applicant_first.forms
    ) and candidate_last.forms.isdisjoint(applicant_last.forms):
        return None
    if not (candidate_first.tokens and candidate_last.tokens):
        return None
    if not (applicant_first.tokens and applicant_last.tokens):
        return None
    first = compare_first_names(candidate_first, applicant_first)
    if first is None:
        return None
    last = compare_surnames(candidate_last, applicant_last)
    if last is None:
        return None
    reasons = tuple(reason for reason in (first.reason, last.reason) if reason)
    return NameMatch(first.score * last.score, reasons or ("same name",))


class NameDifference(NamedTuple):
    """Reasons that describe two dissimilar names, and whether a part still matches."""

    reasons: tuple[str, ...]
    has_similar_part: bool


def describe_name_difference(
    candidate: tuple[NameField, NameField], applicant: tuple[NameField, NameField]
) -> NameDifference:
    """Describe two names that `compare_names` does not match, part by part.

    Both parts can still be similar when neither shares a form, as in "Bob Smyth"
    and "Robert Smith".
    """
    first = _compare_part(candidate[0], applicant[0], compare_first_names)
    last = _compare_part(candidate[1], applicant[1], compare_surnames)
    if first and last:
        reasons = (first.reason, last.reason)
    elif first:
        reasons = (first.reason, "different surname")
    elif last:
        reasons = ("different first name", last.reason)
    else:
        reasons = ("different name",)
    return NameDifference(
        tuple(reason for reason in reasons if reason),
        has_similar_part=first is not None or last is not None,
    )


def _compare_part(
    candidate: NameField,
    applicant: NameField,
    compare: Callable[[NameField, NameField], PartMatch | None],
) -> PartMatch | None:
    if not (candidate.tokens and applicant.tokens):
        return None
    return compare(candidate, applicant)
