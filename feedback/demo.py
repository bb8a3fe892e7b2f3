"""Demo content of the feedback app (run by load_demo): the case-handling demo cases."""

from . import demo_cases


def load(ctx):
    demo_cases.load(ctx)
