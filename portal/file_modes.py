"""Files only the portal's own system user may read, whatever the process umask.

The embedded SQLite database, residents' photos (PORTAL_PRIVATE_ROOT), the kept secret key and
the search index are created 600 (directories 700); private files that nginx sends after the
portal's check (PORTAL_PRIVATE_ACCEL_PREFIX) are 640 and 750, for nginx's group. Media files stay
as the umask makes them: they are public by design.
"""

import logging
import os
from pathlib import Path

PRIVATE_FILE_MODE = 0o600
PRIVATE_DIR_MODE = 0o700
# Private files nginx serves after the portal's check (X-Accel-Redirect): its group reads them.
SHARED_FILE_MODE = 0o640
SHARED_DIR_MODE = 0o750

logger = logging.getLogger("portal.files")


def make_private_dir(path, mode=PRIVATE_DIR_MODE):
    """Create `path` (and missing parents) and make it `mode` (700), also when it already
    existed."""
    path = Path(path)
    path.mkdir(mode=mode, parents=True, exist_ok=True)
    if path.stat().st_mode & 0o777 != mode:
        path.chmod(mode)
    return path


def write_private_file(path, text):
    """Write `text` to a new file at `path`, created 600 (it is never readable by others)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE)
    with os.fdopen(fd, "w") as file:
        file.write(text)


def restrict(path, mode=PRIVATE_FILE_MODE):
    """Take group and other permissions off an existing file; False if it cannot be done."""
    try:
        if Path(path).stat().st_mode & 0o077:
            os.chmod(path, mode)
    except FileNotFoundError:
        pass
    except OSError as exc:
        logger.warning("Cannot restrict the permissions of %s: %s", path, exc)
        return False
    return True


def restrict_sqlite_files(sender, connection, **kwargs):
    """On each new SQLite connection, make the database and its WAL files 600.

    SQLite gives the -wal and -shm files it creates later the database file's mode, so once
    the database is 600 they are too; the files of an older installation are mended here.
    """
    if connection.vendor != "sqlite" or connection.is_in_memory_db():
        return
    name = str(connection.settings_dict["NAME"])
    for path in (name, f"{name}-wal", f"{name}-shm"):
        restrict(path)
