"""Search on PostgreSQL's full-text search, for several app servers sharing one database.

Select it with `PORTAL_SEARCH_BACKEND=postgres` (docs/scaling.md), or::

    WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "portal.search.postgres"}}

It extends modelsearch's PostgreSQL backend (`modelsearch.backends.database.postgres`): the
same index table (`IndexEntry`, one row per object with `title`, `body` and `autocomplete`
tsvectors and their GIN indexes), the same ranking and rebuild, with the Whoosh backend's
analysis instead of PostgreSQL's dictionaries:

- documents and queries are cut by `portal.search.analysis` (rjieba words, two-character pieces,
  pinyin of titles), and written as tsvector / tsquery literals (`documents.py`, `query.py`);
  网格 finds 网格化管理, `hesuan` and `hs` find 核酸检测, phrases keep word positions;
- an index write is part of the save's own transaction: a rolled-back save never reaches the
  index, and every server sees a save as soon as it commits;
- filters (`live`, `public`, `descendant_of`, a type, `search_visible`) are the queryset's own
  SQL, joined to the index table;
- a count also ranks the first `PREFETCH` hits (one query, `count(*) over ()`), so the first
  pages need no second search; only the requested slice is loaded;
- a query with more than `CANDIDATES` matches ranks the newest `CANDIDATES` of them, and its
  count is "at least" (`count_is_estimate`): ranking reads each match's document vector, kept
  compressed out of line, and every one of 50,000 would take over a second;
- `fields=["title"]` searches the title vector; other `fields=` search the whole document
  (the table keeps one vector for all other fields);
- highlighting is `portal.search.highlight`, as for every backend (`highlight_words()`).
"""

from collections import OrderedDict

from django.db import transaction
from django.db.models import Avg, Count, Value, Window
from django.db.models.functions import Length
from modelsearch.backends.base import FilterFieldError
from modelsearch.backends.database.postgres.postgres import (
    PostgresIndex,
    PostgresSearchBackend,
    PostgresSearchResults,
)
from modelsearch.conf import get_app_config
from modelsearch.index import get_indexed_models
from modelsearch.utils import get_content_type_pk, get_descendants_content_types_pks

from .documents import build_vectors
from .query import (
    EVERYTHING,
    NOTHING,
    PortalPostgresAutocompleteQueryCompiler,
    PortalPostgresSearchQueryCompiler,
)

__all__ = ["PortalPostgresSearchBackend", "SearchBackend"]

# A count also fetches this many ranked hits, so that the first pages need no second search.
PREFETCH = 50
# A query with more matches ranks only the newest this many (option `CANDIDATES`; None: all),
# and its count is "at least" that many.
CANDIDATES = 200
# A query the planner expects in at least this share of the entries finds its newest matches
# by key instead of through the GIN index (option `BROAD_SHARE`).
BROAD_SHARE = 0.2
# Titles whose average length sets a new entry's title factor.
AVERAGE_OVER = 500
UPDATED_COLUMNS = ["title", "body", "autocomplete", "title_norm", "title_text", "body_text"]


def index_entry_model():
    return get_app_config().get_model("IndexEntry")


class PortalPostgresIndex(PostgresIndex):
    """modelsearch's index table, written with the portal's analysis."""

    def average_title_length(self):
        """Lexemes per title over the latest entries: the whole table would cost a scan per save,
        and the factor (modelsearch's `title_norm`, average / this title's length) only favours
        short titles a little."""
        latest = self.entries.order_by("-pk").values("pk")[:AVERAGE_OVER]
        return (
            self.entries.filter(pk__in=latest)
            .annotate(title_length=Length("title"))
            .filter(title_length__gt=0)
            .aggregate(Avg("title_length"))["title_length__avg"]
        )

    def add_items(self, model, objs):
        if not model.get_search_fields():
            return
        entry_model = index_entry_model()
        content_type_pk = get_content_type_pk(model)
        built = {str(obj.pk): build_vectors(obj) for obj in objs}
        if not built:
            return
        average = self.average_title_length()
        if average is None:  # the first entries: their own average
            lengths = [v["title_length"] for v in built.values() if v["title_length"]]
            average = sum(lengths) / len(lengths) if lengths else 1.0
        rows = [
            entry_model(
                content_type_id=content_type_pk,
                object_id=pk,
                title=vectors["title"],
                body=vectors["body"],
                autocomplete=vectors["autocomplete"],
                title_norm=average / vectors["title_length"] if vectors["title_length"] else 1.0,
                title_text="",
                body_text="",
            )
            for pk, vectors in built.items()
        ]
        entry_model._default_manager.using(self.write_connection.alias).bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["content_type", "object_id"],
            update_fields=UPDATED_COLUMNS,
        )

    def lock_entries(self, model, pks):
        """Lock the entries of these objects until the transaction ends (see `rebuild`)."""
        keys = [str(pk) for pk in pks]
        entries = self.entries.filter(
            content_type_id__in=get_descendants_content_types_pks(model), object_id__in=keys
        )
        list(entries.select_for_update().values_list("pk", flat=True))


