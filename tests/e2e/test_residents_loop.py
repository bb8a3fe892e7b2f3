"""Browser: a resident's whole loop: the form, the SMS receipt, losing the code, finding the
case again by mobile, and rating it (the SMS backend is locmem, as in every test)."""

import re

from django.utils import timezone
from playwright.sync_api import expect

from feedback.enums import CaseState
from feedback.intake import sms as outbox
from feedback.models import Feedback
from portal.sms.backends import LocmemBackend

from .test_feedback import feedback_site  # noqa: F401 (a fixture)

MOBILE = "13800001234"


def test_form_sms_receipt_lost_code_found_by_mobile_and_rated(new_context, feedback_site, axe):  # noqa: F811
    LocmemBackend.outbox.clear()
    page = new_context().new_page()
    page.goto("/feedback/")
    page.locator("input[name=category]").first.check()
    page.select_option("#id_grid", index=1)
    page.fill("#id_place", "希望家园3号楼东侧")
    page.fill("#id_subject", "路灯不亮")
    page.fill("#id_message", "十九巷口的路灯连续几个晚上不亮，夜里走路看不清。")
    page.fill("#id_contact_phone", MOBILE)
    page.click(".feedback-form button[type=submit]:not([form])")
    page.wait_for_url("**/feedback/thanks/")
    code = page.locator("#tracking-code").inner_text()
    expect(page.locator(".confirmation__sms")).to_contain_text("138****1234")
    expect(page.locator("#copy-code")).to_be_visible()
    axe(page)

    # The worker sends the outbox: the receipt reaches the mobile with the ticket and code.
    outbox.send_due()
    (receipt,) = [m for m in LocmemBackend.outbox if m.template == "receipt"]
    case = Feedback.objects.get()
    assert receipt.phone == MOBILE and code in receipt.text and case.ticket_number in receipt.text

    # The code is lost (another browser, no cookies); the staff close the case meanwhile.
    Feedback.objects.filter(pk=case.pk).update(
        state=CaseState.CLOSED, closed_at=timezone.now(), public_reply="路灯已修好。"
    )
    page = new_context().new_page()
    page.goto("/feedback/track/")
    page.click("text=忘了查询码？凭手机号查找")
    page.fill("#mobile-number", MOBILE)
    page.click("button:has-text('发送验证码')")
    expect(page.locator("#mobile-code")).to_be_visible()
    (login,) = [m for m in LocmemBackend.outbox if m.template == "login_code"]
    page.fill("#mobile-code", re.search(r"\d{6}", login.text).group(0))
    page.click("button:has-text('查看我的诉求')")
    axe(page)
    page.click(f"text={case.ticket_number}")
    page.wait_for_url(f"**/feedback/track/{case.tracking_code}/")

    page.get_by_role("link", name="评价办理情况").click()
    page.click("label[for=level-5]")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(f"**/feedback/track/{case.tracking_code}/#rating")
    assert Feedback.objects.get().rating.level == 5
