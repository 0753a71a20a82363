from __future__ import annotations

from integrations.jazzhr.models.core import (
    FINISHED_STATUSES,
    CredentialStatus,
    DuplicateCheck,
    JazzHRCredential,
    Upload,
    UploadAction,
    WorkStatus,
    fingerprint,
)

__all__ = [
    "FINISHED_STATUSES",
    "CredentialStatus",
    "DuplicateCheck",
    "JazzHRCredential",
    "Upload",
    "UploadAction",
    "WorkStatus",
    "fingerprint",
]
