"""Approval publicity (公示): ApprovalIndexPage → ApprovalOutcomePage.

A publicity batch has a period counted in working days; once it has ended the page answers
410 Gone and drops out of listings, feeds, the sitemap and search at once, whether or not the
worker has unpublished it yet (it does so on schedule with `end_publicity`), and keeps
answering 410 after that.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Orderable, Page, PageLogEntry, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index
from wagtail.url_routing import RouteResult

from portal.calendar import working_period_end
from portal.page_tree import BelowSiteRoot

from ..enums import ApprovalStageKind, Decision
from ..feeds import PublicityAtomFeed, PublicityRssFeed, serve_feed
from ..masking import mask
from ..personal_data import unmasked_data_errors
from .review import PublicityIndexPermissionTester, PublicityPermissionTester

PUBLICITY_WORKFLOW_NAME = "公示审核"
DEFAULT_PUBLICITY_DAYS = 7


class ApprovalOutcomeQuerySet(PageQuerySet):
    def running(self, today=None):
        """Publicity whose period has not ended (it may not have started yet)."""
        return self.filter(publicity_end__gte=today or timezone.localdate())

    def ended(self, today=None):
        return self.filter(publicity_end__lt=today or timezone.localdate())

    def open_to_objection(self, today=None):
        """Live, public publicity whose period has not ended: what an objection may name."""
        return self.live().public().running(today)


class ApprovalIndexPage(BelowSiteRoot, RoutablePageMixin, Page):
    """The publicity board: the batches whose publicity period is running."""

    introduction = models.TextField(
        _("导语"), blank=True, help_text=_("说明公示的依据和提出异议的方式")
    )

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    search_fields = Page.search_fields + [index.SearchField("introduction")]

    # Parent: the home page (whose subpage_types list this page type).
    subpage_types = ["notices.ApprovalOutcomePage"]

    class Meta:
        verbose_name = _("公示栏目")

    def publicity(self):
        """Running publicity under this index, newest first (ended ones are gone)."""
        return (
            ApprovalOutcomePage.objects.child_of(self)
            .live()
            .public()
            .filter(publicity_end__gte=timezone.localdate())
            .select_related("matter")
            .order_by("-publicity_start", "-first_published_at")
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["batches"] = self.publicity()
        return context

    @path("")
    def index_route(self, request, *args, **kwargs):
        return Page.serve(self, request)

    @path("feed/rss/", name="rss")
    def rss_feed(self, request):
        return serve_feed(PublicityRssFeed(self), request)

    @path("feed/atom/", name="atom")
    def atom_feed(self, request):
        return serve_feed(PublicityAtomFeed(self), request)

    def save(self, *args, **kwargs):
        result = super().save(*args, **kwargs)
        assign_publicity_workflow(self)
        return result

    def permissions_for_user(self, user):
        """Nobody but a superuser publishes here; the workflow's approval does (.review)."""
        return PublicityIndexPermissionTester(user, self)


def assign_publicity_workflow(index_page):
    """Every publicity index goes through the "公示审核" workflow (made by migration)."""
    from wagtail.models import Workflow, WorkflowPage

    if WorkflowPage.objects.filter(page=index_page).exists():
        return
    workflow = Workflow.objects.filter(name=PUBLICITY_WORKFLOW_NAME, active=True).first()
    if workflow is not None:
        WorkflowPage.objects.create(page=index_page, workflow=workflow)


