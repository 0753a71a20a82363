from __future__ import annotations

import copy
import datetime
import email.utils
import json
import logging
import socket
import threading
import traceback
from pathlib import Path

import pytest
import requests
import responses
from responses import matchers

from integrations.jazzhr.client import (
    DEFAULT_BASE_URL,
    DEFAULT_TIMEOUT,
    MAX_PAGES_WITHOUT_NEW_IDS,
    PAGE_SIZE,
    JazzHRClient,
)
from integrations.jazzhr.errors import (
    InvalidApiKey,
    JazzHRError,
    RateLimited,
    RejectedWrite,
    TransientError,
    UnexpectedResponse,
)
from integrations.jazzhr.types import ApplicantDetail, ApplicantSummary, Job, User

PAYLOADS = Path(__file__).parent / "payloads"
KEY = "Zq8SECRETkey0123456789"
# A .test host never resolves, so nothing can reach a real server by mistake.
BASE = "https://jazzhr.example.test/v1"
NEIL_ID = "prospect_20121030151055_BKTQHUTGXV4FGQVS"
SAMPLE_JOB_ID = "job_20121030151055_ZK0WBF7NK8WXCWLA"


def load(name: str):
    return json.loads((PAYLOADS / f"{name}.json").read_text())


def applicant_rows(count: int, start: int = 0) -> list[dict]:
    """Build list rows shaped like the recorded Neil Peart row, with distinct ids."""
    template = load("applicant_row_single")
    rows = []
    for number in range(start, start + count):
        row = copy.deepcopy(template)
        row["id"] = f"prospect_20240101000000_{number:016d}"
        rows.append(row)
    return rows


@pytest.fixture
def mocked():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


@pytest.fixture
def client():
    return JazzHRClient(KEY, base_url=BASE)


def sent_path(mock: responses.RequestsMock, index: int = 0) -> str:
    return requests.utils.urlparse(mock.calls[index].request.url).path


def sent_body(mock: responses.RequestsMock, index: int = 0) -> dict:
    return json.loads(mock.calls[index].request.body)


# Key placement


def test_get_sends_key_as_query_parameter(mocked, client):
    mocked.get(
        f"{BASE}/users/page/1",
        json=load("users_page"),
        match=[matchers.query_param_matcher({"apikey": KEY})],
    )

    client.list_users()

    assert len(mocked.calls) == 1
    assert mocked.calls[0].request.body is None


def test_post_sends_key_in_json_body(mocked, client):
    mocked.post(f"{BASE}/applicants", json={"prospect_id": NEIL_ID})

    client.create_applicant(first_name="Neil", last_name="Peart")

    request = mocked.calls[0].request
    assert sent_body(mocked)["apikey"] == KEY
    assert request.headers["Content-Type"] == "application/json"
    assert "apikey" not in request.url


def test_default_base_url_is_jazzhr_v1():
    assert DEFAULT_BASE_URL == "https://api.resumatorapi.com/v1"


def test_client_default_base_url_used():
    class RecordingSession:
        def __init__(self):
            self.urls = []

        def request(self, method, url, **kwargs):
            self.urls.append(url)
            raise requests.ConnectTimeout("no network in tests")

    session = RecordingSession()
    client = JazzHRClient(KEY, session=session)

    with pytest.raises(TransientError):
        client.get_job(SAMPLE_JOB_ID)

    assert session.urls == [f"{DEFAULT_BASE_URL}/jobs/{SAMPLE_JOB_ID}"]


def test_client_empty_key_rejected():
    with pytest.raises(InvalidApiKey):
        JazzHRClient("  ", base_url=BASE)


def test_client_base_url_without_scheme_rejected():
    with pytest.raises(ValueError):
        JazzHRClient(KEY, base_url="api.resumatorapi.com/v1")


# Path filters


@pytest.mark.parametrize(
    ("name", "segment"),
    [
        ("Neil Peart", "Neil%20Peart"),
        ("Zoë", "Zo%C3%AB"),
        ("AC/DC", "AC%2FDC"),
        ("O'Brien & Co?", "O%27Brien%20%26%20Co%3F"),
    ],
)
def test_name_filter_encoded_as_segment(mocked, client, name, segment):
    mocked.get(f"{BASE}/applicants/name/{segment}/page/1", json=[])

    result = list(client.iter_applicants(name=name))

    assert result == []
    assert sent_path(mocked) == f"/v1/applicants/name/{segment}/page/1"


