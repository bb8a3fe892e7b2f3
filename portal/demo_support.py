"""Helpers for the idempotent demo loader: each app's `demo.py` builds on these.

Every helper finds an existing object by a stable key before creating one, and only saves a
change when a value differs, so running `load_demo` again changes no data.
"""

import random
from dataclasses import dataclass, field

DEMO_SEED = 20261129
DEMO_PASSWORD = "Demo-Grid-2026"  # noqa: S105  (demo accounts cannot sign in under production)


@dataclass
class DemoContext:
    """What each app's demo loader receives: a seeded random source and an output stream."""

    stdout: object
    rng: random.Random = field(default_factory=lambda: random.Random(DEMO_SEED))  # noqa: S311
    accounts: list = field(default_factory=list)
    created: int = 0

    def note(self, message):
        self.stdout.write(message)


def ensure_child_page(ctx, parent, factory, slug, **fields):
    """The child page with this slug under `parent`, built by `factory` and published if missing."""
    existing = parent.get_children().filter(slug=slug).specific().first()
    if existing is not None:
        return existing
    page = factory.build(slug=slug, **fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    ctx.created += 1
    return page


def update_fields(obj, **values):
    """Set the given fields and save only if any of them differs (idempotent updates)."""
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, values[name])
    if changed:
        obj.save(update_fields=changed)
    return bool(changed)
