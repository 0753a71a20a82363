"""Client for JazzHR API v1, one method per endpoint.

Lists come 100 records a page with no count and no next link: a page with fewer than
100 records, or ``[]``, is the last. A page holding exactly one record comes back as
a bare object. The applicant list may repeat an applicant once per job, so list
methods dedupe by id. Third-party clients report a limit of about 80 requests a
minute per key (JazzHR does not document it), and the ``before_request`` hook is where
a shared request budget plugs in.

The client never imports Django: callers pass the base URL and the key.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import requests

from integrations.jazzhr.errors import InvalidApiKey, TransientError
from integrations.jazzhr.transport import (
    Endpoint,
    FilterValue,
    Timeout,
    Transport,
    build_endpoint,
)
from integrations.jazzhr.types import (
    ApplicantDetail,
    ApplicantJobLink,
    ApplicantSummary,
    Job,
    User,
    as_list,
    as_records,
    text,
)

logger = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://api.resumatorapi.com/v1"
DEFAULT_TIMEOUT = (3.05, 15.0)
PAGE_SIZE = 100
# Full pages in a row that add no new id before paging stops. One such page can be
# genuine, because JazzHR may list an applicant once per job.
MAX_PAGES_WITHOUT_NEW_IDS = 2

APPLICANT_FILTERS = frozenset(
    {
        "name",
        "city",
        "job_id",
        "job_title",
        "recruiter_id",
        "apply_date",
        "from_apply_date",
        "to_apply_date",
        "status",
        "rating",
    }
)


class JazzHRClient:
    """Client for one JazzHR account, identified by its API key.

    Every method sends real requests through one ``requests.Session`` and raises a
    subclass of JazzHRError on failure. ``before_request()`` runs before every HTTP
    request and may block or raise. ``on_response(method, path, status)`` runs after
    every HTTP response, with the path free of the key and of personal data. It is
    not called when no response arrived.
    """

    def __init__(
        self,
        api_key: str,
        base_url: str = DEFAULT_BASE_URL,
        timeout: Timeout = DEFAULT_TIMEOUT,
        session: requests.Session | None = None,
        before_request: Callable[[], object] | None = None,
        on_response: Callable[[str, str, int], object] | None = None,
    ) -> None:
        if not api_key or not api_key.strip():
            raise InvalidApiKey("No JazzHR API key is configured.")
        if not base_url.startswith(("https://", "http://")):
            raise ValueError(
                f"The JazzHR base URL must start with https://: {base_url!r}"
            )
        self._owns_session = session is None
        self._transport = Transport(
            api_key=api_key.strip(),
            base_url=base_url.rstrip("/"),
            timeout=timeout,
            session=session if session is not None else requests.Session(),
            before_request=before_request,
            on_response=on_response,
        )

    @property
    def before_request(self) -> Callable[[], object] | None:
        return self._transport.before_request

    @before_request.setter
    def before_request(self, hook: Callable[[], object] | None) -> None:
        self._transport.before_request = hook

    @property
    def on_response(self) -> Callable[[str, str, int], object] | None:
        return self._transport.on_response

    @on_response.setter
    def on_response(self, callback: Callable[[str, str, int], object] | None) -> None:
        self._transport.on_response = callback

    def __repr__(self) -> str:
        return f"JazzHRClient(base_url={self._transport.base_url!r})"

    def __enter__(self) -> JazzHRClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the HTTP session if the client created it."""
        if self._owns_session:
            self._transport.session.close()

    # Account

    def validate_key(self) -> None:
        """Raise InvalidApiKey unless JazzHR accepts the key.

        Sends one cheap request (the first page of users). Other failures, such as
        timeouts, raise their own JazzHRError so that a flaky network is not reported
        as a bad key.
        """
        self._get_page("users", [], page=1)

    def list_users(self) -> list[User]:
        """Return every user of the account (recruiters, admins), deduped by id."""
        records = self._iter_unique_records("users", [])
        return [User.from_json(record) for record in records]

    # Applicants

    def iter_applicants(
        self,
        *,
        name: str | None = None,
        from_apply_date: datetime.date | str | None = None,
        to_apply_date: datetime.date | str | None = None,
        job_id: str | None = None,
        max_pages: int | None = None,
    ) -> Iterator[ApplicantSummary]:
        """Yield applicants matching the filters, each id once, fetching pages lazily.

        ``name`` matches any substring of the first or last name, case-insensitively.
        Dates are inclusive. Rows carry only the seven list fields; call
        ``get_applicant`` for email, LinkedIn and jobs.
        """
        filters = _applicant_filters(
            {
                "name": name,
                "from_apply_date": from_apply_date,
                "to_apply_date": to_apply_date,
                "job_id": job_id,
            }
        )
        records = self._iter_unique_records("applicants", filters, max_pages)
        for record in records:
            yield ApplicantSummary.from_json(record)

    def list_applicants_page(
        self, page: int, **filters: FilterValue | None
    ) -> list[ApplicantSummary]:
        """Return one page of applicant rows as sent, repeated ids included.

        Filters are the path filters of ``GET /applicants``: name, city, job_id,
        job_title, recruiter_id, apply_date, from_apply_date, to_apply_date, status
        and rating.
        """
        records, _ = self._get_page("applicants", _applicant_filters(filters), page)
        return [ApplicantSummary.from_json(record) for record in records]

    def get_applicant(self, applicant_id: str) -> ApplicantDetail | None:
        """Return the applicant's full record, or None if JazzHR does not know the id.

        JazzHR's reply to an unknown id is undocumented, so ``[]``, ``{}``, ``null``,
        an empty body and HTTP 404 all return None.
        """
        record = self._get_detail("applicants", applicant_id)
        if record is None:
            return None
        return ApplicantDetail.from_json(record)

    def create_applicant(
        self,
        *,
        first_name: str,
        last_name: str,
        email: str = "",
        phone: str = "",
        linkedin_url: str = "",
        job_id: str = "",
        source: str = "",
    ) -> str:
        """Create an applicant and return its ``prospect_…`` id.

        JazzHR does not check for duplicates, so every successful call creates a new
        applicant.
        Empty optional fields are not sent. The LinkedIn URL is written as
        ``linkedin`` and read back as ``linkedin_url``, and ``job_id`` is written as
        ``job``, which also puts the applicant on that job with status "New".
        """
        fields = {
            "first_name": _required(first_name, "first_name"),
            "last_name": _required(last_name, "last_name"),
            "email": email,
            "phone": phone,
            "linkedin": linkedin_url,
            "job": job_id,
            "source": source,
        }
        return self._create("applicants", fields, id_member="prospect_id")

    # Jobs

    def list_jobs(
        self, *, include_confidential: bool = False, status: str | None = None
    ) -> list[Job]:
        """Return the account's jobs, deduped by id.

        Confidential jobs are left out unless ``include_confidential``. ``status`` is
        a JazzHR job status such as "Open" or "On Hold", in any case.
        """
        filters: list[tuple[str, FilterValue]] = []
        if status is not None:
            filters.append(("status", _required(status, "status").lower()))
        if not include_confidential:
            filters.append(("confidential", False))
        records = self._iter_unique_records("jobs", filters)
        return [Job.from_json(record) for record in records]

    def get_job(self, job_id: str) -> Job | None:
        """Return the job with its applicant ids, or None if JazzHR does not know it."""
        record = self._get_detail("jobs", job_id)
        if record is None:
            return None
        return Job.from_json(record)

    # Applicants on jobs

    def add_applicant_to_job(
        self, applicant_id: str, job_id: str, workflow_step_id: str = ""
    ) -> str:
        """Put an existing applicant on a job and return the new link's id.

        ``workflow_step_id`` sets the applicant's step on that job; without it the
        status is "New". Returns ``""`` when JazzHR confirms without an id.
        """
        fields = {
            "applicant_id": _required(applicant_id, "applicant_id"),
            "job_id": _required(job_id, "job_id"),
            "workflow_step_id": workflow_step_id,
        }
        # NOTE: the reply to this write is undocumented. It is read as {"id": ...},
        # and a reply without an id still counts as success.
        return self._create("applicants2jobs", fields, id_member="id", optional=True)

    def list_applicant_jobs(self, applicant_id: str) -> list[ApplicantJobLink]:
        """Return the applicant's rows of ``GET /applicants2jobs``, deduped by id."""
        filters = [("applicant_id", _required(applicant_id, "applicant_id"))]
        records = self._iter_unique_records("applicants2jobs", filters)
        return [ApplicantJobLink.from_json(record) for record in records]

    # Notes

    def add_note(
        self,
        applicant_id: str,
        contents: str,
        user_id: str = "usr_anonymous",
        security: str = "1",
    ) -> str:
        """Add a note (shown as a comment on the applicant) and return its id.

        ``user_id`` is the author, ``usr_anonymous`` for no JazzHR user. ``security``
        "1" makes the note visible to everyone on the account (admins and users).
        """
        fields = {
            "applicant_id": _required(applicant_id, "applicant_id"),
            "contents": _required(contents, "contents"),
            "user_id": _required(user_id, "user_id"),
            "security": str(security),
        }
        return self._create("notes", fields, id_member="comment_id")

    # Shared request helpers

    def _get_page(
        self, resource: str, filters: list[tuple[str, FilterValue]], page: int
    ) -> tuple[list[Mapping[str, Any]], int]:
        """Return a page's records and the number of items it held."""
        if page < 1:
            raise ValueError(f"Invalid page number {page}: pages start at 1.")
        endpoint = build_endpoint(resource, filters=[*filters, ("page", page)])
        data = self._transport.get(endpoint)
        if data is not None and not isinstance(data, (list, Mapping)):
            self._transport.log_odd_reply("a JSON scalar", "GET", endpoint, body=data)
            raise TransientError(
                f"JazzHR returned a JSON scalar instead of a list for GET "
                f"{endpoint.log_path}.",
                method="GET",
                path=endpoint.log_path,
            )
        items = as_list(data)
        records = as_records(items)
        if len(records) < len(items):
            self._transport.log_odd_reply(
                "list items that are not objects", "GET", endpoint, body=data
            )
        return records, len(items)

    def _iter_unique_records(
        self,
        resource: str,
        filters: list[tuple[str, FilterValue]],
        max_pages: int | None = None,
    ) -> Iterator[Mapping[str, Any]]:
        """Yield the records of every page, each id once, until the last page."""
        seen_ids: set[str] = set()
        pages_without_new_ids = 0
        page = 1
        while max_pages is None or page <= max_pages:
            records, item_count = self._get_page(resource, filters, page)
            new_records = _take_new_records(records, seen_ids)
            without_id = sum(1 for record in records if not text(record.get("id")))
            if without_id:
                logger.warning(
                    "Skipped %d JazzHR %s records without an id on page %d",
                    without_id,
                    resource,
                    page,
                )
            yield from new_records
            if item_count < PAGE_SIZE:
                return
            pages_without_new_ids = 0 if new_records else pages_without_new_ids + 1
            if pages_without_new_ids >= MAX_PAGES_WITHOUT_NEW_IDS:
                logger.warning(
                    "Stopped paging JazzHR %s at page %d because it repeated full "
                    "pages of known ids (%d ids so far)",
                    resource,
                    page,
                    len(seen_ids),
                )
                return
            page += 1

    def _get_detail(self, resource: str, record_id: str) -> Mapping[str, Any] | None:
        """Return the record for ``/{resource}/{id}``, or None when it is unknown.

        A record without an ``id`` member gets the requested id.
        """
        record_id = _required(record_id, "id")
        endpoint = build_endpoint(resource, record_id)
        data = self._transport.get(endpoint, allow_not_found=True)
        record = self._single_record(data, record_id, endpoint)
        if not record:
            return None
        if not text(record.get("id")):
            record = {**record, "id": record_id}
        return record

    def _single_record(
        self, data: Any, record_id: str, endpoint: Endpoint
    ) -> Mapping[str, Any] | None:
        if data is None or isinstance(data, Mapping):
            return data
        records = as_records(data)
        if isinstance(data, list) and len(records) == len(data) <= 1:
            return records[0] if records else None
        self._transport.log_odd_reply("an unexpected shape", "GET", endpoint, body=data)
        matching = [item for item in records if text(item.get("id")) == record_id]
        return matching[0] if matching else None

    def _create(
        self,
        resource: str,
        fields: dict[str, str],
        *,
        id_member: str,
        optional: bool = False,
    ) -> str:
        endpoint = build_endpoint(resource)
        sent = {key: value for key, value in fields.items() if value}
        data = self._transport.post(endpoint, sent)
        created_id = _created_id(data, id_member)
        if created_id or optional:
            logger.info(
                "JazzHR POST %s succeeded with id %r", endpoint.log_path, created_id
            )
            return created_id
        self._transport.log_odd_reply(f"no {id_member}", "POST", endpoint, body=data)
        raise _missing_id_error(endpoint, id_member)


