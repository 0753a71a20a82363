"""A realistic demo account: a small company's jobs, recruiters and ~300 applicants.

The same seed always builds the same users, jobs and applicants. Ids of records created
at load time (the account owner, notes, activities) and their dates use the clock.
"""

from __future__ import annotations

import random
import re
from datetime import date, timedelta
from typing import Any

from integrations.jazzhr.simulator import loading
from integrations.jazzhr.simulator.ids import make_record_id
from integrations.jazzhr.simulator.records import WORKFLOW_STEPS
from integrations.jazzhr.simulator.state import Account, SimulatorStore

DEMO_SEED = 20240601
DEMO_REFERENCE_DATE = date(2025, 6, 30)
GENERATED_APPLICANTS = 286

FIRST_NAMES = (
    "Aisha", "Andre", "Anna", "Ben", "Carlos", "Chloe", "Daniel", "Deepa", "Diego",
    "Emily", "Ethan", "Fatima", "Grace", "Hannah", "Hiro", "Isabel", "Jamal", "James",
    "Julia", "Kevin", "Laura", "Leo", "Lina", "Lucas", "Maya", "Mei", "Michael",
    "Nadia", "Noah", "Olivia", "Omar", "Paul", "Priya", "Rachel", "Rafael", "Rosa",
    "Ryan", "Samir", "Sara", "Sofia", "Tariq", "Thomas", "Tomas", "Valentina",
    "Victor", "Yara", "Yusuf", "Zara",
)  # fmt: skip
LAST_NAMES = (
    "Adams", "Ahmed", "Baker", "Brooks", "Campbell", "Chowdhury", "Cohen", "Diaz",
    "Edwards", "Evans", "Fischer", "Flores", "Gupta", "Hall", "Hansen", "Hughes",
    "Ibrahim", "Jensen", "Khan", "Kowalski", "Lee", "Martin", "Mendes", "Morgan",
    "Nakamura", "Nguyen", "Novak", "Okafor", "Olsen", "Patel", "Perez", "Reed",
    "Rossi", "Santos", "Schmidt", "Shah", "Silva", "Singh", "Sullivan", "Tanaka",
    "Torres", "Walker", "Wang", "Weber", "Wright", "Yamamoto", "Young", "Zhang",
)  # fmt: skip
PLACES = (
    ("Pittsburgh", "PA", "15222"),
    ("Austin", "TX", "78701"),
    ("Chicago", "IL", "60601"),
    ("New York", "NY", "10001"),
    ("Denver", "CO", "80202"),
    ("Boston", "MA", "02108"),
    ("Seattle", "WA", "98101"),
    ("Atlanta", "GA", "30303"),
)
AREA_CODES = ("412", "512", "312", "212", "303", "617", "206", "404", "720", "737")
EMAIL_DOMAINS = ("gmail.com", "outlook.com", "yahoo.com", "example.com", "proton.me")
SOURCES = ("Indeed", "LinkedIn", "Referral", "Company Website", "Glassdoor", "")
# Weights of the workflow steps drawn for applicants, in WORKFLOW_STEPS order.
STEP_WEIGHTS = (50, 20, 10, 8, 3, 2, 7)

DEMO_USERS = (
    ("Priya", "Raman", "Recruiter"),
    ("Marcus", "Bell", "Manager"),
    ("Elena", "Ruiz", "Manager"),
    ("Tom", "Becker", "Deactivated"),
)

# (title, department, place index, status, confidential, private)
DEMO_JOBS = (
    ("Senior Backend Engineer", "Engineering", 0, "Open", False, False),
    ("Frontend Engineer", "Engineering", 1, "Open", False, False),
    ("Data Analyst", "Analytics", 2, "Open", False, False),
    ("Product Designer", "Design", 3, "On Hold", False, False),
    ("Customer Success Manager", "Customer Success", 4, "Open", False, False),
    ("Account Executive", "Sales", 5, "Open", False, False),
    ("Head of People", "People", 0, "Open", True, False),
    ("VP of Engineering", "Engineering", 0, "Open", True, True),
    ("Office Coordinator", "Operations", 0, "Closed", False, False),
    ("QA Engineer", "Engineering", 1, "Filled", False, False),
    ("Recruiting Coordinator", "People", 0, "Drafting", False, True),
    ("Sales Development Representative", "Sales", 5, "Open", False, False),
)


def build_demo_account(
    store: SimulatorStore,
    api_key: str | None = None,
    seed: int = DEMO_SEED,
    reference_date: date = DEMO_REFERENCE_DATE,
) -> Account:
    """Create an account with demo data and return it. Raise AccountExists.

    Apply dates fall in the 180 days before ``reference_date``.
    """
    rng = random.Random(seed)
    with store.lock:
        account = store.create_account(api_key)
        user_ids = loading.load_users(account, demo_users(rng, reference_date))
        jobs = demo_jobs(rng, user_ids, reference_date)
        job_ids = loading.load_jobs(account, jobs)
        applicants = demo_applicants(rng, job_ids, jobs, reference_date)
        applicant_ids = loading.load_applicants(account, applicants)
        add_demo_activity(rng, account, applicant_ids)
    return account


