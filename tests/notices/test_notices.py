"""Notices: pages, refusal to publish personal data, epidemic rule, banner, index, feeds."""

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from notices.enums import Urgency
from notices.factories import NoticePageFactory
from notices.models import NoticeCategory

from .documents import csv_bytes, docx_bytes, make_document, pdf_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def category(slug):
    return NoticeCategory.objects.get(slug=slug)


def table(rows):
    return {"data": rows, "first_row_is_table_header": True, "first_col_is_header": False}


def test_notice_page_shows_date_category_and_body(client, notice_index):
    """A published notice shows its title, category, publication date and body text."""
    notice = NoticePageFactory(
        parent=notice_index,
        title="关于停水的通知",
        publication_date=dt.date(2026, 11, 20),
        body=[("paragraph", "<p>明日上午停水。</p>")],
    )
    html = client.get(notice.url).content.decode()
    assert "关于停水的通知" in html
    assert "通知公告" in html
    assert "2026-11-20" in html
    assert "明日上午停水" in html


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [
        ("title", {"title": "居民13812345678的诉求已办结"}),
        ("summary", {"summary": "身份证350102199001011234"}),
        ("body", {"body": [("paragraph", "<p>请联系 139 0000 1111</p>")]}),
        ("body", {"body": [("heading", {"text": "13900001111", "level": "h2"})]}),
        (
            "body",
            {"body": [("table", table([["姓名", "电话"], ["张*三", "13812345678"]]))]},
        ),
    ],
)
def test_unmasked_data_in_fields_is_refused(notice_index, field, kwargs):
    """Publishing fails, naming the field, when a field or table cell has an unmasked number."""
    with pytest.raises(ValidationError) as refused:
        NoticePageFactory(parent=notice_index, **kwargs)
    assert field in refused.value.message_dict
    assert "未脱敏" in " ".join(refused.value.message_dict[field])


def test_table_refusal_names_the_cell(notice_index):
    """The message says which block, row and column holds the number."""
    with pytest.raises(ValidationError) as refused:
        NoticePageFactory(
            parent=notice_index,
            body=[("table", table([["姓名", "电话"], ["张*三", "13812345678"]]))],
        )
    message = refused.value.message_dict["body"][0]
    assert "第1块表格第2行第2列" in message
    assert "138****5678" in message
    assert "13812345678" not in message


def test_masked_data_and_contact_blocks_are_allowed(notice_index):
    """Masked numbers, and a worker's work phone in a contact block, can be published."""
    notice = NoticePageFactory(
        parent=notice_index,
        body=[
            ("paragraph", "<p>申请人张*三（138****5678）</p>"),
            ("contact", {"name": "网格员刘芳", "phone": "13900001111", "hours": "工作日"}),
        ],
    )
    assert notice.live


@pytest.mark.parametrize(
    ("filename", "data", "where"),
    [
        ("名单.xlsx", xlsx_bytes([["姓名", "电话"], ["张*三", "13812345678"]]), "名单!B2"),
        (
            "名单.csv",
            csv_bytes([["姓名", "身份证"], ["张*三", "350102199001011234"]]),
            "第2行第2列",
        ),
        ("通知.docx", docx_bytes(["联系人电话13812345678"]), "第1段"),
        (
            "表格.docx",
            docx_bytes([], [["姓名", "电话"], ["李*", "13812345678"]]),
            "表格1第2行第2列",
        ),
        ("notice.pdf", pdf_bytes(["Tel 13812345678"]), "第1页"),
    ],
)
def test_unmasked_data_in_attachments_is_refused(notice_index, filename, data, where):
    """An attached xlsx, csv, docx or pdf with an unmasked number blocks publishing."""
    document = make_document(filename, data)
    with pytest.raises(ValidationError) as refused:
        NoticePageFactory(
            parent=notice_index, attachments=[("document", {"document": document, "title": ""})]
        )
    message = refused.value.message_dict["attachments"][0]
    assert filename in message
    assert where in message


def test_document_in_body_is_checked_too(notice_index):
    """A document block inside the body is checked like an attachment."""
    document = make_document("body.csv", csv_bytes([["13812345678"]]))
    with pytest.raises(ValidationError) as refused:
        NoticePageFactory(
            parent=notice_index, body=[("document", {"document": document, "title": ""})]
        )
    assert "body" in refused.value.message_dict


