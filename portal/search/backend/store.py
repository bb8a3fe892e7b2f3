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
from functools import partial
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3Codec, _lenfield
from whoosh.fields import BOOLEAN, DATETIME, ID, KEYWORD, NUMERIC, TEXT, Schema
from whoosh.formats import Positions
from whoosh.index import LockError
from whoosh.system import _INT_SIZE, unpack_uint
from whoosh.util.numeric import byte_to_length
from whoosh.writing.segment_writer import SegmentWriter

from portal.file_modes import make_private_dir

from ..analysis import ChineseTokenizer

logger = logging.getLogger(__name__)

INDEX_NAME = "portal"
SCHEMA_MARKER = "ix_schema_v3"
# Postings per block (Whoosh's default is 128). The ranker reads whole posting lists, and each
# block costs a seek, a decompression and an unpickling of its own.
POSTINGS_BLOCK = 1024


class IndexUnavailable(Exception):
    """The index is missing or cannot be read; `update_index` rebuilds it."""


class IndexLocked(Exception):
    """Another writer held the index lock for longer than the timeout."""


class VarintPositions(Positions):
    """Positions that are always read in whoosh-ng's varint encoding.

    whoosh-ng takes any value ending in b"." for its old pickled encoding, but a varint list
    whose last gap is 46 also ends in b".", and its positions then fail to load (phrase
    queries crash on one posting in about a hundred). This index never holds pickled values.
    """

    def decode_positions(self, valuestring):
        count = unpack_uint(valuestring[:_INT_SIZE])[0]
        positions = []
        offset = _INT_SIZE
        position = 0
        for _ in range(count):
            byte = valuestring[offset]
            offset += 1
            gap = byte & 0x7F
            shift = 7
            while byte & 0x80:
                byte = valuestring[offset]
                offset += 1
                gap |= (byte & 0x7F) << shift
                shift += 7
            position += gap
            positions.append(position)
        return positions


def phrase_text(analyzer):
    field = TEXT(analyzer=analyzer, phrase=True)
    field.format = VarintPositions(field_boost=field.format.field_boost)
    return field


class CoarseDatetime(DATETIME):
    """DATETIME with 4 tiered terms per value instead of 8 (fewer postings to write)."""

    def __init__(self, stored=False, unique=False, sortable=False):
        super().__init__(stored=stored, unique=unique, sortable=sortable)
        self.shift_step = 16


class PortalSchema(Schema):
    """A schema that remembers which dynamic field a name resolves to.

    Whoosh matches a name against every glob pattern on each lookup, and a writer looks up the
    field of every posting it writes or merges (millions in a rebuild).
    """

    def __getitem__(self, name):
        if not isinstance(name, str):
            return super().__getitem__(name)
        resolved = self.__dict__.setdefault("_resolved", {})
        field = resolved.get(name)
        if field is None:
            field = resolved[name] = super().__getitem__(name)
        return field

    def add(self, *args, **kwargs):
        self.__dict__.pop("_resolved", None)
        return super().add(*args, **kwargs)

    def remove(self, *args, **kwargs):
        self.__dict__.pop("_resolved", None)
        return super().remove(*args, **kwargs)

    def __getstate__(self):
        state = dict(self.__dict__)
        state.pop("_resolved", None)
        return state


def build_schema():
    analyzer = ChineseTokenizer()
    schema = PortalSchema(
        ix_key=ID(stored=True, unique=True),
        ix_pk=ID(stored=True),
        ix_model=KEYWORD(lowercase=False, scorable=False),
        ix_null=KEYWORD(lowercase=False, scorable=False),
        ix_pinyin=KEYWORD(lowercase=True, scorable=True),
    )
    schema.add(SCHEMA_MARKER, ID())
    schema.add("*__t", phrase_text(analyzer), glob=True)
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


def length_codes(perdoc, fieldname):
    """The raw field-length bytes of a segment's documents (one byte_to_length code each, 0 for
    no length), or None when the field keeps no lengths there. The one place Whoosh's length
    column is read directly (whoosh-ng 5.4's W3PerDocReader internals)."""
    column = perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
    if column is None:
        return None
    return column._dbfile.get(column._basepos, column._count) if column._count else b""


class _ArrayLengths:
    """The field lengths of a new segment, read once per field instead of once per posting.

    Whoosh's writer looks up every posting's field length in the segment's column file (and,
    for fields without lengths, asks the disk whether the file exists) while writing the
    postings: a fifth of a rebuild's time. Same answers as `W3PerDocReader.doc_field_length`.
    """

    def __init__(self, perdoc):
        self.perdoc = perdoc
        self.tables = {}

    def doc_field_length(self, docnum, fieldname, default=0):
        table = self.tables.get(fieldname)
        if table is None:
            raw = length_codes(self.perdoc, fieldname)
            table = False if raw is None else [byte_to_length(c) if c else None for c in raw]
            self.tables[fieldname] = table
        if table is False:
            return default
        if docnum < len(table):
            return table[docnum]
        return None  # past the column's end: Whoosh reads a zero byte, i.e. no length


def _flush_segment(writer):
    """`SegmentWriter._flush_segment` with field lengths from `_ArrayLengths`."""
    writer.perdocwriter.close()
    perdoc = writer.per_document_reader() if writer.codec.length_stats else None
    lengths = _ArrayLengths(perdoc) if perdoc is not None else None
    writer.fieldwriter.add_postings(writer.schema, lengths, writer.pool.iter_postings())
    writer.fieldwriter.close()
    if perdoc is not None:
        perdoc.close()


def _reading(read, attempts=5):
    """`read()`, again when a file it needed was gone: Whoosh opens the newest table of contents
    it lists, which another process's commit may delete in between."""
    for attempt in range(attempts):
        try:
            return read()
        except FileNotFoundError:
            if attempt == attempts - 1:
                raise
            time.sleep(0.01 * (attempt + 1))
    return None


class IndexStore:
    """The index directory at `path`: open, create, write with retries, search."""

    def __init__(self, path, lock_timeout=20.0):
        self.path = Path(path)
        self.lock_timeout = lock_timeout

    # Opening -------------------------------------------------------------------------------

    def exists(self):
        return self.path.is_dir() and _reading(
            lambda: whoosh_index.exists_in(str(self.path), INDEX_NAME)
        )

    def open(self, create=True):
        """The index; created empty when missing and `create` is set."""
        if not self.exists():
            if not create:
                raise IndexUnavailable(f"no search index in {self.path}")
            return self.create()
        try:
            ix = _reading(lambda: whoosh_index.open_dir(str(self.path), indexname=INDEX_NAME))
        except Exception as exc:
            raise IndexUnavailable(
                f"the search index in {self.path} cannot be read: {exc}"
            ) from exc
        if SCHEMA_MARKER not in ix.schema.names():
            raise IndexUnavailable(f"the search index in {self.path} has an older schema")
        return ix

    def create(self):
        # The index holds drafts, restricted pages and staff-only records: the portal's user only.
        make_private_dir(self.path)
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
        kwargs.setdefault("codec", W3Codec(blocklimit=POSTINGS_BLOCK))
        while True:
            try:
                writer = ix.writer(timeout=0.0, **kwargs)
                if isinstance(writer, SegmentWriter):
                    writer._flush_segment = partial(_flush_segment, writer)
                return writer
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
