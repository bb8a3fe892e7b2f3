"""Cache keys: every key any cache is given starts with a prefix registered in portal.versions,
and every cached value is keyed through `versions.key`."""

import pytest
import wagtail_factories
from django.template import Context, Template

from feedback.factories import FeedbackFormPageFactory, ServiceCentreFactory
from feedback.models import FeedbackCategory
from grids.factories import ORIGIN, AreaPageFactory, GridWorkerFactory, box
from notices.enums import Urgency
from notices.factories import NoticeIndexPageFactory, NoticePageFactory
from portal import versions

LON, LAT = ORIGIN


@pytest.fixture
def community(home_page):
    return AreaPageFactory(
        parent=home_page,
        title="明华社区",
        slug="minghua",
        code="110105001001",
        level="community",
        boundary=box(LON, LAT, LON + 0.01, LAT + 0.01),
    )


@pytest.fixture
def workers(db):
    """A primary worker with a photo (its card shows an image rendition) and a backup."""
    photo = wagtail_factories.ImageFactory(title="张敏")
    return (
        GridWorkerFactory(name="张敏", email="zhang@example.org", photo=photo),
        GridWorkerFactory(name="李强", email="li@example.org"),
    )


def test_every_key_written_in_a_day_of_visits_is_registered(
    client, home_page, grid, community, every_cache_write
):
    """Home, an area, a grid, notices, the feedback form and a submission, a search, a failed
    sign-in and the health check write only keys whose prefix portal.versions registers."""
    notices = NoticeIndexPageFactory(parent=home_page, slug="notices", title="通知公告")
    notice = NoticePageFactory(parent=notices, title="停水通知", urgency=Urgency.URGENT)
    form_page = FeedbackFormPageFactory.build(slug="feedback", title="我要反映")
    home_page.add_child(instance=form_page)
    form_page.save_revision().publish()
    ServiceCentreFactory(community=community, inbox_email="centre@example.org", is_default=True)
    category = FeedbackCategory.objects.get(name="环境卫生")

    for url in ("/", community.url, grid.url, notices.url, notice.url, "/feedback/"):
        assert client.get(url).status_code == 200, url
    response = client.post(
        "/feedback/",
        {
            "category": str(category.pk),
            "grid": f"g{grid.pk}",
            "subject": "楼下垃圾两天没清运",
            "message": "希望家园3号楼东侧的垃圾桶已经满了两天，请尽快清运。",
            "contact_name": "王女士",
            "contact_phone": "13800001234",
            "website": "",
        },
    )
    assert response.status_code == 302
    assert client.get("/search/?q=网格").status_code == 200
    client.post("/accounts/login/", {"login": "nobody", "password": "wrong-password"})
    client.get("/healthz/")

    prefixes = {key: versions.registered_prefix(str(key)) for key in every_cache_write}
    assert [key for key, prefix in prefixes.items() if prefix is None] == []
    # The run reached the values the portal caches (not only the third-party keys).
    seen = set(prefixes.values())
    for expected in (
        "portal:header",
        "portal:page",
        "grids:map:grid",
        "grids:worker-card",
        "notices:list",
        "feedback:grid-statistics",
        "feedback-rl",
    ):
        assert expected in seen


def test_a_key_under_an_unregistered_prefix_is_refused(db):
    """A value cannot be keyed under a prefix the registry lacks, nor under an unknown version."""
    with pytest.raises(ValueError, match="PREFIXES"):
        versions.key("grids:made-up", 1)
    with pytest.raises(ValueError, match="NAMES"):
        versions.key("grids:chain", 1, depends_on=["grid"])
    with pytest.raises(ValueError, match="NAMES"):
        versions.bump("grid")


def test_a_key_holds_its_parts_and_versions(db):
    """A key names its prefix, its parts and the current number of each version it depends on."""
    versions.bump("grids")
    assert versions.key("grids:chain", 7, depends_on=["grids"]) == (
        f"grids:chain:7:grids={versions.current('grids')}"
    )


def test_a_cached_fragment_is_renewed_when_its_version_changes(db):
    """`{% cached %}` serves the fragment it kept until a version it depends on changes."""
    template = Template(
        '{% load portal_tags %}{% cached "portal:footer" who depends_on="pages" %}'
        "{{ text }}{% endcached %}"
    )
    assert template.render(Context({"who": "a", "text": "旧"})) == "旧"
    assert template.render(Context({"who": "a", "text": "新"})) == "旧"
    assert template.render(Context({"who": "b", "text": "新"})) == "新"
    versions.bump("pages")
    assert template.render(Context({"who": "a", "text": "新"})) == "新"


def test_a_value_not_kept_when_none_is_built_again(db):
    """With keep_none=False a None is built again on the next call (anyone can ask for nothing)."""
    calls = []

    def build():
        calls.append(1)

    for _ in range(2):
        versions.cached("feedback:grid-value", "g0", build=build, keep_none=False)
    versions.cached("feedback:grid-value", "g1", build=build)
    versions.cached("feedback:grid-value", "g1", build=build)
    assert len(calls) == 3


def test_a_key_belongs_to_the_longest_registered_prefix_it_starts_with():
    """Django's own fragment keys and look-alike prefixes are not registered; ours are."""
    assert versions.registered_prefix("grids:map:grid:1:grids=5") == "grids:map:grid"
    assert versions.registered_prefix("feedback:grid-value:g2") == "feedback:grid-value"
    assert versions.registered_prefix("wagtail-rendition-1-abc") == "wagtail-rendition-"
    assert versions.registered_prefix("grids:mapx:1") is None
    assert versions.registered_prefix("template.cache.page-header.d41d8cd9") is None
    assert versions.registered_prefix("portal:search:words-version") is None


@pytest.mark.django_db
def test_a_long_key_fits_every_cache_and_still_follows_its_versions():
    """A page under every data version makes a key longer than memcached takes (250): the key
    keeps its prefix, hashes the rest, and still changes when a version it depends on does."""
    depends_on = ("pages", "notices", "grids", "workers", "calendar", "feedback-setup")
    long_key = versions.key("portal:page", "x" * 300, depends_on=depends_on)
    assert len(long_key) <= versions.MAX_KEY_LENGTH
    assert versions.registered_prefix(long_key) == "portal:page"
    versions.bump("notices")
    assert versions.key("portal:page", "x" * 300, depends_on=depends_on) != long_key
    short = versions.key("portal:page", "home", depends_on=("pages",))
    assert short.startswith("portal:page:home:pages=")
