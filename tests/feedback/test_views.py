"""The form page: what residents see, what is saved, and how bad input is answered."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation
from PIL import Image
from post_office.models import Email

from feedback.models import Delivery, Feedback, FeedbackEvent, FeedbackPhoto

from .conftest import make_image
from .test_photos import gps_exif

pytestmark = pytest.mark.django_db


def photo(name="photo.jpg", data=None):
    return SimpleUploadedFile(name, data or make_image(exif=gps_exif()), "image/jpeg")


def test_form_lists_categories_grids_and_privacy(client, form_data, grid, east_grid):
    """The form shows categories with deadlines, grids grouped by area, and who sees contacts."""
    html = client.get("/feedback/").content.decode()
    assert "环境卫生" in html and "办理时限：5个工作日" in html
    assert '<optgroup label="明华社区">' in html
    assert "第一网格（110105001001001）" in html and "第二网格" in html
    assert "我不知道（由社区服务中心受理）" in html
    assert "不清楚具体网格（明华社区）" in html
    assert "只有处理您诉求的工作人员可以看到" in html


def test_emergency_numbers_are_shown(client, form_data):
    """With an emergency category on the list, the emergency numbers are on the form, each a
    `tel:` link."""
    html = client.get("/feedback/").content.decode()
    assert '报警 <a class="tel" href="tel:110">110</a>' in html
    assert '急救 <a class="tel" href="tel:120">120</a>' in html


def test_submission_saves_case_photos_event_and_emails(client, form_data, grid):
    """One POST saves the case, its photos, the first event and queued e-mails."""
    response = client.post(
        "/feedback/", {**form_data(), "photos": [photo("a.jpg"), photo("b.jpg")]}
    )
    assert response.status_code == 302
    case = Feedback.objects.get()
    assert case.grid == grid and case.community == grid.community()
    assert case.state == "received" and case.deadline is not None
    assert case.photos.count() == 2
    assert FeedbackEvent.objects.filter(case=case, state="received").count() == 1
    roles = set(Delivery.objects.filter(case=case).values_list("role", flat=True))
    assert roles == {"on_duty_worker", "service_centre", "resident"}
    assert Email.objects.count() == 3


def test_confirmation_shows_ticket_code_and_deadline(client, form_data):
    """After sending, the resident sees the ticket number, tracking code and deadline."""
    response = client.post("/feedback/", form_data(), follow=True)
    case = Feedback.objects.get()
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == "/feedback/thanks/"
    assert case.ticket_number in html and case.tracking_code in html
    assert "办理时限" in html and "接下来会怎样" in html


def test_confirmation_is_only_for_the_sender(client, form_data):
    """Another browser opening /feedback/thanks/ is sent to the form, not shown a code."""
    client.post("/feedback/", form_data())
    other = Client().get("/feedback/thanks/")
    assert other.status_code == 302 and other["Location"] == "/feedback/"


def test_stored_photo_has_no_gps_and_no_public_url(client, form_data, settings):
    """The stored copy has no EXIF and lives under the private root, not MEDIA_ROOT."""
    client.post("/feedback/", {**form_data(), "photos": [photo()]})
    record = FeedbackPhoto.objects.get()
    assert str(settings.PORTAL_PRIVATE_ROOT) in record.file.path
    assert str(settings.MEDIA_ROOT) not in record.file.path
    with record.file.open("rb") as handle:
        assert dict(Image.open(io.BytesIO(handle.read())).getexif()) == {}
    with pytest.raises(NotImplementedError):
        record.file.url  # noqa: B018


def test_bad_photo_is_named_and_text_kept(client, form_data):
    """A renamed non-image gets a message next to the photo field; the text stays filled."""
    fake = SimpleUploadedFile("scan.jpg", b"not an image at all" * 50, "image/jpeg")
    response = client.post("/feedback/", {**form_data(), "photos": [fake]})
    html = response.content.decode()
    assert response.status_code == 400
    assert "“scan.jpg”不是可以打开的图片" in html
    assert "希望家园3号楼东侧的垃圾桶已经满了两天" in html
    assert Feedback.objects.count() == 0


def test_more_than_three_photos_refused(client, form_data):
    """Four photos get the "at most 3" message."""
    response = client.post("/feedback/", {**form_data(), "photos": [photo() for _i in range(4)]})
    assert "最多上传3张照片" in response.content.decode()
    assert Feedback.objects.count() == 0


def test_over_long_message_keeps_text(client, form_data):
    """A 2,001-character message is refused with the count, and the text is kept."""
    long_text = "字" * 2001
    response = client.post("/feedback/", form_data(message=long_text))
    html = response.content.decode()
    assert response.status_code == 400
    assert "内容最多2000字（现在2001字）" in html
    assert long_text in html
    assert 'aria-invalid="true"' in html


def test_empty_fields_get_clear_messages(client, form_data):
    """Blank subject, whitespace-only message and no grid each get their own message."""
    response = client.post("/feedback/", form_data(subject="", message="   ", grid=""))
    html = response.content.decode()
    assert "请填写标题。" in html and "请填写内容。" in html
    assert "请选择网格；不清楚时请选“我不知道”。" in html


def test_malformed_email_and_phone(client, form_data):
    """A malformed e-mail address and phone number are refused next to their fields."""
    response = client.post("/feedback/", form_data(contact_email="abc@", contact_phone="call me"))
    html = response.content.decode()
    assert "请输入有效的电子邮箱" in html and "请输入有效的电话号码" in html


def test_forged_choice_values(client, form_data):
    """Unknown category and grid values get messages, never a server error."""
    response = client.post("/feedback/", form_data(category="99999", grid="g99999"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "请从列表中选择一个类别。" in html
    assert "请从列表中选择网格" in html


def test_unknown_grid_is_accepted(client, form_data, centre):
    """'I don't know' saves a case with no grid, for the default service centre."""
    client.post("/feedback/", form_data(grid="unknown"))
    case = Feedback.objects.get()
    assert case.grid is None and case.community is None
    assert list(case.deliveries.filter(purpose="new_case").values_list("role", flat=True)) == [
        "service_centre"
    ]