def _timestamp(day: date, rng: random.Random) -> str:
    seconds = rng.randrange(8 * 3600, 19 * 3600)
    return (
        f"{day:%Y%m%d}{seconds // 3600:02d}{seconds // 60 % 60:02d}{seconds % 60:02d}"
    )


def demo_users(rng: random.Random, reference_date: date) -> list[dict[str, str]]:
    users = []
    for first_name, last_name, user_type in DEMO_USERS:
        created = reference_date - timedelta(days=rng.randrange(200, 900))
        users.append(
            {
                "id": make_record_id("usr", rng, _timestamp(created, rng)),
                "type": user_type,
                "first_name": first_name,
                "last_name": last_name,
                "email": f"{first_name.lower()}.{last_name.lower()}@example.com",
                "date_created": created.isoformat(),
            }
        )
    return users


def demo_jobs(
    rng: random.Random, user_ids: list[str], reference_date: date
) -> list[dict[str, Any]]:
    recruiter_id, *hiring_leads, _ = user_ids
    jobs = []
    for title, department, place, status, confidential, private in DEMO_JOBS:
        city, state, postal = PLACES[place]
        opened = reference_date - timedelta(days=rng.randrange(30, 240))
        minimum = rng.randrange(50, 140) * 1000
        jobs.append(
            {
                "id": make_record_id("job", rng, _timestamp(opened, rng)),
                "title": title,
                "department": department,
                "city": city,
                "state": state,
                "zip": postal,
                "status": status,
                "confidential": confidential,
                "private": private,
                "recruiter": recruiter_id,
                "hiring_lead": rng.choice(hiring_leads),
                "original_open_date": opened.isoformat(),
                "minimum_salary": str(minimum),
                "maximum_salary": str(minimum + 30000),
                "description": (
                    f"<p>Join our {department} team as a {title}.</p>\r\n"
                    "<p>Hybrid&nbsp;work, health insurance and a learning budget.</p>"
                ),
            }
        )
    return jobs


def _unique_email(
    rng: random.Random, first_name: str, last_name: str, used: set[str]
) -> str:
    local = rng.choice(
        (f"{first_name}.{last_name}", f"{first_name[0]}{last_name}", first_name)
    ).lower()
    domain = rng.choice(EMAIL_DOMAINS)
    email = f"{local}@{domain}"
    suffix = 1
    while email in used:
        suffix += 1
        email = f"{local}{suffix}@{domain}"
    used.add(email)
    return email


def _digits(phone: str) -> str:
    return re.sub(r"\D", "", phone)[-10:]


def _unique_phones(rng: random.Random, count: int, reserved: set[str]) -> list[str]:
    """Draw distinct phone numbers from the fictional range 555-0100 to 555-0199."""
    free = [
        f"{area}5550{line}"
        for area in AREA_CODES
        for line in range(100, 200)
        if f"{area}5550{line}" not in reserved
    ]
    return [_format_phone(rng, digits) for digits in rng.sample(free, count)]


def _format_phone(rng: random.Random, digits: str) -> str:
    area, exchange, line = digits[:3], digits[3:6], digits[6:]
    return rng.choice(
        (
            f"({area}) {exchange}-{line}",
            f"{area}-{exchange}-{line}",
            f"+1 {area} {exchange} {line}",
            digits,
        )
    )


def _job_references(rng: random.Random, job_ids: list[str]) -> list[dict[str, str]]:
    count = rng.choices((0, 1, 2), weights=(8, 82, 10))[0]
    steps = list(WORKFLOW_STEPS.values())
    return [
        {"job_id": job_id, "applicant_progress": rng.choices(steps, STEP_WEIGHTS)[0]}
        for job_id in rng.sample(job_ids, count)
    ]


def _applicant(
    rng: random.Random,
    identity: tuple[str, str, str, str],
    job_ids: list[str],
    reference_date: date,
) -> dict[str, Any]:
    """Build an applicant from (first_name, last_name, email, phone)."""
    first_name, last_name, email, phone = identity
    applied = reference_date - timedelta(days=rng.randrange(180))
    city, state, postal = rng.choice(PLACES)
    applicant = {
        "id": make_record_id("prospect", rng, _timestamp(applied, rng)),
        "first_name": first_name,
        "last_name": last_name,
        "email": email,
        "phone": phone,
        "apply_date": applied.isoformat(),
        "city": city,
        "state": state,
        "postal": postal,
        "source": rng.choice(SOURCES),
        "jobs": _job_references(rng, job_ids),
    }
    if rng.random() < 0.6:
        slug = f"{first_name}-{last_name}-{rng.randrange(1000, 9999)}".lower()
        applicant["linkedin_url"] = f"https://www.linkedin.com/in/{slug}"
    if rng.random() < 0.05:
        # JazzHR shows these placeholders when a candidate gave no address.
        applicant.update(address="Unavailable", city="", state="", postal="")
    return applicant


