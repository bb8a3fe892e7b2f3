"""The Content-Security-Policy header (django-csp), with the admin's looser policy.

The public site gets CONTENT_SECURITY_POLICY: only the site's own scripts, styles and images,
no inline script or style attribute, no framing. The Wagtail admin (and the page previews it
frames) renders inline scripts for its widgets and inline styles, so it gets
PORTAL_ADMIN_CSP_DIRECTIVES, which still keeps scripts, objects, forms and framing to the site.
Where 天地图 base tiles are on, both policies let the maps load them.
"""

from csp.middleware import CSPMiddleware
from django.conf import settings

from .mfa import ADMIN_PREFIX

TIANDITU_TILES = "https://*.tianditu.gov.cn"


def _tiles_enabled():
    """The grids app draws 天地图 tiles when both settings are set (grids.maps.tiles_enabled);
    portal imports no app, so it reads the same two settings."""
    return bool(getattr(settings, "GRIDS_TIANDITU_KEY", "")) and bool(
        getattr(settings, "GRIDS_MAP_APPROVAL_NUMBER", "")
    )


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, choosing the admin policy under /admin/."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if report_only:
            return parts
        if parts.config is None and request.path_info.startswith(ADMIN_PREFIX):
            parts.config = dict(settings.PORTAL_ADMIN_CSP_DIRECTIVES)
        if _tiles_enabled():
            update = dict(parts.update or {})
            update["img-src"] = [*update.get("img-src", ()), TIANDITU_TILES]
            parts.update = update
        return parts
