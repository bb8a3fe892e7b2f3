"""What the area and grid page templates show, loaded in a fixed number of queries."""

from django.db.models import Count, FilteredRelation, Q, Sum
from django.db.models.functions import Substr
from django.utils import timezone
from shapely.geometry import box

from portal import versions

from .enums import COMMUNITY_LEVELS, OnDutyRole
from .maps import DRAWING, MapItem, area_items, grid_items, render_svg, tiles_enabled

MAP_TIMEOUT = 60 * 60 * 24
# Neighbours are looked for within this margin (degrees, about 500 m) around the grid.
NEIGHBOUR_MARGIN = 0.005


def load_workers(grids, day=None):
    """Attach primary and backup workers to grids, each with its photo, the card's rendition of
    the photo and its leave period covering `day` (default: today): one query, the rendition
    and the leave joined (FilteredRelation) rather than prefetched."""
    from .models import GridWorker

    day = day or timezone.localdate()
    ids = {pk for grid in grids for pk in (grid.primary_worker_id, grid.backup_worker_id) if pk}
    if not ids:
        return
    rows = (
        GridWorker.objects.filter(pk__in=ids)
        .annotate(
            leave_that_day=FilteredRelation(
                "leave_periods",
                condition=Q(leave_periods__starts_on__lte=day, leave_periods__ends_on__gte=day),
            ),
            card_rendition=FilteredRelation(
                "photo__renditions",
                condition=Q(photo__renditions__filter_spec=GridWorker.CARD_PHOTO_SPEC),
            ),
        )
        .select_related("photo", "leave_that_day", "card_rendition")
    )
    workers = {}
    # A worker comes once per leave period and rendition joined (overlapping leaves, renditions
    # of several focal points): the first row of each is kept.
    for worker in rows:
        if worker.pk not in workers:
            worker.know_leave_on(day, getattr(worker, "leave_that_day", None))
            worker.know_card_rendition(getattr(worker, "card_rendition", None))
            workers[worker.pk] = worker
    for grid in grids:
        grid.primary_worker = workers.get(grid.primary_worker_id)
        grid.backup_worker = workers.get(grid.backup_worker_id)


def on_duty_summary(grid, day=None):
    """The on-duty worker and role, the other worker and the primary's leave, for templates."""
    day = day or timezone.localdate()
    role = grid.on_duty_role(day)
    return {
        "on_duty": grid.on_duty_worker(day),
        "on_duty_role": role,
        "on_duty_is_backup": role == OnDutyRole.BACKUP,
        "other_worker": grid.off_duty_worker(day),
        "other_role": (
            OnDutyRole.BACKUP
            if role == OnDutyRole.PRIMARY
            else OnDutyRole.PRIMARY
            if role == OnDutyRole.BACKUP
            else None
        ),
        "primary_leave": grid.primary_leave(day),
        # Everyone not on duty, with their role: the other worker, or both when nobody covers.
        "others": [
            (worker, worker_role)
            for worker, worker_role in (
                [
                    (
                        grid.off_duty_worker(day),
                        OnDutyRole.BACKUP if role == OnDutyRole.PRIMARY else OnDutyRole.PRIMARY,
                    )
                ]
                if role is not None
                else [
                    (grid.primary_worker, OnDutyRole.PRIMARY),
                    (grid.backup_worker, OnDutyRole.BACKUP),
                ]
            )
            if worker is not None
        ],
    }


def service_centre_phone(areas, site_settings=None):
    """The phone of the nearest community's service centre, else of any area, else the site's."""
    for area in reversed(areas):
        if area.level in COMMUNITY_LEVELS and area.service_centre_phone:
            return area.service_centre_phone
    for area in reversed(areas):
        if area.service_centre_phone:
            return area.service_centre_phone
    return getattr(site_settings, "phone", "") if site_settings else ""


def _url(request):
    def url_for(page):
        return page.get_url(request)

    return url_for