def test_community_without_grid(client, form_data, community):
    """'Not sure which grid' in a community records that community."""
    client.post("/feedback/", form_data(grid=f"c{community.pk}"))
    case = Feedback.objects.get()
    assert case.grid is None and case.community == community


def test_honeypot_saves_nothing(client, form_data):
    """A filled honeypot field is refused and nothing is saved or sent."""
    response = client.post("/feedback/", form_data(website="http://spam.example"))
    assert response.status_code == 400
    assert Feedback.objects.count() == 0 and Email.objects.count() == 0


def test_csrf_is_enforced(form_data):
    """A POST without the CSRF token is refused; with the token from the form it is saved."""
    browser = Client(enforce_csrf_checks=True)
    assert browser.post("/feedback/", form_data()).status_code == 403
    assert Feedback.objects.count() == 0
    browser.get("/feedback/")
    token = browser.cookies["csrftoken"].value
    response = browser.post("/feedback/", {**form_data(), "csrfmiddlewaretoken": token})
    assert response.status_code == 302 and Feedback.objects.count() == 1


def test_rate_limit_per_ip(client, form_data, settings):
    """The sixth submission in an hour from one address is refused with a clear message."""
    settings.FEEDBACK_RATE_LIMIT_PER_IP = 5
    settings.FEEDBACK_RATE_LIMIT_PER_CONTACT = 100
    for n in range(5):
        assert (
            client.post("/feedback/", form_data(contact_phone=f"1380000{n:04d}")).status_code == 302
        )
    response = client.post("/feedback/", form_data(contact_phone="13899999999"))
    assert response.status_code == 429
    assert "一小时内提交的诉求已达上限" in response.content.decode()
    assert Feedback.objects.count() == 5
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert other.post("/feedback/", form_data(contact_phone="13700000000")).status_code == 302


