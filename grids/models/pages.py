"""The area tree: AreaPage (街道, 社区, 片区 …) holds AreaPages or GridPages, with boundaries."""

import hashlib
from functools import cached_property

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Length, Substr
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable, Page, PageViewRestriction
from wagtail.search import index
from wagtail.url_routing import RouteResult

from portal import versions
from portal.page_tree import BelowSiteRoot

from ..enums import COMMUNITY_LEVELS, AreaLevel, OnDutyRole, TeamRole
from ..forms import BoundaryPageForm
from ..geometry import area_m2, to_shape, validate_boundary

BOUNDARY_HELP = _(
    "GeoJSON 的 Polygon 或 MultiPolygon，坐标为[经度, 纬度]，采用 WGS84 或 CGCS2000"
    "（国家2000）经纬度，不要用 GCJ-02（高德、腾讯地图）或 BD-09（百度地图）坐标。"
    "每个环首尾相同、至少4个点。下级网格必须正好铺满上级区域，不重叠、不留缝。"
)


class TilingError(ValidationError):
    """Publishing would break the rule that an area's children tile it."""


class BoundaryPage(Page):
    """Fields and helpers shared by areas and grids: a code and a validated boundary."""

    boundary = models.JSONField(_("边界"), validators=[validate_boundary], help_text=BOUNDARY_HELP)
    area_m2 = models.FloatField(
        _("面积（平方米）"), default=0, editable=False, help_text=_("由边界自动计算")
    )
    # The boundary's bounding box, kept so neighbours can be found with one indexed query.
    min_lon = models.FloatField(default=0, editable=False)
    min_lat = models.FloatField(default=0, editable=False)
    max_lon = models.FloatField(default=0, editable=False)
    max_lat = models.FloatField(default=0, editable=False)

    base_form_class = BoundaryPageForm

    class Meta:
        abstract = True

    def get_view_restrictions(self):
        """Wagtail's view restrictions of this page and its ancestors (an alias's: its
        source's), in one query: the ancestors' paths are prefixes of this page's own, so they
        need no query of their own (an area or grid is asked on every visit). None at all, and
        no query, when the route found neither a restriction nor an alias above (route_below)."""
        if getattr(self, "route_restricted", None) is False and not self.route_aliased:
            return PageViewRestriction.objects.none()
        paths = [self.path[:end] for end in range(self.steplen, len(self.path) + 1, self.steplen)]
        return PageViewRestriction.objects.filter(
            Q(page__path__in=paths, page__alias_of__isnull=True)
            | Q(page__in=Page.objects.filter(aliases__path__in=paths))
        )

    @cached_property
    def shape(self):
        """The boundary as a shapely geometry."""
        return to_shape(self.boundary)

    def save(self, *args, **kwargs):
        if self.boundary:
            try:
                geometry = to_shape(self.boundary)
            except (ValueError, TypeError, KeyError, AttributeError):
                geometry = None
            if geometry is not None and not geometry.is_empty:
                self.area_m2 = round(area_m2(geometry), 1)
                self.min_lon, self.min_lat, self.max_lon, self.max_lat = geometry.bounds
            self.__dict__.pop("shape", None)
        return super().save(*args, **kwargs)

    def publish(self, revision, *args, **kwargs):
        """Refuse to publish a revision that would break tiling (see grids.tiling)."""
        from ..tiling import publish_problems

        problems = publish_problems(revision.as_object())
        if problems:
            raise TilingError([problem.message() for problem in problems])
        return super().publish(revision, *args, **kwargs)

    def _ancestor_paths(self, inclusive=False):
        steplen = self.steplen
        end = len(self.path) + (steplen if inclusive else 0)
        return [self.path[:i] for i in range(steplen, end, steplen)]

    def know_area_chain(self, areas):
        """Tell the page its area chain, read by a query that had it at hand (route_below)."""
        self._known_area_chain = list(areas)

    def area_chain(self):
        """The areas above this page (and the page itself if it is an area), top to bottom:
        what the route read (`know_area_chain`), else one query."""
        known = getattr(self, "_known_area_chain", None)
        if known is not None:
            return list(known)
        return list(
            AreaPage.objects.filter(path__in=self._ancestor_paths(inclusive=True)).order_by("depth")
        )

    def community(self):
        """The nearest area of level 社区 (or 村) at or above this page; None if there is none.

        This is the community whose service centre serves the grid.
        """
        return (
            AreaPage.objects.filter(
                path__in=self._ancestor_paths(inclusive=True), level__in=COMMUNITY_LEVELS
            )
            .order_by("-depth")
            .first()
        )