def grid_map(grid, request):
    """The grid over its faded neighbours (cached until the tree changes)."""
    from .models import GridPage

    def build():
        margin = NEIGHBOUR_MARGIN
        neighbours = list(
            GridPage.objects.live()
            .filter(
                min_lon__lte=grid.max_lon + margin,
                max_lon__gte=grid.min_lon - margin,
                min_lat__lte=grid.max_lat + margin,
                max_lat__gte=grid.min_lat - margin,
            )
            .exclude(pk=grid.pk)
            .select_related("level")
            .only("pk", "title", "code", "boundary", "level", "path", "url_path", "depth")
        )
        grid_items_list = grid_items([grid, *neighbours], current=grid, url_for=_url(request))
        # The view: the grid with half its size around it, but no further than the shapes go.
        dx, dy = (grid.max_lon - grid.min_lon) * 0.5, (grid.max_lat - grid.min_lat) * 0.5
        drawn = [item.shape.bounds for item in grid_items_list]
        frame = box(
            max(grid.min_lon - dx, min(b[0] for b in drawn)),
            max(grid.min_lat - dy, min(b[1] for b in drawn)),
            min(grid.max_lon + dx, max(b[2] for b in drawn)),
            min(grid.max_lat + dy, max(b[3] for b in drawn)),
        )
        return render_svg(
            grid_items_list,
            title=f"{grid.title}及相邻网格地图",
            frame_shape=frame,
            map_id=f"grid-map-{grid.pk}",
        )

    return versions.cached(
        "grids:map:grid",
        grid.pk,
        int(tiles_enabled()),
        DRAWING,
        build=build,
        depends_on=[versions.GRIDS],
        timeout=MAP_TIMEOUT,
    )


def area_grids(area):
    """The live grids anywhere below an area, with their levels, in code order: one query."""
    from .models import GridPage

    return list(
        GridPage.objects.live()
        .descendant_of(area)
        .select_related("level")
        .only("pk", "title", "code", "boundary", "level", "path", "url_path", "depth", "households")
        .order_by("code")
    )


def direct_grids(area):
    """The live grids right under an area, with their levels, in code order: one query."""
    from .models import GridPage

    return list(
        GridPage.objects.live()
        .child_of(area)
        .select_related("level")
        .only("pk", "title", "code", "boundary", "level", "path", "url_path", "depth", "households")
        .order_by("code")
    )


def grid_totals_by_child(area):
    """{child path: (grids, households)} over the live grids anywhere below each child of the
    area, and the same for the area's own grids under the area's path: one grouped query."""
    from .models import GridPage

    prefix = len(area.path) + area.steplen
    rows = (
        GridPage.objects.live()
        .descendant_of(area)
        .annotate(branch=Substr("path", 1, prefix))
        .values("branch", "depth")
        .annotate(grids=Count("pk"), households=Sum("households"))
    )
    totals = {}
    for row in rows:
        # A grid right under the area has a path as long as the prefix: it is its own branch.
        key = area.path if row["depth"] == area.depth + 1 else row["branch"]
        grids, households = totals.get(key, (0, 0))
        totals[key] = (grids + row["grids"], households + (row["households"] or 0))
    return totals


def area_map(area, children, grids, request):
    """The area's child areas and its own grids coloured by level, labelled and linked; not
    every grid below (cached until the tree changes)."""

    def build():
        items = [MapItem(shape=area.shape, label="", emphasis="outline")]
        items += area_items(children, url_for=_url(request))
        items += grid_items(grids, url_for=_url(request))
        return render_svg(
            items,
            title=f"{area.title}网格分布图",
            frame_shape=area.shape,
            map_id=f"area-map-{area.pk}",
        )

    return versions.cached(
        "grids:map:area",
        area.pk,
        int(tiles_enabled()),
        DRAWING,
        build=build,
        depends_on=[versions.GRIDS],
        timeout=MAP_TIMEOUT,
    )


def cached_area_chain(page):
    """`page.area_chain()`, kept in the cache until the tree changes."""
    return versions.cached(
        "grids:chain",
        page.pk,
        build=page.area_chain,
        depends_on=[versions.GRIDS],
        timeout=MAP_TIMEOUT,
    )


