"""The inbox in a real browser: a writer whose article came back sees the unread count in the
header, opens the inbox (zero axe violations, phone and desktop), follows a line to its article,
and marks the rest read."""
import json

import pytest
from playwright.sync_api import expect

from reviews.comments import NewComment
from reviews.workflow import article_request_changes
from tests.factories import as_reviewed, make_in_review, make_published, make_reviewer, make_writer

from . import test_accessibility
from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

axe_source = test_accessibility.axe_source  # the shared fixture: node_modules/axe-core, or a skip


@pytest.fixture
def writer_with_news():
    """Transactional: each transition commits, so its notifications run as they do for real."""
    writer = make_writer("wes", first_name="Wes", last_name="Tan")
    reviewer = make_reviewer(first_name="Ada", last_name="Quinn")
    make_published(writer, reviewer=reviewer, title="Zinc for colds")
    article = make_in_review(writer, title="Kava & anxiety")
    article_request_changes(**as_reviewed(article), by=reviewer, summary="One citation is missing.",
                            comments=[NewComment("side_effects", "Add liver risks.")])
    return writer, article


def test_a_writer_sees_the_unread_count_reads_the_inbox_and_follows_a_line(new_page, shots, axe_source,
                                                                         writer_with_news):
    writer, article = writer_with_news
    page = new_page()
    login(page, writer)

    inbox_link = page.get_by_role("link", name="Inbox, 2 unread")
    expect(inbox_link).to_be_visible()
    expect(page.locator(".site-header .unread-count")).to_have_text("2")
    shots.take(page, "desk with the unread count")

    inbox_link.click()
    page.wait_for_url("**/editorial/inbox/")
    expect(page.get_by_role("heading", level=1, name="Inbox")).to_be_visible()
    found = {}
    for viewport, size in test_accessibility.VIEWPORTS.items():
        page.set_viewport_size(size)
        shots.take(page, f"inbox {viewport}")
        violations = test_accessibility.axe_violations(page, axe_source)
        if violations:
            found[viewport] = violations
    assert not found, "axe violations:\n" + json.dumps(found, indent=2)

    page.get_by_role("link", name='Ada Quinn asked for changes to "Kava & anxiety"').click()
    page.wait_for_url(f"**/editorial/articles/{article.pk}/")
    expect(page.get_by_role("link", name="Inbox, 1 unread")).to_be_visible()
    shots.take(page, "the article the line led to")

    page.get_by_role("link", name="Inbox, 1 unread").click()
    page.get_by_role("button", name="Mark all read").click()
    page.wait_for_url("**/editorial/inbox/")
    expect(page.locator(".messages")).to_contain_text("Marked 1 message read.")
    expect(page.locator(".site-header").get_by_role("link", name="Inbox", exact=True)).to_be_visible()
    violations = test_accessibility.axe_violations(page, axe_source)
    shots.take(page, "everything read")
    assert not violations, "axe violations:\n" + json.dumps(violations, indent=2)
