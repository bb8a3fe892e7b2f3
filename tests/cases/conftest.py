"""Fixtures for case handling: two communities with grids, workers with accounts, centres."""

import pytest

from feedback.factories import FeedbackCategoryFactory, FeedbackFactory, ServiceCentreFactory
from feedback.models import CentreMembership
from grids.factories import GridWorkerFactory, build_area_tree
from portal import roles


class World:
    """The cast of a case-handling test, as attributes."""


@pytest.fixture
def case_world(home_page, make_user):
    """Community A (grids A1, A2) and community B (grid B1) under one subdistrict; a worker
    with an account for A1 and for B1; a service centre with a head for each community."""
    w = World()
    w.worker_a1_user = make_user("worker-a1", roles.GRID_WORKERS, email="a1@example.org")
    w.worker_a2_user = make_user("worker-a2", roles.GRID_WORKERS, email="a2@example.org")
    w.worker_b1_user = make_user("worker-b1", roles.GRID_WORKERS, email="b1@example.org")
    w.backup_user = make_user("backup-a1", roles.GRID_WORKERS, email="bk@example.org")
    w.worker_a1 = GridWorkerFactory(name="张敏", user=w.worker_a1_user)
    w.worker_a2 = GridWorkerFactory(name="王芳", user=w.worker_a2_user)
    w.worker_b1 = GridWorkerFactory(name="李强", user=w.worker_b1_user)
    w.backup = GridWorkerFactory(name="赵伟", user=w.backup_user)
    tree = build_area_tree(
        home_page,
        {
            "subdistrict": {
                "title": "明华街道",
                "slug": "sd",
                "code": "S1",
                "level": "subdistrict",
                "extent": (0, 0, 0.02, 0.01),
                "children": {
                    "community_a": {
                        "title": "甲社区",
                        "slug": "ca",
                        "code": "S1A",
                        "level": "community",
                        "extent": (0, 0, 0.01, 0.01),
                        "children": {
                            "grid_a1": {
                                "title": "甲一网格",
                                "slug": "a1",
                                "code": "S1A01",
                                "level": "grid",
                                "extent": (0, 0, 0.005, 0.01),
                                "primary_worker": w.worker_a1,
                                "backup_worker": w.backup,
                            },
                            "grid_a2": {
                                "title": "甲二网格",
                                "slug": "a2",
                                "code": "S1A02",
                                "level": "grid",
                                "extent": (0.005, 0, 0.01, 0.01),
                                "primary_worker": w.worker_a2,
                            },
                        },
                    },
                    "community_b": {
                        "title": "乙社区",
                        "slug": "cb",
                        "code": "S1B",
                        "level": "community",
                        "extent": (0.01, 0, 0.02, 0.01),
                        "children": {
                            "grid_b1": {
                                "title": "乙一网格",
                                "slug": "b1",
                                "code": "S1B01",
                                "level": "grid",
                                "extent": (0.01, 0, 0.02, 0.01),
                                "primary_worker": w.worker_b1,
                            },
                        },
                    },
                },
            }
        },
    )
    for key, page in tree.items():
        setattr(w, key, page)
    w.centre_a = ServiceCentreFactory(
        name="甲社区服务中心",
        community=w.community_a,
        inbox_email="centre-a@example.org",
        head_email="head-a@example.org",
    )
    w.centre_b = ServiceCentreFactory(
        name="乙社区服务中心",
        community=w.community_b,
        inbox_email="centre-b@example.org",
        head_email="head-b@example.org",
    )
    w.centre_a_user = make_user("centre-a", roles.SERVICE_CENTRE_STAFF, email="ca@example.org")
    w.head_a_user = make_user("head-a", roles.SERVICE_CENTRE_STAFF, email="ha@example.org")
    w.centre_b_user = make_user("centre-b", roles.SERVICE_CENTRE_STAFF, email="cb@example.org")
    CentreMembership.objects.create(centre=w.centre_a, user=w.centre_a_user)
    CentreMembership.objects.create(centre=w.centre_a, user=w.head_a_user, is_head=True)
    CentreMembership.objects.create(centre=w.centre_b, user=w.centre_b_user, is_head=True)
    w.admin = make_user("admin-user", roles.ADMINISTRATORS, email="admin@example.org")
    w.resident = make_user("resident-1", email="resident@example.org")
    w.category = FeedbackCategoryFactory(name="测试设施报修", deadline_amount=5)

    def case(grid=None, **fields):
        grid = grid or w.grid_a1
        fields.setdefault("category", w.category)
        fields.setdefault("contact_name", "陈居民")
        fields.setdefault("contact_phone", "13912345678")
        fields.setdefault("contact_email", "chen@example.org")
        return FeedbackFactory(grid=grid, community=grid.community(), **fields)

    w.case = case
    return w
