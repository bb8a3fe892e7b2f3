"""No input breaks a public page: every public URL pattern, driven with hostile values.

Each pattern the resolver knows is either fuzzed here or left out with a reason (the admin, and
account pages that need a signed-in session); `test_every_public_pattern_is_fuzzed` fails when
a new URL is added without a place here. Each path segment and each query or form parameter a
view reads gets Unicode digits, integers past 64 bits, NUL and control characters and very long
text, sent with every method; no answer may be a server error.
"""

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import get_page_models

from feedback.factories import FeedbackFormPageFactory
from feedback.intake.receive import receive
from feedback.models import FeedbackCategory, Open311Key
from feedback.models.open311 import hash_key
from fieldwork.models import HandoverSlip, Line, ReviewCampaign
from home.factories import StandardPageFactory
from notices.alerts import tokens
from notices.factories import (
    ApprovalOutcomePageFactory,
    NoticeIndexPageFactory,
    NoticePageFactory,
)
from notices.models import AlertSubscriber, AlertSubscription, ApprovalIndexPage

METHODS = ["GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH"]

# What a hostile visitor sends: digits that are not ASCII, numbers past 64 bits, NUL and other
# control characters, very long text, and what looks like markup or SQL.
HOSTILE = [
    "²",
    "١٢٣",
    "𝟙𝟚",
    "-1",
    "0",
    "9223372036854775807",
    "9223372036854775808",
    "9" * 30,
    "a\x00b",
    "\x00",
    "\x1b[31m",
    "\r\nSet-Cookie: x=1",
    "\x7f\x85",
    "a" * 5000,
    "网" * 3000,
    "objection",
    "g1",
    "c²",
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "../../etc/passwd",
    " ",
    "",
]
hostile_values = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(st.characters(exclude_categories=["Cs"]), max_size=40),
    st.integers(min_value=-(2**80), max_value=2**80).map(str),
)


@dataclass
class Route:
    """How to reach one URL pattern: a path template with `{slot}`s, and the query or form
    parameters its view reads."""

    template: str
    params: list = field(default_factory=list)


