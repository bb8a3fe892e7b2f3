"""Fixtures shared by every test: the site and home page from the migrations, users per role."""

import pytest
from django.core.cache import cache
from wagtail.models import Site

from portal import roles
from portal.factories import UserFactory


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate limits and cached fragments must not leak from one test into the next."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _mail_through_the_outbox(settings):
    """Django's test set-up swaps in the locmem backend; put the durable outbox back in front.

    post_office queues each message and its own backend (locmem, in test settings) delivers
    it when `send_queued_mail` runs, as the worker does in production.
    """
    settings.EMAIL_BACKEND = "post_office.EmailBackend"


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


@pytest.fixture
def search_index(settings, tmp_path, db):
    """A fresh search index in a temporary directory, holding what the migrations made.

    Index writes wait for the database commit, as in production; in a test that runs inside a
    transaction, wrap the save in `django_capture_on_commit_callbacks(execute=True)`.
    """
    from modelsearch.backends import get_search_backend

    from portal.search.backend.store import drop_searchers

    settings.PORTAL_SEARCH_INDEX_DIR = str(tmp_path / "search_index")
    backend = get_search_backend()
    backend.rebuild()
    yield backend
    drop_searchers()
