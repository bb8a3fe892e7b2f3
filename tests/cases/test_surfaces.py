"""One visibility rule on every admin surface: a grid worker of another grid finds nothing of a
case anywhere in the admin (feedback's own URLs, dashboard, search, reports, snippets, exports)."""

import itertools
import re

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver
from post_office.models import STATUS, Email
from wagtail import hooks

from feedback.models import Delivery, FeedbackPhoto

pytestmark = pytest.mark.django_db

PARAM = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")
# Admin URLs that end the session or are Wagtail's own error-page checks.
SKIPPED = {"admin/logout/", "admin/test404/", "admin/failwhale/"}


def _routes(patterns, prefix=""):
    """(route, pattern) of every URL pattern below `patterns`, routes joined with `prefix`."""
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _routes(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


def feedback_admin_routes():
    """Every admin route the feedback app registers: its register_admin_urls hooks and its
    viewsets (the staff inbox)."""
    routes = []
    for hook in hooks.get_hooks("register_admin_urls"):
        if hook.__module__.startswith("feedback."):
            routes += [route for route, _p in _routes(hook(), "admin/")]
    for hook in hooks.get_hooks("register_admin_viewset"):
        if hook.__module__.startswith("feedback."):
            viewset = hook()
            prefix = f"admin/{viewset.url_prefix}/"
            routes += [route for route, _p in _routes(viewset.get_urlpatterns(), prefix)]
    return routes


def parameterless_admin_routes():
    """Every admin route without URL parameters: dashboard, search, reports, snippet
    listings, choosers, exports."""
    return [
        route
        for route, _p in _routes(get_resolver().url_patterns)
        if route.startswith("admin/")
        and "<" not in route
        and "^" not in route
        and route not in SKIPPED
    ]


def _fill(route, ids):
    """The route with each parameter replaced by every id in `ids` (all combinations)."""
    names = PARAM.findall(route)
    for values in itertools.product(ids, repeat=len(names)):
        url, values = route, list(values)
        url = PARAM.sub(lambda _m, values=values: str(values.pop(0)), route)
        yield "/" + url


def _body(response):
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def _walk(client, secrets, queries):
    """Fetch every surface (listings also searched for each of `queries`); {url: body}."""
    ids = sorted(secrets["ids"])
    bodies = {}
    for route in feedback_admin_routes():
        for url in _fill(route, ids):
            bodies[f"GET {url}"] = _body(client.get(url))
            bodies[f"POST {url}"] = _body(
                client.post(url, {"kind": "transition", "action": "verify", "note": "核查"})
            )
    for route in parameterless_admin_routes():
        url = "/" + route
        bodies[f"GET {url}"] = _body(client.get(url))
        for query in queries:
            bodies[f"GET {url}?q={query}"] = _body(client.get(url, {"q": query}))
        # Every listing's CSV export (a listing without one ignores the parameter).
        bodies[f"GET {url}?export=csv"] = _body(client.get(url, {"export": "csv"}))
    return bodies


@pytest.fixture
def other_grid(case_world, search_index):
    """Two cases of grid A1 with residents' details, a photo and a failed e-mail to the
    resident; and a case of grid B1 (worker B1's own) with a failed e-mail too."""
    cases = [
        case_world.case(
            subject=f"甲一网格诉求{n}",
            place=f"幸福路{n}号院",
            contact_name=f"甲居民{n}",
            contact_phone=f"1380000777{n}",
            contact_email=f"resident-a{n}@example.net",
        )
        for n in range(2)
    ]
    own = case_world.case(
        case_world.grid_b1, subject="乙一网格诉求", contact_email="own-b@example.net"
    )
    photo = FeedbackPhoto.objects.create(
        case=cases[0], file=ContentFile(b"\xff\xd8\xff\xe0 not much", name="p.jpg")
    )
    for n, case in enumerate([*cases, own]):
        email = Email.objects.create(
            from_email="noreply@localhost", to=[case.contact_email], status=STATUS.failed
        )
        Delivery.objects.create(
            case=case,
            recipient_email=case.contact_email,
            role="resident",
            email=email,
            message_id=f"<failed{n}@test>",
        )
    texts = []
    for case in cases:
        texts += [
            case.ticket_number,
            case.subject,
            case.place,
            case.contact_name,
            case.contact_phone,
            case.contact_email,
        ]
    # Searches that match the cases without being one of the texts (a search box shows the
    # query back): the ticket number's stem and the subjects' stem.
    queries = [cases[0].ticket_number[:-1], "甲一网格诉求"]
    return {
        "texts": texts,
        "queries": queries,
        "ids": {c.pk for c in cases} | {photo.pk},
        "own": own,
    }


def test_worker_of_another_grid_finds_no_trace_of_a_case_in_the_admin(
    case_world, client, other_grid
):
    """Every feedback admin URL, the dashboard, search, reports and snippets, walked by a
    worker of grid B1, show no ticket number or resident's details of grid A1's cases."""
    client.force_login(case_world.worker_b1_user)
    bodies = _walk(client, other_grid, other_grid["queries"])
    leaks = [
        (where, text)
        for where, body in bodies.items()
        for text in other_grid["texts"]
        if text in body
    ]
    assert leaks == []
    # The walk did reach the worker's own surfaces: the dashboard lists their own failure.
    assert other_grid["own"].ticket_number in bodies["GET /admin/"]
    assert other_grid["own"].ticket_number in bodies["GET /admin/cases/?export=csv"]
    # (ids are whatever the database gave: PostgreSQL does not reuse them after a rollback)
    assert any(re.fullmatch(r"GET /admin/cases/\d+/photos/\d+/", where) for where in bodies)


def test_administrator_walk_finds_the_cases(case_world, client, other_grid):
    """The same walk as an administrator reaches every detail: the walk looks where it should."""
    client.force_login(case_world.admin)
    bodies = "\n".join(_walk(client, other_grid, other_grid["queries"]).values())
    assert [text for text in other_grid["texts"] if text not in bodies] == []


def test_failed_deliveries_panel_lists_only_visible_cases(case_world, client, other_grid):
    """The dashboard's failed-delivery panel shows a worker only their own grid's e-mails."""
    client.force_login(case_world.worker_b1_user)
    html = client.get("/admin/").content.decode()
    assert "投递失败的邮件：1 封" in html and "own-b@example.net" in html
    assert "resident-a0@example.net" not in html


def test_the_outbox_has_no_admin_page():
    """No URL of the portal serves django-post-office's outbox or the Django admin site."""
    modules = {
        pattern.callback.__module__ for _route, pattern in _routes(get_resolver().url_patterns)
    }
    assert not [m for m in modules if m.startswith(("post_office", "django.contrib.admin"))]


def test_the_outbox_is_not_a_snippet():
    """E-mails in the outbox are not registered as snippets, so no admin listing shows them."""
    from wagtail.snippets.models import get_snippet_models

    assert Email not in get_snippet_models()
    assert Delivery not in get_snippet_models()
