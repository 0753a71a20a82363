"""Demo data: customers, users with known logins, and a connected JazzHR account."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from integrations.jazzhr.models import CredentialStatus, JazzHRCredential
from integrations.jazzhr.services import index
from support_dashboard.accounts.models import ApiToken, Role, User
from support_dashboard.customers.models import Ats, Customer

# The simulator creates an account with this key when started with --demo-key.
DEMO_JAZZHR_API_KEY = "demo0acme0jazzhr0key0000000000aa"
DEMO_CUSTOMERS = [
    ("Acme Robotics", "acme-robotics", Ats.JAZZHR),
    ("Globex", "globex", Ats.JAZZHR),
    ("Initech", "initech", Ats.NONE),
]


@dataclass(frozen=True)
class DemoLogin:
    email: str
    password: str
    role: str
    customer: str
    api_token: str = ""


DEMO_USERS = [
    ("support@example.com", Role.SUPPORT, None, "Sam", "Support"),
    ("admin@example.com", Role.ADMIN, None, "Alex", "Admin"),
    ("riley@acme.example", Role.RECRUITER, "acme-robotics", "Riley", "Recruiter"),
    ("gus@globex.example", Role.RECRUITER, "globex", "Gus", "Recruiter"),
]


def demo_password(email: str) -> str:
    return email.split("@")[0] + "-demo-password"


@transaction.atomic
def seed_demo() -> list[DemoLogin]:
    """Create or reset the demo rows; safe to run again."""
    customers = {}
    for name, slug, ats in DEMO_CUSTOMERS:
        customers[slug], _ = Customer.objects.update_or_create(
            slug=slug, defaults={"name": name, "ats": ats}
        )

    logins = []
    for email, role, slug, first_name, last_name in DEMO_USERS:
        customer = customers.get(slug)
        user, _ = User.objects.update_or_create(
            username=email,
            defaults={
                "email": email,
                "role": role,
                "customer": customer,
                "first_name": first_name,
                "last_name": last_name,
                "is_staff": role != Role.RECRUITER,
                "is_superuser": role == Role.ADMIN,
            },
        )
        password = demo_password(email)
        user.set_password(password)
        user.save()
        token = ""
        if role == Role.RECRUITER:
            user.api_tokens.all().delete()
            _, token = ApiToken.issue(user, name="demo")
        logins.append(DemoLogin(email, password, role, slug or "", token))

    recruiter = User.objects.get(username="riley@acme.example")
    connect_demo_account(customers["acme-robotics"], recruiter)
    # The worker builds the applicant index as soon as it starts.
    index.schedule_initial_sync(customers["acme-robotics"])
    return logins


def connect_demo_account(customer: Customer, connected_by: User) -> None:
    credential = JazzHRCredential.objects.filter(customer=customer).first()
    credential = credential or JazzHRCredential(customer=customer)
    credential.set_api_key(DEMO_JAZZHR_API_KEY)
    credential.status = CredentialStatus.VALID
    credential.connected_at = credential.last_validated_at = timezone.now()
    credential.connected_by = connected_by
    credential.save()
