"""The Open311 GeoReport v2 endpoints under /open311/v2/, each in XML and JSON.

GET answers are public and read-only: any site may read them (CORS), and they answer
conditional requests (portal.public_api). Only POST requests (filing a case) need an API key,
which an administrator issues (feedback.models.Open311Key). Errors are the spec's list of
{code, description} with 400, 403 or 404 (429 when a key is over its hourly limit).
"""

import datetime as dt
import hashlib
from functools import wraps
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from notices.models import ApprovalOutcomePage
from portal import versions
from portal.links import absolute, base_url
from portal.models import SiteSettings
from portal.parsing import parse_id, parse_text
from portal.public_api import READ_METHODS, conditional, read_only_api
from portal.ratelimit import client_ip

from ..handling.notify import tracking_url
from ..intake import ratelimit
from ..models import Feedback, FeedbackCategory, Open311Key, normalise_tracking_code
from . import formats, mapping
from .intake import Refused, file_case

MAX_REQUESTS = 1000
MAX_SPAN = dt.timedelta(days=90)
SERVICES_MAX_AGE = 3600
DISCOVERY_MAX_AGE = 3600
KEY_LIMIT_KIND = "open311-key"
FAILED_CODE_KIND = "track-failure"  # the tracking page's counter: one budget for both
TOKEN_FAILURE_WINDOW = 3600


def jurisdiction_id():
    """The one jurisdiction this endpoint serves: the host name of the site's public address."""
    return urlsplit(base_url()).hostname or ""


def _check_jurisdiction(params):
    """A jurisdiction_id, when given, must be this site's (the spec's 404 otherwise)."""
    value = params.get("jurisdiction_id")
    if value and parse_text(value) != jurisdiction_id():
        raise Refused(
            404,
            _("这个接口只服务%(ours)s，没有jurisdiction_id为“%(value)s”的辖区。")
            % {"ours": jurisdiction_id(), "value": value[:60]},
        )


def refusals(view):
    """Answer a Refused raised by the view in the spec's error format."""

    @wraps(view)
    def wrapped(request, *args, fmt, **kwargs):
        try:
            _check_jurisdiction(request.GET if request.method != "POST" else request.POST)
            return view(request, *args, fmt=fmt, **kwargs)
        except Refused as refused:
            return formats.errors(fmt, refused.status, *refused.messages)

    return wrapped