def grid_page_context(grid, request):
    """Everything grid_page.html shows but the centre's phone (`grid_centre_phone`), in a fixed
    number of queries."""
    load_workers([grid])
    areas = cached_area_chain(grid)
    return {
        "areas": areas,
        "addresses": list(grid.addresses.all()),
        "team": list(grid.team_members.all()),
        "map_svg": grid_map(grid, request),
        **on_duty_summary(grid),
    }


def grid_centre_phone(grid, request):
    """The service centre's phone a grid page gives when nobody is on duty: the nearest area's,
    else the site's (site settings are read only then)."""
    from portal.models import SiteSettings

    return service_centre_phone(cached_area_chain(grid)) or (
        SiteSettings.for_request(request).phone
    )


class LazyValue:
    """One value of a context loaded together with the others the first time a template asks
    for any of them (Django templates call a callable they find): a page whose fragment comes
    from the cache (`{% cached %}`) asks for none, and loads nothing."""

    def __init__(self, load, name):
        self.load, self.name = load, name

    def __call__(self):
        return self.load()[self.name]


def lazy_context(build, names):
    """`names` → a LazyValue each, all loaded by one call of `build()` at the first use."""
    loaded = []

    def load():
        if not loaded:
            loaded.append(build())
        return loaded[0]

    return {name: LazyValue(load, name) for name in names}


GRID_PAGE_NAMES = (
    "areas",
    "addresses",
    "team",
    "map_svg",
    "on_duty",
    "on_duty_role",
    "on_duty_is_backup",
    "other_worker",
    "other_role",
    "primary_leave",
    "others",
)


def lazy_grid_page_context(grid, request):
    """`grid_page_context` and the centre's phone, each loaded only if the template renders
    what it shows."""
    context = lazy_context(lambda: grid_page_context(grid, request), GRID_PAGE_NAMES)
    phone = lazy_context(
        lambda: {"centre_phone": grid_centre_phone(grid, request)}, ["centre_phone"]
    )
    return {**context, **phone}


def area_page_context(area, request):
    """Everything area_page.html shows: the child areas with their totals, the area's own
    grids, the map of both. Its size grows with the area's children, not with every grid below."""
    from portal.models import SiteSettings

    from .models import AreaPage

    grids = direct_grids(area)
    children = list(
        AreaPage.objects.live()
        .public()
        .child_of(area)
        .only("pk", "title", "code", "level", "boundary", "path", "url_path", "depth")
        .order_by("code")
    )
    totals = grid_totals_by_child(area)
    sections = [(child, *totals.get(child.path, (0, 0))) for child in children]
    grid_count = sum(count for count, _households in totals.values())
    areas = area.area_chain()[:-1]
    levels = sorted({g.level for g in grids if g.level_id}, key=lambda lv: (lv.sort_order, lv.name))
    return {
        "areas": areas,
        "area_km2": round(area.area_m2 / 1_000_000, 2),
        "child_areas": children,
        "sections": sections,
        "direct_grids": grids,
        "grid_count": grid_count,
        "levels": levels,
        "households": sum(households for _count, households in totals.values()),
        "map_svg": area_map(area, children, grids, request) if grids or children else "",
        "centre_phone": service_centre_phone([*areas, area], SiteSettings.for_request(request)),
    }


def communities():
    """The live communities (社区, 村) in code order, each with a `label` that tells two of one
    name apart: "<the area above> · <name>" when the community is below an area, else its name."""
    from .models import AreaPage

    found = list(
        AreaPage.objects.live()
        .filter(level__in=COMMUNITY_LEVELS)
        .only("pk", "title", "code", "path", "depth")
        .order_by("code")
    )
    parents = {
        area.path: area.title
        for area in AreaPage.objects.filter(path__in={c.path[: -c.steplen] for c in found}).only(
            "title", "path"
        )
    }
    for community in found:
        above = parents.get(community.path[: -community.steplen])
        community.label = f"{above} · {community.title}" if above else community.title
    return found
