"""The tracking page: by code, timeline by role, reply, rate limit, own cases."""

import pytest
from django.utils import translation

from feedback.handling.transitions import reply, transition

pytestmark = pytest.mark.django_db


def test_tracking_page_shows_state_deadline_reply_and_roles(case_world, client):
    """The resident sees the state, the deadline, the reply and roles — never staff names."""
    case = case_world.case()
    transition(case, "dispatch", case_world.centre_a_user, assignee=case_world.worker_a1_user)
    reply(case, case_world.worker_a1_user, "已安排电工明天上午维修。")
    response = client.get(f"/feedback/track/{case.tracking_code.lower()}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "派遣" in html and "已安排电工明天上午维修。" in html
    assert "社区服务中心" in html and "网格员" in html
    assert "worker-a1" not in html and "centre-a" not in html and "张敏" not in html
    assert "13912345678" not in html and "chen@example.org" not in html
    case.refresh_from_db()
    assert case.deadline.strftime("%Y") in html


def test_code_form_redirects_to_case(case_world, client):
    """Typing the code with spaces and a dash leads to the case."""
    case = case_world.case()
    typed = f"{case.tracking_code[:4]}-{case.tracking_code[4:8]} {case.tracking_code[8:]}"
    response = client.post("/feedback/track/", {"code": typed})
    assert response.status_code == 302
    assert response["Location"].endswith(f"/feedback/track/{case.tracking_code}/")


def test_wrong_code_gets_a_clear_message(case_world, client):
    """A wrong code is answered with a message, not an error page."""
    response = client.post("/feedback/track/", {"code": "XXXXYYYYZZZZ"})
    assert response.status_code == 400
    assert "没有找到" in response.content.decode()


def test_wrong_codes_are_rate_limited(case_world, client, settings):
    """After the limit of wrong codes, even a right code is refused for a while."""
    settings.FEEDBACK_TRACKING_FAILURES_PER_HOUR = 3
    case = case_world.case()
    for _i in range(3):
        client.post("/feedback/track/", {"code": "XXXXYYYYZZZZ"})
    response = client.post("/feedback/track/", {"code": case.tracking_code})
    assert response.status_code == 429
    assert "次数过多" in response.content.decode()
    assert client.get(f"/feedback/track/{case.tracking_code}/").status_code == 429


def test_signed_in_resident_sees_own_cases(case_world, client):
    """A signed-in resident sees a list of the cases they submitted, and nobody else's."""
    mine = case_world.case(subject="我家楼下的积水", submitter=case_world.resident)
    case_world.case(subject="别人的诉求")
    client.force_login(case_world.resident)
    html = client.get("/feedback/track/").content.decode()
    assert "我家楼下的积水" in html and mine.ticket_number in html
    assert "别人的诉求" not in html


def test_reply_is_emailed_to_resident(case_world, send_outbox, mailoutbox):
    """A public reply reaches the resident's e-mail through the outbox, with the tracking link."""
    case = case_world.case()
    reply(case, case_world.worker_a1_user, "已处理完毕，谢谢反映。")
    send_outbox()
    to_resident = [m for m in mailoutbox if m.to == ["chen@example.org"]]
    assert len(to_resident) == 1
    assert "已处理完毕，谢谢反映。" in to_resident[0].body
    assert f"/feedback/track/{case.tracking_code}/" in to_resident[0].body


def test_closing_email_links_to_rating(case_world, send_outbox, mailoutbox):
    """The closing e-mail carries a link to the rating form."""
    case = case_world.case()
    user = case_world.worker_a1_user
    for action in ("dispatch", "start", "verify", "close"):
        actor = case_world.centre_a_user if action == "verify" else user
        case = transition(case, action, actor, note="好", assignee=user)
    send_outbox()
    bodies = [m.body for m in mailoutbox if m.to == ["chen@example.org"]]
    assert any(f"/feedback/track/{case.tracking_code}/rate/" in body for body in bodies)


def test_tracking_page_in_english(case_world, client, settings):
    """With English chosen, the tracking page speaks English."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    try:
        html = client.get("/feedback/track/").content.decode()
    finally:
        # The middleware leaves English active in this thread; later tests expect Chinese.
        translation.activate(settings.LANGUAGE_CODE)
    assert "Track your case" in html and "Tracking code" in html
