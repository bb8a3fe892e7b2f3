"""modelsearch's backend conformance tests (`BackendTests`) against `portal.search.postgres`.

Every test passes as it is: the backend answers filters, ordering, facets, boosts, phrases,
And/Or/Not, related fields and autocomplete as modelsearch's own PostgreSQL backend does. The
fixture (`fixtures/search.json`) holds the books, authors, characters and animals the tests
assert on; modelsearch's wheel does not ship its own.
"""

import unittest
from pathlib import Path

from django.db import connection
from django.test import TestCase
from django.test.utils import override_settings
from modelsearch.tests.test_backends import BackendTests

BACKENDS = {"default": {"BACKEND": "portal.search.postgres"}}


@unittest.skipUnless(connection.vendor == "postgresql", "needs a PostgreSQL database")
@override_settings(MODELSEARCH_BACKENDS=BACKENDS, WAGTAILSEARCH_BACKENDS=BACKENDS)
class TestPortalPostgresBackend(BackendTests, TestCase):
    backend_path = "portal.search.postgres"
    fixtures = [str(Path(__file__).parent / "fixtures" / "search.json")]
