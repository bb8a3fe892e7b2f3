"""Admin registration of the fieldwork app."""

from wagtail import hooks

from . import admin_reviews

admin_reviews.register_policies()


@hooks.register("register_admin_viewset")
def register_review_viewsets():
    # The weekly meeting and its agenda, assessment and two-way reviews (admin_reviews.py).
    return admin_reviews.FieldworkReviewGroup()
