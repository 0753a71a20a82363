"""Measure the duplicate matcher on the generated labelled pairs.

Prints a Markdown report: precision and recall overall and per tier, results per
variation kind, recall in the top 5 when each duplicate is ranked among distractors,
blocking-key recall and comparison speed.

Usage: .venv/bin/python bench/matching_quality.py [--seed N] [--output FILE]
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import random
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from matching_dataset import (
    DEFAULT_SEED,
    DISTRACTORS_PER_POOL,
    IdentityFactory,
    LabelledPair,
    build_pairs,
    build_pool,
)

from integrations.jazzhr.matching import (
    Match,
    Person,
    Tier,
    blocking_keys,
    compare,
    prepare,
    rank_matches,
)
from integrations.jazzhr.matching.names import prepare_name_field

TOP_K = 5
SPEED_COMPARISONS = 100_000
SPEED_REPEATS = 3


@dataclass(frozen=True)
class Outcome:
    """The matcher's results for one labelled pair.

    `in_top_k` is None for non-duplicates, which are not ranked.
    """

    pair: LabelledPair
    match: Match | None
    name_only_match: Match | None
    keys_intersect: bool
    in_top_k: bool | None


def evaluate_pairs(
    pairs: list[LabelledPair], factory: IdentityFactory
) -> list[Outcome]:
    outcomes = []
    for pair in pairs:
        keys_intersect = bool(
            blocking_keys(pair.candidate) & blocking_keys(pair.applicant)
        )
        outcomes.append(
            Outcome(
                pair=pair,
                match=compare(pair.candidate, pair.applicant, "applicant"),
                name_only_match=compare(
                    _names_only(pair.candidate), _names_only(pair.applicant)
                ),
                keys_intersect=keys_intersect,
                in_top_k=_is_in_top_k(pair, factory) if pair.is_duplicate else None,
            )
        )
    return outcomes


def _names_only(person: Person) -> Person:
    return Person(person.first_name, person.last_name)


def _is_in_top_k(pair: LabelledPair, factory: IdentityFactory) -> bool:
    pool = build_pool(pair, factory)
    applicant_id = pool[0][0]
    shuffled = factory.rng.sample(pool, len(pool))
    ranked = rank_matches(pair.candidate, shuffled, TOP_K)
    return applicant_id in {match.applicant_id for match in ranked}


def _ratio(part: int, whole: int) -> str:
    if whole == 0:
        return "n/a"
    return f"{part / whole:.3f}"


def overall_section(outcomes: list[Outcome]) -> list[str]:
    duplicates = sum(outcome.pair.is_duplicate for outcome in outcomes)
    lines = [
        "## Pairs",
        "",
        f"{len(outcomes)} pairs: {duplicates} duplicates, "
        f"{len(outcomes) - duplicates} non-duplicates.",
        "",
        "| Predicted | Pairs | True duplicates | Precision | Recall of duplicates |",
        "|---|---:|---:|---:|---:|",
    ]
    for label, tiers in (
        ("strong", {Tier.STRONG}),
        ("possible", {Tier.POSSIBLE}),
        ("strong or possible", {Tier.STRONG, Tier.POSSIBLE}),
    ):
        predicted = [o for o in outcomes if o.match and o.match.tier in tiers]
        correct = sum(o.pair.is_duplicate for o in predicted)
        lines.append(
            f"| {label} | {len(predicted)} | {correct} "
            f"| {_ratio(correct, len(predicted))} | {_ratio(correct, duplicates)} |"
        )
    return lines


def top_k_section(outcomes: list[Outcome]) -> list[str]:
    duplicates = [o for o in outcomes if o.pair.is_duplicate]
    sharing = [o for o in duplicates if _shares_contact_value(o.pair)]
    not_sharing = [o for o in duplicates if not _shares_contact_value(o.pair)]
    lines = [
        f"## Recall in the top {TOP_K}",
        "",
        "Each duplicate's candidate is ranked with `rank_matches` against its "
        f"applicant and {DISTRACTORS_PER_POOL} distractors: half are namesakes with "
        "the applicant's exact name, the others share its first name or surname, "
        "and each has its own contacts. Applicant ids are shuffled, so ties are not "
        "broken in the applicant's favour.",
        "",
        f"| Duplicates | Candidates | In top {TOP_K} |",
        "|---|---:|---:|",
    ]
    for label, group in (
        ("all", duplicates),
        ("sharing an email, phone or LinkedIn profile", sharing),
        ("sharing no contact value", not_sharing),
    ):
        hits = sum(bool(o.in_top_k) for o in group)
        lines.append(f"| {label} | {len(group)} | {_ratio(hits, len(group))} |")
    return lines


def _shares_contact_value(pair: LabelledPair) -> bool:
    """Tell whether both sides hold the same email, phone or LinkedIn profile."""
    candidate = prepare(pair.candidate)
    applicant = prepare(pair.applicant)
    values = (
        (candidate.email.canonical, applicant.email.canonical),
        (candidate.phone, applicant.phone),
        (candidate.linkedin, applicant.linkedin),
    )
    return any(left and left == right for left, right in values)


def kind_section(outcomes: list[Outcome]) -> list[str]:
    by_kind: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        by_kind[outcome.pair.kind].append(outcome)
    lines = [
        "## Per variation kind",
        "",
        "For duplicate kinds the rates are recall; for the others they are false "
        "matches. *Names only* compares the same pairs with every contact field "
        f"removed, which isolates the name rules. *Top {TOP_K}* is the ranking "
        "recall above.",
        "",
        "| Kind | Duplicate | Pairs | Matched | Strong | Possible | Names only "
        f"| Top {TOP_K} | Mean score |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for kind, group in by_kind.items():
        lines.append(_kind_row(kind, group))
    return lines


def _kind_row(kind: str, group: list[Outcome]) -> str:
    total = len(group)
    matches = [o.match for o in group if o.match]
    strong = sum(match.tier is Tier.STRONG for match in matches)
    names_only = sum(o.name_only_match is not None for o in group)
    mean_score = sum(match.score for match in matches) / len(matches) if matches else 0
    is_duplicate = group[0].pair.is_duplicate
    top_k = _ratio(sum(bool(o.in_top_k) for o in group), total)
    return (
        f"| {kind} | {'yes' if is_duplicate else 'no'} | {total} "
        f"| {_ratio(len(matches), total)} | {_ratio(strong, total)} "
        f"| {_ratio(len(matches) - strong, total)} | {_ratio(names_only, total)} "
        f"| {top_k if is_duplicate else '–'} | {mean_score:.3f} |"
    )


def blocking_section(outcomes: list[Outcome]) -> list[str]:
    duplicates = [o for o in outcomes if o.pair.is_duplicate]
    matched = [o for o in outcomes if o.match]
    key_counts = [
        len(blocking_keys(person))
        for o in outcomes
        for person in (o.pair.candidate, o.pair.applicant)
    ]
    return [
        "## Blocking keys",
        "",
        "| Measure | Value |",
        "|---|---:|",
        "| Duplicates whose key sets intersect "
        f"| {_ratio(sum(o.keys_intersect for o in duplicates), len(duplicates))} |",
        "| Matched pairs (any label) whose key sets intersect "
        f"| {_ratio(sum(o.keys_intersect for o in matched), len(matched))} |",
        f"| Mean keys per person | {sum(key_counts) / len(key_counts):.1f} |",
        f"| Max keys per person | {max(key_counts)} |",
    ]


def speed_section(pairs: list[LabelledPair]) -> list[str]:
    """Time `compare` on the dataset's pairs, most of which match by name."""
    people = [(pair.candidate, pair.applicant) for pair in pairs]
    prepare.cache_clear()
    prepare_name_field.cache_clear()
    cold_seconds = _time_comparisons(people)
    rounds = SPEED_COMPARISONS // len(people) + 1
    workload = (people * rounds)[:SPEED_COMPARISONS]
    timings = [_time_comparisons(workload) for _ in range(SPEED_REPEATS)]
    best = min(timings)
    return [
        "## Speed",
        "",
        f"Best of {SPEED_REPEATS} runs on the pairs above, one process.",
        "",
        "| Measure | Value |",
        "|---|---:|",
        f"| {len(people)} comparisons, preparing every person | {cold_seconds:.3f} s |",
        f"| {SPEED_COMPARISONS:,} comparisons of prepared people | {best:.3f} s |",
        f"| Per comparison | {best / SPEED_COMPARISONS * 1e6:.1f} µs |",
    ]


