"""Settings for bench/bench_feedback.py: production settings served over plain HTTP on localhost.

Static files use the plain storage (no collectstatic manifest needed); rate limits are turned
off through FEEDBACK_RATE_LIMITS_ENABLED=0 in the environment the bench sets.
"""

from portal.settings.production import *  # noqa: F403

SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LOGGING = {**LOGGING, "root": {"handlers": ["console"], "level": "WARNING"}}  # noqa: F405
