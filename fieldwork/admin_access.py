"""Which communities a member of staff works for, as a Wagtail permission policy.

The meeting, assessment and review records belong to a community. Service-centre staff see
and change those of their own community (as `feedback.handling.visibility` lets them see its
cases); administrators see every community. The policy is what Wagtail's views ask, so an
edit URL of another community's record answers "permission denied", not just a hidden link.
"""

import copy

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.permission_policies import ModelPermissionPolicy

from feedback.handling.visibility import visible_communities
from grids.enums import COMMUNITY_LEVELS
from grids.models import AreaPage, GridPage, grids_for_user


def communities_for(user):
    """The community pages `user` works for (all communities for administrators)."""
    communities = visible_communities(user)
    if communities is None:
        return AreaPage.objects.filter(level__in=COMMUNITY_LEVELS)
    # A grid worker works for the communities of the grids they are primary or backup for.
    own = {grid.community().pk for grid in grids_for_user(user)} - {None}
    return AreaPage.objects.filter(level__in=COMMUNITY_LEVELS).filter(
        Q(pk__in=communities.values("pk")) | Q(pk__in=own)
    )


def grids_for(user):
    """The grids of the communities `user` works for."""
    condition = Q(pk__in=[])
    for path in communities_for(user).values_list("path", flat=True):
        condition |= Q(path__startswith=path)
    return GridPage.objects.filter(condition)


def staff_for(user):
    """The accounts that may own a meeting decision of `user`'s communities: the service
    centre's staff and the grid workers (primary or backup) of the communities' grids."""
    communities = communities_for(user)
    grids = grids_for(user)
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(
            Q(centre_memberships__centre__community__in=communities)
            | Q(grid_workers__primary_grids__in=grids)
            | Q(grid_workers__backup_grids__in=grids)
        )
        .distinct()
        .order_by("username")
    )


class CommunityPermissionPolicy(ModelPermissionPolicy):
    """Model permissions, narrowed to the records of the communities the user works for."""

    def __init__(self, model, community_field="community"):
        super().__init__(model)
        self.community_field = community_field

    def _community_id(self, instance):
        target = instance
        parts = self.community_field.split("__")
        for part in parts[:-1]:
            target = getattr(target, part)
        return getattr(target, f"{parts[-1]}_id")

    def _covers(self, user, instance):
        return communities_for(user).filter(pk=self._community_id(instance)).exists()

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action) and self._covers(user, instance)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return self.user_has_any_permission(user, actions) and self._covers(user, instance)

    def instances_user_has_any_permission_for(self, user, actions):
        if not self.user_has_any_permission(user, actions):
            return self.model.objects.none()
        return self.filter_for(user, self.model.objects.all())

    def filter_for(self, user, queryset):
        return queryset.filter(**{f"{self.community_field}__in": communities_for(user)})


def _limit_owners(formset, owners):
    # The forms made so far, and the form class the "add a decision" template is made from.
    for form in formset.forms:
        form.fields["owner"].queryset = owners
    # (A new subclass, so no other request's form class changes; its metaclass builds
    # base_fields afresh, so they are replaced after the class is made.)
    form_class = type(formset.form.__name__, (formset.form,), {})
    form_class.base_fields = copy.deepcopy(formset.form.base_fields)
    form_class.base_fields["owner"].queryset = owners
    formset.form = form_class


class CommunityForm(WagtailAdminModelForm):
    """An admin form whose community, campaign and grid choices are the user's own."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        if user is None:
            return
        if "community" in self.fields:
            self.fields["community"].queryset = communities_for(user)
        if "campaign" in self.fields:
            queryset = self.fields["campaign"].queryset
            self.fields["campaign"].queryset = queryset.filter(community__in=communities_for(user))
        if "decisions" in getattr(self, "formsets", {}):
            _limit_owners(self.formsets["decisions"], staff_for(user))
        if "grid" in self.fields:
            # A plain choice of the user's grids instead of Wagtail's page chooser.
            field = self.fields["grid"]
            self.fields["grid"] = forms.ModelChoiceField(
                grids_for(user).order_by("code"),
                required=field.required,
                label=field.label,
                help_text=field.help_text,
            )


class GridPermissionPolicy(CommunityPermissionPolicy):
    """The same narrowing for records that belong to a grid (the grid's community)."""

    def __init__(self, model):
        super().__init__(model, community_field="grid")

    def _covers(self, user, instance):
        return grids_for(user).filter(pk=instance.grid_id).exists()

    def filter_for(self, user, queryset):
        return queryset.filter(grid__in=grids_for(user))