def content_etag(view):
    """Conditional GET for answers built from cases (which have no data version): the ETag is
    the answer's digest, so an unchanged answer goes back as a 304 without its body."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        etag = '"' + hashlib.sha256(response.content).hexdigest()[:32] + '"'
        response["ETag"] = etag
        patch_cache_control(response, public=True, no_cache=True)
        return get_conditional_response(request, etag=etag, response=response)

    return wrapped


@read_only_api
@conditional(depends_on=[versions.FEEDBACK_SETUP, versions.PAGES], max_age=DISCOVERY_MAX_AGE)
@refusals
def discovery(request, fmt):
    """GET discovery: where the GeoReport v2 endpoint is, its formats, how to get a key."""
    changed = versions.current(versions.FEEDBACK_SETUP)
    changeset = (
        timezone.localtime(dt.datetime.fromtimestamp(changed / 1_000_000, tz=dt.UTC))
        if changed
        else timezone.localtime()
    ).strftime("%Y-%m-%d %H:%M")
    phone = SiteSettings.for_request(request).phone.strip()
    data = {
        "changeset": changeset,
        "contact": _("社区服务中心电话：%(phone)s") % {"phone": phone}
        if phone
        else _("请联系本站的社区服务中心。"),
        "key_service": _("提交诉求（POST requests）需要密钥，请向本站管理员申请；查询不需要密钥。"),
        "endpoints": [
            {
                "specification": mapping.SPECIFICATION,
                "url": absolute("/open311/v2"),
                "changeset": changeset,
                "type": "test" if settings.DEBUG else "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
    return formats.respond(fmt, "discovery", data)


@read_only_api
@conditional(depends_on=[versions.FEEDBACK_SETUP], max_age=SERVICES_MAX_AGE)
@refusals
def service_list(request, fmt):
    """GET services: the feedback categories residents can choose on the form."""
    categories = FeedbackCategory.objects.filter(active=True)
    return formats.respond(fmt, "services", [mapping.service(c) for c in categories])


@read_only_api
@conditional(
    depends_on=[versions.FEEDBACK_SETUP, versions.NOTICES, versions.PAGES],
    max_age=SERVICES_MAX_AGE,
    daily=True,  # a publicity period ends with a day
)
@refusals
def service_definition(request, code, fmt):
    """GET services/{service_code}: the attributes a category asks for."""
    pk = parse_id(code)
    category = FeedbackCategory.objects.filter(pk=pk, active=True).first() if pk else None
    if category is None:
        raise Refused(404, _("没有这个service_code（诉求类别）：%(code)s。") % {"code": code[:40]})
    batches = []
    if mapping.has_attributes(category):
        batches = list(ApprovalOutcomePage.objects.open_to_objection().order_by("-pk"))
    data = mapping.service_definition(category, batches)
    return formats.respond(fmt, "service_definition", data)


def _values(params, name, max_length=100):
    """The comma-separated values of a parameter that may be given several times."""
    found = []
    for value in params.getlist(name):
        for part in value.split(","):
            text = parse_text(part, max_length)
            if text is None:
                raise Refused(400, _("%(name)s的值太长或含有控制字符。") % {"name": name})
            if text:
                found.append(text)
    return found


def _moment(params, name):
    """A W3C date-time parameter (2026-01-01T00:00:00+08:00, or a date); None when not given."""
    text = parse_text(params.get(name, ""), 40)
    if text == "":
        return None
    if text and "T" in text:
        text = text.replace(" ", "+")  # an unencoded "+08:00" arrives as " 08:00"
    try:
        moment = parse_datetime(text) if text else None
        if moment is None and text:
            day = parse_date(text)
            moment = dt.datetime.combine(day, dt.time()) if day else None
        if moment is not None and timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        if moment is not None:
            moment.astimezone(dt.UTC)  # refuses what cannot be a moment (OverflowError)
    except (ValueError, OverflowError):
        moment = None
    if moment is None or not 1900 <= moment.year <= 9000:
        raise Refused(
            400,
            _("%(name)s的格式应为W3C日期时间，例如2026-01-01T00:00:00+08:00。") % {"name": name},
        )
    return moment


def _span(params):
    """(start, end) of the requested dates: at most 90 days, the last 90 days by default."""
    start, end = _moment(params, "start_date"), _moment(params, "end_date")
    if start and end:
        if end < start:
            raise Refused(400, _("end_date不能早于start_date。"))
        if end - start > MAX_SPAN:
            raise Refused(400, _("start_date到end_date最多90天。"))
    elif start:
        end = start + MAX_SPAN
    elif end:
        start = end - MAX_SPAN
    else:
        end = timezone.now()
        start = end - MAX_SPAN
    return start, end


def _filtered(params):
    """The cases a GET requests asks for (service_request_id overrides the other filters)."""
    cases = mapping.public_cases()
    ids = _values(params, "service_request_id", 20)
    if ids:
        if len(ids) > MAX_REQUESTS:
            raise Refused(400, _("一次最多查询%(n)s个service_request_id。") % {"n": MAX_REQUESTS})
        return cases.filter(ticket_number__in=ids)
    codes = _values(params, "service_code")
    if codes:
        pks = [parse_id(code) for code in codes]
        if None in pks:
            raise Refused(400, _("service_code应为诉求类别的编号（数字）。"))
        cases = cases.filter(category_id__in=pks)
    statuses = set(_values(params, "status"))
    if statuses - set(mapping.STATUSES):
        raise Refused(400, _("status只能是open或closed。"))
    if statuses == {mapping.OPEN}:
        cases = cases.exclude(state__in=mapping.CLOSED_STATES)
    elif statuses == {mapping.CLOSED}:
        cases = cases.filter(state__in=mapping.CLOSED_STATES)
    start, end = _span(params)
    return cases.filter(created_at__gte=start, created_at__lte=end)


def _requests_answer(fmt, cases):
    points = mapping.Points()
    items = [mapping.service_request(case, points) for case in cases]
    return formats.respond(fmt, "service_requests", items)


@read_only_api
@content_etag
@refusals
def list_requests(request, fmt):
    """GET requests: cases by ids, categories, status and date range (at most 90 days, 1000)."""
    cases = _filtered(request.GET).order_by("-created_at", "-pk")[:MAX_REQUESTS]
    return _requests_answer(fmt, cases)


@refusals
def create_request(request, fmt):
    """POST requests: file a case with an issued API key, through the form's intake."""
    params = request.POST
    key = Open311Key.authenticate(parse_text(params.get("api_key"), 200))
    if key is None:
        return formats.errors(fmt, 403, _("api_key无效或已被吊销，不能提交诉求。"))
    limited = settings.FEEDBACK_RATE_LIMITS_ENABLED
    if limited and ratelimit.hit(KEY_LIMIT_KIND, str(key.pk)) > key.rate_limit:
        response = formats.errors(
            fmt,
            429,
            _("这个api_key一小时内提交的诉求已达上限（%(n)s件），请稍后再试。")
            % {"n": key.rate_limit},
        )
        response["Retry-After"] = str(ratelimit.WINDOW_SECONDS)
        return response
    case = file_case(params)
    Open311Key.objects.filter(pk=key.pk).update(last_used_at=timezone.now())
    notice = _(
        "已受理，工单号%(ticket)s。查询码%(code)s：居民凭它在%(url)s查看办理进度；"
        "办理时限%(deadline)s。"
    ) % {
        "ticket": case.ticket_number,
        "code": case.tracking_code,
        "url": tracking_url(case),
        "deadline": mapping.w3_datetime(case.deadline) or "",
    }
    item = {
        "service_request_id": case.ticket_number,
        "token": case.tracking_code,
        "service_notice": notice,
        "account_id": None,
    }
    return formats.respond(fmt, "service_requests", [item])


