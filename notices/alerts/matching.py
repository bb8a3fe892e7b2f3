"""Which confirmed subscriptions a published page reaches.

- A notice reaches subscriptions that want notices (of its category, or of any) and, when it is
  urgent, those that want urgent notices. A notice aimed at some grids reaches subscriptions
  for one of those grids, for an area above one of them, or for everything; a notice for the
  whole community (no grids chosen) reaches every scope.
- Publicity reaches every subscription that wants publicity.

Only subscriptions confirmed before the page was first published count: a new subscriber is not
sent what was already there.
"""

from django.db.models import Q

from ..models import AlertSubscription, ApprovalOutcomePage, NoticePage


def subscriptions_for(page):
    """The confirmed subscriptions `page` (a live notice or publicity) reaches."""
    page = page.specific
    if page.first_published_at is None:
        return AlertSubscription.objects.none()
    found = AlertSubscription.objects.filter(
        confirmed_at__isnull=False, confirmed_at__lte=page.first_published_at
    ).select_related("subscriber")
    if isinstance(page, NoticePage):
        wants = Q(notices=True) & (Q(category__isnull=True) | Q(category=page.category_id))
        if page.is_urgent:
            wants |= Q(urgent=True)
        found = found.filter(wants)
        grids = list(page.target_grids.all())
        if grids:
            paths = set()
            for grid in grids:
                paths.update(grid.get_ancestors(inclusive=True).values_list("path", flat=True))
            found = found.filter(Q(scope__isnull=True) | Q(scope__path__in=paths))
        return found
    if isinstance(page, ApprovalOutcomePage):
        return found.filter(publicity=True)
    return found.none()


def alert_pages(since):
    """Live, public notices and running publicity first published since `since`, oldest first."""
    notices = NoticePage.objects.live().public().filter(first_published_at__gte=since)
    publicity = (
        ApprovalOutcomePage.objects.live().public().running().filter(first_published_at__gte=since)
    )
    pages = [*notices.select_related("category"), *publicity.select_related("matter")]
    return sorted(pages, key=lambda page: (page.first_published_at, page.pk))


def is_urgent(page):
    return isinstance(page, NoticePage) and page.is_urgent
