"""Records stored by the simulator and the field names JazzHR uses for them."""

from __future__ import annotations

from dataclasses import dataclass, field

APPLICANT_ROW_FIELDS = (
    "id",
    "first_name",
    "last_name",
    "prospect_phone",
    "apply_date",
    "job_id",
    "job_title",
)

# Scalar fields of GET /applicants/{id}, in JazzHR's order. Fields that are not
# attributes of Applicant are kept in Applicant.profile.
APPLICANT_DETAIL_FIELDS = (
    "id",
    "first_name",
    "last_name",
    "email",
    "address",
    "location",
    "phone",
    "linkedin_url",
    "website",
    "twitter_username",
    "eeo_gender",
    "eeo_race",
    "eeo_disability",
    "eeoc_veteran",
    "eeoc_disability",
    "eeoc_disability_signature",
    "eeoc_disability_date",
    "desired_salary",
    "desired_start_date",
    "referrer",
    "languages",
    "wmyu",
    "has_driver_license",
    "willing_to_relocate",
    "citizenship_status",
    "education_level",
    "has_cdl",
    "over_18",
    "can_work_weekends",
    "can_work_evenings",
    "can_work_overtime",
    "has_felony",
    "felony_explanation",
    "college_gpa",
    "college",
    "references",
    "notes",
    "apply_date",
    "comments_count",
    "source",
    "recruiter_id",
    "rating",
    "resume_body",
    "resume_link",
)

APPLICANT_COLLECTIONS = (
    "jobs",
    "comments",
    "feedback",
    "activities",
    "messages",
    "questionnaire",
    "evaluation",
    "categories",
)

JOB_FIELDS = (
    "id",
    "team_id",
    "title",
    "country_id",
    "city",
    "state",
    "zip",
    "department",
    "description",
    "minimum_salary",
    "maximum_salary",
    "notes",
    "original_open_date",
    "type",
    "status",
    "send_to_job_boards",
    "hiring_lead",
    "board_code",
    "internal_code",
    "questionnaire",
)

JOB_STATUSES = (
    "Open",
    "On Hold",
    "Approved",
    "Needs Approval",
    "Drafting",
    "Filled",
    "Cancelled",
    "Closed",
)

USER_FIELDS = ("id", "type", "first_name", "last_name", "email", "date_created")

# One workflow shared by every simulated job. JazzHR workflow step ids are numeric
# strings such as "8947217". The names are the per-job applicant_progress values.
WORKFLOW_STEPS = {
    "8947201": "New",
    "8947202": "Reviewed",
    "8947203": "Phone Screen",
    "8947204": "Interview",
    "8947205": "Offer",
    "8947206": "Hired",
    "8947207": "Not Hired",
}
NEW_STEP_ID = "8947201"
HIRED_STEP_ID = "8947206"

ANONYMOUS_USER_ID = "usr_anonymous"


@dataclass(slots=True)
class Applicant:
    id: str
    first_name: str
    last_name: str
    apply_date: str
    email: str = ""
    phone: str = ""
    address: str = ""
    city: str = ""
    state: str = ""
    postal: str = ""
    linkedin_url: str = ""
    source: str = ""
    recruiter_id: str = ""
    rating: str = ""
    profile: dict[str, str] = field(default_factory=dict)
    comments: list[Comment] = field(default_factory=list)
    # time.monotonic() value before which GET requests do not see the record.
    visible_at: float = 0.0


@dataclass(slots=True)
class Job:
    id: str
    fields: dict[str, str]
    confidential: bool = False
    private: bool = False
    recruiter: str = ""


@dataclass(slots=True)
class ApplicantJob:
    """A row of applicants2jobs: one applicant applied to one job."""

    id: str
    applicant_id: str
    job_id: str
    workflow_step_id: str = NEW_STEP_ID
    rating: str = ""
    date: str = ""
    hired_date: str = ""
    hired_time: str = ""
    visible_at: float = 0.0


@dataclass(slots=True)
class User:
    id: str
    type: str
    first_name: str
    last_name: str
    email: str
    date_created: str

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


@dataclass(slots=True)
class Comment:
    id: str
    author_id: str
    author_name: str
    text: str
    date: str
    time: str
    security: str = "1"


@dataclass(slots=True)
class Activity:
    id: str
    category: str
    user_id: str
    object_id: str
    action: str
    date: str
    time: str
    team_id: str = ""


@dataclass(slots=True)
class StoredFile:
    id: str
    applicant_id: str
    filename: str
    mime_type: str
    user_id: str
    file_privacy: str
    file_size: str
    date_loaded: str
    time_loaded: str