def test_apply_date_filters_formatted(mocked, client):
    mocked.get(
        f"{BASE}/applicants/from_apply_date/2024-01-02/to_apply_date/2024-02-29/page/1",
        json=[],
    )

    list(
        client.iter_applicants(
            from_apply_date=datetime.date(2024, 1, 2), to_apply_date="2024-02-29"
        )
    )

    assert len(mocked.calls) == 1


def test_apply_date_filter_invalid_rejected(client):
    with pytest.raises(ValueError):
        list(client.iter_applicants(from_apply_date="02/01/2024"))


def test_job_id_filter_path(mocked, client):
    mocked.get(f"{BASE}/applicants/job_id/{SAMPLE_JOB_ID}/page/1", json=[])

    list(client.iter_applicants(job_id=SAMPLE_JOB_ID))

    assert sent_path(mocked) == f"/v1/applicants/job_id/{SAMPLE_JOB_ID}/page/1"


def test_applicants_page_unknown_filter_rejected(client):
    with pytest.raises(TypeError):
        client.list_applicants_page(1, email="neil@example.com")


def test_applicants_page_zero_rejected(client):
    with pytest.raises(ValueError):
        client.list_applicants_page(0)


def test_list_jobs_excludes_confidential(mocked, client):
    mocked.get(f"{BASE}/jobs/confidential/false/page/1", json=load("jobs_page"))

    jobs = client.list_jobs()

    assert sent_path(mocked) == "/v1/jobs/confidential/false/page/1"
    assert len(jobs) == 2


def test_list_jobs_include_confidential_path(mocked, client):
    mocked.get(f"{BASE}/jobs/page/1", json=load("jobs_page"))

    client.list_jobs(include_confidential=True)

    assert sent_path(mocked) == "/v1/jobs/page/1"


def test_list_jobs_status_lowercased_and_encoded(mocked, client):
    mocked.get(f"{BASE}/jobs/status/on%20hold/confidential/false/page/1", json=[])

    client.list_jobs(status="On Hold")

    assert sent_path(mocked) == "/v1/jobs/status/on%20hold/confidential/false/page/1"


# Pagination


def test_iter_applicants_ends_on_short_page(mocked, client):
    mocked.get(f"{BASE}/applicants/page/1", json=applicant_rows(PAGE_SIZE))
    mocked.get(f"{BASE}/applicants/page/2", json=applicant_rows(3, start=PAGE_SIZE))

    result = list(client.iter_applicants())

    assert len(result) == PAGE_SIZE + 3
    assert len(mocked.calls) == 2


def test_iter_applicants_ends_on_empty_page(mocked, client):
    mocked.get(f"{BASE}/applicants/page/1", json=applicant_rows(PAGE_SIZE))
    mocked.get(f"{BASE}/applicants/page/2", json=[])

    result = list(client.iter_applicants())

    assert len(result) == PAGE_SIZE
    assert len(mocked.calls) == 2


def test_iter_applicants_ends_on_bare_object(mocked, client):
    mocked.get(f"{BASE}/applicants/page/1", json=applicant_rows(PAGE_SIZE))
    mocked.get(f"{BASE}/applicants/page/2", json=load("applicant_row_single"))

    result = list(client.iter_applicants())

    assert len(result) == PAGE_SIZE + 1
    assert result[-1].id == NEIL_ID
    assert len(mocked.calls) == 2


def test_iter_applicants_empty_body_ends(mocked, client):
    mocked.get(f"{BASE}/applicants/page/1", body="")

    assert list(client.iter_applicants()) == []


def test_iter_applicants_dedupes_across_pages(mocked, client):
    mocked.get(f"{BASE}/applicants/page/1", json=applicant_rows(PAGE_SIZE))
    repeated_and_new = applicant_rows(3, start=50) + applicant_rows(2, start=PAGE_SIZE)
    mocked.get(f"{BASE}/applicants/page/2", json=repeated_and_new)

    ids = [row.id for row in client.iter_applicants()]

    assert len(ids) == PAGE_SIZE + 2
    assert len(set(ids)) == len(ids)


