"""Footer and government-site meta tags come from the site settings."""

import pytest

from home.factories import StandardPageFactory
from portal.models import SiteSettings

pytestmark = pytest.mark.django_db


@pytest.fixture
def site_settings(site):
    settings = SiteSettings.for_site(site)
    settings.sponsor = "明华街道办事处"
    settings.phone = "010-6543 2100"
    settings.icp_filing = "京ICP备12345678号-1"
    settings.public_security_filing = "京公网安备11010502000001号"
    settings.public_security_filing_url = "https://beian.example.org/11010502000001"
    settings.site_id_code = "1101000001"
    settings.save()
    return settings


def test_footer_shows_the_filled_settings(client, site_settings):
    """The footer shows the sponsor, phone and both filings with their links."""
    html = client.get("/").content.decode()
    assert "明华街道办事处" in html
    assert 'href="tel:01065432100"' in html
    assert '<a class="filing filing--icp" href="https://beian.miit.gov.cn/"' in html
    assert "京ICP备12345678号-1" in html
    assert 'href="https://beian.example.org/11010502000001"' in html


def test_empty_settings_are_not_shown(client, site):
    """An empty field leaves no label behind in the footer."""
    html = client.get("/").content.decode()
    assert "主办单位" not in html
    assert "监督电话" not in html
    assert "filing--icp" not in html


def test_government_mode_adds_meta_tags_and_mark(client, site_settings):
    """Government mode adds SiteName, SiteDomain, SiteIDCode and the site mark to every page."""
    assert 'name="SiteIDCode"' not in client.get("/").content.decode()
    site_settings.government_mode = True
    site_settings.save()
    html = client.get("/", HTTP_HOST="localhost").content.decode()
    assert '<meta name="SiteIDCode" content="1101000001">' in html
    assert '<meta name="SiteDomain" content="localhost">' in html
    assert '<meta name="SiteName" content="' in html
    assert "government-site-mark.svg" in html
    assert 'name="ArticleTitle"' not in html  # the home page is not an article


def test_article_pages_add_article_meta(client, site_settings, home_page):
    """Article pages add ArticleTitle, PubDate and ContentSource in government mode."""
    site_settings.government_mode = True
    site_settings.save()
    page = StandardPageFactory(parent=home_page, title="办事指南", slug="guide")
    page.save_revision().publish()
    html = client.get(page.url).content.decode()
    assert '<meta name="ArticleTitle" content="办事指南">' in html
    assert '<meta name="ContentSource" content="明华街道办事处">' in html
    assert '<meta name="PubDate" content="20' in html
