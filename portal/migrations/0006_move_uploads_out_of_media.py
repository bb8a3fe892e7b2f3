"""Documents and original images uploaded before files became private move out of MEDIA_ROOT
into the upload storage (PORTAL_PRIVATE_ROOT/uploads); renditions made before, under names
derived from the image's file name, are deleted and made again (under random directories) when
a page next shows them. See docs/privacy-files.md."""

import shutil
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import migrations

UPLOADED = [("wagtaildocs", "Document"), ("wagtailimages", "Image")]


def _move(apps, source, target):
    for app_label, model_name in UPLOADED:
        model = apps.get_model(app_label, model_name)
        for name in model.objects.exclude(file="").values_list("file", flat=True):
            old, new = Path(source.path(name)), Path(target.path(name))
            if old.is_file() and not new.exists():
                new.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(old, new)


def _storages():
    from portal.storage import UploadStorage

    return FileSystemStorage(location=settings.MEDIA_ROOT), UploadStorage()


def make_uploads_private(apps, schema_editor):
    media, uploads = _storages()
    _move(apps, media, uploads)
    rendition_model = apps.get_model("wagtailimages", "Rendition")
    for name in rendition_model.objects.values_list("file", flat=True):
        if name:
            Path(media.path(name)).unlink(missing_ok=True)
    rendition_model.objects.all().delete()


def put_uploads_back(apps, schema_editor):
    media, uploads = _storages()
    _move(apps, uploads, media)


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0005_dataversion"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailimages", "0027_image_description"),
    ]

    operations = [migrations.RunPython(make_uploads_private, put_uploads_back)]