def test_iter_applicants_dedupes_within_page(mocked, client):
    rows = applicant_rows(2)
    second_job = {**rows[0], "job_id": "job_20220505195555_OCOCEXRJX31PNO92"}
    mocked.get(f"{BASE}/applicants/page/1", json=[rows[0], second_job, rows[1]])

    ids = [row.id for row in client.iter_applicants()]

    assert ids == [rows[0]["id"], rows[1]["id"]]


def test_iter_applicants_stops_on_repeated_pages(mocked, client, caplog):
    for page in range(1, 10):
        mocked.get(f"{BASE}/applicants/page/{page}", json=applicant_rows(PAGE_SIZE))

    with caplog.at_level(logging.WARNING, logger="integrations.jazzhr"):
        result = list(client.iter_applicants())

    assert len(result) == PAGE_SIZE
    assert len(mocked.calls) == 1 + MAX_PAGES_WITHOUT_NEW_IDS
    assert "repeated full pages" in caplog.text


def test_iter_applicants_one_repeated_page_continues(mocked, client):
    mocked.get(f"{BASE}/applicants/page/1", json=applicant_rows(PAGE_SIZE))
    mocked.get(f"{BASE}/applicants/page/2", json=applicant_rows(PAGE_SIZE))
    mocked.get(f"{BASE}/applicants/page/3", json=applicant_rows(5, start=PAGE_SIZE))

    result = list(client.iter_applicants())

    assert len(result) == PAGE_SIZE + 5
    assert len(mocked.calls) == 3


def test_iter_applicants_respects_max_pages(mocked, client):
    for page in range(1, 4):
        rows = applicant_rows(PAGE_SIZE, start=(page - 1) * PAGE_SIZE)
        mocked.get(f"{BASE}/applicants/page/{page}", json=rows)

    result = list(client.iter_applicants(max_pages=2))

    assert len(result) == 2 * PAGE_SIZE
    assert len(mocked.calls) == 2


def test_iter_applicants_fetches_lazily(mocked, client):
    mocked.get(f"{BASE}/applicants/page/1", json=applicant_rows(PAGE_SIZE))
    mocked.get(f"{BASE}/applicants/page/2", json=applicant_rows(PAGE_SIZE))

    iterator = client.iter_applicants()
    assert len(mocked.calls) == 0

    next(iterator)
    assert len(mocked.calls) == 1


def test_iter_applicants_skips_rows_without_id(mocked, client, caplog):
    rows = applicant_rows(2)
    del rows[0]["id"]
    mocked.get(f"{BASE}/applicants/page/1", json=rows)

    with caplog.at_level(logging.WARNING, logger="integrations.jazzhr"):
        result = list(client.iter_applicants())

    assert [row.id for row in result] == [rows[1]["id"]]
    assert "without an id" in caplog.text


def test_list_applicants_page_keeps_repeats(mocked, client):
    rows = applicant_rows(1) * 2
    mocked.get(f"{BASE}/applicants/name/Peart/page/3", json=rows)

    result = client.list_applicants_page(3, name="Peart")

    assert len(result) == 2


def test_list_applicants_page_drops_non_objects(mocked, client, caplog):
    mocked.get(f"{BASE}/applicants/page/1", json=[load("applicant_row_single"), "x"])

    with caplog.at_level(logging.WARNING, logger="integrations.jazzhr"):
        result = client.list_applicants_page(1)

    assert len(result) == 1
    assert "not objects" in caplog.text


def test_list_applicants_page_scalar_is_transient(mocked, client):
    mocked.get(f"{BASE}/applicants/page/1", json="maintenance")

    with pytest.raises(TransientError) as caught:
        client.list_applicants_page(1)

    assert caught.value.request_may_have_been_applied is False


# Applicant rows and details


def test_applicant_row_has_seven_fields(mocked, client):
    mocked.get(f"{BASE}/applicants/page/1", json=load("applicant_row_single"))

    [row] = client.list_applicants_page(1)

    assert row == ApplicantSummary(
        id=NEIL_ID,
        first_name="Neil",
        last_name="Peart",
        phone="1-888-353-0887",
        apply_date=datetime.date(2012, 10, 30),
        job_id=SAMPLE_JOB_ID,
        job_title="Sample Job",
    )


