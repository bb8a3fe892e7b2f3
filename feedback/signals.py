"""Drop the cached grid list of the feedback form when the area tree changes."""

from django.db.models.signals import post_delete
from wagtail.signals import page_published, page_unpublished, post_page_move

from grids.models import AreaPage, GridPage

from .forms import forget_grid_choices


def _forget(sender, **kwargs):
    forget_grid_choices()


def connect():
    for model in (AreaPage, GridPage):
        page_published.connect(
            _forget, sender=model, dispatch_uid=f"feedback-grids-{model.__name__}"
        )
        page_unpublished.connect(
            _forget, sender=model, dispatch_uid=f"feedback-grids-unpub-{model.__name__}"
        )
        post_delete.connect(
            _forget, sender=model, dispatch_uid=f"feedback-grids-del-{model.__name__}"
        )
    post_page_move.connect(_forget, dispatch_uid="feedback-grids-move")
