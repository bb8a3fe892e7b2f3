"""Care mode (关怀版): larger text, higher contrast, bigger tap targets; kept in a cookie."""

from django.conf import settings
from django.utils.cache import patch_vary_headers


def care_mode_on(request):
    return request.COOKIES.get(settings.PORTAL_CARE_MODE_COOKIE) == "1"


class CareModeMiddleware:
    """Marks the request with the resident's care-mode choice; pages vary on that cookie."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.care_mode = care_mode_on(request)
        response = self.get_response(request)
        patch_vary_headers(response, ["Cookie"])
        return response
