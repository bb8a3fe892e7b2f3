"""load_demo: idempotent, seeded, and refused under production settings."""

import io

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError

pytestmark = pytest.mark.django_db

SKIP_MODELS = {"sessions.session", "wagtailcore.modellogentry", "wagtailcore.pagelogentry"}


def snapshot():
    """Every row of every model (except logs), as comparable tuples."""
    state = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        if label in SKIP_MODELS or model._meta.proxy:
            continue
        fields = [f.attname for f in model._meta.concrete_fields]
        state[label] = sorted(
            (tuple(str(value) for value in row) for row in model.objects.values_list(*fields)),
        )
    return state


def test_load_demo_twice_leaves_the_same_data(loaded_demo):
    """A second run creates, changes and deletes nothing."""
    first = snapshot()
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert snapshot() == first
    assert "0 objects created" in out.getvalue()


def test_load_demo_makes_one_account_per_role(loaded_demo):
    """The demo has an account for each staff role, printed with the password."""
    from django.contrib.auth import get_user_model

    from portal import roles

    User = get_user_model()
    for role in roles.ALL_ROLES:
        assert User.objects.filter(username__startswith="demo-", groups__name=role).exists()
    assert "Demo-Grid-2026" in loaded_demo
    assert "demo-editor" in loaded_demo


def test_load_demo_fills_home_and_footer(client, loaded_demo):
    """After loading, the home page has its introduction and the footer its sponsor."""
    html = client.get("/").content.decode()
    assert "网格员" in html
    assert "明华街道办事处" in html


def test_load_demo_refuses_production_settings(settings):
    """Under production settings (no demo logins) the command refuses to run."""
    settings.PORTAL_DEMO_LOGIN = False
    with pytest.raises(CommandError, match="production"):
        call_command("load_demo", stdout=io.StringIO())
