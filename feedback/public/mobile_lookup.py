"""Find one's cases by mobile (找回诉求): a code texted to the mobile opens the list.

A resident who lost their tracking code enters their mobile; a six-digit one-time code is
texted to it (at most 3 an hour per number, 10 per address); entering it within ten minutes
(at most 5 tries) lists the open and recent cases given with that mobile, each linking to its
tracking page. The page answers the same whether or not the number has cases, and a code is
texted either way, so nothing shows a person who does not hold the number whether it has any.
Only keyed hashes of the mobile and the code are stored (feedback.MobileCode); the verified
mobile is kept in the session for half an hour.
"""

import datetime as dt
import hashlib
import hmac
import logging
import secrets

from django.conf import settings
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from portal import sms
from portal.parsing import parse_text
from portal.ratelimit import client_ip

from ..handling.transitions import OPEN_STATES
from ..intake import ratelimit
from ..intake.sms import message
from ..models import Feedback, MobileCode
from .tracking import no_referrer

logger = logging.getLogger("feedback.public.mobile_lookup")

CODE_MINUTES = 10
MAX_TRIES = 5
SENDS_PER_NUMBER = 3
SENDS_PER_ADDRESS = 10
SESSION_KEY = "feedback_verified_mobile"
SESSION_SECONDS = 30 * 60
RECENT_DAYS = 365


def _digest(*parts):
    key = f"feedback-mobile-lookup:{settings.SECRET_KEY}".encode()
    return hmac.new(key, ":".join(parts).encode(), hashlib.sha256).hexdigest()


def send_code(phone, ip, now=None):
    """Text a new one-time code to `phone` unless a limit is reached; True when sent.

    Limits are counted before sending, per number and per address, so neither a stranger nor
    a script can flood a mobile or run up the bill."""
    now = now or timezone.now()
    per_number = ratelimit.hit("mobile-code", phone)
    per_address = ratelimit.hit("mobile-code-ip", ip)
    if per_number > SENDS_PER_NUMBER or per_address > SENDS_PER_ADDRESS:
        return False
    code = f"{secrets.randbelow(10**6):06d}"
    MobileCode.objects.create(
        phone_hash=_digest(phone),
        code_hash=_digest(phone, code),
        created_at=now,
        expires_at=now + dt.timedelta(minutes=CODE_MINUTES),
    )
    try:
        sms.send(message(phone, "login_code", {"otp": code}))
    except sms.SmsError as error:
        logger.warning("one-time code not sent: %s", error.code)
    return True


def check_code(phone, code, now=None):
    """True when `code` is the live code last texted to `phone`; each try counts."""
    now = now or timezone.now()
    latest = (
        MobileCode.objects.filter(phone_hash=_digest(phone), used_at__isnull=True)
        .order_by("-created_at", "-pk")
        .first()
    )
    if latest is None or latest.expires_at <= now or latest.attempts >= MAX_TRIES:
        return False
    MobileCode.objects.filter(pk=latest.pk).update(attempts=latest.attempts + 1)
    if not hmac.compare_digest(latest.code_hash, _digest(phone, code)):
        return False
    return bool(MobileCode.objects.filter(pk=latest.pk, used_at__isnull=True).update(used_at=now))


def cases_for(phone, now=None):
    """The open cases and those of the last year given with this mobile, newest first."""
    now = now or timezone.now()
    since = now - dt.timedelta(days=RECENT_DAYS)
    candidates = (
        Feedback.objects.filter(contact_phone__contains=phone[-4:])
        .filter(Q(state__in=OPEN_STATES) | Q(created_at__gte=since))
        .select_related("category")
        .order_by("-created_at")
    )
    return [case for case in candidates[:200] if sms.normalise_mobile(case.contact_phone) == phone]


def _verified_phone(request):
    stored = request.session.get(SESSION_KEY) or {}
    if stored.get("until", 0) < timezone.now().timestamp():
        return ""
    return stored.get("phone", "")


@never_cache
@no_referrer
@require_http_methods(["GET", "POST"])
def mobile_lookup(request):
    """Step 1: the mobile; step 2: the texted code; then the list of that mobile's cases."""
    context = {"step": "mobile"}
    status = 200
    action = request.POST.get("action") if request.method == "POST" else None
    phone = sms.normalise_mobile(parse_text(request.POST.get("mobile", "")) or "")
    if action == "send":
        if not phone:
            context["error"] = _("请输入11位手机号码。")
            status = 400
        elif send_code(phone, client_ip(request)):
            context.update(step="code", mobile=phone)
        else:
            context["error"] = _("发送次数过多，请一小时后再试，或致电社区服务中心查询。")
            status = 429
    elif action == "verify":
        code = parse_text(request.POST.get("code", ""), max_length=12) or ""
        if phone and check_code(phone, code.strip()):
            request.session.cycle_key()
            request.session[SESSION_KEY] = {
                "phone": phone,
                "until": timezone.now().timestamp() + SESSION_SECONDS,
            }
            return redirect("feedback_track_mobile")
        context.update(
            step="code",
            mobile=phone,
            error=_("验证码不正确或已失效，请重新输入，或重新获取验证码。"),
        )
        status = 400
    elif action == "forget":
        request.session.pop(SESSION_KEY, None)
        return redirect("feedback_track_mobile")
    verified = _verified_phone(request)
    if verified and not action:
        context.update(
            step="cases",
            cases=cases_for(verified),
            masked=f"{verified[:3]}****{verified[-4:]}",
        )
    return render(request, "feedback/tracking_mobile.html", context, status=status)
