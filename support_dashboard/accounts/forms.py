from __future__ import annotations

from django.contrib.auth.forms import AuthenticationForm


class EmailLoginForm(AuthenticationForm):
    """The login form; every account's username is its email address."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Email"
