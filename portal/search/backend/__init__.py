"""The Whoosh + jieba search backend for Wagtail's search layer (modelsearch).

Select it with::

    WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "portal.search.backend"}}

Options: `PATH` (default: the `PORTAL_SEARCH_INDEX_DIR` setting, read when used, so tests can
point it at a temporary directory) and `LOCK_TIMEOUT` (seconds a writer waits for another
process's lock, default `PORTAL_SEARCH_LOCK_TIMEOUT` or 20).

What it does:

- Saves and deletes reach the index only after the database transaction commits
  (`transaction.on_commit`): a rolled-back save is never indexed. Each commit then re-reads the
  changed objects from the database while it holds the index lock, so the index always ends with
  the latest committed state, whatever order concurrent processes commit in.
- `.search()` with `operator="and"|"or"`, `Phrase`, `Boost`, `And`/`Or`/`Not`, `fields=`,
  relevance or field ordering, slicing; `.autocomplete()` on AutocompleteFields, where the last
  word may be unfinished; filters on FilterFields (`live`, `content_type`, `path` for
  `descendant_of`, dates, …) are evaluated in the index, and only the requested slice of hits is
  loaded from the database. `results.facet("content_type")` counts hits per value.
- Titles (or the fields a model lists in `search_pinyin_fields`) are indexed as pinyin too:
  `hesuan` and `hs` find 核酸.
- `highlight_words()` on results gives the query words for `portal.search.highlight`.
- modelsearch's own conformance suite (`BackendTests`) passes against it, with no expected
  failure (tests/portal/search_conformance/). `FilterField`s on many-to-many fields or tags index
  their objects' keys; nested `RelatedFields` are indexed at any depth; `order_by_relevance=False`
  without an ordering gives the highest primary key first; `refresh_indexes()` writes this
  thread's saves still waiting for their commit. Known limits: a related field's values are one
  list per field, so two conditions on one relation (`books__a=…, books__b=…`) are not tied to
  the same related object in the index — the database query that loads each page of hits does
  tie them, so the hits shown are right but the count may be too high — and ranges on related
  fields compare their values as text.
- A missing or unreadable index raises `IndexUnavailable` on search (the search page catches it);
  the health check reports it; `manage.py update_index` rebuilds it.

Hooks for page models (used by the site search page, `home.views.search`):

- `search_visible(cls, queryset)` (classmethod): given the live pages of this model, return the
  ones residents may find. Pages outside it — e.g. publicity whose period has ended but which
  the worker has not unpublished yet — are excluded in the index query. See
  `portal.search.visibility`.
- `search_result_date` (attribute or property): the date shown with a result (defaults to the
  page's last publication).
- Never list private fields (residents' contacts, workers' e-mail or accounts) in `search_fields`:
  whatever is indexed can be found.
"""

import logging
import threading
from functools import partial

from django.apps import apps
from django.conf import settings
from django.db import connections, router, transaction
from modelsearch.backends.base import BaseIndex, BaseSearchBackend
from modelsearch.index import get_indexed_models

from .documents import build_document, doc_key
from .query import WhooshAutocompleteQueryCompiler, WhooshSearchQueryCompiler
from .results import WhooshSearchResults
from .store import IndexLocked, IndexStore, IndexUnavailable

logger = logging.getLogger(__name__)

__all__ = ["IndexLocked", "IndexUnavailable", "SearchBackend", "WhooshSearchBackend"]

# Objects saved or deleted in this thread's open transactions, waiting for the commit.
_pending = threading.local()


def _pending_for(path):
    if not hasattr(_pending, "keys"):
        _pending.keys = {}
    return _pending.keys.setdefault(str(path), set())


def read_documents(labels_and_pks):
    """{index key: document or None} for (model label, pk) pairs, read from the database now."""
    changes = {}
    by_model = {}
    for label, pk in labels_and_pks:
        by_model.setdefault(label, set()).add(pk)
    for label, pks in by_model.items():
        model = apps.get_model(label)
        found = {}
        for obj in model.get_indexed_objects().filter(pk__in=list(pks)):
            instance = obj.get_indexed_instance()
            if instance is not None:
                found[str(obj.pk)] = instance
        for pk in pks:
            instance = found.get(str(pk))
            key = doc_key(model, pk)
            if instance is None:
                changes.setdefault(key, None)
            else:
                changes[key] = build_document(instance)
    return changes


def sync(store, labels_and_pks, merge=True):
    """Bring the index in line with the database for these objects, under the index lock.

    `merge=False` leaves the new segment unmerged (a rebuild merges everything once at the end).
    """
    writer = store.writer()
    try:
        for key, document in read_documents(labels_and_pks).items():
            if document is None:
                writer.delete_by_term("ix_key", key)
            else:
                writer.update_document(**document)
    except BaseException:
        writer.cancel()
        raise
    writer.commit(merge=merge)


def _flush(store):
    keys = _pending_for(store.path)
    if not keys:
        return  # an earlier callback of the same commit already wrote them
    batch = list(keys)
    keys.clear()
    try:
        sync(store, batch)
    except Exception:
        # The database has committed: never turn that into an error page. The health check and
        # `update_index` deal with an index that cannot be written.
        logger.exception("could not update the search index for %d object(s)", len(batch))


def flush_pending(store):
    """Sync this thread's pending objects for `store` now (see `WhooshIndex.refresh`)."""
    keys = _pending_for(store.path)
    if not keys:
        return
    batch = list(keys)
    sync(store, batch)
    if not any(conn.in_atomic_block for conn in connections.all(initialized_only=True)):
        keys.difference_update(batch)


