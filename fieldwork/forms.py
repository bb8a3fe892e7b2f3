"""The forms of the grid worker's day: short, phone-sized, every choice limited to what the
account may see (fieldwork.visibility) and every id read with portal.parsing."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from feedback.handling.visibility import visible_cases
from feedback.models import FeedbackCategory
from grids.models import grids_for_user
from portal import roles
from portal.admin_filters import IdModelChoiceField

from .models import Line, Visit
from .visibility import visible_grids, visible_visits
from .visiting import open_follow_ups


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def grid_choices(user):
    return visible_grids(user).live().order_by("code")


def own_grid(user):
    """The grid a worker most likely patrols: one they are on duty for, else one of theirs."""
    grids = list(grids_for_user(user))
    today = timezone.localdate()
    for grid in grids:
        worker = grid.on_duty_worker(today)
        if worker is not None and worker.user_id == user.pk:
            return grid
    return grids[0] if grids else None


def worker_accounts():
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name=roles.GRID_WORKERS)
        .distinct()
        .order_by("username")
    )


class PatrolForm(forms.Form):
    """Log a patrol in a few taps: today and the worker's own grid are already chosen."""

    grid = IdModelChoiceField(label=_("网格"), queryset=None)
    date = forms.DateField(label=_("日期"), widget=DateInput())
    route = forms.CharField(
        label=_("路线或地点"),
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": _("例如：3号楼—菜市场—东门")}),
    )
    minutes = forms.IntegerField(label=_("用时（分钟）"), min_value=1, max_value=24 * 60)
    note = forms.CharField(
        label=_("巡查情况"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("没有发现问题时写“正常”即可"),
    )
    finding = forms.CharField(
        label=_("发现的问题（没有可不填）"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    finding_place = forms.CharField(label=_("问题地点"), max_length=120, required=False)
    finding_solved = forms.BooleanField(label=_("已当场解决"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grid"].queryset = grid_choices(user)
        if not self.is_bound:
            grid = own_grid(user)
            self.initial.setdefault("grid", grid.pk if grid else None)
            self.initial.setdefault("date", timezone.localdate())
            self.initial.setdefault("minutes", 60)

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date > timezone.localdate():
            raise forms.ValidationError(_("不能登记以后日期的巡查。"))
        return date


class FindingForm(forms.Form):
    place = forms.CharField(label=_("地点"), max_length=120, required=False)
    description = forms.CharField(
        label=_("发现的情况"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class FindingCaseForm(forms.Form):
    """A finding as a case: the worker files it and is its first owner."""

    category = IdModelChoiceField(label=_("类别"), queryset=None)
    subject = forms.CharField(label=_("标题"), max_length=80)
    message = forms.CharField(
        label=_("内容"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = FeedbackCategory.objects.filter(active=True)


class SlipForm(forms.Form):
    """A handover slip to a line (工作单)."""

    line = IdModelChoiceField(label=_("交给哪个条线"), queryset=None)
    subject = forms.CharField(label=_("事项"), max_length=80)
    details = forms.CharField(
        label=_("情况说明"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("条线办理需要知道的情况；不写与事项无关的个人信息"),
    )
    place = forms.CharField(label=_("地点"), max_length=120, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["line"].queryset = Line.objects.filter(active=True)


class StandaloneSlipForm(SlipForm):
    """A slip not from a patrol finding (a matter met on a visit or in the office)."""

    grid = IdModelChoiceField(label=_("网格"), queryset=None)
    field_order = ["grid", "line", "subject", "details", "place"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grid"].queryset = grid_choices(user)
        if not self.is_bound:
            grid = own_grid(user)
            self.initial.setdefault("grid", grid.pk if grid else None)


class SlipResultForm(forms.Form):
    result = forms.CharField(
        label=_("办理结果"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class VisitForm(WagtailAdminModelForm):
    """A household visit: the visitor is the account that records it."""

    class Meta:
        model = Visit
        fields = [
            "grid",
            "address",
            "date",
            "companion",
            "purpose",
            "outcome",
            "follow_up_on",
            "previous",
            "case",
            "follow_up",
        ]
        field_classes = {
            "grid": IdModelChoiceField,
            "companion": IdModelChoiceField,
            "previous": IdModelChoiceField,
            "case": IdModelChoiceField,
            "follow_up": IdModelChoiceField,
        }
        widgets = {"date": DateInput(), "follow_up_on": DateInput()}

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        user = for_user
        self.fields["grid"].queryset = grid_choices(user)
        self.fields["companion"].queryset = worker_accounts().exclude(pk=user.pk)
        self.fields["previous"].queryset = visible_visits(user).select_related("grid")
        cases = visible_cases(user)
        self.fields["case"].queryset = cases
        follow_ups = open_follow_ups(cases)
        if self.instance.follow_up_id:
            follow_ups = follow_ups | type(self.instance.follow_up).objects.filter(
                pk=self.instance.follow_up_id
            )
        self.fields["follow_up"].queryset = follow_ups
        if not self.instance.pk and not self.is_bound:
            grid = own_grid(user)
            self.initial.setdefault("grid", grid.pk if grid else None)
            self.initial.setdefault("date", timezone.localdate())
            if grid is not None:
                partner = grid.off_duty_worker()
                if partner is not None and partner.user_id and partner.user_id != user.pk:
                    self.initial.setdefault("companion", partner.user_id)

    def clean(self):
        cleaned = super().clean()
        date = cleaned.get("date")
        if date and date > timezone.localdate():
            self.add_error("date", _("不能登记以后日期的走访。"))
        return cleaned
