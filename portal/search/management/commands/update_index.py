"""`manage.py update_index`: rebuild the search index, with a progress bar.

For the Whoosh backend the rebuild is done in place and chunk by chunk: searches keep working
and saves made meanwhile are kept. A missing or corrupt index is replaced by a fresh one first.
The PostgreSQL backend (`portal.search.postgres`) rebuilds its table the same way, chunk by
chunk. Other backends (OpenSearch/Elasticsearch) are rebuilt by Wagtail's own command.
"""

import time

from django.utils.translation import gettext as _
from modelsearch.backends import get_search_backend
from wagtail.search.management.commands.update_index import Command as WagtailUpdateIndex

from portal.search.backend import WhooshSearchBackend
from portal.search.postgres import PortalPostgresSearchBackend

BAR_WIDTH = 30


class Command(WagtailUpdateIndex):
    help = "Rebuild the search index (Whoosh + jieba by default) with a progress bar."

    def update_backend(self, backend_name, schema_only=False, chunk_size=500):
        backend = get_search_backend(backend_name)
        if isinstance(backend, PortalPostgresSearchBackend):
            self.write(_("正在重建搜索索引：数据库中的全文索引"))
            if schema_only:
                return
        elif isinstance(backend, WhooshSearchBackend):
            store = backend.get_store()
            self.write(_("正在重建搜索索引：%(path)s") % {"path": store.path})
            if schema_only:
                store.recreate()
                self.write(_("已建立空索引。"))
                return
        else:
            return super().update_backend(backend_name, schema_only, chunk_size)
        started = time.monotonic()
        self._last_draw = 0.0
        total = backend.rebuild(chunk_size=chunk_size, progress=self.draw_progress)
        self.write("")
        seconds = time.monotonic() - started
        self.write(
            _("已索引 %(count)d 个对象，用时 %(seconds).1f 秒。")
            % {"count": total, "seconds": seconds}
        )

    def draw_progress(self, done, total, model):
        """One line, redrawn in place on a terminal; every 10 % otherwise."""
        if self.verbosity == 0:
            return
        interactive = hasattr(self.stdout, "isatty") and self.stdout.isatty()
        now = time.monotonic()
        if interactive and done < total and now - self._last_draw < 0.1:
            return
        share = done / total if total else 1.0
        if not interactive and done < total and int(share * 10) == int(self._last_share * 10):
            return
        self._last_draw = now
        self._last_share = share
        filled = int(BAR_WIDTH * share)
        name = f" {model._meta.verbose_name}" if model is not None else ""
        line = f"[{'#' * filled}{'-' * (BAR_WIDTH - filled)}] {share:4.0%} {done}/{total}{name}"
        if interactive:
            self.stdout.write("\r" + line.ljust(79), ending="")
            self.stdout.flush()
        else:
            self.stdout.write(line)

    _last_share = -1.0

    def handle(self, **options):
        options.setdefault("chunk_size", 500)
        super().handle(**options)
