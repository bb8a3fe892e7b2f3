"""Relevance ranking on whole posting lists at once (numpy), instead of one posting at a time.

Whoosh matches and scores in pure Python, one posting per step: a word found in most of 50,000
documents costs a few hundred milliseconds, and its block-quality skipping hardly helps when
many documents score alike. Here each segment's posting lists are read block by block into
arrays and the query is evaluated as array operations: a term gives (matched, score) arrays,
`Or` adds scores over the union, `And` adds them over the intersection, and the filter is a
boolean mask. Scores use Whoosh's own BM25F formula and statistics (idf and average field
length of the whole index, lengths from the index's length columns, the same boosts), and ties
are broken by document number as Whoosh does, so the order is Whoosh's. Every hit is counted,
so counts are exact.

The `PORTAL_SEARCH_ACCELERATOR` setting (on by default) turns this module off: Whoosh's own
matcher and collector then rank, and `tests/portal/test_search_ranking.py` checks that both give
the same hits, scores and order, over posting lists longer than one block, several segments,
merged segments and deleted documents.

Query nodes other than terms, `And`, `Or` and empty queries (phrases, prefixes, ranges, `Not`,
`Every`) are evaluated by Whoosh's own matcher for that node and its hits copied into the
arrays, so their meaning and scores stay exactly Whoosh's. Only the index's arrays (field
lengths, deleted documents, filter masks) are kept, on the searcher of one index generation;
no result is cached here.
"""

import numpy as np
from django.conf import settings
from whoosh import query as wq
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.fields import BOOLEAN, ID, KEYWORD, NUMERIC
from whoosh.scoring import BM25F
from whoosh.util.numeric import byte_to_length

from .store import VarintPositions, length_codes

# byte -> field length, as Whoosh decodes the one-byte lengths it stores per document.
_LENGTHS = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)


_NULL = type(wq.NullQuery)


class Unsupported(Exception):
    """The searcher or query is outside what this module evaluates; use Whoosh's collector."""


class _Segment:
    """Arrays of one segment: live documents and field lengths, loaded once per searcher."""

    def __init__(self, searcher, offset):
        self.searcher = searcher
        self.reader = searcher.reader()
        self.offset = offset
        self.size = self.reader.doc_count_all()
        self.alive = np.ones(self.size, dtype=bool)
        if self.reader.has_deletions():
            deleted = np.fromiter(self.reader.deleted_docs_set, dtype=np.int64)
            self.alive[deleted[deleted < self.size]] = False
        self._lengths = {}
        self._perdoc = getattr(self.reader, "_perdoc", None)
        self._terms = getattr(self.reader, "_terms", None)
        if self._perdoc is None or self._terms is None:
            raise Unsupported("not a Whoosh segment reader")

    def lengths(self, fieldname):
        """Field length per document (as Whoosh's scorer sees it)."""
        lengths = self._lengths.get(fieldname)
        if lengths is None:
            raw = length_codes(self._perdoc, fieldname)
            codes = np.zeros(self.size, dtype=np.uint8)
            if raw:
                count = min(len(raw), self.size)
                codes[:count] = np.frombuffer(raw, dtype=np.uint8, count=count)
            lengths = self._lengths[fieldname] = _LENGTHS[codes]
        return lengths

    def postings(self, fieldname, tbytes, values=None):
        """(docnums, weights) of a term in this segment, deleted documents included.

        With a `values` list, the postings' encoded values (positions) are appended to it.
        """
        fieldobj = self.reader.schema[fieldname]
        matcher = self._terms.matcher(fieldname, tbytes, fieldobj.format)
        if type(matcher) is W3LeafMatcher and not matcher._byteids:
            id_parts = []
            weight_parts = []
            while True:
                if matcher._data is None:
                    matcher._read_data()
                ids, weights = matcher._data[0], matcher._data[1]
                if values is not None:
                    values.extend(matcher._data[2])
                count = matcher._blocklength
                id_parts.append(np.cumsum(np.asarray(ids, dtype=np.int64)))
                if weights is None:
                    weight_parts.append(np.ones(count))
                elif isinstance(weights, float):
                    weight_parts.append(np.full(count, weights))
                else:
                    weight_parts.append(np.asarray(weights, dtype=np.float64))
                if matcher._lastblock:
                    break
                matcher._goto(matcher._nextoffset)
            return np.concatenate(id_parts), np.concatenate(weight_parts)
        ids = []
        weights = []
        while matcher.is_active():
            ids.append(matcher.id())
            weights.append(matcher.weight())
            if values is not None:
                values.append(matcher.value())
            matcher.next()
        return np.array(ids, dtype=np.int64), np.array(weights, dtype=np.float64)


