"""The staff inbox: filters, search, counts, reply templates, filing on behalf, the flow."""

import pytest
from django.utils import timezone

from feedback.enums import CaseState, Source
from feedback.models import Feedback, FieldLogEntry, ReplyTemplate

pytestmark = pytest.mark.django_db


def _body(response):
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8")
    return response.content.decode()


def test_inbox_filters_by_state_and_search(case_world, client):
    """Filtering by state and searching by ticket number narrow the list."""
    first = case_world.case(subject="路灯不亮")
    case_world.case(subject="垃圾没清运")
    Feedback.objects.filter(pk=first.pk).update(state=CaseState.DISPATCHED)
    client.force_login(case_world.centre_a_user)
    html = client.get("/admin/cases/?state=dispatched").content.decode()
    assert "路灯不亮" in html and "垃圾没清运" not in html
    html = client.get(f"/admin/cases/?q={first.ticket_number}").content.decode()
    assert "路灯不亮" in html and "垃圾没清运" not in html
    html = client.get("/admin/cases/?q=垃圾").content.decode()
    assert "垃圾没清运" in html and "路灯不亮" not in html


def test_inbox_filter_assigned_to_me(case_world, client):
    """'Only mine' lists the cases assigned to the account."""
    mine = case_world.case(subject="我的诉求")
    case_world.case(subject="别人的诉求")
    Feedback.objects.filter(pk=mine.pk).update(assignee=case_world.worker_a1_user)
    client.force_login(case_world.worker_a1_user)
    html = client.get("/admin/cases/?mine=1").content.decode()
    assert "我的诉求" in html and "别人的诉求" not in html


def test_dashboard_shows_counts(case_world, client):
    """The admin dashboard shows my open cases, overdue cases and failed deliveries."""
    case = case_world.case()
    Feedback.objects.filter(pk=case.pk).update(assignee=case_world.worker_a1_user)
    client.force_login(case_world.worker_a1_user)
    html = client.get("/admin/").content.decode()
    assert "我的在办诉求" in html and 'data-count="mine">1<' in html
    assert "发送失败的邮件" in html


def test_flow_through_the_case_page(case_world, client):
    """Dispatch, start, verify, reply and close through the case page's forms."""
    case = case_world.case()
    client.force_login(case_world.worker_a1_user)
    url = f"/admin/cases/{case.pk}/action/"
    worker = case_world.worker_a1_user.pk
    client.post(url, {"kind": "transition", "action": "dispatch", "assignee": worker})
    client.post(url, {"kind": "transition", "action": "start"})
    client.post(url, {"kind": "reply", "reply": "已修好"})
    client.post(url, {"kind": "transition", "action": "close"})
    case.refresh_from_db()
    assert case.state == CaseState.IN_PROGRESS  # closing before verification is refused
    page = client.get(f"/admin/cases/{case.pk}/", follow=True).content.decode()
    assert "核查" in page
    client.force_login(case_world.centre_a_user)  # verification is the service centre's
    client.post(url, {"kind": "transition", "action": "verify", "note": "现场确认"})
    client.post(url, {"kind": "transition", "action": "close"})
    case.refresh_from_db()
    assert (case.state, case.public_reply, case.owner) == (
        CaseState.CLOSED,
        "已修好",
        case_world.worker_a1_user,
    )


def test_refused_action_shows_a_message(case_world, client):
    """A refused action comes back as a message on the case page, not an error."""
    case = case_world.case()
    client.force_login(case_world.worker_a1_user)
    response = client.post(
        f"/admin/cases/{case.pk}/action/",
        {"kind": "transition", "action": "close"},
        follow=True,
    )
    assert response.status_code == 200
    assert "未经核查的诉求不能办结" in response.content.decode()


