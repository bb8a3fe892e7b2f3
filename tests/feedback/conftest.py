"""Fixtures for the feedback tests: the community's service centre, the form page, categories.

The community, its grids and workers are the shared ones in tests/fixtures/grids.py.
"""

import io

import pytest
from PIL import Image

from feedback.factories import FeedbackFormPageFactory, ServiceCentreFactory
from feedback.models import FeedbackCategory, RoutingRule


@pytest.fixture
def centre(community):
    """The community's service centre (also the default centre)."""
    return ServiceCentreFactory(
        community=community,
        name="明华社区服务中心",
        inbox_email="centre@example.org",
        head_email="head@example.org",
        is_default=True,
    )


@pytest.fixture
def feedback_page(home_page):
    """The form page at /feedback/."""
    page = FeedbackFormPageFactory.build(slug="feedback", title="我要反映")
    home_page.add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.fixture
def routine():
    return FeedbackCategory.objects.get(name="环境卫生")


@pytest.fixture
def emergency():
    return FeedbackCategory.objects.get(name="安全隐患")


@pytest.fixture
def objection():
    return FeedbackCategory.objects.get(name="公示异议")


@pytest.fixture
def duty_leaders():
    """The rule that copies emergencies to the duty leaders."""
    return RoutingRule.objects.create(
        name="突发事件抄送值班领导",
        recipient="listed_addresses",
        emergency_only=True,
        emails="leader1@example.org, leader2@example.org",
        sort_order=25,
    )


def make_image(fmt="JPEG", size=(64, 48), exif=None, mode="RGB"):
    """Bytes of a small generated image."""
    out = io.BytesIO()
    image = Image.new(mode, size, (200, 30, 30) if mode == "RGB" else None)
    kwargs = {"exif": exif} if exif is not None else {}
    image.save(out, format=fmt, **kwargs)
    return out.getvalue()


@pytest.fixture
def form_data(grid, routine, centre, feedback_page):
    """A valid submission: routine category, the first grid, contact by e-mail."""

    def make(**overrides):
        data = {
            "category": str(routine.pk),
            "grid": f"g{grid.pk}",
            "place": "希望家园3号楼东侧",
            "subject": "楼下垃圾两天没清运",
            "message": "希望家园3号楼东侧的垃圾桶已经满了两天，气味很大，请尽快清运。",
            "contact_name": "王女士",
            "contact_phone": "13800001234",
            "contact_email": "resident@example.com",
            "website": "",
        }
        data.update(overrides)
        return data

    return make
