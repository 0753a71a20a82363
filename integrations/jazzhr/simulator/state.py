"""In-memory state of the simulator: accounts and the records each one contains.

Every read and write of this state happens while holding ``SimulatorStore.lock``.
"""

from __future__ import annotations

import itertools
import random
import threading
from collections import Counter, deque
from datetime import UTC, datetime
from typing import Any

from integrations.jazzhr.simulator.faults import FaultSettings
from integrations.jazzhr.simulator.ids import (
    format_id_timestamp,
    make_api_key,
    make_record_id,
)
from integrations.jazzhr.simulator.records import (
    HIRED_STEP_ID,
    WORKFLOW_STEPS,
    Activity,
    Applicant,
    ApplicantJob,
    Comment,
    Job,
    StoredFile,
    User,
)

REQUEST_LOG_LIMIT = 100_000
FIRST_NUMERIC_ID = 48_210_001


class AccountExists(Exception):
    pass


def local_date_and_time() -> tuple[str, str]:
    """Return today's date and the time as JazzHR formats them, in local time."""
    now = datetime.now()
    return now.strftime("%Y-%m-%d"), now.strftime("%H:%M:%S")


class Account:
    """One JazzHR customer account, reached through its current API key."""

    def __init__(self, api_key: str, settings: FaultSettings) -> None:
        self.api_key = api_key
        self.settings = settings
        self.rng = random.Random(settings.seed)

        self.applicants: dict[str, Applicant] = {}
        self.jobs: dict[str, Job] = {}
        self.users: dict[str, User] = {}
        self.links: dict[str, ApplicantJob] = {}
        self.links_by_applicant: dict[str, list[ApplicantJob]] = {}
        self.links_by_job: dict[str, list[ApplicantJob]] = {}
        self.activities: dict[str, Activity] = {}
        self.activities_by_object: dict[str, list[Activity]] = {}
        self.files: dict[str, StoredFile] = {}
        self._numbers = itertools.count(FIRST_NUMERIC_ID)

        self.request_log: deque[dict[str, Any]] = deque(maxlen=REQUEST_LOG_LIMIT)
        self.status_counts: Counter[int] = Counter()
        self.request_times: deque[float] = deque()

        # Applicants sorted for listing, rebuilt when `version` changes.
        self.version = 0
        self._sorted_version = -1
        self._sorted_applicants: list[Applicant] = []

        self.owner = self._add_owner()

    def _add_owner(self) -> User:
        created_on, _ = local_date_and_time()
        owner = User(
            id=self.new_id("usr"),
            type="Super Admin",
            first_name="Jordan",
            last_name="Avery",
            email="jordan.avery@example.com",
            date_created=created_on,
        )
        self.users[owner.id] = owner
        return owner

    # Identifiers

    def new_id(self, prefix: str) -> str:
        timestamp = format_id_timestamp(datetime.now())
        return make_record_id(prefix, self.rng, timestamp)

    def new_number(self) -> str:
        return str(next(self._numbers))

    # Settings, rate limit and request log

    def update_settings(self, changes: dict[str, Any]) -> FaultSettings:
        self.settings = self.settings.updated(changes)
        if "seed" in changes:
            self.rng = random.Random(self.settings.seed)
        return self.settings

    def admit_request(self, now: float) -> bool:
        """Count a request against the sliding window, or return False when full.

        ``now`` is a time.monotonic() value. Rejected requests are not counted, so
        the window frees up a slot once its oldest admitted request is old enough.
        """
        limit = self.settings.rate_limit_per_minute
        if limit is None:
            return True

        window_start = now - self.settings.rate_limit_window_seconds
        while self.request_times and self.request_times[0] <= window_start:
            self.request_times.popleft()
        if len(self.request_times) >= limit:
            return False

        self.request_times.append(now)
        return True

    def record_request(
        self, method: str, path: str, status: int, fault: str | None
    ) -> None:
        at = datetime.now(UTC).isoformat(timespec="milliseconds")
        entry = {"method": method, "path": path, "status": status, "at": at}
        entry["fault"] = fault
        self.request_log.append(entry)
        self.status_counts[status] += 1

    def clear_request_log(self) -> None:
        self.request_log.clear()
        self.status_counts.clear()

    # Records

    def add_user(self, user: User) -> None:
        self.users[user.id] = user

    def add_job(self, job: Job) -> None:
        self.jobs[job.id] = job
        self.links_by_job.setdefault(job.id, [])

    def add_applicant(self, applicant: Applicant) -> None:
        self.applicants[applicant.id] = applicant
        self.version += 1

    def link_applicant(
        self,
        applicant_id: str,
        job_id: str,
        workflow_step_id: str,
        rating: str = "",
        visible_at: float = 0.0,
        date: str = "",
    ) -> ApplicantJob:
        """Put an applicant on a job. The caller checks that the pair is new.

        ``date`` defaults to today.
        """
        link = ApplicantJob(
            id=self.new_number(),
            applicant_id=applicant_id,
            job_id=job_id,
            workflow_step_id=workflow_step_id,
            rating=rating,
            date=date or local_date_and_time()[0],
            visible_at=visible_at,
        )
        if workflow_step_id == HIRED_STEP_ID:
            link.hired_date, link.hired_time = local_date_and_time()

        self.links[link.id] = link
        self.links_by_applicant.setdefault(applicant_id, []).append(link)
        self.links_by_job.setdefault(job_id, []).append(link)
        self.version += 1
        return link

    def find_link(self, applicant_id: str, job_id: str) -> ApplicantJob | None:
        for link in self.links_by_applicant.get(applicant_id, ()):
            if link.job_id == job_id:
                return link
        return None

    def add_comment(
        self, applicant: Applicant, author_id: str, text: str, security: str
    ) -> Comment:
        author = self.users.get(author_id)
        commented_on, commented_at = local_date_and_time()
        comment = Comment(
            id=self.new_number(),
            author_id=author_id,
            author_name=author.full_name if author else "Anonymous",
            text=text,
            date=commented_on,
            time=commented_at,
            security=security,
        )
        applicant.comments.append(comment)
        return comment

    def change_status(self, link: ApplicantJob, workflow_step_id: str) -> Activity:
        """Move an applicant to another workflow step, as a recruiter would in the UI.

        Records the resume_status activity JazzHR shows for the change.
        """
        old_name = WORKFLOW_STEPS[link.workflow_step_id]
        new_name = WORKFLOW_STEPS[workflow_step_id]
        link.workflow_step_id = workflow_step_id
        if workflow_step_id == HIRED_STEP_ID:
            link.hired_date, link.hired_time = local_date_and_time()

        job_title = self.jobs[link.job_id].fields["title"]
        action = (
            f"{self.owner.full_name} changed the status of applicant from "
            f'"{old_name}" to "{new_name}" for the job "{job_title}".'
        )
        return self.add_activity("resume_status", link.applicant_id, action)

    def add_activity(self, category: str, object_id: str, action: str) -> Activity:
        happened_on, happened_at = local_date_and_time()
        activity = Activity(
            id=self.new_id("activity"),
            category=category,
            user_id=self.owner.id,
            object_id=object_id,
            action=action,
            date=happened_on,
            time=happened_at,
        )
        self.activities[activity.id] = activity
        self.activities_by_object.setdefault(object_id, []).append(activity)
        return activity

    def add_file(self, stored_file: StoredFile) -> None:
        self.files[stored_file.id] = stored_file

    def sorted_applicants(self) -> list[Applicant]:
        """Return applicants by apply_date, newest first, then by id."""
        if self._sorted_version != self.version:
            by_id = sorted(self.applicants.values(), key=lambda item: item.id)
            by_id.sort(key=lambda item: item.apply_date, reverse=True)
            self._sorted_applicants = by_id
            self._sorted_version = self.version
        return self._sorted_applicants


class SimulatorStore:
    """All simulated accounts, keyed by their current API key."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.accounts: dict[str, Account] = {}
        # Settings copied into each new account. Responses to requests whose
        # key matches no account follow these too.
        self.default_settings = FaultSettings()

    def create_account(self, api_key: str | None = None) -> Account:
        with self.lock:
            key = api_key or make_api_key()
            if key in self.accounts:
                raise AccountExists(key)

            account = Account(key, self.default_settings.updated({}))
            self.accounts[key] = account
            return account

    def get_account(self, api_key: str) -> Account | None:
        with self.lock:
            return self.accounts.get(api_key)

    def rotate_key(self, account: Account) -> str:
        """Give the account a new key. The old key stops working at once."""
        with self.lock:
            new_key = make_api_key()
            del self.accounts[account.api_key]
            account.api_key = new_key
            # The rate limit counts requests per key.
            account.request_times.clear()
            self.accounts[new_key] = account
            return new_key
