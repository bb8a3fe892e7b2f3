"""The grid worker's day on a phone (360×780): log a patrol with a photo, turn its finding into
a handover slip to a line, and find the slip on the community's weekly agenda."""

import io
import re

import pytest
from PIL import Image
from post_office.models import Email

from feedback.factories import ServiceCentreFactory
from fieldwork.models import HandoverSlip, Line, Patrol
from grids.factories import GridWorkerFactory, build_area_tree
from portal import roles
from portal.factories import UserFactory

PASSWORD = "correct-horse-battery"  # portal.factories.UserFactory's
PHONE = {"width": 360, "height": 780}


@pytest.fixture
def worker_grid(home_page):
    """明华社区 with its centre and a line, and a grid whose primary worker has an account."""
    user = UserFactory(username="worker-fw", email="w@example.org", groups=[roles.GRID_WORKERS])
    tree = build_area_tree(
        home_page,
        {
            "community": {
                "title": "明华社区",
                "slug": "mh",
                "code": "C1",
                "level": "community",
                "extent": (0, 0, 0.01, 0.01),
                "children": {
                    "grid": {
                        "title": "第一网格",
                        "slug": "g1",
                        "code": "C101",
                        "level": "grid",
                        "extent": (0, 0, 0.01, 0.01),
                        "primary_worker": GridWorkerFactory(name="张敏", user=user),
                    }
                },
            }
        },
    )
    ServiceCentreFactory(name="明华社区服务中心", community=tree["community"])
    Line.objects.create(name="社保", contact_name="周科员", email="shebao@example.org")
    return tree["grid"]


def _jpeg():
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), (90, 140, 60)).save(buffer, "JPEG")
    return buffer.getvalue()


def _sign_in(page, next_url):
    page.goto(f"/accounts/login/?next={next_url}")
    page.fill("#id_login", "worker-fw")
    page.fill("#id_password", PASSWORD)
    page.locator("form:has(#id_login) button[type=submit]").click()
    page.wait_for_url(f"**{next_url}")


def test_worker_logs_a_patrol_and_hands_a_finding_to_a_line(new_context, worker_grid):
    """Patrol with a photo → finding as a handover slip → the slip on the weekly agenda."""
    page = new_context(viewport=PHONE).new_page()
    page.set_default_timeout(15_000)
    _sign_in(page, "/admin/fieldwork/patrols/new/")

    # Today and the worker's own grid are already chosen: route, finding and photo are all.
    assert page.locator("#id_grid").input_value() == str(worker_grid.pk)
    assert page.locator("#id_date").input_value()
    page.fill("#id_route", "1号楼—菜市场—东门")
    page.fill("#id_finding", "7号楼独居老人反映低保续办流程不清楚")
    page.fill("#id_finding_place", "7号楼3单元")
    page.set_input_files(
        "#patrol-photos",
        files=[{"name": "IMG_0001.jpg", "mimeType": "image/jpeg", "buffer": _jpeg()}],
    )
    page.get_by_role("button", name="保存巡查").click()
    page.wait_for_url("**/admin/fieldwork/patrols/*/")

    # The photo is shown to the worker through the permission-checked view.
    photo = page.locator(".patrol-photos img").first
    photo.scroll_into_view_if_needed()  # it loads lazily
    # decode() waits for the image to load (and fails if it cannot), however slow the machine.
    assert photo.evaluate("img => img.decode().then(() => img.naturalWidth)") == 320
    assert Patrol.objects.get().photos.count() == 1

    page.get_by_role("link", name="转交条线").click()
    page.select_option("#id_line", label="社保")
    assert page.locator("#id_subject").input_value().startswith("7号楼独居老人")
    page.get_by_role("button", name="发出工作单").click()
    page.wait_for_url("**/admin/fieldwork/slips/*/")
    assert "已发送" in page.locator("#slip-state").inner_text()
    slip = HandoverSlip.objects.get()
    assert Email.objects.filter(to=["shebao@example.org"], subject__contains=slip.number).exists()

    # The open slip is on the community's agenda for the weekly analysis meeting.
    page.goto("/admin/fieldwork/agenda/")
    assert slip.subject in page.locator(".agenda-slips").inner_text()


def test_the_line_acknowledges_a_slip_on_a_phone(new_context, worker_grid, axe):
    """The line's contact opens the e-mail's link on a phone: an accessible page, signs for the
    slip, then reports it done."""
    from fieldwork.handover import send_slip

    slip = send_slip(
        worker_grid.primary_worker.user,
        line=Line.objects.get(name="社保"),
        grid=worker_grid,
        subject="灵活就业人员社保缴费咨询",
        details="新搬来的住户咨询灵活就业人员怎么缴社保，请上门讲解。",
        place="7号楼3单元",
    )
    link = re.search(r"https?://\S+/fieldwork/slips/\S+/", Email.objects.get().message).group(0)
    page = new_context(viewport=PHONE).new_page()
    page.set_default_timeout(15_000)
    page.goto(link[link.index("/fieldwork/") :])
    axe(page)
    page.fill("#ack-name", "周科员")
    page.get_by_role("button", name="签收").click()
    page.wait_for_load_state()
    assert "已签收" in page.locator(".slip-details").inner_text()
    page.fill("#ack-text", "已上门讲解，住户已在线办理参保登记。")
    page.get_by_role("button", name="已办结，提交结果").click()
    page.wait_for_load_state()
    slip.refresh_from_db()
    assert slip.state == "done"
    assert "已办结，感谢配合" in page.locator("main").inner_text()
