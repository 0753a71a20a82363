"""The JazzHR simulator, exercised over real HTTP on 127.0.0.1.

These tests need no database and no Django settings: the simulator runs in-process.
"""

from __future__ import annotations

import json
import re
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import requests

from integrations.jazzhr.simulator import (
    SimulatorStore,
    build_demo_account,
    start_simulator,
)
from integrations.jazzhr.simulator.records import (
    APPLICANT_ROW_FIELDS,
    JOB_FIELDS,
    NEW_STEP_ID,
    WORKFLOW_STEPS,
)

PROSPECT_ID = re.compile(r"prospect_\d{14}_[A-Z0-9]{16}")
HIRED_STEP_ID = next(step for step, name in WORKFLOW_STEPS.items() if name == "Hired")


@pytest.fixture(scope="module")
def simulator():
    simulator = start_simulator(host="127.0.0.1", port=0)
    yield simulator
    simulator.stop()


@pytest.fixture(scope="module")
def http():
    session = new_session()
    yield session
    session.close()


def new_session() -> requests.Session:
    session = requests.Session()
    # Proxy variables from the environment must not reroute local requests.
    session.trust_env = False
    return session


class SimulatedAccount:
    """A fresh simulator account and helpers to call both of its APIs."""

    def __init__(self, simulator, http: requests.Session) -> None:
        self.simulator = simulator
        self.http = http
        self.api_key = self.control("POST", "accounts").json()["api_key"]

    def control(self, method: str, path: str, payload: Any = None) -> requests.Response:
        url = f"{self.simulator.root_url}/_simulator/{path}"
        return self.http.request(method, url, json=payload, timeout=30)

    def account_control(
        self, method: str, path: str, payload: Any = None
    ) -> requests.Response:
        return self.control(method, f"accounts/{self.api_key}/{path}", payload)

    def get(self, path: str, api_key: str | None = None, **kwargs) -> requests.Response:
        params = {"apikey": self.api_key if api_key is None else api_key}
        kwargs.setdefault("timeout", 10)
        url = f"{self.simulator.base_url}/{path}"
        return self.http.get(url, params=params, **kwargs)

    def post(
        self, path: str, body: dict[str, Any], api_key: str | None = None, **kwargs
    ) -> requests.Response:
        payload = {"apikey": self.api_key if api_key is None else api_key, **body}
        kwargs.setdefault("timeout", 10)
        url = f"{self.simulator.base_url}/{path}"
        return self.http.post(url, json=payload, **kwargs)

    def faults(self, **changes: Any) -> dict[str, Any]:
        response = self.account_control("PUT", "faults", changes)
        assert response.status_code == 200, response.text
        return response.json()

    def load_jobs(self, *jobs: dict[str, Any]) -> list[str]:
        response = self.account_control("POST", "jobs", list(jobs))
        assert response.status_code == 201, response.text
        return response.json()["ids"]

    def load_applicants(self, *applicants: dict[str, Any]) -> list[str]:
        response = self.account_control("POST", "applicants", list(applicants))
        assert response.status_code == 201, response.text
        return response.json()["ids"]

    def create_applicant(self, **fields: Any) -> str:
        body = {"first_name": "Ada", "last_name": "Lovelace", **fields}
        reply = self.post("applicants", body).json()
        assert "prospect_id" in reply, reply
        return reply["prospect_id"]


@pytest.fixture
def account(simulator, http) -> SimulatedAccount:
    return SimulatedAccount(simulator, http)


def as_list(payload: Any) -> list[Any]:
    return payload if isinstance(payload, list) else [payload]


# Control API and transport


def test_health_ok(simulator, http):
    response = http.get(f"{simulator.root_url}/_simulator/health", timeout=5)

    assert response.status_code == 200
    assert response.json() == {"ok": True}


def test_base_url_points_at_v1(simulator):
    assert simulator.base_url == f"{simulator.root_url}/v1"
    assert simulator.root_url.startswith("http://127.0.0.1:")


def test_create_account_with_given_key(account):
    response = account.control("POST", "accounts", {"api_key": "chosen-key"})

    assert response.status_code == 201
    assert response.json() == {"api_key": "chosen-key"}
    assert account.get("users", api_key="chosen-key").status_code == 200


def test_create_account_duplicate_key_conflict(account):
    response = account.control("POST", "accounts", {"api_key": account.api_key})

    assert response.status_code == 409


def test_every_response_json_with_cors(account):
    responses = [
        account.get("jobs"),
        account.get("jobs", api_key="wrong"),
        account.post("applicants", {}),
        account.http.put(f"{account.simulator.base_url}/jobs", timeout=5),
        account.control("GET", "health"),
        account.control("GET", "no-such-route"),
    ]

    for response in responses:
        assert response.headers["Content-Type"] == "application/json"
        assert response.headers["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE"])
def test_unsupported_method_405(account, method):
    url = f"{account.simulator.base_url}/applicants"
    response = account.http.request(
        method, url, params={"apikey": account.api_key}, timeout=5
    )

    assert response.status_code == 405


