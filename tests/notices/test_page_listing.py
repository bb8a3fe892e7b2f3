"""通知列表: every notice page in one admin listing, filtered by category and urgency, within
Wagtail's page permissions."""

import pytest
from django.contrib.auth.models import Group, Permission
from wagtail.models import GroupPagePermission

from notices.enums import Urgency
from notices.factories import NoticeIndexPageFactory, NoticePageFactory
from notices.models import NoticeCategory

pytestmark = pytest.mark.django_db


@pytest.fixture
def notices(notice_index, home_page):
    """Three notices in the notice index (one urgent, one of another category) and one in a
    second index."""
    other = NoticeCategory.objects.exclude(slug="notice").first()
    second = NoticeIndexPageFactory(parent=home_page, slug="more", title="更多通知")
    return {
        "plain": NoticePageFactory(parent=notice_index, title="普通通知甲"),
        "urgent": NoticePageFactory(
            parent=notice_index, title="紧急通知乙", urgency=Urgency.URGENT
        ),
        "other": NoticePageFactory(parent=notice_index, title="其他类别丙", category=other),
        "elsewhere": NoticePageFactory(parent=second, title="别处通知丁"),
        "other_category": other,
        "second": second,
    }


TITLES = ("普通通知甲", "紧急通知乙", "其他类别丙", "别处通知丁")


def _listed(client, query=""):
    html = client.get(f"/admin/notice-pages/results/?{query}").content.decode()
    return [title for title in TITLES if title in html]


def test_notice_listing_filters_by_category_and_urgency(client, notices, django_user_model):
    """The category and urgency filters narrow the notices."""
    client.force_login(
        django_user_model.objects.create_superuser("root", "root@example.org", "x" * 12)
    )
    assert _listed(client) == list(TITLES)
    notice = NoticeCategory.objects.get(slug="notice")
    assert _listed(client, f"category={notice.pk}") == ["普通通知甲", "紧急通知乙", "别处通知丁"]
    assert _listed(client, f"category={notices['other_category'].pk}") == ["其他类别丙"]
    assert _listed(client, "urgency=urgent") == ["紧急通知乙"]
    assert _listed(client, "urgency=urgent&category=" + "9" * 30) == list(TITLES)


def test_editor_of_one_index_lists_and_edits_only_its_notices(client, make_user, notices):
    """An editor with page permissions on the second index lists its notice with an edit link
    and none of the other index's notices."""
    group = Group.objects.create(name="更多通知编辑")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    for codename in ("add_page", "change_page"):
        GroupPagePermission.objects.create(
            group=group,
            page=notices["second"],
            permission=Permission.objects.get(codename=codename),
        )
    user = make_user("notice-editor")
    user.groups.add(group)
    client.force_login(user)
    html = client.get("/admin/notice-pages/").content.decode()
    assert [t for t in TITLES if t in html] == ["别处通知丁"]
    assert f"/admin/pages/{notices['elsewhere'].pk}/edit/" in html
    assert f"/admin/pages/{notices['plain'].pk}/edit/" not in html
