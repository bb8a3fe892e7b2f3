"""Notices (通知公告): NoticeIndexPage → NoticePage."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from portal.blocks import BaseStreamBlock, DocumentBlock
from portal.page_tree import BelowSiteRoot, public
from portal.parsing import parse_id, parse_int, parse_text

from ..cache import cached_value
from ..enums import Urgency
from ..feeds import NoticeAtomFeed, NoticeRssFeed, serve_feed
from ..personal_data import epidemic_rule_errors, merge_errors, unmasked_data_errors

NOTICES_PER_PAGE = 10
# More grids than this in the notice list's grid filter: it narrows by community first.
GRID_FILTER_MAX = 100


def raise_field_errors(errors):
    if errors:
        raise ValidationError(dict(errors))


class NoticeIndexPage(BelowSiteRoot, RoutablePageMixin, Page):
    """A list of notices (or guides) with filters, pagination and RSS/Atom feeds."""

    introduction = models.TextField(
        _("导语"), blank=True, help_text=_("列表上方的一两句话，说明这里发布哪些内容")
    )
    stale_after_days = models.PositiveSmallIntegerField(
        _("内容更新提醒（天）"),
        default=14,
        help_text=_("超过这么多天没有新内容时，编辑健康报告会提醒；办事指南类栏目可设为 180"),
    )

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    settings_panels = Page.settings_panels + [FieldPanel("stale_after_days")]
    search_fields = Page.search_fields + [index.SearchField("introduction")]

    # Parent: the home page (whose subpage_types list this page type).
    subpage_types = ["notices.NoticePage"]

    class Meta:
        verbose_name = _("通知公告栏目")

    def notices(self, grid=None):
        """The live, public notices of this index, newest first; with `grid`, only those aimed
        at that grid or at the whole community (`for_grid`)."""
        notices = (
            NoticePage.objects.child_of(self)
            .live()
            .public()
            .select_related("category")
            .order_by("-publication_date", "-first_published_at")
        )
        return notices if grid is None else for_grid(notices, grid)

    def filtered_notices(self, request):
        """The notices matching the request's filters, and what the filters were."""
        from .categories import NoticeCategory

        notices = self.notices()
        filters = {"category": None, "year": None, "grid": None, "errors": []}
        slug = request.GET.get("category", "").strip()
        if slug:
            slug = parse_text(slug)
            category = NoticeCategory.objects.filter(slug=slug).first() if slug else None
            if category is None:
                filters["errors"].append(_("没有这个类别，已显示全部类别。"))
            else:
                filters["category"] = category
                notices = notices.filter(category=category)
        code = request.GET.get("grid", "").strip()
        if code:
            grid = grid_by_code(code)
            if grid is None:
                filters["errors"].append(_("没有这个网格，已显示全部网格。"))
            else:
                filters["grid"] = grid
                notices = for_grid(notices, grid)
        year = request.GET.get("year", "").strip()
        if year:
            number = parse_int(year, 1901, 2999)
            if number is not None:
                filters["year"] = number
                notices = notices.filter(publication_date__year=number)
            else:
                filters["errors"].append(_("年份应为四位数字，例如 2026，已显示全部年份。"))
        return notices, filters

    def get_context(self, request, *args, **kwargs):
        from .categories import NoticeCategory

        context = super().get_context(request, *args, **kwargs)
        notices, filters = self.filtered_notices(request)
        paginator = Paginator(notices, NOTICES_PER_PAGE)
        try:
            page_obj = paginator.page(request.GET.get("page", 1))
        except PageNotAnInteger:
            page_obj = paginator.page(1)
        except EmptyPage:
            page_obj = paginator.page(paginator.num_pages)
        # One pass over every notice (0.2 s at 50,000): kept until a notice changes.
        years = cached_value(
            f"years:{self.pk}",
            lambda: [d.year for d in self.notices().dates("publication_date", "year", "DESC")],
        )
        context.update(
            page_obj=page_obj,
            notices=page_obj.object_list,
            filters=filters,
            categories=NoticeCategory.objects.all(),
            years=years,
            **self.grid_filter(request, filters["grid"]),
        )
        return context

    def grid_filter(self, request, grid=None):
        """The grid filter's choices. Up to GRID_FILTER_MAX grids are listed at once; beyond
        that (a city) the filter narrows by community first: `grid_communities` to choose from,
        and only the chosen community's grids (`?community=<id>`, else the filtered grid's)."""
        from grids.context import communities as area_communities

        grids = self.targeted_grids().only("pk", "title", "code", "path", "depth")
        if len(grids.order_by().values_list("pk", flat=True)[: GRID_FILTER_MAX + 1]) <= (
            GRID_FILTER_MAX
        ):
            return {"grids": grids, "grid_communities": [], "grid_community": None}
        communities = area_communities()
        pk = parse_id(request.GET.get("community"))
        chosen = next((a for a in communities if a.pk == pk), None)
        if chosen is None and grid is not None:
            chosen = next((a for a in communities if grid.path.startswith(a.path)), None)
        return {
            "grids": grids.filter(path__startswith=chosen.path) if chosen is not None else [],
            "grid_communities": communities,
            "grid_community": chosen,
        }

    @path("")
    def index_route(self, request, *args, **kwargs):
        return self.serve_page(request)

    def serve_page(self, request):
        return Page.serve(self, request)

    @path("feed/rss/", name="rss")
    def rss_feed(self, request):
        return serve_feed(NoticeRssFeed(self), request)

    @path("feed/atom/", name="atom")
    def atom_feed(self, request):
        return serve_feed(NoticeAtomFeed(self), request)

    @path("feed/rss/grid/<str:code>/", name="grid_rss")
    def grid_rss_feed(self, request, code):
        return serve_feed(NoticeRssFeed(self, grid=self._grid_or_404(code)), request)

    @path("feed/atom/grid/<str:code>/", name="grid_atom")
    def grid_atom_feed(self, request, code):
        return serve_feed(NoticeAtomFeed(self, grid=self._grid_or_404(code)), request)

    def _grid_or_404(self, code):
        grid = grid_by_code(code)
        if grid is None:
            raise Http404(_("没有这个网格"))
        return grid

    def targeted_grids(self):
        """The grids some live notice here is aimed at: the choices of the grid filter (a
        city has thousands of grids; any grid code still works in the link from its page)."""
        from grids.models import GridPage

        through = NoticePage._meta.get_field("target_grids").remote_field.through
        aimed = through.objects.filter(
            gridpage=OuterRef("pk"), noticepage__in=self.notices().values("pk")
        )
        return GridPage.objects.live().filter(Exists(aimed)).order_by("code")


