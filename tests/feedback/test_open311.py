"""Open311 GeoReport v2, reading: discovery, services, service definitions, requests and tokens,
each in XML and JSON, shaped like the examples of the specification (wiki.open311.org)."""

import datetime as dt
import json

import pytest
from defusedxml import ElementTree
from django.utils import timezone

from feedback.intake.receive import receive
from feedback.models import Feedback, FeedbackCategory
from feedback.open311.views import jurisdiction_id
from notices.factories import ApprovalOutcomePageFactory
from notices.models import ApprovalIndexPage

pytestmark = pytest.mark.django_db

BASE = "/open311/v2/"
# The elements of a request in the order of the specification's example (those it leaves
# empty or the portal does not have are left out: address_id, zipcode, media_url).
REQUEST_ELEMENTS = [
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "lat",
    "long",
]


def xml(response):
    """The parsed XML of an answer, after checking its content type and declaration."""
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    return ElementTree.fromstring(response.content)


def json_of(response):
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return json.loads(response.content)


@pytest.fixture
def make_case(grid, routine, centre):
    """A case received through the one intake, then set as a test needs it."""

    def make(category=None, **fields):
        case = receive(
            category=category or routine,
            subject=fields.pop("subject", "楼下垃圾两天没清运"),
            message=fields.pop("message", "垃圾桶满了，请尽快清运。联系我13800001234。"),
            grid=fields.pop("grid", grid),
            place=fields.pop("place", "希望家园3号楼东侧"),
            contact_name="王女士",
            contact_phone="13800001234",
            contact_email="resident@example.com",
        )
        if fields:
            Feedback.objects.filter(pk=case.pk).update(**fields)
            case.refresh_from_db()
        return case

    return make


@pytest.fixture
def publicity():
    """A publicity batch in its period, which an objection may name."""
    index = ApprovalIndexPage.objects.get(slug="publicity")
    return ApprovalOutcomePageFactory(parent=index, slug="dibao-4", title="2026年第4批低保公示")


# --- discovery ---------------------------------------------------------------------------------


def test_discovery_xml_follows_the_spec_example(client, centre):
    """discovery.xml has the example's fields, naming this GeoReport v2 endpoint and both
    formats."""
    root = xml(client.get(BASE + "discovery.xml"))
    assert root.tag == "discovery"
    assert [child.tag for child in root] == ["changeset", "contact", "key_service", "endpoints"]
    (endpoint,) = root.find("endpoints")
    assert endpoint.findtext("specification") == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint.findtext("url").endswith("/open311/v2")
    assert endpoint.findtext("type") == "production"
    assert [f.text for f in endpoint.find("formats")] == ["text/xml", "application/json"]


def test_discovery_json_is_the_same_object(client, centre):
    """discovery.json is the Spark mapping of the XML: an object with a list of endpoints."""
    data = json_of(client.get(BASE + "discovery.json"))
    assert set(data) == {"changeset", "contact", "key_service", "endpoints"}
    assert data["endpoints"][0]["formats"] == ["text/xml", "application/json"]
    assert "密钥" in data["key_service"]


# --- services ----------------------------------------------------------------------------------


def test_service_list_xml_lists_active_categories(client, routine, objection):
    """services.xml lists each category on the form as a service, in the example's elements;
    an objection has metadata (it asks which publicity)."""
    FeedbackCategory.objects.filter(name="表扬").update(active=False)
    root = xml(client.get(BASE + "services.xml"))
    assert root.tag == "services"
    services = {s.findtext("service_code"): s for s in root.findall("service")}
    assert set(services) == {
        str(pk) for pk in FeedbackCategory.objects.filter(active=True).values_list("pk", flat=True)
    }
    first = services[str(routine.pk)]
    assert [child.tag for child in first] == [
        "service_code",
        "service_name",
        "description",
        "metadata",
        "type",
        "keywords",
        "group",
    ]
    assert first.findtext("service_name") == "环境卫生"
    assert first.findtext("metadata") == "false" and first.findtext("type") == "realtime"
    assert services[str(objection.pk)].findtext("metadata") == "true"


def test_service_list_json(client, routine, emergency):
    """services.json is a list of the same services; an emergency category is keyworded."""
    data = {s["service_code"]: s for s in json_of(client.get(BASE + "services.json"))}
    assert data[str(routine.pk)]["metadata"] is False
    assert data[str(emergency.pk)]["keywords"] == "紧急"