# Pairs of applicants who are one person under another name, email or phone format.
# Each entry: (first_name, last_name, email, phone).
NEAR_DUPLICATES = (
    (
        ("Robert", "Johnson", "robert.johnson@example.com", "(412) 555-0101"),
        ("Bob", "Johnson", "bjohnson@outlook.com", "412-555-0101"),
    ),
    (
        ("William", "Turner", "will.turner@gmail.com", "(512) 555-0102"),
        ("Bill", "Turner", "will.turner@gmail.com", ""),
    ),
    (
        ("Katherine", "O'Neil", "katherine.oneil@example.com", "(312) 555-0103"),
        ("Kate", "O'Neil", "kate.oneil@yahoo.com", "+1 312 555 0103"),
    ),
    (
        ("José", "García", "jose.garcia@example.com", "(212) 555-0104"),
        ("Jose", "Garcia", "jose.garcia@example.com", "2125550104"),
    ),
    (
        ("Zoë", "Müller", "zoe.muller@proton.me", "(303) 555-0105"),
        ("Zoe", "Muller", "zoe.muller@proton.me", ""),
    ),
    (
        ("Jane", "Doe", "jane.doe@gmail.com", "(617) 555-0106"),
        ("Jane", "Doe", "janedoe+jobs@gmail.com", ""),
    ),
    (
        ("Wei", "Chen", "wei.chen@example.com", "(412) 555-0107"),
        ("Chen", "Wei", "wei.chen@example.com", "412-555-0107"),
    ),
    (
        ("Maria", "Lopez", "maria.lopez@gmail.com", "(512) 555-0108"),
        ("Maria", "Lopez", "maria.lopez@gmail.com", "(512) 555-0108"),
    ),
    (
        ("Alex", "Kim", "alex.kim@outlook.com", "(312) 555-0109"),
        ("alex", "kim ", "ALEX.KIM@OUTLOOK.COM", ""),
    ),
    (
        ("Kate", "Sullivan", "kate.sullivan@example.com", "(617) 555-0110"),
        ('"Kate"', "Sullivan", "k.sullivan@gmail.com", "617-555-0110"),
    ),
)


def demo_applicants(
    rng: random.Random,
    job_ids: list[str],
    jobs: list[dict[str, Any]],
    reference_date: date,
) -> list[dict[str, Any]]:
    """Build distinct people, each with a unique email and phone, then the pairs.

    Same-name strangers occur among the distinct people, as in real data.
    """
    # Candidates apply to jobs that are published, not to drafts.
    open_job_ids = [
        job_id
        for job_id, job in zip(job_ids, jobs, strict=True)
        if job["status"] != "Drafting"
    ]
    pairs = [identity for pair in NEAR_DUPLICATES for identity in pair]
    used_emails = {email.lower() for _, _, email, _ in pairs}
    reserved_phones = {_digits(phone) for _, _, _, phone in pairs if phone}
    phones = _unique_phones(rng, GENERATED_APPLICANTS, reserved_phones)

    applicants = []
    for phone in phones:
        first_name = rng.choice(FIRST_NAMES)
        last_name = rng.choice(LAST_NAMES)
        email = _unique_email(rng, first_name, last_name, used_emails)
        identity = (first_name, last_name, email, phone)
        applicants.append(_applicant(rng, identity, open_job_ids, reference_date))
    for identity in pairs:
        applicants.append(_applicant(rng, identity, open_job_ids, reference_date))
    return applicants


DEMO_NOTES = (
    "Strong portfolio, schedule a phone screen.",
    "Asked about relocation support.",
    "Salary expectations above the range.",
    "Referred by a current employee.",
)


def add_demo_activity(
    rng: random.Random, account: Account, applicant_ids: list[str]
) -> None:
    """Add notes to some applicants and move some others on to the next step."""
    for applicant_id in rng.sample(applicant_ids, 40):
        applicant = account.applicants[applicant_id]
        account.add_comment(applicant, account.owner.id, rng.choice(DEMO_NOTES), "1")

    step_ids = list(WORKFLOW_STEPS)
    for applicant_id in rng.sample(applicant_ids, 30):
        for link in account.links_by_applicant.get(applicant_id, ())[:1]:
            position = step_ids.index(link.workflow_step_id)
            if position < len(step_ids) - 2:
                account.change_status(link, step_ids[position + 1])
