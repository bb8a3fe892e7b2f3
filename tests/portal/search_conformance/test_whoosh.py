"""The Whoosh backend (`portal.search.backend`) against modelsearch's conformance tests."""

from django.test import TestCase

from .base import BackendConformance


class TestWhooshBackend(BackendConformance, TestCase):
    backend_path = "portal.search.backend"
