"""A review that can be trusted, in a real browser: the writer adds an image and a link, the
reviewer sees both in the rendered diff, anchors a comment to a sentence, the writer answers it in
the editor and resubmits, the reviewer sees only what changed since their round and approves.
And a stale review page: the writer resubmits new text while it is open, and approving from it is
refused."""
import re

import pytest
from playwright.sync_api import expect

from articles.models import Article, Publication
from reviews.models import ReviewComment
from tests.factories import make_published, make_reviewer, make_writer

from .conftest import PASSWORD, login, set_editor_html, wait_for_editors

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# A PNG drawn in the page and sent through TinyMCE's own upload, as a paste or a drop would be.
ADD_IMAGE_AND_LINK_JS = """async () => {
    const canvas = document.createElement('canvas');
    canvas.width = 640; canvas.height = 360;
    const context = canvas.getContext('2d');
    context.fillStyle = '#2a7a2a'; context.fillRect(0, 0, 640, 360);
    const editor = tinymce.get('id_body');
    editor.setContent(editor.getContent() +
        '<p>The national guideline on <a href="https://www.example.org/guidelines/sleep">sleep ' +
        'medicines</a> advises a short course only.</p>' +
        '<figure class="image"><img src="' + canvas.toDataURL('image/png') +
        '" alt="A green bar chart of sleep onset times"><figcaption>Minutes to fall asleep</figcaption></figure>');
    await editor.uploadImages();
    editor.fire('change');
    return editor.getContent();
}"""
SENTENCE = "advises a short course only"
COMMENT = "Say how long a short course is, in weeks."
ANSWER = "Now says: no longer than four weeks."
FIX = "advises a course of no longer than four weeks"


def select_in_diff(page, section: str, text: str) -> None:
    """Select `text` inside one section of the review diff, as a mouse drag would."""
    found = page.evaluate(
        """([section, text]) => {
            const root = document.querySelector('[data-annotatable] [data-section="' + section + '"]');
            const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
            let node;
            while ((node = walker.nextNode())) {
                if (node.parentElement.closest('del, [hidden]') || node.parentElement.offsetParent === null) continue;
                const at = node.nodeValue.indexOf(text);
                if (at < 0) continue;
                const range = document.createRange();
                range.setStart(node, at);
                range.setEnd(node, at + text.length);
                const selection = window.getSelection();
                selection.removeAllRanges();
                selection.addRange(range);
                node.parentElement.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
                return true;
            }
            return false;
        }""",
        [section, text],
    )
    assert found, f"{text!r} is not visible in the {section} diff"


def open_review(page, title: str) -> None:
    page.goto("/editorial/")
    awaiting = page.locator("section.desk-list", has=page.get_by_role("heading", name=re.compile("Awaiting review")))
    awaiting.get_by_role("link", name=title).click()
    page.get_by_role("link", name="Review this article").click()
    page.wait_for_url(re.compile(r"/review/"))


def approve(page) -> None:
    for checkbox in page.locator(".field.checkbox.mandatory input[type=checkbox]").all():
        checkbox.check()
    page.locator("#field-rating").get_by_label("4").check()
    page.locator("#field-sign_meaning input").check()
    page.get_by_label("Your password, to sign").fill(PASSWORD)
    page.get_by_role("button", name="Approve and publish").click()


