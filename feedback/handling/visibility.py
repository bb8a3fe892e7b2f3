"""Who sees which cases: one rule for the inbox, the case page, photos, exports and any API.

- administrators (and superusers) see every case;
- service-centre staff see every case of their community: its grids and areas, the whole
  subtree under the community page (the default centre also sees cases with no community);
- a grid worker sees the cases of the grids where they are primary (A岗) or backup (B岗);
- anyone a case was dispatched or reassigned to, and its owner (首问负责), see that case.
An account may be several of these; it sees the union. Everyone else sees nothing.
"""

from django.db.models import Q

from grids.models import AreaPage, grids_for_user
from portal import roles

from ..models import CentreMembership, Feedback, ServiceCentre


def _in_group(user, name):
    return user.groups.filter(name=name).exists()


def is_administrator(user):
    return bool(user and user.is_authenticated and user.is_active) and (
        user.is_superuser or _in_group(user, roles.ADMINISTRATORS)
    )


def is_staff_account(user):
    """An account that works in the admin: any staff role, Django staff or superuser. Such an
    account handles cases; it never rates one (a rating is the resident's own)."""
    if not (user and user.is_authenticated):
        return False
    return (
        user.is_staff
        or user.is_superuser
        or user.has_perm("wagtailadmin.access_admin")
        or user.groups.filter(name__in=roles.ALL_ROLES).exists()
    )


def centres_for_user(user):
    """The service centres this account works for (through its memberships)."""
    if not (user and user.is_authenticated):
        return ServiceCentre.objects.none()
    return ServiceCentre.objects.filter(memberships__user=user).distinct()


def is_centre_staff(user):
    """Service-centre staff with a centre (or administrators): they approve and review."""
    if is_administrator(user):
        return True
    return (
        bool(user and user.is_authenticated) and CentreMembership.objects.filter(user=user).exists()
    )


def is_centre_head(user, case=None):
    """Administrators, or a head of the centre whose community the case belongs to."""
    if is_administrator(user):
        return True
    memberships = CentreMembership.objects.filter(user=user, is_head=True).select_related(
        "centre__community"
    )
    if case is None:
        return memberships.exists()
    return any(_centre_covers(m.centre, case) for m in memberships)


def centres_seeing(case):
    """The service centres whose staff may see `case` (the ones to notify about it)."""
    return [
        centre
        for centre in ServiceCentre.objects.select_related("community")
        if _centre_covers(centre, case)
    ]


def _centre_covers(centre, case):
    return visible_cases_for_centres([centre]).filter(pk=case.pk).exists()


def _centre_condition(centre):
    condition = Q(pk__in=[])
    community = centre.community
    if community is not None:
        condition |= Q(grid__path__startswith=community.path) | Q(
            community__path__startswith=community.path
        )
    if centre.is_default:
        condition |= Q(grid__isnull=True, community__isnull=True)
    return condition


def visible_cases_for_centres(centres):
    condition = Q(pk__in=[])
    for centre in centres:
        condition |= _centre_condition(centre)
    return Feedback.objects.filter(condition)


def visible_cases(user):
    """The cases `user` may see (a queryset; empty for residents and strangers)."""
    if not (user and user.is_authenticated and user.is_active):
        return Feedback.objects.none()
    if is_administrator(user):
        return Feedback.objects.all()
    condition = Q(assignee=user) | Q(owner=user)
    if _in_group(user, roles.SERVICE_CENTRE_STAFF):
        for centre in centres_for_user(user).select_related("community"):
            condition |= _centre_condition(centre)
    grid_ids = list(grids_for_user(user).values_list("pk", flat=True))
    if grid_ids:
        condition |= Q(grid_id__in=grid_ids)
    return Feedback.objects.filter(condition)


def can_see(user, case):
    """True when `case` is among the cases `user` may see."""
    return visible_cases(user).filter(pk=case.pk).exists()


def visible_communities(user):
    """The community pages whose figures `user` may export (None means every one)."""
    if is_administrator(user):
        return None
    return AreaPage.objects.filter(service_centre__memberships__user=user).distinct()