class WhooshIndex(BaseIndex):
    """The single index every model shares; writes made here are immediate (used by rebuilds)."""

    def get_key(self):
        return str(self.backend.get_store().path)

    def add_model(self, model):
        pass

    def refresh(self):
        """Write this thread's saves still waiting for their commit now, so searches see them.

        Inside a transaction they stay pending too: the commit writes them again as committed.
        A rollback leaves the uncommitted state in the index until this thread's next commit
        (or `update_index`); the portal itself never refreshes, only tests and scripts do."""
        flush_pending(self.backend.get_store())

    def reset(self):
        self.backend.get_store().recreate()

    def add_items(self, model, items):
        # Re-read under the lock: an object saved meanwhile is written as it now is.
        sync(self.backend.get_store(), [(model._meta.label_lower, obj.pk) for obj in items])

    def delete_item(self, item):
        self.backend.get_store().apply({doc_key(type(item), item.pk): None})

    def __repr__(self):
        return f"<WhooshIndex {self.get_key()}>"


class WhooshRebuilder:
    """For Wagtail's own rebuild command: add everything, then drop what no longer exists."""

    def __init__(self, index):
        self.index = index

    def start(self):
        store = self.index.backend.get_store()
        try:
            store.check()
        except IndexUnavailable:
            store.recreate()
        return self.index

    def finish(self):
        purge_stale(self.index.backend.get_store())


def purge_stale(store, seen=None):
    """Delete index documents whose object is gone from the database (or no longer indexed)."""
    searcher = store.open(create=True).searcher()
    try:
        keys = [stored["ix_key"] for stored in searcher.all_stored_fields()]
    finally:
        searcher.close()
    candidates = [key for key in keys if seen is None or key not in seen]
    if not candidates:
        return 0
    existing = set()
    roots = {}
    for model in get_indexed_models():
        roots.setdefault(doc_key(model, "").rstrip(":"), []).append(model)
    by_root = {}
    for key in candidates:
        root, _, pk = key.rpartition(":")
        by_root.setdefault(root, []).append(pk)
    for root, pks in by_root.items():
        for model in roots.get(root, []):
            for pk in model.get_indexed_objects().filter(pk__in=pks).values_list("pk", flat=True):
                existing.add(f"{root}:{pk}")
    stale = {key: None for key in candidates if key not in existing}
    if stale:
        store.apply(stale)
    return len(stale)


def rebuild(store, chunk_size=500, progress=None):
    """Index every indexed object again, chunk by chunk, then purge stale documents.

    Each chunk is read from the database while its writer holds the index lock, so a page saved
    during the rebuild is never overwritten by an older copy. Returns the number of objects.
    `progress(done, total, model)` is called after each chunk.
    """
    if not store.exists():
        store.create()
    else:
        try:
            store.check()
        except IndexUnavailable as exc:
            logger.warning("%s; starting an empty index", exc)
            store.recreate()
    plan = []
    for model in get_indexed_models():
        pks = list(model.get_indexed_objects().order_by("pk").values_list("pk", flat=True))
        if pks:
            plan.append((model, pks))
    total = sum(len(pks) for _model, pks in plan)
    done = 0
    seen = set()
    if progress:
        progress(0, total, None)
    for model, pks in plan:
        label = model._meta.label_lower
        for start in range(0, len(pks), chunk_size):
            chunk = pks[start : start + chunk_size]
            # No merging between chunks: Whoosh would merge the growing segments again and
            # again; `optimize()` below merges them once.
            sync(store, [(label, pk) for pk in chunk], merge=False)
            seen.update(doc_key(model, pk) for pk in chunk)
            done += len(chunk)
            if progress:
                progress(done, total, model)
    purge_stale(store, seen)
    store.optimize()
    return total


class WhooshSearchBackend(BaseSearchBackend):
    query_compiler_class = WhooshSearchQueryCompiler
    autocomplete_query_compiler_class = WhooshAutocompleteQueryCompiler
    results_class = WhooshSearchResults
    index_class = WhooshIndex
    rebuilder_class = WhooshRebuilder
    catch_indexing_errors = False

    def __init__(self, params):
        super().__init__(params)
        params = dict(params)
        self.path = params.pop("PATH", None)
        self.lock_timeout = params.pop("LOCK_TIMEOUT", None)

    def get_store(self):
        path = self.path or settings.PORTAL_SEARCH_INDEX_DIR
        timeout = self.lock_timeout
        if timeout is None:
            timeout = getattr(settings, "PORTAL_SEARCH_LOCK_TIMEOUT", 20.0)
        return IndexStore(path, lock_timeout=timeout)

    def get_index_for_model(self, model):
        return self.index_class(self)

    def _schedule(self, objects):
        store = self.get_store()
        keys = _pending_for(store.path)
        using = set()
        for obj in objects:
            keys.add((obj._meta.label_lower, obj.pk))
            using.add(obj._state.db or router.db_for_write(type(obj)))
        for alias in using:
            transaction.on_commit(partial(_flush, store), using=alias)

    def add(self, obj):
        self._schedule([obj])

    def add_bulk(self, model, obj_list):
        self._schedule(obj_list)

    def delete(self, obj):
        self._schedule([obj])

    def rebuild(self, chunk_size=500, progress=None):
        return rebuild(self.get_store(), chunk_size=chunk_size, progress=progress)

    def check_health(self):
        """The number of indexed documents; raises IndexUnavailable when missing or unreadable."""
        return self.get_store().check()


SearchBackend = WhooshSearchBackend
