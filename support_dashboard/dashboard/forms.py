"""Forms of the dashboard: support page filters, support actions, sidebar upload."""

from __future__ import annotations

from django import forms
from django.db import models
from django.db.models import Q, QuerySet
from django.http import QueryDict

from integrations.jazzhr.forms import UploadForm
from integrations.jazzhr.models import (
    CredentialStatus,
    DuplicateCheck,
    UploadAction,
    WorkStatus,
)
from support_dashboard.accounts.models import Role, User
from support_dashboard.customers.models import Ats, Customer


class DateInput(forms.DateInput):
    input_type = "date"


class ConnectionFilter(models.TextChoices):
    VALID = "valid", "Valid key"
    NEEDS_RECONNECT = "needs_reconnect", "Needs reconnect"
    NOT_CONNECTED = "not_connected", "Not connected"


class CustomerFilterForm(forms.Form):
    q = forms.CharField(label="Search", required=False, max_length=100)
    ats = forms.ChoiceField(
        label="ATS", required=False, choices=[("", "Any ATS"), *Ats.choices]
    )
    connection = forms.ChoiceField(
        label="JazzHR connection",
        required=False,
        choices=[("", "Any connection"), *ConnectionFilter.choices],
    )

    def filter(self, customers: QuerySet[Customer]) -> QuerySet[Customer]:
        """Apply the fields that validated. Call `is_valid()` first."""
        query = self.cleaned_data.get("q", "").strip()
        if query:
            customers = customers.filter(
                Q(name__icontains=query) | Q(slug__icontains=query)
            )
        ats = self.cleaned_data.get("ats")
        if ats:
            customers = customers.filter(ats=ats)
        connection = self.cleaned_data.get("connection")
        if connection:
            customers = customers.filter(CONNECTION_FILTERS[connection])
        return customers


CONNECTION_FILTERS = {
    ConnectionFilter.VALID: Q(jazzhr_credential__status=CredentialStatus.VALID),
    ConnectionFilter.NEEDS_RECONNECT: Q(
        jazzhr_credential__status=CredentialStatus.INVALID
    ),
    ConnectionFilter.NOT_CONNECTED: Q(jazzhr_credential__isnull=True),
}


class AtsForm(forms.Form):
    ats = forms.ChoiceField(label="ATS", choices=Ats.choices, widget=forms.RadioSelect)


class UploadFilterForm(forms.Form):
    customer = forms.ModelChoiceField(
        queryset=Customer.objects.order_by("name"),
        required=False,
        to_field_name="slug",
        empty_label="All customers",
    )
    user = forms.ModelChoiceField(
        queryset=User.objects.filter(role=Role.RECRUITER).order_by("email"),
        required=False,
        empty_label="All users",
    )
    status = forms.ChoiceField(
        required=False, choices=[("", "Any status"), *WorkStatus.choices]
    )
    created_from = forms.DateField(label="From", required=False, widget=DateInput)
    created_to = forms.DateField(label="To", required=False, widget=DateInput)

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("created_from"), data.get("created_to")
        if start and end and start > end:
            self.add_error("created_to", "Enter a date on or after the From date.")
        return data

    def filter(self, uploads: QuerySet) -> QuerySet:
        """Apply the fields that validated. Call `is_valid()` first."""
        data = self.cleaned_data
        if data.get("customer"):
            uploads = uploads.filter(customer=data["customer"])
        if data.get("user"):
            uploads = uploads.filter(requested_by=data["user"])
        if data.get("status"):
            uploads = uploads.filter(status=data["status"])
        if data.get("created_from"):
            uploads = uploads.filter(created_at__date__gte=data["created_from"])
        if data.get("created_to"):
            uploads = uploads.filter(created_at__date__lte=data["created_to"])
        return uploads


class ActionPage(models.TextChoices):
    """The page whose Replay or Cancel button sent the request."""

    CUSTOMER = "customer", "Customer page"
    AUDIT_LIST = "audit-list", "Upload audit"
    AUDIT_DETAIL = "audit-detail", "Upload audit detail"


class UploadActionForm(forms.Form):
    """The hidden fields of a Replay or Cancel button.

    `page` decides which part of which page the response renders. `list_query`
    is the upload audit's query string, so that a browser without JavaScript
    returns to the same filters and page.
    """

    page = forms.ChoiceField(choices=ActionPage.choices)
    list_query = forms.CharField(required=False, max_length=2000)

    def clean_list_query(self) -> str:
        """Return the query string parsed and encoded again.

        The result contains no line breaks or path characters, so it is safe to
        append to the audit list's URL in a redirect.
        """
        return QueryDict(self.cleaned_data["list_query"]).urlencode()


class SidebarUploadForm(UploadForm):
    """The upload form plus the button the recruiter pressed.

    A merge must name one of the applicants that the recruiter's own duplicate
    check found. "Upload as new candidate" ignores any selected applicant.
    """

    action = forms.ChoiceField(
        choices=UploadAction.choices,
        error_messages={
            "required": "Press “Merge with selected profile” or “Upload as new "
            "candidate”.",
        },
    )
    idempotency_key = forms.CharField(required=False, max_length=200)

    def __init__(self, *args, customer: Customer, **kwargs):
        super().__init__(*args, **kwargs)
        self.customer = customer
        self.duplicate_check: DuplicateCheck | None = None

    def clean_duplicate_check_id(self):
        check_id = self.cleaned_data["duplicate_check_id"]
        if check_id is None:
            return None
        self.duplicate_check = DuplicateCheck.objects.filter(
            id=check_id, customer=self.customer
        ).first()
        if self.duplicate_check is None:
            raise forms.ValidationError("No such duplicate check for your company.")
        return check_id

    def clean(self) -> dict:
        data = super().clean()
        if data.get("action") == UploadAction.CREATE:
            data["merge_with_applicant_id"] = ""
        elif data.get("action") == UploadAction.MERGE and not self.has_error(
            "merge_with_applicant_id"
        ):
            self.check_merge_target(data.get("merge_with_applicant_id", ""))
        return data

    def check_merge_target(self, applicant_id: str) -> None:
        if not applicant_id:
            self.add_error(
                "merge_with_applicant_id", "Select the profile to merge with."
            )
            return
        found = self.duplicate_check.matches if self.duplicate_check else []
        if applicant_id not in {match["applicant_id"] for match in found}:
            self.add_error(
                "merge_with_applicant_id",
                "Select one of the profiles found by the duplicate check.",
            )