# pattern (as the resolver spells it) -> how it is reached. Slots name values of the fuzz site.
ROUTES = {
    "accounts/login/": Route("/accounts/login/", ["login", "password", "next"]),
    "accounts/signup/": Route("/accounts/signup/", ["email", "password1", "password2", "next"]),
    "accounts/logout/": Route("/accounts/logout/", ["next"]),
    "accounts/inactive/": Route("/accounts/inactive/"),
    "accounts/confirm-email/": Route("/accounts/confirm-email/"),
    "accounts/^confirm-email/(?P<key>[-:\\w]+)/$": Route("/accounts/confirm-email/{key}/"),
    "accounts/password/reset/": Route("/accounts/password/reset/", ["email"]),
    "accounts/password/reset/done/": Route("/accounts/password/reset/done/"),
    "accounts/password/reset/key/done/": Route("/accounts/password/reset/key/done/"),
    "accounts/^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$": Route(
        "/accounts/password/reset/key/{uidb36}-{key}/", ["password1", "password2"]
    ),
    "documents/^(\\d+)/(.*)$": Route("/documents/{document_id}/{filename}"),
    "documents/authenticate_with_password/<int:restriction_id>/": Route(
        "/documents/authenticate_with_password/{restriction_id}/", ["password", "return_url"]
    ),
    "lang/<str:code>/": Route("/lang/{language}/", ["next"]),
    "care-mode/": Route("/care-mode/", ["on", "next"]),
    "healthz/": Route("/healthz/"),
    "sitemap.xml": Route("/sitemap.xml", ["p", "section"]),
    "robots.txt": Route("/robots.txt"),
    "grids/lookup/": Route("/grids/lookup/", ["q", "lat", "lng", "coordsys"]),
    "grids/<str:code>/contact/<str:role>.vcf": Route("/grids/{grid_code}/contact/{role}.vcf"),
    "grids/<str:code>/qr.svg": Route("/grids/{grid_code}/qr.svg"),
    "grids/<str:code>/sign/": Route("/grids/{grid_code}/sign/"),
    "api/grids/lookup/": Route("/api/grids/lookup/", ["q", "lat", "lng", "coordsys"]),
    "api/areas/<str:code>.geojson": Route("/api/areas/{area_code}.geojson"),
    "alerts/": Route("/alerts/", ["email", "scope", "kinds", "category", "frequency"]),
    "alerts/manage/": Route("/alerts/manage/", ["email"]),
    "alerts/manage/<str:token>/": Route("/alerts/manage/{manage_token}/", ["remove"]),
    "alerts/confirm/<str:token>/": Route("/alerts/confirm/{confirm_token}/"),
    "alerts/unsubscribe/<str:token>/": Route("/alerts/unsubscribe/{unsubscribe_token}/"),
    "feedback/track/": Route("/feedback/track/", ["code"]),
    "feedback/track/mobile/": Route("/feedback/track/mobile/", ["action", "mobile", "code"]),
    "feedback/track/<str:code>/": Route("/feedback/track/{tracking_code}/", ["action"]),
    "feedback/track/<str:code>/rate/": Route(
        "/feedback/track/{tracking_code}/rate/", ["level", "comment"]
    ),
    "feedback/survey/<id:grid_id>/": Route(
        "/feedback/survey/{grid_id}/", ["level", "aspects", "comment"]
    ),
    "statistics/": Route("/statistics/", ["grid", "community"]),
    "^open311/v2/discovery\\.(?P<fmt>xml|json)$": Route(
        "/open311/v2/discovery.{fmt}", ["jurisdiction_id"]
    ),
    "^open311/v2/services\\.(?P<fmt>xml|json)$": Route(
        "/open311/v2/services.{fmt}", ["jurisdiction_id"]
    ),
    "^open311/v2/services/(?P<code>[^/]+)\\.(?P<fmt>xml|json)$": Route(
        "/open311/v2/services/{service_code}.{fmt}", ["jurisdiction_id"]
    ),
    "^open311/v2/requests\\.(?P<fmt>xml|json)$": Route(
        "/open311/v2/requests.{fmt}",
        [
            "service_request_id",
            "service_code",
            "status",
            "start_date",
            "end_date",
            "jurisdiction_id",
            # POST: filing a case
            "api_key",
            "lat",
            "long",
            "address_string",
            "address_id",
            "description",
            "first_name",
            "last_name",
            "email",
            "phone",
            "public_consent",
            "attribute[publicity]",
        ],
    ),
    "^open311/v2/requests/(?P<request_id>[^/]+)\\.(?P<fmt>xml|json)$": Route(
        "/open311/v2/requests/{ticket_number}.{fmt}", ["jurisdiction_id"]
    ),
    "^open311/v2/tokens/(?P<token>[^/]+)\\.(?P<fmt>xml|json)$": Route(
        "/open311/v2/tokens/{tracking_code}.{fmt}", ["jurisdiction_id"]
    ),
    "^open311/(?P<rest>.*)$": Route("/open311/{open311_rest}"),
    "reviews/": Route("/reviews/"),
    "reviews/<id:pk>/": Route("/reviews/{campaign_id}/"),
    "fieldwork/slips/<str:token>/": Route(
        "/fieldwork/slips/{slip_token}/", ["action", "name", "text"]
    ),
    "search/": Route("/search/", ["q", "type", "page"]),
    "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/": Route(
        "/_util/authenticate_with_password/{restriction_id}/{page_id}/", ["password", "return_url"]
    ),
    "_util/login/": Route("/_util/login/", ["next"]),
}

# Left out, with the reason: the admin has its own tests; these account pages need a signed-in
# session or a login in progress, and only redirect an anonymous visitor to the login page.
EXCLUDED_PREFIXES = {
    "admin/": "the Wagtail admin (staff only)",
    "accounts/2fa/": "two-factor set-up of a signed-in account",
    "accounts/reauthenticate/": "re-authentication of a signed-in account",
    "accounts/email/": "e-mail addresses of a signed-in account",
    "accounts/password/change/": "password change of a signed-in account",
    "accounts/password/set/": "password setting of a signed-in account",
    "accounts/login/code/confirm/": "a login by code in progress",
}
WAGTAIL_SERVE = "^((?:[\\w\\-]+/)*)$"

# The Wagtail page types and the query parameters their pages read.
PAGE_PARAMS = {
    "home.homepage": [],
    "home.standardpage": [],
    "notices.noticeindexpage": ["category", "grid", "community", "year", "page"],
    "notices.noticepage": [],
    "notices.approvalindexpage": [],
    "notices.approvaloutcomepage": [],
    "grids.areapage": [],
    "grids.gridpage": [],
    "feedback.feedbackformpage": [
        "publicity",
        "category",
        "grid",
        "community",
        "address",
        "subject",
        "message",
        "place",
        "contact_phone",
        "contact_email",
        "website",
    ],
}


def public_patterns():
    """Every URL pattern of the resolver, as one string with its prefixes (admin included)."""

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            else:
                yield prefix + str(pattern.pattern)

    return [
        route
        for route in walk(get_resolver().url_patterns)
        if not any(route.startswith(prefix) for prefix in EXCLUDED_PREFIXES)
    ]


def routable_patterns():
    """(page type, sub-route) of each routable page type, e.g. ("notices.noticeindexpage",
    "feed/rss/grid/<str:code>/")."""
    found = []
    for model in get_page_models():
        if issubclass(model, RoutablePageMixin):
            for pattern in model.get_subpage_urls():
                found.append((model._meta.label_lower, str(pattern.pattern)))
    return sorted(found)


