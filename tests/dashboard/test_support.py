from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from integrations.jazzhr.models import JazzHRCredential, WorkStatus
from support_dashboard.customers.models import Ats, Customer
from tests.dashboard.conftest import API_KEY_A, invalidate

LIST_URL = reverse("dashboard:customer-list")


def detail_url(customer: Customer) -> str:
    return reverse("dashboard:customer-detail", args=[customer.slug])


def test_home_sends_support_to_customers(login, support):
    response = login(support).get(reverse("dashboard:home"))

    assert response.status_code == 302
    assert response.url == LIST_URL


def test_home_sends_admin_to_customers(login, admin):
    response = login(admin).get(reverse("dashboard:home"))

    assert response.url == LIST_URL


def test_home_anonymous_redirects_to_login(client, db):
    response = client.get(reverse("dashboard:home"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_customer_list_anonymous_redirects_to_login(client, db):
    response = client.get(LIST_URL)

    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={LIST_URL}"


def test_customer_list_recruiter_forbidden(login, recruiter):
    response = login(recruiter).get(LIST_URL)

    assert response.status_code == 403


@pytest.mark.parametrize("persona", ["support", "admin"])
def test_customer_list_staff_allowed(login, request, persona, customer_a):
    response = login(request.getfixturevalue(persona)).get(LIST_URL)

    assert response.status_code == 200
    assert "Acme Corp" in response.content.decode()


def test_customer_list_shows_connection(login, support, customer_a, customer_b):
    invalidate(customer_b)
    Customer.objects.create(name="Initech", slug="initech", ats=Ats.NONE)

    page = login(support).get(LIST_URL).content.decode()

    assert "…5e1f" in page
    assert "Valid" in page
    assert "…77c0" in page
    assert "Needs reconnect" in page
    assert "Not connected" in page


def test_customer_list_searches_name(login, support, customer_a, customer_b):
    page = login(support).get(LIST_URL, {"q": "acme"}).content.decode()

    assert "Acme Corp" in page
    assert "Globex Inc" not in page


def test_customer_list_searches_slug(login, support, customer_a, customer_b):
    page = login(support).get(LIST_URL, {"q": "globex"}).content.decode()

    assert "Globex Inc" in page
    assert "Acme Corp" not in page


def test_customer_list_filters_ats(login, support, customer_a):
    Customer.objects.create(name="Initech", slug="initech", ats=Ats.NONE)

    page = login(support).get(LIST_URL, {"ats": "none"}).content.decode()

    assert "Initech" in page
    assert "Acme Corp" not in page


def test_customer_list_paginates(login, support):
    for number in range(30):
        Customer.objects.create(name=f"Company {number:02}", slug=f"company-{number}")

    first = login(support).get(LIST_URL, {"q": "company"}).content.decode()
    second = login(support).get(LIST_URL, {"q": "company", "page": 2}).content.decode()

    assert "Company 24" in first
    assert "Company 25" not in first
    assert "Company 25" in second
    assert 'href="?q=company&amp;page=2"' in first


def test_customer_list_htmx_renders_results(login, support, customer_a):
    response = login(support).get(
        LIST_URL, {"q": "acme"}, headers={"HX-Request": "true"}
    )
    page = response.content.decode()

    assert 'id="results"' in page
    assert "<html" not in page


def test_customer_detail_unknown_slug_not_found(login, support):
    response = login(support).get(reverse("dashboard:customer-detail", args=["nope"]))

    assert response.status_code == 404


def test_customer_detail_recruiter_forbidden(login, recruiter, customer_a):
    response = login(recruiter).get(detail_url(customer_a))

    assert response.status_code == 403


def test_customer_detail_shows_connection(login, support, customer_a):
    credential = JazzHRCredential.objects.get(customer=customer_a)
    credential.connected_by = support
    credential.last_error = "JazzHR failed with HTTP 502 on GET /users."
    credential.save()

    page = login(support).get(detail_url(customer_a)).content.decode()

    assert "…5e1f" in page
    assert "Valid" in page
    assert "sam.support@example.com" in page
    assert "HTTP 502 on GET /users" in page


def test_customer_detail_hides_api_key(login, support, customer_a):
    page = login(support).get(detail_url(customer_a)).content.decode()

    assert API_KEY_A not in page


def test_customer_detail_states_caveat(login, support, customer_a):
    page = login(support).get(detail_url(customer_a)).content.decode()

    assert "one company-wide API key" in page
    assert "does not enforce its per-user permissions" in page
    assert "hides confidential jobs" in page
    assert "only creates applicants, links them to jobs and adds notes" in page
    assert "could use the JazzHR API to see every applicant" in page


def test_set_ats_changes_customer(login, support, customer_a):
    url = reverse("dashboard:customer-ats", args=[customer_a.slug])

    response = login(support).post(url, {"ats": "none"})

    customer_a.refresh_from_db()
    assert response.status_code == 302
    assert response.url == detail_url(customer_a)
    assert customer_a.ats == Ats.NONE
    assert customer_a.ats_changed_by == support
    assert customer_a.ats_changed_at is not None


def test_set_ats_shows_change_on_page(login, support, customer_a):
    url = reverse("dashboard:customer-ats", args=[customer_a.slug])

    response = login(support).post(url, {"ats": "none"}, follow=True)
    page = response.content.decode()

    assert "ATS set to None." in page
    assert "by sam.support@example.com" in page


def test_set_ats_invalid_value_rejected(login, support, customer_a):
    url = reverse("dashboard:customer-ats", args=[customer_a.slug])

    response = login(support).post(url, {"ats": "workday"})

    customer_a.refresh_from_db()
    assert response.status_code == 422
    assert customer_a.ats == Ats.JAZZHR


def test_set_ats_recruiter_forbidden(login, recruiter, customer_a):
    url = reverse("dashboard:customer-ats", args=[customer_a.slug])

    response = login(recruiter).post(url, {"ats": "none"})

    customer_a.refresh_from_db()
    assert response.status_code == 403
    assert customer_a.ats == Ats.JAZZHR


def test_set_ats_get_not_allowed(login, support, customer_a):
    url = reverse("dashboard:customer-ats", args=[customer_a.slug])

    response = login(support).get(url)

    assert response.status_code == 405


def test_ats_form_requires_csrf_token(support, customer_a):
    client = Client(enforce_csrf_checks=True)
    client.force_login(support)
    url = reverse("dashboard:customer-ats", args=[customer_a.slug])

    response = client.post(url, {"ats": "none"})

    customer_a.refresh_from_db()
    assert response.status_code == 403
    assert customer_a.ats == Ats.JAZZHR


def test_activity_polls_while_unfinished(
    login, support, recruiter, customer_a, make_check, make_upload
):
    make_check(customer_a, recruiter, status=WorkStatus.SUCCEEDED)
    make_upload(customer_a, recruiter, status=WorkStatus.RUNNING)

    page = login(support).get(detail_url(customer_a)).content.decode()

    assert 'hx-trigger="every 2s"' in page


def test_activity_stops_polling_when_finished(
    login, support, recruiter, customer_a, make_check, make_upload
):
    make_check(customer_a, recruiter, status=WorkStatus.SUCCEEDED)
    make_upload(customer_a, recruiter, status=WorkStatus.FAILED, error="Boom.")
    url = reverse("dashboard:customer-activity", args=[customer_a.slug])

    response = login(support).get(url, headers={"HX-Request": "true"})
    page = response.content.decode()

    assert 'id="activity"' in page
    assert "hx-trigger" not in page
    assert "Boom." in page


def test_activity_lists_latest_ten(login, support, recruiter, customer_a, make_check):
    start = timezone.now() - datetime.timedelta(hours=1)
    for number in range(12):
        created_at = start + datetime.timedelta(minutes=number)
        make_check(
            customer_a,
            recruiter,
            created_at=created_at,
            first_name=f"Person{number:02}",
        )

    page = login(support).get(detail_url(customer_a)).content.decode()

    assert "Person11" in page
    assert "Person02" in page
    assert "Person01" not in page


def test_customer_list_shows_waiting_uploads(
    login, support, outsider, customer_a, customer_b, make_upload
):
    invalidate(customer_b)
    make_upload(customer_b, outsider, status=WorkStatus.WAITING)
    make_upload(customer_b, outsider, status=WorkStatus.WAITING)
    make_upload(customer_b, outsider, status=WorkStatus.FAILED)

    page = login(support).get(LIST_URL).content.decode()

    assert "2 uploads waiting for a new key" in page
    assert page.count('class="row-alert"') == 1


def test_customer_list_filters_needs_reconnect(login, support, customer_a, customer_b):
    invalidate(customer_b)

    page = login(support).get(LIST_URL, {"connection": "needs_reconnect"})
    page = page.content.decode()

    assert "Globex Inc" in page
    assert "Acme Corp" not in page


def test_customer_list_filters_not_connected(login, support, customer_a):
    Customer.objects.create(name="Initech", slug="initech", ats=Ats.JAZZHR)

    page = login(support).get(LIST_URL, {"connection": "not_connected"})
    page = page.content.decode()

    assert "Initech" in page
    assert "Acme Corp" not in page


def test_customer_list_query_count(
    login, support, outsider, customer_b, django_assert_max_num_queries
):
    invalidate(customer_b)
    for number in range(20):
        Customer.objects.create(name=f"Company {number:02}", slug=f"company-{number}")
    client = login(support)

    # Session, user, count, and the page of customers with their waiting uploads.
    with django_assert_max_num_queries(4):
        response = client.get(LIST_URL)

    assert response.status_code == 200
