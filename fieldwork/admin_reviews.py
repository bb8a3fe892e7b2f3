"""Admin viewsets for the weekly meeting, assessment and two-way reviews, grouped under
分析考核点评. Each lists only the records of the communities the user works for, and its
permission policy (`admin_access.CommunityPermissionPolicy`) refuses the others by URL."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from wagtail.admin.panels import ObjectList
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic import history, usage
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton
from wagtail.permissions import policy_registry, register_permission_policy

from portal.parsing import parse_text

from .admin_access import (
    CommunityForm,
    CommunityPermissionPolicy,
    GridPermissionPolicy,
    communities_for,
)
from .admin_agenda import agenda_view
from .models import (
    Assessment,
    AssessmentWeights,
    Review,
    ReviewCampaign,
    WeeklyMeeting,
)
from .review_results import page_context
from .scoring import compute, last_month, parse_period

POLICIES = {
    WeeklyMeeting: "community",
    ReviewCampaign: "community",
    Review: "campaign__community",
    AssessmentWeights: "community",
}


def register_policies():
    for model, field in POLICIES.items():
        if policy_registry.get_by_type(model, fallback=False) is None:
            register_permission_policy(
                model, CommunityPermissionPolicy(model, field), exact_class=True
            )
    if policy_registry.get_by_type(Assessment, fallback=False) is None:
        register_permission_policy(Assessment, GridPermissionPolicy(Assessment), exact_class=True)


class CommunityObjectMixin:
    """Refuse an object of a community the user does not work for (the policy decides)."""

    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        policy = policy_registry.get_by_type(self.model)
        if not policy.user_has_any_permission_for_instance(
            self.request.user, ["change", "view"], obj
        ):
            raise PermissionDenied
        return obj


class CommunityIndexView(generic.IndexView):
    """The list of the records of the user's communities only."""

    def get_base_queryset(self):
        policy = policy_registry.get_by_type(self.model)
        return policy.filter_for(self.request.user, super().get_base_queryset())


def _guarded(view_class):
    return type(view_class.__name__, (CommunityObjectMixin, view_class), {})


def _results_link(campaign):
    url = reverse("fieldwork_campaigns:results", args=[campaign.pk])
    return format_html('<a href="{}">{}</a>', url, _("查看结果"))


class CommunityViewSet(ModelViewSet):
    """A model viewset whose list holds only the user's communities' records."""

    add_to_admin_menu = False
    index_view_class = CommunityIndexView
    edit_view_class = _guarded(generic.EditView)
    delete_view_class = _guarded(generic.DeleteView)
    history_view_class = _guarded(history.HistoryView)
    usage_view_class = _guarded(usage.UsageView)
    copy_view_enabled = False
    inspect_view_enabled = False

    @property
    def edit_handler(self):
        # The model's panels, on a form that offers only the user's communities and grids.
        return ObjectList(self.model.panels, base_form_class=CommunityForm)


class WeeklyMeetingViewSet(CommunityViewSet):
    model = WeeklyMeeting
    name = "fieldwork_meetings"
    url_prefix = "fieldwork/meetings"
    icon = "group"
    menu_label = gettext_lazy("民情分析会记录")
    add_view_enabled = False  # a meeting is opened from its week's agenda
    list_display = [TitleColumn("week_start", url_name="fieldwork_meetings:edit"), "community"]
    ordering = "-week_start"


def campaign_results(request, pk):
    """The results of a campaign for its community's staff, public or not."""
    campaign = get_object_or_404(ReviewCampaign, pk=pk)
    policy = policy_registry.get_by_type(ReviewCampaign)
    if not policy.user_has_any_permission_for_instance(request.user, ["change", "view"], campaign):
        raise PermissionDenied
    context = {**page_context(campaign), "page_title": _("点评结果")}
    return render(request, "fieldwork/admin/campaign_results.html", context)


class ReviewCampaignViewSet(CommunityViewSet):
    model = ReviewCampaign
    name = "fieldwork_campaigns"
    url_prefix = "fieldwork/campaigns"
    icon = "list-ul"
    menu_label = gettext_lazy("双向点评")
    list_display = [
        TitleColumn("title", url_name="fieldwork_campaigns:edit"),
        "community",
        "starts_on",
        "ends_on",
        "is_public",
        Column("results", label=gettext_lazy("结果"), accessor=_results_link),
    ]

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/results/", campaign_results, name="results"),
        ]


