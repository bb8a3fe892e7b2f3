"""The Open311 GeoReport v2 endpoints (docs/open311.md); `.xml` or `.json` names the format."""

from django.urls import re_path

from . import views

FORMAT = r"\.(?P<fmt>xml|json)$"

urlpatterns = [
    re_path(r"^open311/v2/discovery" + FORMAT, views.discovery, name="open311_discovery"),
    re_path(r"^open311/v2/services" + FORMAT, views.service_list, name="open311_services"),
    re_path(
        r"^open311/v2/services/(?P<code>[^/]+)" + FORMAT,
        views.service_definition,
        name="open311_service",
    ),
    re_path(r"^open311/v2/requests" + FORMAT, views.requests_endpoint, name="open311_requests"),
    re_path(
        r"^open311/v2/requests/(?P<request_id>[^/]+)" + FORMAT,
        views.request_detail,
        name="open311_request",
    ),
    re_path(r"^open311/v2/tokens/(?P<token>[^/]+)" + FORMAT, views.token, name="open311_token"),
    re_path(r"^open311/(?P<rest>.*)$", views.not_found, name="open311_not_found"),
]
