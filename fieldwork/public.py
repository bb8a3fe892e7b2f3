"""The one public page of fieldwork: a line's contact acknowledges a handover slip (签收) and
reports its result (办结) through the link in the slip's e-mail. No account: the token in the
link is the key. A wrong token counts against the client's address; too many in an hour and
the page answers 429 for a while. Every value is read with portal.parsing."""

from functools import wraps

from django.conf import settings
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from portal import ratelimit
from portal.parsing import parse_text

from .handover import SlipError, acknowledge, complete, slip_for_token
from .models import SlipState

PREFIX = "fieldwork-rl"
FAILURE_WINDOW = 3600
MAX_TOKEN_LENGTH = 64


def _failures_allowed():
    return getattr(settings, "FIELDWORK_SLIP_FAILURES_PER_HOUR", 10)


def no_referrer(view):
    """The page's address holds the token: send only the site's origin as Referer."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Referrer-Policy"] = "strict-origin"
        response["X-Robots-Tag"] = "noindex"
        return response

    return wrapped


def _render(request, context, status=200):
    return render(request, "fieldwork/slip_ack.html", context, status=status)


@never_cache
@no_referrer
@require_http_methods(["GET", "POST"])
def slip_ack(request, token):
    """Show the slip to the line's contact; sign for it, then report its result."""
    ip = ratelimit.client_ip(request)
    if ratelimit.count(PREFIX, "slip-failure", ip, FAILURE_WINDOW) >= _failures_allowed():
        return _render(
            request, {"error": _("链接错误次数过多，请一小时后再试，或联系社区服务中心。")}, 429
        )
    token = parse_text(token, MAX_TOKEN_LENGTH)
    slip = slip_for_token(token) if token else None
    if slip is None:
        ratelimit.hit(PREFIX, "slip-failure", ip, FAILURE_WINDOW)
        return _render(
            request, {"error": _("没有找到这份工作单，请核对邮件中的链接是否完整。")}, 404
        )
    context = {"slip": slip, "events": slip.events.all(), "errors": {}, "values": {}}
    if request.method == "POST":
        action = parse_text(request.POST.get("action"), 20)
        name = parse_text(request.POST.get("name"), 40)
        text = parse_text(request.POST.get("text"), 2000)
        errors = {}
        if not name:
            errors["name"] = _("请填写您的姓名（40字以内）。")
        if action == "done" and not text:
            errors["text"] = _("请填写办理结果（2000字以内）。")
        if action not in ("acknowledge", "done"):
            errors["action"] = _("请选择签收或办结。")
        if errors:
            context.update({"errors": errors, "values": {"name": name or "", "text": text or ""}})
            return _render(request, context, 400)
        try:
            if action == "acknowledge":
                acknowledge(slip, name, note=text or "")
            else:
                complete(slip, text, name=name)
        except SlipError as error:
            context["errors"] = {"action": str(error)}
            return _render(request, context, 409)
        return redirect(reverse("fieldwork_slip_ack", args=[token]) + "#slip-state")
    context["states"] = SlipState
    return _render(request, context)