def test_get_applicant_jobs_as_object(mocked, client):
    mocked.get(f"{BASE}/applicants/{NEIL_ID}", json=load("applicant_detail_one_job"))

    detail = client.get_applicant(NEIL_ID)

    assert isinstance(detail, ApplicantDetail)
    assert len(detail.jobs) == 1
    assert detail.jobs[0].job_id == SAMPLE_JOB_ID
    assert detail.jobs[0].applicant_progress == "New"
    assert detail.jobs[0].workflow_step_id == "8947217"


def test_get_applicant_cleans_fields(mocked, client):
    mocked.get(f"{BASE}/applicants/{NEIL_ID}", json=load("applicant_detail_one_job"))

    detail = client.get_applicant(NEIL_ID)

    assert detail.first_name == "Neil"
    assert detail.last_name == "Peart"
    assert detail.email == "neil.peart@example.com"
    assert detail.linkedin_url == ""
    assert detail.apply_date == datetime.date(2012, 10, 30)
    assert detail.comments_count == 1


def test_get_applicant_jobs_as_list(mocked, client):
    payload = load("applicant_detail_two_jobs")
    mocked.get(f"{BASE}/applicants/{payload['id']}", json=payload)

    detail = client.get_applicant(payload["id"])

    assert [job.applicant_progress for job in detail.jobs] == ["New", "Phone Screen"]
    assert detail.linkedin_url == "https://www.linkedin.com/in/zoe-obriain"
    assert detail.first_name == "Zoë"


@pytest.mark.parametrize(
    "jobs", [[], "", None, "missing"], ids=["list", "string", "null", "missing"]
)
def test_get_applicant_empty_jobs_variants(mocked, client, jobs):
    payload = load("applicant_detail_one_job")
    if jobs == "missing":
        del payload["jobs"]
    else:
        payload["jobs"] = jobs
    mocked.get(f"{BASE}/applicants/{NEIL_ID}", json=payload)

    assert client.get_applicant(NEIL_ID).jobs == ()


def test_get_applicant_placeholder_phone_empty(mocked, client):
    payload = {**load("applicant_detail_one_job"), "phone": "Unavailable"}
    mocked.get(f"{BASE}/applicants/{NEIL_ID}", json=payload)

    assert client.get_applicant(NEIL_ID).phone == ""


def test_get_applicant_counts_comments_without_count(mocked, client):
    payload = load("applicant_detail_one_job")
    del payload["comments_count"]
    mocked.get(f"{BASE}/applicants/{NEIL_ID}", json=payload)

    assert client.get_applicant(NEIL_ID).comments_count == 1


@pytest.mark.parametrize(
    "reply",
    [
        {"json": []},
        {"json": {}},
        {"body": ""},
        {"body": "null"},
        {"status": 404, "json": {"error": "Not Found"}},
        {"status": 404, "body": "<html>Not Found</html>"},
    ],
    ids=["empty-list", "empty-object", "empty-body", "null", "404-json", "404-html"],
)
def test_get_applicant_unknown_is_none(mocked, client, reply):
    mocked.get(f"{BASE}/applicants/prospect_unknown", **reply)

    assert client.get_applicant("prospect_unknown") is None


def test_get_applicant_one_item_list(mocked, client):
    mocked.get(f"{BASE}/applicants/{NEIL_ID}", json=[load("applicant_detail_one_job")])

    assert client.get_applicant(NEIL_ID).id == NEIL_ID


def test_get_applicant_without_id_member(mocked, client):
    payload = load("applicant_detail_one_job")
    del payload["id"]
    mocked.get(f"{BASE}/applicants/{NEIL_ID}", json=payload)

    assert client.get_applicant(NEIL_ID).id == NEIL_ID


def test_get_applicant_id_encoded(mocked, client):
    mocked.get(f"{BASE}/applicants/a%2Fb", json=[])

    client.get_applicant("a/b")

    assert sent_path(mocked) == "/v1/applicants/a%2Fb"


def test_get_applicant_empty_id_rejected(mocked, client):
    with pytest.raises(ValueError):
        client.get_applicant(" ")

    assert len(mocked.calls) == 0


# Jobs and users


