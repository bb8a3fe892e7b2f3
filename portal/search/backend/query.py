"""modelsearch queries and queryset filters translated into Whoosh queries."""

from django.db import DEFAULT_DB_ALIAS
from django.db.models import F, OrderBy
from django.db.models.expressions import Subquery
from django.db.models.sql.constants import MULTI, SINGLE
from django.db.models.sql.query import Query as SQLQuery
from modelsearch.backends.base import BaseSearchQueryCompiler, OrderByFieldError
from modelsearch.index import (
    AutocompleteField,
    RelatedFields,
    SearchField,
    get_indexed_models,
)
from modelsearch.query import (
    And,
    Boost,
    Fuzzy,
    MatchAll,
    Not,
    Or,
    Phrase,
    PlainText,
)
from whoosh import query as wq
from whoosh import sorting

from ..analysis import is_pinyin_candidate, query_units, segment
from ..synonyms import expand_units
from .documents import (
    DEFAULT_PINYIN_FIELDS,
    autocomplete_column,
    clean_filter_value,
    filter_column,
    filter_kind,
    text_column,
)

PINYIN_BOOST = 2.0


class _Filter:
    """A compiled filter; wraps Whoosh queries, whose truth value the base class would test."""

    def __init__(self, query):
        self.query = query


def _subclasses(model):
    return [m for m in get_indexed_models() if issubclass(m, model)]


def _subquery_compiler(value, queryset):
    """The SQL compiler of a subquery given as a filter value, or None for a plain value."""
    if isinstance(value, (SQLQuery, Subquery)):
        query = value.query if isinstance(value, Subquery) else value
        return query.get_compiler(queryset._db or DEFAULT_DB_ALIAS)
    return None


