"""Contact cards (vCard), QR codes and the printable grid sign."""

import io

import pytest
import vobject
import wagtail_factories
from PIL import Image

from grids.views.contact import fold, qr_svg
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


def test_vcard_carries_a_small_jpeg_photo_and_parses_as_vcard_3(client, grid, workers):
    """The card has the worker's photo as base64 JPEG, small, and a vCard parser reads every
    field back; every line stays within 75 octets."""
    primary = workers[0]
    primary.photo = wagtail_factories.ImageFactory(
        title="工作照", file__width=800, file__height=1000
    )
    primary.title = "专职网格员，负责第一网格的日常巡查、民情收集、矛盾调解和政策宣传工作"
    primary.save()
    text = client.get(f"/grids/{grid.code}/contact/primary.vcf").content.decode()
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    card = vobject.readOne(text)
    assert card.version.value == "3.0"
    assert card.fn.value == "张敏"
    assert card.title.value == primary.title
    assert card.tel.value == "13800000001"
    assert card.url.value.startswith("http://127.0.0.1:8000/minghua/")
    assert card.photo.params["TYPE"] == ["JPEG"]
    photo = card.photo.value  # vobject decodes ENCODING=b
    assert len(photo) < 20_000
    image = Image.open(io.BytesIO(photo))
    assert image.format == "JPEG" and image.size == (120, 150)


def test_vcard_without_a_photo_has_no_photo_line(client, grid, workers):
    text = client.get(f"/grids/{grid.code}/contact/backup.vcf").content.decode()
    card = vobject.readOne(text)
    assert card.fn.value == "李强" and "photo" not in card.contents


def test_fold_keeps_utf8_characters_whole():
    line = "NOTE:" + "网格" * 40
    folded = fold(line).split("\r\n ")
    assert all(len(part.encode()) <= 75 for part in folded)
    assert "".join(folded) == line


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