def test_reply_template_prefills_the_reply(case_world, client):
    """Choosing a template fills the reply box, which stays editable."""
    template = ReplyTemplate.objects.create(
        category=case_world.category, title="已维修", body="您反映的问题已安排维修。"
    )
    ReplyTemplate.objects.create(title="通用", body="感谢您的反映。")
    case = case_world.case()
    client.force_login(case_world.worker_a1_user)
    html = client.get(f"/admin/cases/{case.pk}/?template={template.pk}").content.decode()
    assert (
        '<textarea id="reply-text" name="reply" rows="5" aria-describedby="reply-public">'
        "您反映的问题已安排维修。"
    ) in html
    assert "通用" in html


def test_field_log_is_internal(case_world, client):
    """A field-log note is kept on the case and never reaches the tracking page."""
    case = case_world.case()
    client.force_login(case_world.worker_a1_user)
    client.post(f"/admin/cases/{case.pk}/action/", {"kind": "field_log", "note": "走访记录ABC"})
    assert FieldLogEntry.objects.get(case=case).note == "走访记录ABC"
    client.logout()
    html = client.get(f"/feedback/track/{case.tracking_code}/").content.decode()
    assert "走访记录ABC" not in html


def test_staff_file_a_case_on_behalf(case_world, client):
    """A walk-in case is filed with its source, and the filer owns it."""
    client.force_login(case_world.centre_a_user)
    response = client.post(
        "/admin/cases/new/",
        {
            "source": "walk_in",
            "category": case_world.category.pk,
            "grid": case_world.grid_a2.pk,
            "subject": "来访反映噪音",
            "message": "夜间施工噪音。",
            "contact_phone": "13800001111",
        },
    )
    case = Feedback.objects.get(subject="来访反映噪音")
    assert response.status_code == 302
    assert (case.source, case.owner, case.grid) == (
        Source.WALK_IN,
        case_world.centre_a_user,
        case_world.grid_a2,
    )