def test_clean_attachments_are_accepted_and_listed(client, notice_index):
    """A clean attachment is published and shown with its type and size."""
    document = make_document("名单.xlsx", xlsx_bytes([["姓名"], ["张*三"]]), title="补贴名单")
    notice = NoticePageFactory(
        parent=notice_index, attachments=[("document", {"document": document, "title": ""})]
    )
    html = client.get(notice.url).content.decode()
    assert "补贴名单" in html
    assert "XLSX" in html


def test_unreadable_attachment_is_refused(notice_index):
    """A damaged file cannot be checked, so it cannot be published."""
    document = make_document("broken.xlsx", b"not a spreadsheet")
    with pytest.raises(ValidationError) as refused:
        NoticePageFactory(
            parent=notice_index, attachments=[("document", {"document": document, "title": ""})]
        )
    assert "无法" in refused.value.message_dict["attachments"][0]


def test_epidemic_notice_naming_a_person_with_a_house_number_is_refused(notice_index):
    """An epidemic-prevention notice may not name a person together with a house number."""
    with pytest.raises(ValidationError) as refused:
        NoticePageFactory(
            parent=notice_index,
            category=category("epidemic-prevention"),
            body=[("paragraph", "<p>居民张小明住在3号楼2单元501室，请邻居注意。</p>")],
        )
    assert "张小明" in refused.value.message_dict["body"][0]


def test_epidemic_notice_naming_a_person_with_a_landline_is_refused(notice_index):
    """Even an office-style phone next to a person's name is refused in epidemic notices."""
    with pytest.raises(ValidationError):
        NoticePageFactory(
            parent=notice_index,
            category=category("epidemic-prevention"),
            summary="确诊病例王建国，电话010-65432100",
        )


def test_epidemic_rule_reads_attachments(notice_index):
    """A name with a house number inside an attached docx is refused in an epidemic notice."""
    document = make_document("密接名单.docx", docx_bytes(["居民张小明住在3号楼2单元501室"]))
    with pytest.raises(ValidationError) as refused:
        NoticePageFactory(
            parent=notice_index,
            category=category("epidemic-prevention"),
            attachments=[("document", {"document": document, "title": ""})],
        )
    assert "张小明" in refused.value.message_dict["attachments"][0]


def test_epidemic_notice_without_names_is_allowed(notice_index):
    """Anonymous wording (某某) with a house number, and places with phones, pass the rule."""
    notice = NoticePageFactory(
        parent=notice_index,
        category=category("epidemic-prevention"),
        body=[
            ("paragraph", "<p>3号楼居民李某某已居家观察。</p>"),
            ("paragraph", "<p>明华社区服务中心电话010-65432100。</p>"),
        ],
    )
    assert notice.live


def test_same_text_in_an_ordinary_notice_is_allowed(notice_index):
    """The epidemic rule applies only to the epidemic-prevention category."""
    notice = NoticePageFactory(parent=notice_index, summary="欢迎张小明到3号楼活动室参加活动")
    assert notice.live


def test_urgent_banner_on_every_page(client, notice_index):
    """A live, unexpired urgent notice shows a banner on the home page and other pages."""
    NoticePageFactory(
        parent=notice_index,
        title="紧急：明日全区停水",
        urgency=Urgency.URGENT,
        valid_until=TODAY() + dt.timedelta(days=3),
    )
    for url in ("/", notice_index.url, "/search/?q=停水"):
        html = client.get(url).content.decode()
        assert "urgent-banner" in html, url
        assert "紧急：明日全区停水" in html


def test_banner_off_when_expired_or_unpublished(client, notice_index):
    """An expired urgent notice and an unpublished one show no banner."""
    expired = NoticePageFactory(
        parent=notice_index,
        title="过期的紧急通知",
        urgency=Urgency.URGENT,
        publication_date=TODAY() - dt.timedelta(days=5),
        valid_until=TODAY() - dt.timedelta(days=1),
    )
    withdrawn = NoticePageFactory(
        parent=notice_index, title="撤回的紧急通知", urgency=Urgency.URGENT
    )
    withdrawn.unpublish()
    html = client.get("/").content.decode()
    assert "urgent-banner" not in html
    assert "撤回的紧急通知" not in html
    # The expired notice stays readable, marked as expired.
    page_html = client.get(expired.url).content.decode()
    assert "已过期" in page_html


def test_normal_notice_has_no_banner(client, notice_index):
    """Only urgent notices make a banner."""
    NoticePageFactory(parent=notice_index, title="重要通知", urgency=Urgency.IMPORTANT)
    assert "urgent-banner" not in client.get("/").content.decode()