def test_unsupported_method_switch_404(account):
    account.faults(unsupported_method_status=404)
    url = f"{account.simulator.base_url}/applicants"
    response = account.http.delete(url, params={"apikey": account.api_key}, timeout=5)

    assert response.status_code == 404


def test_slashes_escaped_like_php(account):
    account.load_jobs({"title": "Engineer", "description": "<p>Hi</p>"})

    text = account.get("jobs").text

    assert "<\\/p>" in text
    assert json.loads(text)["description"] == "<p>Hi</p>"


def test_slashes_unescaped_switch(account):
    account.load_jobs({"title": "Engineer", "description": "<p>Hi</p>"})
    account.faults(escape_slashes=False)

    assert "<\\/p>" not in account.get("jobs").text


# Authentication


def test_get_missing_key_401(account):
    response = account.http.get(f"{account.simulator.base_url}/jobs", timeout=5)

    assert response.status_code == 401
    assert response.json() == {"error": "Invalid API Key"}


def test_get_wrong_key_401(account):
    response = account.get("applicants", api_key="not-a-key")

    assert response.status_code == 401
    assert response.json() == {"error": "Invalid API Key"}


def test_defaults_invalid_key_status(account):
    account.control("PUT", "defaults", {"invalid_key_status": 403})
    try:
        response = account.get("jobs", api_key="wrong")
    finally:
        account.control("PUT", "defaults", {"invalid_key_status": 401})

    assert response.status_code == 403


def test_defaults_copied_to_new_accounts(account):
    account.control("PUT", "defaults", {"latency_ms": 1})
    try:
        other = SimulatedAccount(account.simulator, account.http)
    finally:
        account.control("PUT", "defaults", {"latency_ms": 0})

    assert other.account_control("GET", "faults").json()["latency_ms"] == 1


def test_post_missing_key_error(account):
    url = f"{account.simulator.base_url}/applicants"
    response = account.http.post(url, json={"first_name": "A"}, timeout=5)

    assert response.status_code == 200
    assert response.json() == {"_error": "apikey not set"}


def test_post_wrong_key_error(account):
    response = account.post("applicants", {"first_name": "A"}, api_key="wrong")

    assert response.status_code == 200
    assert response.json() == {"_error": "Invalid API Key"}


def test_post_query_key_accepted(account):
    url = f"{account.simulator.base_url}/applicants"
    body = {"first_name": "Query", "last_name": "Key"}
    response = account.http.post(
        url, params={"apikey": account.api_key}, json=body, timeout=5
    )

    assert PROSPECT_ID.fullmatch(response.json()["prospect_id"])


def test_post_query_key_switch_off(account):
    account.faults(post_apikey_in_query=False)
    url = f"{account.simulator.base_url}/applicants"
    body = {"first_name": "Query", "last_name": "Key"}
    response = account.http.post(
        url, params={"apikey": account.api_key}, json=body, timeout=5
    )

    assert response.json() == {"_error": "apikey not set"}


# URL grammar and pagination


@pytest.fixture
def two_jobs(account) -> list[str]:
    job_ids = account.load_jobs({"title": "Engineer"}, {"title": "Designer"})
    account.load_applicants(
        {"first_name": "Ann", "last_name": "One", "apply_date": "2024-01-10",
         "jobs": [job_ids[0]]},
        {"first_name": "Ben", "last_name": "Two", "apply_date": "2024-02-10",
         "jobs": [job_ids[0]]},
        {"first_name": "Cy", "last_name": "Three", "apply_date": "2024-03-10",
         "jobs": [job_ids[1]]},
    )  # fmt: skip
    return job_ids


def test_filters_in_any_order(account, two_jobs):
    job_id = two_jobs[0]
    paths = [
        f"applicants/job_id/{job_id}/from_apply_date/2024-02-01/page/1",
        f"applicants/page/1/from_apply_date/2024-02-01/job_id/{job_id}",
        f"applicants/from_apply_date/2024-02-01/page/1/job_id/{job_id}",
    ]

    for path in paths:
        rows = as_list(account.get(path).json())
        assert [row["first_name"] for row in rows] == ["Ben"]


def test_date_range_inclusive(account, two_jobs):
    path = "applicants/from_apply_date/2024-01-10/to_apply_date/2024-02-10"

    rows = account.get(path).json()

    assert [row["first_name"] for row in rows] == ["Ben", "Ann"]


def test_filter_value_url_decoded(account):
    account.load_applicants({"first_name": "José María", "last_name": "Núñez"})

    row = account.get("applicants/name/Jos%C3%A9%20Mar%C3%ADa").json()

    assert row["last_name"] == "Núñez"


def test_encoded_slash_stays_in_value(account):
    account.load_jobs({"title": "UI/UX Designer"}, {"title": "Designer"})

    job = account.get("jobs/title/UI%2FUX").json()

    assert job["title"] == "UI/UX Designer"


def test_trailing_slash_tolerated(account, two_jobs):
    rows = account.get("applicants/page/1/").json()

    assert len(rows) == 3


def test_query_filters_ignored(account, two_jobs):
    url = f"{account.simulator.base_url}/applicants"
    params = {"apikey": account.api_key, "job_id": two_jobs[1]}
    rows = account.http.get(url, params=params, timeout=5).json()

    assert len(rows) == 3


