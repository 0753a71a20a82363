from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q

TOKEN_PREFIX = "jzs_"


class Role(models.TextChoices):
    SUPPORT = "support", "Support staff"
    ADMIN = "admin", "Admin"
    RECRUITER = "recruiter", "Recruiter"


class User(AbstractUser):
    """A person who signs in: support staff, an admin, or a customer's recruiter."""

    role = models.CharField(max_length=16, choices=Role.choices)
    customer = models.ForeignKey(
        "customers.Customer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="recruiter_has_customer",
                condition=~Q(role="recruiter") | Q(customer__isnull=False),
            ),
            models.CheckConstraint(
                name="staff_has_no_customer",
                condition=Q(role="recruiter") | Q(customer__isnull=True),
            ),
        ]

    @property
    def is_recruiter(self) -> bool:
        return self.role == Role.RECRUITER

    @property
    def is_support(self) -> bool:
        """Support staff and admins both run the support dashboard."""
        return self.role in {Role.SUPPORT, Role.ADMIN}

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    def __str__(self) -> str:
        return self.email or self.username


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def active(self) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True, user__is_active=True)


class ApiToken(models.Model):
    """A recruiter's personal token for the JSON API. Only its SHA-256 is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(max_length=12, editable=False)
    name = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @classmethod
    def issue(cls, user: User, name: str = "") -> tuple[ApiToken, str]:
        """Create a token for `user` and return it with the plain text, shown once."""
        plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user, token_hash=hash_token(plain), prefix=plain[:10], name=name
        )
        return token, plain