def test_service_definition_xml_asks_an_objection_for_its_publicity(client, objection, publicity):
    """services/{code}.xml of the objection category has one required singlevaluelist
    attribute, whose values are the publicity batches in their period (the spec's example)."""
    root = xml(client.get(f"{BASE}services/{objection.pk}.xml"))
    assert root.tag == "service_definition"
    assert root.findtext("service_code") == str(objection.pk)
    (attribute,) = root.find("attributes")
    assert attribute.findtext("code") == "publicity"
    assert attribute.findtext("datatype") == "singlevaluelist"
    assert attribute.findtext("variable") == "true" and attribute.findtext("required") == "true"
    assert attribute.findtext("order") == "1"
    values = [(v.findtext("key"), v.findtext("name")) for v in attribute.find("values")]
    assert values == [(str(publicity.pk), "2026年第4批低保公示")]


def test_service_definition_json(client, objection, routine, publicity):
    """services/{code}.json: the same definition; a category without questions has none."""
    data = json_of(client.get(f"{BASE}services/{objection.pk}.json"))
    assert data["attributes"][0]["values"] == [
        {"key": str(publicity.pk), "name": "2026年第4批低保公示"}
    ]
    plain = json_of(client.get(f"{BASE}services/{routine.pk}.json"))
    assert plain == {"service_code": str(routine.pk), "attributes": []}


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_unknown_service_code_is_a_404_in_the_error_format(client, fmt, routine):
    """An unknown service_code is answered 404 with the spec's error list."""
    response = client.get(f"{BASE}services/999999.{fmt}")
    assert response.status_code == 404
    if fmt == "xml":
        error = xml(response).find("error")
        assert error.findtext("code") == "404" and "999999" in error.findtext("description")
    else:
        assert json_of(response)[0]["code"] == 404


# --- requests ----------------------------------------------------------------------------------


