"""The recruiter JSON API that the sourcing sidebar calls (`/api/v1/`)."""

from __future__ import annotations

import functools
import logging

from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt

from integrations.jazzhr import errors as jazzhr_errors
from integrations.jazzhr.forms import CandidateForm, ConnectForm, UploadForm
from integrations.jazzhr.models import DuplicateCheck, Upload
from integrations.jazzhr.services import connection, duplicate_checks, jobs, uploads
from support_dashboard.api import serializers
from support_dashboard.api.auth import recruiter_api
from support_dashboard.api.openapi import openapi_document
from support_dashboard.api.responses import (
    BadJson,
    error_response,
    read_json,
    validation_error,
)

logger = logging.getLogger(__name__)

MAX_IDEMPOTENCY_KEY_LENGTH = 200


def api_methods(*methods: str):
    """Allow only `methods` and return a JSON 405 for any other.

    The API authenticates with bearer tokens, not cookies, so CSRF checks do not
    apply to it.
    """

    def decorator(view):
        @csrf_exempt
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method not in methods:
                response = error_response(
                    405,
                    "method_not_allowed",
                    f"{request.method} is not allowed here; use {', '.join(methods)}.",
                )
                response["Allow"] = ", ".join(methods)
                return response
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def parse_form(request, form_class):
    """Return a bound form for the JSON body, or an error response."""
    try:
        data = read_json(request)
    except BadJson as exc:
        return None, error_response(400, "invalid_json", str(exc))
    wrong_types = {
        name: ["Must be a string."]
        for name, value in data.items()
        if name in form_class.base_fields and not isinstance(value, str | None)
    }
    if wrong_types:
        return None, error_response(
            400, "invalid_input", "Some fields are missing or invalid.", wrong_types
        )
    form = form_class({k: v for k, v in data.items() if v is not None})
    if not form.is_valid():
        return None, validation_error(form)
    return form, None


def jazzhr_unavailable(exc: jazzhr_errors.JazzHRError) -> JsonResponse:
    if isinstance(exc, jazzhr_errors.RateLimited):
        return error_response(
            503,
            "jazzhr_rate_limited",
            "JazzHR is limiting requests; try again in a minute.",
        )
    return error_response(
        502, "jazzhr_unavailable", f"JazzHR could not be reached: {exc}"
    )


def not_ready(exc: Exception) -> JsonResponse:
    if isinstance(exc, connection.AtsNotEnabled):
        return error_response(409, "ats_not_enabled", str(exc))
    return error_response(409, "not_connected", str(exc))


@api_methods("POST")
@recruiter_api
def connect(request):
    form, error = parse_form(request, ConnectForm)
    if error:
        return error

    try:
        credential = connection.connect(
            request.customer, form.cleaned_data["api_key"], user=request.user
        )
    except connection.AtsNotEnabled as exc:
        return not_ready(exc)
    except connection.TooManyConnectAttempts as exc:
        return error_response(429, "too_many_attempts", str(exc))
    except jazzhr_errors.InvalidApiKey as exc:
        return error_response(400, "invalid_api_key", str(exc))
    except jazzhr_errors.JazzHRError as exc:
        logger.warning("Connect for customer %s failed: %s", request.customer.slug, exc)
        return jazzhr_unavailable(exc)
    return JsonResponse(
        {"connected": True, "key_fingerprint": credential.key_fingerprint}
    )


@api_methods("GET")
@recruiter_api
def job_list(request):
    try:
        listed = jobs.listed_jobs(request.customer)
    except (connection.AtsNotEnabled, connection.NotConnected) as exc:
        return not_ready(exc)
    except jazzhr_errors.InvalidApiKey:
        return error_response(
            409, "not_connected", "JazzHR rejected the saved API key; reconnect."
        )
    except jazzhr_errors.JazzHRError as exc:
        logger.warning(
            "Job list for customer %s failed: %s", request.customer.slug, exc
        )
        return jazzhr_unavailable(exc)
    return JsonResponse({"jobs": [serializers.job(job) for job in listed]})


@api_methods("POST")
@recruiter_api
def duplicate_check_create(request):
    form, error = parse_form(request, CandidateForm)
    if error:
        return error

    try:
        check = duplicate_checks.request_duplicate_check(
            request.customer, form.candidate(), user=request.user
        )
    except (connection.AtsNotEnabled, connection.NotConnected) as exc:
        return not_ready(exc)
    return JsonResponse(serializers.duplicate_check(check), status=202)


@api_methods("GET")
@recruiter_api
def duplicate_check_detail(request, check_id):
    check = DuplicateCheck.objects.filter(
        id=check_id, customer=request.customer
    ).first()
    if check is None:
        return error_response(404, "not_found", f"No duplicate check {check_id}.")
    return JsonResponse(serializers.duplicate_check(check))


@api_methods("POST")
@recruiter_api
def upload_create(request):
    idempotency_key = request.headers.get("Idempotency-Key", "").strip()
    if len(idempotency_key) > MAX_IDEMPOTENCY_KEY_LENGTH:
        return error_response(
            400,
            "invalid_idempotency_key",
            f"Idempotency-Key is longer than {MAX_IDEMPOTENCY_KEY_LENGTH} characters.",
        )
    form, error = parse_form(request, UploadForm)
    if error:
        return error

    data = form.cleaned_data
    check = None
    if data["duplicate_check_id"]:
        check = DuplicateCheck.objects.filter(
            id=data["duplicate_check_id"], customer=request.customer
        ).first()
        if check is None:
            return error_response(
                400,
                "invalid_input",
                "Some fields are missing or invalid.",
                {"duplicate_check_id": ["No such duplicate check for your company."]},
            )
    try:
        upload, created = uploads.request_upload(
            request.customer,
            form.candidate(),
            user=request.user,
            job_id=data["job_id"],
            merge_with_applicant_id=data["merge_with_applicant_id"],
            duplicate_check=check,
            idempotency_key=idempotency_key,
        )
    except (connection.AtsNotEnabled, connection.NotConnected) as exc:
        return not_ready(exc)
    except uploads.IdempotencyKeyReused as exc:
        return error_response(409, "idempotency_key_reused", str(exc))
    return JsonResponse(serializers.upload(upload), status=202 if created else 200)


@api_methods("GET")
@recruiter_api
def upload_detail(request, upload_id):
    upload = Upload.objects.filter(id=upload_id, customer=request.customer).first()
    if upload is None:
        return error_response(404, "not_found", f"No upload {upload_id}.")
    return JsonResponse(serializers.upload(upload))


@api_methods("GET")
def openapi(request):
    return JsonResponse(openapi_document())


@api_methods("GET", "POST", "PUT", "PATCH", "DELETE")
def unknown_endpoint(request, path=""):
    return error_response(
        404,
        "not_found",
        f"No API endpoint at {request.path}. See /api/v1/openapi.json.",
    )
