"""Fixtures for the notices tests: a notice index, the publicity index and its two reviewers."""

import pytest

from notices.factories import NoticeIndexPageFactory
from notices.models import ApprovalIndexPage
from portal import roles


@pytest.fixture
def notice_index(home_page):
    return NoticeIndexPageFactory(parent=home_page, slug="notices", title="通知公告")


@pytest.fixture
def publicity_index(home_page):
    """The publicity index `setup_portal` made, with the "公示审核" workflow assigned."""
    return ApprovalIndexPage.objects.get(slug="publicity")


@pytest.fixture
def centre(make_user):
    """Service-centre staff: the workflow's first review step."""
    return make_user("centre", roles.SERVICE_CENTRE_STAFF)


@pytest.fixture
def reviewer(make_user):
    """A subdistrict publicity reviewer: the workflow's last step."""
    return make_user("reviewer", roles.PUBLICITY_REVIEWERS)