def test_requests_xml_follows_the_spec_example(client, make_case, grid):
    """GET requests.xml with the example's query (dates, status=open, jurisdiction_id) gives
    the open cases of those dates, each with the example's elements in its order."""
    now = timezone.now()
    case = make_case()
    make_case(state="closed", closed_at=now)
    make_case(created_at=now - dt.timedelta(days=40))
    start = (now - dt.timedelta(days=10)).strftime("%Y-%m-%dT%H:%M:%SZ")
    end = (now + dt.timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    response = client.get(
        BASE + "requests.xml",
        {
            "start_date": start,
            "end_date": end,
            "status": "open",
            "jurisdiction_id": jurisdiction_id(),
        },
    )
    root = xml(response)
    assert root.tag == "service_requests"
    (request,) = root.findall("request")
    assert [child.tag for child in request] == REQUEST_ELEMENTS
    assert request.findtext("service_request_id") == case.ticket_number
    assert request.findtext("status") == "open"
    assert request.findtext("service_name") == "环境卫生"


def test_requests_json_gives_the_grid_never_personal_data(client, make_case, grid):
    """requests.json: the grid is the agency responsible, the point is inside the grid, the
    deadline is the expected time; no name, phone, e-mail or worker appears."""
    case = make_case()
    response = client.get(BASE + "requests.json")
    (item,) = json_of(response)
    assert item["agency_responsible"] == "第一网格，明华社区"
    assert 39.92 < item["lat"] < 39.93 and 116.45 < item["long"] < 116.455
    assert item["expected_datetime"] == timezone.localtime(case.deadline).isoformat()
    assert item["requested_datetime"].endswith("+08:00")
    body = response.content.decode()
    for private in ["王女士", "13800001234", "resident@example.com", "张敏", "李强", "photo"]:
        assert private not in body


def test_description_only_with_the_residents_consent(client, make_case):
    """Without the resident's consent a case has no description nor place; with it, both are
    given with phone numbers masked."""
    hidden = make_case()
    shown = make_case(public_consent=True)
    items = {i["service_request_id"]: i for i in json_of(client.get(BASE + "requests.json"))}
    assert items[hidden.ticket_number]["description"] is None
    assert "希望家园" not in items[hidden.ticket_number]["address"]
    description = items[shown.ticket_number]["description"]
    assert description.startswith("楼下垃圾两天没清运\n垃圾桶满了")
    assert "138****1234" in description and "13800001234" not in description
    assert items[shown.ticket_number]["address"].startswith("希望家园3号楼东侧")


def test_closed_case_gives_its_public_reply_as_status_notes(client, make_case):
    """A closed case is "closed", its masked public reply the status notes, its closing time
    the update time."""
    closed_at = timezone.now() - dt.timedelta(hours=2)
    case = make_case(
        state="rated", closed_at=closed_at, public_reply="已清运。如有问题请拨13800009999。"
    )
    root = xml(client.get(f"{BASE}requests/{case.ticket_number}.xml"))
    request = root.find("request")
    assert request.findtext("status") == "closed"
    assert request.findtext("status_notes") == "已清运。如有问题请拨138****9999。"
    assert request.findtext("updated_datetime") == timezone.localtime(closed_at).isoformat(
        timespec="seconds"
    )


def test_returned_case_is_closed_with_its_reason(client, make_case):
    """A returned case is "closed", with the return reason as the status notes."""
    case = make_case(state="returned", return_reason="不属于本社区受理范围")
    (item,) = json_of(client.get(f"{BASE}requests/{case.ticket_number}.json"))
    assert item["status"] == "closed" and item["status_notes"] == "不属于本社区受理范围"


def test_service_request_id_overrides_other_filters(client, make_case, emergency):
    """service_request_id (comma separated) returns those cases whatever the other filters."""
    old = make_case(created_at=timezone.now() - dt.timedelta(days=200))
    other = make_case(category=emergency)
    make_case()
    data = json_of(
        client.get(
            BASE + "requests.json",
            {
                "service_request_id": f"{old.ticket_number},{other.ticket_number}",
                "status": "closed",
            },
        )
    )
    assert {i["service_request_id"] for i in data} == {old.ticket_number, other.ticket_number}


def test_service_code_and_status_filters(client, make_case, routine, emergency):
    """service_code and status filter the list, each comma separated or repeated."""
    make_case()
    urgent = make_case(category=emergency)
    make_case(category=emergency, state="closed")
    data = json_of(
        client.get(BASE + "requests.json", {"service_code": str(emergency.pk), "status": "open"})
    )
    assert [i["service_request_id"] for i in data] == [urgent.ticket_number]
    both = json_of(client.get(BASE + "requests.json", {"status": "open,closed"}))
    assert len(both) == 3


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-06-01T00:00:00Z"}, "最多90天"),
        ({"start_date": "2026-06-01T00:00:00Z", "end_date": "2026-01-01T00:00:00Z"}, "不能早于"),
        ({"start_date": "yesterday"}, "W3C"),
        ({"status": "pending"}, "open或closed"),
        ({"service_code": "abc"}, "service_code"),
    ],
)
def test_bad_filters_are_400_with_a_message(client, make_case, params, message):
    """A span over 90 days, reversed or unreadable dates, an unknown status or service code
    are answered 400 in the error format, saying what is wrong."""
    response = client.get(BASE + "requests.xml", params)
    assert response.status_code == 400
    error = xml(response).find("error")
    assert error.findtext("code") == "400" and message in error.findtext("description")


def test_default_span_is_the_last_90_days(client, make_case):
    """Without dates only the cases of the last 90 days are listed."""
    recent = make_case()
    make_case(created_at=timezone.now() - dt.timedelta(days=91))
    data = json_of(client.get(BASE + "requests.json"))
    assert [i["service_request_id"] for i in data] == [recent.ticket_number]


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_unknown_request_is_a_404(client, fmt, make_case):
    """requests/{id} of a ticket number no case has is a 404 in the error format."""
    response = client.get(f"{BASE}requests/2026-999999.{fmt}")
    assert response.status_code == 404
    assert b"2026-999999" in response.content


def test_other_jurisdiction_is_a_404(client, make_case):
    """A jurisdiction_id that is not this site's is the spec's 404."""
    response = client.get(BASE + "requests.json", {"jurisdiction_id": "city.gov"})
    assert response.status_code == 404
    assert "city.gov" in json_of(response)[0]["description"]


# --- HTTP: CORS, OPTIONS, conditional GET ------------------------------------------------------