def _position_keys(docnums, values):
    """doc << 32 | position for every position in the encoded values (a 4-byte big-endian
    count, then varint gaps, as `VarintPositions` stores them) of the given documents'
    postings; sorted when the postings are."""
    if not values:
        return np.zeros(0, dtype=np.int64)
    sizes = np.fromiter(map(len, values), dtype=np.int64, count=len(values))
    data = np.frombuffer(b"".join(values), dtype=np.uint8)
    starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    head = data[starts[:, None] + np.arange(4)].astype(np.int64)
    counts = (head[:, 0] << 24) | (head[:, 1] << 16) | (head[:, 2] << 8) | head[:, 3]
    body = np.ones(data.size, dtype=bool)
    body[(starts[:, None] + np.arange(4)).ravel()] = False
    data = data[body]
    last = np.flatnonzero(data < 0x80)  # the final byte of each varint
    first = np.concatenate(([0], last[:-1] + 1))
    shift = (np.arange(data.size) - np.repeat(first, last - first + 1)) * 7
    gaps = np.add.reduceat((data & 0x7F).astype(np.int64) << shift, first)
    # Positions are running sums of the gaps within each posting.
    totals = np.cumsum(gaps)
    ends = np.cumsum(counts)
    before = np.concatenate(([0], totals[ends[:-1] - 1]))
    positions = totals - np.repeat(before, counts)
    return (np.repeat(np.asarray(docnums, dtype=np.int64), counts) << 32) | positions


def _sorted_common(a, b):
    """The values of sorted array `a` also found in sorted array `b`."""
    if not a.size or not b.size:
        return a[:0]
    at = np.searchsorted(b, a)
    at[at == b.size] = 0
    return a[b[at] == a]


