"""City scale in a real browser: the narrowed form, statistics and area map are accessible, and
the form's community step works by keyboard without JavaScript."""

import pytest

from feedback.factories import FeedbackFormPageFactory
from grids.citygen import CityShape, features
from grids.enums import COMMUNITY_LEVELS
from grids.importer import apply_plan, make_plan
from grids.models import AreaPage, GridPage


@pytest.fixture
def city(db, home_page):
    """A subdistrict of 3 communities × 12 grids, and the feedback form."""
    apply_plan(make_plan(features(CityShape(1, 3, 12))))
    page = FeedbackFormPageFactory.build(slug="feedback", title="我要反映")
    home_page.add_child(instance=page)
    page.save_revision().publish()
    return list(AreaPage.objects.filter(level__in=COMMUNITY_LEVELS).order_by("code"))


def urls(city):
    return {
        "form": "/feedback/",
        "form, community": f"/feedback/?community={city[1].pk}",
        "statistics": "/statistics/",
        "statistics, community": f"/statistics/?community={city[1].pk}",
        "subdistrict": AreaPage.objects.get(code="110199001").url,
    }


@pytest.mark.parametrize("mode", ["normal", "care"])
@pytest.mark.parametrize(
    "which", ["form", "form, community", "statistics", "statistics, community", "subdistrict"]
)
def test_city_pages_have_no_wcag_violations(page, axe, care_mode, city, which, mode):
    """axe finds no WCAG 2.1 A/AA violation on the narrowed pages."""
    if mode == "care":
        care_mode()
    page.goto(urls(city)[which])
    axe(page)


def test_community_step_works_by_keyboard_without_javascript(new_context, city):
    """Without JavaScript: choose a community, press the button from the keyboard, and the grid
    list holds that community's grids."""
    page = new_context(java_script_enabled=False).new_page()
    page.goto("/feedback/")
    page.get_by_label("所在社区").select_option(str(city[2].pk))
    page.get_by_role("button", name="列出网格").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/feedback/?community={city[2].pk}*")
    codes = page.locator("#id_grid option").all_inner_texts()
    expected = GridPage.objects.descendant_of(city[2]).values_list("code", flat=True)
    assert sum(1 for text in codes if any(f"（{c}）" in text for c in expected)) == 12
