"""Text messages (短信) through a pluggable backend, in the manner of Django's e-mail backends.

Chinese providers send only approved templates (模板) under an approved signature (签名), so a
message here is a template name and its parameters, never free text. `SMS_BACKEND` names the
backend class; `SMS_TEMPLATE_IDS` maps each template name to the provider's template id.
This package knows no app: the apps own their templates' wording and their outbox.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.utils.module_loading import import_string

DEFAULT_BACKEND = "portal.sms.backends.ConsoleBackend"
# One SMS segment: 70 characters when any is Chinese (UCS-2), signature included.
SEGMENT_CHARS = 70


@dataclass(frozen=True)
class SmsMessage:
    """One text to one mobile: a template name, its parameters in the template's order, and
    the text as the provider will render it (for the console, logs and the segment check)."""

    phone: str
    template: str
    params: dict = field(default_factory=dict)
    text: str = ""


class SmsError(Exception):
    """A send the provider refused or that never reached it. `retryable` says whether trying
    again later can help (rate limits, outages) or not (a bad number, an unapproved template)."""

    def __init__(self, code, message="", retryable=False):
        super().__init__(f"{code}: {message}" if message else code)
        self.code = code
        self.message = message
        self.retryable = retryable


def segments(text, signature=None):
    """How many SMS segments `text` takes with the signature 【…】 the provider prepends."""
    signature = settings.SMS_SIGN_NAME if signature is None else signature
    length = len(text) + (len(signature) + 2 if signature else 0)
    if length <= SEGMENT_CHARS:
        return 1
    return -(-length // 67)  # long messages carry a 3-character header per segment


def get_backend(path=None):
    """An instance of the configured backend (or of `path`)."""
    return import_string(path or getattr(settings, "SMS_BACKEND", DEFAULT_BACKEND))()


def send(message, backend=None):
    """Send one SmsMessage; returns the provider's id for it, raises SmsError."""
    return (backend or get_backend()).send(message)


def normalise_mobile(text):
    """A mainland mobile number as 11 digits ('+86 138-0013-8000' → '13800138000'), or ""."""
    digits = "".join(ch for ch in (text or "") if ch.isascii() and ch.isdigit())
    if digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    if len(digits) == 11 and digits.startswith("1") and digits[1] in "3456789":
        return digits
    return ""
