"""Import areas and grids from GeoJSON (and addresses from CSV): plan first, write on request.

The plan says what would be created, changed or refused. Every area the import touches must
end up tiled exactly by its published children (no overlap, no gap beyond the tolerance); if
any feature is refused or any area would not tile, nothing at all is written. A plan that passes
is written in batches, new pages in bulk (portal.bulk_pages): see `apply_plan`.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page, ReferenceIndex, Site

from portal import versions
from portal.bulk_pages import BulkChildren, index_pages
from portal.search import analysis

from .enums import AreaLevel
from .geometry import area_m2, boundary_errors, check_tiling, same_shape, to_shape
from .models import AreaPage, GridAddress, GridLevel, GridPage
from .tiling import skip_publish_check

KINDS = ("area", "grid")


@dataclass
class Item:
    """One feature of the file, checked and compared with the database."""

    number: int
    kind: str = ""
    code: str = ""
    name: str = ""
    parent: str = ""
    values: dict = field(default_factory=dict)
    boundary: dict = None
    errors: list = field(default_factory=list)
    existing: object = None
    changes: list = field(default_factory=list)
    addresses: list = None  # [(place, from, to)] from the CSV, or None to leave them alone

    @property
    def label(self):
        kind = _("区域") if self.kind == "area" else _("网格")
        return f"{kind} {self.code}（{self.name}）"

    @property
    def action(self):
        if self.errors:
            return "refuse"
        if self.existing is None:
            return "create"
        return "change" if self.changes else "unchanged"


@dataclass
class Plan:
    items: list = field(default_factory=list)
    errors: list = field(default_factory=list)  # problems not tied to one feature

    @property
    def ok(self):
        return not self.errors and not any(item.errors for item in self.items)

    def count(self, action):
        return sum(1 for item in self.items if item.action == action)


def _plain_2d(geometry):
    def strip(value):
        if value and isinstance(value[0], int | float):
            return [value[0], value[1]]
        return [strip(v) for v in value]

    return {"type": geometry["type"], "coordinates": strip(geometry["coordinates"])}


def _integer(value, name, errors):
    if value in (None, ""):
        return 0
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = -1
    if number < 0:
        errors.append(
            _("%(name)s必须是非负整数，而不是“%(value)s”。") % {"name": name, "value": value}
        )
        return 0
    return number


def _check_feature(number, feature, levels):
    item = Item(number=number)
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        item.errors.append(_("第%(n)s个要素不是GeoJSON Feature。") % {"n": number})
        return item
    props = feature.get("properties")
    props = props if isinstance(props, dict) else {}
    # Shapefile exports write CODE, NAME …: names are matched without regard to case.
    props = {str(name).strip().lower(): value for name, value in props.items()}
    item.kind = str(props.get("kind") or "").strip()
    item.code = str(props.get("code") or "").strip()
    item.name = str(props.get("name") or "").strip()
    item.parent = str(props.get("parent") or "").strip()
    if item.kind not in KINDS:
        item.errors.append(_("kind必须是area或grid。"))
    if not item.code:
        item.errors.append(_("缺少code。"))
    if not item.name:
        item.errors.append(_("缺少name。"))
    if item.kind == "area":
        level = AreaLevel.from_name(props.get("level_name"))
        if level is None:
            item.errors.append(
                _("level_name“%(value)s”不是已知层级（%(known)s）。")
                % {
                    "value": props.get("level_name"),
                    "known": "、".join(str(lb) for _v, lb in AreaLevel.choices),
                }
            )
        item.values = {"title": item.name, "level": level}
    elif item.kind == "grid":
        level_name = str(props.get("level") or "").strip()
        level = levels.get(level_name) if level_name else None
        if level_name and level is None:
            item.errors.append(
                _("网格等级“%(value)s”不在等级列表中（%(known)s）。")
                % {"value": level_name, "known": "、".join(levels)}
            )
        item.values = {
            "title": item.name,
            "level": level,
            "households": _integer(props.get("households"), "households", item.errors),
            "population": _integer(props.get("population"), "population", item.errors),
        }
    geometry = feature.get("geometry")
    problems = boundary_errors(geometry)
    if problems:
        item.errors.extend(str(problem) for problem in problems)
    else:
        item.boundary = _plain_2d(geometry)
    return item


def _compare(item, page):
    for name, value in item.values.items():
        current = getattr(page, name)
        if current != value:
            item.changes.append(name)
    if not same_shape(page.boundary, item.boundary):
        item.changes.append("boundary")
    if item.addresses is not None and item.kind == "grid":
        current = [(a.place, a.number_from, a.number_to) for a in page.addresses.all()]
        if current != item.addresses:
            item.changes.append("addresses")


def _by_code(model, codes, chunk=500):
    """{code: page} of the `model` pages with these codes."""
    codes, found = sorted(codes), {}
    for start in range(0, len(codes), chunk):
        for page in model.objects.filter(code__in=codes[start : start + chunk]):
            found[page.code] = page
    return found


def make_plan(features, addresses=None, address_errors=()):
    """Check every feature and the tiling of every area the import touches."""
    plan = Plan(errors=list(address_errors))
    levels = {level.name: level for level in GridLevel.objects.all()}
    seen = {}
    for number, feature in enumerate(features, start=1):
        item = _check_feature(number, feature, levels)
        key = (item.kind, item.code)
        if item.code and key in seen:
            item.errors.append(_("编码%(code)s在文件中重复。") % {"code": item.code})
        seen[key] = item
        plan.items.append(item)
    file_areas = {item.code: item for item in plan.items if item.kind == "area"}
    # What the database already holds, fetched in chunks rather than one query per feature.
    existing = {
        kind: _by_code(model, {item.code for item in plan.items if item.kind == kind})
        for kind, model in (("area", AreaPage), ("grid", GridPage))
    }
    parent_codes = {item.parent for item in plan.items if item.parent} - set(file_areas)
    known_areas = set(existing["area"]) | set(_by_code(AreaPage, parent_codes))
    for item in plan.items:
        if item.kind in KINDS and item.code:
            item.existing = existing[item.kind].get(item.code)
        if item.kind == "grid" and addresses is not None:
            item.addresses = addresses.get(item.code)
        if item.parent:
            if item.parent not in file_areas and item.parent not in known_areas:
                item.errors.append(_("上级区域%(code)s不存在。") % {"code": item.parent})
        elif item.kind == "grid":
            item.errors.append(_("网格必须有上级区域（parent）。"))
        if (
            item.kind == "grid"
            and item.parent
            and not (item.code.startswith(item.parent) and len(item.code) > len(item.parent))
        ):
            item.errors.append(
                _("网格编码应以上级区域的编码%(area)s开头，后接序号，例如%(example)s。")
                % {"area": item.parent, "example": f"{item.parent}001"}
            )
        if item.existing is not None:
            current_parent = item.existing.get_parent().specific
            current_code = getattr(current_parent, "code", "")
            if current_code != item.parent:
                item.errors.append(
                    _("导入不能移动页面（现在的上级是%(old)s）；请在后台移动。")
                    % {"old": current_code or current_parent.title}
                )
            if not item.errors:
                _compare(item, item.existing)
    if addresses:
        known = {item.code for item in plan.items if item.kind == "grid"}
        known |= set(_by_code(GridPage, set(addresses) - known))
        for code in addresses:
            if code not in known:
                plan.errors.append(_("地址CSV中的网格%(code)s不存在。") % {"code": code})
    _check_slugs(plan)
    if plan.ok:
        _check_tiling(plan)
    return plan


def _check_slugs(plan):
    """A new page's address (its code in lower case) must be free among its siblings: the bulk
    write does not check it page by page as Wagtail's save would."""
    root = Site.objects.get(is_default_site=True).root_page
    by_parent = {}
    for item in plan.items:
        if item.existing is None and item.kind in KINDS and item.code and not item.errors:
            by_parent.setdefault(item.parent, []).append(item)
    for parent_code, items in by_parent.items():
        parent = AreaPage.objects.filter(code=parent_code).first() if parent_code else root
        taken = set()
        if parent is not None:
            taken = set(Page.objects.child_of(parent).values_list("slug", flat=True))
        for item in items:
            slug = item.code.lower()
            if slug in taken:
                item.errors.append(
                    _("网址%(slug)s已被同一上级下的另一个页面使用，请换一个编码。") % {"slug": slug}
                )
            taken.add(slug)


