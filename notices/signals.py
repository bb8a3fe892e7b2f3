"""Keep the cached notice lists fresh: any change to notices or categories bumps the version."""

from django.db.models.signals import post_delete, post_save
from wagtail.signals import page_published, page_unpublished

from .cache import bump_version


def connect():
    from .models import NoticeCategory, NoticeIndexPage, NoticePage

    for model in (NoticePage, NoticeIndexPage):
        page_published.connect(bump_version, sender=model, dispatch_uid=f"notices-pub-{model}")
        page_unpublished.connect(bump_version, sender=model, dispatch_uid=f"notices-unpub-{model}")
        post_delete.connect(bump_version, sender=model, dispatch_uid=f"notices-del-{model}")
    post_save.connect(bump_version, sender=NoticeCategory, dispatch_uid="notices-cat-save")
    post_delete.connect(bump_version, sender=NoticeCategory, dispatch_uid="notices-cat-del")
