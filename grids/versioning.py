"""The version numbers of the area tree and of the grid workers (portal.versions), so every
process sees changes.

The tree's changes whenever an area or grid is published, unpublished, moved or deleted, or a
grid level changes. In-process caches (the lookup index) and cached maps carry the version they
were built from and are rebuilt when it differs.

The workers' changes whenever a grid worker or one of their leave periods is saved or deleted.
Who is on duty for a grid depends on both (the grid names its workers; a worker's leave hands
the grid to the backup).
"""

from portal import versions

NAME = "grids"
WORKERS_NAME = "workers"


def tree_version():
    """The current version of the area tree (an integer)."""
    return versions.current(NAME)


def bump_tree_version():
    """Mark the tree as changed, in the current transaction: other processes see the new number
    only once the change is committed, so none rebuilds from data that is not yet there."""
    versions.bump(NAME)


def bump_workers_version():
    """Mark the workers as changed, in the current transaction (see `bump_tree_version`)."""
    versions.bump(WORKERS_NAME)