def _check_tiling(plan):
    """Every area touched by the import must be exactly tiled by its children afterwards."""
    by_code = {(item.kind, item.code): item for item in plan.items}
    touched = {item.parent for item in plan.items if item.parent}
    touched |= {item.code for item in plan.items if item.kind == "area"}
    for area_code in sorted(touched):
        area_item = by_code.get(("area", area_code))
        area_page = AreaPage.objects.filter(code=area_code).first()
        if area_item is not None:
            boundary = area_item.boundary
        elif area_page is not None:
            boundary = area_page.boundary
        else:
            continue
        children = {}
        if area_page is not None:
            for model in (AreaPage, GridPage):
                for child in model.objects.child_of(area_page).live():
                    children[(model is AreaPage and "area" or "grid", child.code)] = child.boundary
        for item in plan.items:
            if item.parent == area_code:
                children[(item.kind, item.code)] = item.boundary
        if not children:
            continue
        report = check_tiling(
            area_code,
            to_shape(boundary),
            [(code, to_shape(b)) for (_k, code), b in children.items()],
        )
        for problem in report.problems:
            named = [by_code.get((k, c)) for k in KINDS for c in problem.codes]
            targets = [item for item in named if item is not None] or [area_item]
            for target in targets:
                if target is None:
                    plan.errors.append(str(problem.message()))
                else:
                    target.errors.append(str(problem.message()))


