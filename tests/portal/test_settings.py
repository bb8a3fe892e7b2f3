"""Settings: production refuses to start without secrets; the environment picks the services."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


# What a fresh shell would not have: settings from CI and the browser tests' async switch.
NOT_INHERITED = {
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "PORTAL_BASE_URL",
    "BIND",
    "DATABASE_URL",
    "REDIS_URL",
    "EMAIL_HOST",
    "SEARCH_URL",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "EMAIL_PORT",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
}


def clean_env(settings_module, **env):
    clean = {key: value for key, value in os.environ.items() if key not in NOT_INHERITED}
    clean.update(env, DJANGO_SETTINGS_MODULE=settings_module)
    return clean


def run_python(code, settings_module, **env):
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=clean_env(settings_module, **env),
        capture_output=True,
        text=True,
        timeout=120,
    )


SETUP = "import django; django.setup(); from django.conf import settings; "


@pytest.mark.parametrize(
    ("env", "missing"),
    [
        ({"ALLOWED_HOSTS": "portal.example.org", "PORTAL_BASE_URL": "https://x.cn"}, "SECRET_KEY"),
        ({"SECRET_KEY": "x" * 60, "PORTAL_BASE_URL": "https://x.cn"}, "ALLOWED_HOSTS"),
        ({"SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": "portal.example.org"}, "PORTAL_BASE_URL"),
    ],
)
def test_production_refuses_to_start_without_secrets(env, missing):
    """Production settings stop with a message naming the missing variable."""
    result = run_python(SETUP + "print('started')", "portal.settings.production", **env)
    assert result.returncode != 0
    assert "started" not in result.stdout
    assert f"{missing} must be set" in result.stderr


GOOD_KEY = "tF3q-9xLm2vR7pWz8cYb4nHj6kDs1aUe0gQi5oTr" * 2
GOOD = {
    "SECRET_KEY": GOOD_KEY,
    "ALLOWED_HOSTS": "portal.example.org",
    "PORTAL_BASE_URL": "https://portal.example.org",
    "RATE_LIMIT_CACHE": "database",
}


@pytest.mark.parametrize(
    ("env", "sentence"),
    [
        ({"EMAIL_PORT": "abc"}, "EMAIL_PORT must be a whole number from 1 to 65535, not 'abc'."),
        ({"EMAIL_PORT": "70000"}, "EMAIL_PORT must be a whole number from 1 to 65535"),
        ({"ALLOWED_HOSTS": "*"}, "ALLOWED_HOSTS must name the site's hosts"),
        ({"ALLOWED_HOSTS": "portal.example.org,*"}, "ALLOWED_HOSTS must name the site's hosts"),
        ({"SECRET_KEY": "short-but-not-empty"}, "SECRET_KEY must be at least 50 random"),
        ({"SECRET_KEY": "ab" * 40}, "SECRET_KEY must be at least 50 random"),
        ({"SECRET_KEY": "django-insecure-" + GOOD_KEY}, "SECRET_KEY must be at least 50 random"),
        ({"SECURE_HSTS_SECONDS": "a year"}, "SECURE_HSTS_SECONDS must be a whole number"),
        ({"SECURE_HSTS_PRELOAD": "true"}, "SECURE_HSTS_PRELOAD needs SECURE_HSTS_INCLUDE_"),
        ({"SECURE_SSL_REDIRECT": "maybe"}, "SECURE_SSL_REDIRECT must be true or false"),
    ],
)
def test_production_refuses_unsafe_values_with_a_sentence(env, sentence):
    """A bad or dangerous value stops production with ImproperlyConfigured saying what to fix."""
    result = run_python(SETUP + "print('started')", "portal.settings.production", **{**GOOD, **env})
    assert result.returncode != 0
    assert "started" not in result.stdout
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line.startswith("django.core.exceptions.ImproperlyConfigured: ")
    assert sentence in last_line


def test_production_warns_at_start_without_an_smtp_server():
    """Without EMAIL_HOST production starts but says that e-mail stays unsent."""
    code = SETUP + "print('started')"
    without = run_python(code, "portal.settings.production", **GOOD)
    with_host = run_python(
        code, "portal.settings.production", EMAIL_HOST="smtp.example.org", **GOOD
    )
    assert without.stdout.strip() == with_host.stdout.strip() == "started"
    assert "EMAIL_HOST is not set" in without.stderr
    assert "EMAIL_HOST" not in with_host.stderr


HSTS_HEADER = SETUP + (
    "from django.http import HttpResponse; from django.test import RequestFactory; "
    "from django.middleware.security import SecurityMiddleware; "
    "request = RequestFactory().get('/', secure=True); "
    "print(SecurityMiddleware(lambda r: HttpResponse())(request)['Strict-Transport-Security'])"
)


def test_hsts_covers_only_this_host_unless_asked():
    """HSTS has no includeSubDomains or preload until the operator turns them on."""
    default = run_python(HSTS_HEADER, "portal.settings.production", **GOOD)
    asked = run_python(
        HSTS_HEADER,
        "portal.settings.production",
        SECURE_HSTS_INCLUDE_SUBDOMAINS="true",
        SECURE_HSTS_PRELOAD="true",
        **GOOD,
    )
    assert default.stdout.strip() == "max-age=31536000"
    assert asked.stdout.strip() == "max-age=31536000; includeSubDomains; preload"


@pytest.mark.parametrize(
    "hsts",
    [{}, {"SECURE_HSTS_INCLUDE_SUBDOMAINS": "true", "SECURE_HSTS_PRELOAD": "true"}],
    ids=["this-host", "subdomains-and-preload"],
)
def test_production_passes_the_deploy_check(hsts):
    """`check --deploy` under production settings reports no warning, whatever HSTS covers."""
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=clean_env("portal.settings.production", **GOOD, **hsts),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_base_settings_are_safe_alone():
    """base.py alone has DEBUG off and takes no secret or host from anywhere but the env."""
    result = run_python(
        SETUP + "print(settings.DEBUG, repr(settings.SECRET_KEY), settings.ALLOWED_HOSTS)",
        "portal.settings.base",
        SECRET_KEY="from-the-environment",
    )
    assert result.stdout.strip() == "False 'from-the-environment' []"


def test_environment_selects_postgresql_and_redis():
    """DATABASE_URL selects PostgreSQL and REDIS_URL the shared Redis cache."""
    code = SETUP + (
        "print(settings.DATABASES['default']['ENGINE']); "
        "print(settings.CACHES['default']['BACKEND'])"
    )
    result = run_python(
        code,
        "portal.settings.base",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/test",
        REDIS_URL="redis://127.0.0.1:6379/0",
    )
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "django_redis.cache.RedisCache",
    ]


def test_embedded_sqlite_uses_wal_and_immediate_transactions(tmp_path):
    """The embedded database under var/ runs in WAL mode with IMMEDIATE transactions."""
    code = SETUP + (
        "from django.db import connection; c = connection.cursor(); "
        "c.execute('PRAGMA journal_mode'); print(c.fetchone()[0]); "
        "print(settings.DATABASES['default']['OPTIONS']['transaction_mode']); "
        "print(settings.DATABASES['default']['NAME'])"
    )
    result = run_python(code, "portal.settings.dev", PORTAL_VAR_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr
    mode, transaction_mode, name = result.stdout.split()
    assert (mode, transaction_mode) == ("wal", "IMMEDIATE")
    assert name == str(tmp_path / "db.sqlite3")


def test_dev_settings_keep_a_generated_secret_key(tmp_path):
    """dev.py makes a secret key once under var/ and reuses it."""
    code = SETUP + "print(settings.SECRET_KEY)"
    first = run_python(code, "portal.settings.dev", PORTAL_VAR_DIR=str(tmp_path))
    second = run_python(code, "portal.settings.dev", PORTAL_VAR_DIR=str(tmp_path))
    assert first.stdout == second.stdout
    assert len(first.stdout.strip()) >= 50
    assert (tmp_path / "secret_key").read_text().strip() == first.stdout.strip()


def test_dev_settings_send_mail_to_the_console_unless_smtp_is_set(tmp_path):
    """Without EMAIL_HOST the outbox sends to the console; with it, to that SMTP server."""
    code = SETUP + "print(settings.POST_OFFICE['BACKENDS']['default'])"
    console = run_python(code, "portal.settings.dev", PORTAL_VAR_DIR=str(tmp_path))
    smtp = run_python(
        code, "portal.settings.dev", PORTAL_VAR_DIR=str(tmp_path), EMAIL_HOST="smtp.example.org"
    )
    assert console.stdout.strip() == "portal.mail.ConsoleBackend"
    assert smtp.stdout.strip() == "portal.mail.SMTPBackend"


def test_make_static_collects_what_production_serves(tmp_path):
    """`make static` (development settings) writes the manifest production's storage reads, so
    a site collected with it does not answer 500 under production settings."""
    code = SETUP + "print(settings.STORAGES['staticfiles']['BACKEND'])"
    env = {"SECRET_KEY": "k3Jx9-Qa" * 8, "PORTAL_VAR_DIR": str(tmp_path)}
    dev = run_python(code, "portal.settings.dev", **env)
    production = run_python(
        code,
        "portal.settings.production",
        ALLOWED_HOSTS="a.example.org",
        PORTAL_BASE_URL="https://a.example.org",
        REDIS_URL="",
        **env,
        RATE_LIMIT_CACHE="database",
    )
    assert dev.returncode == 0 and production.returncode == 0, dev.stderr + production.stderr
    assert dev.stdout.strip().endswith("ManifestStaticFilesStorage")
    assert dev.stdout == production.stdout
