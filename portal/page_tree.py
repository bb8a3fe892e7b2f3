"""Page tree rules shared by the apps' page types, and the sections under a site's root."""

from dataclasses import dataclass

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


@dataclass(frozen=True)
class Section:
    """A live, public page right under a site's root page, as the page frame links to it."""

    title: str
    url: str
    in_menu: bool
    page_type: str  # the specific model's label, e.g. "notices.noticeindexpage"


def site_sections(request):
    """The live, public pages right under the request's site root, in tree order: those marked
    "show in menus" make the main menu, and apps find their own sections among them (the
    notice index). One query, cached until the page tree changes; [] without a site."""
    from wagtail.models import Site

    from portal import versions

    site = Site.find_for_request(request) if request is not None else None
    if site is None:
        return []

    def build():
        # The page types joined: no lookup of each type on a fresh server process.
        pages = public(site.root_page.get_children().live()).select_related("content_type")
        return [
            Section(
                title=page.title,
                url=page.get_url(request),
                in_menu=page.show_in_menus,
                page_type=f"{page.content_type.app_label}.{page.content_type.model}",
            )
            for page in pages
        ]

    return versions.cached("portal:sections", site.pk, build=build, depends_on=[versions.PAGES])


def section_url(request, model):
    """The address of the first section of type `model` under the request's site root, or
    None (e.g. the notice index)."""
    label = model._meta.label_lower
    return next((s.url for s in site_sections(request) if s.page_type == label), None)
