"""Which uploaded files the public may fetch: those a live, public page uses.

A document or image is public while at least one page that visitors can see uses it:
live, without a view restriction, and kept visible by its model's `search_visible` hook (an
ended publicity answers 410 at once, before the worker unpublishes it). "Uses" is what
Wagtail's ReferenceIndex records, directly (a document block in a notice) or through a snippet
the page refers to (a grid worker's photo on a grid page). Pages that check for personal data
do so in `clean()`, so a live page of theirs has passed the check; uploading or replacing a
document runs the same check (notices.forms).

Documents are checked on every download (`before_serve_document`, portal.wagtail_hooks);
image renditions are plain files, so the renditions of an image no page shows any more are
deleted (`withdraw_unused_renditions`) when a page stops using it. See docs/privacy-files.md.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.http import Http404
from wagtail.models import Page, ReferenceIndex

# How many objects may stand between a page and a file (a grid worker between a grid page and
# its photo is one).
MAX_INDIRECTION = 2


def _page_content_type_id():
    return ContentType.objects.get_for_model(Page).pk


def pages_using(obj, depth=MAX_INDIRECTION, _seen=None):
    """Ids of the pages whose content refers to `obj`, directly or through other objects."""
    seen = _seen if _seen is not None else set()
    page_type = _page_content_type_id()
    page_ids, others = set(), {}
    rows = ReferenceIndex.get_references_to(obj).values_list(
        "base_content_type_id", "content_type_id", "object_id"
    )
    for base_type, content_type, object_id in rows.distinct():
        if base_type == page_type:
            page_ids.add(int(object_id))
        elif depth > 0 and (content_type, object_id) not in seen:
            seen.add((content_type, object_id))
            others.setdefault(content_type, set()).add(object_id)
    for content_type, object_ids in others.items():
        model = ContentType.objects.get_for_id(content_type).model_class()
        if model is None:
            continue
        for source in model._default_manager.filter(pk__in=object_ids):
            page_ids |= pages_using(source, depth - 1, seen)
    return page_ids


def is_visible(page):
    """A live, public page that its model lets visitors see now."""
    model = type(page)
    hook = getattr(model, "search_visible", None)
    if not callable(hook):
        return True
    return hook(model.objects.filter(pk=page.pk)).exists()


def is_public(obj):
    """True while a page visitors can see uses the document or image `obj`."""
    page_ids = pages_using(obj)
    if not page_ids:
        return False
    live = Page.objects.filter(pk__in=page_ids).live().public().specific()
    return any(is_visible(page) for page in live)


def may_view(user, obj):
    """Staff with any permission on the file's collection may open it before it is public."""
    from wagtail.permissions import policy_registry

    policy = policy_registry.get_by_type(type(obj))
    return policy.user_has_any_permission_for_instance(
        user, ["add", "change", "choose", "delete"], obj
    )


def refuse_unless_public(document, request):
    """`before_serve_document`: 404 for a document no visible page uses, except for staff
    allowed to see it (the admin's download links use the same URL)."""
    if may_view(request.user, document) or is_public(document):
        return None
    raise Http404


def images_used_by(obj, depth=MAX_INDIRECTION):
    """The images `obj` refers to, directly or through the snippets it refers to."""
    from wagtail.images import get_image_model

    image_model = get_image_model()
    image_type = ContentType.objects.get_for_model(image_model).pk
    image_ids, others = set(), {}
    rows = ReferenceIndex.get_references_for_object(obj).values_list(
        "to_content_type_id", "to_object_id"
    )
    for content_type, object_id in rows.distinct():
        if content_type == image_type:
            image_ids.add(int(object_id))
        elif depth > 1:
            others.setdefault(content_type, set()).add(object_id)
    for content_type, object_ids in others.items():
        model = ContentType.objects.get_for_id(content_type).model_class()
        if model is None or issubclass(model, Page):
            continue
        for target in model._default_manager.filter(pk__in=object_ids):
            image_ids |= images_used_by(target, depth - 1)
    return image_ids


def withdraw_unused_renditions(image_ids):
    """Delete the renditions (files included) of those images that no visible page uses.

    Wagtail makes a rendition again when a page or the admin next asks for it, under a new
    random directory, so an address that was public stops working.
    """
    from wagtail.images import get_image_model

    for image in get_image_model().objects.filter(pk__in=image_ids):
        if not is_public(image):
            image.renditions.all().delete()


def _remember_images(sender, instance, update_fields=None, raw=False, **kwargs):
    """Before a page changes what visitors see (publish, unpublish, delete), or a snippet that
    pages show changes (a worker's new photo): the images it uses now."""
    if raw or instance.pk is None or not ReferenceIndex.is_indexed(type(instance)):
        return
    if isinstance(instance, Page) and update_fields is not None and "live" not in update_fields:
        return  # a draft revision or bookkeeping: the live content is unchanged
    image_ids = images_used_by(instance)
    if image_ids:
        instance._portal_images_before = image_ids


def _withdraw_after(sender, instance, raw=False, **kwargs):
    image_ids = getattr(instance, "_portal_images_before", None)
    if raw or not image_ids:
        return
    del instance._portal_images_before
    transaction.on_commit(lambda: withdraw_unused_renditions(image_ids))


def connect_signals():
    from django.db.models.signals import post_delete, post_save, pre_delete, pre_save

    pre_save.connect(_remember_images, dispatch_uid="portal-files-pre-save", weak=False)
    post_save.connect(_withdraw_after, dispatch_uid="portal-files-post-save", weak=False)
    pre_delete.connect(_remember_images, dispatch_uid="portal-files-pre-delete", weak=False)
    post_delete.connect(_withdraw_after, dispatch_uid="portal-files-post-delete", weak=False)
