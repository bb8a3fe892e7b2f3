"""Create or update what the portal needs besides its tables: roles, workflows, index pages."""

from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import module_has_submodule


def setup_functions():
    """Each installed app's `setup.run`, in the order of INSTALLED_APPS (the portal first)."""
    functions = []
    for config in apps.get_app_configs():
        if module_has_submodule(config.module, "setup"):
            run = getattr(import_module(f"{config.name}.setup"), "run", None)
            if callable(run):
                functions.append(run)
    return functions


class Command(BaseCommand):
    help = (
        "Create or update the staff roles and their permissions, the publicity workflow and "
        "index page, and the working calendar. Run after every `migrate`; running it again "
        "changes nothing."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            for run in setup_functions():
                run(stdout=self.stdout)
        if options["verbosity"]:
            self.stdout.write("The portal is set up.")