def test_unknown_filter_empty_list(account, two_jobs):
    response = account.get("applicants/email/ann@example.com")

    assert response.status_code == 200
    assert response.json() == []


def test_unknown_filter_ignore_switch(account, two_jobs):
    account.faults(unknown_filter_response="ignore")

    rows = account.get("applicants/email/ann@example.com").json()

    assert len(rows) == 3


def test_odd_segment_count_empty_list(account, two_jobs):
    assert account.get("applicants/name/Ann/page").json() == []


@pytest.mark.parametrize("page", ["0", "-1", "two"])
def test_invalid_page_empty_list(account, two_jobs, page):
    assert account.get(f"applicants/page/{page}").json() == []


def test_unknown_resource_404(account):
    assert account.get("widgets").status_code == 404


def test_pages_of_100(account):
    account.load_applicants(
        *({"first_name": f"P{i}", "last_name": "Page"} for i in range(250))
    )

    sizes = [
        len(as_list(account.get(f"applicants/page/{page}").json()))
        for page in (1, 2, 3)
    ]
    past_end = account.get("applicants/page/4").json()
    first_page = account.get("applicants").json()

    assert sizes == [100, 100, 50]
    assert past_end == []
    assert first_page == account.get("applicants/page/1").json()


def test_pages_cover_every_row_once(account):
    ids = account.load_applicants(
        *({"first_name": f"P{i}", "last_name": "Page"} for i in range(201))
    )

    seen = []
    for page in (1, 2, 3):
        seen += [
            row["id"] for row in as_list(account.get(f"applicants/page/{page}").json())
        ]

    assert sorted(seen) == sorted(ids)


# Bare object for a single item


def test_single_item_bare_object(account):
    account.load_jobs({"title": "Only Job"})

    payload = account.get("jobs").json()

    assert isinstance(payload, dict)
    assert payload["title"] == "Only Job"


def test_last_page_single_item_bare_object(account):
    account.load_applicants(
        *({"first_name": f"P{i}", "last_name": "Page"} for i in range(101))
    )

    assert isinstance(account.get("applicants/page/2").json(), dict)


def test_single_item_switch_off_list(account):
    account.load_jobs({"title": "Only Job"})
    account.faults(single_item_as_object=False)

    payload = account.get("jobs").json()

    assert isinstance(payload, list)
    assert len(payload) == 1


def test_empty_list_is_array(account):
    response = account.get("applicants")

    assert response.text == "[]"


def test_nested_single_job_bare_object(account):
    job_id = account.load_jobs({"title": "Engineer"})[0]
    applicant_id = account.load_applicants(
        {"first_name": "Ann", "last_name": "One", "jobs": [job_id]}
    )[0]

    detail = account.get(f"applicants/{applicant_id}").json()
    job = account.get(f"jobs/{job_id}").json()

    assert detail["jobs"]["job_id"] == job_id
    assert job["job_applicants"]["prospect_id"] == applicant_id


def test_nested_two_jobs_list(account):
    job_ids = account.load_jobs({"title": "Engineer"}, {"title": "Designer"})
    applicant_id = account.load_applicants(
        {"first_name": "Ann", "last_name": "One", "jobs": job_ids}
    )[0]

    jobs = account.get(f"applicants/{applicant_id}").json()["jobs"]

    assert isinstance(jobs, list)
    assert sorted(job["job_id"] for job in jobs) == sorted(job_ids)


@pytest.mark.parametrize(
    ("style", "expected"),
    [("empty_list", []), ("null", None), ("empty_string", "")],
)
def test_empty_nested_collection_styles(account, style, expected):
    applicant_id = account.load_applicants({"first_name": "A", "last_name": "B"})[0]
    account.faults(empty_collection=style)

    detail = account.get(f"applicants/{applicant_id}").json()

    assert detail["comments"] == expected


def test_empty_nested_collection_omitted(account):
    applicant_id = account.load_applicants({"first_name": "A", "last_name": "B"})[0]
    account.faults(empty_collection="omitted")

    detail = account.get(f"applicants/{applicant_id}").json()

    assert "comments" not in detail
    assert "jobs" not in detail


# Applicants: list rows and detail


def test_applicant_rows_seven_fields(account, two_jobs):
    rows = account.get("applicants").json()

    for row in rows:
        assert tuple(row) == APPLICANT_ROW_FIELDS


def test_applicant_rows_all_strings(account, two_jobs):
    for row in account.get("applicants").json():
        assert all(isinstance(value, str) for value in row.values())


def test_applicant_rows_one_per_job(account):
    job_ids = account.load_jobs({"title": "Engineer"}, {"title": "Designer"})
    applicant_id = account.load_applicants(
        {"first_name": "Ann", "last_name": "One", "jobs": job_ids}
    )[0]

    rows = account.get("applicants").json()

    assert [row["id"] for row in rows] == [applicant_id, applicant_id]
    assert sorted(row["job_title"] for row in rows) == ["Designer", "Engineer"]


