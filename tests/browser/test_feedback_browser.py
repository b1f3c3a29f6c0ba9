"""Reader feedback in Chromium: a reader with JavaScript turned off reports a problem from the
article page; an editor finds it in the queue and starts a re-review. Both pages pass axe-core."""
import json

import pytest
from playwright.sync_api import expect

from articles.models import Article
from reviews.feedback import feedback_receive
from reviews.models import ReaderFeedback
from tests.factories import make_editor, make_published

from .conftest import ROOT, TIMEOUT_MS, _in_ci, login
from .test_accessibility import AXE, axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

MESSAGE = "The interactions section does not mention grapefruit juice, which raises statin levels."


@pytest.fixture
def axe_source():
    """axe-core, skipped or failed without it as in test_accessibility.py."""
    if AXE.exists():
        return AXE
    reason = f"accessibility tests need axe-core at {AXE.relative_to(ROOT)} (run: npm ci)"
    if _in_ci():
        pytest.fail(f"CI=true and {reason}; .ci/run installs it before the tests.", pytrace=False)
    pytest.skip(reason)


@pytest.fixture
def reader_page(browser, live_server):
    """A page in a context with JavaScript turned off: the form must work as plain HTML."""
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False,
                                  viewport={"width": 390, "height": 844})
    context.set_default_timeout(TIMEOUT_MS)
    yield context.new_page()
    context.close()


def test_a_reader_without_javascript_reports_a_problem_and_an_editor_sees_it(reader_page, new_page, shots,
                                                                             live_server):
    article = make_published(title="Statins and grapefruit")
    editor = make_editor(first_name="Eda", last_name="Ekwueme")

    reader_page.goto(article.get_absolute_url())
    form = reader_page.locator("#feedback form")
    form.get_by_label("What is wrong with this page?").fill(MESSAGE)
    form.get_by_label("Your email address (optional)").fill("reader@example.org")
    shots.take(reader_page, "reader fills the form")
    with reader_page.expect_navigation():
        form.get_by_role("button", name="Send report").click()
    expect(reader_page.locator("h1")).to_have_text("Thank you for your report")
    shots.take(reader_page, "thank you")
    assert ReaderFeedback.objects.get().message == MESSAGE

    page = new_page()
    login(page, editor)
    expect(page.get_by_role("link", name="Reader feedback: 1 new")).to_be_visible()
    page.get_by_role("link", name="Reader feedback: 1 new").click()
    item = page.locator(".feedback-item")
    expect(item.locator(".feedback-message")).to_have_text(MESSAGE)
    expect(item.get_by_role("link", name="reader@example.org")).to_be_visible()
    shots.take(page, "editor sees the report")

    item.get_by_label("Editor's note").fill("Please check the interactions section.")
    with page.expect_navigation():
        item.get_by_role("button", name="Start a re-review").click()
    expect(page.locator(".messages")).to_contain_text("Re-review started")
    shots.take(page, "re-review started")
    assert Article.objects.get(pk=article.pk).status == Article.Status.IN_REVIEW


def test_axe_finds_no_violations_on_the_feedback_queue_and_the_article_form(new_page, shots, axe_source):
    article = make_published(title="Statins and grapefruit")
    feedback_receive(live=Article.objects.get(pk=article.pk).live_publication, message=MESSAGE,
                     email="reader@example.org")
    found = {}

    reader = new_page()
    reader.goto(article.get_absolute_url())
    shots.take(reader, "article with the form")
    found["article"] = axe_violations(reader, axe_source)
    reader.goto(f"{article.get_absolute_url()}feedback/")
    reader.get_by_role("button", name="Send report").click()  # empty: the form comes back with its error
    reader.wait_for_load_state()
    expect(reader.locator(".error-summary")).to_be_visible()
    shots.take(reader, "form with an error")
    found["form with an error"] = axe_violations(reader, axe_source)

    editor_page = new_page()
    login(editor_page, make_editor())
    editor_page.goto("/editorial/feedback/")
    shots.take(editor_page, "feedback queue")
    found["queue"] = axe_violations(editor_page, axe_source)

    found = {name: violations for name, violations in found.items() if violations}
    assert not found, "axe violations:\n" + json.dumps(found, indent=2)
