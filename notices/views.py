"""Admin views of the notices app: the editorial-health report."""

from django.shortcuts import render
from django.utils.translation import gettext as _

from .editorial_report import editorial_health


def editorial_health_report(request):
    """Stale content, empty indexes and ended publicity still live."""
    return render(
        request,
        "notices/admin/editorial_health.html",
        {"problems": editorial_health(), "page_title": _("编辑健康报告")},
    )
