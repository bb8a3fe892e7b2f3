"""A request id on every log line and every response, so a 500 in the log can be matched with
the request that had it (and with the proxy's access log line, which logs the same id).

`RequestIdMiddleware` takes the id from `X-Request-ID` (set by nginx: `proxy_set_header
X-Request-ID $request_id`, docs/deployment.md) when it is a plain token, otherwise makes one,
and answers with it in `X-Request-ID`; `RequestIdFilter` puts it on each log record as
`request_id` ("-" outside a request)."""

import contextvars
import logging
import re
import uuid

_current = contextvars.ContextVar("portal_request_id", default="-")
# What an id from the proxy may look like (nginx's $request_id is 32 hex digits).
_ACCEPTED = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
HEADER = "X-Request-ID"


def current():
    """The id of the request being served in this thread ("-" outside one)."""
    return _current.get()


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.request_id = _current.get()
        return True


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get(HEADER, "")
        request_id = given if _ACCEPTED.match(given) else uuid.uuid4().hex
        # Kept until the request is finished: Django logs a 404 or 500 after the middleware has
        # returned (`forget` runs on request_finished).
        _current.set(request_id)
        response = self.get_response(request)
        response[HEADER] = request_id
        return response


def forget(**kwargs):
    """Signal receiver (request_finished): lines logged from now on belong to no request."""
    _current.set("-")