class Ranker:
    """Evaluates queries on one searcher (one index generation) with arrays."""

    def __init__(self, searcher):
        weighting = searcher.weighting
        if type(weighting) is not BM25F:
            raise Unsupported("only BM25F scoring is mirrored")
        self.searcher = searcher
        self.weighting = weighting
        self.segments = [_Segment(sub, offset) for sub, offset in searcher.leaf_searchers()]
        self.context = searcher.context()
        self._masks = {}

    # Evaluation ----------------------------------------------------------------------------

    def _preloads(self, clauses, segment):
        """Whether Whoosh's `Or` of this many clauses preloads its hits in this segment (its
        AUTO_MATCHER choice), which a constant-score prefix then leaves unscored."""
        if clauses >= wq.Or.TOO_MANY_CLAUSES:
            return True
        return not (self.context.needs_current or clauses == 2 or segment.size > 5000)

    def _term(self, segment, query):
        fieldname = query.fieldname
        schema = self.searcher.schema
        if fieldname not in schema:
            return None
        field = schema[fieldname]
        try:
            tbytes = field.to_bytes(query.text)
        except ValueError:
            return None
        if (fieldname, tbytes) not in segment.reader:
            return None
        ids, weights = segment.postings(fieldname, tbytes)
        values = self._bm25(segment, field, fieldname, tbytes, ids, weights)
        if query.boost != 1.0:
            values = values * query.boost
        matched = np.zeros(segment.size, dtype=bool)
        matched[ids] = True
        scores = np.zeros(segment.size)
        scores[ids] = values
        return matched, scores

    def _bm25(self, segment, field, fieldname, tbytes, ids, weights):
        """Whoosh's score of each posting of a term (BM25F, or the weight if unscorable)."""
        if field.scorable:
            parent = self.searcher
            idf = parent.idf(fieldname, tbytes)
            avgfl = parent.avg_field_length(fieldname) or 1
            b = self.weighting._field_B.get(fieldname, self.weighting.B)
            k1 = self.weighting.K1
            lengths = segment.lengths(fieldname)[ids]
            # whoosh.scoring.bm25, element-wise
            return idf * ((weights * (k1 + 1)) / (weights + k1 * ((1 - b) + b * lengths / avgfl)))
        return weights

    def _phrase(self, segment, query):
        """A phrase (slop 1): the words at consecutive positions, scored as Whoosh's SpanNear
        does (the sum of the words' own scores in the document)."""
        fieldname = query.fieldname
        schema = self.searcher.schema
        if fieldname not in schema:
            return None
        field = schema[fieldname]
        if not isinstance(field.format, VarintPositions):
            raise Unsupported("positions in another encoding")
        words = []
        for word in query.words:
            try:
                tbytes = field.to_bytes(word)
            except ValueError:
                return None
            if (fieldname, tbytes) not in segment.reader:
                return None
            words.append(tbytes)
        postings = []
        candidates = np.ones(segment.size, dtype=bool)
        for tbytes in words:
            values = []
            ids, weights = segment.postings(fieldname, tbytes, values)
            postings.append((tbytes, ids, weights, values))
            present = np.zeros(segment.size, dtype=bool)
            present[ids] = True
            candidates &= present
        if not candidates.any():
            return None
        # Keys doc << 32 | position of each word, shifted back by the word's place in the phrase:
        # a document has the phrase where one key is found for every word. Postings come in
        # document order and positions ascending, so the keys are sorted.
        starts = None
        for place, (_tbytes, ids, _weights, values) in enumerate(postings):
            rows = np.flatnonzero(candidates[ids])
            keys = _position_keys(ids[rows], [values[row] for row in rows.tolist()]) - place
            starts = keys if starts is None else _sorted_common(starts, keys)
            if not starts.size:
                return None
        matched = np.zeros(segment.size, dtype=bool)
        matched[starts >> 32] = True
        scores = np.zeros(segment.size)
        for tbytes, ids, weights, _values in postings:
            rows = np.flatnonzero(matched[ids])
            scores[ids[rows]] += self._bm25(
                segment, field, fieldname, tbytes, ids[rows], weights[rows]
            )
        if query.boost != 1.0:
            scores *= query.boost
        return matched, scores

    def _whoosh(self, segment, query):
        """Hits and scores of a node from Whoosh's own matcher (phrases, prefixes, ranges…)."""
        matcher = query.matcher(segment.searcher, self.context)
        matched = np.zeros(segment.size, dtype=bool)
        scores = np.zeros(segment.size)
        ids = []
        values = []
        while matcher.is_active():
            ids.append(matcher.id())
            values.append(matcher.score())
            matcher.next()
        if ids:
            ids = np.array(ids, dtype=np.int64)
            matched[ids] = True
            scores[ids] = values
        return matched, scores

    def _eval(self, segment, query):
        """(matched, scores) arrays of a query in one segment, or None when nothing matches.

        Deleted documents may still be marked; the caller masks them out.
        """
        kind = type(query)
        if isinstance(query, _NULL):
            return None
        if kind is wq.Term:
            return self._term(segment, query)
        if kind is wq.Phrase and query.slop == 1 and len(query.words) > 1:
            return self._phrase(segment, query)
        if kind is wq.Prefix and query.text and query.fieldname in self.searcher.schema:
            # As Whoosh's MultiTerm.matcher: one word is a plain term (without the prefix's
            # boost), several are an Or of their terms with it.
            words = [word for word in query._btexts(segment.reader) if word]
            if not words:
                return None
            if len(words) == 1:
                return self._term(segment, wq.Term(query.fieldname, words[0]))
            terms = [wq.Term(query.fieldname, word) for word in words]
            if not (query.constantscore and self._preloads(len(terms), segment)):
                return self._eval(segment, wq.Or(terms, boost=query.boost))
            # Whoosh's constant-score Or of preloaded hits: each word found adds the boost.
            parts = [self._term(segment, term) for term in terms]
            parts = [part for part in parts if part is not None]
            if not parts:
                return None
            found = np.add.reduce([part[0].astype(np.float64) for part in parts])
            return found > 0, found * query.boost
        plain_or = kind is wq.Or and not getattr(query, "minmatch", 0)
        if kind is wq.And or (plain_or and not getattr(query, "scale", None)):
            subs = query.subqueries
            if not subs:
                return None
            parts = [self._eval(segment, sub) for sub in subs]
            if kind is wq.Or:
                parts = [part for part in parts if part is not None]
                if not parts:
                    return None
                matched = parts[0][0].copy()
                scores = parts[0][1].copy()
                for sub_matched, sub_scores in parts[1:]:
                    matched |= sub_matched
                    scores += sub_scores
            else:
                if any(part is None for part in parts):
                    return None
                matched = parts[0][0].copy()
                scores = parts[0][1].copy()
                for sub_matched, sub_scores in parts[1:]:
                    matched &= sub_matched
                    scores += sub_scores
                scores[~matched] = 0.0
            # A single-child compound is its child in Whoosh (no boost applied).
            if len(subs) > 1 and query.boost != 1.0:
                scores *= query.boost
            return matched, scores
        return self._whoosh(segment, query)

    def _matches(self, segment, query):
        """Boolean array of the documents a filter query matches (no scores needed)."""
        kind = type(query)
        if isinstance(query, _NULL):
            return np.zeros(segment.size, dtype=bool)
        if kind is wq.Term:
            mask = np.zeros(segment.size, dtype=bool)
            if query.fieldname not in self.searcher.schema:
                return mask
            try:
                tbytes = self.searcher.schema[query.fieldname].to_bytes(query.text)
            except ValueError:
                return mask
            if (query.fieldname, tbytes) in segment.reader:
                mask[segment.postings(query.fieldname, tbytes)[0]] = True
            return mask
        if kind is wq.And and query.subqueries:
            mask = self._matches(segment, query.subqueries[0]).copy()
            for sub in query.subqueries[1:]:
                mask &= self._matches(segment, sub)
            return mask
        if kind is wq.Or and not getattr(query, "minmatch", 0):
            mask = np.zeros(segment.size, dtype=bool)
            for sub in query.subqueries:
                mask |= self._matches(segment, sub)
            return mask
        if kind is wq.Not:
            return ~self._matches(segment, query.query)
        if kind is wq.Every and not query.fieldname:
            return np.ones(segment.size, dtype=bool)
        mask = np.zeros(segment.size, dtype=bool)
        ids = np.fromiter(query.docs(segment.searcher), dtype=np.int64)
        mask[ids] = True
        return mask

    def _mask(self, segment, index, query):
        """Boolean mask of a filter query in one segment (cached on this ranker)."""
        key = (repr(query), index)
        mask = self._masks.get(key)
        if mask is None:
            mask = self._matches(segment, query) & segment.alive
            if len(self._masks) > 128:
                self._masks.clear()
            self._masks[key] = mask
        return mask

    # Ranking -------------------------------------------------------------------------------

    def rank(self, query, filter_query=None, limit=None):
        """([(docnum, score)] best first, exact total) of `query` among `filter_query`'s docs."""
        docnums = []
        scores = []
        for index, segment in enumerate(self.segments):
            if not segment.size:
                continue
            result = self._eval(segment, query)
            if result is None:
                continue
            matched, seg_scores = result
            keep = matched & segment.alive
            if filter_query is not None:
                keep &= self._mask(segment, index, filter_query)
            found = np.flatnonzero(keep)
            if found.size:
                docnums.append(found + segment.offset)
                scores.append(seg_scores[found])
        if not docnums:
            return [], 0
        docnums = np.concatenate(docnums)
        scores = np.concatenate(scores)
        total = int(docnums.size)
        if limit is not None and total > limit:
            # Everything scoring at least the limit-th best score, then exact order (score
            # descending, document number ascending for equal scores, as Whoosh orders them).
            kth = np.partition(scores, total - limit)[total - limit]
            candidates = np.flatnonzero(scores >= kth)
            docnums, scores = docnums[candidates], scores[candidates]
        order = np.lexsort((docnums, -scores))
        if limit is not None:
            order = order[:limit]
        return list(zip(docnums[order].tolist(), scores[order].tolist(), strict=True)), total

    def facet(self, query, filter_query, fieldname):
        """{value: hits} of a field whose index terms are its exact values (one term per
        value: IDs, keywords, booleans, numbers without tiers); hits without a value are not
        counted."""
        field = self.searcher.schema[fieldname]
        exact = isinstance(field, (ID, KEYWORD, BOOLEAN)) or (
            isinstance(field, NUMERIC) and field.shift_step == 0
        )
        if not exact:
            raise Unsupported(f"{fieldname} has tiered terms")
        counts = {}
        for index, segment in enumerate(self.segments):
            result = self._eval(segment, query) if segment.size else None
            if result is None:
                continue
            keep = result[0] & segment.alive
            if filter_query is not None:
                keep &= self._mask(segment, index, filter_query)
            if not keep.any():
                continue
            for tbytes in segment.reader.lexicon(fieldname):
                ids, _weights = segment.postings(fieldname, tbytes)
                hits = int(np.count_nonzero(keep[ids]))
                if hits:
                    value = field.from_bytes(tbytes)
                    counts[value] = counts.get(value, 0) + hits
        return counts


def ranker_for(searcher):
    """The ranker of a searcher, kept on it (it holds per-generation arrays).

    Raises Unsupported when the `PORTAL_SEARCH_ACCELERATOR` setting is off: the caller then uses
    Whoosh's own matcher and collector."""
    if not getattr(settings, "PORTAL_SEARCH_ACCELERATOR", True):
        raise Unsupported("the search accelerator is off (PORTAL_SEARCH_ACCELERATOR)")
    ranker = getattr(searcher, "_portal_ranker", None)
    if ranker is None:
        ranker = Ranker(searcher)
        searcher._portal_ranker = ranker
    return ranker
