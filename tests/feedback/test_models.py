"""Cases: ticket numbers, tracking codes and deadlines."""

import datetime as dt
import os
import threading

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone

from feedback.factories import FeedbackCategoryFactory, FeedbackFactory
from feedback.models import (
    TRACKING_ALPHABET,
    Feedback,
    FeedbackCategory,
    TicketCounter,
    new_tracking_code,
    normalise_tracking_code,
)
from portal.models import CalendarDay

pytestmark = pytest.mark.django_db

LOCAL = timezone.get_fixed_timezone(8 * 60)


def test_ticket_numbers_are_sequential_per_year():
    """Cases get 2026-000001, 2026-000002 …, and a new year starts at 000001 again."""
    moment = dt.datetime(2026, 3, 2, 10, 0, tzinfo=LOCAL)
    with transaction.atomic():
        first = FeedbackFactory(created_at=moment)
        second = FeedbackFactory(created_at=moment)
        next_year = FeedbackFactory(created_at=moment.replace(year=2027))
    assert [first.ticket_number, second.ticket_number] == ["2026-000001", "2026-000002"]
    assert next_year.ticket_number == "2027-000001"


@pytest.mark.django_db(transaction=True)
def test_ticket_number_needs_the_saving_transaction():
    """Asking for a number outside a transaction is refused (it would not be locked)."""
    with pytest.raises(RuntimeError):
        TicketCounter.next_number(2026)


def test_tracking_codes_are_long_and_avoid_look_alikes():
    """A tracking code has at least 10 characters and none of 0 O 1 I L."""
    codes = {new_tracking_code() for _i in range(200)}
    assert len(codes) == 200
    for code in codes:
        assert len(code) >= 10
        assert set(code) <= set(TRACKING_ALPHABET)
        assert not set(code) & set("0O1IL")


def test_typed_tracking_code_is_normalised():
    """Lower case, spaces and dashes in a typed code are ignored."""
    assert normalise_tracking_code(" 7kq4-ab9c ") == "7KQ4AB9C"


def test_deadline_in_working_days_skips_a_holiday():
    """Five working days from a Friday before a Monday holiday end on the Monday after, 17:00."""
    CalendarDay.objects.update_or_create(
        date=dt.date(2026, 3, 9), defaults={"kind": CalendarDay.HOLIDAY, "name": "测试假日"}
    )
    category = FeedbackCategoryFactory(deadline_amount=5)
    case = FeedbackFactory(category=category, created_at=dt.datetime(2026, 3, 6, 10, tzinfo=LOCAL))
    assert timezone.localtime(case.deadline).replace(tzinfo=None) == dt.datetime(2026, 3, 16, 17, 0)


def test_deadline_in_working_hours():
    """Four working hours from Friday 15:00 end on Monday 11:00."""
    category = FeedbackCategoryFactory(deadline_amount=4, deadline_unit="working_hours")
    case = FeedbackFactory(category=category, created_at=dt.datetime(2026, 3, 6, 15, tzinfo=LOCAL))
    assert timezone.localtime(case.deadline).replace(tzinfo=None) == dt.datetime(2026, 3, 9, 11, 0)


def test_default_categories_cover_every_work_type_in_use():
    """The migrations give a fresh site routine, emergency and objection categories."""
    work_types = set(FeedbackCategory.objects.values_list("work_type", flat=True))
    assert {"routine", "emergency", "objection"} <= work_types


def _is_postgresql():
    return connection.vendor == "postgresql"


def test_many_cases_in_a_row_never_repeat_a_number():
    """Serial equivalent of the concurrency test: 50 cases, 50 distinct consecutive numbers."""
    category = FeedbackCategoryFactory()
    moment = dt.datetime(2026, 5, 6, 10, tzinfo=LOCAL)
    for _i in range(50):
        with transaction.atomic():
            FeedbackFactory(category=category, created_at=moment)
    numbers = sorted(Feedback.objects.values_list("ticket_number", flat=True))
    assert numbers == [f"2026-{n:06d}" for n in range(1, 51)]


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="threads need a server database; the serial test above covers SQLite",
)
def test_concurrent_cases_never_repeat_or_fail():
    """16 threads saving 10 cases each on PostgreSQL: 160 distinct numbers, no failure."""
    category = FeedbackCategoryFactory()
    moment = dt.datetime(2026, 5, 6, 10, tzinfo=LOCAL)
    errors = []
    barrier = threading.Barrier(16)

    def work():
        try:
            barrier.wait()
            for _i in range(10):
                with transaction.atomic():
                    Feedback.objects.create(
                        category=category, subject="并发", message="并发测试", created_at=moment
                    )
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _i in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    numbers = list(Feedback.objects.values_list("ticket_number", flat=True))
    assert len(numbers) == 160
    assert sorted(numbers) == [f"2026-{n:06d}" for n in range(1, 161)]
    assert _is_postgresql()