def test_rate_limit_per_contact(form_data, settings):
    """One phone number from many addresses is limited too."""
    settings.FEEDBACK_RATE_LIMIT_PER_IP = 100
    settings.FEEDBACK_RATE_LIMIT_PER_CONTACT = 2
    for n in range(2):
        response = Client(REMOTE_ADDR=f"10.0.1.{n}").post("/feedback/", form_data())
        assert response.status_code == 302
    response = Client(REMOTE_ADDR="10.0.1.99").post(
        "/feedback/", form_data(contact_phone="138-0000-1234")
    )
    assert response.status_code == 429
    assert "这个联系方式一小时内提交的诉求已达上限" in response.content.decode()


def test_rate_limits_can_be_turned_off(client, form_data, settings):
    """With the switch off (the bench), there is no limit."""
    settings.FEEDBACK_RATE_LIMITS_ENABLED = False
    settings.FEEDBACK_RATE_LIMIT_PER_IP = 1
    for _i in range(3):
        assert client.post("/feedback/", form_data()).status_code == 302


def test_signed_in_resident_is_recorded(client, form_data, resident):
    """A signed-in resident's account is kept on the case."""
    client.force_login(resident)
    client.post("/feedback/", form_data())
    assert Feedback.objects.get().submitter == resident


def test_no_acknowledgement_without_email(client, form_data):
    """Without an e-mail address no acknowledgement is queued."""
    client.post("/feedback/", form_data(contact_email=""))
    assert not Delivery.objects.filter(purpose="acknowledgement").exists()


def test_form_in_english(client, form_data, settings):
    """With English chosen, the form's labels and grid list are in English."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    try:
        html = client.get("/feedback/").content.decode()
    finally:
        # The request left English active in this thread; later tests expect the default.
        translation.activate(settings.LANGUAGE_CODE)
    assert "I don&#x27;t know (the service centre will take it)" in html
    assert "Contact details (optional)" in html


def test_forged_confirmation_cookie_shows_nothing(client, form_data):
    """A confirmation cookie not signed by the site leads back to the form."""
    client.post("/feedback/", form_data())
    case = Feedback.objects.get()
    client.cookies["feedback_confirmation"] = str(case.pk)
    response = client.get("/feedback/thanks/")
    assert response.status_code == 302
    assert case.tracking_code not in response.content.decode()


def test_each_resident_gets_their_own_csrf_token(form_data, grid):
    """The empty form is rendered once and cached, but every resident gets a working token of
    their own in it."""
    import re

    form_data()  # the page, grid and centre
    tokens = []
    for _n in range(2):
        resident = Client(enforce_csrf_checks=True)
        html = resident.get("/feedback/").content.decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        assert "__portal_csrf_token__" not in html
        tokens.append(token)
        data = {**form_data(), "csrfmiddlewaretoken": token}
        assert resident.post("/feedback/", data).status_code == 302
    assert tokens[0] != tokens[1]
    assert Feedback.objects.count() == 2


def test_a_new_category_appears_on_the_form_at_once(client, form_data):
    """The cached form follows the category list: a category added in the admin shows next."""
    from feedback.models import FeedbackCategory

    form_data()
    assert "噪音扰民" not in client.get("/feedback/").content.decode()
    FeedbackCategory.objects.create(
        name="噪音扰民", work_type="complaint", deadline_amount=3, deadline_unit="working_days"
    )
    assert "噪音扰民" in client.get("/feedback/").content.decode()


def test_a_renamed_grid_appears_on_the_form_at_once(client, form_data, grid):
    form_data()
    assert "第一网格（" in client.get("/feedback/").content.decode()
    grid.title = "希望家园网格"
    grid.save_revision().publish()
    assert "希望家园网格（" in client.get("/feedback/").content.decode()


def test_a_rejected_form_keeps_the_residents_text_not_the_cached_form(client, form_data):
    """A form sent back with errors shows what this resident wrote, never the cached empty form."""
    client.get("/feedback/")
    response = client.post("/feedback/", form_data(subject="", message="我写的内容要保留"))
    html = response.content.decode()
    assert response.status_code == 400
    assert "我写的内容要保留" in html and "请填写标题" in html


def test_made_up_presets_share_the_plain_forms_cache_entry(client, form_data, request):
    """?category= and ?publicity= values that name nothing are the plain form: they add nothing
    to the cache, however many a visitor makes up."""
    form_data()
    client.get("/feedback/")  # the site's first visit creates its settings (a new version)
    plain = client.get("/feedback/").content.decode()
    written = request.getfixturevalue("cache_writes")
    for n in range(5):
        response = client.get(f"/feedback/?category=made-up-{n}&publicity=9999{n}")
        assert response.status_code == 200
        assert "checked" not in response.content.decode().split('name="category"')[1][:200]
    assert written == []
    assert "对《" not in plain


def test_form_looks_grids_up_by_url_name(client, form_data, settings):
    """The form's grid lookup address comes from the URL name, wherever grids are mounted."""
    settings.ROOT_URLCONF = "tests.home.moved_grids_urls"
    html = client.get("/feedback/").content.decode()
    assert 'data-lookup-url="/elsewhere/api/grids/lookup/"' in html


