"""portal.page_tree.public: Wagtail's public pages, in one query."""

import pytest
from wagtail.models import Page, PageViewRestriction

from home.factories import StandardPageFactory
from portal.page_tree import public

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree(home_page):
    """A private section (with a page below it) beside an open one."""
    private = StandardPageFactory(parent=home_page, title="内部", slug="private")
    below = StandardPageFactory(parent=private, title="内部资料", slug="below")
    open_page = StandardPageFactory(parent=home_page, title="公开", slug="open")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    return private, below, open_page


def test_public_leaves_out_a_private_section_and_what_is_below_it(tree):
    """The restricted page and its child are left out; the open page and home stay."""
    private, below, open_page = tree
    kept = set(public(Page.objects.all()).values_list("pk", flat=True))
    assert open_page.pk in kept
    assert private.pk not in kept
    assert below.pk not in kept


def test_public_keeps_what_wagtails_public_keeps(tree):
    """The same pages as Wagtail's own `public()`."""
    ours = set(public(Page.objects.all()).values_list("pk", flat=True))
    assert ours == set(Page.objects.public().values_list("pk", flat=True))


def test_public_is_one_query(tree, django_assert_num_queries):
    """Listing the public pages takes one query, restrictions and all."""
    with django_assert_num_queries(1):
        list(public(Page.objects.all()))
