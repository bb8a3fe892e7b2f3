"""Feeds: absolute links on the public address, ids that survive a new host or slug, local
time zones, and conditional GET (ETag, Last-Modified, Cache-Control, 304)."""

import xml.etree.ElementTree as ET

import pytest
from django.test import override_settings

from notices.factories import ApprovalOutcomePageFactory, NoticePageFactory

pytestmark = pytest.mark.django_db

ATOM = {"a": "http://www.w3.org/2005/Atom"}
PUBLIC = "https://grid.example.gov.cn"


def rss_items(client, url, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200
    return ET.fromstring(response.content).findall("./channel/item")  # noqa: S314 (our own feed)


def test_links_use_the_public_address_not_the_request_host(client, notice_index):
    """Whatever Host the request carried, the feed's links are on PORTAL_BASE_URL."""
    notice = NoticePageFactory(parent=notice_index, title="地址测试")
    with override_settings(PORTAL_BASE_URL=PUBLIC):
        response = client.get(notice_index.url + "feed/rss/", HTTP_HOST="localhost")
    channel = ET.fromstring(response.content).find("channel")  # noqa: S314
    assert channel.findtext("link") == PUBLIC + notice_index.url
    assert channel.find("{http://www.w3.org/2005/Atom}link").get("href") == (
        PUBLIC + notice_index.url + "feed/rss/"
    )
    assert channel.find("item").findtext("link") == PUBLIC + notice.url


def test_guid_stays_when_host_scheme_or_slug_changes(client, notice_index):
    """An item's guid is the page's UUID: a new address or slug does not make it a new item."""
    notice = NoticePageFactory(parent=notice_index, title="不变的条目", slug="old-slug")
    with override_settings(PORTAL_BASE_URL="http://127.0.0.1:8000"):
        before = rss_items(client, notice_index.url + "feed/rss/")[0].find("guid")
    notice.slug = "new-slug"
    notice.save_revision().publish()
    with override_settings(PORTAL_BASE_URL=PUBLIC):
        after = rss_items(client, notice_index.url + "feed/rss/")[0]
        atom = client.get(notice_index.url + "feed/atom/").content
    assert after.findtext("link").endswith("/new-slug/")
    assert before.text == after.findtext("guid") == f"urn:uuid:{notice.translation_key}"
    assert after.find("guid").get("isPermaLink") == "false"
    entry = ET.fromstring(atom).find("a:entry", ATOM)  # noqa: S314
    assert entry.findtext("a:id", namespaces=ATOM) == before.text
    feed_id = ET.fromstring(atom).findtext("a:id", namespaces=ATOM)  # noqa: S314
    assert feed_id == f"urn:uuid:{notice_index.translation_key}"


def test_publicity_and_notice_dates_are_in_local_time(client, notice_index, publicity_index):
    """Dates carry the site's +0800, not the +0000 of the stored UTC time."""
    for page in (
        NoticePageFactory(parent=notice_index),
        ApprovalOutcomePageFactory(parent=publicity_index),
    ):
        page.save_revision().publish()
    for url in (notice_index.url, publicity_index.url):
        item = rss_items(client, url + "feed/rss/")[0]
        assert item.findtext("pubDate").endswith("+0800")
        atom = ET.fromstring(client.get(url + "feed/atom/").content)  # noqa: S314
        entry = atom.find("a:entry", ATOM)
        assert entry.findtext("a:updated", namespaces=ATOM).endswith("+08:00")
        assert entry.findtext("a:published", namespaces=ATOM).endswith("+08:00")


def test_an_empty_feed_is_dated_in_local_time_too(client, notice_index):
    rss = ET.fromstring(client.get(notice_index.url + "feed/rss/").content)  # noqa: S314
    assert rss.find("channel").findtext("lastBuildDate").endswith("+0800")
    atom = ET.fromstring(client.get(notice_index.url + "feed/atom/").content)  # noqa: S314
    assert atom.findtext("a:updated", namespaces=ATOM).endswith("+08:00")


def test_conditional_get_answers_304_until_a_notice_is_published(client, notice_index):
    """ETag and Last-Modified come with the feed; sent back they give 304 (with the same
    validators and Cache-Control), until a new notice changes the feed."""
    NoticePageFactory(parent=notice_index, title="第一条")
    url = notice_index.url + "feed/atom/"
    first = client.get(url)
    etag, modified = first["ETag"], first["Last-Modified"]
    assert "max-age=600" in first["Cache-Control"] and "public" in first["Cache-Control"]
    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == etag and "max-age=600" in again["Cache-Control"]
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    NoticePageFactory(parent=notice_index, title="第二条")
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert "第二条" in changed.content.decode()


def test_grid_feed_and_publicity_feed_are_conditional(client, notice_index, publicity_index, grid):
    NoticePageFactory(parent=notice_index)
    ApprovalOutcomePageFactory(parent=publicity_index)
    for url in (
        f"{notice_index.url}feed/rss/grid/{grid.code}/",
        publicity_index.url + "feed/rss/",
    ):
        etag = client.get(url)["ETag"]
        assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_the_index_pages_link_their_feeds_in_head(client, notice_index, publicity_index):
    """Feed readers and browsers find the feeds from the page's <head> (the pages' extra_head
    block in base.html)."""
    for index in (notice_index, publicity_index):
        html = client.get(index.url).content.decode()
        head = html[: html.index("</head>")]
        assert 'type="application/atom+xml"' in head, index
