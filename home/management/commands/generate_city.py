"""generate_city [--grids 10000] [--addresses 500000] [--notices 50000] [--batch 500]
[--index-notices]: a
synthetic city for benchmarks (grids.citygen), written through the importer like a real file.

Grids come in communities of up to 100, ten communities to a subdistrict, all in one district
(示范区) under the site's root; addresses are house-number ranges spread over the grids; notices
go to the site's notice list, each aimed at one grid. For a benchmark database, never a live
site: everything it writes is made up. `--grids 0` adds only notices (to a city made before).
"""

import time

from django.core.management.base import BaseCommand, CommandError

from grids.citygen import CityShape, addresses, features, grid_codes
from grids.importer import apply_plan, make_plan
from notices.citygen import generate_notices


def city_shape(grids):
    """Communities of up to 100 grids, up to ten communities per subdistrict."""
    per_community = min(100, grids)
    communities = max(1, grids // per_community)
    per_subdistrict = min(10, communities)
    return CityShape(
        subdistricts=max(1, communities // per_subdistrict),
        communities=per_subdistrict,
        grids=per_community,
    )


class Command(BaseCommand):
    help = "Generate a synthetic city (areas, grids, addresses, notices) for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--grids", type=int, default=10_000)
        parser.add_argument("--addresses", type=int, default=500_000)
        parser.add_argument("--notices", type=int, default=50_000)
        parser.add_argument("--batch", type=int, default=500, help="pages per transaction")
        parser.add_argument(
            "--index-notices",
            action="store_true",
            help="add the notices to the search index too (slow; or run update_index later)",
        )

    def handle(self, *args, **options):
        counts = (options["addresses"], options["notices"])
        if options["batch"] < 1 or min(options["grids"], *counts) < 0:
            raise CommandError("--batch must be at least 1, the counts at least 0.")
        imported = time.monotonic()
        if options["grids"]:
            self._grids(options)
            imported = time.monotonic()
        if options["notices"]:
            count = generate_notices(
                options["notices"], batch_size=options["batch"], index=options["index_notices"]
            )
            self.stdout.write(f"{count} notices in {time.monotonic() - imported:.1f} s")

    def _grids(self, options):
        shape = city_shape(options["grids"])
        per_grid = options["addresses"] // shape.total_grids
        started = time.monotonic()
        rows = addresses(grid_codes(shape), per_grid) if per_grid else None
        plan = make_plan(features(shape), rows)
        if not plan.ok:
            problems = [e for item in plan.items for e in item.errors] + plan.errors
            raise CommandError("\n".join(str(p) for p in problems[:20]))
        planned = time.monotonic()
        apply_plan(plan, batch_size=options["batch"])
        self.stdout.write(
            f"{shape.total_grids} grids in {shape.subdistricts}×{shape.communities} communities, "
            f"{per_grid * shape.total_grids} address rows: planned in {planned - started:.1f} s, "
            f"written in {time.monotonic() - planned:.1f} s"
        )
