from __future__ import annotations

import json

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse


class BadJson(Exception):
    pass


def error_response(status: int, code: str, message: str, fields=None) -> JsonResponse:
    error = {"code": code, "message": message}
    if fields:
        error["fields"] = fields
    return JsonResponse({"error": error}, status=status)


def form_errors(form) -> dict[str, list[str]]:
    return {name: [str(e) for e in errors] for name, errors in form.errors.items()}


def validation_error(form) -> JsonResponse:
    return error_response(
        400, "invalid_input", "Some fields are missing or invalid.", form_errors(form)
    )


def read_json(request) -> dict:
    """Parse the request body as a JSON object or raise BadJson with the reason."""
    content_type = request.content_type or ""
    if content_type != "application/json":
        raise BadJson("Send the body as JSON with 'Content-Type: application/json'.")
    try:
        body = request.body
    except RequestDataTooBig as exc:
        raise BadJson(
            f"The body is larger than {settings.DATA_UPLOAD_MAX_MEMORY_SIZE} bytes."
        ) from exc
    try:
        data = json.loads(body or b"null")
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BadJson(f"The body is not valid JSON: {exc}.") from exc
    except RecursionError as exc:
        raise BadJson("The body is not valid JSON: it is nested too deeply.") from exc
    if not isinstance(data, dict):
        raise BadJson("The body must be a JSON object.")
    try:
        # JSON escapes can spell lone UTF-16 surrogates, which no database stores.
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except (UnicodeEncodeError, RecursionError) as exc:
        raise BadJson("The body contains text that is not valid Unicode.") from exc
    return data
