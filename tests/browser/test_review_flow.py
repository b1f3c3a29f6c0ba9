"""The desk's whole story in a real browser: draft, refused submission, fix, review, changes,
answer, resolution, approval, and the public page. Users come from the factories; every article action is a
click or a keystroke in Chromium."""
import re

import pytest
from playwright.sync_api import expect

from articles.models import Article
from articles.sections import SECTIONS_BY_KEY
from reviews.models import MANDATORY_CHECKLIST_KEYS
from tests.factories import SECTION_TEXT, make_in_review, make_reviewer, make_writer

from .conftest import PASSWORD, login, set_editor_html, wait_for_editors

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TITLE = "Melatonin for sleep"
SUMMARY = "What melatonin is, what the trials show about sleep, and how to take it safely."
BODY_TYPED = "Melatonin is a hormone that helps set the body clock."
FIRST_SECTIONS = ("evidence_summary", "side_effects")  # filled in the first draft; the rest are missing
SUBSTANCE_REQUIRED = ("evidence_summary", "side_effects", "interactions", "who_should_avoid",
                      "dependence_withdrawal", "overdose_toxicity", "legal_status", "dosing_statement",
                      "when_to_seek_help")
REFERENCES = [
    ("Melatonin for the treatment of primary sleep disorders: a meta-analysis", "10.1371/journal.pone.0063773"),
    ("Exogenous melatonin for sleep disorders in neurodevelopmental disorders", "10.1111/dmcn.12218"),
    ("Safety of melatonin supplementation in adults: a systematic review", "10.1007/s00228-015-1840-8"),
]
COMMENT = "Say how common next-day drowsiness is, and that driving may be unsafe."
REPLY = "Added the frequency of next-day drowsiness and a driving warning."


def _submit(page, button_name: str) -> None:
    """Click a form's submit button and wait for the page it leads to (POST, redirect, GET)."""
    with page.expect_navigation():
        page.get_by_role("button", name=button_name).click()


def _messages(page):
    return page.locator(".messages")


def _gate_panel(page):
    return page.locator("[data-gate-results]")


def writer_drafts_and_is_refused(page, shots, writer) -> int:
    login(page, writer)
    shots.take(page, "writer desk")
    page.get_by_role("link", name="New article").click()
    page.wait_for_url("**/editorial/articles/new/")
    wait_for_editors(page)
    shots.take(page, "new article form")

    page.locator("#id_title").fill(TITLE)
    page.get_by_label("Summary").fill(SUMMARY)
    page.get_by_label("Article type").select_option(label="Substance, drug or supplement")
    # Real keystrokes into the body editor's iframe.
    body = page.frame_locator("#id_body_ifr").locator("body")
    body.click()
    page.keyboard.type(BODY_TYPED)
    for key in FIRST_SECTIONS:
        set_editor_html(page, f"id_section_{key}", f"<p>{SECTION_TEXT[key]}</p>")

    # The live gate panel asks the server after typing stops, and lists what is still missing.
    panel = _gate_panel(page)
    for key in SUBSTANCE_REQUIRED:
        if key not in FIRST_SECTIONS:
            expect(panel).to_contain_text(f'The required section "{SECTIONS_BY_KEY[key].title}" is empty.')
    expect(panel).to_contain_text("must cite at least 3 sources; this one cites 0.")
    expect(panel).not_to_contain_text(SECTIONS_BY_KEY["evidence_summary"].title)
    shots.take(page, "live gate lists failures")

    page.get_by_label("What changed (for the history)").fill("First draft")
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_url(re.compile(r"/editorial/articles/\d+/$"))
    expect(_messages(page)).to_contain_text("Draft created.")
    article_pk = int(re.search(r"/articles/(\d+)/$", page.url).group(1))
    shots.take(page, "draft saved")

    _submit(page, "Submit for medical review")
    # One message naming the rule; the failures are listed once, in the gate panel, each linked.
    messages = _messages(page)
    expect(messages.locator("p")).to_have_count(1)
    expect(messages).to_contain_text("The article does not pass the submission gate")
    failures = page.locator("ul.gate-failures")
    for key in SUBSTANCE_REQUIRED:
        title = SECTIONS_BY_KEY[key].title
        if key in FIRST_SECTIONS:
            expect(failures).not_to_contain_text(f'"{title}"')
        else:
            expect(failures).to_contain_text(f'The required section "{title}" is empty.')
    expect(failures).to_contain_text("must cite at least 3 sources")
    expect(page.locator(".meta .status")).to_have_text("Draft")
    shots.take(page, "submission refused by the gate")
    return article_pk


