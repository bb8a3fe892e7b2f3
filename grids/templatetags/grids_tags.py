"""Template tags other pages use to show grids content (the home page's lookup box)."""

from django import template
from django.urls import reverse

register = template.Library()


@register.inclusion_tag("grids/includes/lookup_box.html", takes_context=True)
def grid_lookup_box(context, heading_level=2):
    """The "which grid am I in?" box, submitting to the lookup page."""
    return {
        "lookup_url": reverse("grids:lookup"),
        "query": "",
        "heading_level": heading_level,
        "box_id": "home-lookup",
    }