def test_applicant_rows_switch_one_per_applicant(account):
    job_ids = account.load_jobs({"title": "Engineer"}, {"title": "Designer"})
    account.load_applicants({"first_name": "Ann", "last_name": "One", "jobs": job_ids})
    account.faults(one_row_per_job=False)

    row = account.get("applicants").json()

    assert row["first_name"] == "Ann"


def test_applicant_row_without_job(account):
    account.load_applicants({"first_name": "Ann", "last_name": "One", "phone": "412"})

    row = account.get("applicants").json()

    assert row["job_id"] == ""
    assert row["job_title"] == ""
    assert row["prospect_phone"] == "412"


def test_applicant_order_newest_first(account):
    dates = {"prospect_b": "2024-05-01", "prospect_c": "2024-06-01"}
    dates["prospect_a"] = "2024-05-01"
    account.load_applicants(
        *(
            {"id": applicant_id, "first_name": "A", "last_name": "X", "apply_date": day}
            for applicant_id, day in dates.items()
        )
    )

    ids = [row["id"] for row in account.get("applicants").json()]

    assert ids == ["prospect_c", "prospect_a", "prospect_b"]


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("mary", ["Mary Ann Smith", "Rosemary Jones"]),
        ("SMITH", ["Mary Ann Smith"]),
        ("ann smi", ["Mary Ann Smith"]),
        ("jones", ["Rosemary Jones"]),
        ("nobody", []),
    ],
)
def test_name_filter_substring(account, search, expected):
    account.load_applicants(
        {"first_name": "Mary Ann", "last_name": "Smith"},
        {"first_name": "Rosemary", "last_name": "Jones"},
    )

    rows = as_list(account.get(f"applicants/name/{search}").json())

    names = sorted(f"{row['first_name']} {row['last_name']}" for row in rows)
    assert names == expected


def test_name_filter_full_name_switch_off(account):
    account.load_applicants({"first_name": "Mary", "last_name": "Smith"})
    account.faults(name_matches_full_name=False)

    assert account.get("applicants/name/Mary%20Smith").json() == []


def test_name_filter_ignores_accents(account):
    account.load_applicants({"first_name": "José", "last_name": "García"})

    row = account.get("applicants/name/jose%20garcia").json()

    assert row["first_name"] == "José"


def test_name_filter_accent_switch_off(account):
    account.load_applicants({"first_name": "José", "last_name": "García"})
    account.faults(name_ignores_accents=False)

    assert account.get("applicants/name/jose").json() == []


def test_applicant_filters_status_rating_city(account):
    job_id = account.load_jobs({"title": "Engineer"})[0]
    account.load_applicants(
        {"first_name": "Hired", "last_name": "X", "city": "Pittsburgh",
         "jobs": [{"job_id": job_id, "applicant_progress": "Hired", "rating": "5"}]},
        {"first_name": "New", "last_name": "X", "city": "Austin", "jobs": [job_id]},
    )  # fmt: skip

    by_status = account.get(f"applicants/status/{HIRED_STEP_ID}").json()
    by_rating = account.get("applicants/rating/5").json()
    by_city = account.get("applicants/city/austin").json()
    by_title = account.get("applicants/job_title/engin").json()

    assert by_status["first_name"] == "Hired"
    assert by_rating["first_name"] == "Hired"
    assert by_city["first_name"] == "New"
    assert len(by_title) == 2


def test_applicant_detail_fields(account):
    job_id = account.load_jobs({"title": "Engineer"})[0]
    applicant_id = account.load_applicants(
        {
            "first_name": "Ann",
            "last_name": "One",
            "email": "ann@example.com",
            "phone": "(412) 555-0100",
            "linkedin_url": "https://www.linkedin.com/in/ann",
            "city": "Pittsburgh",
            "state": "PA",
            "source": "Referral",
            "jobs": [{"job_id": job_id, "applicant_progress": "Interview"}],
        }
    )[0]

    detail = account.get(f"applicants/{applicant_id}").json()

    assert detail["email"] == "ann@example.com"
    assert detail["phone"] == "(412) 555-0100"
    assert detail["linkedin_url"] == "https://www.linkedin.com/in/ann"
    assert detail["location"] == "Pittsburgh PA (No Postal Code Provided)"
    assert detail["source"] == "Referral"
    assert detail["comments_count"] == "0"
    assert detail["jobs"]["applicant_progress"] == "Interview"
    assert detail["jobs"]["job_title"] == "Engineer"
    assert "prospect_phone" not in detail
    assert "job_id" not in detail


@pytest.mark.parametrize(
    ("setting", "status", "body"),
    [
        ("empty_list", 200, "[]"),
        ("empty_object", 200, "{}"),
        ("empty_body", 200, ""),
        ("not_found", 404, '{"error":"Not Found"}'),
    ],
)
def test_unknown_applicant_id(account, setting, status, body):
    account.faults(unknown_id_response=setting)

    response = account.get("applicants/prospect_20240101000000_NOSUCHAPPLICANT0")

    assert response.status_code == status
    assert response.text == body


# Applicant creation