def _time_comparisons(people: list[tuple[Person, Person]]) -> float:
    start = time.perf_counter()
    for candidate, applicant in people:
        compare(candidate, applicant)
    return time.perf_counter() - start


def machine_section(seed: int) -> list[str]:
    return [
        "## Run",
        "",
        f"- Date: {datetime.date.today().isoformat()}",
        f"- Command: `.venv/bin/python bench/matching_quality.py --seed {seed}`",
        f"- CPU: {_cpu_model()}, {os.cpu_count()} logical CPUs (`nproc`)",
        f"- Python {platform.python_version()} on {platform.system()}",
    ]


def _cpu_model() -> str:
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return platform.processor() or "unknown"
    for line in text.splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return "unknown"


def build_report(seed: int) -> str:
    factory = IdentityFactory(random.Random(seed))
    pairs = build_pairs(factory=factory)
    outcomes = evaluate_pairs(pairs, factory)
    sections = [
        ["# Matching quality"],
        machine_section(seed),
        overall_section(outcomes),
        top_k_section(outcomes),
        blocking_section(outcomes),
        speed_section(pairs),
        kind_section(outcomes),
    ]
    return "\n\n".join("\n".join(section) for section in sections) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="dataset seed")
    parser.add_argument("--output", type=Path, help="also write the report to FILE")
    args = parser.parse_args(argv)
    report = build_report(args.seed)
    sys.stdout.write(report)
    if args.output:
        args.output.write_text(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
