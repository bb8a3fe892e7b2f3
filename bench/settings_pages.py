"""Settings for bench/bench_pages.py: the development settings without DEBUG, plus a trivial
view (`/bench/trivial/`) that goes through the same middleware as every page."""

from portal.settings.dev import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
ROOT_URLCONF = "urls_pages"
LOGGING = {**LOGGING, "root": {"handlers": ["console"], "level": "WARNING"}}  # noqa: F405