class WhooshSearchQueryCompiler(BaseSearchQueryCompiler):
    """Full-text search: each query word is looked for in every searchable text field."""

    DEFAULT_OPERATOR = "or"
    HANDLES_ORDER_BY_EXPRESSIONS = True
    column_for = staticmethod(text_column)
    field_class = SearchField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Results objects cloned by slicing share this compiler, and so the Whoosh results.
        self.cached_results = {}

    # Filters -------------------------------------------------------------------------------

    def _process_lookup(self, field_path, lookup, value):
        model = self.queryset.model
        *relations, field = field_path
        if relations:
            # Values of related objects, however deep, are listed in one `__m` column.
            related_model = model
            for relation in relations:
                related_model = relation.get_field(related_model).related_model
            prefix = "".join(f"{relation.field_name}__" for relation in relations)
            column = f"{prefix}{field.get_attname(related_model)}__m"
            kind = "m"
            value_kind = filter_kind(field, related_model)
        else:
            column = filter_column(field, model)
            kind = value_kind = filter_kind(field, model)
        if value_kind == "m":
            value_kind = "s"  # a many-valued field lists its objects' keys as text

        if lookup == "exact":
            compiler = _subquery_compiler(value, self.queryset)
            if compiler is not None:
                row = compiler.execute_sql(result_type=SINGLE)
                value = row[0] if row else None
            return _Filter(self._equals(column, kind, value_kind, value))
        if lookup == "isnull":
            missing = wq.Term("ix_null", column)
            return _Filter(missing if value else wq.Not(missing))
        if lookup in ("startswith", "prefix"):
            return _Filter(wq.Prefix(column, str(clean_filter_value(value, value_kind))))
        if lookup in ("gt", "gte", "lt", "lte"):
            lower = value if lookup in ("gt", "gte") else None
            upper = value if lookup in ("lt", "lte") else None
            return _Filter(
                self._range(column, kind, value_kind, lower, upper, lookup == "gt", lookup == "lt")
            )
        if lookup == "range":
            lower, upper = value
            return _Filter(self._range(column, kind, value_kind, lower, upper, False, False))
        if lookup == "in":
            compiler = _subquery_compiler(value, self.queryset)
            if compiler is not None:
                rows = compiler.execute_sql(result_type=MULTI)
                value = [row[0] for chunk in rows for row in chunk]
            values = list(value)
            if not values:
                return _Filter(wq.NullQuery)
            return _Filter(wq.Or([self._equals(column, kind, value_kind, v) for v in values]))
        return None

    def _equals(self, column, kind, value_kind, value):
        if value is None:
            return wq.Term("ix_null", column)
        cleaned = clean_filter_value(value, value_kind)
        if kind == "m":
            return wq.Term(column, str(cleaned).replace(",", " "))
        if kind in ("i", "f"):
            return wq.NumericRange(column, cleaned, cleaned)
        if kind == "d":
            return wq.DateRange(column, cleaned, cleaned)
        if kind == "s" and cleaned == "":
            return wq.Term("ix_null", column)
        return wq.Term(column, cleaned)

    def _range(self, column, kind, value_kind, lower, upper, lower_excl, upper_excl):
        lower = clean_filter_value(lower, value_kind)
        upper = clean_filter_value(upper, value_kind)
        if kind in ("i", "f"):
            return wq.NumericRange(column, lower, upper, lower_excl, upper_excl)
        if kind == "d":
            return wq.DateRange(column, lower, upper, lower_excl, upper_excl)
        return wq.TermRange(
            column,
            None if lower is None else str(lower),
            None if upper is None else str(upper),
            lower_excl,
            upper_excl,
        )

    def _process_match_none(self):
        return _Filter(wq.NullQuery)

    def _connect_filters(self, filters, connector, negated):
        queries = [f.query for f in filters if f is not None]
        if not queries:
            return _Filter(wq.NullQuery) if negated else None
        if len(queries) == 1:
            combined = queries[0]
        elif connector == "AND":
            combined = wq.And(queries)
        else:
            combined = wq.Or(queries)
        if negated:
            combined = wq.Not(combined)
        return _Filter(combined)

    def get_filter(self):
        """The filter query: the queryset's model (with subclasses) and its filters."""
        parts = [wq.Term("ix_model", self.queryset.model._meta.label_lower)]
        compiled = self._get_filters_from_queryset()
        if compiled is not None:
            parts.append(compiled.query)
        return wq.And(parts) if len(parts) > 1 else parts[0]

    # Ordering ------------------------------------------------------------------------------

    def _get_order_by(self):
        if self.order_by_relevance:
            return
        for item in self.queryset.query.order_by:
            if isinstance(item, OrderBy):
                if not isinstance(item.expression, F):
                    continue
                name, reverse = item.expression.name, item.descending
            else:
                name, reverse = item.lstrip("-"), item.startswith("-")
            field = self._get_filterable_field(name)
            if field is None:
                raise OrderByFieldError(
                    f'Cannot sort search results with field "{name}". Please add '
                    f'index.FilterField("{name}") to '
                    f"{self.queryset.model.__name__}.search_fields.",
                    field_name=name,
                )
            yield reverse, field

    def orders_by_pk(self):
        """Relevance is off and the queryset names no ordering: newest (highest pk) first, as
        modelsearch's other backends order them."""
        return not self.order_by_relevance and not list(self._get_order_by())

    def get_sortedby(self):
        facets = [
            sorting.FieldFacet(filter_column(field, self.queryset.model), reverse=reverse)
            for reverse, field in self._get_order_by()
        ]
        if not facets:
            return None
        return facets[0] if len(facets) == 1 else sorting.MultiFacet(facets)

    # Search fields -------------------------------------------------------------------------

    def search_columns(self):
        """(column, boost) for every field the query words are looked for in."""
        model = self.queryset.model
        columns = {}

        def add(fields, prefix=""):
            for field in fields:
                if isinstance(field, RelatedFields):
                    add(field.fields, f"{prefix}{field.field_name}__")
                elif isinstance(field, self.field_class):
                    column = self.column_for(field, prefix)
                    boost = getattr(field, "boost", None) or 1.0
                    columns[column] = max(boost, columns.get(column, 0))

        models = [model] if self.fields else _subclasses(model) or [model]
        for indexed in models:
            fields = indexed.get_search_fields()
            if self.fields:
                fields = [field for field in fields if field.field_name in self.fields]
            add(fields)
        return sorted(columns.items())

    def uses_pinyin(self):
        if not self.fields:
            return True
        pinyin_fields = getattr(self.queryset.model, "search_pinyin_fields", DEFAULT_PINYIN_FIELDS)
        return any(name in pinyin_fields for name in self.fields)

    # Queries -------------------------------------------------------------------------------

    def get_query(self):
        return self._compile(self.query, self.search_columns())

    def _compile(self, query, columns):
        if isinstance(query, MatchAll):
            return wq.Every()
        if isinstance(query, (PlainText, Fuzzy)):
            compiled = self._plain(query.query_string, query.operator, columns)
            boost = getattr(query, "boost", 1)
            return compiled.with_boost(boost) if boost != 1 else compiled
        if isinstance(query, Phrase):
            return self._phrase(query.query_string, columns)
        if isinstance(query, Boost):
            return self._compile(query.subquery, columns).with_boost(query.boost)
        if isinstance(query, And):
            return wq.And([self._compile(sub, columns) for sub in query.subqueries])
        if isinstance(query, Or):
            return wq.Or([self._compile(sub, columns) for sub in query.subqueries])
        if isinstance(query, Not):
            return wq.And([wq.Every(), wq.Not(self._compile(query.subquery, columns))])
        raise NotImplementedError(f"{type(query).__name__} is not supported by this backend")

    def _unit_alternatives(self, kind, words, columns, last=False):
        if kind == "any":  # synonyms (portal.search.synonyms): a list of words for each
            return wq.Or(
                [
                    self._unit_alternatives(
                        "term" if len(synonym) == 1 else "phrase", synonym, columns
                    )
                    for synonym in words
                ]
            )
        alternatives = []
        for column, boost in columns:
            if kind == "term":
                alternatives.append(wq.Term(column, words[0], boost=boost))
                if last:
                    alternatives.append(wq.Prefix(column, words[0], boost=boost * 0.5))
            elif column.endswith("__t"):
                alternatives.append(wq.Phrase(column, words, boost=boost))
            else:
                alternatives.append(wq.And([wq.Term(column, word) for word in words], boost=boost))
        if kind == "term" and self.uses_pinyin() and is_pinyin_candidate(words[0]):
            alternatives.append(wq.Term("ix_pinyin", words[0], boost=PINYIN_BOOST))
            if last or len(words[0]) >= 3:
                alternatives.append(wq.Prefix("ix_pinyin", words[0], boost=PINYIN_BOOST / 2))
        return wq.Or(alternatives) if len(alternatives) != 1 else alternatives[0]

    def _plain(self, text, operator, columns, prefix_last=False):
        units = query_units(text)
        if not prefix_last:  # a word still being typed has no synonyms yet
            units = expand_units(units)
        if not units or not columns:
            return wq.NullQuery
        parts = [
            self._unit_alternatives(kind, words, columns, last=prefix_last and i == len(units) - 1)
            for i, (kind, words) in enumerate(units)
        ]
        if len(parts) == 1:
            return parts[0]
        return wq.And(parts) if operator == "and" else wq.Or(parts)

    def _phrase(self, text, columns):
        words = segment(text)
        if not words:
            return wq.NullQuery
        if len(words) == 1:
            return self._unit_alternatives("term", words, columns)
        phrases = [
            wq.Phrase(column, words, boost=boost)
            for column, boost in columns
            if column.endswith("__t")
        ]
        return wq.Or(phrases) if phrases else wq.NullQuery

    def highlight_words(self):
        """The query's words, for marking them in snippets."""
        words = set()

        def walk(query):
            if isinstance(query, (PlainText, Fuzzy, Phrase)):
                units = query_units(query.query_string)
                if isinstance(query, PlainText):
                    units = expand_units(units)
                for kind, unit in units:
                    for synonym in unit if kind == "any" else [unit]:
                        words.update(synonym)
                        if len(synonym) > 1:
                            words.add("".join(synonym))
            elif isinstance(query, Boost):
                walk(query.subquery)
            elif isinstance(query, (And, Or)):
                for sub in query.subqueries:
                    walk(sub)

        walk(self.query)
        return words


class WhooshAutocompleteQueryCompiler(WhooshSearchQueryCompiler):
    """Search as you type: the last word may be the start of a longer word (or of pinyin)."""

    DEFAULT_OPERATOR = "and"
    column_for = staticmethod(autocomplete_column)
    field_class = AutocompleteField

    def check(self):
        if self.fields:
            allowed = {f.field_name for f in self.queryset.model.get_autocomplete_search_fields()}
            for name in self.fields:
                if name not in allowed:
                    from modelsearch.backends.base import SearchFieldError

                    raise SearchFieldError(
                        f'Cannot autocomplete with field "{name}". Please add '
                        f'index.AutocompleteField("{name}") to '
                        f"{self.queryset.model.__name__}.search_fields.",
                        field_name=name,
                    )
        self._get_filters_from_queryset(check_only=True)
        list(self._get_order_by())

    def _compile(self, query, columns):
        if isinstance(query, PlainText):
            return self._plain(query.query_string, query.operator, columns, prefix_last=True)
        return super()._compile(query, columns)
