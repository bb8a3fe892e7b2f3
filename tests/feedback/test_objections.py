"""Objections name a publicity batch: only a live publicity still in its period can be objected
to, and the publicity page's objection link is the feedback form page's own address."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from wagtail.models import Page

from feedback.factories import FeedbackFormPageFactory
from feedback.models import Feedback
from notices.factories import ApprovalOutcomePageFactory
from notices.models import ApprovalIndexPage

pytestmark = pytest.mark.django_db

REFUSED = "只能对公示期内的公示提出异议"


@pytest.fixture
def publicity_index():
    """The publicity index the migrations made."""
    return ApprovalIndexPage.objects.get(slug="publicity")


@pytest.fixture
def publicity(publicity_index):
    """A live publicity batch whose period runs from today."""
    return ApprovalOutcomePageFactory(parent=publicity_index, slug="dibao-4")


@pytest.fixture
def ended_publicity(publicity_index):
    """A live publicity batch whose period ended weeks ago (not yet unpublished)."""
    start = timezone.localdate() - dt.timedelta(days=40)
    return ApprovalOutcomePageFactory(parent=publicity_index, slug="dibao-1", publicity_start=start)


def objection_data(form_data, objection, publicity_pk):
    return form_data(
        category=str(objection.pk),
        publicity=str(publicity_pk),
        subject="对公示名单有异议",
        message="名单中第三户家庭有稳定收入，我写的这段话要保留",
    )


def test_objection_link_presets_category_and_records_publicity(
    client, form_data, objection, publicity
):
    """?publicity=<id> pre-selects the objection category; the case records the publicity."""
    html = client.get(f"/feedback/?publicity={publicity.pk}").content.decode()
    assert f'aria-describedby="category-note-{objection.pk}" checked' in html
    assert f'name="publicity" value="{publicity.pk}"' in html
    assert "您正在对这份公示提出异议" in html
    assert REFUSED not in html
    response = client.post("/feedback/", objection_data(form_data, objection, publicity.pk))
    assert response.status_code == 302
    assert Feedback.objects.get().publicity_id == publicity.pk


def test_objection_link_opens_the_new_route(client, form_data, objection, publicity):
    """/feedback/new/?category=objection&publicity=… opens the form and records the publicity."""
    response = client.get(f"/feedback/new/?category=objection&publicity={publicity.pk}")
    assert response.status_code == 200
    assert f'aria-describedby="category-note-{objection.pk}" checked' in response.content.decode()
    client.post("/feedback/new/", objection_data(form_data, objection, publicity.pk))
    assert Feedback.objects.get().publicity_id == publicity.pk


def test_publicity_is_dropped_for_other_categories(client, form_data, publicity):
    """A publicity id sent with a non-objection category is not recorded."""
    client.post("/feedback/", form_data(publicity=str(publicity.pk)))
    assert Feedback.objects.get().publicity is None


def test_link_naming_a_page_that_is_no_publicity_is_refused(client, form_data, objection):
    """?publicity=<the home page> says it cannot be objected to and attaches nothing."""
    form_data()
    home = Page.objects.get(slug="home")
    html = client.get(f"/feedback/?category=objection&publicity={home.pk}").content.decode()
    assert REFUSED in html
    assert "您正在对这份公示提出异议" not in html
    assert f'name="publicity" value="{home.pk}"' not in html


def test_link_naming_an_ended_publicity_is_refused(client, form_data, ended_publicity):
    """?publicity=<a batch whose period has ended> says so and attaches nothing."""
    form_data()
    html = client.get(f"/feedback/?publicity={ended_publicity.pk}").content.decode()
    assert REFUSED in html
    assert f'name="publicity" value="{ended_publicity.pk}"' not in html


def test_objection_to_a_page_that_is_no_publicity_is_refused_keeping_the_text(
    client, form_data, objection
):
    """A posted objection naming the home page is refused with a message; the resident's
    text is shown again and nothing is saved."""
    home = Page.objects.get(slug="home")
    response = client.post("/feedback/", objection_data(form_data, objection, home.pk))
    html = response.content.decode()
    assert response.status_code == 400
    assert REFUSED in html
    assert "我写的这段话要保留" in html
    assert not Feedback.objects.exists()


def test_objection_to_an_ended_publicity_is_refused_then_sent_without_it(
    client, form_data, objection, ended_publicity
):
    """A posted objection to an ended batch is refused; the form shown again no longer carries
    the batch, so sending it again saves the case without a publicity."""
    data = objection_data(form_data, objection, ended_publicity.pk)
    response = client.post("/feedback/", data)
    html = response.content.decode()
    assert response.status_code == 400
    assert REFUSED in html
    assert 'name="publicity"' not in html
    assert client.post("/feedback/", {**data, "publicity": ""}).status_code == 302
    assert Feedback.objects.get().publicity is None


def test_objection_to_an_unpublished_publicity_is_refused(client, form_data, objection, publicity):
    """A batch taken down (unpublished) can no longer be objected to."""
    publicity.unpublish()
    response = client.post("/feedback/", objection_data(form_data, objection, publicity.pk))
    assert response.status_code == 400
    assert REFUSED in response.content.decode()


@pytest.mark.parametrize("value", ["²", "9" * 30, "-3", "1e3"])
def test_made_up_publicity_values_are_refused(client, form_data, objection, value):
    """A publicity value that is no id at all is refused with the same message."""
    response = client.post("/feedback/", objection_data(form_data, objection, value))
    assert response.status_code == 400
    assert REFUSED in response.content.decode()


def test_a_case_can_only_name_a_publicity_batch(home_page, publicity):
    """The case's publicity field validates: the home page is refused, a batch is accepted."""
    field = Feedback._meta.get_field("publicity")
    with pytest.raises(ValidationError):
        field.validate(home_page.pk, Feedback())
    field.validate(publicity.pk, Feedback())


def test_objection_button_uses_the_form_pages_own_address(client, home_page, publicity):
    """The publicity page's objection button leads to wherever the feedback form page lives."""
    form_page = FeedbackFormPageFactory.build(slug="fankui", title="我要反映")
    home_page.add_child(instance=form_page)
    html = client.get(publicity.url).content.decode()
    assert f'href="/fankui/?category=objection&amp;publicity={publicity.pk}"' in html
    assert "/feedback/?" not in html


def test_no_objection_button_without_a_form_page(client, publicity):
    """Without a live feedback form page the publicity page shows no button leading nowhere."""
    html = client.get(publicity.url).content.decode()
    assert "category=objection" not in html
    assert publicity.objection_contact in html
