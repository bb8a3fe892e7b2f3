"""Every public form sent back with a mistake opens on an error summary: first in the form,
focused as the page loads (tabindex="-1" and autofocus, so without JavaScript too), its message a
link to a field that is on the page, and the page's title starting with "错误：".
(The feedback form itself: tests/e2e/test_feedback.py, in a browser on a phone.)"""

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from feedback.enums import CaseState
from feedback.models import Feedback

pytestmark = pytest.mark.django_db


def assert_error_summary(response, message):
    assert response.status_code == 400
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    assert soup.title.get_text().startswith("错误：")
    summaries = soup.select("[data-error-summary]")
    assert len(summaries) == 1
    summary = summaries[0]
    assert summary["tabindex"] == "-1" and summary.has_attr("autofocus")
    assert len(soup.select("[autofocus]")) == 1
    link = summary.select_one("a[href^='#']")
    assert message in link.get_text()
    field = soup.find(id=link["href"][1:])
    assert field is not None and field.name in ("input", "select", "textarea")
    # The summary comes before the field it names.
    assert str(soup).index("data-error-summary") < str(soup).index(f'id="{field["id"]}"')
    return field


def test_tracking_form(case_world, client):
    response = client.post("/feedback/track/", {"code": "XXXXYYYYZZZZ"})
    field = assert_error_summary(response, "没有找到")
    assert field["id"] == "track-code"
    assert "track-error" in field["aria-describedby"]


def test_rating_form(case_world, client):
    case = case_world.case()
    Feedback.objects.filter(pk=case.pk).update(state=CaseState.CLOSED, closed_at=timezone.now())
    response = client.post(f"/feedback/track/{case.tracking_code}/rate/", {"comment": "x"})
    field = assert_error_summary(response, "请选择")
    assert field["name"] == "level"


def test_grid_survey_form(case_world, client):
    response = client.post(f"/feedback/survey/{case_world.grid_a1.pk}/", {"level": "9"})
    field = assert_error_summary(response, "")
    assert field["name"] == "level"


def test_lookup_form(client):
    response = client.get("/grids/lookup/", {"lat": "x", "lng": "y"})
    field = assert_error_summary(response, "必须是数字")
    assert field["id"] == "lookup-q" and "lookup-error" in field["aria-describedby"]


def test_a_page_without_mistakes_has_no_summary(case_world, client):
    html = client.get("/feedback/track/").content.decode()
    assert "data-error-summary" not in html and "autofocus" not in html
    assert "<title>错误" not in html