# Whether a view restriction could apply to a page: one on it or above it, or an alias among
# them (whose source's restrictions apply). Asked with the page, so that `get_view_restrictions`
# needs no query of its own when neither is so (nearly always).
def _route_privacy():
    return {
        "route_restricted": Exists(
            PageViewRestriction.objects.filter(
                page__path=Substr(OuterRef("path"), 1, Length("page__path"))
            )
        ),
        "route_aliased": Exists(
            Page.objects.filter(
                path=Substr(OuterRef("path"), 1, Length("path")), alias_of__isnull=False
            )
        ),
    }


def _child_or_none(page, name):
    """The `name` page (a model inheriting Page) a page joined with select_related is, or None."""
    try:
        return getattr(page, name)
    except ObjectDoesNotExist:
        return None


# What a grid page shows of its own foreign keys, joined when its address is routed.
GRID_ROUTE_RELATED = ("level",)


ROUTE_TIMEOUT = 60 * 60 * 24


def route_below(page, path_components, model, related=()):
    """The route to the `model` page at `path_components` below `page`, found by its URL path
    (Wagtail asks one level at a time, two queries a level), with the `related` objects it shows
    joined; None if there is none.
    The grids' ancestors are areas, whose own route does the same, so nothing in between could
    answer differently.

    The same query reads the page's ancestors (each by its own slug and URL path, which are
    prefixes of the page's), so the page knows its area chain (`area_chain`) without a query
    of its own.

    A page found is kept in the cache under the pages' and grids' versions (a publish,
    unpublish, move or delete of any page, or a change of a view restriction, raises the first),
    so routing a known address costs no query; an address that finds nothing is not kept."""
    url_path = page.url_path + "/".join(path_components) + "/"

    def build():
        # "/home/", "/home/street/", … down to the address, each with its slug, so that every
        # term of the OR can use the slug's index (the URL path has none; the tree's root,
        # above every site, is no area and is left out).
        levels = [segment for segment in url_path.split("/") if segment]
        at_each_level = Q()
        for depth in range(1, len(levels) + 1):
            at_each_level |= Q(
                slug=levels[depth - 1], url_path="/" + "/".join(levels[:depth]) + "/"
            )
        name = model._meta.model_name
        pages = (
            Page.objects.filter(at_each_level)
            .select_related(name, *(f"{name}__{field}" for field in related), "areapage")
            .annotate(**_route_privacy())
            .order_by("depth")
        )
        if model is not AreaPage:
            # The areas are read only as the chain above the page (names, addresses, phones):
            # their boundaries, which can be large, are not kept with every grid's route.
            pages = pages.defer("areapage__boundary")
        rows = list(pages)
        if not rows or rows[-1].url_path != url_path:
            return None
        found = _child_or_none(rows[-1], name)
        if found is None:
            return None
        found.route_restricted, found.route_aliased = (
            rows[-1].route_restricted,
            rows[-1].route_aliased,
        )
        found.know_area_chain(
            [area for area in (_child_or_none(row, "areapage") for row in rows) if area is not None]
        )
        return found

    if not settings.PORTAL_ROUTE_CACHE:
        found = build()
    else:
        found = versions.cached(
            "grids:route",
            model._meta.label_lower,
            hashlib.blake2b(url_path.encode(), digest_size=16).hexdigest(),
            *related,
            build=build,
            depends_on=[versions.PAGES, versions.GRIDS],
            timeout=ROUTE_TIMEOUT,
            keep_none=False,
        )
    if found is None:
        return None
    if not found.live:
        raise Http404
    return RouteResult(found)


class AreaPage(BelowSiteRoot, BoundaryPage):
    """An administrative area (街道, 社区, 片区 …); its published children must tile it."""

    level = models.CharField(
        _("层级"),
        max_length=20,
        choices=AreaLevel.choices,
        default=AreaLevel.COMMUNITY,
        help_text=_("街道、社区、片区等；层级可以任意嵌套"),
    )
    code = models.CharField(
        _("区域编码"),
        max_length=40,
        unique=True,
        help_text=_("唯一编码，下级网格编码以它开头，例如 110105001"),
    )
    introduction = models.TextField(
        _("简介"), blank=True, help_text=_("这个区域的范围和特点，一两句话")
    )
    service_centre_phone = models.CharField(
        _("服务中心电话"),
        max_length=40,
        blank=True,
        help_text=_("社区服务中心的公开电话；留空时使用站点设置中的联系电话"),
    )

    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("level"), FieldPanel("code")]),
        FieldPanel("introduction"),
        FieldPanel("service_centre_phone"),
        FieldPanel("boundary"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("introduction"),
        index.FilterField("code"),
    ]

    # Parents: the home page and areas (whose subpage_types list AreaPage).
    subpage_types = ["grids.AreaPage", "grids.GridPage"]

    class Meta:
        verbose_name = _("区域")
        verbose_name_plural = _("区域")

    def __str__(self):
        return self.title

    def route(self, request, path_components):
        """Find a grid or area below in one query (by slug and URL path), not one per level."""
        if path_components:
            for model, related in ((GridPage, GRID_ROUTE_RELATED), (AreaPage, ())):
                result = route_below(self, path_components, model, related)
                if result is not None:
                    return result
        return super().route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        from ..context import area_page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(area_page_context(self, request))
        return context


