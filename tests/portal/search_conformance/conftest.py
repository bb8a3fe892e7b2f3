"""These modules need modelsearch's test app: they run under `settings.py` beside them, in the
pytest that `tests/portal/test_search_conformance.py` starts, and are skipped elsewhere."""

from django.conf import settings

if "modelsearch.test.testapp" not in settings.INSTALLED_APPS:
    collect_ignore_glob = ["test_*.py"]
