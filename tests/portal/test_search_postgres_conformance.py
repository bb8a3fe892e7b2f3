"""modelsearch's backend conformance tests against the PostgreSQL search backend.

They need modelsearch's test app installed, which the portal's own tests must not see, so they
run in a pytest of their own under `tests/portal/search_conformance_pg/settings.py`.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="PostgreSQL search needs a PostgreSQL database (DATABASE_URL=postgres://…)",
)
def test_postgres_backend_passes_modelsearch_conformance_tests():
    """Every one of modelsearch's BackendTests passes (120 tests at modelsearch 1.3)."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-n",
            "0",
            "-p",
            "no:cacheprovider",
            "--ds",
            "tests.portal.search_conformance_pg.settings",
            "-q",
            "tests/portal/search_conformance_pg",
        ],
        cwd=ROOT,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-2000:]
    assert " passed" in result.stdout and " failed" not in result.stdout