def writer_completes_and_submits(page, shots, article_pk: int) -> None:
    page.get_by_role("link", name="Edit", exact=True).click()
    page.wait_for_url(f"**/editorial/articles/{article_pk}/edit/")
    wait_for_editors(page)
    # The body typed in the browser was saved (and sanitized) as a paragraph.
    assert BODY_TYPED in page.evaluate("tinymce.get('id_body').getContent()")
    for key in SUBSTANCE_REQUIRED:
        set_editor_html(page, f"id_section_{key}", f"<p>{SECTION_TEXT[key]}</p>")

    add_reference = page.get_by_role("button", name="Add a reference")
    for index, (title, doi) in enumerate(REFERENCES):
        if index >= int(page.locator("input[name='refs-TOTAL_FORMS']").input_value()):
            add_reference.click()
        page.locator(f"#id_refs-{index}-title").fill(title)
        page.locator(f"#id_refs-{index}-doi").fill(doi)
    expect(_gate_panel(page)).to_contain_text("Every required section holds real content")
    shots.take(page, "every section and three references")

    page.get_by_label("What changed (for the history)").fill("Completed the safety sections")
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_url(f"**/editorial/articles/{article_pk}/")
    expect(_messages(page)).to_contain_text("Saved as version 2.")
    _submit(page, "Submit for medical review")
    expect(_messages(page)).to_contain_text("Submitted for medical review.")
    expect(page.locator(".meta .status")).to_have_text("In medical review")
    shots.take(page, "submitted")


def reviewer_requests_changes(page, shots, reviewer) -> None:
    login(page, reviewer)
    awaiting = page.locator("section.desk-list", has=page.get_by_role("heading", name=re.compile("Awaiting review")))
    awaiting.get_by_role("link", name=TITLE).click()
    page.wait_for_url(re.compile(r"/editorial/articles/\d+/$"))
    shots.take(page, "reviewer opens the article")
    page.get_by_role("link", name="Review this article").click()
    expect(page.locator(".baselines [aria-current]")).to_have_text("The whole article")
    diff = page.locator(".review-diff")
    expect(diff.locator("#diff-side_effects")).to_contain_text(SECTION_TEXT["side_effects"].split(",")[0])
    expect(diff.locator("#diff-references")).to_contain_text(REFERENCES[0][0])
    shots.take(page, "review page with the whole article")

    page.locator("#id_new-section").select_option(label="Side effects")
    page.locator("#id_new-text").fill(COMMENT)
    page.get_by_role("button", name="Add comment").click()
    expect(page.locator("[data-comment-list]")).to_contain_text(COMMENT)
    page.get_by_label("Note to the writer").fill("Nearly there: one point on side effects.")
    _submit(page, "Request changes")
    # The draft is the writer's again, so the reviewer lands on the desk, not on a 404.
    page.wait_for_url("**/editorial/")
    expect(_messages(page)).to_contain_text("Sent back to the writer with your comments.")
    shots.take(page, "changes requested")


def writer_replies_and_resubmits(page, shots, article_pk: int) -> None:
    page.goto("/editorial/")
    sent_back = page.locator("section.desk-list", has=page.get_by_role("heading", name=re.compile("Sent back to me")))
    sent_back.get_by_role("link", name=TITLE).click()
    page.wait_for_url(f"**/editorial/articles/{article_pk}/")
    comment = page.locator("article.comment").filter(has_text=COMMENT)
    expect(comment.locator(".meta strong")).to_have_text("Side effects")
    shots.take(page, "writer sees the comment")
    comment.get_by_label("Reply").fill(REPLY)
    comment.get_by_role("button", name="Mark answered").click()
    expect(page.locator("article.comment.comment-answered")).to_contain_text(REPLY)
    _submit(page, "Submit for medical review")
    expect(_messages(page)).to_contain_text("Submitted for medical review.")
    shots.take(page, "answered and resubmitted")


