"""Every response and every log line of a request carry its id (portal.request_log)."""

import logging

from django.http import HttpResponse
from django.test import RequestFactory

from portal.request_log import HEADER, RequestIdFilter, RequestIdMiddleware, forget


def _serve(headers=None):
    seen = {}

    def view(request):
        record = logging.LogRecord("portal", logging.ERROR, __file__, 1, "boom", None, None)
        RequestIdFilter().filter(record)
        seen["logged"] = record.request_id
        return HttpResponse("ok")

    response = RequestIdMiddleware(view)(RequestFactory().get("/", headers=headers or {}))
    return response, seen["logged"]


def test_an_error_logged_in_a_request_names_its_id():
    response, logged = _serve()
    assert len(response[HEADER]) == 32 and logged == response[HEADER]
    other, _logged = _serve()
    assert other[HEADER] != response[HEADER]


def test_the_proxy_id_is_kept_and_anything_else_replaced():
    response, logged = _serve({HEADER: "0123456789abcdef0123456789abcdef"})
    assert response[HEADER] == logged == "0123456789abcdef0123456789abcdef"
    response, _logged = _serve({HEADER: "<script>\n"})
    assert response[HEADER] != "<script>\n" and len(response[HEADER]) == 32


def test_outside_a_request_the_id_is_a_dash():
    _serve()
    forget()
    record = logging.LogRecord("portal", logging.INFO, __file__, 1, "x", None, None)
    RequestIdFilter().filter(record)
    assert record.request_id == "-"


def test_the_log_lines_carry_the_request_id(settings):
    assert "%(request_id)s" in settings.LOGGING["formatters"]["plain"]["format"]
    assert settings.LOGGING["handlers"]["console"]["filters"] == ["request_id"]
