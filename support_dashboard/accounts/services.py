from __future__ import annotations

import logging
import secrets

from django.db import transaction

from support_dashboard.accounts.models import ApiToken, Role, User
from support_dashboard.customers.models import Customer

logger = logging.getLogger(__name__)


class UserInputError(ValueError):
    pass


@transaction.atomic
def create_user(
    email: str,
    *,
    role: str,
    customer: Customer | None = None,
    password: str | None = None,
    first_name: str = "",
    last_name: str = "",
) -> tuple[User, str, str | None]:
    """Create a user; return it with its password and, for recruiters, an API token."""
    email = User.objects.normalize_email(email.strip())
    if "@" not in email:
        raise UserInputError(f"{email!r} is not an email address.")
    if role not in Role.values:
        raise UserInputError(
            f"Unknown role {role!r}: use one of {', '.join(Role.values)}."
        )
    if role == Role.RECRUITER and customer is None:
        raise UserInputError("A recruiter needs a customer (--customer SLUG).")
    if role != Role.RECRUITER and customer is not None:
        raise UserInputError("Only recruiters belong to a customer.")
    if User.objects.filter(username__iexact=email).exists():
        raise UserInputError(f"A user {email} already exists.")

    password = password or secrets.token_urlsafe(12)
    user = User.objects.create_user(
        username=email,
        email=email,
        password=password,
        role=role,
        customer=customer,
        first_name=first_name,
        last_name=last_name,
        is_staff=role != Role.RECRUITER,
        is_superuser=role == Role.ADMIN,
    )
    token = None
    if role == Role.RECRUITER:
        _, token = ApiToken.issue(user, name="created with the user")
    logger.info("Created user %s with role %s", user.pk, role)
    return user, password, token