_read_requests = read_only_api(list_requests)


@csrf_exempt
def requests_endpoint(request, fmt):
    """requests.{format}: GET (read, public) and POST (file a case, with a key)."""
    if request.method == "POST":
        response = create_request(request, fmt=fmt)
        # The answer carries the tracking code: no cache keeps it (and it is not compressed).
        response["Cache-Control"] = "no-store"
        return response
    response = _read_requests(request, fmt=fmt)
    if "Allow" in response:
        response["Allow"] = ", ".join([*READ_METHODS, "POST"])
    return response


@read_only_api
@content_etag
@refusals
def request_detail(request, request_id, fmt):
    """GET requests/{service_request_id}: one case, by its ticket number."""
    ticket = parse_text(request_id, 20)
    cases = list(mapping.public_cases().filter(ticket_number=ticket)) if ticket else []
    if not cases:
        raise Refused(404, _("没有工单号为%(id)s的诉求。") % {"id": request_id[:40]})
    return _requests_answer(fmt, cases)


@read_only_api
@refusals
def token(request, token, fmt):
    """GET tokens/{token}: the ticket number of the case a tracking code (token) belongs to.

    A tracking code opens a case, so wrong ones count against the address like on the tracking
    page, and the answer is never kept by a cache."""
    limit = settings.FEEDBACK_TRACKING_FAILURES_PER_HOUR
    ip = client_ip(request)
    if ratelimit.count(FAILED_CODE_KIND, ip, TOKEN_FAILURE_WINDOW) >= limit:
        response = formats.errors(fmt, 429, _("查询码输错次数过多，请一小时后再试。"))
    else:
        code = normalise_tracking_code(parse_text(token, 40) or "")
        case = Feedback.objects.filter(tracking_code=code).only("ticket_number").first()
        if code and case is not None:
            item = {"service_request_id": case.ticket_number, "token": code}
            response = formats.respond(fmt, "service_requests", [item])
        else:
            ratelimit.hit(FAILED_CODE_KIND, ip, TOKEN_FAILURE_WINDOW)
            response = formats.errors(fmt, 404, _("没有这个token（查询码）对应的诉求。"))
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "strict-origin"
    return response


@csrf_exempt
def not_found(request, rest=""):
    """Anything else under /open311/: the spec's 404, in JSON when the path asks for it."""
    fmt = formats.JSON if rest.endswith(".json") else formats.XML
    response = formats.errors(fmt, 404, _("没有这个Open311接口地址，请查看discovery.xml。"))
    response["Access-Control-Allow-Origin"] = "*"
    return response