def _apply_fields(page, item):
    for name, value in item.values.items():
        setattr(page, name, value)
    page.boundary = item.boundary
    if item.addresses is not None:
        page.addresses = [
            GridAddress(place=place, number_from=low, number_to=high)
            for place, low, high in item.addresses
        ]


BATCH_SIZE = 500


def _batches(items, size):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _new_page(item):
    """The unsaved page for a feature to create (written by portal.bulk_pages)."""
    model = AreaPage if item.kind == "area" else GridPage
    page = model(slug=item.code.lower(), code=item.code, boundary=item.boundary)
    for name, value in item.values.items():
        setattr(page, name, value)
    geometry = to_shape(item.boundary)
    page.area_m2 = round(area_m2(geometry), 1)
    page.min_lon, page.min_lat, page.max_lon, page.max_lat = geometry.bounds
    return page


def apply_plan(plan, batch_size=BATCH_SIZE):
    """Write the plan: create and change pages (published), `batch_size` pages per transaction.

    The whole plan is checked before anything is written (`make_plan`: a refused feature or an
    area that would not tile writes nothing). The batches are then committed one after another,
    parents before children, so a site never shows a grid without its area. Should writing fail
    part way (the database goes away, a disk fills up), the batches before stay committed and
    the error is raised: the same file imported again creates what is missing and leaves what
    was written unchanged. Returns the number of pages written.
    """
    if not plan.ok:
        raise ValueError("refusing to apply a plan with errors")
    root = Site.objects.get(is_default_site=True).root_page
    ordered = sorted(plan.items, key=lambda item: (item.kind != "area", _depth(item, plan)))
    ordered = [item for item in ordered if item.action != "unchanged"]
    parents = {}
    creator = BulkChildren(timezone.now())
    written = 0
    for batch in _batches(ordered, max(1, batch_size)):
        created = []
        with transaction.atomic(), skip_publish_check():
            pending = []
            for item in batch:
                if item.existing is not None:
                    _apply_fields(item.existing, item)
                    item.existing.save_revision().publish()
                    if item.kind == "area":
                        parents[item.code] = item.existing
                    continue
                if item.parent and any(p.code == item.parent for p, _parent in pending):
                    created += _flush(creator, pending, parents)
                    pending = []
                parent = parents.get(item.parent)
                if parent is None:
                    parent = AreaPage.objects.get(code=item.parent) if item.parent else root
                    parents[item.parent] = parent
                pending.append((item, parent))
            created += _flush(creator, pending, parents)
            GridAddress.objects.bulk_create(
                [
                    GridAddress(
                        grid_id=row.pk, place=place, number_from=low, number_to=high, sort_order=n
                    )
                    for item, row in created
                    if item.kind == "grid" and item.addresses
                    for n, (place, low, high) in enumerate(item.addresses)
                ],
                batch_size=1000,
            )
            if created:
                # The pages were written raw (no per-page signals): the tree changed once.
                versions.bump(versions.GRIDS)
                versions.bump(versions.PAGES)
        _index(created)
        written += len(batch)
    if written:
        analysis.invalidate_words()
    return written


def _flush(creator, pending, parents):
    """Create the pending pages; areas become parents for what follows. [(item, page row)]."""
    if not pending:
        return []
    rows = creator.add([(parent, _new_page(item)) for item, parent in pending])
    for (item, _parent), row in zip(pending, rows, strict=True):
        if item.kind == "area":
            parents[item.code] = row
    return [(item, row) for (item, _parent), row in zip(pending, rows, strict=True)]


def _index(created):
    """Add the pages just committed to the search index and Wagtail's reference index (the
    grids that name a level), in bulk."""
    for kind, model in (("area", AreaPage), ("grid", GridPage)):
        pks = [row.pk for item, row in created if item.kind == kind]
        if not pks:
            continue
        for page in index_pages(model, pks):
            if kind == "grid" and page.level_id:
                ReferenceIndex.create_or_update_for_object(page)


def _depth(item, plan):
    parents = {i.code: i.parent for i in plan.items if i.kind == "area"}
    depth, code, guard = 0, item.parent, 0
    while code in parents and guard < 100:
        depth, code, guard = depth + 1, parents[code], guard + 1
    return depth