@pytest.fixture
def lane_split(grid, east_grid):
    """明华街东十九巷 1–20 in the first grid, 21–40 in the east grid."""
    from grids.models import GridAddress

    GridAddress.objects.create(grid=grid, place="明华街东十九巷", number_from=1, number_to=20)
    GridAddress.objects.create(grid=east_grid, place="明华街东十九巷", number_from=21, number_to=40)
    east_grid.save_revision().publish()
    return grid, east_grid


def test_form_asks_to_pick_a_grid_when_the_place_gives_candidates(client, form_data, lane_split):
    """No grid chosen, the place a near miss (东 left out): the form comes back asking, without
    JavaScript, with the candidate grid, its worker and "not sure"; nothing is saved yet."""
    grid, _east = lane_split
    response = client.post("/feedback/", form_data(grid="unknown", place="明华街十九巷6号"))
    assert response.status_code == 400
    html = response.content.decode()
    assert 'name="grid_asked" value="1"' in html
    assert f'value="g{grid.pk}"' in html
    assert 'id="grid-candidate-unsure" value="unknown"' in html
    assert grid.title in html
    assert not Feedback.objects.exists()


def test_form_takes_the_picked_candidate(client, form_data, lane_split):
    """Picking a candidate sends the case to that grid."""
    grid, _east = lane_split
    data = form_data(grid=f"g{grid.pk}", place="明华街十九巷6号", grid_asked="1")
    assert client.post("/feedback/", data).status_code == 302
    assert Feedback.objects.get().grid == grid


def test_form_not_sure_after_asking_goes_to_the_centre(client, form_data, lane_split):
    """ "Not sure" once asked: the case is received without a grid (the service centre)."""
    data = form_data(grid="unknown", place="明华街十九巷6号", grid_asked="1")
    assert client.post("/feedback/", data).status_code == 302
    assert Feedback.objects.get().grid is None


def test_consent_to_show_the_case_is_offered_off(client, form_data):
    """The form asks whether the case may be shown publicly, with the box not ticked."""
    html = client.get("/feedback/").content.decode()
    assert "可以公开展示本诉求的内容（不含个人信息）" in html
    (box,) = re.findall(r'<input[^>]*name="public_consent"[^>]*>', html)
    assert 'type="checkbox"' in box and "checked" not in box


def test_consent_is_saved_only_when_ticked(client, form_data):
    """A ticked box records the consent; a form sent without it records none."""
    client.post("/feedback/", form_data(public_consent="on"))
    client.post("/feedback/", form_data(subject="第二件事"))
    consents = dict(Feedback.objects.values_list("subject", "public_consent"))
    assert consents == {"楼下垃圾两天没清运": True, "第二件事": False}
