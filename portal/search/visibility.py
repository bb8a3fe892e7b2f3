"""Which pages the public search may show: live, public, and what each page model allows.

A page model may define a classmethod `search_visible(cls, queryset)` that receives the live
pages of that model and returns those residents may find; the rest are excluded from search
results in the index query itself (so counts and pagination stay right). Example, for publicity
that must disappear at the end of its period even if the worker has not unpublished it yet::

    @classmethod
    def search_visible(cls, queryset):
        return queryset.filter(ends_at__gt=timezone.now())
"""

from django.contrib.contenttypes.models import ContentType
from modelsearch.index import class_is_indexed
from wagtail.models import Page, get_page_models


def searchable_page_models():
    """Every concrete page model with search fields, except Wagtail's bare Page."""
    return [model for model in get_page_models() if model is not Page and class_is_indexed(model)]


def hidden_page_ids():
    """Ids of live pages that a model's `search_visible` hook keeps out of search."""
    hidden = []
    for model in get_page_models():
        if not callable(getattr(model, "search_visible", None)):
            continue
        live = model.objects.live()
        visible = model.search_visible(live).values("pk")
        hidden.extend(live.exclude(pk__in=visible).values_list("pk", flat=True))
    return hidden


def public_search_queryset(model=None, site=None):
    """The pages the site search looks through: live, public, visible, in the site's tree;
    of one type if given."""
    queryset = Page.objects.live().public()
    if site is not None:
        queryset = queryset.descendant_of(site.root_page, inclusive=True)
    hidden = hidden_page_ids()
    if hidden:
        queryset = queryset.exclude(pk__in=hidden)
    if model is not None:
        queryset = queryset.filter(content_type=ContentType.objects.get_for_model(model))
    return queryset.specific()
