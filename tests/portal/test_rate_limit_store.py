"""Production refuses to start without a rate-limit store every worker process shares."""

from tests.portal.test_settings import SETUP, run_python

SECRETS = {
    "SECRET_KEY": "tF3q-9xLm2vR7pWz8cYb4nHj6kDs1aUe0gQi5oTr" * 2,
    "ALLOWED_HOSTS": "a.org",
    "PORTAL_BASE_URL": "https://a.org",
}


def test_production_refuses_to_start_without_a_shared_store():
    """Without REDIS_URL or RATE_LIMIT_CACHE=database, production stops and says what to set."""
    result = run_python(SETUP + "print('started')", "portal.settings.production", **SECRETS)
    assert result.returncode != 0 and "started" not in result.stdout
    assert "REDIS_URL" in result.stderr and "RATE_LIMIT_CACHE=database" in result.stderr


def test_production_counts_in_the_database_when_told_to():
    """With RATE_LIMIT_CACHE=database it starts, the rate limits in the database table."""
    code = SETUP + "print(settings.CACHES['ratelimit']['BACKEND'])"
    result = run_python(code, "portal.settings.production", RATE_LIMIT_CACHE="database", **SECRETS)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "portal.cache.SharedDatabaseCache"
