"""Error reports (Django's debug page and error emails) without secrets."""

from __future__ import annotations

from django.views.debug import SafeExceptionReporterFilter


class SecretHidingReporterFilter(SafeExceptionReporterFilter):
    """Hide every frame variable and dict member whose name looks like a secret.

    Django hides matching settings only. A JazzHR key travels through locals such
    as `api_key` and request dicts such as `{"apikey": ...}`, which would otherwise
    show on the debug page of any error below them.
    """

    def get_traceback_frame_variables(self, request, tb_frame):
        variables = super().get_traceback_frame_variables(request, tb_frame)
        return [(name, self.cleanse_setting(name, value)) for name, value in variables]

    def get_post_parameters(self, request):
        parameters = super().get_post_parameters(request)
        if request is None or "api_key" not in parameters:
            return parameters
        parameters = parameters.copy()
        parameters["api_key"] = self.cleansed_substitute
        return parameters
