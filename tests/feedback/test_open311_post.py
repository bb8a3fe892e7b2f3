"""Open311 GeoReport v2, filing: POST requests with an issued key goes through the form's intake,
and administrators issue, show once and revoke the keys."""

import hashlib
import json

import pytest
from defusedxml import ElementTree
from post_office.models import Email

from feedback.models import Delivery, Feedback, Open311Key, SmsDelivery
from notices.factories import ApprovalOutcomePageFactory
from notices.models import ApprovalIndexPage
from portal import roles

pytestmark = pytest.mark.django_db

URL = "/open311/v2/requests.xml"
# A point inside the shared 第一网格 (WGS84).
INSIDE = {"lat": "39.925", "long": "116.4525"}


@pytest.fixture
def api_key(db):
    """An active key issued to the city's hotline platform, and the key itself."""
    key = Open311Key(owner="市12345热线平台")
    raw = key.issue()
    key.save()
    return key, raw


@pytest.fixture
def example(api_key, routine, centre, grid, feedback_page):
    """The specification's example POST, with this site's key, service code and a point in a
    grid (the example's own point is in San Francisco)."""
    _key, raw = api_key

    def make(**overrides):
        data = {
            "api_key": raw,
            "service_code": str(routine.pk),
            **INSIDE,
            "email": "smit333@sfgov.edu",
            "device_id": "tt222111",
            "account_id": "123456",
            "first_name": "john",
            "last_name": "smith",
            "phone": "13900001111",
            "description": "A large sinkhole is destroying the street",
            "media_url": "http://farm3.static.flickr.com/2002/2212426634_5ed477a060.jpg",
            "attribute[WHISPAWN]": "123456",
            "attribute[WHISDORN]": "COISL001",
        }
        data.update(overrides)
        return {name: value for name, value in data.items() if value is not None}

    return make


def errors_of(response):
    root = ElementTree.fromstring(response.content)
    assert root.tag == "errors"
    return [(e.findtext("code"), e.findtext("description")) for e in root.findall("error")]


def test_spec_example_files_a_case_like_the_form(client, example, grid):
    """The example request files a case in the grid the point is in, and answers the spec's
    example response: the ticket number, the tracking code as token, and a notice."""
    response = client.post(URL, example())
    assert response.status_code == 200
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response["Cache-Control"] == "no-store"  # it carries the tracking code
    case = Feedback.objects.get()
    root = ElementTree.fromstring(response.content)
    assert root.tag == "service_requests"
    request = root.find("request")
    assert [c.tag for c in request] == [
        "service_request_id",
        "token",
        "service_notice",
        "account_id",
    ]
    assert request.findtext("service_request_id") == case.ticket_number
    assert request.findtext("token") == case.tracking_code
    assert case.tracking_code in request.findtext("service_notice")
    assert case.grid == grid and case.source == "open311" and case.state == "received"
    assert case.subject == "A large sinkhole is destroying the street"
    assert case.contact_name == "john smith" and case.contact_email == "smit333@sfgov.edu"
    assert case.place == "WGS84 39.925000, 116.452500"
    assert case.public_consent is False


def test_routing_and_deliveries_are_those_of_the_form(client, example):
    """The case goes to the grid's on-duty worker and the service centre, the resident gets the
    receipt by e-mail and by SMS, as a case sent on the form does."""
    client.post(URL, example())
    case = Feedback.objects.get()
    roles_sent = set(Delivery.objects.filter(case=case).values_list("role", flat=True))
    assert roles_sent == {"on_duty_worker", "service_centre", "resident"}
    assert Email.objects.count() == 3
    assert SmsDelivery.objects.filter(case=case, purpose="acknowledgement").count() == 1
    assert case.events.get().role_label == "resident"


def test_json_answer(client, example):
    """requests.json answers the same as a list of one object."""
    response = client.post("/open311/v2/requests.json", example())
    (item,) = json.loads(response.content)
    case = Feedback.objects.get()
    assert item["service_request_id"] == case.ticket_number and item["token"] == case.tracking_code
    assert item["account_id"] is None


def test_address_outside_every_grid_goes_to_the_service_centre(client, example):
    """The example's own San Francisco point with its address_string: no grid, so the service
    centre takes it, with the address as the place."""
    response = client.post(
        URL, example(lat="37.76524078", long="-122.4212043", address_string="1234 5th street")
    )
    assert response.status_code == 200
    case = Feedback.objects.get()
    assert case.grid is None and case.place == "1234 5th street"
    assert Delivery.objects.filter(case=case, role="service_centre").exists()


def test_address_string_finds_the_grid(client, example, grid):
    """address_string alone is looked up like the lookup page does: the grid's code is found."""
    client.post(URL, example(lat=None, long=None, address_string=grid.code))
    assert Feedback.objects.get().grid == grid


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"lat": "37.76524078", "long": "-122.4212043"}, "不在本站任何网格"),
        ({"lat": None, "long": None}, "请提供位置"),
        ({"long": None}, "同时提供"),
        ({"lat": "north"}, "lat必须是"),
        ({"description": ""}, "请填写内容"),
        ({"email": "not-an-address"}, "有效的电子邮箱"),
        ({"phone": "call me"}, "有效的电话号码"),
        ({"description": "长" * 2001}, "最多2000字"),
        ({"service_code": None}, "缺少service_code"),
    ],
)
def test_what_the_form_refuses_is_a_400(client, example, overrides, message):
    """Missing or wrong fields are refused with the form's own messages, 400, nothing saved."""
    response = client.post(URL, example(**overrides))
    assert response.status_code == 400
    ((code, description),) = errors_of(response)
    assert code == "400" and message in description
    assert not Feedback.objects.exists()


