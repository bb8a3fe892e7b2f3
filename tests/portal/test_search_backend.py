"""The Whoosh + jieba search backend on a small Chinese corpus."""

import datetime
import multiprocessing
import re
import time

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from modelsearch.query import Phrase
from wagtail.models import Page, PageViewRestriction

from home.models import StandardPage
from portal.search import analysis
from portal.search.backend import IndexUnavailable
from portal.search.backend.store import IndexStore, drop_searchers, get_searcher
from portal.search.highlight import mark, snippet
from tests.conftest import search_backends

CORPUS = [
    (
        "plan",
        "网格化管理工作实施方案",
        "明华社区推进网格化服务管理，明确每个网格的责任人和工作职责。",
    ),
    ("test", "核酸检测安排", "本周六上午在社区服务中心广场开展核酸检测，请携带身份证。"),
    ("letter", "致全体居民的一封信", "冬季用火用电增多，请大家注意防火安全，不私拉电线。"),
    ("dibao", "低保公示", "2026年第一季度最低生活保障审批结果公示，公示期七个工作日。"),
    ("phone", "网格员联系电话", "第一网格网格员王红，工作电话010-6543 2101。"),
    ("fire", "冬季防火检查通知", "物业和网格员将对各楼栋开展消防安全检查。"),
]


@pytest.fixture
def publish(django_capture_on_commit_callbacks):
    """Publish (or save) inside a transaction and run its commit callbacks, as a request would."""

    def run(action):
        with django_capture_on_commit_callbacks(execute=True):
            return action()

    return run


def add_page(parent, slug, title, introduction="", live=True, **fields):
    page = StandardPage(title=title, slug=slug, introduction=introduction, **fields)
    parent.add_child(instance=page)
    if live:
        page.save_revision().publish()
    else:
        page.live = False
        page.save_revision()
        page.save()
    return page


@pytest.fixture
def corpus(home_page, search_index, publish):
    pages = {}
    for slug, title, introduction in CORPUS:
        pages[slug] = publish(lambda s=slug, t=title, i=introduction: add_page(home_page, s, t, i))
    return pages


def titles(results):
    return [page.title for page in results]


def live_search(query, **kwargs):
    return Page.objects.live().specific().search(query, **kwargs)


@search_backends
def test_sub_words_are_found(corpus):
    """网格 finds 网格化管理工作实施方案 and 核酸 finds 核酸检测安排."""
    assert "网格化管理工作实施方案" in titles(live_search("网格"))
    assert titles(live_search("核酸")) == ["核酸检测安排"]
    assert "网格化管理工作实施方案" in titles(live_search("实施方案"))


@search_backends
def test_place_and_domain_words(corpus):
    """Words people type — 一封信, 低保, 网格员 — find their page first."""
    assert titles(live_search("一封信"))[0] == "致全体居民的一封信"
    assert titles(live_search("低保"))[0] == "低保公示"
    assert titles(live_search("网格员电话", operator="and")) == ["网格员联系电话"]


@search_backends
def test_and_or_operators(corpus):
    """With "and" every word must occur; with "or" any of them."""
    assert titles(live_search("核酸 防火", operator="and")) == []
    assert set(titles(live_search("核酸 防火", operator="or"))) == {
        "核酸检测安排",
        "致全体居民的一封信",
        "冬季防火检查通知",
    }


@search_backends
def test_phrase_query(corpus):
    """A phrase matches the words side by side and in order only."""
    assert titles(live_search(Phrase("防火检查"))) == ["冬季防火检查通知"]
    assert titles(live_search(Phrase("检查防火"))) == []


@search_backends
def test_latin_text_is_lower_cased(home_page, search_index, publish):
    """Latin words are matched without regard to case, inside Chinese text too."""
    publish(lambda: add_page(home_page, "wifi", "社区Wi-Fi开通", "免费WIFI覆盖广场"))
    assert titles(live_search("wifi")) == ["社区Wi-Fi开通"]


