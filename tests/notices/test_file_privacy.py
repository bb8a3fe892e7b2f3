"""No file is public before its page is: documents and images stay private until a visible page
uses them, and uploads with unmasked personal data are refused."""

import io

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.urls import reverse
from django.views.static import serve
from wagtail.documents.models import Document
from wagtail.images import get_image_model

from notices.factories import NoticePageFactory
from notices.models import NoticePage

from .documents import csv_bytes, make_document

pytestmark = pytest.mark.django_db

LEAKED_ROWS = [["姓名", "身份证号", "手机"], ["张*三", "350102199001011234", "13812345678"]]


def media_status(rf, name):
    """What the dev server (`make run`: DEBUG, static() in portal/urls.py) answers for
    /media/<name>."""
    try:
        return serve(rf.get(settings.MEDIA_URL + name), name, settings.MEDIA_ROOT).status_code
    except Http404:
        return 404


def root_collection():
    from wagtail.models import Collection

    return Collection.get_first_root_node().pk


def attach(notice_index, document, **kwargs):
    return NoticePageFactory(
        parent=notice_index,
        attachments=[("document", {"document": document, "title": ""})],
        **kwargs,
    )


def png_bytes():
    from PIL import Image as PILImage

    buffer = io.BytesIO()
    PILImage.new("RGB", (40, 30), "#336699").save(buffer, format="PNG")
    return buffer.getvalue()


def make_image(title="社区活动照片"):
    from django.core.files.images import ImageFile

    image = get_image_model()(title=title, file=ImageFile(io.BytesIO(png_bytes()), "photo.png"))
    image.save()
    return image


def test_leaked_attachment_is_refused_and_reachable_nowhere(client, rf, notice_index):
    """A CSV with an unmasked ID and mobile: publishing is refused and no URL serves the file."""
    document = make_document("居民名单.csv", csv_bytes(LEAKED_ROWS))
    with pytest.raises(ValidationError) as refused:
        attach(notice_index, document)
    assert "第2行第2列" in refused.value.message_dict["attachments"][0]
    assert not NoticePage.objects.live().exists()

    assert client.get(document.url).status_code == 404
    assert client.get(f"/documents/{document.pk}/{document.filename}").status_code == 404
    assert media_status(rf, document.file.name) == 404
    assert not document.file.path.startswith(str(settings.MEDIA_ROOT))


def test_staff_with_collection_permission_can_download_it(client, editor, notice_index):
    """An editor (permission on the collection) downloads from the admin a file that anonymous
    visitors cannot fetch."""
    document = make_document("居民名单.csv", csv_bytes(LEAKED_ROWS))
    assert client.get(document.url).status_code == 404
    client.force_login(editor)
    listing = client.get(reverse("wagtaildocs:index")).content.decode()
    assert document.url in listing
    response = client.get(document.url)
    assert response.status_code == 200
    assert b"13812345678" in b"".join(response.streaming_content)


def test_signed_in_user_without_permission_gets_404(client, resident, notice_index):
    """Being signed in is not enough: a resident without collection permission gets 404."""
    document = make_document("居民名单.csv", csv_bytes(LEAKED_ROWS))
    client.force_login(resident)
    assert client.get(document.url).status_code == 404


def test_attachment_is_public_while_its_notice_is_live(client, notice_index):
    """A clean attachment answers 200 on a published notice, and 404 once it is unpublished."""
    document = make_document("停水安排.csv", csv_bytes([["楼号", "时间"], ["3号楼", "9:00"]]))
    assert client.get(document.url).status_code == 404
    notice = attach(notice_index, document)
    response = client.get(document.url)
    assert response.status_code == 200
    assert "3号楼".encode() in b"".join(response.streaming_content)

    notice.unpublish()
    assert client.get(document.url).status_code == 404


def test_attachment_added_in_an_unpublished_draft_is_not_public(client, notice_index):
    """A file added to a live notice's draft stays private until that draft is published."""
    notice = NoticePageFactory(parent=notice_index)
    document = make_document("停水安排.csv", csv_bytes([["3号楼", "9:00"]]))
    notice.attachments = [("document", {"document": document, "title": ""})]
    revision = notice.save_revision()
    assert client.get(document.url).status_code == 404

    revision.publish()
    assert client.get(document.url).status_code == 200


def test_served_documents_are_not_kept_by_shared_caches(client, notice_index):
    """A served document says "private, no-cache", so no proxy keeps it past an unpublish."""
    document = make_document("停水安排.csv", csv_bytes([["3号楼", "9:00"]]))
    attach(notice_index, document)
    cache_control = client.get(document.url)["Cache-Control"]
    assert "private" in cache_control
    assert "no-cache" in cache_control


