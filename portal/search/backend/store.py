"""The Whoosh index on disk: its schema, writers that wait for the lock, and shared searchers.

One index holds every indexed model. Fixed fields: `ix_key` ("app.model:pk" of the model's
root, unique), `ix_pk`, `ix_model` (the content types of the object's model and its indexed
ancestors), `ix_null` (names of filter fields that are empty) and `ix_pinyin`. Everything else
is a dynamic field named `<field>__<kind>`: `t` searchable text (with positions, for phrases),
`a` autocomplete text, `i`/`f` integers and decimals, `d` dates, `b` booleans, `s` strings and
`m` many values of a related field. The schema therefore never changes when a model gains a field.

Several processes (gunicorn workers and the worker) may write at once: Whoosh's write lock
serialises them, a writer that finds the lock held retries until `lock_timeout`, and each writer
reads the index's latest generation after taking the lock, so no commit overwrites another.
"""

import contextlib
import logging
import shutil
import threading
import time
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.fields import BOOLEAN, DATETIME, ID, KEYWORD, NUMERIC, TEXT, Schema
from whoosh.index import LockError

from ..analysis import ChineseTokenizer

logger = logging.getLogger(__name__)

INDEX_NAME = "portal"
SCHEMA_MARKER = "ix_schema_v2"


class IndexUnavailable(Exception):
    """The index is missing or cannot be read; `update_index` rebuilds it."""


class IndexLocked(Exception):
    """Another writer held the index lock for longer than the timeout."""


class CoarseDatetime(DATETIME):
    """DATETIME with 4 tiered terms per value instead of 8 (fewer postings to write)."""

    def __init__(self, stored=False, unique=False, sortable=False):
        super().__init__(stored=stored, unique=unique, sortable=sortable)
        self.shift_step = 16


def build_schema():
    analyzer = ChineseTokenizer()
    schema = Schema(
        ix_key=ID(stored=True, unique=True),
        ix_pk=ID(stored=True),
        ix_model=KEYWORD(lowercase=False, scorable=False),
        ix_null=KEYWORD(lowercase=False, scorable=False),
        ix_pinyin=KEYWORD(lowercase=True, scorable=True),
    )
    schema.add(SCHEMA_MARKER, ID())
    schema.add("*__t", TEXT(analyzer=analyzer, phrase=True), glob=True)
    schema.add("*__a", TEXT(analyzer=analyzer, phrase=False), glob=True)
    # One term per number (no tiered terms): filters here are mostly equality, and every extra
    # posting of an unscored field costs the writer a file lookup.
    schema.add("*__i", NUMERIC(int, bits=64, signed=True, sortable=True, shift_step=0), glob=True)
    schema.add("*__f", NUMERIC(float, sortable=True, shift_step=0), glob=True)
    schema.add("*__d", CoarseDatetime(sortable=True), glob=True)
    schema.add("*__b", BOOLEAN(), glob=True)
    schema.add("*__s", ID(sortable=True), glob=True)
    schema.add("*__m", KEYWORD(lowercase=False, scorable=False, commas=True), glob=True)
    return schema


