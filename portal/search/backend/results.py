"""Search results: the index ranks and counts; only the requested slice is loaded from the DB."""

from collections import OrderedDict

from modelsearch.backends.base import BaseSearchResults, FilterFieldError
from whoosh import query as wq
from whoosh import sorting

from .documents import filter_column
from .store import filter_docs

# A count also fetches this many hits, so that the first pages need no second search.
PREFETCH = 50


class WhooshSearchResults(BaseSearchResults):
    supports_facet = True

    def _run(self, limit):
        """Whoosh results for the compiled query with at least `limit` ranked hits (cached)."""
        compiler = self.query_compiler
        cache = compiler.cached_results
        for cached_limit, cached in cache.items():
            if cached_limit is None or (limit is not None and cached_limit >= limit):
                return cached
        searcher = self.backend.get_store().searcher()
        docs = filter_docs(searcher, compiler.get_filter())
        results = searcher.search(
            # Whoosh reads an empty filter as "no filter": match nothing instead.
            compiler.get_query() if docs else wq.NullQuery,
            limit=limit,
            filter=docs,
            sortedby=compiler.get_sortedby(),
            terms=False,
        )
        cache[limit] = results
        return results

    def _do_search(self):
        if self.stop is not None and self.stop <= self.start:
            return []
        limit = None if self.stop is None else max(self.stop, PREFETCH)
        hits = self._run(limit)[self.start : self.stop]
        pks = [hit["ix_pk"] for hit in hits]
        scores = {hit["ix_pk"]: hit.score for hit in hits}
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
        return len(self._run(PREFETCH))

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
        column = filter_column(field, compiler.queryset.model)
        searcher = self.backend.get_store().searcher()
        docs = filter_docs(searcher, compiler.get_filter())
        results = searcher.search(
            compiler.get_query() if docs else wq.NullQuery,
            limit=1,
            filter=docs,
            groupedby=sorting.FieldFacet(column),
            maptype=sorting.Count,
            terms=False,
        )
        groups = results.groups(column)
        return OrderedDict(sorted(groups.items(), key=lambda item: (-item[1], str(item[0]))))

    def highlight_words(self):
        """The words a snippet of these results should mark."""
        return self.query_compiler.highlight_words()