class ReviewCreateView(generic.CreateView):
    def save_instance(self):
        # Who entered a review is kept for the record; the results never show it.
        self.form.instance.entered_by = self.request.user
        return super().save_instance()


class ReviewViewSet(CommunityViewSet):
    model = Review
    add_view_class = ReviewCreateView
    name = "fieldwork_reviews"
    url_prefix = "fieldwork/reviews"
    icon = "comment"
    menu_label = gettext_lazy("点评录入")
    list_display = ["campaign", "pair", Column("other_side", label=gettext_lazy("对象"))]
    list_filter = ["pair"]


class AssessmentWeightsViewSet(CommunityViewSet):
    model = AssessmentWeights
    name = "fieldwork_weights"
    url_prefix = "fieldwork/weights"
    icon = "cogs"
    menu_label = gettext_lazy("考核权重")
    list_display = ["community", "on_time_weight", "rating_weight", "patrol_weight"]


class AssessmentIndexView(CommunityIndexView):
    @cached_property
    def header_buttons(self):
        buttons = super().header_buttons
        if self.request.user.has_perm("fieldwork.add_assessment"):
            buttons.append(
                HeaderButton(
                    _("计算上月考核"),
                    url=reverse("fieldwork_assessments:compute"),
                    icon_name="table",
                )
            )
        return buttons


class AssessmentViewSet(CommunityViewSet):
    model = Assessment
    name = "fieldwork_assessments"
    url_prefix = "fieldwork/assessments"
    icon = "table"
    menu_label = gettext_lazy("考核结果")
    add_view_enabled = False  # computed from the records
    index_view_class = AssessmentIndexView
    list_display = [
        TitleColumn("period", url_name="fieldwork_assessments:edit"),
        "grid",
        "worker",
        "on_time_rate",
        "satisfaction_rate",
        "patrol_coverage",
        "visits",
        "survey_rate",
        "score",
        "published",
    ]
    list_filter = ["kind", "period", "published"]
    ordering = ["-period", "grid__code"]

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("compute/", compute_view, name="compute"),
        ]


@require_http_methods(["GET", "POST"])
def compute_view(request):
    """Compute a month's ("2026-11") or a year's ("2026") assessment of the user's communities
    from the records (POST; last month unless another period is given); "计算并公示" publishes
    the results as well. GET asks first."""
    if not request.user.has_perm("fieldwork.add_assessment"):
        raise PermissionDenied
    communities = list(communities_for(request.user))
    context = {"page_title": _("计算考核"), "period": last_month(), "communities": communities}
    if request.method == "GET":
        return render(request, "fieldwork/admin/compute.html", context)
    parsed = parse_period(request.POST.get("period") or last_month())
    if parsed is None:
        context["error"] = _("考核期请写成 2026-11（月度）或 2026（年度）。")
        context["period"] = parse_text(request.POST.get("period"), max_length=7)
        return render(request, "fieldwork/admin/compute.html", context, status=400)
    kind, period = parsed
    saved = []
    for community in communities:
        saved += compute(community, kind, period)
    if request.POST.get("publish"):
        Assessment.objects.filter(pk__in=[a.pk for a in saved]).update(published=True)
    messages.success(
        request,
        _("已计算 %(period)s 的考核结果（%(count)s 个网格）。")
        % {"period": period, "count": len(saved)},
    )
    return redirect(reverse("fieldwork_assessments:index"))


class AgendaViewSet(ViewSet):
    """/admin/fieldwork/agenda/: this week's agenda of the user's community."""

    name = "fieldwork_agenda"
    url_prefix = "fieldwork/agenda"
    icon = "calendar"
    menu_label = gettext_lazy("民情分析会议程")

    def get_urlpatterns(self):
        return [path("", agenda_view, name="index")]


class FieldworkReviewGroup(ViewSetGroup):
    items = (
        AgendaViewSet,
        WeeklyMeetingViewSet,
        AssessmentWeightsViewSet,
        AssessmentViewSet,
        ReviewCampaignViewSet,
        ReviewViewSet,
    )
    menu_icon = "clipboard-list"
    menu_label = gettext_lazy("分析考核点评")
    menu_name = "fieldwork-reviews"
    menu_order = 160
