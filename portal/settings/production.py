"""Production settings: everything from the environment; refuses to start without its secrets."""

import logging

from django.core.exceptions import ImproperlyConfigured

from .base import *
from .base import ALLOWED_HOSTS, EMAIL_HOST, SECRET_KEY, env_bool, env_int

for _name in ("SECRET_KEY", "ALLOWED_HOSTS", "PORTAL_BASE_URL"):
    if not os.environ.get(_name, "").strip():
        raise ImproperlyConfigured(
            f"{_name} must be set in the environment for production (see README.md, 'Production')."
        )


# Values that would make the site unsafe: refused with a sentence, not run with.
def refuse_unsafe_values(secret_key, allowed_hosts):
    """Raise ImproperlyConfigured for a weak SECRET_KEY or a wildcard in ALLOWED_HOSTS."""
    see = "(see README.md, 'Production')"
    if any("*" in host for host in allowed_hosts):
        raise ImproperlyConfigured(
            "ALLOWED_HOSTS must name the site's hosts (e.g. grid.example.gov.cn, or "
            "'.example.gov.cn' for its subdomains): '*' would let any Host header through, "
            f"and links in e-mails could point elsewhere {see}."
        )
    if (
        len(secret_key) < 50
        or len(set(secret_key)) < 5
        or secret_key.startswith("django-insecure-")
    ):
        raise ImproperlyConfigured(
            "SECRET_KEY must be at least 50 random characters (for example the output of "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`); a short or "
            f"guessable key lets anyone forge sessions and password-reset links {see}."
        )


refuse_unsafe_values(SECRET_KEY, ALLOWED_HOSTS)
if not EMAIL_HOST:
    # Not refused (a site may start before its mail server exists), but said at every start:
    # without it the outbox keeps every e-mail (password resets, case updates) unsent.
    logging.getLogger("portal.settings").warning(
        "EMAIL_HOST is not set: e-mail (password resets, case updates) stays in the outbox "
        "unsent until an SMTP server is configured (see README.md, 'Production')."
    )

PORTAL_DEMO_LOGIN = False
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
# HSTS for this host only, unless the operator asks for more: includeSubDomains forces HTTPS on
# every subdomain, and preload asks browsers to build it in, which takes months to undo.
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
if SECURE_HSTS_PRELOAD and not SECURE_HSTS_INCLUDE_SUBDOMAINS:
    raise ImproperlyConfigured(
        "SECURE_HSTS_PRELOAD needs SECURE_HSTS_INCLUDE_SUBDOMAINS too: the preload list accepts "
        "only sites whose HSTS covers their subdomains (see README.md, 'Production')."
    )
# `check --deploy` warns while these are off (security.W005, security.W021); off is the
# default chosen above, so those two warnings are silenced until the operator turns them on.
SILENCED_SYSTEM_CHECKS = [
    *([] if SECURE_HSTS_INCLUDE_SUBDOMAINS else ["security.W005"]),
    *([] if SECURE_HSTS_PRELOAD else ["security.W021"]),
]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True


def _require_shared_rate_limit_store():
    """Rate limits must count across every worker: Redis (REDIS_URL), or the database table
    chosen explicitly with RATE_LIMIT_CACHE=database; never a store of one process."""
    if REDIS_URL or RATE_LIMIT_CACHE == "database":
        return
    raise ImproperlyConfigured(
        "Rate limits need a store every worker process shares: set REDIS_URL, or "
        "RATE_LIMIT_CACHE=database to count them in the database (see README.md, 'Production')."
    )


_require_shared_rate_limit_store()
