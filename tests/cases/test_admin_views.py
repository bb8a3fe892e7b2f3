"""The staff inbox: filters, search, counts, reply templates, filing on behalf, the flow."""

import pytest

from feedback.enums import CaseState, Source
from feedback.models import Feedback, FieldLogEntry, ReplyTemplate

pytestmark = pytest.mark.django_db


def test_inbox_filters_by_state_and_search(world, client):
    """Filtering by state and searching by ticket number narrow the list."""
    first = world.case(subject="路灯不亮")
    world.case(subject="垃圾没清运")
    Feedback.objects.filter(pk=first.pk).update(state=CaseState.DISPATCHED)
    client.force_login(world.centre_a_user)
    html = client.get("/admin/cases/?state=dispatched").content.decode()
    assert "路灯不亮" in html and "垃圾没清运" not in html
    html = client.get(f"/admin/cases/?q={first.ticket_number}").content.decode()
    assert "路灯不亮" in html and "垃圾没清运" not in html
    html = client.get("/admin/cases/?q=垃圾").content.decode()
    assert "垃圾没清运" in html and "路灯不亮" not in html


def test_inbox_filter_assigned_to_me(world, client):
    """'Only mine' lists the cases assigned to the account."""
    mine = world.case(subject="我的诉求")
    world.case(subject="别人的诉求")
    Feedback.objects.filter(pk=mine.pk).update(assignee=world.worker_a1_user)
    client.force_login(world.worker_a1_user)
    html = client.get("/admin/cases/?mine=1").content.decode()
    assert "我的诉求" in html and "别人的诉求" not in html


def test_dashboard_shows_counts(world, client):
    """The admin dashboard shows my open cases, overdue cases and failed deliveries."""
    case = world.case()
    Feedback.objects.filter(pk=case.pk).update(assignee=world.worker_a1_user)
    client.force_login(world.worker_a1_user)
    html = client.get("/admin/").content.decode()
    assert "我的在办诉求" in html and 'data-count="mine">1<' in html
    assert "发送失败的邮件" in html


def test_flow_through_the_case_page(world, client):
    """Dispatch, start, verify, reply and close through the case page's forms."""
    case = world.case()
    client.force_login(world.worker_a1_user)
    url = f"/admin/cases/{case.pk}/action/"
    worker = world.worker_a1_user.pk
    client.post(url, {"kind": "transition", "action": "dispatch", "assignee": worker})
    client.post(url, {"kind": "transition", "action": "start"})
    client.post(url, {"kind": "reply", "reply": "已修好"})
    client.post(url, {"kind": "transition", "action": "close"})
    case.refresh_from_db()
    assert case.state == CaseState.IN_PROGRESS  # closing before verification is refused
    page = client.get(f"/admin/cases/{case.pk}/", follow=True).content.decode()
    assert "核查" in page
    client.force_login(world.centre_a_user)  # verification is the service centre's
    client.post(url, {"kind": "transition", "action": "verify", "note": "现场确认"})
    client.post(url, {"kind": "transition", "action": "close"})
    case.refresh_from_db()
    assert (case.state, case.public_reply, case.owner) == (
        CaseState.CLOSED,
        "已修好",
        world.worker_a1_user,
    )


def test_refused_action_shows_a_message(world, client):
    """A refused action comes back as a message on the case page, not an error."""
    case = world.case()
    client.force_login(world.worker_a1_user)
    response = client.post(
        f"/admin/cases/{case.pk}/action/",
        {"kind": "transition", "action": "close"},
        follow=True,
    )
    assert response.status_code == 200
    assert "未经核查的诉求不能办结" in response.content.decode()


def test_reply_template_prefills_the_reply(world, client):
    """Choosing a template fills the reply box, which stays editable."""
    template = ReplyTemplate.objects.create(
        category=world.category, title="已维修", body="您反映的问题已安排维修。"
    )
    ReplyTemplate.objects.create(title="通用", body="感谢您的反映。")
    case = world.case()
    client.force_login(world.worker_a1_user)
    html = client.get(f"/admin/cases/{case.pk}/?template={template.pk}").content.decode()
    assert '<textarea id="reply-text" name="reply" rows="5">您反映的问题已安排维修。' in html
    assert "通用" in html


def test_field_log_is_internal(world, client):
    """A field-log note is kept on the case and never reaches the tracking page."""
    case = world.case()
    client.force_login(world.worker_a1_user)
    client.post(f"/admin/cases/{case.pk}/action/", {"kind": "field_log", "note": "走访记录ABC"})
    assert FieldLogEntry.objects.get(case=case).note == "走访记录ABC"
    client.logout()
    html = client.get(f"/feedback/track/{case.tracking_code}/").content.decode()
    assert "走访记录ABC" not in html


def test_staff_file_a_case_on_behalf(world, client):
    """A walk-in case is filed with its source, and the filer owns it."""
    client.force_login(world.centre_a_user)
    response = client.post(
        "/admin/cases/new/",
        {
            "source": "walk_in",
            "category": world.category.pk,
            "grid": world.grid_a2.pk,
            "subject": "来访反映噪音",
            "message": "夜间施工噪音。",
            "contact_phone": "13800001111",
        },
    )
    case = Feedback.objects.get(subject="来访反映噪音")
    assert response.status_code == 302
    assert (case.source, case.owner, case.grid) == (
        Source.WALK_IN,
        world.centre_a_user,
        world.grid_a2,
    )


def test_filing_with_bad_input_shows_messages(world, client):
    """Missing fields and a bad e-mail come back as messages; nothing is saved."""
    client.force_login(world.centre_a_user)
    response = client.post("/admin/cases/new/", {"source": "web", "contact_email": "not-an-email"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "请选择电话或来访" in html and "请填写标题" in html and "有效的电子邮箱" in html
    assert not Feedback.objects.exists()


def test_extension_and_appeal_through_the_case_page(world, client):
    """A worker asks for an extension; the centre head approves it on the case page."""
    case = world.case()
    Feedback.objects.filter(pk=case.pk).update(state=CaseState.IN_PROGRESS)
    client.force_login(world.worker_a1_user)
    url = f"/admin/cases/{case.pk}/action/"
    client.post(url, {"kind": "extension", "working_days": "3", "note": "等配件"})
    extension = case.extension_requests.get()
    client.force_login(world.head_a_user)
    client.post(url, {"kind": "extension_decision", "extension": extension.pk, "approve": "1"})
    case.refresh_from_db()
    assert case.state == CaseState.EXTENDED


def test_dashboard_counts_failed_deliveries_within_visibility(world, client):
    """A failed e-mail about a visible case is counted; one about another grid's is not."""
    from post_office.models import STATUS, Email

    from feedback.models import Delivery

    for n, grid in enumerate([world.grid_a1, world.grid_b1]):
        case = world.case(grid)
        email = Email.objects.create(
            from_email="noreply@localhost", to=["x@example.org"], status=STATUS.failed
        )
        Delivery.objects.create(
            case=case,
            recipient_email="x@example.org",
            role="resident",
            email=email,
            message_id=f"<m{n}@test>",
        )
    client.force_login(world.worker_a1_user)
    assert 'data-count="failed">1<' in client.get("/admin/").content.decode()
    client.force_login(world.admin)
    assert 'data-count="failed">2<' in client.get("/admin/").content.decode()
