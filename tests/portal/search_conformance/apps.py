"""modelsearch's own models under their own label, for its conformance tests only.

modelsearch's test module imports `modelsearch.models` and its test app's migrations depend on
the `modelsearch` app, but the portal installs modelsearch as `wagtail.search` (Wagtail's
subclass of `ModelSearchAppConfig`), and a second `ModelSearchAppConfig` is refused. A plain
AppConfig gives the module its models and migrations without making it a second search app.
"""

from django.apps import AppConfig


class ModelsearchModelsConfig(AppConfig):
    name = "modelsearch"
    label = "modelsearch"
    verbose_name = "modelsearch (conformance tests)"
    default_auto_field = "django.db.models.AutoField"
