"""Keep the versions current: any change to the published area tree bumps the tree's, any
change to a grid worker or their leave bumps the workers'."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished, post_page_move

from .models import AreaPage, GridLevel, GridPage, GridWorker, LeavePeriod
from .versioning import bump_tree_version, bump_workers_version

TREE_MODELS = (AreaPage, GridPage)


def _changed(sender, **kwargs):
    bump_tree_version()


for model in TREE_MODELS:
    page_published.connect(_changed, sender=model, dispatch_uid=f"grids-published-{model.__name__}")
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
    if sender in TREE_MODELS and instance.live and kwargs.get("update_fields") is None:
        bump_tree_version()


@receiver(post_page_move, dispatch_uid="grids-moved")
def _moved(sender, instance, **kwargs):
    if isinstance(instance.specific_deferred, TREE_MODELS):
        bump_tree_version()


@receiver(post_save, sender=GridLevel, dispatch_uid="grids-level-saved")
@receiver(post_delete, sender=GridLevel, dispatch_uid="grids-level-deleted")
def _level_changed(sender, **kwargs):
    bump_tree_version()


def _workers_changed(sender, **kwargs):
    bump_workers_version()


for model in (GridWorker, LeavePeriod):
    post_save.connect(_workers_changed, sender=model, dispatch_uid=f"grids-{model.__name__}-saved")
    post_delete.connect(
        _workers_changed, sender=model, dispatch_uid=f"grids-{model.__name__}-deleted"
    )