class NoticeStreamBlock(BaseStreamBlock):
    """A notice body: text, image, table, document and contact blocks."""


class NoticePage(Page):
    """One notice: category, urgency, dates, body and attachments."""

    category = models.ForeignKey(
        "notices.NoticeCategory",
        on_delete=models.PROTECT,
        related_name="notices",
        verbose_name=_("类别"),
        help_text=_("通知的类别；疫情防控类通知有额外的个人信息规则"),
    )
    urgency = models.CharField(
        _("紧急程度"),
        max_length=12,
        choices=Urgency.choices,
        default=Urgency.NORMAL,
        help_text=_("紧急通知在有效期内会以横幅显示在全站每个页面的顶部"),
    )
    publication_date = models.DateField(
        _("发布日期"), default=timezone.localdate, help_text=_("显示在通知上的发布日期")
    )
    valid_until = models.DateField(
        _("有效期至"),
        null=True,
        blank=True,
        help_text=_("过了这一天，通知标为“已过期”并不再显示横幅，但仍可阅读；留空表示长期有效"),
    )
    target_grids = ParentalManyToManyField(
        "grids.GridPage",
        blank=True,
        related_name="targeted_notices",
        verbose_name=_("面向网格"),
        help_text=_("只面向部分网格时勾选；不勾选表示面向全社区"),
    )
    summary = models.TextField(_("摘要"), blank=True, help_text=_("显示在列表和订阅中的一两句话"))
    body = StreamField(NoticeStreamBlock(), blank=True, verbose_name=_("正文"))
    attachments = StreamField(
        [("document", DocumentBlock())],
        blank=True,
        verbose_name=_("附件"),
        help_text=_("附件中的身份证号和手机号码也会被检查，未脱敏的不能发布"),
    )

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("category", widget=forms.Select),
                FieldPanel("urgency"),
                FieldPanel("publication_date"),
                FieldPanel("valid_until"),
            ],
            heading=_("通知属性"),
        ),
        FieldPanel("target_grids", widget=forms.CheckboxSelectMultiple),
        FieldPanel("summary"),
        FieldPanel("body"),
        FieldPanel("attachments"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("urgency"),
        index.FilterField("publication_date"),
    ]

    parent_page_types = ["notices.NoticeIndexPage"]
    subpage_types = []
    is_article = True

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")

    @property
    def is_expired(self):
        return self.valid_until is not None and self.valid_until < timezone.localdate()

    @property
    def is_urgent(self):
        return self.urgency == Urgency.URGENT

    @property
    def category_name(self):
        return self.category.name

    @property
    def urgency_label(self):
        return self.get_urgency_display()

    @cached_property
    def document_attachments(self):
        return [child.value for child in self.attachments if child.value.get("document")]

    def personal_data_errors(self):
        """{field: [messages]} for personal data that must not be published."""
        text_fields = [
            ("title", _("标题"), self.title),
            ("summary", _("摘要"), self.summary),
            ("search_description", _("搜索描述"), self.search_description),
        ]
        stream_fields = [
            ("body", _("正文"), self.body),
            ("attachments", _("附件"), self.attachments),
        ]
        errors = unmasked_data_errors(text_fields, stream_fields)
        category = self.category if self.category_id else None
        if category is not None and category.epidemic_prevention:
            errors = merge_errors(errors, epidemic_rule_errors(text_fields, stream_fields))
        return errors

    def clean(self):
        super().clean()
        errors = self.personal_data_errors()
        if self.valid_until and self.publication_date and self.valid_until < self.publication_date:
            errors.setdefault("valid_until", []).append(_("有效期不能早于发布日期"))
        raise_field_errors(errors)


def grid_by_code(code):
    """The live grid with this code, or None (also for a value that cannot be a code)."""
    from grids.models import GridPage

    code = parse_text(code)
    if not code:
        return None
    return GridPage.objects.live().filter(code=code).first()


def for_grid(notices, grid):
    """Notices that target `grid` or the whole community (no target grids)."""
    return notices.filter(Q(target_grids=grid) | Q(target_grids__isnull=True)).distinct()


def notices_for_grid(grid):
    """The live notices a grid page lists: those aimed at it or at the whole community."""
    notices = (
        public(NoticePage.objects.live())
        .select_related("category")
        .order_by("-publication_date", "-first_published_at")
    )
    return for_grid(notices, grid)


def urgent_notices():
    """Live urgent notices that have not expired: the site-wide banner shows these."""
    today = timezone.localdate()
    return (
        public(NoticePage.objects.live())
        .filter(urgency=Urgency.URGENT)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
        .order_by("-publication_date", "-first_published_at")
    )
