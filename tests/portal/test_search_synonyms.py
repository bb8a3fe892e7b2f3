"""Synonyms editors keep (portal.SearchSynonym) expand search queries at query time."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail.models import Page

from home.models import StandardPage
from portal import roles, versions
from portal.models import SearchSynonym
from portal.search.analysis import query_units
from portal.search.synonyms import expand_units

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages(home_page, search_index, django_capture_on_commit_callbacks):
    """A publicity titled with the long form, and two pages with neither word."""
    made = {}
    with django_capture_on_commit_callbacks(execute=True):
        for slug, title in [
            ("dibao", "2026年第一季度最低生活保障审批结果公示"),
            ("housing", "公租房申请指南"),
            ("fire", "冬季防火检查通知"),
        ]:
            page = StandardPage(title=title, slug=slug)
            home_page.add_child(instance=page)
            page.save_revision().publish()
            made[slug] = page
    return made


def titles(query, **kwargs):
    return [page.title for page in Page.objects.live().specific().search(query, **kwargs)]


def test_the_search_box_example_finds_the_long_form(client, pages):
    """低保公示, the search box's own example, finds the 最低生活保障 publicity (a synonym group
    a new site starts with)."""
    assert titles("低保公示", operator="and") == ["2026年第一季度最低生活保障审批结果公示"]
    response = client.get(reverse("search"), {"q": "低保公示"})
    html = response.content.decode()
    assert 'href="/dibao/"' in html
    assert "<mark>最低生活保障</mark>" in response.content.decode()


def test_without_the_group_the_long_form_is_not_found(pages):
    SearchSynonym.objects.filter(words__contains="低保").delete()
    assert titles("低保公示", operator="and") == []


def test_a_group_added_in_the_admin_is_used_at_once(pages):
    """No reindexing: the next query reads the new list (its version was raised)."""
    assert titles("廉租房") == []
    before = versions.current(versions.SEARCH_SYNONYMS)
    SearchSynonym.objects.create(words="廉租房 公租房")
    assert versions.current(versions.SEARCH_SYNONYMS) > before
    assert titles("廉租房") == ["公租房申请指南"]
    # Both ways round, and a group's words never match other pages.
    assert titles("公租房") == ["公租房申请指南"]
    assert "冬季防火检查通知" not in titles("廉租房", operator="or")


def test_expansion_matches_whole_query_units_longest_first():
    groups = [["低保", "最低生活保障"], ["生活", "日常"]]
    units = expand_units(query_units("最低生活保障公示"), groups)
    assert units[0] == ("any", [["低保"], ["最低", "生活", "保障"]])
    assert units[1] == ("term", ["公示"])
    # A synonym never splits a phrase unit (a run of single characters).
    assert expand_units([("phrase", ["明", "华"])], [["明", "光明"]]) == [("phrase", ["明", "华"])]


def test_a_group_needs_two_words():
    group = SearchSynonym(words="低保")
    with pytest.raises(ValidationError):
        group.full_clean()
    group = SearchSynonym(words="公租房，廉租房、 公租房 ")
    group.full_clean()
    assert group.words == "公租房 廉租房"


def test_editors_keep_the_synonyms_in_the_admin(client, editor):
    """The snippet's add form works for an editor, and saving it adds the group."""
    assert editor.has_perm("portal.add_searchsynonym")
    client.force_login(editor)
    url = reverse("wagtailsnippets_portal_searchsynonym:add")
    assert client.get(url).status_code == 200
    response = client.post(url, {"words": "养老 敬老"})
    assert response.status_code == 302
    assert SearchSynonym.objects.filter(words="养老 敬老").exists()


def test_grid_workers_cannot_edit_synonyms(make_user):
    assert not make_user("w", roles.GRID_WORKERS).has_perm("portal.add_searchsynonym")
