"""Private files under var/: the database, residents' photos, secret key and search index."""

import os
import sqlite3
import stat

import pytest
from django.core.files.base import ContentFile

from feedback.storage import PrivateStorage
from portal.search.backend.store import IndexStore
from tests.portal.test_settings import SETUP, run_python


@pytest.fixture(autouse=True)
def _usual_umask():
    """Files would be 644 and directories 755 under this umask if nothing restricted them."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def mode(path):
    return oct(stat.S_IMODE(os.stat(path).st_mode))


WRITE_AND_STAT = SETUP + (  # noqa: S608  (Python for the subprocess, not SQL)
    "import os, stat; from django.db import connection; c = connection.cursor(); "
    "c.execute('CREATE TABLE t (x)'); c.execute('INSERT INTO t VALUES (1)'); "
    "name = str(settings.DATABASES['default']['NAME']); "
    "print(*(oct(stat.S_IMODE(os.stat(name + s).st_mode)) for s in ('', '-wal', '-shm')))"
)


def test_embedded_database_and_its_wal_files_are_private(tmp_path):
    """The SQLite database and its -wal and -shm files are readable by their owner only."""
    result = run_python(WRITE_AND_STAT, "portal.settings.dev", PORTAL_VAR_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["0o600", "0o600", "0o600"]


def test_database_of_an_older_installation_is_made_private(tmp_path):
    """A database file left readable by everyone is made 600 when the portal connects."""
    sqlite3.connect(tmp_path / "db.sqlite3").close()
    os.chmod(tmp_path / "db.sqlite3", 0o644)
    result = run_python(WRITE_AND_STAT, "portal.settings.dev", PORTAL_VAR_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[0] == "0o600"


def test_kept_secret_key_is_private(tmp_path):
    """The secret key dev settings generate under var/ is readable by its owner only."""
    result = run_python(SETUP + "print('ok')", "portal.settings.dev", PORTAL_VAR_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert mode(tmp_path / "secret_key") == "0o600"


def test_residents_photos_are_private(tmp_path):
    """A saved photo is 600 and every directory down to it 700."""
    root = tmp_path / "private"
    storage = PrivateStorage(location=str(root))
    name = storage.save("feedback/2026/11/photo.jpg", ContentFile(b"\xff\xd8\xff"))
    assert mode(root / name) == "0o600"
    assert [mode(root / d) for d in ("", "feedback", "feedback/2026", "feedback/2026/11")] == [
        "0o700"
    ] * 4


def test_private_root_of_an_older_installation_is_closed(tmp_path):
    """A private root left open to everyone is made 700 at the next saved photo."""
    root = tmp_path / "private"
    root.mkdir(mode=0o755)
    PrivateStorage(location=str(root)).save("photo.jpg", ContentFile(b"\xff\xd8\xff"))
    assert mode(root) == "0o700"


def test_search_index_directory_is_private(tmp_path):
    """A new search index is created in a directory only its owner may enter."""
    store = IndexStore(tmp_path / "search_index")
    store.create()
    assert mode(tmp_path / "search_index") == "0o700"
    assert store.check() == 0