def test_list_jobs_parses_rows(mocked, client):
    mocked.get(f"{BASE}/jobs/confidential/false/page/1", json=load("jobs_page"))

    first, second = client.list_jobs()

    assert first == Job(
        id="job_20220513171511_6LJEKRWOANZGQJVL",
        title="Engineering Project Manager - Payments",
        status="Open",
        city="Seattle",
        state="WA",
        department="",
        original_open_date=datetime.date(2022, 5, 13),
        board_code="yuuv4TkERK",
    )
    assert second.department == "Engineering"


def test_list_jobs_bare_object(mocked, client):
    mocked.get(
        f"{BASE}/jobs/confidential/false/page/1", json=load("job_detail_one_applicant")
    )

    [job] = client.list_jobs()

    assert job.id == SAMPLE_JOB_ID


def test_get_job_single_applicant_object(mocked, client):
    mocked.get(f"{BASE}/jobs/{SAMPLE_JOB_ID}", json=load("job_detail_one_applicant"))

    job = client.get_job(SAMPLE_JOB_ID)

    assert job.status == "On Hold"
    assert job.applicant_ids == (NEIL_ID,)


def test_get_job_unknown_is_none(mocked, client):
    mocked.get(f"{BASE}/jobs/job_unknown", json=[])

    assert client.get_job("job_unknown") is None


def test_list_users_parses_rows(mocked, client):
    mocked.get(f"{BASE}/users/page/1", json=load("users_page"))

    users = client.list_users()

    assert users[0] == User(
        id="usr_20211207134708_ZHM0KNCL45WO0X6T",
        type="Administrator",
        first_name="Dana",
        last_name="Reyes",
        email="dana.reyes@example.com",
        date_created=datetime.date(2021, 12, 7),
    )
    assert users[1].date_created is None


def test_list_applicant_jobs_bare_object(mocked, client):
    mocked.get(
        f"{BASE}/applicants2jobs/applicant_id/{NEIL_ID}/page/1",
        json=load("applicants2jobs_row_single"),
    )

    [link] = client.list_applicant_jobs(NEIL_ID)

    assert link.id == "5120981"
    assert link.job_id == SAMPLE_JOB_ID
    assert link.workflow_step_id == "8947217"
    assert link.date is None


# Writes


def test_create_applicant_returns_prospect_id(mocked, client):
    mocked.post(f"{BASE}/applicants", json={"prospect_id": NEIL_ID})

    assert client.create_applicant(first_name="Neil", last_name="Peart") == NEIL_ID


def test_create_applicant_write_field_names(mocked, client):
    mocked.post(f"{BASE}/applicants", json={"prospect_id": NEIL_ID})

    client.create_applicant(
        first_name="Neil",
        last_name="Peart",
        email="neil@example.com",
        linkedin_url="https://www.linkedin.com/in/neil",
        job_id=SAMPLE_JOB_ID,
        source="Sourcing tool",
    )

    assert sent_body(mocked) == {
        "apikey": KEY,
        "first_name": "Neil",
        "last_name": "Peart",
        "email": "neil@example.com",
        "linkedin": "https://www.linkedin.com/in/neil",
        "job": SAMPLE_JOB_ID,
        "source": "Sourcing tool",
    }


def test_create_applicant_requires_names(mocked, client):
    with pytest.raises(ValueError):
        client.create_applicant(first_name="Neil", last_name="")

    assert len(mocked.calls) == 0


def test_create_applicant_error_member_rejected(mocked, client):
    mocked.post(f"{BASE}/applicants", json={"_error": "email was not set"})

    with pytest.raises(RejectedWrite) as caught:
        client.create_applicant(first_name="Neil", last_name="Peart")

    assert caught.value.reason == "email was not set"
    assert caught.value.transient is False
    assert "POST /applicants" in str(caught.value)


@pytest.mark.parametrize("message", ["Invalid API Key", "apikey not set"])
def test_post_key_error_is_invalid_key(mocked, client, message):
    mocked.post(f"{BASE}/notes", json={"_error": message})

    with pytest.raises(InvalidApiKey):
        client.add_note(NEIL_ID, "Checked by the sourcing team.")


def test_create_applicant_reply_without_id(mocked, client):
    mocked.post(f"{BASE}/applicants", json={"status": "ok"})

    with pytest.raises(TransientError) as caught:
        client.create_applicant(first_name="Neil", last_name="Peart")

    assert caught.value.request_may_have_been_applied is True


