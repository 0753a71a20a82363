"""Validation of what recruiters submit, shared by the JSON API and the sidebar."""

from __future__ import annotations

from urllib.parse import urlsplit

from django import forms
from django.core.validators import RegexValidator

from integrations.jazzhr.matching import Person

jazzhr_id = RegexValidator(
    r"^[A-Za-z0-9_-]{1,64}$", "Enter a JazzHR id such as prospect_20121030151055_AB12."
)
phone_characters = RegexValidator(
    r"^[0-9+().\-\s/x]*$", "Enter a phone number with digits, spaces, + ( ) - . only."
)


# Characters that render as nothing; a name made only of them would look blank.
INVISIBLE_CHARACTERS = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))


def clean_name(value: str) -> str:
    """Return the name without invisible characters; it must hold a letter."""
    name = value.translate(INVISIBLE_CHARACTERS).strip()
    if not any(character.isalpha() for character in name):
        raise forms.ValidationError("Enter a name with at least one letter.")
    return name


class ConnectForm(forms.Form):
    api_key = forms.CharField(max_length=200, strip=True)


class CandidateForm(forms.Form):
    first_name = forms.CharField(max_length=100)
    last_name = forms.CharField(max_length=100)
    email = forms.EmailField(max_length=254, required=False)
    phone = forms.CharField(
        max_length=40, required=False, validators=[phone_characters]
    )
    linkedin_url = forms.URLField(max_length=300, required=False, assume_scheme="https")

    def clean_first_name(self) -> str:
        return clean_name(self.cleaned_data["first_name"])

    def clean_last_name(self) -> str:
        return clean_name(self.cleaned_data["last_name"])

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"]
        if phone and sum(ch.isdigit() for ch in phone) < 5:
            raise forms.ValidationError("Enter a phone number with at least 5 digits.")
        return phone

    def clean_linkedin_url(self) -> str:
        url = self.cleaned_data["linkedin_url"]
        host = (urlsplit(url).hostname or "").lower()
        if url and host != "linkedin.com" and not host.endswith(".linkedin.com"):
            raise forms.ValidationError(
                "Enter a LinkedIn profile URL (https://www.linkedin.com/in/…)."
            )
        return url

    def candidate(self) -> Person:
        data = self.cleaned_data
        return Person(
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data["email"],
            phone=data["phone"],
            linkedin_url=data["linkedin_url"],
        )


class UploadForm(CandidateForm):
    job_id = forms.CharField(required=False, validators=[jazzhr_id])
    merge_with_applicant_id = forms.CharField(required=False, validators=[jazzhr_id])
    duplicate_check_id = forms.UUIDField(required=False)
