"""Fixtures shared by every test: the site and home page from the migrations, users per role."""

import sys

import pytest
from django.core.cache import cache
from wagtail.models import Site

from portal import roles
from portal.factories import UserFactory

pytest_plugins = ["tests.fixtures.grids", "tests.fixtures.portal_setup"]

# Modules whose tests share a costly module-wide set-up (`loaded_demo`, the gunicorn server):
# under pytest-xdist each runs whole on one worker, so the set-up is made once.
ONE_WORKER_MODULES = {
    "tests/feedback/test_workers.py",
    "tests/fieldwork/test_demo_reviews.py",
    "tests/fieldwork/test_demo.py",
    "tests/grids/test_demo.py",
    "tests/home/test_load_demo.py",
    "tests/portal/test_production_smoke.py",
    "tests/portal/test_multi_server.py",
    "tests/portal/test_page_frame.py",
}


def pytest_xdist_make_scheduler(config, log):
    """`--dist loadgroup` keeps each module of ONE_WORKER_MODULES on one worker.

    pytest-xdist reads `xdist_group` marks from suffixes it adds to the test ids, which pytest 9.2
    no longer lets it change (pytest-dev/pytest-xdist#1386), so the groups are named here. Every
    other test is its own unit, handed out in collection order: each worker keeps pytest-django's
    order (transactional tests last, browser tests first among them).
    """
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadGroupScheduling

    class OneWorkerModules(LoadGroupScheduling):
        def _split_scope(self, nodeid):
            module = nodeid.split("::", 1)[0]
            return module if module in ONE_WORKER_MODULES else super()._split_scope(nodeid)

    return OneWorkerModules(config, log)


@pytest.fixture(autouse=True)
def _default_language():
    """A request's LocaleMiddleware leaves its language active in the test thread; start each
    test in the portal's default language so code rendered outside a request is not English."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate limits and cached fragments must not leak from one test into the next. With Redis
    only this run's keys (its own prefix) are deleted, not the whole database."""
    clear = getattr(cache, "delete_pattern", None)
    clear = (lambda: cache.delete_pattern("*")) if clear else cache.clear
    clear()
    yield
    clear()