def test_add_applicant_to_job_returns_id(mocked, client):
    mocked.post(f"{BASE}/applicants2jobs", json={"id": "5120982"})

    link_id = client.add_applicant_to_job(NEIL_ID, SAMPLE_JOB_ID, "8947217")

    assert link_id == "5120982"
    assert sent_body(mocked)["workflow_step_id"] == "8947217"


def test_add_applicant_to_job_reply_without_id(mocked, client):
    mocked.post(f"{BASE}/applicants2jobs", json={})

    assert client.add_applicant_to_job(NEIL_ID, SAMPLE_JOB_ID) == ""
    assert "workflow_step_id" not in sent_body(mocked)


def test_add_note_body_and_id(mocked, client):
    mocked.post(f"{BASE}/notes", json={"comment_id": "41720311"})

    note_id = client.add_note(NEIL_ID, "Checked by the sourcing team.")

    assert note_id == "41720311"
    assert sent_body(mocked) == {
        "apikey": KEY,
        "applicant_id": NEIL_ID,
        "contents": "Checked by the sourcing team.",
        "user_id": "usr_anonymous",
        "security": "1",
    }


# Failures


def test_rate_limited_with_retry_after(mocked, client):
    mocked.get(f"{BASE}/users/page/1", status=429, headers={"Retry-After": "30"})

    with pytest.raises(RateLimited) as caught:
        client.list_users()

    assert caught.value.retry_after == 30.0
    assert caught.value.transient is True


def test_rate_limited_without_retry_after(mocked, client):
    mocked.get(f"{BASE}/users/page/1", status=429, json={"error": "Too Many Requests"})

    with pytest.raises(RateLimited) as caught:
        client.list_users()

    assert caught.value.retry_after is None


def test_rate_limited_retry_after_http_date(mocked, client):
    later = datetime.datetime.now(datetime.UTC) + datetime.timedelta(seconds=90)
    header = email.utils.format_datetime(later, usegmt=True)
    mocked.get(f"{BASE}/users/page/1", status=429, headers={"Retry-After": header})

    with pytest.raises(RateLimited) as caught:
        client.list_users()

    assert 80 < caught.value.retry_after <= 90


def test_server_error_get_not_applied(mocked, client):
    mocked.get(f"{BASE}/users/page/1", status=500)

    with pytest.raises(TransientError) as caught:
        client.list_users()

    assert caught.value.request_may_have_been_applied is False
    assert "HTTP 500" in str(caught.value)


def test_server_error_post_may_be_applied(mocked, client):
    mocked.post(f"{BASE}/applicants", status=502, body="<html>Bad Gateway</html>")

    with pytest.raises(TransientError) as caught:
        client.create_applicant(first_name="Neil", last_name="Peart")

    assert caught.value.request_may_have_been_applied is True


def test_html_body_is_transient(mocked, client, caplog):
    html = (
        f"<html><body>Maintenance <a href='/v1/jobs?apikey={KEY}'>x</a></body></html>"
    )
    mocked.get(f"{BASE}/users/page/1", body=html, content_type="text/html")

    with caplog.at_level(logging.WARNING, logger="integrations.jazzhr"):
        with pytest.raises(TransientError) as caught:
            client.list_users()

    assert caught.value.request_may_have_been_applied is False
    assert "not JSON" in caplog.text
    assert "/users/page/1" in caplog.text
    assert "Maintenance" in caplog.text
    assert KEY not in caplog.text


def test_html_body_excerpt_limited(mocked, client, caplog):
    mocked.get(f"{BASE}/users/page/1", body="<" + "x" * 5000)

    with caplog.at_level(logging.WARNING, logger="integrations.jazzhr"):
        with pytest.raises(TransientError):
            client.list_users()

    assert "x" * 199 in caplog.text
    assert "x" * 201 not in caplog.text


def test_truncated_json_post_may_be_applied(mocked, client):
    mocked.post(f"{BASE}/applicants", body='{"prospect_id": "prospect_2024')

    with pytest.raises(TransientError) as caught:
        client.create_applicant(first_name="Neil", last_name="Peart")

    assert caught.value.request_may_have_been_applied is True