def test_filing_with_bad_input_shows_messages(case_world, client):
    """Missing fields and a bad e-mail come back as messages; nothing is saved."""
    client.force_login(case_world.centre_a_user)
    response = client.post("/admin/cases/new/", {"source": "web", "contact_email": "not-an-email"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "请选择电话或来访" in html and "请填写标题" in html and "有效的电子邮箱" in html
    assert not Feedback.objects.exists()


def test_extension_and_appeal_through_the_case_page(case_world, client):
    """A worker asks for an extension; the centre head approves it on the case page."""
    case = case_world.case()
    Feedback.objects.filter(pk=case.pk).update(state=CaseState.IN_PROGRESS)
    client.force_login(case_world.worker_a1_user)
    url = f"/admin/cases/{case.pk}/action/"
    client.post(url, {"kind": "extension", "working_days": "3", "note": "等配件"})
    extension = case.extension_requests.get()
    client.force_login(case_world.head_a_user)
    client.post(url, {"kind": "extension_decision", "extension": extension.pk, "approve": "1"})
    case.refresh_from_db()
    assert case.state == CaseState.EXTENDED


def test_dashboard_counts_failed_deliveries_within_visibility(case_world, client):
    """A failed e-mail about a visible case is counted; one about another grid's is not."""
    from post_office.models import STATUS, Email

    from feedback.models import Delivery

    for n, grid in enumerate([case_world.grid_a1, case_world.grid_b1]):
        case = case_world.case(grid)
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
    client.force_login(case_world.worker_a1_user)
    assert 'data-count="failed">1<' in client.get("/admin/").content.decode()
    client.force_login(case_world.admin)
    assert 'data-count="failed">2<' in client.get("/admin/").content.decode()


def test_worker_cannot_verify_through_the_case_page(case_world, client):
    """Posting 'verify' as the handling worker is refused with a message; no verify option."""
    case = case_world.case()
    client.force_login(case_world.worker_a1_user)
    url = f"/admin/cases/{case.pk}/action/"
    worker = case_world.worker_a1_user.pk
    client.post(url, {"kind": "transition", "action": "dispatch", "assignee": worker})
    client.post(url, {"kind": "transition", "action": "start"})
    response = client.post(
        url, {"kind": "transition", "action": "verify", "note": "自己核查"}, follow=True
    )
    html = response.content.decode()
    case.refresh_from_db()
    assert case.state == CaseState.IN_PROGRESS
    assert "办理人不能核查自己办理的诉求" in html
    assert '<option value="verify">' not in html


def test_case_page_shows_who_verified(case_world, client):
    """After the centre verifies, the case page names the verifier and the timeline step."""
    case = case_world.case()
    client.force_login(case_world.worker_a1_user)
    url = f"/admin/cases/{case.pk}/action/"
    client.post(
        url, {"kind": "transition", "action": "dispatch", "assignee": case_world.worker_a1_user.pk}
    )
    client.post(url, {"kind": "transition", "action": "start"})
    client.force_login(case_world.centre_a_user)
    assert '<option value="verify">' in client.get(f"/admin/cases/{case.pk}/").content.decode()
    client.post(url, {"kind": "transition", "action": "verify", "note": "回访确认"})
    html = client.get(f"/admin/cases/{case.pk}/").content.decode()
    assert '<dd id="case-verifier">centre-a（' in html
    assert "社区服务中心（centre-a） · 核查：回访确认" in html


def _file(client, case_world, **extra):
    data = {
        "source": "phone",
        "category": case_world.category.pk,
        "grid": case_world.grid_a1.pk,
        "subject": "电话反映路灯",
        "message": "三号楼路灯不亮。",
        "contact_email": "caller@example.org",
    }
    data.update(extra)
    return client.post("/admin/cases/new/", data, follow=True)


def test_tracking_code_is_shown_once_to_the_filer(case_world, client):
    """Filing on a caller's behalf shows the tracking code once, to read out; never again."""
    client.force_login(case_world.centre_a_user)
    first = _file(client, case_world).content.decode()
    case = Feedback.objects.get(subject="电话反映路灯")
    assert f"查询码 {case.tracking_code}" in first
    again = client.get(f"/admin/cases/{case.pk}/").content.decode()
    assert case.tracking_code not in again


def test_staff_pages_and_exports_never_show_the_tracking_code(case_world, client):
    """The case page, contact details, inbox and CSV export carry no tracking code."""
    case = case_world.case()
    client.force_login(case_world.admin)
    pages = [
        client.get(f"/admin/cases/{case.pk}/"),
        client.post(f"/admin/cases/{case.pk}/contact/"),
        client.get("/admin/cases/"),
        client.get("/admin/cases/?export=csv"),
        client.get("/admin/"),
    ]
    bodies = [_body(p) for p in pages]
    assert pages[1].status_code == 200 and "13912345678" in bodies[1]
    assert case.ticket_number in bodies[3]
    assert [n for n, body in enumerate(bodies) if case.tracking_code in body] == []


def test_staff_emails_never_carry_the_tracking_code(case_world, send_outbox, mailoutbox):
    """New-case, escalation and digest e-mails to staff carry no tracking code."""
    import datetime as dt

    from django.utils import timezone

    from feedback.handling.jobs import escalate_overdue, send_digest
    from feedback.intake.delivery import queue_case_received
    from feedback.intake.recipients import recipients_for

    case = case_world.case()
    queue_case_received(case, recipients_for(case))
    Feedback.objects.filter(pk=case.pk).update(deadline=timezone.now() - dt.timedelta(days=1))
    escalate_overdue()
    send_digest()
    send_outbox()
    staff = [m for m in mailoutbox if m.to != [case.contact_email]]
    assert {"centre-a@example.org", "head-a@example.org"} <= {a for m in staff for a in m.to}
    assert [m.subject for m in staff if case.tracking_code in m.subject + m.body] == []


def test_case_export_quotes_formula_subjects(case_world, client):
    """A resident's subject starting with '=' reaches the CSV export as text, not a formula."""
    import csv
    import io

    case_world.case(subject='=HYPERLINK("http://evil.example","点我")')
    client.force_login(case_world.centre_a_user)
    content = _body(client.get("/admin/cases/?export=csv"))
    rows = list(csv.reader(io.StringIO(content.removeprefix("\ufeff"))))
    assert rows[0][:4] == ["工单号", "类别", "网格", "标题"]
    assert rows[1][3] == '\'=HYPERLINK("http://evil.example","点我")'
    received = timezone.localtime(Feedback.objects.get().created_at)
    assert rows[1][6] == received.strftime("%Y-%m-%d %H:%M")  # local time, as on the case page


def test_xlsx_export_keeps_formula_subjects_as_text(case_world, client):
    """In the XLSX export a subject starting with '=' is a text cell, never a formula."""
    import io

    from openpyxl import load_workbook

    subject = '=HYPERLINK("http://evil.example","点我")'
    case = case_world.case(subject=subject)
    client.force_login(case_world.centre_a_user)
    response = client.get("/admin/cases/?export=xlsx")
    assert response["Content-Disposition"] == 'attachment; filename="cases.xlsx"'
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("工单号", "类别", "网格", "标题")
    assert rows[1][:4] == (case.ticket_number, "测试设施报修", "甲一网格", subject)
    assert sheet.cell(row=2, column=4).data_type == "s"


def test_inbox_and_case_forms_read_numbers_with_the_shared_parser(case_world, client):
    """Unicode digits and huge ids in the inbox filters and case forms give no server error."""
    case = case_world.case()
    client.force_login(case_world.admin)
    hostile = [
        "grid=²",
        "category=9223372036854775808",
        "grid=" + "9" * 30,
        "q=%00",
        "state=%00",
        "created_at_from=2026-13-45",
        "created_at_to=%00",
        "ordering=-password",
        "p=%00",
        "mine=2&due=never",
    ]
    for query in hostile:
        assert client.get(f"/admin/cases/?{query}").status_code == 200
        assert client.get(f"/admin/cases/results/?{query}").status_code == 200
        assert client.get(f"/admin/cases/?export=csv&{query}").status_code == 200
    assert client.get(f"/admin/cases/{case.pk}/?template=²").status_code == 200
    assert client.get("/admin/cases/9223372036854775808/").status_code == 404
    response = client.post(
        f"/admin/cases/{case.pk}/action/",
        {"kind": "extension", "working_days": "²", "note": "需要协调"},
    )
    assert response.status_code < 500


def _listed(client, query=""):
    """The subjects in the inbox list for `query`, in their order (the results fragment)."""
    import re

    html = client.get(f"/admin/cases/results/?{query}").content.decode()
    return re.findall(r"<td >\s*(诉求\S+)\s*</td>", html)


@pytest.fixture
def inbox_cases(case_world):
    """Cases in grids A1 and A2, of two categories, overdue, due this week and due later,
    received on different days."""
    import datetime as dt

    from django.utils import timezone

    from feedback.factories import FeedbackCategoryFactory

    now = timezone.now()
    other = FeedbackCategoryFactory(name="环境卫生")
    specs = [
        ("诉求甲", case_world.grid_a1, case_world.category, -2, 30),
        ("诉求乙", case_world.grid_a2, case_world.category, 3, 20),
        ("诉求丙", case_world.grid_a1, other, 20, 10),
    ]
    for subject, grid, category, due_in_days, received_days_ago in specs:
        case = case_world.case(grid, subject=subject, category=category)
        Feedback.objects.filter(pk=case.pk).update(
            deadline=now + dt.timedelta(days=due_in_days),
            created_at=now - dt.timedelta(days=received_days_ago),
        )
    return {"other": other, "now": now}


def test_inbox_filters_by_category_grid_deadline_and_date(case_world, client, inbox_cases):
    """Each filter narrows the list: category, grid, overdue, due this week, received from."""
    import datetime as dt

    client.force_login(case_world.centre_a_user)
    since = (inbox_cases["now"] - dt.timedelta(days=25)).date().isoformat()
    assert sorted(_listed(client)) == ["诉求丙", "诉求乙", "诉求甲"]
    assert _listed(client, f"category={inbox_cases['other'].pk}") == ["诉求丙"]
    assert sorted(_listed(client, f"grid={case_world.grid_a1.pk}")) == ["诉求丙", "诉求甲"]
    assert _listed(client, "due=overdue") == ["诉求甲"]
    assert _listed(client, "due=week") == ["诉求乙"]
    assert sorted(_listed(client, f"created_at_from={since}")) == ["诉求丙", "诉求乙"]


def test_inbox_grid_filter_offers_only_visible_grids(case_world, client, inbox_cases):
    """The grid filter of a worker offers their own grid and refuses another's."""
    client.force_login(case_world.worker_a2_user)
    html = client.get("/admin/cases/").content.decode()
    assert "甲二网格" in html and "甲一网格" not in html
    assert _listed(client, f"grid={case_world.grid_a1.pk}") == ["诉求乙"]  # invalid: unfiltered


def test_inbox_columns_sort(case_world, client, inbox_cases):
    """The list is newest first, and sorts by deadline or received time on request."""
    client.force_login(case_world.centre_a_user)
    assert _listed(client) == ["诉求丙", "诉求乙", "诉求甲"]
    assert _listed(client, "ordering=deadline") == ["诉求甲", "诉求乙", "诉求丙"]
    assert _listed(client, "ordering=-deadline") == ["诉求丙", "诉求乙", "诉求甲"]
    assert _listed(client, "ordering=created_at") == ["诉求甲", "诉求乙", "诉求丙"]


def test_export_follows_the_list_filters(case_world, client, inbox_cases):
    """The export holds the cases the list shows with the same filters."""
    client.force_login(case_world.centre_a_user)
    body = _body(client.get("/admin/cases/?export=csv&due=overdue"))
    assert "诉求甲" in body and "诉求乙" not in body and "诉求丙" not in body


def test_cases_change_only_through_the_case_page(case_world, client):
    """The inbox has no generic edit, delete, copy or history views for a case."""
    case = case_world.case()
    client.force_login(case_world.admin)
    for view in ("edit", "delete", "copy", "history", "usage", "inspect"):
        assert client.get(f"/admin/cases/{view}/{case.pk}/").status_code == 404
    assert Feedback.objects.filter(pk=case.pk).exists()


def test_inbox_is_not_open_without_the_view_permission(case_world, client, make_user):
    """An editor without the feedback permissions gets no inbox and no menu item."""
    from portal import roles

    editor = make_user("editor-x", roles.EDITORS)
    case = case_world.case()
    client.force_login(editor)
    refused = client.get("/admin/cases/")  # Wagtail's answer to a missing permission
    assert (refused.status_code, refused["Location"]) == (302, "/admin/")
    assert client.get(f"/admin/cases/{case.pk}/").status_code == 404
    assert "/admin/cases/" not in _menu_urls(editor)
    assert "/admin/cases/" in _menu_urls(case_world.worker_a1_user)


def _menu_urls(user):
    from django.test import RequestFactory
    from wagtail.admin.menu import admin_menu

    request = RequestFactory().get("/admin/")
    request.user = user
    return [item.url for item in admin_menu.menu_items_for_request(request)]


def test_a_grids_usage_page_lists_no_cases(case_world, client):
    """Cases are not in Wagtail's reference index: a grid's usage page (open to its editors)
    names none of its cases."""
    from wagtail.models import ReferenceIndex

    case = case_world.case(subject="用途页不应出现")
    client.force_login(case_world.admin)
    html = client.get(f"/admin/pages/{case_world.grid_a1.pk}/usage/").content.decode()
    assert case.ticket_number not in html and "用途页不应出现" not in html
    assert not ReferenceIndex.is_indexed(Feedback)