def test_unknown_service_code_is_a_404(client, example):
    """A service_code no active category has is the spec's 404."""
    response = client.post(URL, example(service_code="999999"))
    assert response.status_code == 404
    assert errors_of(response)[0][0] == "404"


@pytest.mark.parametrize("key", [None, "", "xyz"])
def test_missing_or_wrong_key_is_a_403(client, example, key):
    """Without a key, or with one never issued, the request is refused 403 as in the spec's
    error example, and nothing is saved."""
    response = client.post(URL, example(api_key=key))
    assert response.status_code == 403
    ((code, description),) = errors_of(response)
    assert code == "403" and "api_key" in description
    assert not Feedback.objects.exists()


def test_revoked_key_is_refused(client, example, api_key):
    """Once switched off, a key files nothing."""
    key, _raw = api_key
    key.active = False
    key.save()
    assert client.post(URL, example()).status_code == 403


def test_each_key_has_its_own_hourly_limit(client, example, api_key):
    """Past its hourly limit a key is refused (429, saying so); another key is not."""
    key, _raw = api_key
    key.rate_limit = 1
    key.save()
    assert client.post(URL, example()).status_code == 200
    over = client.post(URL, example())
    assert over.status_code == 429 and "已达上限" in errors_of(over)[0][1]
    other = Open311Key(owner="某App")
    other_raw = other.issue()
    other.save()
    assert client.post(URL, example(api_key=other_raw)).status_code == 200


def test_consent_is_off_unless_asked(client, example):
    """public_consent=true records the resident's consent; it is off by default."""
    client.post(URL, example(public_consent="true"))
    client.post(URL, example())
    assert list(Feedback.objects.order_by("pk").values_list("public_consent", flat=True)) == [
        True,
        False,
    ]


def test_objection_names_its_publicity(client, example, objection):
    """An objection needs attribute[publicity], a batch in its period (from the service
    definition); the case records it."""
    index = ApprovalIndexPage.objects.get(slug="publicity")
    batch = ApprovalOutcomePageFactory(parent=index, slug="dibao-4")
    missing = client.post(URL, example(service_code=str(objection.pk)))
    assert missing.status_code == 400 and "attribute[publicity]" in errors_of(missing)[0][1]
    response = client.post(
        URL, example(service_code=str(objection.pk), **{"attribute[publicity]": str(batch.pk)})
    )
    assert response.status_code == 200
    assert Feedback.objects.get().publicity_id == batch.pk


# --- keys --------------------------------------------------------------------------------------


def test_key_is_kept_only_as_its_digest(api_key):
    """The row keeps the key's SHA-256 digest and first characters, never the key."""
    key, raw = api_key
    key.refresh_from_db()
    assert key.key_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in [str(value) for value in key.__dict__.values()]
    assert Open311Key.authenticate(raw) == key


def test_administrator_issues_a_key_shown_once(client, administrator, example):
    """An administrator adds a key in the admin: the answer shows it once (not cached), it
    works, and the list never shows it again."""
    client.force_login(administrator)
    response = client.post(
        "/admin/snippets/feedback/open311key/add/",
        {"owner": "区12345平台", "contact": "", "rate_limit": "60", "active": "on"},
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    key = Open311Key.objects.get(owner="区12345平台")
    html = response.content.decode()
    raw = html.split('id="open311-key" type="text" readonly value="')[1].split('"')[0]
    assert Open311Key.authenticate(raw) == key
    listing = client.get("/admin/snippets/feedback/open311key/").content.decode()
    assert "区12345平台" in listing and raw not in listing
    client.logout()
    assert client.post(URL, example(api_key=raw)).status_code == 200


def test_administrator_revokes_a_key(client, administrator, api_key, example):
    """Unticking 启用 in the admin revokes the key at once."""
    key, raw = api_key
    client.force_login(administrator)
    client.post(
        f"/admin/snippets/feedback/open311key/edit/{key.pk}/",
        {"owner": key.owner, "contact": "", "rate_limit": "120"},
    )
    client.logout()
    assert client.post(URL, example(api_key=raw)).status_code == 403


def test_only_administrators_issue_keys(client, make_user):
    """Service-centre staff cannot open the key list or issue a key."""
    client.force_login(make_user("centre", roles.SERVICE_CENTRE_STAFF))
    response = client.get("/admin/snippets/feedback/open311key/add/")
    assert response.status_code in (302, 403)
    assert not Open311Key.objects.exists()


def test_case_page_tells_staff_the_source_and_the_consent(client, example, administrator):
    """Staff see that a case came through Open311 and whether it may be shown, and are told
    that the reply is published."""
    client.post(URL, example(public_consent="true"))
    case = Feedback.objects.get()
    client.force_login(administrator)
    html = client.get(f"/admin/cases/{case.pk}/").content.decode()
    assert "Open311接口" in html
    assert "居民同意公开" in html
    assert "答复也会在开放接口（Open311）中公开" in html
