"""The desk calendar in Chromium: the month grid and the list pass axe-core with zero violations on a
desktop and on a phone, where the grid becomes a list of the days that have events."""
import datetime
import json

import pytest
import time_machine

from reviews.calendar_feed import feed_token_issue
from tests.desk.test_calendar import published_on, scheduled_for
from tests.factories import make_editor, make_reviewer, make_writer

from . import test_accessibility as accessibility
from .conftest import login

VIEWPORTS, axe_violations = accessibility.VIEWPORTS, accessibility.axe_violations
axe_source = accessibility.axe_source  # the fixture: axe-core's script, or a skip with the reason

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# The server's clock for these tests. Later than the real one, never earlier: the browser keeps to
# its own clock, and would drop a session cookie that expired by it.
NOW = datetime.datetime(2030, 3, 15, 10, 0, tzinfo=datetime.timezone.utc)
MONTH = "/editorial/calendar/?month=2030-03"
LIST = "/editorial/calendar/?view=list&month=2030-03"


@pytest.fixture
def busy_march():
    """March 2030 with a scheduled go-live, a review overdue since the 5th, and six reviews due on
    the 25th (more than a day's cell shows)."""
    with time_machine.travel(NOW, tick=True):
        writer, reviewer = make_writer(), make_reviewer(first_name="Amara", last_name="Okafor", credentials="PharmD")
        scheduled_for(datetime.datetime(2030, 3, 20, 9, 30, tzinfo=datetime.timezone.utc), writer, reviewer,
                      title="Melatonin for jet lag")
        published_on(datetime.date(2029, 3, 5), writer, reviewer, title="Kava and the liver")
        for n in range(6):
            published_on(datetime.date(2029, 3, 25), writer, reviewer, title=f"Valerian, part {n + 1}")
        editor = make_editor("eda")
        feed_token_issue(user=editor)  # so the page shows the address and its instructions
        yield editor


def test_the_month_and_list_views_have_no_axe_violations_on_a_desktop_or_a_phone(new_page, shots, axe_source,
                                                                                 busy_march):
    with time_machine.travel(NOW, tick=True):
        page = new_page()
        login(page, busy_march)
        found = {}
        for viewport, size in VIEWPORTS.items():
            page.set_viewport_size(size)
            for view, path in (("month", MONTH), ("list", LIST)):
                assert page.goto(path).status == 200
                shots.take(page, f"{viewport} {view}")
                violations = axe_violations(page, axe_source)
                if violations:
                    found[f"{viewport} {view}"] = violations

    assert not found, "axe violations:\n" + json.dumps(found, indent=2)


def test_on_a_phone_the_month_is_a_list_of_the_days_with_events(new_page, shots, busy_march):
    with time_machine.travel(NOW, tick=True):
        page = new_page()
        login(page, busy_march)
        page.set_viewport_size(VIEWPORTS["phone"])
        page.goto(MONTH)
        shots.take(page, "phone month")

        assert not page.locator(".calendar-month thead").is_visible()
        visible_days = [text.strip() for text in page.locator(".calendar-month td:visible .day-full").all_inner_texts()]
        # Today (the 15th) stays, to say where the week is, though nothing happens on it.
        assert visible_days == ["Tuesday 5 March", "Friday 15 March", "Wednesday 20 March", "Monday 25 March"]
        assert page.locator(".calendar-month").evaluate("table => table.scrollWidth <= window.innerWidth")


def test_and_n_more_opens_that_days_list(new_page, shots, busy_march):
    with time_machine.travel(NOW, tick=True):
        page = new_page()
        login(page, busy_march)
        page.goto(MONTH)
        page.get_by_role("link", name="and 2 more on 25 March").click()
        page.wait_for_url("**/editorial/calendar/?view=list&day=2030-03-25")
        shots.take(page, "the day's list")

        assert page.locator(".calendar-list-day .event").count() == 6
        assert page.get_by_role("heading", level=2, name="Monday 25 March 2030").is_visible()
