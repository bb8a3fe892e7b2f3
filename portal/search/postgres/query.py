"""modelsearch queries written as PostgreSQL tsqueries over the portal's own lexemes.

A query is cut by the same analysis as the documents (`analysis.query_units`): each word is a
lexeme, a run of single characters (a name jieba does not know) is a phrase (`'明' <-> '华'`),
a Latin word of two or more letters may also be pinyin (`'^hesuan'`, and a prefix of it), and
in autocomplete the last word may be unfinished (`'网格化管':*`). The tsquery is written as
text and cast with `::tsquery`, so no dictionary touches it (the documents' lexemes were
written the same way, `documents.py`).

Ranking is modelsearch's: `ts_rank` over the title (times `title_norm`, shorter titles first)
plus `ts_rank` over the whole document, with modelsearch's field weights; `Boost` multiplies
the rank of its part, `And` and `Or` combine the ranks of their parts as modelsearch does.
"""

import json
import re
import time

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import (
    CharField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    TextField,
    UUIDField,
    Value,
)
from django.db.models.functions import Cast
from modelsearch.backends.database.postgres.postgres import (
    PostgresAutocompleteQueryCompiler,
    PostgresSearchQueryCompiler,
)
from modelsearch.backends.database.postgres.weights import get_sql_weights
from modelsearch.conf import get_app_config
from modelsearch.query import And, Boost, Fuzzy, MatchAll, Not, Or, Phrase, PlainText
from modelsearch.utils import ADD, MUL, get_descendants_content_types_pks

from ..analysis import is_pinyin_candidate, query_units, segment
from ..backend.documents import DEFAULT_PINYIN_FIELDS
from .documents import PINYIN_MARK, quote_lexeme

# A part of a query that matches every document, or none.
EVERYTHING = "everything"
NOTHING = "nothing"


def plan_rows(queryset):
    """The number of rows the planner expects `queryset` to return."""
    return float(json.loads(queryset.explain(format="json"))[0]["Plan"]["Plan Rows"])


PREFIX_ALTERNATIVE = re.compile(r" \| '(?:[^']|'')*':\*")
_table_rows = {"rows": None, "at": 0.0}


def table_rows(entries):
    """The planner's estimate of the index table's size, asked at most once a minute."""
    now = time.monotonic()
    if _table_rows["rows"] is None or now - _table_rows["at"] > 60:
        _table_rows.update(rows=plan_rows(entries.all()), at=now)
    return _table_rows["rows"]


class TsQuery(SearchQuery):
    """A tsquery given as text, cast as it is (`'核酸' & '检测'`): no parser or dictionary."""

    def __init__(self, text, invert=False):
        super().__init__(Value(text), search_type="raw", invert=invert)

    def as_sql(self, compiler, connection, function=None, template=None):
        sql, params = compiler.compile(self.get_source_expressions()[-1])
        sql = f"{sql}::tsquery"
        if self.invert:
            sql = f"!!({sql})"
        return sql, params


def _join(parts, operator):
    return f" {operator} ".join(f"({part})" if " " in part else part for part in parts)


def combine_and(parts):
    if NOTHING in parts:
        return NOTHING
    parts = [part for part in parts if part != EVERYTHING]
    return _join(parts, "&") if parts else EVERYTHING


def combine_or(parts):
    if EVERYTHING in parts:
        return EVERYTHING
    parts = [part for part in parts if part != NOTHING]
    return _join(parts, "|") if parts else NOTHING


def negate(part):
    if part == EVERYTHING:
        return NOTHING
    if part == NOTHING:
        return EVERYTHING
    return f"!({part})"


