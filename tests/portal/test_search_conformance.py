"""modelsearch's own backend conformance suite (`BackendTests`) against the portal's backends.

The suite needs modelsearch's test app (books, authors, …) migrated into the test database, which
the rest of the suite must not see; so its modules, in `tests/portal/search_conformance/`, run
here in a pytest of their own under `tests/portal/search_conformance/settings.py`. Run them
directly while working on a backend:

    .venv/bin/pytest -n 0 --ds=tests.portal.search_conformance.settings \\
        tests/portal/search_conformance/
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_search_backends_pass_modelsearch_conformance_suite():
    env = dict(os.environ)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    command = [
        sys.executable,
        "-m",
        "pytest",
        "tests/portal/search_conformance",
        "--ds=tests.portal.search_conformance.settings",
        "-n",
        "0",
        "-q",
        "-p",
        "no:cacheprovider",
    ]
    run = subprocess.run(  # noqa: S603 (our own interpreter and arguments)
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=1800, check=False
    )
    output = run.stdout + run.stderr
    assert run.returncode == 0, output[-20000:]
    # The modules were collected, not skipped: every backend module ran its tests.
    assert " passed" in output and "no tests ran" not in output, output[-5000:]
