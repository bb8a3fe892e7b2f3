"""A version number of the area tree, kept in the shared cache so every process sees changes.

It changes whenever an area or grid is published, unpublished, moved or deleted, or a grid
level changes. In-process caches (the lookup index) and cached maps carry the version they
were built from and are rebuilt when it differs. The first value is taken from the clock, so
a flushed cache never brings back a number an old index was built from.
"""

import time

from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "grids:tree-version"


def tree_version():
    """The current version of the area tree (an integer)."""
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, time.time_ns() // 1000, None)
        version = cache.get(VERSION_KEY)
    return version


def _bump():
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, time.time_ns() // 1000, None)


def bump_tree_version():
    """Mark the tree as changed: now for this process, and again after the transaction commits
    (so another process cannot rebuild from data that is not yet committed)."""
    _bump()
    transaction.on_commit(_bump)