@search_backends
def test_live_filter_and_drafts(corpus, home_page, publish):
    """A draft is indexed for the admin but a live() search never returns it."""
    publish(lambda: add_page(home_page, "draft", "核酸采样点调整", "草稿", live=False))
    assert titles(live_search("核酸")) == ["核酸检测安排"]
    assert set(titles(Page.objects.search("核酸"))) == {"核酸检测安排", "核酸采样点调整"}


@search_backends
def test_descendant_of_and_content_type_filters(corpus, home_page, publish):
    """descendant_of and type filters are applied in the index."""
    section = corpus["plan"]
    publish(lambda: add_page(section, "grid-detail", "第三网格工作细则", "网格巡查"))
    inside = Page.objects.live().descendant_of(section).search("网格")
    assert titles(inside) == ["第三网格工作细则"]
    typed = Page.objects.live().type(StandardPage).search("网格")
    assert "第三网格工作细则" in titles(typed)
    assert titles(Page.objects.live().not_type(StandardPage).search("网格化")) == [
        "网格化服务管理门户"
    ]


@search_backends
def test_private_pages_are_filtered_by_public(corpus):
    """public() excludes a page under a view restriction and its children."""
    PageViewRestriction.objects.create(page=corpus["test"], restriction_type="login")
    assert titles(Page.objects.live().public().search("核酸")) == []


@search_backends
def test_date_filters(corpus):
    """Range lookups on dates are answered by the index."""
    cutoff = timezone.now() - datetime.timedelta(days=1)
    assert len(Page.objects.live().filter(first_published_at__gte=cutoff).search("网格")) == 3
    assert len(Page.objects.live().filter(first_published_at__lt=cutoff).search("网格")) == 0


@search_backends
def test_field_ordering(corpus, publish):
    """Without relevance, results follow the queryset's order."""
    corpus["fire"].first_published_at = timezone.now() - datetime.timedelta(days=30)
    publish(lambda: corpus["fire"].save())
    newest_first = Page.objects.live().order_by("-first_published_at")
    found = titles(newest_first.search("网格员", order_by_relevance=False))
    assert found == ["网格员联系电话", "冬季防火检查通知"]
    oldest_first = Page.objects.live().order_by("first_published_at")
    assert titles(oldest_first.search("网格员", order_by_relevance=False)) == found[::-1]


@search_backends
def test_pagination_loads_only_the_requested_page(home_page, search_index, publish):
    """A slice ranks in the index and loads just its own rows from the database."""
    for number in range(25):
        publish(lambda n=number: add_page(home_page, f"n{n}", f"社区通知第{n}号", "社区通知"))
    results = Page.objects.live().search("通知")
    assert results.count() == 25
    everything = list(results[:25])
    with CaptureQueriesContext(connection) as queries:
        second = list(results[10:20])
    assert second == everything[10:20]
    assert len(queries) == 1
    loaded = re.search(r"IN \(([^)]*)\)", queries[0]["sql"]).group(1)
    assert len(loaded.split(",")) == 10
    assert len(list(results[20:30])) == 5


@search_backends
def test_autocomplete(corpus):
    """The last word may be unfinished: 核 and 网格化管 complete to their titles."""
    assert titles(StandardPage.objects.live().autocomplete("核")) == ["核酸检测安排"]
    assert titles(StandardPage.objects.live().autocomplete("网格化管")) == [
        "网格化管理工作实施方案"
    ]


@search_backends
def test_pinyin_of_titles(corpus):
    """hesuan, hs and the start of a title's pinyin find 核酸检测安排."""
    assert titles(live_search("hesuan")) == ["核酸检测安排"]
    assert titles(live_search("hs")) == ["核酸检测安排"]
    assert titles(live_search("hesuanjiance")) == ["核酸检测安排"]
    assert titles(StandardPage.objects.live().autocomplete("dibaog")) == ["低保公示"]


