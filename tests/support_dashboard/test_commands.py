from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from support_dashboard.accounts.models import ApiToken, User, hash_token
from support_dashboard.customers.models import Customer


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_create_customer_prints_slug():
    output = run("create_customer", "Acme Robotics", "--ats", "jazzhr")

    assert output.strip() == "acme-robotics"
    assert Customer.objects.get(slug="acme-robotics").ats == "jazzhr"


@pytest.mark.django_db
def test_create_customer_slug_unique():
    run("create_customer", "Acme Robotics")

    assert run("create_customer", "Acme Robotics").strip() == "acme-robotics-2"


@pytest.mark.django_db
def test_create_recruiter_prints_password_and_token():
    run("create_customer", "Acme Robotics")

    output = run(
        "create_user",
        "riley@acme.example",
        "--role",
        "recruiter",
        "--customer",
        "acme-robotics",
    )

    lines = dict(line.split(": ", 1) for line in output.strip().splitlines())
    user = User.objects.get(email="riley@acme.example")
    assert user.check_password(lines["password"])
    assert user.customer.slug == "acme-robotics"
    token = ApiToken.objects.get(user=user)
    assert token.token_hash == hash_token(lines["api token"])
    assert lines["api token"] not in token.token_hash


@pytest.mark.django_db
def test_create_support_user_has_no_token():
    output = run("create_user", "sam@example.com", "--role", "support")

    assert "api token" not in output
    assert User.objects.get(email="sam@example.com").is_staff


@pytest.mark.django_db
@pytest.mark.parametrize(
    "args, message",
    [
        (["riley@acme.example", "--role", "recruiter"], "needs a customer"),
        (
            ["riley@acme.example", "--role", "recruiter", "--customer", "nope"],
            "No customer",
        ),
        (["not-an-email", "--role", "support"], "not an email"),
    ],
)
def test_create_user_rejects_bad_input(args, message):
    with pytest.raises(CommandError, match=message):
        run("create_user", *args)
    assert not User.objects.exists()