def test_create_applicant_prospect_id(account):
    reply = account.post("applicants", {"first_name": "Ada", "last_name": "Lovelace"})

    assert reply.status_code == 200
    assert PROSPECT_ID.fullmatch(reply.json()["prospect_id"])


@pytest.mark.parametrize("missing", ["first_name", "last_name"])
def test_create_applicant_missing_field(account, missing):
    body = {"first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.com"}
    del body[missing]

    reply = account.post("applicants", body)

    assert reply.status_code == 200
    assert reply.json() == {"_error": f"{missing} was not set"}


def test_create_applicant_email_optional_by_default(account):
    reply = account.post("applicants", {"first_name": "Ada", "last_name": "Lovelace"})

    assert "prospect_id" in reply.json()


def test_create_applicant_require_email_switch(account):
    account.faults(require_email=True)

    missing = account.post("applicants", {"first_name": "Ada", "last_name": "L"})
    with_email = account.post(
        "applicants", {"first_name": "Ada", "last_name": "L", "email": "a@example.com"}
    )

    assert missing.json() == {"_error": "email was not set"}
    assert "prospect_id" in with_email.json()


def test_create_applicant_form_body_fields_missing(account):
    url = f"{account.simulator.base_url}/applicants"
    form = {"first_name": "Ada", "last_name": "Lovelace"}
    reply = account.http.post(
        url, params={"apikey": account.api_key}, data=form, timeout=5
    )

    assert reply.json() == {"_error": "first_name was not set"}


def test_create_applicant_form_body_key_missing(account):
    url = f"{account.simulator.base_url}/applicants"
    form = {"apikey": account.api_key, "first_name": "Ada", "last_name": "L"}
    reply = account.http.post(url, data=form, timeout=5)

    assert reply.json() == {"_error": "apikey not set"}


def test_create_applicant_no_dedupe(account):
    first = account.create_applicant(email="ada@example.com")
    second = account.create_applicant(email="ada@example.com")

    rows = account.get("applicants/name/Lovelace").json()

    assert first != second
    assert len(rows) == 2


def test_create_applicant_with_job_new(account):
    job_id = account.load_jobs({"title": "Engineer"})[0]
    applicant_id = account.create_applicant(job=job_id)

    link = account.get(f"applicants2jobs/applicant_id/{applicant_id}").json()
    detail = account.get(f"applicants/{applicant_id}").json()

    assert link["job_id"] == job_id
    assert link["workflow_step_id"] == NEW_STEP_ID
    assert detail["jobs"]["applicant_progress"] == "New"


def test_create_applicant_with_step(account):
    job_id = account.load_jobs({"title": "Engineer"})[0]
    applicant_id = account.create_applicant(job=job_id, workflow_step_id=HIRED_STEP_ID)

    detail = account.get(f"applicants/{applicant_id}").json()
    hire = account.get("hires").json()

    assert detail["jobs"]["applicant_progress"] == "Hired"
    assert hire["applicant_id"] == applicant_id


def test_create_applicant_unknown_job_error(account):
    body = {"first_name": "Ada", "last_name": "L", "job": "job_nope"}

    assert account.post("applicants", body).json() == {"_error": "job is invalid"}


def test_create_applicant_write_names(account):
    applicant_id = account.create_applicant(
        linkedin="https://www.linkedin.com/in/ada",
        twitter="ada",
        email="ada@example.com",
        phone="412-555-0100",
        source="Sourcing tool",
    )

    detail = account.get(f"applicants/{applicant_id}").json()

    assert detail["linkedin_url"] == "https://www.linkedin.com/in/ada"
    assert detail["twitter_username"] == "ada"
    assert detail["email"] == "ada@example.com"
    assert detail["phone"] == "412-555-0100"
    assert detail["source"] == "Sourcing tool"
    assert "linkedin" not in detail


def test_visibility_delay(account):
    account.faults(visibility_delay_ms=300)
    applicant_id = account.create_applicant()

    hidden = account.get(f"applicants/{applicant_id}").json()
    time.sleep(0.4)
    visible = account.get(f"applicants/{applicant_id}").json()

    assert hidden == []
    assert visible["id"] == applicant_id


# Other resources


def test_applicants2jobs_create(account):
    job_id = account.load_jobs({"title": "Engineer"})[0]
    applicant_id = account.create_applicant()

    reply = account.post(
        "applicants2jobs", {"applicant_id": applicant_id, "job_id": job_id}
    ).json()
    row = account.get(f"applicants2jobs/{reply['id']}").json()

    assert reply["id"].isdigit()
    assert row["applicant_id"] == applicant_id
    assert row["job_id"] == job_id


def test_applicants2jobs_duplicate_pair(account):
    job_id = account.load_jobs({"title": "Engineer"})[0]
    applicant_id = account.create_applicant(job=job_id)

    reply = account.post(
        "applicants2jobs", {"applicant_id": applicant_id, "job_id": job_id}
    ).json()

    assert reply == {"_error": "applicant is already assigned to this job"}


@pytest.mark.parametrize(
    ("field", "message"),
    [("applicant_id", "applicant_id is invalid"), ("job_id", "job_id is invalid")],
)
def test_applicants2jobs_unknown_id(account, field, message):
    body = {
        "applicant_id": account.create_applicant(),
        "job_id": account.load_jobs({"title": "Engineer"})[0],
    }
    body[field] = "unknown"

    assert account.post("applicants2jobs", body).json() == {"_error": message}


