"""The links in alert e-mails: signed (django.core.signing with SECRET_KEY), so nothing is
stored, and bound to a hash of the address, so a link never works for another subscriber.

- confirm: one subscription, valid for CONFIRM_DAYS;
- unsubscribe: one subscription, no expiry (RFC 8058 one-click from any old e-mail);
- manage: every subscription of one subscriber, no expiry.
"""

import hashlib

from django.core import signing

CONFIRM_DAYS = 7
_SALTS = {
    "confirm": "notices.alerts.confirm",
    "unsubscribe": "notices.alerts.unsubscribe",
    "manage": "notices.alerts.manage",
}


def _address_hash(address):
    return hashlib.sha256(address.encode()).hexdigest()[:16]


def make(kind, pk, address):
    """A URL-safe token for object `pk` (a subscription, or a subscriber for "manage")."""
    return signing.dumps([pk, _address_hash(address)], salt=_SALTS[kind])


def read(kind, token):
    """(pk, address hash) of a token, or None for a forged, altered or expired one."""
    max_age = CONFIRM_DAYS * 24 * 3600 if kind == "confirm" else None
    try:
        value = signing.loads(str(token), salt=_SALTS[kind], max_age=max_age)
    except (signing.BadSignature, ValueError, TypeError, UnicodeError):
        return None
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not isinstance(value[0], int)
        or not isinstance(value[1], str)
    ):
        return None
    return value[0], value[1]


def matches(address, address_hash):
    return _address_hash(address) == address_hash