class PortalPostgresSearchQueryCompiler(PostgresSearchQueryCompiler):
    """Search with the Whoosh backend's analysis; matches on the document vector (`body`)."""

    DEFAULT_OPERATOR = "or"
    HANDLES_ORDER_BY_EXPRESSIONS = True

    # Where matches are looked for, and the vectors ranked: (entry column, multiplier). With a
    # `prefix` ("index_entries__"), the columns are reached from the searched model.
    def match_column(self):
        if self.fields and set(self.fields) <= {"title"}:
            return "title"
        return "body"

    def rank_vectors(self, prefix=""):
        if self.match_column() == "title":
            return [(F(f"{prefix}title"), 1.0)]
        return [
            (F(f"{prefix}title"), F(f"{prefix}title_norm")),
            (F(f"{prefix}body"), 1.0),
        ]

    def uses_pinyin(self):
        if not self.fields:
            return True
        pinyin_fields = getattr(self.queryset.model, "search_pinyin_fields", DEFAULT_PINYIN_FIELDS)
        return any(name in pinyin_fields for name in self.fields)

    # Query text ------------------------------------------------------------------------------

    def unit(self, kind, words, last=False):
        if kind == "phrase":
            return " <-> ".join(quote_lexeme(word) for word in words)
        word = words[0]
        alternatives = [quote_lexeme(word)]
        if last:
            alternatives.append(quote_lexeme(word) + ":*")
        if self.uses_pinyin() and is_pinyin_candidate(word):
            alternatives.append(quote_lexeme(PINYIN_MARK + word))
            if last or len(word) >= 3:
                alternatives.append(quote_lexeme(PINYIN_MARK + word) + ":*")
        return alternatives[0] if len(alternatives) == 1 else _join(alternatives, "|")

    def plain(self, text, operator, prefix_last=False):
        units = query_units(text)
        if not units:
            return NOTHING
        parts = [
            self.unit(kind, words, last=prefix_last and i == len(units) - 1)
            for i, (kind, words) in enumerate(units)
        ]
        return combine_and(parts) if operator == "and" else combine_or(parts)

    def phrase(self, text):
        words = segment(text)
        if not words:
            return NOTHING
        if len(words) == 1:
            return self.unit("term", words)
        return " <-> ".join(quote_lexeme(word) for word in words)

    def tsquery_text(self, query):
        """The tsquery of a modelsearch query, or EVERYTHING / NOTHING."""
        if isinstance(query, MatchAll):
            return EVERYTHING
        if isinstance(query, (PlainText, Fuzzy)):
            return self.plain(query.query_string, query.operator)
        if isinstance(query, Phrase):
            return self.phrase(query.query_string)
        if isinstance(query, Boost):
            return self.tsquery_text(query.subquery)
        if isinstance(query, And):
            return combine_and([self.tsquery_text(sub) for sub in query.subqueries])
        if isinstance(query, Or):
            return combine_or([self.tsquery_text(sub) for sub in query.subqueries])
        if isinstance(query, Not):
            return negate(self.tsquery_text(query.subquery))
        raise NotImplementedError(f"{type(query).__name__} is not supported by this backend")

    # Ranking ---------------------------------------------------------------------------------

    def rank(self, vector, query, boost=1.0):
        """modelsearch's rank expression for `query` against one vector."""
        if isinstance(query, Boost):
            return self.rank(vector, query.subquery, boost * query.boost)
        if isinstance(query, (And, Or)):
            ranks = [self.rank(vector, sub, boost) for sub in query.subqueries]
            ranks = [rank for rank in ranks if rank is not None]
            if not ranks:
                return None
            if isinstance(query, And):
                return MUL(1 + rank for rank in ranks) - 1
            return ADD(ranks) / len(ranks)
        text = self.tsquery_text(query)
        if text in (EVERYTHING, NOTHING):
            return None
        rank = SearchRank(vector, TsQuery(text), weights=get_sql_weights())
        return rank * boost if boost != 1.0 else rank

    def rank_expression(self, prefix=""):
        ranks = []
        for vector, multiplier in self.rank_vectors(prefix):
            rank = self.rank(vector, self.query)
            if rank is not None:
                ranks.append(rank * multiplier)
        return ADD(ranks) if ranks else Value(0.0)

    # The search ------------------------------------------------------------------------------

    def object_pk(self):
        """The entry's `object_id` as the searched model's primary key (an index entry keeps it
        as text), so the join to the model uses the model's primary key index."""
        field = self.queryset.model._meta.pk
        while field.is_relation:
            field = field.target_field
        if isinstance(field, (IntegerField, UUIDField)):
            return Cast("object_id", output_field=field.__class__())
        return Cast("object_id", output_field=TextField())

    def matching_entries(self):
        """The index entries of the matching objects (with `object_pk`), or EVERYTHING/NOTHING.

        The entries drive the query: their GIN index finds the matches, and each match is
        looked up in the model's queryset (its filters) by primary key. Joining the other way
        round (modelsearch's `index_entries` relation compares the model's key cast to text)
        would scan the whole model table for every search."""
        text = self.tsquery_text(self.query)
        if text in (EVERYTHING, NOTHING):
            return text
        entry_model = get_app_config().get_model("IndexEntry")
        content_types = get_descendants_content_types_pks(self.queryset.model)
        return (
            entry_model._default_manager.filter(content_type_id__in=content_types)
            .filter(**{self.match_column(): TsQuery(text)})
            .annotate(object_pk=self.object_pk())
            .filter(object_pk__in=self.queryset.order_by().values("pk"))
        )

    def estimated_share(self):
        """The planner's estimate of the share of index entries the query matches (0 to 1),
        from the tsvector statistics ANALYZE keeps: no row is read."""
        text = self.tsquery_text(self.query)
        if text in (EVERYTHING, NOTHING):
            return 0.0
        # A prefix (`'hes':*`) is estimated as a fixed, large share; the whole words beside it
        # tell the planner more.
        text = PREFIX_ALTERNATIVE.sub("", text)
        entries = get_app_config().get_model("IndexEntry")._default_manager
        matching = plan_rows(entries.filter(**{self.match_column(): TsQuery(text)}))
        return matching / max(table_rows(entries), 1.0)

    def newest_matching_pks(self, count):
        """The primary keys of the `count` newest matching objects, found by walking the
        model's primary key index backwards and looking each object's entry up by its key: for
        a word in most documents this stops after about `count` lookups, where the GIN index
        would hand over every match (and PostgreSQL would rather read every entry's text)."""
        entry_model = get_app_config().get_model("IndexEntry")
        text = self.tsquery_text(self.query)
        entry = entry_model._default_manager.filter(
            content_type_id__in=get_descendants_content_types_pks(self.queryset.model),
            object_id=Cast(OuterRef("pk"), output_field=CharField(max_length=50)),
            **{self.match_column(): TsQuery(text)},
        )
        found = self.queryset.order_by().filter(Exists(entry)).order_by("-pk")
        return list(found.values_list("pk", flat=True)[:count])

    def matching_objects(self):
        """The matching objects, unranked: the queryset filtered by the matching entries' keys."""
        entries = self.matching_entries()
        if entries == NOTHING:
            return self.queryset.none()
        if entries == EVERYTHING:
            return self.queryset
        return self.queryset.filter(pk__in=entries.values("object_pk"))

    def matching(self):
        """(queryset of the matching objects, rank expression over `index_entries` or None)."""
        entries = self.matching_entries()
        if entries == NOTHING:
            return self.queryset.none(), None
        if entries == EVERYTHING:
            return self.queryset, None
        column = f"index_entries__{self.match_column()}"
        text = self.tsquery_text(self.query)
        queryset = self.queryset.filter(**{column: TsQuery(text)})
        return queryset, self.rank_expression(prefix="index_entries__")

    def search(self, config, start, stop, score_field=None, backend=None):
        """The matching objects in order, as a queryset (modelsearch's interface)."""
        queryset, rank = self.matching()
        if self.order_by_relevance and rank is not None:
            queryset = queryset.order_by(rank.desc(), "-pk")
        elif not queryset.query.order_by:
            queryset = queryset.order_by("-pk")
        if score_field is not None:
            queryset = queryset.annotate(**{score_field: rank if rank is not None else Value(0.0)})
        return queryset[start:stop]


class PortalPostgresAutocompleteQueryCompiler(
    PortalPostgresSearchQueryCompiler, PostgresAutocompleteQueryCompiler
):
    """Search as you type on the AutocompleteFields: the last word may be unfinished."""

    DEFAULT_OPERATOR = "and"

    def match_column(self):
        return "autocomplete"

    def rank_vectors(self, prefix=""):
        return [(F(f"{prefix}autocomplete"), 1.0)]

    def plain(self, text, operator, prefix_last=True):
        return super().plain(text, operator, prefix_last=prefix_last)
