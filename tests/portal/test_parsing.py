"""Numbers and codes from URLs and query strings: one helper reads them, every view uses it,
and what names nothing gets a clear page instead of a server error."""

import pytest
from django.test import Client

from notices.factories import NoticeIndexPageFactory
from portal.parsing import MAX_ID, parse_id, parse_int, parse_text


@pytest.mark.parametrize(
    ("value", "expected"),
    [("42", 42), (" 7 ", 7), ("0", 0), (str(MAX_ID), MAX_ID), ("007", 7)],
)
def test_parse_int_reads_ascii_digits(value, expected):
    """Plain ASCII digits within the range are read as the number."""
    assert parse_int(value) == expected


@pytest.mark.parametrize(
    "value",
    [None, "", "²", "١٢", "𝟙", "-1", "+1", "1.0", "1e3", "9" * 30, str(MAX_ID + 1), "1\x00", "0x1"],
)
def test_parse_int_refuses_anything_else(value):
    """Unicode digits, signs, decimals, NUL and numbers past 64 bits give None, never an error."""
    assert parse_int(value) is None


def test_parse_int_keeps_to_its_bounds():
    """A number outside the given bounds is None."""
    assert parse_int("1900", 1901, 2999) is None
    assert parse_int("2026", 1901, 2999) == 2026
    assert parse_id("0") is None


@pytest.mark.parametrize("value", ["a\x00b", "\x1b[31m", "a\r\nb", "\x7f", "a\x85b", "a" * 101])
def test_parse_text_refuses_control_characters_and_long_values(value):
    """NUL and other control characters, and over-long values, give None."""
    assert parse_text(value) is None


def test_parse_text_keeps_ordinary_codes():
    """Codes, slugs and Chinese text come back stripped."""
    assert parse_text(" 110105001001001 ") == "110105001001001"
    assert parse_text("明华社区") == "明华社区"
    assert parse_text("") == ""


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["²", "9" * 30, "9223372036854775808"])
def test_statistics_with_a_grid_that_is_no_id_shows_all_grids(client, grid, value):
    """/statistics/?grid=² or a 30-digit number shows the figures of all grids."""
    response = client.get("/statistics/", {"grid": value})
    assert response.status_code == 200
    assert response.context["grid"] is None


@pytest.mark.django_db
def test_notices_with_a_year_in_unicode_digits_say_how_to_write_it(client, home_page):
    """/notices/?year=²⁰²⁶ lists every year and says a year is four digits."""
    NoticeIndexPageFactory(parent=home_page, slug="notices")
    response = client.get("/notices/", {"year": "²⁰²⁶"})
    assert response.status_code == 200
    assert "年份应为四位数字" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/feedback/survey/9223372036854775808/", "/feedback/survey/²/"])
def test_survey_of_an_impossible_grid_id_is_not_found(client, path):
    """A grid id past 64 bits (or not a number) is simply not found."""
    assert Client(raise_request_exception=True).get(path).status_code == 404


@pytest.mark.django_db
def test_survey_of_a_missing_grid_says_so(client):
    """The 404 page tells the resident what was not found."""
    response = client.get("/feedback/survey/123456/")
    assert response.status_code == 404
    assert "没有这个网格，无法测评。" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/grids/a%00b/sign/", "/grids/a%00b/qr.svg", "/grids/a%00b/contact/primary.vcf"]
)
def test_grid_code_with_nul_is_not_found_with_a_message(client, path):
    """A grid code with a NUL byte gets the 404 page naming the missing grid."""
    response = Client(raise_request_exception=True).get(path)
    assert response.status_code == 404
    assert "没有编码为" in response.content.decode()


@pytest.mark.django_db
def test_area_code_with_nul_is_not_found(client):
    """/api/areas/a%00b.geojson answers 404 in JSON."""
    response = Client(raise_request_exception=True).get("/api/areas/a%00b.geojson")
    assert response.status_code == 404
    assert "error" in response.json()


@pytest.mark.django_db
def test_missing_grid_sign_names_the_code(client, grid):
    """The 404 page says which grid code was not found."""
    response = client.get("/grids/NOPE-1/sign/")
    assert response.status_code == 404
    assert "没有编码为NOPE-1的网格。" in response.content.decode()


@pytest.mark.django_db
def test_a_request_django_refuses_gets_the_portals_400_page(client, settings):
    """A request with far too many fields is answered by the branded 400 page."""
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    response = client.post("/feedback/track/", {f"f{n}": "x" for n in range(20)})
    assert response.status_code == 400
    assert "请求无法处理" in response.content.decode()
