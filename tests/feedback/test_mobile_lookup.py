"""Find one's cases by mobile: a one-time code texted to the mobile opens the list."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from feedback.models import Feedback, MobileCode
from feedback.public import mobile_lookup
from portal.sms.backends import LocmemBackend

pytestmark = pytest.mark.django_db
URL = "/feedback/track/mobile/"


@pytest.fixture(autouse=True)
def texts():
    LocmemBackend.outbox.clear()
    yield LocmemBackend.outbox
    LocmemBackend.outbox.clear()


def _code(texts, phone):
    message = [m for m in texts if m.phone == phone and m.template == "login_code"][-1]
    return re.search(r"\d{6}", message.text).group(0)


def test_the_holder_of_the_mobile_sees_their_cases(client, form_data, texts):
    client.post("/feedback/", form_data(contact_phone="138 0000 1234"))
    client.post("/feedback/", form_data(contact_phone="13900009999", subject="别人的诉求"))
    mine = Feedback.objects.get(contact_phone="138 0000 1234")
    sent = client.post(URL, {"action": "send", "mobile": "13800001234"})
    assert sent.status_code == 200 and 'name="code"' in sent.content.decode()
    code = _code(texts, "13800001234")
    stored = MobileCode.objects.get()
    assert code not in stored.code_hash and "13800001234" not in stored.phone_hash
    response = client.post(URL, {"action": "verify", "mobile": "13800001234", "code": code})
    assert response.status_code == 302
    page = client.get(URL).content.decode()
    assert f"/feedback/track/{mine.tracking_code}/" in page and "138****1234" in page
    assert "别人的诉求" not in page
    # A code works once.
    again = client.post(URL, {"action": "verify", "mobile": "13800001234", "code": code})
    assert again.status_code == 400


def test_the_answer_is_the_same_with_or_without_cases(client, form_data, texts):
    client.post("/feedback/", form_data(contact_phone="13800001234"))
    with_cases = client.post(URL, {"action": "send", "mobile": "13800001234"})
    without = client.post(URL, {"action": "send", "mobile": "13700001111"})
    assert with_cases.status_code == without.status_code == 200

    def strip(html):
        return re.sub(r'name="(csrfmiddlewaretoken|mobile)" value="[^"]*"', "", html)

    assert strip(with_cases.content.decode()) == strip(without.content.decode())


def test_wrong_codes_are_limited_and_codes_expire(client, texts):
    client.post(URL, {"action": "send", "mobile": "13800001234"})
    code = _code(texts, "13800001234")
    wrong = "000000" if code != "000000" else "111111"
    for _i in range(mobile_lookup.MAX_TRIES):
        client.post(URL, {"action": "verify", "mobile": "13800001234", "code": wrong})
    blocked = client.post(URL, {"action": "verify", "mobile": "13800001234", "code": code})
    assert blocked.status_code == 400
    later = timezone.now() + dt.timedelta(minutes=mobile_lookup.CODE_MINUTES + 1)
    client.post(URL, {"action": "send", "mobile": "13800001234"})
    assert not mobile_lookup.check_code("13800001234", _code(texts, "13800001234"), now=later)


def test_sending_is_limited_per_number(client, texts):
    for _i in range(mobile_lookup.SENDS_PER_NUMBER):
        assert client.post(URL, {"action": "send", "mobile": "13800001234"}).status_code == 200
    assert client.post(URL, {"action": "send", "mobile": "13800001234"}).status_code == 429
    assert len(texts) == mobile_lookup.SENDS_PER_NUMBER


def test_a_bad_number_is_refused_without_a_text(client, texts):
    assert client.post(URL, {"action": "send", "mobile": "12345"}).status_code == 400
    assert texts == []