class GridPage(BoundaryPage):
    """A grid (网格): the smallest unit, with its addresses, workers and team.

    The on-duty interface (used by feedback routing):
    `on_duty_role(day)`, `on_duty_worker(day)`, `off_duty_worker(day)`, `primary_leave(day)`,
    `community()`; and `grids_for_user(user)` for the grids an account is primary/backup for.
    """

    code = models.CharField(
        _("网格编码"),
        max_length=40,
        unique=True,
        help_text=_("上级区域编码加序号，唯一，例如 110105001003"),
    )
    level = models.ForeignKey(
        "grids.GridLevel",
        verbose_name=_("网格等级"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="grids",
        help_text=_("从可配置的等级列表中选择"),
    )
    households = models.PositiveIntegerField(_("户数"), default=0, help_text=_("网格内的户数"))
    population = models.PositiveIntegerField(_("人口"), default=0, help_text=_("网格内的常住人口"))
    description = models.TextField(
        _("网格简介"), blank=True, help_text=_("四至范围、主要楼宇和特点，几句话")
    )
    service_hours = models.CharField(
        _("服务时间"),
        max_length=80,
        blank=True,
        help_text=_("例如：工作日 8:30-17:30，紧急情况随时联系"),
    )
    primary_worker = models.ForeignKey(
        "grids.GridWorker",
        verbose_name=_("网格员（A岗）"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="primary_grids",
        help_text=_("负责本网格的网格员"),
    )
    backup_worker = models.ForeignKey(
        "grids.GridWorker",
        verbose_name=_("备岗（B岗）"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="backup_grids",
        help_text=_("网格员请假时顶岗的人员"),
    )

    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("code"), FieldPanel("level")]),
        FieldRowPanel([FieldPanel("households"), FieldPanel("population")]),
        FieldPanel("description"),
        FieldPanel("service_hours"),
        MultiFieldPanel(
            [FieldPanel("primary_worker"), FieldPanel("backup_worker")],
            heading=_("网格员（AB岗）"),
        ),
        InlinePanel("addresses", label=_("地址"), heading=_("网格内的地址（用于查询）")),
        InlinePanel("team_members", label=_("成员"), heading=_("网格管理团队")),
        FieldPanel("boundary"),
    ]
    # The workers' public names find their grid (whoever is on duty is one of the two); a change
    # of a worker's name reindexes their grids (grids.signals). Nothing private is indexed.
    search_fields = Page.search_fields + [
        index.SearchField("code"),
        index.SearchField("description"),
        index.FilterField("code"),
        index.RelatedFields("primary_worker", [index.SearchField("name")]),
        index.RelatedFields("backup_worker", [index.SearchField("name")]),
    ]

    parent_page_types = ["grids.AreaPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("网格")
        verbose_name_plural = _("网格")

    def __str__(self):
        return self.title

    def get_context(self, request, *args, **kwargs):
        from ..context import lazy_grid_page_context

        context = super().get_context(request, *args, **kwargs)
        # Loaded only when the page's fragment is not in the cache (grids/grid_page.html).
        context.update(lazy_grid_page_context(self, request))
        context["today"] = timezone.localdate().isoformat()
        return context

    @property
    def name(self):
        """The grid's name (its page title)."""
        return self.title

    def clean(self):
        super().clean()
        if (
            self.primary_worker_id
            and self.backup_worker_id
            and self.primary_worker_id == self.backup_worker_id
        ):
            raise ValidationError({"backup_worker": _("备岗人员不能与网格员是同一人。")})

    # --- On duty -------------------------------------------------------------------------

    def primary_leave(self, day=None):
        """The primary's leave period covering `day` (default: today), or None."""
        if self.primary_worker is None:
            return None
        return self.primary_worker.leave_on(day or timezone.localdate())

    def on_duty_role(self, day=None):
        """Who covers the grid on `day` (default: today): OnDutyRole.PRIMARY or .BACKUP.

        The primary, unless they are missing or on leave; then the backup, if there is one
        who is not on leave either. None when nobody covers (the service centre does).
        """
        day = day or timezone.localdate()
        primary, backup = self.primary_worker, self.backup_worker
        if primary is not None and not primary.is_on_leave(day):
            return OnDutyRole.PRIMARY
        if backup is not None and not backup.is_on_leave(day):
            return OnDutyRole.BACKUP
        return None

    def on_duty_worker(self, day=None):
        """The GridWorker on duty on `day` (default: today), or None (see `on_duty_role`)."""
        role = self.on_duty_role(day)
        if role == OnDutyRole.PRIMARY:
            return self.primary_worker
        if role == OnDutyRole.BACKUP:
            return self.backup_worker
        return None

    def off_duty_worker(self, day=None):
        """The other of primary/backup (the one not on duty on `day`), or None."""
        role = self.on_duty_role(day)
        if role == OnDutyRole.PRIMARY:
            return self.backup_worker
        if role == OnDutyRole.BACKUP:
            return self.primary_worker
        return None


def grids_for_user(user, role=None):
    """The live grids an account is primary (A岗) or backup (B岗) for.

    `role` limits it to OnDutyRole.PRIMARY or OnDutyRole.BACKUP. Whether the account is on
    duty for a grid today is `grid.on_duty_worker(day).user_id == user.pk`.
    """
    if user is None or not getattr(user, "pk", None):
        return GridPage.objects.none()
    condition = Q()
    if role in (None, OnDutyRole.PRIMARY):
        condition |= Q(primary_worker__user=user)
    if role in (None, OnDutyRole.BACKUP):
        condition |= Q(backup_worker__user=user)
    return (
        GridPage.objects.live()
        .filter(condition)
        .select_related("primary_worker", "backup_worker")
        .prefetch_related("primary_worker__leave_periods", "backup_worker__leave_periods")
        .order_by("code")
        .distinct()
    )


def grids_on_duty_for_user(user, day=None):
    """The live grids for which this account is the on-duty worker on `day` (default: today)."""
    return [
        grid
        for grid in grids_for_user(user)
        if (worker := grid.on_duty_worker(day)) is not None and worker.user_id == user.pk
    ]


class GridAddress(Orderable):
    """A place in a grid (street, lane or compound) with an optional range of numbers."""

    grid = ParentalKey(GridPage, on_delete=models.CASCADE, related_name="addresses")
    place = models.CharField(
        _("地点"),
        max_length=80,
        help_text=_("街道、巷子或小区名，例如：明华街东十九巷、希望家园"),
    )
    number_from = models.PositiveIntegerField(
        _("起始号"),
        null=True,
        blank=True,
        help_text=_("门牌号或楼号范围的起点；整条街巷都在本网格时留空"),
    )
    number_to = models.PositiveIntegerField(
        _("终止号"), null=True, blank=True, help_text=_("门牌号或楼号范围的终点（含）")
    )

    panels = [
        FieldPanel("place"),
        FieldRowPanel([FieldPanel("number_from"), FieldPanel("number_to")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("地址")
        verbose_name_plural = _("地址")

    def __str__(self):
        if self.number_from is None:
            return self.place
        if self.number_to is None or self.number_to == self.number_from:
            return f"{self.place} {self.number_from}"
        return f"{self.place} {self.number_from}–{self.number_to}"

    def clean(self):
        if self.number_to is not None and self.number_from is None:
            raise ValidationError({"number_from": _("填写了终止号时，请同时填写起始号。")})
        if self.number_to is not None and self.number_to < (self.number_from or 0):
            raise ValidationError({"number_to": _("终止号不能小于起始号。")})


class GridTeamMember(Orderable):
    """A member of a grid team: building head, community police, property staff, volunteer."""

    grid = ParentalKey(GridPage, on_delete=models.CASCADE, related_name="team_members")
    role = models.CharField(
        _("角色"), max_length=30, choices=TeamRole.choices, help_text=_("在网格团队中的角色")
    )
    name = models.CharField(_("姓名"), max_length=40, help_text=_("公开显示的姓名"))
    phone = models.CharField(
        _("公开电话"), max_length=40, blank=True, help_text=_("可以公开的电话；没有则留空")
    )

    panels = [FieldPanel("role"), FieldPanel("name"), FieldPanel("phone")]

    class Meta(Orderable.Meta):
        verbose_name = _("团队成员")
        verbose_name_plural = _("团队成员")

    def __str__(self):
        return f"{self.get_role_display()} {self.name}"
