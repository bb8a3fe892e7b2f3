"""Settings for `make run`: the embedded default on one machine, with a kept secret key."""

import secrets

from portal.file_modes import restrict, write_private_file

from .base import *
from .base import VAR_DIR, env_list

DEBUG = True
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
PORTAL_DEMO_LOGIN = True
PORTAL_REQUIRE_STAFF_MFA = env_bool("PORTAL_REQUIRE_STAFF_MFA", False)


def _kept_secret_key():
    """Generate the secret key once and keep it under var/, so sessions survive restarts."""
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    path = VAR_DIR / "secret_key"
    if not path.exists():
        write_private_file(path, secrets.token_urlsafe(64))
    restrict(path)
    return path.read_text().strip()


SECRET_KEY = os.environ.get("SECRET_KEY") or _kept_secret_key()

# E-mail to the console unless an SMTP server is configured, as in production.
if not EMAIL_HOST:
    POST_OFFICE = {
        **POST_OFFICE,
        "BACKENDS": {"default": "portal.mail.ConsoleBackend"},
    }
# Static files: production's manifest storage (portal.settings.base), so `make static` writes
# the manifest a production server needs; with DEBUG on, pages link the unhashed names and work
# before any collectstatic.