class PortalPostgresSearchResults(PostgresSearchResults):
    """Ranked pks and the total in one query; only the requested slice is loaded."""

    supports_facet = True
    count_is_estimate = False

    def _ranked(self, limit):
        """([(pk, score)], total, exact) of the first `limit` hits (all with None), cached per
        compiler."""
        compiler = self.query_compiler
        cache = compiler.__dict__.setdefault("ranked_hits", {})
        for cached_limit, cached in cache.items():
            if cached_limit is None or (limit is not None and cached_limit >= limit):
                return cached
        entries = compiler.matching_entries()
        if compiler.order_by_relevance and entries not in (EVERYTHING, NOTHING):
            ranked = self._rank_entries(entries, limit)
        else:
            ranked = self._order_objects(limit)
        cache[limit] = ranked
        return ranked

    def _rank_entries(self, entries, limit):
        """Relevance: ranked from the index table alone; a broad query ranks the newest
        `candidates` matches (the count is then "at least")."""
        compiler = self.query_compiler
        candidates = self.backend.candidates
        if candidates and compiler.estimated_share() >= self.backend.broad_share:
            # A word in most documents: the newest matches, looked up one by one.
            pks = compiler.newest_matching_pks(candidates)
            entries = entries.model._default_manager.filter(
                content_type_id__in=get_descendants_content_types_pks(compiler.queryset.model),
                object_id__in=[str(pk) for pk in pks],
            ).annotate(object_pk=compiler.object_pk())
        elif candidates:
            newest = entries.order_by("-object_pk").values("pk")[:candidates]
            entries = entries.model._default_manager.filter(pk__in=newest).annotate(
                object_pk=compiler.object_pk()
            )
        rows = (
            entries.annotate(
                portal_search_score=compiler.rank_expression(),
                portal_search_total=Window(Count("*")),
            )
            .order_by("-portal_search_score", "-object_pk")
            .values_list("object_pk", "portal_search_score", "portal_search_total")
        )
        rows = list(rows if limit is None else rows[:limit])
        total = rows[0][2] if rows else 0
        exact = not candidates or total < candidates
        return [(pk, score) for pk, score, _total in rows], total, exact

    def _order_objects(self, limit):
        """Everything, nothing, or the matches in the queryset's own order."""
        compiler = self.query_compiler
        queryset, rank = compiler.matching()
        queryset = queryset.annotate(
            portal_search_score=rank if rank is not None else Value(0.0),
            portal_search_total=Window(Count("*")),
        )
        if compiler.order_by_relevance and rank is not None:
            queryset = queryset.order_by("-portal_search_score", "-pk")
        elif not queryset.query.order_by:
            queryset = queryset.order_by("-pk")
        rows = queryset.values_list("pk", "portal_search_score", "portal_search_total")
        rows = list(rows if limit is None else rows[:limit])
        total = rows[0][2] if rows else 0
        return [(pk, score) for pk, score, _total in rows], total, True

    def _do_search(self):
        if self.stop is not None and self.stop <= self.start:
            return []
        limit = None if self.stop is None else max(self.stop, PREFETCH)
        hits, _total, _exact = self._ranked(limit)
        page = hits[self.start : self.stop]
        if not page:
            return []
        queryset = self.query_compiler.queryset
        if self.prefetch_related:
            queryset = queryset.prefetch_related(*self.prefetch_related)
        found = {obj.pk: obj for obj in queryset.filter(pk__in=[pk for pk, _ in page])}
        ordered = []
        for pk, score in page:
            obj = found.get(pk)
            if obj is None:
                continue  # deleted since the ranking query
            if self._score_field:
                setattr(obj, self._score_field, score)
            ordered.append(obj)
        return ordered

    def _do_count(self):
        _hits, total, exact = self._ranked(PREFETCH)
        self.count_is_estimate = not exact
        stop = total if self.stop is None else min(total, self.stop)
        return max(0, stop - self.start)

    def facet(self, field_name):
        """{value: hits} of a filter field over every matching object, largest first."""
        compiler = self.query_compiler
        model = compiler.queryset.model
        names = {field.field_name for field in model.get_filterable_search_fields()}
        if field_name not in names:
            raise FilterFieldError(
                f'Cannot facet search results with field "{field_name}". Please add '
                f'index.FilterField("{field_name}") to '
                f"{model.__name__}.search_fields.",
                field_name=field_name,
            )
        matches = compiler.matching_objects().order_by()
        counts = matches.values(field_name).annotate(hits=Count("pk"))
        groups = [(row[field_name], row["hits"]) for row in counts]
        return OrderedDict(sorted(groups, key=lambda item: (-item[1], str(item[0]))))

    def highlight_words(self):
        """The words a snippet of these results should mark."""
        return highlight_words(self.query_compiler.query)


