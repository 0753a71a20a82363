from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.views.decorators.http import require_GET


@require_GET
@login_required
def home(request):
    """Send support staff and admins to the customer list, recruiters to the sidebar."""
    if request.user.is_support:
        return redirect("dashboard:customer-list")
    if request.user.is_recruiter:
        return redirect("dashboard:sidebar")
    raise PermissionDenied