def reviewer_approves(page, shots) -> None:
    page.goto("/editorial/")
    awaiting = page.locator("section.desk-list", has=page.get_by_role("heading", name=re.compile("Awaiting review")))
    awaiting.get_by_role("link", name=TITLE).click()
    page.get_by_role("link", name="Review this article").click()
    answered = page.locator("[data-comment-list] article.comment").filter(has_text=REPLY)
    answered.get_by_role("button", name="Resolve").click()
    expect(page.locator("[data-comment-list] article.comment-resolved")).to_contain_text(REPLY)
    mandatory = page.locator(".field.checkbox.mandatory input[type=checkbox]")
    expect(mandatory).to_have_count(len(MANDATORY_CHECKLIST_KEYS))
    for checkbox in mandatory.all():
        checkbox.check()
    page.locator("#field-rating").get_by_label("4").check()
    # The approval is an electronic signature: its meaning ticked, the password again.
    page.locator("#field-sign_meaning input").check()
    page.get_by_label("Your password, to sign").fill(PASSWORD)
    shots.take(page, "checklist, rating and signature")
    page.get_by_role("button", name="Approve and publish").click()
    page.wait_for_url("**/articles/melatonin-for-sleep*/")
    expect(_messages(page)).to_contain_text("Approved and published.")
    shots.take(page, "approved and published")


def test_draft_review_changes_approve_publish(new_page, shots):
    writer = make_writer("wendy", first_name="Wendy", last_name="Adeyemi")
    reviewer = make_reviewer("rita", credentials="MD, PharmD")

    writer_page = new_page()
    article_pk = writer_drafts_and_is_refused(writer_page, shots, writer)
    writer_completes_and_submits(writer_page, shots, article_pk)

    reviewer_page = new_page()
    reviewer_requests_changes(reviewer_page, shots, reviewer)
    writer_replies_and_resubmits(writer_page, shots, article_pk)
    reviewer_approves(reviewer_page, shots)

    article = Article.objects.get(pk=article_pk)
    assert article.status == Article.Status.PUBLISHED
    slug = article.live_publication.slug

    reader = new_page()
    reader.goto(f"/articles/{slug}/")
    expect(reader.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(reader.locator(".reviewed-by")).to_have_text("Medically reviewed by Rita Osei, MD, PharmD")
    expect(reader.locator(".body")).to_contain_text(BODY_TYPED)
    expect(reader.locator("#side_effects")).to_contain_text("Side effects")
    expect(reader.locator("#references li")).to_have_count(3)
    expect(reader.get_by_role("link", name="Staff login")).to_be_visible()  # not logged in
    shots.take(reader, "reader sees the reviewed article")


def test_reviewer_is_not_sent_to_a_404_after_requesting_changes(page, shots):
    """Once changes are requested the article is a draft, which a reviewer who is not a contributor
    may not see: the reviewer must land somewhere they can see (the desk), not on a 404."""
    reviewer = make_reviewer("rita", credentials="MD")
    article = make_in_review(make_writer("wendy"), title="Caffeine and sleep")
    login(page, reviewer)
    page.goto(f"/editorial/articles/{article.pk}/review/")
    page.locator("#id_new-section").select_option(label="Side effects")
    page.locator("#id_new-text").fill(COMMENT)
    page.get_by_role("button", name="Add comment").click()
    expect(page.locator("[data-comment-list]")).to_contain_text(COMMENT)
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Request changes").click()
    shots.take(page, "after requesting changes")
    assert navigation.value.status == 200, f"{page.url} answered {navigation.value.status}"
    expect(_messages(page)).to_contain_text("Sent back to the writer with your comments.")
    expect(page.get_by_role("heading", name=re.compile("Reviewed by me"))).to_be_visible()
