"""Test settings plus modelsearch's test app, for the search backend conformance suite only.

`tests/portal/test_search_conformance.py` runs `tests/portal/search_conformance/` under these
settings in a pytest of its own, so the rest of the suite never sees the test app's models.
"""

from portal.settings.test import *  # noqa: F403

INSTALLED_APPS = [
    *INSTALLED_APPS,  # noqa: F405
    "tests.portal.search_conformance.apps.ModelsearchModelsConfig",
    "modelsearch.test.testapp",
]

# The test app's own migrations enable PostgreSQL extensions with a command that indexes
# Wagtail's search table, in a migration that may run before that table exists; these migrations
# (made by makemigrations from the same models) run after it.
MIGRATION_MODULES = {"searchtests": "tests.portal.search_conformance.migrations"}
