"""Keep the versions current (portal.versions): any change to the published area tree raises
"grids", any change to a grid worker, their leave or the photo their card shows raises "workers".
A change to the published tree also renews the search segmenter's place names (grids.search).
A worker saved or deleted also has their grids reindexed for search (their names are part of the
grid's search document), after the change commits.

A publish is a full save of the now live page, so `_live_page_saved` alone raises "grids" for
it (once: Wagtail's `page_published` signal, sent by the same publish, is not listened to)."""

from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver
from wagtail.images import get_image_model
from wagtail.search import index
from wagtail.signals import page_unpublished, post_page_move

from portal import versions
from portal.search import analysis

from .models import AreaPage, GridLevel, GridPage, GridWorker, LeavePeriod

TREE_MODELS = (AreaPage, GridPage)


def _tree_changed():
    """The published tree changed: its version, and the place names the search segmenter adds
    to its dictionary (grids.search)."""
    versions.bump(versions.GRIDS)
    analysis.invalidate_words()


def _changed(sender, **kwargs):
    _tree_changed()


for model in TREE_MODELS:
    page_unpublished.connect(
        _changed, sender=model, dispatch_uid=f"grids-unpublished-{model.__name__}"
    )
    post_delete.connect(_changed, sender=model, dispatch_uid=f"grids-deleted-{model.__name__}")


@receiver(post_save, dispatch_uid="grids-live-page-saved")
def _live_page_saved(sender, instance, **kwargs):
    """A full save of a live area or grid (publishing, or a direct save) may change what is live.

    Saving a draft revision only updates bookkeeping fields (`update_fields`), which changes
    nothing the lookup or the maps show, so it does not bump the version.
    """
    # A raw save (fixture loading, the importer's bulk writes) is bumped for once by its caller.
    if kwargs.get("raw"):
        return
    if sender in TREE_MODELS and instance.live and kwargs.get("update_fields") is None:
        _tree_changed()


@receiver(post_page_move, dispatch_uid="grids-moved")
def _moved(sender, instance, **kwargs):
    if isinstance(instance.specific_deferred, TREE_MODELS):
        _tree_changed()


@receiver(post_save, sender=GridLevel, dispatch_uid="grids-level-saved")
@receiver(post_delete, sender=GridLevel, dispatch_uid="grids-level-deleted")
def _level_changed(sender, **kwargs):
    versions.bump(versions.GRIDS)


def _workers_changed(sender, **kwargs):
    versions.bump(versions.WORKERS)


for model in (GridWorker, LeavePeriod):
    post_save.connect(_workers_changed, sender=model, dispatch_uid=f"grids-{model.__name__}-saved")
    post_delete.connect(
        _workers_changed, sender=model, dispatch_uid=f"grids-{model.__name__}-deleted"
    )


def _image_changed(sender, instance, **kwargs):
    """A worker's photo edited (a new file, a new focal point) or deleted changes their card.
    (On delete this runs before the photo is taken off the worker.) Wagtail filling in a file's
    hash or size changes nothing shown."""
    update_fields = kwargs.get("update_fields")
    if update_fields and set(update_fields) <= {"file_hash", "file_size"}:
        return
    if GridWorker.objects.filter(photo=instance.pk).exists():
        versions.bump(versions.WORKERS)


post_save.connect(_image_changed, sender=get_image_model(), dispatch_uid="grids-image-saved")
pre_delete.connect(_image_changed, sender=get_image_model(), dispatch_uid="grids-image-deleted")


def _reindex_grids(grid_ids):
    for grid in GridPage.objects.filter(pk__in=grid_ids):
        index.insert_or_update_object(grid)


def _worker_grids(worker):
    return list(
        GridPage.objects.filter(Q(primary_worker=worker) | Q(backup_worker=worker)).values_list(
            "pk", flat=True
        )
    )


@receiver(post_save, sender=GridWorker, dispatch_uid="grids-worker-saved-reindex")
@receiver(pre_delete, sender=GridWorker, dispatch_uid="grids-worker-deleted-reindex")
def _reindex_worker_grids(sender, instance, **kwargs):
    """The grids a worker is primary or backup for, reindexed once the change commits (on a
    delete, once their grids no longer name the worker)."""
    if kwargs.get("raw", False):
        return
    grid_ids = _worker_grids(instance)
    if grid_ids:
        transaction.on_commit(lambda: _reindex_grids(grid_ids))
