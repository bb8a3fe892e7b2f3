"""The array ranker gives Whoosh's own hits, scores, order and counts."""

import random

import pytest
from whoosh import query as wq

from portal.search.backend.ranking import Ranker, _position_keys
from portal.search.backend.store import POSTINGS_BLOCK, IndexStore

TEXTS = [
    ("网格化管理工作实施方案", "明华社区推进网格化服务管理，明确每个网格的责任人。"),
    ("核酸检测安排", "本周六在明华街社区服务中心广场开展核酸检测，请携带身份证。"),
    ("致全体居民的一封信", "冬季用火用电增多，请大家注意防火安全，明华街居民不私拉电线。"),
    ("低保公示", "最低生活保障审批结果公示，公示期七个工作日。"),
    ("网格员联系电话", "第一网格网格员王红，工作电话010-6543 2101，明华街1号楼。"),
    ("冬季防火检查通知", "物业和网格员将对各楼栋开展消防安全检查，明 华 街全体居民。"),
    ("Grid notice", "Community grid workers visit every building; grid phone 2101."),
]


@pytest.fixture
def searcher(tmp_path):
    """An index of three segments, one document deleted, the rest live or not."""
    store = IndexStore(tmp_path / "index")
    for numbers in (range(0, 3), range(3, 5), range(5, len(TEXTS))):
        changes = {}
        for number in numbers:
            title, body = TEXTS[number]
            for copy in range(3):
                key = f"x:{number}-{copy}"
                changes[key] = {
                    "ix_key": key,
                    "ix_pk": key,
                    "ix_model": "home.standardpage",
                    "title__t": title,
                    "body__t": body * (copy + 1),
                    "live__b": copy != 2,
                    "content_type_id__i": 10 + number % 3,
                }
        store.apply(changes)
    store.apply({"x:1-0": None})
    with store.open().searcher() as searcher:
        yield searcher


def whoosh_hits(searcher, query, filter_query, limit):
    """Whoosh's hits scored one by one (without its block skipping, which can miss a hit of
    the top N across segments), best first, and their count."""
    docs = set(searcher.docs_for_query(filter_query)) if filter_query is not None else None
    if docs is not None and not docs:
        return [], 0
    results = searcher.search(query, limit=None, filter=docs, terms=False)
    hits = sorted(((hit.docnum, hit.score) for hit in results), key=lambda h: (-h[1], h[0]))
    return hits[:limit], len(results)


QUERIES = [
    wq.Term("body__t", "网格"),
    wq.Or([wq.Term("title__t", "网格", boost=2.0), wq.Term("body__t", "网格")]),
    wq.And(
        [
            wq.Or([wq.Term("title__t", "防火"), wq.Term("body__t", "防火")]),
            wq.Or([wq.Term("title__t", "居民"), wq.Term("body__t", "居民")], boost=1.5),
        ]
    ),
    wq.Or([wq.Phrase("body__t", ["明", "华", "街"]), wq.Phrase("title__t", ["明", "华", "街"])]),
    wq.Phrase("body__t", ["核酸", "检测"], boost=3.0),
    wq.Or([wq.Term("body__t", "grid"), wq.Prefix("body__t", "build", boost=0.5)]),
    wq.And([wq.Every(), wq.Not(wq.Term("body__t", "网格"))]),
    wq.Or([wq.Prefix("title__t", "网", boost=0.5), wq.Prefix("body__t", "明华", boost=2.0)]),
    wq.Term("body__t", "没有的词"),
    wq.NullQuery,
]


FILTERS = [
    None,
    wq.Term("live__b", True),
    wq.And(
        [
            wq.Term("ix_model", "home.standardpage"),
            wq.And([wq.Term("live__b", True), wq.Not(wq.NullQuery)]),
        ]
    ),
    wq.Or([wq.NumericRange("content_type_id__i", 11, 12), wq.Not(wq.Term("live__b", True))]),
    wq.And([wq.Every(), wq.Not(wq.Term("content_type_id__i", 10))]),
    wq.NullQuery,
]


@pytest.mark.parametrize("query", QUERIES, ids=[repr(q)[:40] for q in QUERIES])
@pytest.mark.parametrize("filter_query", FILTERS, ids=[repr(q)[:40] for q in FILTERS])
@pytest.mark.parametrize("limit", [3, 50, None])
def test_ranker_matches_whoosh(searcher, query, filter_query, limit):
    """Same documents, scores, order (ties by document number) and total as Whoosh's search."""
    if query is wq.NullQuery:
        expected, count = [], 0
    else:
        expected, count = whoosh_hits(searcher, query, filter_query, limit)
    hits, total = Ranker(searcher).rank(query, filter_query, limit)
    assert total == count
    assert [docnum for docnum, _score in hits] == [docnum for docnum, _score in expected]
    assert [round(score, 9) for _docnum, score in hits] == [
        round(score, 9) for _docnum, score in expected
    ]


