from __future__ import annotations

from integrations.jazzhr.models.core import (
    FINISHED_STATUSES,
    CandidateUploadLock,
    CredentialStatus,
    DuplicateCheck,
    JazzHRCredential,
    SupportAction,
    SupportActionKind,
    Upload,
    UploadAction,
    WorkStatus,
    fingerprint,
)
from integrations.jazzhr.models.index import (
    IndexedApplicant,
    IndexedApplicantKey,
    IndexSyncState,
    SyncPhase,
)

__all__ = [
    "FINISHED_STATUSES",
    "CandidateUploadLock",
    "SupportAction",
    "SupportActionKind",
    "CredentialStatus",
    "DuplicateCheck",
    "IndexSyncState",
    "IndexedApplicant",
    "IndexedApplicantKey",
    "JazzHRCredential",
    "SyncPhase",
    "Upload",
    "UploadAction",
    "WorkStatus",
    "fingerprint",
]
