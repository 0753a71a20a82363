from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from support_dashboard import encryption


class CredentialStatus(models.TextChoices):
    VALID = "valid", "Valid"
    INVALID = "invalid", "Invalid: needs reconnect"


class JazzHRCredential(models.Model):
    """A customer's company-wide JazzHR API key, encrypted at rest.

    The plain key is only ever returned by `api_key()`; pages and logs use
    `key_fingerprint`, the last four characters.
    """

    customer = models.OneToOneField(
        "customers.Customer", on_delete=models.CASCADE, related_name="jazzhr_credential"
    )
    encrypted_api_key = models.TextField(editable=False)
    key_fingerprint = models.CharField(max_length=8, editable=False)
    status = models.CharField(
        max_length=16, choices=CredentialStatus.choices, default=CredentialStatus.VALID
    )
    last_validated_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    requests_per_minute = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Requests per minute this product may send with the key; empty "
        "means the JAZZHR_REQUESTS_PER_MINUTE default. JazzHR allows about 80.",
    )
    connected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    connected_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "JazzHR credential"

    def __str__(self) -> str:
        return f"JazzHR key …{self.key_fingerprint} for {self.customer}"

    def _associated_data(self) -> str:
        return f"jazzhr-credential:customer:{self.customer_id}"

    def set_api_key(self, api_key: str) -> None:
        self.encrypted_api_key = encryption.encrypt(api_key, self._associated_data())
        self.key_fingerprint = fingerprint(api_key)

    def api_key(self) -> str:
        return encryption.decrypt(self.encrypted_api_key, self._associated_data())

    @property
    def is_valid(self) -> bool:
        return self.status == CredentialStatus.VALID


def fingerprint(api_key: str) -> str:
    return api_key[-4:] if len(api_key) >= 12 else "****"


class WorkStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    # An upload that cannot run yet: JazzHR rejected the key (it resumes after a
    # reconnect) or JazzHR is turned off for the customer (it resumes when enabled).
    WAITING = "waiting", "Waiting"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


FINISHED_STATUSES = (WorkStatus.SUCCEEDED, WorkStatus.FAILED, WorkStatus.CANCELLED)


class QueuedWork(models.Model):
    """Fields of a row that a Celery task claims and works on."""

    status = models.CharField(
        max_length=16, choices=WorkStatus.choices, default=WorkStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    # A claimed row belongs to its worker until this time; after it, the recovery
    # sweep assumes the worker died and queues the row again.
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    # When a queued row's next attempt is due. A row still queued well after this
    # lost its task message, so the recovery sweep enqueues it again.
    next_attempt_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True


class CandidateFields(models.Model):
    """The candidate profile a recruiter submitted, as entered."""

    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    email = models.EmailField(max_length=254, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    linkedin_url = models.URLField(max_length=300, blank=True)

    class Meta:
        abstract = True

    @property
    def candidate_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class WorkQuerySet(models.QuerySet):
    def unfinished(self) -> WorkQuerySet:
        return self.exclude(status__in=FINISHED_STATUSES)

    def for_customer(self, customer) -> WorkQuerySet:
        return self.filter(customer=customer)


class DuplicateCheck(CandidateFields, QueuedWork):
    """One search of a customer's JazzHR applicants for a candidate, and its result."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.CASCADE, related_name="duplicate_checks"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="duplicate_checks",
    )
    matches = models.JSONField(default=list, blank=True)
    error = models.TextField(blank=True)
    # Set when a check succeeded with less than a live look-up, for example from
    # the applicant index alone while JazzHR could not be reached.
    notice = models.TextField(blank=True)
    index_age_minutes = models.PositiveIntegerField(null=True, blank=True)
    jazzhr_request_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = WorkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["customer", "-created_at"])]

    def __str__(self) -> str:
        return f"Duplicate check {self.id} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED_STATUSES

    @property
    def duration_ms(self) -> int | None:
        if self.started_at and self.finished_at:
            return round((self.finished_at - self.started_at).total_seconds() * 1000)
        return None


class UploadAction(models.TextChoices):
    CREATE = "create", "Upload as new candidate"
    MERGE = "merge", "Merge with selected profile"


class Upload(CandidateFields, QueuedWork):
    """One push of a candidate into JazzHR, and the audit record of it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.CASCADE, related_name="uploads"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="uploads",
    )
    duplicate_check = models.ForeignKey(
        DuplicateCheck,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="uploads",
    )
    matches_shown = models.JSONField(default=list, blank=True)
    action = models.CharField(max_length=8, choices=UploadAction.choices)
    merge_with_applicant_id = models.CharField(max_length=64, blank=True)
    job_id = models.CharField(max_length=64, blank=True)
    job_title = models.CharField(max_length=200, blank=True)
    jazzhr_applicant_id = models.CharField(max_length=64, blank=True)
    jazzhr_note_id = models.CharField(max_length=64, blank=True)
    # Set just before POST /applicants is sent and cleared only when JazzHR certainly
    # did not apply it, so a retry searches JazzHR before sending again.
    create_sent_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    # What happened beyond the status, e.g. "same candidate as upload …".
    result_note = models.TextField(blank=True)
    idempotency_key = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = WorkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["customer", "-created_at"]),
            models.Index(fields=["status", "-created_at"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["requested_by", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="upload_idempotency_key_per_user",
            ),
            models.CheckConstraint(
                name="merge_names_applicant",
                condition=~Q(action="merge") | ~Q(merge_with_applicant_id=""),
            ),
        ]

    def __str__(self) -> str:
        return f"Upload {self.id} ({self.action}, {self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED_STATUSES


class CandidateUploadLock(models.Model):
    """Serialises the uploads of one person for one customer.

    `identity_key` is the candidate's canonical email, or their normalised name and
    contact details without one. The upload that holds the lock is the only one
    allowed to create that person in JazzHR; identical uploads that arrive meanwhile
    wait, then reuse the applicant it created.
    """

    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.CASCADE, related_name="+"
    )
    identity_key = models.CharField(max_length=400)
    upload = models.ForeignKey(
        Upload, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    jazzhr_applicant_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "identity_key"], name="candidate_lock_per_customer"
            )
        ]

    def __str__(self) -> str:
        return f"Upload lock {self.pk} for customer {self.customer_id}"


class SupportActionKind(models.TextChoices):
    REPLAY_UPLOAD = "replay_upload", "Replayed a failed upload"
    CANCEL_UPLOAD = "cancel_upload", "Cancelled an unstarted upload"
    RERUN_CHECK = "rerun_check", "Re-ran a duplicate check"
    REVALIDATE_KEY = "revalidate_key", "Re-validated the JazzHR key"
    SYNC_INDEX = "sync_index", "Started an applicant index sync"


class SupportAction(models.Model):
    """An action support staff or an admin took, for the audit trail."""

    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.CASCADE, related_name="support_actions"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=32, choices=SupportActionKind.choices)
    upload = models.ForeignKey(
        Upload, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    duplicate_check = models.ForeignKey(
        DuplicateCheck,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    detail = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} by {self.actor} at {self.created_at}"