@search_backends
def test_highlighting(corpus):
    """Snippets mark the query words (and the words containing them), escaping the rest."""
    results = live_search("核酸 身份证", operator="and")
    words = results.highlight_words()
    text = results[0].introduction
    assert "<mark>核酸</mark>" in snippet(text, words=words)
    assert "<mark>身份证</mark>" in snippet(text, words=words)
    assert str(mark("<b>网格化</b>", query="网格")) == "&lt;b&gt;<mark>网格</mark>化&lt;/b&gt;"
    long_text = "无关内容。" * 60 + "核酸检测" + "其他内容。" * 60
    short = str(snippet(long_text, query="核酸", size=40))
    assert short.startswith("…") and short.endswith("…") and "<mark>核酸</mark>" in short


def test_delete_removes_the_document(corpus, publish):
    """Deleting a page removes it from the index."""
    backend = corpus["test"]
    before = get_searcher(backend_store()).doc_count()
    publish(lambda: backend.delete())
    assert titles(Page.objects.search("核酸")) == []
    assert get_searcher(backend_store()).doc_count() == before - 1


@search_backends
def test_unpublish_removes_the_page_from_live_results(corpus, publish):
    """Unpublishing makes a page disappear from live searches at once."""
    publish(lambda: corpus["dibao"].unpublish())
    assert titles(live_search("低保")) == []


def test_index_waits_for_the_commit(corpus, django_capture_on_commit_callbacks):
    """A save is indexed when its transaction commits, not before."""
    page = corpus["letter"]
    with django_capture_on_commit_callbacks(execute=True):
        page.title = "致全体居民的一封信（更新）"
        page.introduction = "春节期间烟花爆竹燃放须知。"
        page.save_revision().publish()
        assert titles(live_search("烟花爆竹")) == []
    assert titles(live_search("烟花爆竹")) == ["致全体居民的一封信（更新）"]


def test_rolled_back_save_is_never_indexed(corpus, django_capture_on_commit_callbacks):
    """A save whose transaction rolls back never reaches the index."""
    page = corpus["phone"]
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            page.introduction = "绝密草稿内容"
            page.save()
            raise RuntimeError("rolled back")
        corpus["plan"].save()  # a later commit in the same request must not carry it either
    assert titles(Page.objects.search("绝密")) == []
    assert "绝密" not in {
        t.decode() for t in get_searcher(backend_store()).lexicon("introduction__t")
    }


def backend_store():
    from modelsearch.backends import get_search_backend

    return get_search_backend().get_store()


def _write_documents(path, prefix, count):
    store = IndexStore(path, lock_timeout=30)
    for number in range(count):
        key = f"test.doc:{prefix}{number}"
        store.apply({key: {"ix_key": key, "ix_pk": f"{prefix}{number}", "title__t": "并发写入"}})


def test_concurrent_writers_lose_nothing(tmp_path):
    """Two processes committing to the same index at once lose no document."""
    path = tmp_path / "index"
    IndexStore(path).create()
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=_write_documents, args=(path, prefix, 30)) for prefix in "ab"]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
    assert [worker.exitcode for worker in workers] == [0, 0]
    with IndexStore(path).open().searcher() as searcher:
        assert searcher.doc_count() == 60
        keys = {fields["ix_key"] for fields in searcher.all_stored_fields()}
    assert keys == {f"test.doc:{p}{n}" for p in "ab" for n in range(30)}


def test_searcher_is_reused_until_the_index_changes(corpus, home_page, publish):
    """Requests share one searcher; a commit makes the next request see a fresh one."""
    store = backend_store()
    first = get_searcher(store)
    assert get_searcher(store) is first
    publish(lambda: add_page(home_page, "new", "新增便民服务点", ""))
    fresh = get_searcher(store)
    assert fresh is not first
    assert titles(live_search("便民")) == ["新增便民服务点"]


