"""The version number of the area tree (portal.versions), so every process sees changes.

It changes whenever an area or grid is published, unpublished, moved or deleted, or a grid
level changes. In-process caches (the lookup index) and cached maps carry the version they
were built from and are rebuilt when it differs.
"""

from portal import versions

NAME = "grids"


def tree_version():
    """The current version of the area tree (an integer)."""
    return versions.current(NAME)


def bump_tree_version():
    """Mark the tree as changed, in the current transaction: other processes see the new number
    only once the change is committed, so none rebuilds from data that is not yet there."""
    versions.bump(NAME)
