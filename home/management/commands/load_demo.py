"""Load the demo community: idempotent and seeded; refuses to run under production settings.

Each app contributes its own `demo.py` with a `load(ctx)` function; they run in the order of
INSTALLED_APPS, which is also the order of their dependencies (home, grids, notices, feedback).
An app whose demo is in several modules lists them, in order, as `demo_modules` on its
AppConfig (default: `["demo"]`); a listed module that does not exist is skipped.
"""

import importlib
import importlib.util

import factory.random
from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from portal.demo_support import DEMO_SEED, DemoContext


def demo_modules():
    for app_config in apps.get_app_configs():
        for module in getattr(app_config, "demo_modules", ["demo"]):
            name = f"{app_config.name}.{module}"
            if importlib.util.find_spec(name) is not None:
                yield importlib.import_module(name)


class Command(BaseCommand):
    help = "Load the demo community (pages, grids, workers, notices, cases, demo accounts)."

    def handle(self, *args, **options):
        if not settings.PORTAL_DEMO_LOGIN:
            raise CommandError(
                "load_demo refuses to run under production settings: demo accounts and "
                "demo content must never reach a real site."
            )
        factory.random.reseed_random(DEMO_SEED)
        ctx = DemoContext(stdout=self.stdout)
        with transaction.atomic():
            for module in demo_modules():
                module.load(ctx)
        self.stdout.write(
            self.style.SUCCESS(f"Demo community ready ({ctx.created} objects created).")
        )
        self.stdout.write(f"Demo accounts (password for all: {ctx.accounts[0][1]}):")
        for username, _password, description in ctx.accounts:
            self.stdout.write(f"  {username:<16} {description}")
