"""The search index's entry in the health check (`/healthz/`)."""

from modelsearch.backends import get_search_backend


def check_search_index():
    """Raise when the default backend's index is missing or unreadable; other backends pass."""
    backend = get_search_backend()
    check = getattr(backend, "check_health", None)
    if check is not None:
        check()