class ApprovalOutcomePage(Page):
    """One publicity batch, e.g. 2026年第4批最低生活保障新增对象公示."""

    matter = models.ForeignKey(
        "notices.ApprovalMatter",
        on_delete=models.PROTECT,
        related_name="publicity",
        verbose_name=_("事项"),
        help_text=_("公示的审批事项"),
    )
    introduction = models.TextField(
        _("说明"),
        blank=True,
        help_text=_("公示依据和范围的简短说明；不要写个人身份证号或手机号码"),
    )
    publicity_start = models.DateField(
        _("公示开始日期"), default=timezone.localdate, help_text=_("公示期从这一天开始计算")
    )
    publicity_days = models.PositiveSmallIntegerField(
        _("公示期（工作日）"),
        default=DEFAULT_PUBLICITY_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_("按工作日计算，节假日不计入、调休上班日计入；一般为 7 个工作日"),
    )
    publicity_end = models.DateField(
        _("公示结束日期"),
        editable=False,
        null=True,
        help_text=_("由开始日期和工作日天数自动算出"),
    )
    objection_contact = models.CharField(
        _("异议受理"),
        max_length=200,
        help_text=_("受理异议的单位和办公电话，例如：明华社区服务中心 010-6543 2100"),
    )

    content_panels = Page.content_panels + [
        FieldPanel("matter", widget=forms.Select),
        FieldPanel("introduction"),
        MultiFieldPanel(
            [FieldPanel("publicity_start"), FieldPanel("publicity_days")],
            heading=_("公示期"),
        ),
        InlinePanel("outcomes", heading=_("公示名单"), label=_("对象")),
        InlinePanel("stages", heading=_("审批环节"), label=_("环节")),
        FieldPanel("objection_contact"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("introduction"),
        index.FilterField("publicity_end"),
    ]

    parent_page_types = ["notices.ApprovalIndexPage"]
    subpage_types = []

    objects = PageManager.from_queryset(ApprovalOutcomeQuerySet)()

    @classmethod
    def search_visible(cls, queryset):
        """Ended publicity is gone from search at once, before the worker unpublishes it."""
        return queryset.running()

    class Meta:
        verbose_name = _("公示")
        verbose_name_plural = _("公示")

    def permissions_for_user(self, user):
        """Nobody but a superuser publishes a batch; the workflow's approval does (.review)."""
        return PublicityPermissionTester(user, self)

    def compute_end(self):
        if self.publicity_start and self.publicity_days:
            return working_period_end(self.publicity_start, self.publicity_days)
        return None

    def is_ended(self, today=None):
        end = self.publicity_end or self.compute_end()
        return end is not None and end < (today or timezone.localdate())

    def has_started(self, today=None):
        return self.publicity_start <= (today or timezone.localdate())

    def clean(self):
        super().clean()
        if self.publicity_days is not None and self.publicity_days < 1:
            raise ValidationError({"publicity_days": _("公示期至少 1 个工作日")})
        text_fields = [
            ("title", _("标题"), self.title),
            ("introduction", _("说明"), self.introduction),
            ("search_description", _("搜索描述"), self.search_description),
        ]
        errors = unmasked_data_errors(text_fields, [])
        for number, outcome in enumerate(self.outcomes.all(), start=1):
            for message in outcome.personal_data_errors().values():
                errors.setdefault("__all__", []).append(
                    _("公示名单第%(n)d行：%(message)s") % {"n": number, "message": message}
                )
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        self.publicity_end = self.compute_end()
        return super().save(*args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["outcomes"] = self.masked_outcomes()
        context["stages"] = list(self.stages.all())
        return context

    def published_version(self):
        """The batch as the public last saw it: this page while live; once unpublished, its last
        published revision (the page row may by then hold a later draft). None if never live."""
        if self.live:
            return self
        entry = (
            PageLogEntry.objects.filter(page=self, action="wagtail.publish")
            .exclude(revision=None)
            .select_related("revision")
            .order_by("-timestamp", "-pk")
            .first()
        )
        return entry.revision.as_object() if entry else None

    def route(self, request, path_components):
        """An ended batch keeps its URL after the worker unpublishes it: it answers 410 for good."""
        if not path_components and not self.live:
            published = self.published_version()
            if published is not None and published.is_ended():
                return RouteResult(self)
        return super().route(request, path_components)

    def serve(self, request, *args, **kwargs):
        if not self.live and not getattr(request, "is_preview", False):
            # Reached only through route(), for a batch whose published period has ended.
            published = self.published_version()
            if published is None or not published.is_ended():
                raise Http404
            return published.ended_response(request, *args, **kwargs)
        if self.is_ended():
            return self.ended_response(request, *args, **kwargs)
        return super().serve(request, *args, **kwargs)

    def ended_response(self, request, *args, **kwargs):
        """410 Gone with the notice that the publicity period has ended (no names shown)."""
        return TemplateResponse(
            request,
            "notices/publicity_ended.html",
            self.get_context(request, *args, **kwargs),
            status=410,
        )

    def get_sitemap_urls(self, request=None):
        if self.is_ended():
            return []
        return super().get_sitemap_urls(request)

    def masked_outcomes(self):
        """The outcome rows as shown to the public: every value through the masking function."""
        rows = []
        for outcome in self.outcomes.all():
            rows.append(
                {
                    "applicant": mask(outcome.applicant, as_name=True),
                    "grid_name": mask(outcome.grid_name),
                    "household_size": outcome.household_size,
                    "benefit": mask(outcome.benefit),
                    "decision": outcome.get_decision_display(),
                    "note": mask(outcome.note),
                }
            )
        return rows


class ApprovalOutcome(Orderable):
    """One applicant's outcome in a batch; the name is stored masked, never in full."""

    page = ParentalKey(ApprovalOutcomePage, on_delete=models.CASCADE, related_name="outcomes")
    applicant = models.CharField(
        _("申请人"),
        max_length=40,
        help_text=_("填写姓名即可，保存时自动脱敏为“张*三”；不要填写身份证号"),
    )
    grid_name = models.CharField(
        _("所在网格"), max_length=60, blank=True, help_text=_("申请人所在的网格名称")
    )
    household_size = models.PositiveSmallIntegerField(
        _("家庭人口"), default=1, help_text=_("保障家庭的人数")
    )
    benefit = models.CharField(
        _("保障金额或待遇"), max_length=80, blank=True, help_text=_("例如：每月 1,380 元")
    )
    decision = models.CharField(
        _("审批结果"),
        max_length=12,
        choices=Decision.choices,
        default=Decision.APPROVED,
        help_text=_("审批的结论"),
    )
    note = models.CharField(
        _("备注"), max_length=200, blank=True, help_text=_("不要填写身份证号、手机号码或门牌号")
    )

    class Meta(Orderable.Meta):
        verbose_name = _("公示对象")
        verbose_name_plural = _("公示对象")

    def personal_data_errors(self):
        """{field: message} for unmasked ID or mobile numbers in this row."""
        errors = {}
        for field in ("grid_name", "benefit", "note"):
            label = self._meta.get_field(field).verbose_name
            found = unmasked_data_errors([(field, label, getattr(self, field))], [])
            if found:
                errors[field] = found[field][0]
        return errors

    def clean(self):
        super().clean()
        self.applicant = mask(self.applicant, as_name=True)
        errors = self.personal_data_errors()
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        self.applicant = mask(self.applicant, as_name=True)
        return super().save(*args, **kwargs)


class ApprovalStage(Orderable):
    """One step of the approval: who did it and when."""

    page = ParentalKey(ApprovalOutcomePage, on_delete=models.CASCADE, related_name="stages")
    stage = models.CharField(
        _("环节"), max_length=12, choices=ApprovalStageKind.choices, help_text=_("审批的环节")
    )
    date = models.DateField(_("日期"), help_text=_("这一环节完成的日期"))
    office = models.CharField(
        _("单位"), max_length=80, help_text=_("完成这一环节的单位，例如：明华街道办事处")
    )

    class Meta(Orderable.Meta):
        verbose_name = _("审批环节")
        verbose_name_plural = _("审批环节")
