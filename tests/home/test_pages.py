"""The home page, standard pages, the 404 page and the page tree rules."""

import pytest
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from feedback.models import FeedbackFormPage
from grids.models import AreaPage, GridPage
from home.models import HomePage, StandardPage
from notices.models import ApprovalIndexPage, ApprovalOutcomePage, NoticeIndexPage, NoticePage

pytestmark = pytest.mark.django_db


def test_home_page_comes_from_the_migration(site):
    """The default site's root is the portal's HomePage."""
    assert isinstance(site.root_page.specific, HomePage)
    assert site.is_default_site


def test_home_page_frame(client):
    """The frame has lang, a skip link to main, the search box, the switches and the footer."""
    html = client.get("/").content.decode()
    assert '<html lang="zh-Hans"' in html
    assert '<a class="skip-link" href="#main">跳到主要内容</a>' in html
    assert '<main id="main"' in html
    assert 'action="/search/"' in html
    assert 'href="/care-mode/?on=1&amp;next=%2F"' in html
    assert 'href="/lang/en/?next=%2F"' in html
    assert '<footer class="site-footer">' in html


def test_no_request_leaves_the_site(client):
    """Pages load nothing from another host: no CDN, fonts, analytics or tiles."""
    html = client.get("/").content.decode()
    for marker in ('src="http', "src='http", 'href="//', "@import url(http", "fonts.googleapis"):
        assert marker not in html
    assert '<link rel="stylesheet" href="http' not in html


def test_branded_404(client):
    """An unknown address shows the portal's own 404 page with a way on."""
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "页面不存在" in html
    assert 'href="/search/"' in html


def test_branded_500_page_needs_no_context(rf):
    """The 500 page renders from a static template (no database, no context)."""
    from portal.views import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "服务暂时不可用" in response.content.decode()


def test_standard_page_renders(client, home_page):
    """A published standard page shows its title and introduction."""
    page = StandardPage(title="关于社区", slug="about", introduction="社区简介")
    home_page.add_child(instance=page)
    page.save_revision().publish()
    html = client.get("/about/").content.decode()
    assert "<h1>关于社区</h1>" in html
    assert "社区简介" in html


def test_menu_lists_pages_shown_in_menus(client, home_page):
    """Pages marked "show in menus" appear in the main navigation."""
    page = StandardPage(title="办事指南", slug="guide", show_in_menus=True)
    home_page.add_child(instance=page)
    page.save_revision().publish()
    html = client.get("/").content.decode()
    assert '<nav class="main-menu"' in html
    assert 'href="/guide/"' in html


def test_search_page_finds_a_page(
    client, home_page, search_index, django_capture_on_commit_callbacks
):
    """The header search box leads to /search/, which lists matching live pages."""
    page = StandardPage(title="办事指南", slug="guide")
    with django_capture_on_commit_callbacks(execute=True):
        home_page.add_child(instance=page)
        page.save_revision().publish()
    html = client.get("/search/?q=办事指南").content.decode()
    assert 'href="/guide/"' in html


class PageTreeTests(WagtailPageTestCase):
    """The page tree allows one home page at the top and standard pages under it."""

    def test_tree_rules(self):
        self.assertCanCreateAt(HomePage, StandardPage)
        self.assertCanCreateAt(StandardPage, StandardPage)
        self.assertCanNotCreateAt(Page, StandardPage)
        self.assertCanNotCreateAt(StandardPage, HomePage)

    def test_home_page_lists_every_page_type_under_it(self):
        """The home page holds standard pages and each app's top page, and nothing else."""
        self.assertAllowedSubpageTypes(
            HomePage,
            {StandardPage, AreaPage, NoticeIndexPage, ApprovalIndexPage, FeedbackFormPage},
        )

    def test_each_page_type_has_the_parents_it_had(self):
        """The lower apps' pages sit where they did when they named the home page themselves."""
        self.assertAllowedParentPageTypes(HomePage, {Page})
        self.assertAllowedParentPageTypes(StandardPage, {HomePage, StandardPage})
        self.assertAllowedParentPageTypes(AreaPage, {HomePage, AreaPage})
        self.assertAllowedParentPageTypes(GridPage, {AreaPage})
        self.assertAllowedParentPageTypes(NoticeIndexPage, {HomePage})
        self.assertAllowedParentPageTypes(NoticePage, {NoticeIndexPage})
        self.assertAllowedParentPageTypes(ApprovalIndexPage, {HomePage})
        self.assertAllowedParentPageTypes(ApprovalOutcomePage, {ApprovalIndexPage})
        self.assertAllowedParentPageTypes(FeedbackFormPage, {HomePage})

    def test_no_app_page_can_be_created_at_the_tree_root(self):
        """Only the home page goes directly under the root; the apps' pages need a site."""
        for model in (StandardPage, AreaPage, NoticeIndexPage, ApprovalIndexPage, FeedbackFormPage):
            self.assertCanNotCreateAt(Page, model)
        self.assertCanCreateAt(HomePage, AreaPage)
        self.assertCanCreateAt(AreaPage, AreaPage)
        self.assertCanCreateAt(HomePage, NoticeIndexPage)
        self.assertCanCreateAt(HomePage, FeedbackFormPage)

    def test_lower_apps_name_no_home_page_type(self):
        """grids, notices and feedback page types do not name a home page type as parent."""
        from wagtail.models import get_page_models

        for model in get_page_models():
            if model._meta.app_label in {"grids", "notices", "feedback"}:
                named = getattr(model, "parent_page_types", None) or []
                assert not [label for label in named if label.startswith("home.")], model