def test_missing_index_raises_and_rebuild_restores_it(corpus, settings, tmp_path):
    """Searching a missing index raises IndexUnavailable; a rebuild brings every page back."""
    from modelsearch.backends import get_search_backend

    settings.PORTAL_SEARCH_INDEX_DIR = str(tmp_path / "elsewhere")
    drop_searchers()
    with pytest.raises(IndexUnavailable):
        list(live_search("核酸"))
    get_search_backend().rebuild()
    assert titles(live_search("核酸")) == ["核酸检测安排"]


def test_corrupt_index_is_detected_and_rebuilt(corpus):
    """A damaged segment is reported by the check and replaced by a rebuild."""
    from modelsearch.backends import get_search_backend

    store = backend_store()
    drop_searchers()
    for segment in store.path.glob("*.seg"):
        segment.write_bytes(b"broken")
    with pytest.raises(IndexUnavailable):
        store.check()
    get_search_backend().rebuild()
    assert store.check() >= len(CORPUS)
    assert titles(live_search("核酸")) == ["核酸检测安排"]


def test_rebuild_purges_documents_of_deleted_objects(corpus, search_index):
    """update_index leaves no document whose page is gone."""
    key = "wagtailcore.page:999999"
    backend_store().apply({key: {"ix_key": key, "ix_pk": "999999", "ix_model": "wagtailcore.page"}})
    search_index.rebuild()
    with backend_store().open().searcher() as searcher:
        keys = {fields["ix_key"] for fields in searcher.all_stored_fields()}
    assert key not in keys
    assert f"wagtailcore.page:{corpus['plan'].pk}" in keys


@search_backends
def test_word_sources_extend_the_dictionary(home_page, search_index, publish):
    """A registered word source (here: page titles) makes a place name one word."""
    assert analysis.segment("幸福里小区") != ["幸福里", "小区"]

    def page_titles():
        return StandardPage.objects.values_list("title", flat=True)

    analysis.register_word_source(page_titles, models=[StandardPage])
    try:
        publish(lambda: add_page(home_page, "xingfuli", "幸福里", "幸福里小区的网格"))
        assert analysis.segment("幸福里小区") == ["幸福里", "小区"]
        assert titles(live_search("幸福里")) == ["幸福里"]
    finally:
        analysis.unregister_word_source(page_titles)
    assert analysis.segment("幸福里小区") != ["幸福里", "小区"]


def test_a_new_word_reaches_every_process_at_its_next_request(db):
    """A word source's new word, announced by another process (its "search-words" version),
    cuts text as one word in this process's next request, with no wait for a poll."""
    from portal import versions

    words = []

    def source():
        return words

    analysis.register_word_source(source)
    try:
        with versions.remembered():
            assert analysis.segment("幸福里小区") != ["幸福里", "小区"]
        words.append("幸福里")  # another process's change, and the version it raised
        versions.bump("search-words")
        analysis._state["checked"] = time.monotonic()  # this process checked just now
        with versions.remembered():
            assert analysis.segment("幸福里小区") == ["幸福里", "小区"]
    finally:
        analysis.unregister_word_source(source)


def test_full_width_characters_are_folded():
    """Full-width letters and digits match their ASCII forms, keeping offsets."""
    assert analysis.segment("ＷｉＦｉ ３号楼") == ["wifi", "3", "号", "楼"]
    assert len(analysis.normalize("ＷｉＦｉ")) == 4


@search_backends
def test_subquery_filters(corpus):
    """A filter whose value is a subquery is run once and applied in the index."""
    chosen = StandardPage.objects.filter(title__startswith="核酸").values("pk")
    assert titles(Page.objects.live().filter(pk__in=chosen).search("安排 通知", operator="or")) == [
        "核酸检测安排"
    ]


@search_backends
def test_facet_counts_hits_per_type(corpus):
    """facet("content_type") counts the hits of each page type."""
    from django.contrib.contenttypes.models import ContentType

    from home.models import HomePage

    counts = Page.objects.live().search("网格").facet("content_type")
    assert counts == {
        ContentType.objects.get_for_model(StandardPage).pk: 3,
        ContentType.objects.get_for_model(HomePage).pk: 1,
    }