@pytest.fixture
def free_port():
    """A localhost TCP port nothing listens on (bound, then released)."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def record_cache_writes(monkeypatch, aliases, methods=("set", "add", "set_many")):
    """A list that collects the keys written to the cache `aliases` from now on (any backend:
    local memory, the database or Redis)."""
    from django.core.cache import caches

    written = []
    for alias in aliases:
        backend = caches[alias]
        for name in methods:
            original = getattr(backend, name)

            def record(key, *args, _original=original, **kwargs):
                written.extend(key if isinstance(key, dict) else [key])
                return _original(key, *args, **kwargs)

            monkeypatch.setattr(backend, name, record)
    return written


@pytest.fixture
def cache_writes(monkeypatch):
    """The keys written to the default cache from now on."""
    return record_cache_writes(monkeypatch, ["default"])


@pytest.fixture
def every_cache_write(monkeypatch, settings):
    """The keys written to any configured cache alias from now on, counters included."""
    return record_cache_writes(
        monkeypatch, list(settings.CACHES), ("set", "add", "set_many", "incr")
    )


@pytest.fixture(autouse=True)
def _mail_through_the_outbox(settings):
    """Django's test set-up swaps in the locmem backend; put the durable outbox back in front.

    post_office queues each message and its own backend (locmem, in test settings) delivers
    it when `send_queued_mail` runs, as the worker does in production.
    """
    settings.EMAIL_BACKEND = "portal.mail.OutboxBackend"


@pytest.fixture
def send_outbox(db):
    """Deliver the queued e-mail as the worker's job does, without closing the connection.

    `manage.py send_queued_mail` closes the database connection after each batch, which would
    end the test's transaction on PostgreSQL; the batch function itself does the same sending,
    batch after batch (one e-mail each, POST_OFFICE BATCH_SIZE) until nothing due is left.
    """
    from post_office.mail import get_queued, send_queued

    def send():
        totals = [0, 0, 0]
        for _batch in range(1000):
            if not get_queued().exists():
                break
            totals = [a + b for a, b in zip(totals, send_queued(processes=1), strict=True)]
        return tuple(totals)

    return send


@pytest.fixture
def site(db):
    return Site.objects.get(is_default_site=True)


@pytest.fixture
def home_page(site):
    return site.root_page.specific


@pytest.fixture
def make_user(db):
    """Make a user in the given roles (group names from portal.roles)."""

    def make(username="someone", *role_names, **kwargs):
        return UserFactory(username=username, groups=list(role_names), **kwargs)

    return make


@pytest.fixture
def editor(make_user):
    return make_user("editor", roles.EDITORS)


@pytest.fixture
def grid_worker_user(make_user):
    return make_user("worker", roles.GRID_WORKERS)


@pytest.fixture
def administrator(make_user):
    return make_user("admin", roles.ADMINISTRATORS)


@pytest.fixture
def resident(make_user):
    return make_user("resident")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """Keep the serialized database contents reachable from every connection object.

    Django keeps them on the connection that created the test database; when ordinary tests run
    first, the browser tests later see a different connection object without them, and their
    serialized rollback would leave the database empty (no site, no home page, no roles).
    """
    from django.db import connections

    for alias in connections:
        contents = getattr(connections[alias], "_test_serialized_contents", None)
        if contents is not None:
            type(connections[alias])._test_serialized_contents = contents
    yield


# The embedded search backends (`PORTAL_SEARCH_BACKEND`); a test of what every backend must do
# takes `@search_backends` and runs once per backend (PostgreSQL only on a PostgreSQL database).
SEARCH_BACKENDS = {"whoosh": "portal.search.backend", "postgres": "portal.search.postgres"}
search_backends = pytest.mark.parametrize("search_index", sorted(SEARCH_BACKENDS), indirect=True)


@pytest.fixture
def search_index(request, settings, tmp_path, db):
    """A fresh search index holding what the migrations made: Whoosh's in a temporary directory,
    or (parametrised with "postgres", see `search_backends`) the database's index table.

    Whoosh's index writes wait for the database commit, as in production; in a test that runs
    inside a transaction, wrap the save in `django_capture_on_commit_callbacks(execute=True)`.
    """
    from django.db import connection
    from modelsearch.backends import get_search_backend

    from portal.search.backend.store import drop_searchers

    name = getattr(request, "param", "whoosh")
    if name == "postgres" and connection.vendor != "postgresql":
        pytest.skip("PostgreSQL search needs a PostgreSQL database (DATABASE_URL=postgres://…)")
    settings.WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": SEARCH_BACKENDS[name]}}
    settings.PORTAL_SEARCH_INDEX_DIR = str(tmp_path / "search_index")
    backend = get_search_backend()
    backend.rebuild()
    yield backend
    drop_searchers()


@pytest.fixture(scope="module")
def loaded_demo(django_db_setup, django_db_blocker):
    """The demo community (`manage.py load_demo`), loaded once for the whole test module; the
    command's output is returned.

    The load runs in a transaction left open while the module's tests run: each test's own
    transaction becomes a savepoint inside it and is rolled back as usual, and the whole demo is
    rolled back after the module's last test. Only for modules whose tests use the database
    without `transaction=True`.
    """
    import io

    from django.core.management import call_command
    from django.db import transaction

    out = io.StringIO()
    with django_db_blocker.unblock():
        demo = transaction.atomic()
        demo.__enter__()
        try:
            call_command("load_demo", stdout=out)
        except BaseException:
            demo.__exit__(*sys.exc_info())
            raise
    yield out.getvalue()
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        demo.__exit__(None, None, None)
