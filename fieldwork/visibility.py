"""Who sees which fieldwork records: one rule for every view, export and job of this app.

It follows the case rule (feedback.handling.visibility):
- administrators (and superusers) see every record;
- service-centre staff see the records of every grid under their community;
- a grid worker sees the records of the grids where they are primary (A岗) or backup (B岗),
  and the records they wrote themselves or went along on (a visit's companion).
Everyone else, residents included, sees nothing.
"""

from django.db.models import Q

from feedback.handling.visibility import centres_for_user, is_administrator
from grids.models import GridPage, grids_for_user
from portal import roles

from .models import HandoverSlip, Patrol, PatrolFinding, PatrolPhoto, Visit


def _active(user):
    return bool(user and user.is_authenticated and user.is_active)


def visible_grids(user):
    """The grids whose fieldwork `user` may see (a GridPage queryset; every grid for admins)."""
    if not _active(user):
        return GridPage.objects.none()
    if is_administrator(user):
        return GridPage.objects.all()
    condition = Q(pk__in=grids_for_user(user).values("pk"))
    if user.groups.filter(name=roles.SERVICE_CENTRE_STAFF).exists():
        for centre in centres_for_user(user).select_related("community"):
            if centre.community is not None:
                condition |= Q(path__startswith=centre.community.path)
    return GridPage.objects.filter(condition)


def centre_grids(user):
    """The grids of the communities `user` works for as centre staff (all for admins): the
    grids the missing-entry report and the escalations are about."""
    if not _active(user):
        return GridPage.objects.none()
    if is_administrator(user):
        return GridPage.objects.live()
    condition = Q(pk__in=[])
    if user.groups.filter(name=roles.SERVICE_CENTRE_STAFF).exists():
        for centre in centres_for_user(user).select_related("community"):
            if centre.community is not None:
                condition |= Q(path__startswith=centre.community.path)
    return GridPage.objects.live().filter(condition)


def _scoped(queryset, user, grid_field, own_fields):
    if not _active(user):
        return queryset.none()
    if is_administrator(user):
        return queryset
    condition = Q(**{f"{grid_field}__in": visible_grids(user).values("pk")})
    for field in own_fields:
        condition |= Q(**{field: user})
    return queryset.filter(condition)


def visible_patrols(user):
    return _scoped(Patrol.objects.all(), user, "grid", ["worker"])


def visible_findings(user):
    return _scoped(PatrolFinding.objects.all(), user, "patrol__grid", ["patrol__worker"])


def visible_photos(user):
    return _scoped(PatrolPhoto.objects.all(), user, "patrol__grid", ["patrol__worker"])


def visible_visits(user):
    return _scoped(Visit.objects.all(), user, "grid", ["visitor", "companion"])


def visible_slips(user):
    return _scoped(HandoverSlip.objects.all(), user, "grid", ["created_by"])