def large_document(rng, number):
    """A document of a few sentences of TEXTS; most mention 网格, lengths vary."""
    sentences = [body for _title, body in TEXTS]
    body = "".join(rng.choice(sentences) for _ in range(rng.randint(1, 4)))
    if rng.random() < 0.9:
        body += "网格巡查"
    key = f"y:{number}"
    return key, {
        "ix_key": key,
        "ix_pk": key,
        "ix_model": "home.standardpage",
        "title__t": rng.choice(TEXTS)[0],
        "body__t": body,
        "live__b": rng.random() < 0.8,
        "content_type_id__i": 10 + rng.randrange(3),
    }


def add_documents(store, rng, numbers):
    store.apply(dict(large_document(rng, number) for number in numbers))


@pytest.fixture(scope="module", params=["segments", "merged"])
def large_searcher(request, tmp_path_factory):
    """Posting lists longer than one block of postings, with deleted documents: in several
    segments, or in one merged segment (then more deletions and a new small segment)."""
    rng = random.Random(5)
    store = IndexStore(tmp_path_factory.mktemp(request.param) / "index")
    add_documents(store, rng, range(0, 1400))
    add_documents(store, rng, range(1400, 1700))
    store.apply({f"y:{number}": None for number in range(0, 1700, 9)})
    if request.param == "merged":
        store.optimize()
        store.apply({f"y:{number}": None for number in range(4, 1700, 23)})
        add_documents(store, rng, range(1700, 1760))
    with store.open().searcher() as searcher:
        yield searcher


def test_large_index_crosses_blocks_segments_and_deletions(large_searcher):
    """The set-up covers what it claims: a posting list longer than one block in one segment,
    deleted documents, and several segments or a merged one."""
    readers = [reader for reader, _offset in large_searcher.reader().leaf_readers()]
    longest = max(reader.doc_frequency("body__t", "网格") for reader in readers)
    assert longest > POSTINGS_BLOCK
    assert any(reader.has_deletions() for reader in readers)
    assert len(readers) >= 2


@pytest.mark.parametrize("query", QUERIES, ids=[repr(q)[:40] for q in QUERIES])
@pytest.mark.parametrize("filter_query", FILTERS[:4], ids=[repr(q)[:40] for q in FILTERS[:4]])
@pytest.mark.parametrize("limit", [10, None])
def test_ranker_matches_whoosh_on_a_large_index(large_searcher, query, filter_query, limit):
    """The same as Whoosh across blocks, segments, merges and deletions."""
    test_ranker_matches_whoosh(large_searcher, query, filter_query, limit)


def test_phrase_needs_consecutive_positions(searcher):
    """明 华 街 as a phrase matches only where the three characters stand side by side."""
    phrase = wq.Phrase("body__t", ["明", "华", "街"])
    hits, _total = Ranker(searcher).rank(phrase)
    found = {searcher.stored_fields(docnum)["ix_pk"] for docnum, _score in hits}
    assert {"x:5-0", "x:5-1", "x:5-2"} <= found
    assert not found & {"x:0-0", "x:3-0", "x:6-0"}


def test_position_keys_decode_varint_gaps():
    """Positions are read from varint gaps, including gaps of more than one byte."""
    from whoosh.formats import Positions

    encode = Positions().encode
    keys = _position_keys([3, 5], [encode([0, 2, 300]), encode([46, 20000])])
    assert keys.tolist() == [
        3 << 32,
        (3 << 32) | 2,
        (3 << 32) | 300,
        (5 << 32) | 46,
        (5 << 32) | 20000,
    ]


@pytest.mark.parametrize("filtered", [False, True])
def test_facet_counts_match_whoosh_groups(searcher, filtered):
    """Hits per value of a one-term-per-value field are Whoosh's grouped counts."""
    from whoosh import sorting

    query = wq.Or([wq.Term("title__t", "网格"), wq.Term("body__t", "居民")])
    filter_query = wq.Term("live__b", True) if filtered else None
    docs = set(searcher.docs_for_query(filter_query)) if filtered else None
    column = "content_type_id__i"
    results = searcher.search(
        query, limit=1, filter=docs, groupedby=sorting.FieldFacet(column), maptype=sorting.Count
    )
    assert Ranker(searcher).facet(query, filter_query, column) == dict(results.groups(column))
