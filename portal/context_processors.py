from .care_mode import care_mode_on


def portal(request):
    """Values every page template needs: care mode and the current path for the switches."""
    return {
        "care_mode": getattr(request, "care_mode", None) or care_mode_on(request),
        "current_path": request.get_full_path(),
    }
