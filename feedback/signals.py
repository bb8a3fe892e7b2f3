"""Keep the feedback form's cached body current: a category change gives it a new version."""

from django.db.models.signals import post_delete, post_save

from portal import versions

from .models import FeedbackCategory

CATEGORIES_VERSION = "feedback-categories"


def categories_version():
    return versions.current(CATEGORIES_VERSION)


def _categories_changed(sender, **kwargs):
    versions.bump(CATEGORIES_VERSION)


def connect():
    post_save.connect(
        _categories_changed, sender=FeedbackCategory, dispatch_uid="feedback-categories-saved"
    )
    post_delete.connect(
        _categories_changed, sender=FeedbackCategory, dispatch_uid="feedback-categories-deleted"
    )
