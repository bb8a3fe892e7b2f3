"""Search results: the index ranks and counts; only the requested slice is loaded from the DB."""

from collections import OrderedDict

from modelsearch.backends.base import BaseSearchResults, FilterFieldError
from whoosh import query as wq
from whoosh import sorting

from .documents import filter_column, filter_kind
from .ranking import Unsupported, ranker_for
from .store import filter_docs

# A count also fetches this many hits, so that the first pages need no second search.
PREFETCH = 50


class Ranked:
    """Ranked hits of one search: [(docnum, score)], the total, and whether it is exact."""

    def __init__(self, searcher, hits, total, exact):
        self.searcher = searcher
        self.hits = hits
        self.total = total
        self.exact = exact

    def pks(self, start, stop):
        return [
            (self.searcher.stored_fields(docnum)["ix_pk"], score)
            for docnum, score in self.hits[start:stop]
        ]


class WhooshSearchResults(BaseSearchResults):
    supports_facet = True
    count_is_estimate = False

    def _run(self, limit):
        """Hits for the compiled query, at least `limit` of them ranked (cached per compiler).

        Relevance ranking goes through `ranking.Ranker` (whole posting lists as arrays, the
        filter as a mask, an exact count). Results sorted by a field, searchers the ranker does
        not mirror, and every search while `PORTAL_SEARCH_ACCELERATOR` is off use Whoosh's
        collector with the filter applied to every hit: it counts exactly only up to `limit`.
        """
        compiler = self.query_compiler
        cache = compiler.cached_results
        for cached_limit, cached in cache.items():
            if cached_limit is None or (limit is not None and cached_limit >= limit):
                return cached
        searcher = self.backend.get_store().searcher()
        filter_query = compiler.get_filter()
        query = compiler.get_query()
        sortedby = compiler.get_sortedby()
        ranked = None
        if compiler.orders_by_pk():
            ranked = self._by_pk(searcher, query, filter_query)
        elif sortedby is None:
            try:
                hits, total = ranker_for(searcher).rank(query, filter_query, limit)
            except Unsupported:
                pass
            else:
                ranked = Ranked(searcher, hits, total, True)
        if ranked is None:
            docs = filter_docs(searcher, filter_query)
            if not docs:
                ranked = Ranked(searcher, [], 0, True)
            else:
                results = searcher.search(
                    query, limit=limit, filter=docs, sortedby=sortedby, terms=False
                )
                hits = [(hit.docnum, hit.score) for hit in results]
                if results.has_exact_length() or results.scored_length() < (limit or 0):
                    ranked = Ranked(searcher, hits, len(results), True)
                else:
                    ranked = Ranked(searcher, hits, len(hits), False)
        cache[limit] = ranked
        return ranked

    def _by_pk(self, searcher, query, filter_query):
        """Every hit, highest primary key first (relevance off and no ordering given)."""
        try:
            hits, _total = ranker_for(searcher).rank(query, filter_query, None)
        except Unsupported:
            docs = filter_docs(searcher, filter_query)
            results = searcher.search(query, limit=None, filter=docs, terms=False) if docs else []
            hits = [(hit.docnum, hit.score) for hit in results]
        to_python = self.query_compiler.queryset.model._meta.pk.to_python
        keyed = [
            (to_python(searcher.stored_fields(docnum)["ix_pk"]), docnum, score)
            for docnum, score in hits
        ]
        keyed.sort(key=lambda item: item[0], reverse=True)
        return Ranked(searcher, [(docnum, score) for _pk, docnum, score in keyed], len(keyed), True)

    def _do_search(self):
        if self.stop is not None and self.stop <= self.start:
            return []
        limit = None if self.stop is None else max(self.stop, PREFETCH)
        page = self._run(limit).pks(self.start, self.stop)
        pks = [pk for pk, _score in page]
        scores = dict(page)
        if not pks:
            return []
        found = {str(obj.pk): obj for obj in self.query_compiler.queryset.filter(pk__in=pks)}
        ordered = []
        for pk in pks:
            obj = found.get(pk)
            if obj is None:
                continue  # deleted or no longer matching the queryset since it was indexed
            if self._score_field:
                setattr(obj, self._score_field, scores[pk])
            ordered.append(obj)
        return ordered

    def _do_count(self):
        """The number of hits within this slice of the results.

        Relevance ranking (`ranking.Ranker`) counts every hit, so its count is exact. Results
        sorted by a field go through Whoosh's collector, which stops counting after the hits it
        was asked for: a broad query sorted by a field then reports at least the hits ranked so
        far (`count_is_estimate` is set), and slicing further ranks more.
        """
        ranked = self._run(PREFETCH if self.stop is None else max(self.stop, PREFETCH))
        self.count_is_estimate = not ranked.exact
        total = ranked.total if self.stop is None else min(ranked.total, self.stop)
        return max(0, total - self.start)

    def facet(self, field_name):
        """{value: count} of a filter field over all matching documents, largest first."""
        compiler = self.query_compiler
        field = compiler._get_filterable_field(field_name) or next(
            (
                field
                for field in compiler.queryset.model.get_filterable_search_fields()
                if field.field_name == field_name
            ),
            None,
        )
        if field is None:
            raise FilterFieldError(
                f'Cannot facet search results with field "{field_name}". Please add '
                f'index.FilterField("{field_name}") to '
                f"{compiler.queryset.model.__name__}.search_fields.",
                field_name=field_name,
            )
        model = compiler.queryset.model
        column = filter_column(field, model)
        searcher = self.backend.get_store().searcher()
        query, filter_query = compiler.get_query(), compiler.get_filter()
        try:
            groups = ranker_for(searcher).facet(query, filter_query, column)
        except Unsupported:
            groups = self._whoosh_facet(searcher, column)
        if filter_kind(field, model) == "m":
            # The index lists the related objects' keys as text.
            to_python = field.get_field(model).related_model._meta.pk.to_python
            groups = {to_python(value): count for value, count in groups.items()}
        # Hits without a value count under None, as with modelsearch's other backends.
        empty = self._count(searcher, query, wq.And([filter_query, wq.Term("ix_null", column)]))
        if empty:
            groups[None] = empty
        return OrderedDict(sorted(groups.items(), key=lambda item: (-item[1], str(item[0]))))

    def _count(self, searcher, query, filter_query):
        try:
            return ranker_for(searcher).rank(query, filter_query, 1)[1]
        except Unsupported:
            docs = filter_docs(searcher, filter_query)
            return len(searcher.search(query, limit=None, filter=docs, terms=False)) if docs else 0

    def _whoosh_facet(self, searcher, column):
        compiler = self.query_compiler
        docs = filter_docs(searcher, compiler.get_filter())
        results = searcher.search(
            compiler.get_query() if docs else wq.NullQuery,
            limit=1,
            filter=docs,
            groupedby=sorting.FieldFacet(column),
            maptype=sorting.Count,
            terms=False,
        )
        return results.groups(column)

    def highlight_words(self):
        """The words a snippet of these results should mark."""
        return self.query_compiler.highlight_words()
