"""The search backend follows the environment: Whoosh by default, a cluster with SEARCH_URL."""

import pytest

from portal.search.config import SearchConfigError, search_backends

from .test_settings import SETUP, run_python


def test_default_is_the_embedded_whoosh_backend():
    """Without SEARCH_URL the settings select the Whoosh + jieba backend."""
    result = run_python(
        SETUP + "print(settings.WAGTAILSEARCH_BACKENDS['default']['BACKEND'])",
        "portal.settings.base",
        SECRET_KEY="x",
    )
    assert result.stdout.strip() == "portal.search.backend"


def test_search_url_switches_to_opensearch_with_a_chinese_analyzer():
    """SEARCH_URL selects modelsearch's OpenSearch backend with smartcn as the default analyzer."""
    code = SETUP + (
        "b = settings.WAGTAILSEARCH_BACKENDS['default']; print(b['BACKEND']); print(b['URLS']); "
        "print(b['INDEX_SETTINGS']['settings']['analysis']['analyzer']['default']['type'])"
    )
    result = run_python(
        code, "portal.settings.base", SECRET_KEY="x", SEARCH_URL="https://search.internal:9200"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:3] == [
        "modelsearch.backends.opensearch2",
        "['https://search.internal:9200']",
        "smartcn",
    ]


def test_ik_analyzer_and_elasticsearch_engine():
    """SEARCH_ANALYZER=ik indexes with ik_max_word and searches with ik_smart."""
    backend = search_backends(
        {"SEARCH_URL": "http://es:9200", "SEARCH_ENGINE": "elasticsearch8", "SEARCH_ANALYZER": "ik"}
    )["default"]
    analyzers = backend["INDEX_SETTINGS"]["settings"]["analysis"]["analyzer"]
    assert backend["BACKEND"] == "modelsearch.backends.elasticsearch8"
    assert analyzers["default"] == {"type": "ik_max_word"}
    assert analyzers["default_search"] == {"type": "ik_smart"}


def test_unknown_engine_is_refused():
    """A misspelt engine stops the settings with a message naming the choices."""
    with pytest.raises(SearchConfigError, match="SEARCH_ENGINE"):
        search_backends({"SEARCH_URL": "http://es:9200", "SEARCH_ENGINE": "solr"})


def test_postgres_backend_is_chosen_by_setting():
    """PORTAL_SEARCH_BACKEND=postgres selects the PostgreSQL backend on a PostgreSQL database."""
    result = run_python(
        SETUP + "print(settings.WAGTAILSEARCH_BACKENDS['default']['BACKEND'])",
        "portal.settings.base",
        SECRET_KEY="x",
        PORTAL_SEARCH_BACKEND="postgres",
        DATABASE_URL="postgres://portal@db.internal:5432/portal",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "portal.search.postgres"


def test_postgres_backend_needs_a_postgres_database():
    """The database search is refused, with a sentence, on SQLite; a misspelt name too."""
    with pytest.raises(SearchConfigError, match="DATABASE_URL must be a PostgreSQL URL"):
        search_backends({"PORTAL_SEARCH_BACKEND": "postgres"})
    with pytest.raises(SearchConfigError, match="PORTAL_SEARCH_BACKEND"):
        search_backends({"PORTAL_SEARCH_BACKEND": "solr"})
    assert search_backends({"PORTAL_SEARCH_BACKEND": "Whoosh"}) == {
        "default": {"BACKEND": "portal.search.backend"}
    }
