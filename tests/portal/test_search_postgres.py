"""The PostgreSQL search backend: what it writes into the index table, and how it reads it.

What every backend must do (sub-words, pinyin, filters, highlighting…) is tested once per backend
in test_search_backend.py and tests/home/test_search_page.py; this module tests what only this
backend has. Tests that need the database skip on SQLite.
"""

import io
import re

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from modelsearch.conf import get_app_config
from modelsearch.query import And, Boost, Not, Or, Phrase, PlainText
from wagtail.models import Page

from home.models import StandardPage
from portal.search.postgres import PortalPostgresSearchBackend
from portal.search.postgres.documents import VectorBuilder, quote_lexeme
from portal.search.postgres.query import (
    EVERYTHING,
    NOTHING,
    TsQuery,
    combine_and,
    combine_or,
    negate,
)


def entries():
    return get_app_config().get_model("IndexEntry").objects.all()


def lexemes(vector):
    """{lexeme: [positions]} of a tsvector as PostgreSQL prints it."""
    found = {}
    for lexeme, positions in re.findall(r"'((?:[^']|'')*)'(?::([0-9A-D,]+))?", vector):
        found[lexeme.replace("''", "'")] = [
            int(re.sub(r"[A-D]", "", p)) for p in positions.split(",") if p
        ]
    return found


# Writing lexemes (no database) ---------------------------------------------------------------


def test_pieces_share_their_words_position():
    """核酸检测安排 is cut into words; a long word's pieces stand at the word's own position."""
    builder = VectorBuilder()
    builder.add_text("网格化管理，核酸", "A")
    found = lexemes(builder.literal())
    assert found["网格化"] == found["网格"] == found["格化"] == [1]
    assert found["管理"] == [2]
    assert found["核酸"] == [3]


def test_fields_are_kept_apart_and_pinyin_is_marked():
    """A phrase never joins two fields; pinyin lexemes carry a mark of their own."""
    builder = VectorBuilder()
    builder.add_text("核酸", "A")
    builder.add_text("检测", "D")
    builder.add_pinyin(["hesuan", "hs"])
    found = lexemes(builder.literal())
    assert found["检测"][0] - found["核酸"][0] == 2
    assert "^hesuan" in found and "^hs" in found and "hesuan" not in found
    assert "'核酸':1A" in builder.literal()


def test_lexemes_are_quoted():
    """Quotes and backslashes cannot end a lexeme early."""
    assert quote_lexeme("it's") == "'it''s'"
    assert quote_lexeme("a\\b") == "'a\\\\b'"


def test_nothing_and_everything_combine_as_sets():
    """A part that matches nothing (only stop words) or everything combines as an empty or a
    full set would."""
    assert combine_and(["'a'", NOTHING]) == NOTHING
    assert combine_and(["'a'", EVERYTHING]) == "'a'"
    assert combine_or(["'a'", NOTHING]) == "'a'"
    assert combine_or(["'a'", EVERYTHING]) == EVERYTHING
    assert negate(NOTHING) == EVERYTHING
    assert combine_and(["'a'", "'b' | 'c'"]) == "'a' & ('b' | 'c')"


# The index table -----------------------------------------------------------------------------


@pytest.fixture
def pg_index(home_page, settings, db):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL search needs a PostgreSQL database (DATABASE_URL=postgres://…)")
    settings.WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "portal.search.postgres"}}
    from modelsearch.backends import get_search_backend

    backend = get_search_backend()
    assert isinstance(backend, PortalPostgresSearchBackend)
    backend.rebuild()
    return backend


def add_page(parent, slug, title, introduction=""):
    page = StandardPage(title=title, slug=slug, introduction=introduction)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def entry_of(page):
    from django.contrib.contenttypes.models import ContentType

    content_type = ContentType.objects.get_for_model(page.specific_class)
    return entries().get(object_id=str(page.pk), content_type=content_type)


def titles(results):
    return [page.title for page in results]


def test_a_save_writes_jieba_words_and_pinyin(pg_index, home_page):
    """A published page's entry holds its words, their pieces and its title's pinyin."""
    page = add_page(home_page, "test", "核酸检测安排", "请携带身份证。")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT body::text, title::text FROM wagtailsearch_indexentry WHERE id = %s",
            [entry_of(page).pk],
        )
        body, title = cursor.fetchone()
    body, title = lexemes(body), lexemes(title)
    assert {"核酸", "检测", "安排", "身份证", "身份", "^hesuan", "^hs", "^hsjcap"} <= set(body)
    assert "身份证" not in title and "核酸" in title


def test_a_rolled_back_save_leaves_no_entry(pg_index, home_page):
    """The entry is written in the save's own transaction, and rolled back with it."""
    page = add_page(home_page, "phone", "网格员联系电话", "工作电话")
    with pytest.raises(RuntimeError), transaction.atomic():
        page.introduction = "绝密草稿内容"
        page.save()
        raise RuntimeError("rolled back")
    assert titles(Page.objects.search("绝密")) == []
    assert not entries().filter(body=TsQuery("'绝密'")).exists()


def test_delete_removes_the_entry(pg_index, home_page):
    """Deleting a page deletes its entry."""
    page = add_page(home_page, "test", "核酸检测安排")
    pk, content_type = page.pk, page.content_type
    assert entries().filter(content_type=content_type, object_id=str(pk)).exists()
    page.delete()
    # (object ids are per model: a snippet may hold the same id)
    assert not entries().filter(content_type=content_type, object_id=str(pk)).exists()
    assert titles(Page.objects.search("核酸")) == []


