"""Support enables JazzHR; a recruiter connects and uploads a candidate."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from integrations.jazzhr.models import Upload
from support_dashboard.accounts.services import create_user
from support_dashboard.customers.services import create_customer
from tests.integration.conftest import APPLICANTS, JOBS

pytestmark = [pytest.mark.browser, pytest.mark.worker]

SUPPORT_PASSWORD = "support-browser-password"
RECRUITER_PASSWORD = "recruiter-browser-password"


def log_in(page: Page, base_url: str, email: str, password: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name=re.compile("log in|sign in", re.I)).click()


def log_out(page: Page) -> None:
    page.get_by_role("button", name=re.compile("log out", re.I)).click()


def test_support_enables_and_recruiter_uploads(
    page: Page, live_server, worker, jazzhr_account, tmp_path
):
    jazzhr_account.load("jobs", JOBS)
    jazzhr_account.load("applicants", APPLICANTS)
    customer = create_customer("Acme Robotics")
    create_user("sam@example.com", role="support", password=SUPPORT_PASSWORD)
    create_user(
        "riley@acme.example",
        role="recruiter",
        customer=customer,
        password=RECRUITER_PASSWORD,
    )
    base_url = live_server.url

    # Support staff switch the customer's ATS to JazzHR.
    log_in(page, base_url, "sam@example.com", SUPPORT_PASSWORD)
    page.goto(f"{base_url}/customers/")
    page.get_by_role("link", name="Acme Robotics").click()
    page.get_by_label("JazzHR").check()
    page.get_by_role("button", name="Save ATS").click()
    expect(page.get_by_text("sam@example.com").first).to_be_visible()
    customer.refresh_from_db()
    assert customer.ats == "jazzhr"
    page.screenshot(path=str(tmp_path / "customer.png"))
    log_out(page)

    # The recruiter connects with the company key, checks and uploads.
    log_in(page, base_url, "riley@acme.example", RECRUITER_PASSWORD)
    page.goto(f"{base_url}/sidebar/")
    page.get_by_label("API key").fill(jazzhr_account.api_key)
    page.get_by_role("button", name="Connect", exact=True).click()
    expect(page.get_by_text(f"…{jazzhr_account.api_key[-4:]}").first).to_be_visible()
    page.get_by_role("link", name="Continue").click()

    page.get_by_label("First name").fill("Bob")
    page.get_by_label("Last name").fill("Smith")
    page.get_by_label("Email").fill("robert.smith@example.com")
    job_select = page.locator("select#id_job_id")
    expect(job_select).to_be_visible(timeout=15000)
    expect(
        job_select.locator("option", has_text="Secret Acquisition Lead")
    ).to_have_count(0)
    job_select.select_option(label="Backend Engineer · Pittsburgh")
    page.get_by_role("button", name="Check for duplicates").click()

    expect(page.get_by_text("Potential duplicates in JazzHR")).to_be_visible(
        timeout=20000
    )
    expect(page.get_by_text("Robert Smith").first).to_be_visible()
    page.get_by_role("button", name="Upload as new candidate").click()
    expect(page.get_by_text("Uploaded: JazzHR applicant")).to_be_visible(timeout=20000)
    page.screenshot(path=str(tmp_path / "sidebar.png"))

    upload = Upload.objects.get()
    assert upload.status == "succeeded"
    applicant = jazzhr_account.get(f"/applicants/{upload.jazzhr_applicant_id}")
    assert applicant["email"] == "robert.smith@example.com"
    jobs = (
        applicant["jobs"]
        if isinstance(applicant["jobs"], list)
        else [applicant["jobs"]]
    )
    assert [job["applicant_progress"] for job in jobs] == ["New"]
