"""HTTP behaviour of the public read-only endpoints (the lookup API, GeoJSON, feeds).

- Conditional GET: an `ETag` and `Last-Modified` made from the data versions the answer is built
  from (portal.versions), checked before the answer is built, so an unchanged answer costs a
  304 and no work; `Cache-Control` says how long a copy may be kept.
- CORS for the JSON APIs: any site may read them (`Access-Control-Allow-Origin: *`), with
  no credentials; `OPTIONS` is answered and any write is 405 (not the CSRF check's 403).
"""

import datetime as dt
import hashlib
from functools import wraps

from django.conf import settings
from django.http import HttpResponse, HttpResponseNotAllowed
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.utils.translation import get_language
from django.views.decorators.csrf import csrf_exempt

from . import versions

READ_METHODS = ("GET", "HEAD", "OPTIONS")


def _version_time(number):
    """The time a version number was made (numbers are the clock in microseconds, or just
    above it), never later than now."""
    made = dt.datetime.fromtimestamp(number / 1_000_000, tz=dt.UTC) if number else None
    now = timezone.now()
    return min(made, now) if made else None


def validators(request, depends_on, daily=False):
    """(ETag, last-modified datetime) of the answer to `request` built from `depends_on`: the
    versions, the day (for answers that change at midnight), the language, the address."""
    numbers = [versions.current(name) for name in depends_on]
    parts = [
        request.get_full_path(),
        get_language() or "",
        request.COOKIES.get(settings.PORTAL_CARE_MODE_COOKIE, ""),
        settings.PORTAL_BASE_URL,
        *map(str, numbers),
    ]
    times = [t for t in map(_version_time, numbers) if t is not None]
    if daily:
        today = timezone.localdate()
        parts.append(today.isoformat())
        midnight = timezone.make_aware(dt.datetime.combine(today, dt.time()))
        times.append(midnight)
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]
    last_modified = max(times) if times else None
    return f'"{digest}"', last_modified.replace(microsecond=0) if last_modified else None


def conditional(*, depends_on, max_age, daily=False):
    """Decorate a GET view whose answer is built only from the data versions `depends_on` (and
    the day, when `daily`): 304 for a client that has it, validators and Cache-Control on every
    answer (304 included)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method not in ("GET", "HEAD"):
                return view(request, *args, **kwargs)
            etag, last_modified = validators(request, depends_on, daily)
            stamp = last_modified.timestamp() if last_modified else None
            response = get_conditional_response(request, etag=etag, last_modified=stamp)
            if response is None:
                response = view(request, *args, **kwargs)
                if response.status_code != 200:
                    return response
            # The validators checked above, replacing any the view set (a feed sets its newest
            # entry's date, which a publish that changes an older entry does not move).
            response.headers["ETag"] = etag
            if stamp is not None:
                response.headers["Last-Modified"] = http_date(stamp)
            patch_cache_control(response, public=True, max_age=max_age)
            return response

        return wrapped

    return decorator


def read_only_api(view):
    """A public JSON API anyone may read from any origin: GET and HEAD, OPTIONS answered, any
    other method 405; no cookies are needed or honoured across origins."""

    @csrf_exempt
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method == "OPTIONS":
            response = HttpResponse(status=204)
            response["Allow"] = ", ".join(READ_METHODS)
            response["Access-Control-Allow-Methods"] = ", ".join(READ_METHODS)
            response["Access-Control-Allow-Headers"] = "If-None-Match, If-Modified-Since"
            response["Access-Control-Max-Age"] = "86400"
        elif request.method not in ("GET", "HEAD"):
            response = HttpResponseNotAllowed(READ_METHODS)
        else:
            response = view(request, *args, **kwargs)
        response["Access-Control-Allow-Origin"] = "*"
        response["Access-Control-Expose-Headers"] = "ETag"
        return response

    return wrapped
