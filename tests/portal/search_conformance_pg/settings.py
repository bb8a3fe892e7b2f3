"""Test settings plus modelsearch's test app, for the PostgreSQL backend's conformance run only.

`tests/portal/test_search_postgres_conformance.py` runs this folder under these settings in a
pytest of its own, so the rest of the suite never sees the test app's models.
"""

from portal.settings.test import *  # noqa: F403

INSTALLED_APPS = [
    *INSTALLED_APPS,  # noqa: F405
    "django.contrib.postgres",
    "tests.portal.search_conformance_pg.apps.ModelsearchModelsConfig",
    "modelsearch.test.testapp",
]

# The test app's tables from one migration of our own (made by makemigrations): its own
# migrations would also run modelsearch's `enable_trigram` against the search app's table
# before `wagtail.search` has created it (this backend needs no trigram index: `Fuzzy` is
# searched as plain text).
MIGRATION_MODULES = {"searchtests": "tests.portal.search_conformance_pg.migrations"}