def _applicant_filters(
    filters: Mapping[str, FilterValue | None],
) -> list[tuple[str, FilterValue]]:
    unknown = sorted(set(filters) - APPLICANT_FILTERS)
    if unknown:
        raise TypeError(f"Unknown JazzHR applicant filters: {', '.join(unknown)}")
    result = []
    for key, value in filters.items():
        if value is None:
            continue
        if key.endswith("apply_date"):
            value = _as_date(value, key)
        result.append((key, value))
    return result


def _as_date(value: FilterValue, key: str) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        raise ValueError(
            f"{key} must be a date in YYYY-MM-DD form: {value!r}"
        ) from None


def _required(value: str, field: str) -> str:
    value = str(value).strip()
    if not value:
        raise ValueError(f"{field} is required and must not be empty.")
    return value


def _take_new_records(
    records: list[Mapping[str, Any]], seen_ids: set[str]
) -> list[Mapping[str, Any]]:
    new_records = []
    for record in records:
        record_id = text(record.get("id"))
        if record_id and record_id not in seen_ids:
            seen_ids.add(record_id)
            new_records.append(record)
    return new_records


def _created_id(data: Any, id_member: str) -> str:
    records = as_records(data)
    if len(records) != 1:
        return ""
    return text(records[0].get(id_member))


def _missing_id_error(endpoint: Endpoint, id_member: str) -> TransientError:
    return TransientError(
        f"JazzHR accepted POST {endpoint.log_path} but returned no {id_member}. "
        "JazzHR may have applied the write; check before repeating it.",
        request_may_have_been_applied=True,
        method="POST",
        path=endpoint.log_path,
    )
