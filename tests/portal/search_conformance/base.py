"""modelsearch's backend conformance tests (`BackendTests`), for any of the portal's backends.

A backend's test module subclasses `BackendConformance` with its `backend_path` (and any
`backend_options`) and marks the tests it is known to fail with `unittest.expectedFailure`,
giving the reason in the backend's docstring. The data is `fixtures/search.json`: the books,
authors, characters, meetings and animals the tests assert on (modelsearch's wheel does not
ship its own fixture).
"""

import shutil
import tempfile
from pathlib import Path

from django.test.utils import override_settings
from modelsearch.tests.test_backends import BackendTests

from portal.search.backend.store import drop_searchers

FIXTURE = Path(__file__).parent / "fixtures" / "search.json"


class BackendConformance(BackendTests):
    """Runs every `BackendTests` test against `backend_path`, as the default backend."""

    backend_path = None
    backend_options = {}
    fixtures = [str(FIXTURE)]

    def setUp(self):
        index_dir = tempfile.mkdtemp(prefix="portal-conformance-")
        self.addCleanup(shutil.rmtree, index_dir, ignore_errors=True)
        self.addCleanup(drop_searchers)
        backends = {"default": {"BACKEND": self.backend_path, **self.backend_options}}
        # modelsearch's set-up looks the backend up in MODELSEARCH_BACKENDS; the portal's search
        # app (wagtail.search) reads WAGTAILSEARCH_BACKENDS.
        overrides = override_settings(
            MODELSEARCH_BACKENDS=backends,
            WAGTAILSEARCH_BACKENDS=backends,
            PORTAL_SEARCH_INDEX_DIR=index_dir,
        )
        overrides.enable()
        self.addCleanup(overrides.disable)
        super().setUp()