def test_image_link_anchored_comment_answer_and_approval_since_the_round(new_page, shots):
    writer = make_writer("wendy", first_name="Wendy", last_name="Adeyemi")
    reviewer = make_reviewer("rita", credentials="MD")
    article = make_published(writer, title="Zolpidem for sleep", type_key="treatment")

    # The writer adds a link and an image to the published article and submits it for re-review.
    writer_page = new_page()
    login(writer_page, writer)
    writer_page.goto(f"/editorial/articles/{article.pk}/edit/")
    wait_for_editors(writer_page)
    writer_page.evaluate(ADD_IMAGE_AND_LINK_JS)
    writer_page.get_by_label("What changed (for the history)").fill("Guideline link and a chart")
    writer_page.get_by_role("button", name="Save draft").click()
    writer_page.wait_for_url(f"**/editorial/articles/{article.pk}/")
    with writer_page.expect_navigation():
        writer_page.get_by_role("button", name="Submit for medical review").click()
    expect(writer_page.locator(".meta .status")).to_have_text("In medical review")

    # The reviewer sees the link with its address and the image as a thumbnail with its alt text.
    reviewer_page = new_page()
    login(reviewer_page, reviewer)
    open_review(reviewer_page, "Zolpidem for sleep")
    body = reviewer_page.locator('[data-annotatable] [data-section="body"]')
    expect(body).to_contain_text("https://www.example.org/guidelines/sleep")
    expect(body.locator("ins img.diff-thumb").first).to_be_visible()
    expect(body).to_contain_text("Alt text: A green bar chart of sleep onset times")
    expect(body).to_contain_text("Minutes to fall asleep")
    expect(body.locator("ins").first).to_be_visible()
    shots.take(reviewer_page, "reviewer sees the link and the image in the diff")

    # A comment anchored to the sentence, without deciding; then changes requested.
    select_in_diff(reviewer_page, "body", SENTENCE)
    expect(reviewer_page.locator("[data-selected-passage]")).to_contain_text(SENTENCE)
    reviewer_page.locator("#id_new-text").fill(COMMENT)
    reviewer_page.get_by_role("button", name="Add comment").click()
    comment_box = reviewer_page.locator("[data-comment-list] article.comment").filter(has_text=COMMENT)
    expect(comment_box).to_contain_text(f"“{SENTENCE}”")
    expect(reviewer_page.locator("mark.comment-mark")).to_have_text(SENTENCE)
    shots.take(reviewer_page, "comment anchored to the sentence")
    reviewer_page.get_by_role("button", name="Request changes").click()
    reviewer_page.wait_for_url("**/editorial/")

    # The writer sees it beside the text in the editor, fixes the sentence, answers, resubmits.
    writer_page.goto(f"/editorial/articles/{article.pk}/edit/")
    wait_for_editors(writer_page)
    side = writer_page.locator(".editor-side")
    thread = side.locator("article.comment").filter(has_text=COMMENT)
    expect(thread).to_contain_text(f"“{SENTENCE}”")
    expect(writer_page.locator("#field-body .comment-badge")).to_contain_text("Reviewer comment")
    html = writer_page.evaluate("tinymce.get('id_body').getContent()")
    set_editor_html(writer_page, "id_body", html.replace(SENTENCE, FIX))
    thread.get_by_label("Reply").fill(ANSWER)
    thread.get_by_role("button", name="Mark answered").click()
    expect(side.locator("article.comment").filter(has_text=COMMENT)).to_contain_text("Answered by")
    expect(side.locator("[data-open-count]")).to_have_text("(all answered)")
    # Answering did not leave the page: the unsaved fix is still in the editor.
    assert FIX in writer_page.evaluate("tinymce.get('id_body').getContent()")
    shots.take(writer_page, "writer answered in the editor")
    writer_page.get_by_label("What changed (for the history)").fill("Course length")
    writer_page.get_by_role("button", name="Save draft").click()
    writer_page.wait_for_url(f"**/editorial/articles/{article.pk}/")
    with writer_page.expect_navigation():
        writer_page.get_by_role("button", name="Submit for medical review").click()
    expect(writer_page.locator(".meta .status")).to_have_text("In medical review")

    # The reviewer sees only what changed since their round, resolves the comment, approves.
    open_review(reviewer_page, "Zolpidem for sleep")
    expect(reviewer_page.locator(".baselines [aria-current]")).to_contain_text("Since your last round")
    changed = reviewer_page.locator('[data-annotatable] [data-section="body"]')
    expect(changed.locator("ins").first).to_contain_text("of no longer than four weeks")
    # The image and link were approved-for-review last round: unchanged since it, so not marked now.
    expect(changed.locator("ins img")).to_have_count(0)
    shots.take(reviewer_page, "only the change since the round")
    thread = reviewer_page.locator("[data-comment-list] article.comment").filter(has_text=COMMENT)
    expect(thread).to_contain_text(ANSWER)
    thread.get_by_role("button", name="Resolve").click()
    expect(reviewer_page.locator("[data-comment-list] article.comment-resolved")).to_contain_text(COMMENT)
    approve(reviewer_page)
    reviewer_page.wait_for_url("**/articles/**")
    shots.take(reviewer_page, "approved")

    publication = Article.objects.get(pk=article.pk).live_publication
    assert FIX in publication.body and "example.org/guidelines/sleep" in publication.body
    assert ReviewComment.objects.get(article=article).state == "resolved"


def test_approving_from_a_review_page_opened_before_a_resubmission_is_refused(new_page, shots):
    writer = make_writer("wendy")
    reviewer = make_reviewer("rita", credentials="MD")
    article = make_published(writer, title="Kava and anxiety")

    writer_page = new_page()
    login(writer_page, writer)
    writer_page.goto(f"/editorial/articles/{article.pk}/")
    with writer_page.expect_navigation():
        writer_page.get_by_role("button", name="Start a re-review").click()

    reviewer_page = new_page()
    login(reviewer_page, reviewer)
    open_review(reviewer_page, "Kava and anxiety")
    reviewer_page.get_by_label("Note to the writer").fill("Checked against the 2024 review.")
    shots.take(reviewer_page, "review page open")

    # Meanwhile the writer withdraws, adds a sentence, and submits again.
    with writer_page.expect_navigation():
        writer_page.get_by_role("button", name="Withdraw from review").click()
    writer_page.get_by_role("link", name="Edit", exact=True).click()
    wait_for_editors(writer_page)
    html = writer_page.evaluate("tinymce.get('id_body').getContent()")
    set_editor_html(writer_page, "id_body", html + "<p>Take this as often as you like.</p>")
    writer_page.get_by_role("button", name="Save draft").click()
    writer_page.wait_for_url(f"**/editorial/articles/{article.pk}/")
    with writer_page.expect_navigation():
        writer_page.get_by_role("button", name="Submit for medical review").click()

    approve(reviewer_page)
    reviewer_page.wait_for_load_state()
    expect(reviewer_page.locator("#error-summary")).to_contain_text("The article changed while you were reviewing it")
    expect(reviewer_page.locator('[data-annotatable] [data-section="body"]')).to_contain_text("as often as you like")
    expect(reviewer_page.get_by_label("Note to the writer")).to_have_value("Checked against the 2024 review.")
    shots.take(reviewer_page, "stale approval refused")
    assert not any("as often as you like" in p.body for p in Publication.objects.filter(article=article))
    assert Article.objects.get(pk=article.pk).status == Article.Status.IN_REVIEW
