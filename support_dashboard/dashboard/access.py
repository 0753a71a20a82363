"""Role checks for dashboard views, and look-ups limited to the recruiter's company."""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from integrations.jazzhr.models import DuplicateCheck, Upload
from support_dashboard.customers.models import Customer


def role_required(has_role: Callable[[object], bool]):
    """Send anonymous visitors to the login page and raise 403 for other roles."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if not has_role(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return login_required(wrapper)

    return decorator


support_required = role_required(lambda user: user.is_support)
admin_required = role_required(lambda user: user.is_admin)
recruiter_required = role_required(lambda user: user.is_recruiter)


def customer_or_404(slug: str) -> Customer:
    return get_object_or_404(
        Customer.objects.select_related("ats_changed_by"), slug=slug
    )


def recruiter_check_or_404(request, check_id) -> DuplicateCheck:
    """Return a duplicate check of the recruiter's own company, else raise 404."""
    return get_object_or_404(
        DuplicateCheck, id=check_id, customer=request.user.customer
    )


def recruiter_upload_or_404(request, upload_id) -> Upload:
    """Return an upload of the recruiter's own company, else raise 404."""
    return get_object_or_404(Upload, id=upload_id, customer=request.user.customer)
