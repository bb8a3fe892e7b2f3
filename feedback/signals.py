"""The version of the feedback set-up: categories, routing rules and service centres.

The feedback form's cached body shows the categories, and routing reads the rules and the
centres for every new case; all are kept in the cache under this version (portal.versions),
which any change to one of them raises in the same transaction.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save

from portal import versions

from .models import FeedbackCategory, RoutingRule, ServiceCentre


def _setup_changed(sender, **kwargs):
    versions.bump(versions.FEEDBACK_SETUP)


def connect():
    for model in (FeedbackCategory, RoutingRule, ServiceCentre):
        name = model.__name__
        post_save.connect(_setup_changed, sender=model, dispatch_uid=f"feedback-{name}-saved")
        post_delete.connect(_setup_changed, sender=model, dispatch_uid=f"feedback-{name}-deleted")
    m2m_changed.connect(
        _setup_changed,
        sender=RoutingRule.categories.through,
        dispatch_uid="feedback-rule-categories",
    )
