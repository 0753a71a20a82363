"""A per-customer copy of the JazzHR applicants that duplicate checks search.

JazzHR cannot search by email and lists only seven fields per applicant, so a sync
copies every applicant here, with the email, phone and LinkedIn URL from each
applicant's detail. The matcher's blocking keys are stored beside each applicant,
so a check finds its candidates with one indexed query.
"""

from __future__ import annotations

from django.db import models


class SyncPhase(models.TextChoices):
    IDLE = "idle", "Idle"
    LISTING = "listing", "Listing applicants"
    FETCHING_DETAILS = "fetching_details", "Fetching applicant details"


class IndexedApplicantQuerySet(models.QuerySet):
    def for_customer(self, customer) -> IndexedApplicantQuerySet:
        return self.filter(customer=customer)

    def awaiting_details(self) -> IndexedApplicantQuerySet:
        """Applicants whose detail has not been fetched, newest apply date first."""
        return self.filter(has_details=False, is_detail_unavailable=False).order_by(
            models.F("apply_date").desc(nulls_last=True), "jazzhr_applicant_id"
        )


class IndexedApplicant(models.Model):
    """One JazzHR applicant of a customer, as last read from JazzHR."""

    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.CASCADE,
        related_name="jazzhr_indexed_applicants",
    )
    jazzhr_applicant_id = models.CharField(max_length=64)
    first_name = models.CharField(max_length=200, blank=True)
    last_name = models.CharField(max_length=200, blank=True)
    email = models.CharField(max_length=254, blank=True)
    phone = models.CharField(max_length=64, blank=True)
    linkedin_url = models.CharField(max_length=500, blank=True)
    apply_date = models.DateField(null=True, blank=True)
    has_details = models.BooleanField(
        default=False,
        help_text="Whether email and LinkedIn URL come from the applicant's detail; "
        "list rows carry only names and phone.",
    )
    is_detail_unavailable = models.BooleanField(
        default=False,
        help_text="JazzHR answered the detail request with an error that a retry "
        "cannot fix, so syncs stop asking for it.",
    )
    details_fetched_at = models.DateTimeField(null=True, blank=True)
    listed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = IndexedApplicantQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "jazzhr_applicant_id"],
                name="indexed_applicant_unique_per_customer",
            )
        ]
        indexes = [
            models.Index(
                fields=["customer", "has_details", "apply_date"],
                name="indexed_applicant_details",
            )
        ]

    def __str__(self) -> str:
        return f"Indexed JazzHR applicant {self.jazzhr_applicant_id}"


class IndexedApplicantKey(models.Model):
    """One blocking key of an indexed applicant, such as "e:ada@example.com".

    `customer` repeats the applicant's customer so that (customer, key) is one index.
    """

    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.CASCADE, related_name="+"
    )
    applicant = models.ForeignKey(
        IndexedApplicant, on_delete=models.CASCADE, related_name="keys"
    )
    key = models.CharField(max_length=300)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["applicant", "key"], name="indexed_applicant_key_unique"
            )
        ]
        indexes = [
            models.Index(fields=["customer", "key"], name="indexed_key_lookup"),
        ]

    def __str__(self) -> str:
        return f"{self.key} of applicant {self.applicant_id}"


class IndexSyncState(models.Model):
    """Progress of a customer's index sync, saved so a killed worker resumes in place.

    A sync lists applicants page by page (`cursor_page`), then fetches the detail of
    every applicant without one, newest apply date first. `run_token` names the one
    task chain allowed to advance the sync, and `lease_expires_at` keeps a second
    worker out while one is running.
    """

    customer = models.OneToOneField(
        "customers.Customer",
        on_delete=models.CASCADE,
        related_name="jazzhr_index_sync",
    )
    phase = models.CharField(
        max_length=20, choices=SyncPhase.choices, default=SyncPhase.IDLE
    )
    is_full_sync = models.BooleanField(
        default=False,
        help_text="Whether the current or last sync lists every applicant rather "
        "than those applied since list_from_date.",
    )
    list_from_date = models.DateField(null=True, blank=True)
    cursor_page = models.PositiveIntegerField(default=1)
    cursor_applicant_id = models.CharField(
        max_length=64,
        blank=True,
        help_text="The applicant whose detail was saved last. Details are fetched "
        "for every applicant without one, so a resumed sync needs no other cursor.",
    )
    listed_count = models.PositiveIntegerField(default=0)
    detailed_count = models.PositiveIntegerField(default=0)
    total_count = models.PositiveIntegerField(default=0)
    newest_apply_date = models.DateField(null=True, blank=True)
    sync_started_at = models.DateTimeField(null=True, blank=True)
    full_listing_finished_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When a full sync last finished listing: from then on the index "
        "holds every applicant's names and phone, if not yet every email.",
    )
    last_sync_finished_at = models.DateTimeField(null=True, blank=True)
    last_full_sync_finished_at = models.DateTimeField(null=True, blank=True)
    last_run_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    failure_count = models.PositiveSmallIntegerField(default=0)
    run_token = models.CharField(max_length=32, blank=True)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    resume_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "JazzHR index sync state"

    def __str__(self) -> str:
        return f"Index sync of customer {self.customer_id} ({self.phase})"

    @property
    def is_running(self) -> bool:
        return self.phase != SyncPhase.IDLE

    @property
    def is_ready(self) -> bool:
        """Whether a full listing has finished, so every applicant is in the index."""
        return self.full_listing_finished_at is not None