def test_read_timeout_get_not_applied(mocked, client):
    mocked.get(f"{BASE}/users/page/1", body=requests.ReadTimeout("read timed out"))

    with pytest.raises(TransientError) as caught:
        client.list_users()

    assert caught.value.request_may_have_been_applied is False
    assert "Timed out" in str(caught.value)


def test_read_timeout_post_may_be_applied(mocked, client):
    mocked.post(f"{BASE}/applicants", body=requests.ReadTimeout("read timed out"))

    with pytest.raises(TransientError) as caught:
        client.create_applicant(first_name="Neil", last_name="Peart")

    assert caught.value.request_may_have_been_applied is True


def test_connect_timeout_post_not_applied(mocked, client):
    mocked.post(f"{BASE}/applicants", body=requests.ConnectTimeout("connect timed out"))

    with pytest.raises(TransientError) as caught:
        client.create_applicant(first_name="Neil", last_name="Peart")

    assert caught.value.request_may_have_been_applied is False


def test_connection_refused_post_not_applied():
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        port = listener.getsockname()[1]
    client = JazzHRClient(KEY, base_url=f"http://127.0.0.1:{port}/v1")

    with pytest.raises(TransientError) as caught:
        client.create_applicant(first_name="Neil", last_name="Peart")

    assert caught.value.request_may_have_been_applied is False


def test_connection_dropped_post_may_be_applied():
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    port = listener.getsockname()[1]

    def read_request_then_close():
        connection, _ = listener.accept()
        connection.recv(65536)
        connection.close()

    server = threading.Thread(target=read_request_then_close, daemon=True)
    server.start()
    client = JazzHRClient(KEY, base_url=f"http://127.0.0.1:{port}/v1")

    try:
        with pytest.raises(TransientError) as caught:
            client.create_applicant(first_name="Neil", last_name="Peart")
    finally:
        server.join(timeout=5)
        listener.close()

    assert caught.value.request_may_have_been_applied is True


@pytest.mark.parametrize("status", [401, 403])
def test_get_bad_key_status_is_invalid_key(mocked, client, status):
    mocked.get(f"{BASE}/users/page/1", status=status, json={"error": "Invalid API Key"})

    with pytest.raises(InvalidApiKey) as caught:
        client.validate_key()

    assert caught.value.transient is False
    assert f"HTTP {status}" in str(caught.value)


def test_get_bad_key_body_is_invalid_key(mocked, client):
    mocked.get(f"{BASE}/users/page/1", json={"error": "Invalid API Key"})

    with pytest.raises(InvalidApiKey):
        client.validate_key()


def test_validate_key_accepts_valid_key(mocked, client):
    mocked.get(f"{BASE}/users/page/1", json=load("users_page"))

    client.validate_key()

    assert sent_path(mocked) == "/v1/users/page/1"


def test_validate_key_timeout_not_invalid_key(mocked, client):
    mocked.get(f"{BASE}/users/page/1", body=requests.ConnectTimeout("timed out"))

    with pytest.raises(TransientError):
        client.validate_key()


def test_client_error_status_is_permanent(mocked, client):
    mocked.get(f"{BASE}/users/page/1", status=400, json={"error": "Bad filter"})

    with pytest.raises(UnexpectedResponse) as caught:
        client.list_users()

    assert caught.value.transient is False
    assert "Bad filter" in str(caught.value)


def test_list_not_found_is_error(mocked, client):
    mocked.get(f"{BASE}/users/page/1", status=404)

    with pytest.raises(UnexpectedResponse):
        client.list_users()


def test_redirect_not_followed(mocked, client):
    mocked.post(
        f"{BASE}/applicants",
        status=301,
        headers={
            "Location": f"https://elsewhere.example.test/v1/applicants?apikey={KEY}"
        },
    )

    with pytest.raises(UnexpectedResponse) as caught:
        client.create_applicant(first_name="Neil", last_name="Peart")

    assert len(mocked.calls) == 1
    assert KEY not in str(caught.value)


def test_error_classes_share_base():
    for error_class in (
        InvalidApiKey,
        RateLimited,
        TransientError,
        RejectedWrite,
        UnexpectedResponse,
    ):
        assert issubclass(error_class, JazzHRError)