def test_applicants2jobs_filters(account):
    job_ids = account.load_jobs({"title": "Engineer"}, {"title": "Designer"})
    applicant_id = account.create_applicant(job=job_ids[0])
    account.create_applicant(job=job_ids[1])

    path = f"applicants2jobs/job_id/{job_ids[0]}/applicant_id/{applicant_id}"
    row = account.get(path).json()

    assert row["applicant_id"] == applicant_id


def test_note_in_detail(account):
    applicant_id = account.create_applicant()

    note = {"applicant_id": applicant_id, "contents": "Called back"}
    note |= {"user_id": "usr_anonymous", "security": "1"}
    reply = account.post("notes", note).json()
    detail = account.get(f"applicants/{applicant_id}").json()

    assert "comment_id" in reply
    assert detail["comments_count"] == "1"
    assert detail["comments"]["text"] == "Called back"
    assert detail["comments"]["id"] == reply["comment_id"]


def test_note_unknown_applicant(account):
    reply = account.post("notes", {"applicant_id": "nope", "contents": "Hi"}).json()

    assert reply == {"_error": "applicant_id is invalid"}


def test_file_duplicate_name(account):
    applicant_id = account.create_applicant()
    body = {"applicant_id": applicant_id, "filename": "cv.pdf", "file_data": "SGk="}

    first = account.post("files", body).json()
    second = account.post("files", body).json()
    listed = account.get(f"files/applicant_id/{applicant_id}").json()

    assert "id" in first
    assert second == {"_error": "file already exists"}
    assert listed["file_size"] == "2"


def test_jobs_twenty_fields(account):
    account.load_jobs({"title": "Engineer", "confidential": True, "private": True})

    job = account.get("jobs").json()

    assert tuple(job) == JOB_FIELDS
    assert len(job) == 20


def test_job_detail_adds_applicants(account):
    job_id = account.load_jobs({"title": "Engineer"})[0]
    applicant_ids = [account.create_applicant(job=job_id) for _ in range(2)]

    job = account.get(f"jobs/{job_id}").json()

    assert tuple(job)[:20] == JOB_FIELDS
    assert sorted(item["prospect_id"] for item in job["job_applicants"]) == sorted(
        applicant_ids
    )


def test_jobs_confidential_filter(account):
    account.load_jobs(
        {"title": "Public", "confidential": False},
        {"title": "Secret", "confidential": True},
    )

    public = account.get("jobs/confidential/false").json()
    secret = account.get("jobs/confidential/true").json()

    assert public["title"] == "Public"
    assert secret["title"] == "Secret"


def test_jobs_status_filter(account):
    account.load_jobs(
        {"title": "A", "status": "Open", "private": True},
        {"title": "B", "status": "On Hold"},
        {"title": "C", "status": "Open"},
    )

    open_jobs = as_list(account.get("jobs/status/open").json())
    on_hold = account.get("jobs/status/on%20hold").json()
    open_public = account.get("jobs/status/open/private/false").json()

    assert sorted(job["title"] for job in open_jobs) == ["A", "C"]
    assert on_hold["title"] == "B"
    assert open_public["title"] == "C"


def test_jobs_bad_status_rejected(account):
    response = account.account_control("POST", "jobs", [{"title": "A", "status": "x"}])

    assert response.status_code == 400


def test_users_seeded_super_admin(account):
    user = account.get("users").json()

    assert user["type"] == "Super Admin"
    assert tuple(user) == (
        "id",
        "type",
        "first_name",
        "last_name",
        "email",
        "date_created",
    )


def test_users_filters(account):
    response = account.account_control(
        "POST",
        "users",
        [{"first_name": "Priya", "last_name": "Raman", "email": "priya@example.com",
          "type": "Recruiter"}],
    )  # fmt: skip
    user_id = response.json()["ids"][0]

    by_name = account.get("users/name/raman/email/PRIYA@example.com").json()
    by_type = account.get("users/type/recruiter").json()
    detail = account.get(f"users/{user_id}").json()

    assert by_name["id"] == user_id
    assert by_type["id"] == user_id
    assert detail["user_activity"] == []


def test_status_change_activity(account):
    job_id = account.load_jobs({"title": "Web Developer"})[0]
    applicant_id = account.create_applicant(job=job_id)

    response = account.account_control(
        "POST",
        f"applicants/{applicant_id}/status",
        {"job_id": job_id, "applicant_progress": "Reviewed"},
    )
    path = f"activities/object_id/{applicant_id}/category/resume_status"
    activity = account.get(path).json()
    detail = account.get(f"applicants/{applicant_id}").json()

    assert response.status_code == 200
    assert activity["action"] == (
        'Jordan Avery changed the status of applicant from "New" to "Reviewed" '
        'for the job "Web Developer".'
    )
    assert detail["jobs"]["applicant_progress"] == "Reviewed"
    assert detail["activities"]["id"] == activity["id"]


# Rate limit


