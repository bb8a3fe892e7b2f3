"""Fixtures for the notices tests: a notice index, the publicity index from the migration."""

import pytest

from notices.factories import NoticeIndexPageFactory
from notices.models import ApprovalIndexPage


@pytest.fixture
def notice_index(home_page):
    return NoticeIndexPageFactory(parent=home_page, slug="notices", title="通知公告")


@pytest.fixture
def publicity_index(home_page):
    """The publicity index the migration made, with the "公示审核" workflow assigned."""
    return ApprovalIndexPage.objects.get(slug="publicity")
