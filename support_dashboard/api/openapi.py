"""OpenAPI 3.1 description of the recruiter JSON API, served at /api/v1/openapi.json."""

from __future__ import annotations

STRING = {"type": "string"}
NULLABLE_STRING = {"type": ["string", "null"]}
STATUS = {
    "type": "string",
    "enum": ["queued", "running", "succeeded", "failed"],
}
UPLOAD_STATUS = {
    "type": "string",
    "enum": ["queued", "running", "waiting", "succeeded", "failed", "cancelled"],
    "description": "'waiting': JazzHR rejected the company key; the upload resumes "
    "after a reconnect.",
}


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def json_body(schema: dict, description: str = "") -> dict:
    body = {"content": {"application/json": {"schema": schema}}}
    if description:
        body["description"] = description
    return body


def error(description: str) -> dict:
    return json_body(ref("Error"), description)


CANDIDATE_PROPERTIES = {
    "first_name": {"type": "string", "maxLength": 100},
    "last_name": {"type": "string", "maxLength": 100},
    "email": {"type": "string", "format": "email", "maxLength": 254},
    "phone": {"type": "string", "maxLength": 40},
    "linkedin_url": {"type": "string", "format": "uri", "maxLength": 300},
}

SCHEMAS = {
    "Error": {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["code", "message"],
                "properties": {
                    "code": STRING,
                    "message": STRING,
                    "fields": {
                        "type": "object",
                        "additionalProperties": {"type": "array", "items": STRING},
                    },
                },
            }
        },
    },
    "Candidate": {
        "type": "object",
        "required": ["first_name", "last_name"],
        "properties": CANDIDATE_PROPERTIES,
    },
    "UploadRequest": {
        "type": "object",
        "required": ["first_name", "last_name"],
        "properties": {
            **CANDIDATE_PROPERTIES,
            "job_id": {"type": "string", "description": "JazzHR job id (optional)."},
            "merge_with_applicant_id": {
                "type": "string",
                "description": "Merge with this JazzHR applicant instead of creating "
                "a new one.",
            },
            "duplicate_check_id": {"type": "string", "format": "uuid"},
        },
    },
    "Match": {
        "type": "object",
        "properties": {
            "applicant_id": STRING,
            "first_name": STRING,
            "last_name": STRING,
            "email": STRING,
            "score": {"type": "number", "minimum": 0, "maximum": 1},
            "tier": {"type": "string", "enum": ["strong", "possible"]},
            "reasons": {"type": "array", "items": STRING},
        },
    },
    "DuplicateCheck": {
        "type": "object",
        "required": ["id", "status", "matches", "error"],
        "properties": {
            "id": {"type": "string", "format": "uuid"},
            "status": STATUS,
            "matches": {"type": "array", "items": ref("Match")},
            "error": NULLABLE_STRING,
            "notice": {
                "type": ["string", "null"],
                "description": "Set when the result is less than a live look-up, "
                "e.g. from the applicant index while JazzHR was unreachable.",
            },
            "index_age_minutes": {"type": ["integer", "null"]},
        },
    },
    "Upload": {
        "type": "object",
        "required": ["id", "status", "action", "applicant_id", "job_id", "error"],
        "properties": {
            "id": {"type": "string", "format": "uuid"},
            "status": UPLOAD_STATUS,
            "action": {"type": "string", "enum": ["create", "merge"]},
            "applicant_id": NULLABLE_STRING,
            "job_id": NULLABLE_STRING,
            "error": NULLABLE_STRING,
            "note": NULLABLE_STRING,
        },
    },
    "Job": {
        "type": "object",
        "properties": {
            name: STRING
            for name in ("id", "title", "status", "city", "state", "department")
        },
    },
}


def openapi_document() -> dict:
    unauthorized = error("Missing or invalid API token.")
    not_ready = error("The customer's ATS is not JazzHR, or it is not connected.")
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "JazzHR integration: recruiter API",
            "version": "1.0.0",
            "description": "Called by the sourcing sidebar. Authenticate with "
            "'Authorization: Bearer <token>'. Errors are JSON objects with an "
            "'error' member holding a code, a message and per-field messages.",
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearerAuth": []}],
        "components": {
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}},
            "schemas": SCHEMAS,
        },
        "paths": {
            "/jazzhr/connect": {
                "post": {
                    "summary": "Connect the company to JazzHR with its API key",
                    "requestBody": json_body(
                        {
                            "type": "object",
                            "required": ["api_key"],
                            "properties": {"api_key": STRING},
                        }
                    ),
                    "responses": {
                        "200": json_body(
                            {
                                "type": "object",
                                "properties": {
                                    "connected": {"type": "boolean"},
                                    "key_fingerprint": STRING,
                                },
                            },
                            "The key was accepted by JazzHR and stored.",
                        ),
                        "400": error("Invalid input, or JazzHR rejected the key."),
                        "401": unauthorized,
                        "409": not_ready,
                        "429": error("Too many connect attempts this hour."),
                        "502": error("JazzHR could not be reached."),
                    },
                }
            },
            "/jazzhr/jobs": {
                "get": {
                    "summary": "List the company's non-confidential JazzHR jobs",
                    "responses": {
                        "200": json_body(
                            {
                                "type": "object",
                                "properties": {
                                    "jobs": {"type": "array", "items": ref("Job")}
                                },
                            },
                            "The jobs.",
                        ),
                        "401": unauthorized,
                        "409": not_ready,
                        "502": error("JazzHR could not be reached."),
                    },
                }
            },
            "/duplicate-checks": {
                "post": {
                    "summary": "Start a duplicate check for a candidate",
                    "requestBody": json_body(ref("Candidate")),
                    "responses": {
                        "202": json_body(ref("DuplicateCheck"), "The check is queued."),
                        "400": error("Invalid input."),
                        "401": unauthorized,
                        "409": not_ready,
                    },
                }
            },
            "/duplicate-checks/{id}": {
                "get": {
                    "summary": "Read a duplicate check and its matches",
                    "parameters": [uuid_parameter()],
                    "responses": {
                        "200": json_body(ref("DuplicateCheck"), "The check."),
                        "401": unauthorized,
                        "404": error("No such check for this company."),
                    },
                }
            },
            "/uploads": {
                "post": {
                    "summary": "Upload a candidate as new, or merge with an applicant",
                    "parameters": [
                        {
                            "name": "Idempotency-Key",
                            "in": "header",
                            "required": False,
                            "schema": {"type": "string", "maxLength": 200},
                            "description": "Repeating a key returns the first upload.",
                        }
                    ],
                    "requestBody": json_body(ref("UploadRequest")),
                    "responses": {
                        "202": json_body(ref("Upload"), "The upload is queued."),
                        "200": json_body(
                            ref("Upload"), "Same Idempotency-Key: the earlier upload."
                        ),
                        "400": error("Invalid input."),
                        "401": unauthorized,
                        "409": error(
                            "The ATS is not JazzHR or it is not connected, or the "
                            "Idempotency-Key was used with different data."
                        ),
                    },
                }
            },
            "/uploads/{id}": {
                "get": {
                    "summary": "Read an upload",
                    "parameters": [uuid_parameter()],
                    "responses": {
                        "200": json_body(ref("Upload"), "The upload."),
                        "401": unauthorized,
                        "404": error("No such upload for this company."),
                    },
                }
            },
        },
    }


def uuid_parameter() -> dict:
    return {
        "name": "id",
        "in": "path",
        "required": True,
        "schema": {"type": "string", "format": "uuid"},
    }
