"""Page tree rules shared by the apps' page types."""

from wagtail.models import Page


class BelowSiteRoot:
    """A page type that lives inside a site, never directly under the tree's root.

    A lower app's page names no parent types: the page type above it lists it in its
    `subpage_types` (so grids, notices and feedback need not name the home page). Wagtail would
    then also allow it under the tree's root, whose type (wagtailcore.Page) lists no subpage
    types; this takes the root away from its allowed parents.
    """

    @classmethod
    def clean_parent_page_models(cls):
        return [model for model in super().clean_parent_page_models() if model is not Page]


def public(pages):
    """`pages` without those in a private section (behind a view restriction, or below one):
    what Wagtail's `PageQuerySet.public()` keeps, in the same query (a subquery) instead of
    first reading every restriction with a query of its own."""
    from django.db.models import Exists, OuterRef
    from django.db.models.functions import Length, Substr
    from wagtail.models import PageViewRestriction

    return pages.exclude(
        Exists(
            PageViewRestriction.objects.filter(
                page__path=Substr(OuterRef("path"), 1, Length("page__path"))
            )
        )
    )
