"""Contact cards (vCard), QR codes and the printable grid sign."""

import pytest

from grids.views.contact import qr_svg
from portal.models import SiteSettings

pytestmark = pytest.mark.django_db


def test_vcard_has_the_public_details_only(client, grid, workers):
    """The primary's vCard has name, title, work phone and grid, and no private e-mail."""
    primary = workers[0]
    primary.email = "private@example.org"
    primary.save()
    response = client.get(f"/grids/{grid.code}/contact/primary.vcf")
    assert response["Content-Type"].startswith("text/vcard")
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode()
    lines = text.split("\r\n")
    assert lines[0] == "BEGIN:VCARD" and "VERSION:3.0" in lines
    assert "FN:张敏" in lines
    assert "TITLE:专职网格员" in lines
    assert "TEL;TYPE=WORK,VOICE:13800000001" in lines
    assert "ORG:第一网格" in lines
    assert any(line.startswith("URL:http://127.0.0.1:8000/minghua/") for line in lines)
    assert "private@example.org" not in text


def test_vcard_escapes_commas_and_semicolons(client, grid, workers):
    """Commas and semicolons in values are escaped as vCard requires."""
    primary = workers[0]
    primary.title = "网格员,调解员;志愿者"
    primary.save()
    text = client.get(f"/grids/{grid.code}/contact/primary.vcf").content.decode()
    assert "TITLE:网格员\\,调解员\\;志愿者" in text


def test_vcard_of_unknown_role_or_grid_is_not_found(client, grid):
    """An unknown role or grid code answers 404."""
    assert client.get(f"/grids/{grid.code}/contact/boss.vcf").status_code == 404
    assert client.get("/grids/NOPE/contact/primary.vcf").status_code == 404


def test_qr_code_encodes_the_grid_page_address(client, grid):
    """The QR image is segno's code for the grid page's absolute URL."""
    response = client.get(f"/grids/{grid.code}/qr.svg")
    assert response["Content-Type"] == "image/svg+xml"
    url = "http://127.0.0.1:8000/minghua/minghua-community/grid-1/"
    assert response.content.decode() == qr_svg(url, title=url)


def test_sign_shows_worker_team_supervision_phone_map_and_qr(client, grid, site):
    """The sign has the on-duty worker, the backup, the supervision phone, the map and a QR."""
    settings = SiteSettings.for_site(site)
    settings.supervision_phone = "010-6543 2199"
    settings.save()
    html = client.get(f"/grids/{grid.code}/sign/").content.decode()
    assert "网格公示牌" in html
    assert "张敏" in html and "13800000001" in html
    assert "李强" in html
    assert "010-6543 2199" in html
    assert 'class="grid-map"' in html
    assert 'class="qr"' in html
