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