def test_writer_waits_for_a_held_lock(tmp_path):
    """A writer retries while another holds the lock, and gives up after the timeout."""
    import threading

    from portal.search.backend import IndexLocked

    path = tmp_path / "index"
    lock = IndexStore(path).create().lock("WRITELOCK")
    assert lock.acquire()
    threading.Timer(0.5, lock.release).start()
    IndexStore(path, lock_timeout=10).apply({"x:1": {"ix_key": "x:1", "ix_pk": "1"}})
    with IndexStore(path).open().searcher() as searcher:
        assert searcher.doc_count() == 1
    assert lock.acquire()
    try:
        with pytest.raises(IndexLocked):
            IndexStore(path, lock_timeout=0.3).apply({"x:2": {"ix_key": "x:2", "ix_pk": "2"}})
    finally:
        lock.release()


def test_phrase_positions_with_a_gap_of_46(tmp_path):
    """A word repeated 46 positions later still loads for phrase queries (whoosh-ng reads such
    values as pickles unless the index's own position format is used)."""
    from whoosh import query as wq

    store = IndexStore(tmp_path / "index")
    text = "核酸" + "，".join(["检查"] * 45) + "，核酸检测"
    store.apply({"x:1": {"ix_key": "x:1", "ix_pk": "1", "body__t": text}})
    with store.open().searcher() as searcher:
        found = searcher.search(wq.Phrase("body__t", ["核酸", "检测"]))
        assert [hit["ix_pk"] for hit in found] == ["1"]


def test_broad_queries_are_counted_exactly(home_page, search_index, publish, monkeypatch):
    """A count covers every hit, not only the ranked ones, and later slices rank further."""
    from portal.search.backend import results as results_module

    monkeypatch.setattr(results_module, "PREFETCH", 2)
    for number in range(25):
        publish(lambda n=number: add_page(home_page, f"b{n}", f"社区通知第{n}号", "社区通知"))
    results = Page.objects.live().search("通知")
    assert results.count() == 25
    assert not results.count_is_estimate
    assert len(list(results[:10])) == 10
    assert len(list(results[20:30])) == 5


def test_array_lengths_answer_as_whoosh_does(tmp_path):
    """The writer's per-field length tables give Whoosh's own per-posting answers."""
    from portal.search.backend.store import _ArrayLengths

    store = IndexStore(tmp_path / "index")
    store.apply(
        {
            f"x:{n}": {"ix_key": f"x:{n}", "ix_pk": str(n), "title__t": "网格" * n, "live__b": True}
            for n in range(1, 6)
        }
    )
    ix = store.open()
    reader = ix.reader()
    perdoc = reader._perdoc
    lengths = _ArrayLengths(perdoc)
    for docnum in range(reader.doc_count_all()):
        for fieldname in ("title__t", "live__b", "ix_key", "body__t"):
            expected = perdoc.doc_field_length(docnum, fieldname)
            assert lengths.doc_field_length(docnum, fieldname) == expected
    reader.close()


def test_accelerator_off_gives_whooshs_own_ranking(corpus, settings, monkeypatch):
    """PORTAL_SEARCH_ACCELERATOR off: Whoosh's collector ranks (the array ranker is not used)
    and the results are the same; on, the ranker answers."""
    from portal.search.backend.ranking import Ranker

    queries = [("网格 居民", "or"), ("网格", "and"), ("防火", "and"), ("wgy", "and")]
    accelerated = {(query, op): titles(live_search(query, operator=op)) for query, op in queries}
    assert accelerated[("网格 居民", "or")]

    def refuse(*args, **kwargs):
        raise AssertionError("the array ranker was used")

    monkeypatch.setattr(Ranker, "rank", refuse)
    with pytest.raises(AssertionError, match="array ranker"):
        list(live_search("网格"))
    settings.PORTAL_SEARCH_ACCELERATOR = False
    for (query, op), expected in accelerated.items():
        results = live_search(query, operator=op)
        assert titles(results) == expected
        assert results.count() == len(expected)