def test_count_and_first_pages_take_one_ranking_query(pg_index, home_page, settings):
    """count() ranks the first hits with the total in one query (after asking the planner how
    broad the query is); each page then loads only its own rows."""
    for number in range(25):
        add_page(home_page, f"n{number}", f"社区通知第{number}号", "社区通知")
    options = {"BROAD_SHARE": 2.0}  # through the GIN index, whatever the statistics say
    settings.WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "portal.search.postgres", **options}}
    results = Page.objects.live().search("通知")
    with CaptureQueriesContext(connection) as queries:
        assert results.count() == 25
    sql = [q["sql"] for q in queries if "portal_dataversion" not in q["sql"]]
    # (the grids' place names, read once for the query's analysis, are not the index's queries)
    index = [text for text in sql if "wagtailsearch_indexentry" in text]
    ranking = [text for text in index if not text.startswith("EXPLAIN")]
    assert len(ranking) == 1 and "OVER ()" in ranking[0] and "ts_rank" in ranking[0]
    assert not results.count_is_estimate
    with CaptureQueriesContext(connection) as queries:
        second = list(results[10:20])
    sql = [q["sql"] for q in queries if "portal_dataversion" not in q["sql"]]
    assert len(sql) == 1 and "ts_rank" not in sql[0]
    assert len(second) == 10
    assert list(results[20:30])[-1].title in {f"社区通知第{n}号" for n in range(25)}


@pytest.mark.parametrize("broad_share", [0.0, 2.0], ids=["by-key", "by-gin-index"])
def test_a_broad_query_ranks_its_newest_matches(pg_index, home_page, settings, broad_share):
    """Past CANDIDATES matches, the newest CANDIDATES are ranked and the count says "at
    least"; found through the GIN index or, for a word the planner expects in most entries, by
    walking the newest objects: the same hits either way."""
    pages = [add_page(home_page, f"n{n}", f"社区通知第{n}号", "社区通知") for n in range(8)]
    add_page(home_page, "other", "停水公告", "希望街")
    options = {"CANDIDATES": 5, "BROAD_SHARE": broad_share}
    settings.WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "portal.search.postgres", **options}}
    results = Page.objects.live().search("通知")
    assert results.count() == 5
    assert results.count_is_estimate
    assert {page.pk for page in results} == {page.pk for page in pages[-5:]}
    narrow = Page.objects.live().search("停水")
    assert narrow.count() == 1 and not narrow.count_is_estimate


def test_title_field_search_and_boolean_queries(pg_index, home_page):
    """fields=["title"] looks in titles only; And, Or, Not, Boost and Phrase combine."""
    add_page(home_page, "test", "核酸检测安排", "携带身份证")
    add_page(home_page, "fire", "冬季防火检查通知", "核酸证明不需要")
    live = Page.objects.live()
    assert titles(live.search("核酸", fields=["title"])) == ["核酸检测安排"]
    assert set(titles(live.search("核酸"))) == {"核酸检测安排", "冬季防火检查通知"}
    assert titles(live.search(And([PlainText("核酸"), Not(PlainText("防火"))]))) == ["核酸检测安排"]
    both = live.search(Or([Boost(PlainText("防火"), 10), PlainText("身份证")]))
    assert titles(both)[0] == "冬季防火检查通知"
    assert titles(live.search(Phrase("核酸证明"))) == ["冬季防火检查通知"]
    assert titles(live.search("的")) == []  # only a stop word: nothing, not everything


def test_rebuild_restores_missing_and_drops_stale_entries(pg_index, home_page):
    """update_index writes every page again and drops entries whose object is gone."""
    page = add_page(home_page, "test", "核酸检测安排")
    entry_of(page).delete()
    stale = entry_of(home_page)
    stale.pk = None
    stale.object_id = "999999"
    stale.save()
    out = io.StringIO()
    call_command("update_index", stdout=out)
    assert "[##############################] 100%" in out.getvalue()
    assert titles(Page.objects.search("核酸")) == ["核酸检测安排"]
    assert not entries().filter(object_id="999999").exists()


def test_health_check_reads_the_index_table(pg_index):
    """The health check passes while the table can be read."""
    from portal.search.health import check_search_index

    check_search_index()


def test_ranking_puts_title_matches_first(pg_index, home_page):
    """A page with the word in its title ranks above pages with it only in the text."""
    add_page(home_page, "a", "社区活动安排", "低保申请材料请交到社区。")
    add_page(home_page, "b", "低保申请指南", "社区服务中心办理。")
    add_page(home_page, "c", "停水通知", "低保户可领取饮用水。")
    assert titles(Page.objects.live().search("低保"))[0] == "低保申请指南"


def test_autocomplete_in_the_middle_of_a_word(pg_index, home_page):
    """The last word may be unfinished, in Chinese and in pinyin; earlier words are whole."""
    add_page(home_page, "test", "核酸检测安排")
    add_page(home_page, "plan", "网格化管理工作实施方案")
    standard = StandardPage.objects.live()
    assert titles(standard.autocomplete("核")) == ["核酸检测安排"]
    assert titles(standard.autocomplete("网格化管")) == ["网格化管理工作实施方案"]
    assert titles(standard.autocomplete("hesuanj")) == ["核酸检测安排"]
    assert titles(standard.autocomplete("管 网格化")) == []