class IndexStore:
    """The index directory at `path`: open, create, write with retries, search."""

    def __init__(self, path, lock_timeout=20.0):
        self.path = Path(path)
        self.lock_timeout = lock_timeout

    # Opening -------------------------------------------------------------------------------

    def exists(self):
        return self.path.is_dir() and whoosh_index.exists_in(str(self.path), INDEX_NAME)

    def open(self, create=True):
        """The index; created empty when missing and `create` is set."""
        if not self.exists():
            if not create:
                raise IndexUnavailable(f"no search index in {self.path}")
            return self.create()
        try:
            ix = whoosh_index.open_dir(str(self.path), indexname=INDEX_NAME)
        except Exception as exc:
            raise IndexUnavailable(
                f"the search index in {self.path} cannot be read: {exc}"
            ) from exc
        if SCHEMA_MARKER not in ix.schema.names():
            raise IndexUnavailable(f"the search index in {self.path} has an older schema")
        return ix

    def create(self):
        self.path.mkdir(parents=True, exist_ok=True)
        return whoosh_index.create_in(str(self.path), build_schema(), indexname=INDEX_NAME)

    def recreate(self):
        """Throw the directory away and start an empty index (for a corrupt one)."""
        if self.path.exists():
            shutil.rmtree(self.path)
        drop_searchers(self.path)
        return self.create()

    def check(self):
        """Raise IndexUnavailable unless the index opens, validates and can be read."""
        ix = self.open(create=False)
        try:
            if ix.is_corrupted():
                raise IndexUnavailable(f"the search index in {self.path} is corrupt")
            with ix.searcher() as searcher:
                return searcher.doc_count()
        except IndexUnavailable:
            raise
        except Exception as exc:
            raise IndexUnavailable(
                f"the search index in {self.path} cannot be read: {exc}"
            ) from exc

    # Writing -------------------------------------------------------------------------------

    def writer(self, **kwargs):
        """A writer holding the index lock, retrying while another process holds it."""
        ix = self.open(create=True)
        deadline = time.monotonic() + self.lock_timeout
        delay = 0.05
        while True:
            try:
                return ix.writer(timeout=0.0, **kwargs)
            except LockError:
                if time.monotonic() >= deadline:
                    raise IndexLocked(
                        f"the search index in {self.path} stayed locked for {self.lock_timeout}s"
                    ) from None
                time.sleep(delay)
                delay = min(delay * 2, 0.5)

    def apply(self, changes):
        """Write {key: document or None} in one commit; None deletes the key."""
        writer = self.writer()
        try:
            for key, document in changes.items():
                if document is None:
                    writer.delete_by_term("ix_key", key)
                else:
                    writer.update_document(**document)
        except BaseException:
            writer.cancel()
            raise
        writer.commit()

    def optimize(self):
        """Merge every segment into one (after a rebuild: fewer segments, faster searches)."""
        self.writer().commit(optimize=True)

    # Searching -----------------------------------------------------------------------------

    def searcher(self):
        """This thread's searcher, reused between requests and refreshed after a commit."""
        return get_searcher(self)


_local = threading.local()


def _searchers():
    if not hasattr(_local, "searchers"):
        _local.searchers = {}
    return _local.searchers


def get_searcher(store):
    searchers = _searchers()
    key = str(store.path)
    searcher = searchers.get(key)
    try:
        if searcher is None:
            searcher = store.open(create=False).searcher()
        elif not searcher.up_to_date():
            fresh = store.open(create=False).searcher()
            searcher.close()
            searcher = fresh
    except IndexUnavailable:
        searchers.pop(key, None)
        raise
    except Exception as exc:
        searchers.pop(key, None)
        raise IndexUnavailable(f"the search index in {store.path} cannot be read: {exc}") from exc
    searchers[key] = searcher
    return searcher


def drop_searchers(path=None):
    """Close cached searchers (all, or those of one index directory)."""
    searchers = _searchers()
    for key in list(searchers):
        if path is None or key == str(path):
            with contextlib.suppress(Exception):  # a broken searcher is dropped either way
                searchers.pop(key).close()


def filter_docs(searcher, query):
    """The document numbers matching a filter query, cached on the searcher (do not modify).

    A reused searcher sees the same filters again and again (live pages, one content type);
    computing each set once per index generation keeps broad queries fast.
    """
    cache = getattr(searcher, "_portal_filter_cache", None)
    if cache is None:
        cache = {}
        searcher._portal_filter_cache = cache
    key = repr(query)
    docs = cache.get(key)
    if docs is None:
        if len(cache) > 64:
            cache.clear()
        docs = set(searcher.docs_for_query(query))
        cache[key] = docs
    return docs
