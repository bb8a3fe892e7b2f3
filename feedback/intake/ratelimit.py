"""Rate limits of the public feedback pages: submissions of the form per contact and per IP
address, wrong tracking codes per IP address.

Counted in the "ratelimit" cache, which every worker process shares: Redis with REDIS_URL,
otherwise a database table (`portal.cache`). A contact (phone or e-mail) is counted first; the
address has a generous ceiling of its own, so a service centre helping many residents from one
address is not locked out. `FEEDBACK_RATE_LIMITS_ENABLED=0` turns the form's limits off (the
bench does).
"""

from django.conf import settings
from django.utils.translation import gettext as _

from portal import ratelimit
from portal.models import SiteSettings
from portal.ratelimit import WINDOW_SECONDS

PREFIX = "feedback-rl"


def contact_keys(phone, email):
    """Normalised phone digits and lower-cased e-mail, the resident's identities."""
    keys = []
    digits = "".join(ch for ch in phone or "" if ch.isdigit())
    if digits:
        keys.append("phone:" + digits[-11:])
    if email:
        keys.append("email:" + email.strip().lower())
    return keys


def hit(kind, value, window=WINDOW_SECONDS):
    """Count one more for `value` in this window; the new count (0: the cache cannot count, and
    the request is let through)."""
    return ratelimit.hit(PREFIX, kind, value, window)


def count(kind, value, window=WINDOW_SECONDS):
    """How many were counted for `value` in this window so far."""
    return ratelimit.count(PREFIX, kind, value, window)


def check_and_count(ip, phone="", email=""):
    """Count a submission; return "contact" or "ip" when it goes over a limit, else None.

    Each contact counts against FEEDBACK_RATE_LIMIT_PER_CONTACT; a submission without one counts
    its address as its contact. Only then is the address counted against its ceiling,
    FEEDBACK_RATE_LIMIT_PER_IP (a submission refused for its contact does not use it up)."""
    if not settings.FEEDBACK_RATE_LIMITS_ENABLED:
        return None
    contacts = contact_keys(phone, email)
    for value in contacts or ["ip:" + ip]:
        if hit("contact", value) > settings.FEEDBACK_RATE_LIMIT_PER_CONTACT:
            return "contact" if contacts else "ip"
    if hit("ip", ip) > settings.FEEDBACK_RATE_LIMIT_PER_IP:
        return "ip"
    return None


def centre_phone(request):
    """The service centre's public phone number from the site settings ("" when not set)."""
    return SiteSettings.for_request(request).phone.strip()


def refusal_message(request, over, photos=False):
    """What a resident refused by a limit reads: why, that what they typed is kept, and the
    service centre's phone number to call instead."""
    reason = (
        _("这个联系方式一小时内提交的诉求已达上限。")
        if over == "contact"
        else _("这个网络一小时内提交的诉求已达上限。")
    )
    kept = (
        _("您填写的内容仍在下面，可以稍后再提交；照片需要重新选择。")
        if photos
        else _("您填写的内容仍在下面，可以稍后再提交。")
    )
    phone = centre_phone(request)
    call = (
        _("也可以拨打社区服务中心电话 %(phone)s。") % {"phone": phone}
        if phone
        else _("也可以拨打社区服务中心电话。")
    )
    return " ".join([reason, kept, call])
