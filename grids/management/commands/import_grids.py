"""import_grids FILE [--crs wgs84|cgcs2000|gcj02|bd09] [--addresses FILE.csv] [--commit]:
areas and grids from GeoJSON, a zipped shapefile or a GeoPackage.

A dry run by default: prints what would be created, changed or refused (with the tiling
problems per feature) and writes nothing. With --commit it writes, only if nothing is refused,
in transactions of --batch pages (default 500), parents first; a write that fails part way keeps
the batches before it, and running the same import again completes it. See docs/grids.md
("Import") for the formats and docs/scaling.md ("City scale").
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from grids.coords import SYSTEMS, WGS84
from grids.import_files import read_addresses, read_features
from grids.importer import BATCH_SIZE, apply_plan, make_plan

ACTIONS = {
    "create": "新建",
    "change": "修改",
    "unchanged": "不变",
    "refuse": "拒绝",
}


class Command(BaseCommand):
    help = (
        "Import areas and grids from a GeoJSON file, a zipped shapefile or a GeoPackage "
        "(dry run unless --commit)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "geojson",
            help="GeoJSON FeatureCollection of areas and grids, or .zip (shapefile) / .gpkg "
            "when the optional GDAL bindings (pyogrio) are installed",
        )
        parser.add_argument(
            "--crs",
            choices=sorted(SYSTEMS),
            default=WGS84,
            help="coordinate system of the file: wgs84 or cgcs2000 (stored as they are), "
            "gcj02 (Gaode, Tencent) or bd09 (Baidu), converted to WGS84 (default: wgs84)",
        )
        parser.add_argument("--addresses", help="CSV with columns grid_code,place,from,to")
        parser.add_argument(
            "--commit", action="store_true", help="write the changes (default: dry run)"
        )
        parser.add_argument(
            "--batch", type=int, default=BATCH_SIZE, help="pages per transaction (default 500)"
        )

    def handle(self, *args, **options):
        try:
            features = read_features(options["geojson"], crs=options["crs"])
            addresses, address_errors = (None, [])
            if options["addresses"]:
                addresses, address_errors = read_addresses(options["addresses"])
        except ValueError as error:
            raise CommandError(str(error)) from error

        plan = make_plan(features, addresses, address_errors)
        for item in plan.items:
            line = f"{ACTIONS[item.action]}  {item.label}"
            if item.action == "change":
                line += "：" + "、".join(item.changes)
            self.stdout.write(line)
            for error in item.errors:
                self.stdout.write(f"    - {error}")
        for error in plan.errors:
            self.stdout.write(f"{ACTIONS['refuse']}  {error}")
        counts = {action: plan.count(action) for action in ACTIONS}
        # What was refused: the features, and the problems tied to none (address rows …).
        counts["refuse"] += len(plan.errors)
        summary = _("合计：新建%(create)s，修改%(change)s，不变%(unchanged)s，拒绝%(refuse)s。")
        summary %= counts
        self.stdout.write(summary)

        if not plan.ok:
            raise CommandError(_("导入被拒绝：请修正上面列出的问题。没有写入任何数据。"))
        if not options["commit"]:
            self.stdout.write(_("试运行：没有写入任何数据。确认无误后加 --commit 再运行一次。"))
            return
        if options["batch"] < 1:
            raise CommandError(_("--batch必须是正整数。"))
        apply_plan(plan, batch_size=options["batch"])
        self.stdout.write(self.style.SUCCESS(_("已导入。")))