# Each routable page's sub-routes, with their slots.
SUBROUTES = {
    ("notices.noticeindexpage", ""): "",
    ("notices.noticeindexpage", "feed/rss/"): "feed/rss/",
    ("notices.noticeindexpage", "feed/atom/"): "feed/atom/",
    ("notices.noticeindexpage", "feed/rss/grid/<str:code>/"): "feed/rss/grid/{grid_code}/",
    ("notices.noticeindexpage", "feed/atom/grid/<str:code>/"): "feed/atom/grid/{grid_code}/",
    ("notices.approvalindexpage", ""): "",
    ("notices.approvalindexpage", "feed/rss/"): "feed/rss/",
    ("notices.approvalindexpage", "feed/atom/"): "feed/atom/",
    ("feedback.feedbackformpage", ""): "",
    ("feedback.feedbackformpage", "new/"): "new/",
    ("feedback.feedbackformpage", "thanks/"): "thanks/",
}


def test_every_public_pattern_is_fuzzed(record_property):
    """Each public URL pattern and routable sub-route has a place in the fuzz test, so a new URL
    cannot be forgotten; the counts are recorded (pytest --junitxml) for the report."""
    patterns = public_patterns()
    assert set(patterns) == set(ROUTES) | {WAGTAIL_SERVE}
    assert set(routable_patterns()) == set(SUBROUTES)
    page_types = {model._meta.label_lower for model in get_page_models()} - {"wagtailcore.page"}
    assert page_types == set(PAGE_PARAMS)
    record_property("fuzzed_url_patterns", len(ROUTES))
    record_property("fuzzed_page_types", len(PAGE_PARAMS))
    record_property("fuzzed_routable_sub_routes", len(SUBROUTES))


@pytest.fixture
def fuzz_site(home_page, search_index, grid):
    """A small site: notices, publicity, the shared community with a grid, the feedback form,
    a case."""
    community = grid.get_parent().specific
    notices = NoticeIndexPageFactory(parent=home_page, slug="notices")
    notice = NoticePageFactory(parent=notices, slug="notice-1")
    publicity_index = ApprovalIndexPage.objects.get(slug="publicity")
    publicity = ApprovalOutcomePageFactory(parent=publicity_index, slug="batch-1")
    ended = ApprovalOutcomePageFactory(
        parent=publicity_index, slug="batch-0", publicity_start=dt.date(2020, 1, 6)
    )
    about = StandardPageFactory(parent=home_page, slug="about")
    form_page = FeedbackFormPageFactory.build(slug="feedback", title="我要反映")
    home_page.add_child(instance=form_page)
    case = receive(
        category=FeedbackCategory.objects.filter(active=True).first(),
        subject="路灯不亮",
        message="三号楼前的路灯坏了",
        grid=grid,
    )
    # An Open311 key whose key the fuzzer knows (GOOD_PARAMS), with room for every request.
    key = Open311Key(owner="fuzz", key_hash=hash_key(GOOD_PARAMS["api_key"]), rate_limit=10**9)
    key.save()
    subscriber = AlertSubscriber.objects.create(address="resident@example.com")
    campaign = ReviewCampaign.objects.create(
        community=community,
        title="双向点评",
        starts_on=dt.date(2026, 10, 1),
        ends_on=dt.date(2026, 12, 31),
        is_public=True,
    )
    slip = HandoverSlip(
        line=Line.objects.create(name="社保", email="shebao@example.org"),
        grid=grid,
        subject="低保续办咨询",
        details="独居老人反映低保续办流程不清楚。",
    )
    slip_token = slip.set_token()
    slip.save()
    subscription = AlertSubscription.objects.create(subscriber=subscriber, scope=grid)
    pages = [home_page, notices, notice, publicity_index, publicity, ended, about]
    pages += [community, grid, form_page]
    return {
        "pages": pages,
        "values": {
            "grid_code": grid.code,
            "area_code": community.code,
            "grid_id": str(grid.pk),
            "tracking_code": case.tracking_code,
            "ticket_number": case.ticket_number,
            "service_code": str(case.category_id),
            "fmt": "xml",
            "open311_rest": "v2/nothing.json",
            "campaign_id": str(campaign.pk),
            "role": "primary",
            "language": "en",
            "key": "abc",
            "uidb36": "1",
            "document_id": "1",
            "filename": "a.pdf",
            "restriction_id": "1",
            "page_id": str(notice.pk),
            "manage_token": tokens.make("manage", subscriber.pk, subscriber.address),
            "confirm_token": tokens.make("confirm", subscription.pk, subscriber.address),
            "unsubscribe_token": tokens.make("unsubscribe", subscription.pk, subscriber.address),
            "slip_token": slip_token,
        },
    }