def test_rate_limit_429(account):
    account.faults(rate_limit_per_minute=3, rate_limit_window_seconds=0.5)

    statuses = [account.get("jobs").status_code for _ in range(4)]
    limited = account.get("jobs")
    time.sleep(0.6)
    after_window = account.get("jobs")

    assert statuses == [200, 200, 200, 429]
    assert limited.json() == {"error": "Too Many Requests"}
    assert "Retry-After" not in limited.headers
    assert after_window.status_code == 200


def test_rate_limit_retry_after_switch(account):
    account.faults(rate_limit_per_minute=1, retry_after_seconds=7)

    account.get("jobs")
    limited = account.get("jobs")

    assert limited.status_code == 429
    assert limited.headers["Retry-After"] == "7"


def test_rate_limit_counts_429(account):
    account.faults(rate_limit_per_minute=2)
    for _ in range(5):
        account.get("users")

    stats = account.account_control("GET", "stats").json()

    assert stats["requests"] == 5
    assert stats["rate_limited"] == 3


def test_rate_limit_default_80(account):
    assert (
        account.account_control("GET", "faults").json()["rate_limit_per_minute"] == 80
    )


# Fault injection


def test_fault_error_rate(account):
    account.faults(error_rate=1)

    response = account.get("jobs")

    assert response.status_code in (500, 502, 503, 504)


def test_fault_error_write_not_applied(account):
    account.faults(error_rate=1)
    account.post("applicants", {"first_name": "Ada", "last_name": "L"})
    account.faults(error_rate=0)

    assert account.get("applicants").json() == []


def test_fault_non_json(account):
    account.faults(non_json_rate=1)

    responses = [account.get("jobs") for _ in range(6)]

    for response in responses:
        assert response.status_code in (200, 502)
        with pytest.raises(ValueError):
            response.json()


def test_fault_timeout(account):
    account.faults(timeout_rate=1, timeout_seconds=1)

    with pytest.raises(requests.exceptions.ReadTimeout):
        account.get("jobs", timeout=(2, 0.2))


def test_fault_timeout_write_applied(account):
    account.faults(timeout_rate=1, timeout_seconds=1)
    body = {"first_name": "Ada", "last_name": "Lovelace"}
    with pytest.raises(requests.exceptions.ReadTimeout):
        account.post("applicants", body, timeout=(2, 0.2))
    account.faults(timeout_rate=0)

    assert account.get("applicants").json()["last_name"] == "Lovelace"


def test_fault_latency(account):
    account.faults(latency_ms=250)

    started = time.monotonic()
    response = account.get("jobs")
    elapsed = time.monotonic() - started

    assert response.status_code == 200
    assert elapsed >= 0.25


def test_fault_ambiguous_write_applied(account):
    account.faults(ambiguous_write_rate=1)

    reply = account.post("applicants", {"first_name": "Ada", "last_name": "Lovelace"})
    account.faults(ambiguous_write_rate=0)
    rows = account.get("applicants").json()

    assert "prospect_id" not in reply.text
    assert rows["last_name"] == "Lovelace"


def test_fault_ambiguous_spares_reads(account):
    account.faults(ambiguous_write_rate=1)

    assert account.get("jobs").status_code == 200


def test_fault_seed_reproducible(account):
    outcomes = []
    for _ in range(2):
        account.faults(seed=42, error_rate=0.5)
        outcomes.append([account.get("jobs").status_code for _ in range(12)])

    assert outcomes[0] == outcomes[1]
    assert 200 in outcomes[0]
    assert len(set(outcomes[0])) > 1


def test_faults_partial_update_full_settings(account):
    settings = account.faults(latency_ms=5)

    assert settings["latency_ms"] == 5
    assert settings["error_rate"] == 0
    assert settings["retry_after_seconds"] is None
    assert settings["require_email"] is False


@pytest.mark.parametrize(
    "changes",
    [
        {"error_rate": 2},
        {"error_rate": "0.5"},
        {"non_json_rate": -0.1},
        {"timeout_seconds": 0},
        {"latency_ms": -1},
        {"rate_limit_per_minute": 0},
        {"rate_limit_per_minute": 1.5},
        {"rate_limit_window_seconds": 0},
        {"retry_after_seconds": -1},
        {"require_email": "yes"},
        {"seed": "abc"},
        {"unknown_id_response": "maybe"},
        {"no_such_setting": 1},
    ],
)
def test_faults_validation_400(account, changes):
    response = account.account_control("PUT", "faults", changes)

    assert response.status_code == 400
    assert "error" in response.json()


def test_faults_invalid_update_changes_nothing(account):
    account.account_control("PUT", "faults", {"latency_ms": 10, "error_rate": 5})

    assert account.account_control("GET", "faults").json()["latency_ms"] == 0


# Key rotation and request log


def test_rotate_key(account):
    old_key = account.api_key

    new_key = account.account_control("POST", "rotate").json()["api_key"]

    assert new_key != old_key
    assert account.get("jobs", api_key=old_key).status_code == 401
    assert account.get("jobs", api_key=new_key).status_code == 200
    assert account.control("GET", f"accounts/{old_key}/faults").status_code == 404


