"""Which search backend the settings select: Whoosh by default, PostgreSQL full-text search with
`PORTAL_SEARCH_BACKEND=postgres`, a cluster when SEARCH_URL is set.

Imported by the settings module, so it uses nothing but the environment.

- `PORTAL_SEARCH_BACKEND`: `whoosh` (default; an index directory on this machine) or `postgres`
  (the database's own full-text search, shared by every app server; needs a PostgreSQL
  `DATABASE_URL`). Ignored when `SEARCH_URL` is set.

- `SEARCH_URL`: one or more comma-separated cluster URLs (`https://user:pass@search:9200`).
- `SEARCH_ENGINE`: the modelsearch backend module: `opensearch2` (default), `opensearch3`,
  `elasticsearch7`, `elasticsearch8` or `elasticsearch9`.
- `SEARCH_ANALYZER`: `smartcn` (default; the analysis-smartcn plugin) or `ik` (the IK plugin:
  `ik_max_word` when indexing, `ik_smart` when searching).
- `SEARCH_INDEX_PREFIX`: prefix of the index names (default `portal_`).
"""

ENGINES = {"opensearch2", "opensearch3", "elasticsearch7", "elasticsearch8", "elasticsearch9"}
ANALYZERS = {
    # name: (index-time analyzer, search-time analyzer, tokenizer for autocomplete n-grams)
    "smartcn": ("smartcn", "smartcn", "smartcn_tokenizer"),
    "ik": ("ik_max_word", "ik_smart", "ik_max_word"),
}


class SearchConfigError(ValueError):
    pass


def cluster_backend(urls, engine="opensearch2", analyzer="smartcn", prefix="portal_"):
    """The WAGTAILSEARCH_BACKENDS entry for a cluster with a Chinese analyzer as its default."""
    if engine not in ENGINES:
        raise SearchConfigError(f"SEARCH_ENGINE must be one of {sorted(ENGINES)}, not {engine!r}")
    if analyzer not in ANALYZERS:
        raise SearchConfigError(
            f"SEARCH_ANALYZER must be one of {sorted(ANALYZERS)}, not {analyzer!r}"
        )
    index_analyzer, search_analyzer, tokenizer = ANALYZERS[analyzer]
    return {
        "BACKEND": f"modelsearch.backends.{engine}",
        "URLS": urls,
        "INDEX_PREFIX": prefix,
        "TIMEOUT": 10,
        "INDEX_SETTINGS": {
            "settings": {
                "analysis": {
                    "analyzer": {
                        # Text fields have no analyzer of their own, so these apply to them.
                        "default": {"type": index_analyzer},
                        "default_search": {"type": search_analyzer},
                        # Autocomplete: n-grams of Chinese words instead of single characters.
                        "edgengram_analyzer": {"tokenizer": tokenizer},
                    }
                }
            }
        },
    }


# DATABASE_URL schemes that dj-database-url reads as PostgreSQL.
POSTGRES_SCHEMES = ("postgres://", "postgresql://", "pgsql://", "postgis://")
EMBEDDED_BACKENDS = {
    "whoosh": "portal.search.backend",
    "postgres": "portal.search.postgres",
}


def embedded_backend(name, database_url=""):
    """The WAGTAILSEARCH_BACKENDS entry for `PORTAL_SEARCH_BACKEND`."""
    name = (name or "whoosh").strip().lower()
    if name not in EMBEDDED_BACKENDS:
        raise SearchConfigError(
            f"PORTAL_SEARCH_BACKEND must be one of {sorted(EMBEDDED_BACKENDS)}, not {name!r}"
        )
    if name == "postgres" and not database_url.startswith(POSTGRES_SCHEMES):
        raise SearchConfigError(
            "PORTAL_SEARCH_BACKEND=postgres searches in the database: DATABASE_URL must be a "
            "PostgreSQL URL (postgres://…)"
        )
    return {"BACKEND": EMBEDDED_BACKENDS[name]}


def search_backends(environ):
    """WAGTAILSEARCH_BACKENDS for this environment."""
    urls = [url.strip() for url in environ.get("SEARCH_URL", "").split(",") if url.strip()]
    if not urls:
        return {
            "default": embedded_backend(
                environ.get("PORTAL_SEARCH_BACKEND", ""), environ.get("DATABASE_URL", "").strip()
            )
        }
    return {
        "default": cluster_backend(
            urls,
            engine=environ.get("SEARCH_ENGINE", "opensearch2").strip().lower(),
            analyzer=environ.get("SEARCH_ANALYZER", "smartcn").strip().lower(),
            prefix=environ.get("SEARCH_INDEX_PREFIX", "portal_"),
        )
    }