def test_timeout_passed_to_session(mocked):
    mocked.get(f"{BASE}/users/page/1", json=[])
    JazzHRClient(KEY, base_url=BASE).list_users()
    JazzHRClient(KEY, base_url=BASE, timeout=(1.0, 2.0)).list_users()

    assert mocked.calls[0].request.req_kwargs["timeout"] == DEFAULT_TIMEOUT
    assert mocked.calls[1].request.req_kwargs["timeout"] == (1.0, 2.0)


# Hooks


def test_before_request_called_per_request(mocked):
    calls = []
    client = JazzHRClient(KEY, base_url=BASE, before_request=lambda: calls.append(1))
    mocked.get(f"{BASE}/applicants/page/1", json=applicant_rows(PAGE_SIZE))
    mocked.get(f"{BASE}/applicants/page/2", json=applicant_rows(1, start=PAGE_SIZE))
    mocked.post(f"{BASE}/notes", json={"comment_id": "1"})

    list(client.iter_applicants())
    client.add_note(NEIL_ID, "Checked.")

    assert len(calls) == 3


def test_before_request_error_stops_request(mocked):
    def spend_budget():
        raise RateLimited(retry_after=12.0)

    client = JazzHRClient(KEY, base_url=BASE, before_request=spend_budget)

    with pytest.raises(RateLimited):
        client.list_users()

    assert len(mocked.calls) == 0


def test_on_response_gets_method_path_status(mocked):
    seen = []
    client = JazzHRClient(
        KEY, base_url=BASE, on_response=lambda *args: seen.append(args)
    )
    mocked.get(f"{BASE}/applicants/name/Neil%20Peart/page/1", json=[])
    mocked.post(f"{BASE}/notes", status=500)

    list(client.iter_applicants(name="Neil Peart"))
    with pytest.raises(TransientError):
        client.add_note(NEIL_ID, "Checked.")

    assert seen == [
        ("GET", "/applicants/name/[hidden]/page/1", 200),
        ("POST", "/notes", 500),
    ]


def test_on_response_settable_after_creation(mocked, client):
    seen = []
    client.on_response = lambda *args: seen.append(args)
    mocked.get(f"{BASE}/users/page/1", json=[])

    client.list_users()

    assert seen == [("GET", "/users/page/1", 200)]


# Secrets


def test_client_repr_hides_key(client):
    assert KEY not in repr(client)


def test_timeout_error_hides_key(mocked, client):
    leaky = requests.ReadTimeout(
        f"HTTPSConnectionPool(host='x', port=443): Read timed out. "
        f"(url: /v1/users/page/1?apikey={KEY})"
    )
    mocked.get(f"{BASE}/users/page/1", body=leaky)

    with pytest.raises(TransientError) as caught:
        client.list_users()

    rendered = "".join(traceback.format_exception(caught.value))
    assert KEY not in str(caught.value)
    assert KEY not in repr(caught.value)
    assert KEY not in rendered
    assert "/users/page/1" in str(caught.value)


def test_error_member_echoing_key_hidden(mocked, client):
    mocked.post(f"{BASE}/applicants", json={"_error": f"bad request {KEY}"})

    with pytest.raises(RejectedWrite) as caught:
        client.create_applicant(first_name="Neil", last_name="Peart")

    assert KEY not in str(caught.value)
    assert KEY not in caught.value.reason


@pytest.mark.parametrize("status", [401, 429, 500])
def test_status_errors_hide_key(mocked, client, status):
    mocked.get(f"{BASE}/users/page/1", status=status, json={"error": KEY})

    with pytest.raises(JazzHRError) as caught:
        client.list_users()

    assert KEY not in str(caught.value)
    assert KEY not in repr(caught.value)
    assert "GET /users/page/1" in str(caught.value)


def test_debug_log_hides_key_and_name(mocked, client, caplog):
    mocked.get(f"{BASE}/applicants/name/Peart/page/1", json=[])

    with caplog.at_level(logging.DEBUG, logger="integrations.jazzhr"):
        list(client.iter_applicants(name="Peart"))

    assert "GET /applicants/name/[hidden]/page/1 returned HTTP 200" in caplog.text
    assert KEY not in caplog.text
    assert "Peart" not in caplog.text


def test_results_hide_key(mocked, client):
    mocked.get(f"{BASE}/applicants/{NEIL_ID}", json=load("applicant_detail_one_job"))

    detail = client.get_applicant(NEIL_ID)

    assert KEY not in repr(detail)