def test_attachment_of_a_page_its_model_hides_is_not_public(client, notice_index, monkeypatch):
    """A live page that its model no longer shows (as an ended publicity) publishes no file."""
    document = make_document("停水安排.csv", csv_bytes([["3号楼", "9:00"]]))
    attach(notice_index, document)
    assert client.get(document.url).status_code == 200
    monkeypatch.setattr(
        NoticePage, "search_visible", classmethod(lambda cls, qs: qs.none()), raising=False
    )
    assert client.get(document.url).status_code == 404


def test_attachment_of_a_private_page_is_not_public(client, notice_index):
    """A live notice behind a login restriction does not make its attachment public."""
    from wagtail.models import PageViewRestriction

    document = make_document("停水安排.csv", csv_bytes([["3号楼", "9:00"]]))
    notice = attach(notice_index, document)
    PageViewRestriction.objects.create(page=notice, restriction_type="login")
    assert client.get(document.url).status_code == 404


def test_upload_with_unmasked_data_is_refused_naming_the_place(client, editor):
    """Uploading a file with an unmasked ID number is refused, naming the cell; once masked, the
    same upload is accepted."""
    client.force_login(editor)
    upload = SimpleUploadedFile("名单.csv", csv_bytes(LEAKED_ROWS), content_type="text/csv")
    form = {"title": "名单", "file": upload, "collection": root_collection()}
    response = client.post(reverse("wagtaildocs:add"), form)
    assert response.status_code == 200
    html = response.content.decode()
    assert "第2行第2列" in html
    assert "未脱敏" in html
    assert not Document.objects.exists()

    masked = SimpleUploadedFile("名单.csv", csv_bytes([["张*三", "3501**********1234"]]))
    form = {"title": "名单", "file": masked, "collection": root_collection()}
    response = client.post(reverse("wagtaildocs:add"), form)
    assert response.status_code == 302
    assert Document.objects.filter(title="名单").exists()


def test_replacing_a_file_with_unmasked_data_is_refused(client, editor):
    """Replacing a clean file by one with an unmasked mobile is refused; the old file stays."""
    document = make_document("名单.csv", csv_bytes([["张*三", "138****5678"]]))
    client.force_login(editor)
    upload = SimpleUploadedFile("名单.csv", csv_bytes([["张三", "13812345678"]]))
    response = client.post(
        reverse("wagtaildocs:edit", args=[document.pk]),
        {"title": "名单", "file": upload, "collection": document.collection_id},
    )
    assert response.status_code == 200
    assert "第1行第2列" in response.content.decode()
    document.refresh_from_db()
    with document.file.open("rb") as handle:
        assert b"138****5678" in handle.read()


def test_image_not_used_by_a_live_page_is_not_served(
    client, rf, notice_index, django_capture_on_commit_callbacks
):
    """An uploaded image's original is under no URL, and its admin thumbnail stops being served
    when the only notice showing it is unpublished."""
    image = make_image()
    assert media_status(rf, image.file.name) == 404
    assert not image.file.path.startswith(str(settings.MEDIA_ROOT))

    notice = NoticePageFactory(
        parent=notice_index,
        body=[("image", {"image": image, "alt": "活动现场", "caption": ""})],
    )
    html = client.get(notice.url).content.decode()
    rendition = image.renditions.get()
    assert rendition.url in html
    assert media_status(rf, rendition.file.name) == 200

    # Unpublishing takes the image off the site: its renditions are deleted with their files.
    with django_capture_on_commit_callbacks(execute=True):
        notice.unpublish()
    assert not image.renditions.exists()
    assert media_status(rf, rendition.file.name) == 404
    assert media_status(rf, image.file.name) == 404


def test_image_stays_public_while_any_live_page_shows_it(
    client, rf, notice_index, django_capture_on_commit_callbacks
):
    """An image on two notices keeps its renditions until the last notice drops it."""
    image = make_image()
    block = [("image", {"image": image, "alt": "活动现场", "caption": ""})]
    first = NoticePageFactory(parent=notice_index, body=block)
    second = NoticePageFactory(parent=notice_index, body=block)
    client.get(first.url)
    rendition = image.renditions.get()

    with django_capture_on_commit_callbacks(execute=True):
        first.unpublish()
    assert media_status(rf, rendition.file.name) == 200

    with django_capture_on_commit_callbacks(execute=True):
        second.body = []
        second.save_revision().publish()
    assert media_status(rf, rendition.file.name) == 404
    assert not image.renditions.exists()