def paths_of(template, values, hostile):
    """The path with every slot at its good value, then with each slot in turn hostile."""
    slots = [name for name in values if "{" + name + "}" in template]
    good = {name: quote(values[name], safe="") for name in slots}
    paths = [template.format(**good)]
    for name in slots:
        paths.append(template.format(**{**good, name: quote(hostile, safe="")}))
    return paths


# A usable value of each parameter, so that a hostile value in one of them reaches the code
# that runs once the others are right (e.g. a survey comment with a valid level).
GOOD_PARAMS = {
    "level": "2",
    "aspects": "attitude",
    "comment": "服务很好",
    "q": "明华",
    "lat": "39.005",
    "lng": "116.002",
    "coordsys": "gcj02",
    "scope": "",
    "kinds": "notices",
    "frequency": "daily",
    "remove": "1",
    "category": "objection",
    "subject": "路灯不亮",
    "message": "三号楼前的路灯坏了",
    "contact_email": "resident@example.com",
    "email": "resident@example.com",
    "on": "1",
    "next": "/",
    "api_key": "fuzz-open311-key",
    "service_code": "1",
    "status": "open",
    "start_date": "2026-01-01T00:00:00+08:00",
    "end_date": "2026-02-01T00:00:00+08:00",
    "long": "116.002",
    "description": "三号楼前的路灯坏了",
    "phone": "13800001234",
    "public_consent": "true",
    "name": "周科员",
    "text": "已上门讲解政策",
}


def send(client, method, path, params, hostile, only_param=None):
    """One request: every known parameter hostile, or only the one `only_param` picks (the
    others usable), in the query or the body of a write."""
    if only_param is None or not params:
        data = dict.fromkeys(params, hostile)
    else:
        data = {name: GOOD_PARAMS.get(name, "1") for name in params}
        data[params[only_param % len(params)]] = hostile
    if method in ("GET", "HEAD"):
        return client.generic(method, path + ("?" + _encode(data) if data else ""))
    return client.generic(
        method, path, _encode(data), content_type="application/x-www-form-urlencoded"
    )


def _encode(data):
    from urllib.parse import urlencode

    return urlencode(data)


def targets(fuzz_site):
    """(path template, parameters) of every route and every page of the fuzz site."""
    found = [(route.template, route.params) for route in ROUTES.values()]
    for page in fuzz_site["pages"]:
        specific = page.specific
        label = specific._meta.label_lower
        params = PAGE_PARAMS[label]
        subroutes = [sub for (owner, _p), sub in SUBROUTES.items() if owner == label]
        for sub in subroutes or [""]:
            found.append((specific.url + sub, params))
        found.append((specific.url + "{child}/", params))  # a child page that is not there
    return found


def check(client, fuzz_site, method, hostile, only=None, only_param=None, each_param=False):
    """Send `hostile` in every slot and parameter of every target (or of target `only`); with
    `each_param`, also in each parameter alone, the others usable."""
    values = {**fuzz_site["values"], "child": "no-such-page"}
    failures = []
    found = targets(fuzz_site)
    for template, params in found if only is None else [found[only % len(found)]]:
        for path in paths_of(template, values, hostile):
            choices = [only_param] + (list(range(len(params))) if each_param else [])
            for choice in choices:
                response = send(client, method, path, params, hostile, choice)
                if response.status_code >= 500:
                    failures.append((method, path[:120], choice, response.status_code))
    return failures


# One of each kind, sent everywhere by GET and POST (the property test below adds the rest).
NUL = "a\x00b\x1b\x7f"
SWEEP = ["²", "9" * 30, NUL, "网" * 3000]


@pytest.mark.django_db
def test_hostile_values_get_no_server_error(fuzz_site):
    """Unicode digits, huge numbers, NUL and control characters and very long text, in every slot
    and parameter of every public URL, by GET and POST, are answered below 500."""
    client = Client(raise_request_exception=True)
    failures = []
    for hostile in SWEEP:
        for method in ("GET", "POST"):
            failures += check(client, fuzz_site, method, hostile, each_param=hostile == NUL)
    assert failures == []


@pytest.mark.django_db
@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    hostile=hostile_values,
    method=st.sampled_from(METHODS),
    target=st.integers(0, 10**6),
    param=st.one_of(st.none(), st.integers(0, 100)),
)
def test_any_value_and_method_gets_no_server_error(fuzz_site, hostile, method, target, param):
    """Whatever value, in any one parameter or all, sent with whatever method to any public URL,
    is answered below 500."""
    client = Client(raise_request_exception=True)
    assert check(client, fuzz_site, method, hostile, only=target, only_param=param) == []