def test_latest_notices_on_home_page(client, notice_index):
    """The home page lists the newest notices."""
    NoticePageFactory(parent=notice_index, title="社区议事会召开通知")
    html = client.get("/").content.decode()
    assert "最新通知" in html
    assert "社区议事会召开通知" in html


def test_index_filters_by_category_and_year(client, notice_index):
    """The index shows only notices of the chosen category and year."""
    NoticePageFactory(parent=notice_index, title="指南甲", category=category("guide"))
    NoticePageFactory(parent=notice_index, title="公告乙")
    NoticePageFactory(parent=notice_index, title="旧公告丙", publication_date=dt.date(2024, 5, 1))
    html = client.get(notice_index.url, {"category": "guide"}).content.decode()
    assert "指南甲" in html and "公告乙" not in html
    html = client.get(notice_index.url, {"year": "2024"}).content.decode()
    assert "旧公告丙" in html and "公告乙" not in html


def test_index_bad_filters_get_a_message(client, notice_index):
    """An unknown category or a malformed year is explained, not a 500."""
    NoticePageFactory(parent=notice_index, title="公告乙")
    response = client.get(notice_index.url, {"category": "nope", "year": "20x6", "page": "abc"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "没有这个类别" in html
    assert "年份应为四位数字" in html
    assert "公告乙" in html


def test_index_paginates(client, notice_index):
    """Eleven notices make two pages of ten and one."""
    for n in range(11):
        NoticePageFactory(parent=notice_index, title=f"分页通知{n:02d}")
    first = client.get(notice_index.url).content.decode()
    second = client.get(notice_index.url, {"page": 2}).content.decode()
    assert first.count('<li class="notice-item') == 10
    assert second.count('<li class="notice-item') == 1
    assert "第 2 页，共 2 页" in second


def test_rss_feed_is_valid_and_lists_notices(client, notice_index):
    """The RSS feed parses as XML and has an item per notice, with its category."""
    notice = NoticePageFactory(parent=notice_index, title="订阅测试通知", summary="摘要文字")
    response = client.get(notice_index.url + "feed/rss/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    root = ET.fromstring(response.content)  # noqa: S314  (our own feed)
    items = root.findall("./channel/item")
    assert [item.findtext("title") for item in items] == ["订阅测试通知"]
    assert items[0].findtext("category") == "通知公告"
    assert items[0].findtext("link").endswith(notice.url)


def test_atom_feed_is_valid(client, notice_index):
    """The Atom feed parses and links each entry to its notice."""
    notice = NoticePageFactory(parent=notice_index, title="Atom 测试通知")
    response = client.get(notice_index.url + "feed/atom/")
    root = ET.fromstring(response.content)  # noqa: S314  (our own feed)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = root.findall("a:entry", ns)
    assert entries[0].findtext("a:title", namespaces=ns) == "Atom 测试通知"
    assert entries[0].find("a:link", ns).get("href").endswith(notice.url)


def test_valid_until_before_publication_is_refused(notice_index):
    """A notice cannot expire before it is published."""
    with pytest.raises(ValidationError) as refused:
        NoticePageFactory(
            parent=notice_index,
            publication_date=dt.date(2026, 5, 2),
            valid_until=dt.date(2026, 5, 1),
        )
    assert "valid_until" in refused.value.message_dict


def test_banner_and_latest_notices_are_cached_until_a_notice_changes(
    client, notice_index, django_assert_max_num_queries
):
    """A second home page view reads the banner from the cache; publishing a notice refreshes it."""
    NoticePageFactory(parent=notice_index, title="第一条紧急通知", urgency=Urgency.URGENT)
    client.get("/")
    from django.template import Context, Template
    from django.test import RequestFactory

    template = Template("{% load notices_tags %}{% urgent_banner %}{% latest_notices %}")
    from portal import versions

    context = Context({"request": RequestFactory().get("/")})
    with versions.remembered():
        versions.current("notices")  # the one read of the version numbers a request makes
        with django_assert_max_num_queries(0):
            html = template.render(context)
    assert "第一条紧急通知" in html
    second = NoticePageFactory.build(title="第二条紧急通知", urgency=Urgency.URGENT)
    notice_index.add_child(instance=second)
    second.save_revision().publish()
    assert "第二条紧急通知" in client.get("/").content.decode()
