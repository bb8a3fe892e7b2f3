from .care_mode import care_mode_on
from .page_cache import pages_version


def portal(request):
    """Values every page template needs: care mode, the current path for the switches, and the
    page tree's version that the cached header and footer are kept under (read only if used)."""
    return {
        "care_mode": getattr(request, "care_mode", None) or care_mode_on(request),
        "current_path": request.get_full_path(),
        "pages_version": pages_version,
    }
