from __future__ import annotations

from django.conf import settings
from django.db import models


class Ats(models.TextChoices):
    NONE = "none", "None"
    JAZZHR = "jazzhr", "JazzHR"


class Customer(models.Model):
    """A company that uses the sourcing product, with the ATS its recruiters push to."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    ats = models.CharField(max_length=16, choices=Ats.choices, default=Ats.NONE)
    ats_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    ats_changed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def uses_jazzhr(self) -> bool:
        return self.ats == Ats.JAZZHR
