"""The desk's lists in a real browser (issue 15): zero axe violations on the dashboard for an
editor (search, sortable headings, counts, bulk actions) and for a reviewer (assignment queues),
on a phone and a desktop; on a phone the rows stack and nothing scrolls sideways."""
import json

import pytest
from playwright.sync_api import expect

from reviews.assignments import assignment_assign
from tests.factories import make_draft, make_editor, make_in_review, make_published, make_reviewer, make_writer

from . import test_accessibility
from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

axe_source = test_accessibility.axe_source  # the shared fixture: node_modules/axe-core, or a skip


@pytest.fixture
def desk():
    writer = make_writer(first_name="Wes", last_name="Tan")
    reviewer = make_reviewer(first_name="Ada", last_name="Quinn")
    editor = make_editor(first_name="Eve", last_name="Stone")
    make_draft(writer, title="Kava and anxiety: what the trials found")
    make_published(writer, title="Zinc for colds")
    assignment_assign(article=make_in_review(writer, title="Melatonin for sleep in adults"), to=reviewer, by=editor)
    make_in_review(writer, title="Ashwagandha and stress")
    return {"reviewer": reviewer, "editor": editor}


def _check_dashboard(page, shots, axe_source, name: str) -> dict:
    found = {}
    for viewport, size in test_accessibility.VIEWPORTS.items():
        page.set_viewport_size(size)
        shots.take(page, f"{name} dashboard {viewport}")
        violations = test_accessibility.axe_violations(page, axe_source)
        if violations:
            found[f"{name} {viewport}"] = violations
        if viewport == "phone":
            # Stacked rows: the page is no wider than the phone.
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), name
    return found


def test_the_dashboard_has_no_axe_violations_for_an_editor_or_a_reviewer(new_page, shots, axe_source, desk):
    found = {}
    page = new_page()
    login(page, desk["editor"])
    page.get_by_label("Search").fill("Wes Tan")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_role("heading", name="All articles (4)")).to_be_visible()
    page.get_by_role("link", name="Article", exact=True).click()
    expect(page.locator("th[aria-sort=ascending]")).to_have_count(1)
    found.update(_check_dashboard(page, shots, axe_source, "editor"))

    reviewer_page = new_page()
    login(reviewer_page, desk["reviewer"])
    expect(reviewer_page.get_by_role("heading", name="Assigned to me (1)")).to_be_visible()
    found.update(_check_dashboard(reviewer_page, shots, axe_source, "reviewer"))
    assert not found, "axe violations:\n" + json.dumps(found, indent=2)


def test_an_editor_assigns_selected_rows_from_the_list(new_page, shots, desk):
    page = new_page()
    login(page, desk["editor"])
    page.get_by_label("Select Ashwagandha and stress").check()
    page.get_by_label("Reviewer").select_option(label=f"Ada Quinn ({desk['reviewer'].username})")
    page.get_by_role("button", name="Assign to…").click()
    expect(page.get_by_text("1 assigned to Ada Quinn.")).to_be_visible()
    page.set_viewport_size(test_accessibility.VIEWPORTS["phone"])
    shots.take(page, "after a bulk assignment, on a phone")