def test_request_log(account):
    account.get("applicants/name/Ann")
    account.post("applicants", {"first_name": "Ada"})
    account.get("jobs", api_key="wrong")

    entries = account.account_control("GET", "requests").json()

    assert [entry["method"] for entry in entries] == ["GET", "POST"]
    assert [entry["path"] for entry in entries] == [
        "/v1/applicants/name/Ann",
        "/v1/applicants",
    ]
    assert [entry["status"] for entry in entries] == [200, 200]
    assert all(entry["at"] for entry in entries)
    assert account.api_key not in json.dumps(entries)


def test_request_log_clear(account):
    account.get("jobs")

    cleared = account.account_control("DELETE", "requests")
    entries = account.account_control("GET", "requests").json()

    assert cleared.status_code == 200
    assert entries == []


def test_request_log_names_fault(account):
    account.faults(error_rate=1)
    account.get("jobs")

    entry = account.account_control("GET", "requests").json()[0]

    assert entry["fault"] == "error"


# Bulk loading


def test_bulk_load_100k(account):
    job_id = account.load_jobs({"title": "Engineer"})[0]
    applicants = [
        {"first_name": f"First{i}", "last_name": "Bulk", "apply_date": "2024-01-01",
         "jobs": [job_id] if i % 2 else []}
        for i in range(100_000)
    ]  # fmt: skip

    ids = account.load_applicants(*applicants)
    last_page = account.get("applicants/page/1000").json()
    past_end = account.get("applicants/page/1001").json()
    found = account.get("applicants/name/First99999").json()
    summary = account.account_control("GET", "").json()

    assert len(set(ids)) == 100_000
    assert len(last_page) == 100
    assert past_end == []
    assert found["job_id"] == job_id
    assert summary["applicants"] == 100_000
    assert summary["applicants2jobs"] == 50_000


def test_bulk_load_keeps_given_id(account):
    ids = account.load_applicants(
        {"id": "prospect_x", "first_name": "A", "last_name": "B"}
    )

    assert ids == ["prospect_x"]
    assert account.get("applicants/prospect_x").json()["first_name"] == "A"


@pytest.mark.parametrize(
    "item",
    [
        {"first_name": "A", "jobs": ["job_missing"]},
        {"first_name": "A", "favourite_colour": "blue"},
        {"first_name": ["A"]},
        {"first_name": "A", "apply_date": "01/02/2024"},
        {"first_name": "A", "jobs": [{"job_id": "x", "applicant_progress": "Nope"}]},
    ],
)
def test_bulk_load_invalid_item_400(account, item):
    valid = {"first_name": "Valid", "last_name": "Item"}

    response = account.account_control("POST", "applicants", [valid, item])

    assert response.status_code == 400
    assert "applicants[1]" in response.json()["error"]
    assert account.get("applicants").json() == []


def test_bulk_load_unknown_account_404(account):
    response = account.control("POST", "accounts/no-such-key/applicants", [])

    assert response.status_code == 404


# Concurrency


def test_concurrent_creates(account):
    def create(index: int) -> str:
        with new_session() as session:
            url = f"{account.simulator.base_url}/applicants"
            body = {
                "apikey": account.api_key,
                "first_name": f"C{index}",
                "last_name": "Z",
            }
            return session.post(url, json=body, timeout=10).json()["prospect_id"]

    with ThreadPoolExecutor(max_workers=16) as pool:
        ids = list(pool.map(create, range(60)))
    rows = account.get("applicants").json()

    assert len(set(ids)) == 60
    assert len(rows) == 60


# Demo data


def test_demo_account_deterministic():
    first = build_demo_account(SimulatorStore(), api_key="demo")
    second = build_demo_account(SimulatorStore(), api_key="demo")

    def people(account):
        return sorted(
            (a.id, a.first_name, a.last_name, a.email)
            for a in account.applicants.values()
        )

    assert people(first) == people(second)
    assert 280 <= len(first.applicants) <= 320


def test_demo_account_job_mix():
    account = build_demo_account(SimulatorStore(), api_key="demo")

    statuses = {job.fields["status"] for job in account.jobs.values()}

    assert any(job.confidential for job in account.jobs.values())
    assert {"Open", "Closed", "On Hold"} <= statuses


def test_demo_account_near_duplicates():
    account = build_demo_account(SimulatorStore(), api_key="demo")

    names = {(a.first_name, a.last_name) for a in account.applicants.values()}
    emails = [a.email for a in account.applicants.values()]

    assert {("José", "García"), ("Jose", "Garcia")} <= names
    assert {("Wei", "Chen"), ("Chen", "Wei")} <= names
    assert {("Robert", "Johnson"), ("Bob", "Johnson")} <= names
    assert {"jane.doe@gmail.com", "janedoe+jobs@gmail.com"} <= set(emails)


def test_demo_account_served(simulator, http):
    build_demo_account(simulator.store, api_key="demo-served")
    url = f"{simulator.base_url}/jobs/confidential/false"

    jobs = http.get(url, params={"apikey": "demo-served"}, timeout=5).json()

    assert len(jobs) >= 5
