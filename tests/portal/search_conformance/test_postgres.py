"""The PostgreSQL backend (`portal.search.postgres`) against modelsearch's conformance tests.

Every test passes as it is: the backend answers filters, ordering, facets, boosts, phrases,
And/Or/Not, related fields and autocomplete as modelsearch's own PostgreSQL backend does.
"""

import unittest

from django.db import connection
from django.test import TestCase

from .base import BackendConformance


@unittest.skipUnless(connection.vendor == "postgresql", "needs a PostgreSQL database")
class TestPostgresBackend(BackendConformance, TestCase):
    backend_path = "portal.search.postgres"