def highlight_words(query):
    from modelsearch.query import And, Boost, Fuzzy, Or, Phrase, PlainText

    from ..analysis import query_units

    words = set()

    def walk(part):
        if isinstance(part, (PlainText, Fuzzy, Phrase)):
            for _kind, unit in query_units(part.query_string):
                words.update(unit)
                if len(unit) > 1:
                    words.add("".join(unit))
        elif isinstance(part, Boost):
            walk(part.subquery)
        elif isinstance(part, (And, Or)):
            for sub in part.subqueries:
                walk(sub)

    walk(query)
    return words


class PortalPostgresSearchBackend(PostgresSearchBackend):
    query_compiler_class = PortalPostgresSearchQueryCompiler
    autocomplete_query_compiler_class = PortalPostgresAutocompleteQueryCompiler
    index_class = PortalPostgresIndex
    results_class = PortalPostgresSearchResults

    def __init__(self, params):
        super().__init__(params)
        self.candidates = params.get("CANDIDATES", CANDIDATES)
        self.broad_share = params.get("BROAD_SHARE", BROAD_SHARE)

    def rebuild(self, chunk_size=500, progress=None):
        """Index every indexed object again, chunk by chunk, then drop entries of deleted ones.

        Each chunk is its own transaction: it first locks the chunk's index entries (waiting for
        saves that wrote them to commit), then reads the objects and writes their entries. A
        save that commits later writes its entry after this chunk, so a rebuild never leaves an
        older copy behind, and saves elsewhere are held up for one chunk at most. Returns the
        number of objects. `progress(done, total, model)` is called after each chunk.
        """
        index = self.get_index_for_model(None)
        plan = []
        for model in get_indexed_models():
            pks = list(model.get_indexed_objects().order_by("pk").values_list("pk", flat=True))
            if pks:
                plan.append((model, pks))
        total = sum(len(pks) for _model, pks in plan)
        done = 0
        if progress:
            progress(0, total, None)
        for model, pks in plan:
            for start in range(0, len(pks), chunk_size):
                chunk = pks[start : start + chunk_size]
                with transaction.atomic(using=index.write_connection.alias):
                    index.lock_entries(model, chunk)
                    objects = model.get_indexed_objects().filter(pk__in=chunk)
                    instances = [obj.get_indexed_instance() for obj in objects]
                    by_model = {}
                    for instance in instances:
                        if instance is not None:
                            by_model.setdefault(type(instance), []).append(instance)
                    for specific_model, items in by_model.items():
                        index.add_items(specific_model, items)
                done += len(chunk)
                if progress:
                    progress(done, total, model)
        index.delete_stale_entries()
        # Fresh statistics: the planner's estimate of a word's share decides how it is searched.
        table = index.write_connection.ops.quote_name(index_entry_model()._meta.db_table)
        with index.write_connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {table}")
        return total

    def check_health(self):
        """Raise when the index table cannot be read."""
        self.get_index_for_model(None).entries.values_list("pk", flat=True).first()


SearchBackend = PortalPostgresSearchBackend