def test_get_answers_may_be_read_from_any_site(client, make_case, routine):
    """Every GET endpoint allows any origin to read it; OPTIONS is answered, with POST allowed
    only on requests and never across origins."""
    case = make_case()
    for path in [
        "discovery.json",
        "services.xml",
        f"services/{routine.pk}.json",
        "requests.xml",
        f"requests/{case.ticket_number}.json",
    ]:
        response = client.get(BASE + path)
        assert response.status_code == 200, path
        assert response["Access-Control-Allow-Origin"] == "*", path
    options = client.options(BASE + "requests.json")
    assert options.status_code == 204
    assert options["Allow"] == "GET, HEAD, OPTIONS, POST"
    assert "POST" not in options["Access-Control-Allow-Methods"]
    assert client.delete(BASE + "services.json").status_code == 405


@pytest.mark.parametrize("path", ["services.xml", "discovery.json", "requests.json"])
def test_conditional_get_answers_304(client, make_case, path):
    """A client that sends back the ETag of an unchanged answer gets a 304 without a body."""
    make_case()
    client.get(BASE + path)  # the site's settings are made (and the pages version raised) once
    first = client.get(BASE + path)
    again = client.get(BASE + path, headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304 and again.content == b""


def test_a_changed_case_changes_the_etag(client, make_case):
    """After a case closes, the list's ETag no longer matches and the new answer is sent."""
    case = make_case()
    first = client.get(BASE + "requests.json")
    Feedback.objects.filter(pk=case.pk).update(state="closed", closed_at=timezone.now())
    again = client.get(BASE + "requests.json", headers={"if-none-match": first["ETag"]})
    assert again.status_code == 200 and json_of(again)[0]["status"] == "closed"


# --- tokens and anything else ------------------------------------------------------------------


def test_token_gives_the_ticket_number(client, make_case):
    """tokens/{token}.xml turns a tracking code (the token a POST returns) into the ticket
    number, as the spec's example; the answer is not kept by caches."""
    case = make_case()
    response = client.get(f"{BASE}tokens/{case.tracking_code.lower()}.xml")
    request = xml(response).find("request")
    assert request.findtext("service_request_id") == case.ticket_number
    assert request.findtext("token") == case.tracking_code
    assert response["Cache-Control"] == "no-store"


def test_wrong_tokens_are_counted_like_tracking_codes(client, make_case, settings):
    """Wrong tokens are 404s and count against the address: past the limit even a right one is
    refused for the hour."""
    settings.FEEDBACK_TRACKING_FAILURES_PER_HOUR = 2
    case = make_case()
    for _i in range(2):
        assert client.get(BASE + "tokens/WRONGCODE.json").status_code == 404
    response = client.get(f"{BASE}tokens/{case.tracking_code}.json")
    assert response.status_code == 429
    assert "一小时" in json_of(response)[0]["description"]


def test_unknown_open311_path_is_a_404_in_the_error_format(client):
    """A path under /open311/ that is no endpoint (or a format other than xml and json) is the
    spec's 404."""
    assert json_of(client.get(BASE + "services.csv.json"))[0]["code"] == 404
    response = client.get(BASE + "services.csv")
    assert response.status_code == 404 and xml(response).find("error") is not None


def test_control_characters_never_break_the_xml(client, make_case):
    """A resident's text with characters XML cannot hold still gives well-formed XML."""
    case = make_case(public_consent=True, message="路灯坏了\x1b[31m\x0b，请修")
    request = xml(client.get(f"{BASE}requests/{case.ticket_number}.xml")).find("request")
    assert request.findtext("description").endswith("路灯坏了[31m，请修")


def test_objection_text_is_never_shown(client, make_case, objection):
    """An objection's text is about other people: not given even with the resident's consent."""
    case = make_case(category=objection, public_consent=True, message="名单中张三家有收入")
    (item,) = json_of(client.get(f"{BASE}requests/{case.ticket_number}.json"))
    assert item["description"] is None
    assert "张三" not in json.dumps(item, ensure_ascii=False)


def test_an_unencoded_plus_in_a_date_is_read_as_the_offset(client, make_case):
    """start_date=…T00:00:00+08:00 sent without encoding the "+" still means +08:00."""
    case = make_case()
    day = timezone.localdate().isoformat()
    response = client.get(f"{BASE}requests.json?start_date={day}T00:00:00+08:00")
    assert [i["service_request_id"] for i in json_of(response)] == [case.ticket_number]
