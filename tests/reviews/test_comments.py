"""Review comments: anchored to a passage or a section, threaded, answered by the writer, resolved
by a reviewer; and no state of them can block an article with nobody able to clear it."""
import json

import pytest
from django.urls import reverse

from articles.errors import NotAllowed, TransitionRefused
from articles.models import Article
from reviews.comments import NewComment, locate, visible_text
from reviews.models import ReviewComment
from reviews.services import comment_add, comment_answer, comment_reply, comment_resolve
from reviews.workflow import article_approve, article_request_changes, article_submit
from tests.factories import (
    ALL_YES,
    as_reviewed,
    edit_article,
    make_editor,
    make_in_review,
    make_reviewer,
    make_writer,
    words,
)


def approve(article, reviewer):
    return article_approve(**as_reviewed(article), by=reviewer, checklist=dict(ALL_YES), rating=4)


def send_back(article, reviewer, *comments):
    return article_request_changes(**as_reviewed(article), by=reviewer, comments=list(comments))


# --- Anchoring ---

def test_a_quoted_passage_is_found_again_after_edits_around_it():
    before = visible_text("<p>Start low. Take one tablet at night. Stop if dizzy.</p>")
    after = visible_text("<p>New opening line.</p><p>Start low. Take one tablet at night, with water. Stop if dizzy.</p>")
    quote, prefix = "Take one tablet at night", "Start low. "

    assert locate(quote, prefix, "", before).found
    anchor = locate(quote, prefix, ", with", after)
    assert anchor.found and after[anchor.start:anchor.end] == quote


def test_the_context_picks_the_right_one_of_two_identical_passages():
    text = visible_text("<p>For adults: take one tablet.</p><p>For children: take one tablet.</p>")

    anchor = locate("take one tablet", "For children: ", "", text)

    assert text[:anchor.start].endswith("For children: ")


def test_inline_markup_does_not_break_a_passage_across_words():
    assert visible_text("<p>Take <strong>one</strong> tablet &amp; water</p><ul><li>Next</li></ul>") == \
        "Take one tablet & water Next"


# --- The service: who may do what ---

def test_a_reviewer_comments_on_a_passage_without_deciding():
    article = make_in_review()
    reviewer = make_reviewer()

    comment = comment_add(article=article, by=reviewer, comment=NewComment(
        "side_effects", "How common is this?", quote="liver injury", prefix="Rare but serious effects include "))

    assert comment.state == "open" and comment.quote == "liver injury"
    assert comment.revision_id == Article.objects.get(pk=article.pk).submitted_revision_id
    assert Article.objects.get(pk=article.pk).status == Article.Status.IN_REVIEW


def test_a_writer_cannot_open_a_comment_or_resolve_one():
    writer = make_writer()
    article = make_in_review(writer)
    comment = comment_add(article=article, by=make_reviewer(), comment=NewComment("general", "Why?"))

    with pytest.raises(NotAllowed):
        comment_add(article=article, by=writer, comment=NewComment("general", "Self-review"))
    with pytest.raises(NotAllowed, match="the writer marks them answered"):
        comment_resolve(comment=comment, by=writer)


def test_a_reviewer_cannot_mark_a_comment_answered():
    article = make_in_review()
    reviewer = make_reviewer()
    comment = comment_add(article=article, by=reviewer, comment=NewComment("general", "Why?"))

    with pytest.raises(NotAllowed, match="a reviewer resolves it"):
        comment_answer(comment=comment, by=reviewer)


def test_any_reviewer_may_resolve_a_comment_another_reviewer_opened():
    article = make_in_review()
    comment = comment_add(article=article, by=make_reviewer(), comment=NewComment("general", "Why?"))

    resolved = comment_resolve(comment=comment, by=make_reviewer(), reply="Checked: fine.")

    assert resolved.state == "resolved"
    assert [r.text for r in resolved.replies.all()] == ["Checked: fine."]


def test_writer_and_reviewer_reply_in_one_thread():
    writer = make_writer()
    article = make_in_review(writer)
    reviewer = make_reviewer()
    comment = comment_add(article=article, by=reviewer, comment=NewComment("dosing_statement", "Source?"))

    comment_reply(comment=comment, by=writer, text="Which kind of source do you want?")
    comment_reply(comment=comment, by=reviewer, text="A regulator's label.")

    assert [(r.author, r.text) for r in comment.replies.all()] == [
        (writer, "Which kind of source do you want?"), (reviewer, "A regulator's label.")]
    assert ReviewComment.objects.get(pk=comment.pk).state == "open"


def test_a_resolved_thread_takes_no_more_replies():
    article = make_in_review()
    reviewer = make_reviewer()
    comment = comment_resolve(comment=comment_add(article=article, by=reviewer, comment=NewComment("general", "Ok?")),
                              by=reviewer)

    with pytest.raises(Exception, match="resolved"):
        comment_reply(comment=comment, by=reviewer, text="More")


# --- The gates, and no deadlock ---

def test_submission_is_refused_naming_each_unanswered_comment_and_who_can_clear_it():
    writer = make_writer()
    article = make_in_review(writer)
    reviewer = make_reviewer()
    send_back(article, reviewer, NewComment("side_effects", "Give the rate.", quote="liver injury"),
              NewComment("interactions", "Mention alcohol."))

    with pytest.raises(TransitionRefused) as refused:
        article_submit(article=Article.objects.get(pk=article.pk), by=writer)

    messages = [f.message for f in refused.value.failures]
    assert len(messages) == 2
    assert 'Side effects: "liver injury"' in messages[0] and 'Interactions: "Mention alcohol."' in messages[1]
    assert all("The writer answers it" in m and "a reviewer resolves it" in m for m in messages)


def test_answering_every_comment_lets_the_writer_submit():
    writer = make_writer()
    article = make_in_review(writer)
    send_back(article, make_reviewer(), NewComment("interactions", "Mention alcohol."))

    comment_answer(comment=ReviewComment.objects.get(article=article), by=writer, reply="Added.")
    article_submit(article=Article.objects.get(pk=article.pk), by=writer)

    assert Article.objects.get(pk=article.pk).status == Article.Status.IN_REVIEW


def test_approval_is_refused_naming_each_unresolved_comment_and_how_to_clear_it():
    writer = make_writer()
    article = make_in_review(writer)
    reviewer = make_reviewer()
    comment = comment_add(article=article, by=reviewer, comment=NewComment("general", "Is the title right?"))
    comment_answer(comment=comment, by=writer, reply="Yes.")

    with pytest.raises(TransitionRefused) as refused:
        approve(article, reviewer)

    message = refused.value.by_field()["comments"][0]
    assert '"Is the title right?"' in message and "the writer answered it" in message
    assert "resolves it on the review page" in message and "request changes" in message


def test_sending_back_reopens_answers_the_reviewer_did_not_accept():
    writer = make_writer()
    article = make_in_review(writer)
    reviewer = make_reviewer()
    send_back(article, reviewer, NewComment("interactions", "Mention alcohol."))
    comment = ReviewComment.objects.get(article=article)
    comment_answer(comment=comment, by=writer, reply="Done.")
    article_submit(article=Article.objects.get(pk=article.pk), by=writer)

    send_back(article, reviewer)  # no new comment: the open one is the reason

    assert ReviewComment.objects.get(pk=comment.pk).state == "open"


def test_a_note_alone_becomes_a_comment_on_the_whole_article():
    article = make_in_review()

    article_request_changes(**as_reviewed(article), by=make_reviewer(), comments=[], summary="Shorten the title.")

    comment = ReviewComment.objects.get(article=article)
    assert (comment.section, comment.text, comment.state) == ("general", "Shorten the title.", "open")


@pytest.mark.parametrize("state", ["open", "answered"])
def test_no_comment_state_blocks_an_article_with_nobody_able_to_clear_it(state):
    """In review, whatever the comment's state, a reviewer can resolve it and approve, or send the
    article back; back in draft, the writer can answer it and submit again."""
    writer = make_writer()
    article = make_in_review(writer)
    reviewer = make_reviewer()
    comment = comment_add(article=article, by=reviewer, comment=NewComment("general", "Check the dose."))
    if state == "answered":
        comment_answer(comment=comment, by=writer)

    send_back(article, reviewer)
    comment_answer(comment=ReviewComment.objects.get(pk=comment.pk), by=writer)
    article_submit(article=Article.objects.get(pk=article.pk), by=writer)
    comment_resolve(comment=ReviewComment.objects.get(pk=comment.pk), by=make_reviewer())
    approve(article, reviewer)

    assert Article.objects.get(pk=article.pk).status == Article.Status.PUBLISHED


def test_an_editor_answers_for_the_writer():
    article = make_in_review()
    comment = comment_add(article=article, by=make_reviewer(), comment=NewComment("general", "Why?"))

    assert comment_answer(comment=comment, by=make_editor()).state == "answered"


# --- Over HTTP ---

def test_a_reviewer_adds_a_comment_from_the_review_page_and_the_page_script_gets_the_thread(client):
    article = make_in_review()
    client.force_login(make_reviewer())

    response = client.post(reverse("desk:comment_new", args=[article.pk]), {
        "new-section": "side_effects", "new-text": "Give a rate.", "new-quote": "liver injury",
        "new-quote_prefix": "Rare but serious effects include ", "new-quote_suffix": " and severe"},
        headers={"X-Requested-With": "fetch"})

    body = json.loads(response.content)
    assert response.status_code == 200
    assert "Give a rate." in body["html"] and "“liver injury”" in body["html"]
    assert "passage has changed" not in body["html"]


def test_a_comment_form_without_script_returns_to_the_page_it_came_from(client):
    article = make_in_review()
    client.force_login(make_reviewer())
    review_url = reverse("desk:review", args=[article.pk])

    response = client.post(reverse("desk:comment_new", args=[article.pk]),
                           {"new-section": "general", "new-text": "A question.", "next": review_url})

    comment = ReviewComment.objects.get(article=article)
    assert response.status_code == 302 and response.url == f"{review_url}#comment-{comment.pk}"


def test_a_comment_form_never_redirects_off_site(client):
    article = make_in_review()
    client.force_login(make_reviewer())

    response = client.post(reverse("desk:comment_new", args=[article.pk]),
                           {"new-section": "general", "new-text": "A question.", "next": "https://evil.example/"})

    assert response.url.startswith(reverse("desk:article", args=[article.pk]))


def test_an_empty_comment_is_refused_with_a_message(client):
    article = make_in_review()
    client.force_login(make_reviewer())

    response = client.post(reverse("desk:comment_new", args=[article.pk]),
                           {"new-section": "general", "new-text": "  "}, headers={"X-Requested-With": "fetch"})

    assert response.status_code == 400 and "empty" in json.loads(response.content)["error"]


def test_a_writer_cannot_post_a_reviewer_comment(client):
    writer = make_writer()
    article = make_in_review(writer)
    client.force_login(writer)

    response = client.post(reverse("desk:comment_new", args=[article.pk]),
                           {"new-section": "general", "new-text": "Looks fine to me."})

    assert response.status_code == 403 and not ReviewComment.objects.exists()


def test_someone_who_cannot_see_the_article_gets_404_on_its_comments(client):
    writer = make_writer()
    article = make_in_review(writer)
    send_back(article, make_reviewer(), NewComment("general", "Why?"))
    comment = ReviewComment.objects.get(article=article)
    client.force_login(make_writer())

    assert client.post(reverse("desk:comment_reply", args=[comment.pk]), {"text": "Hi"}).status_code == 404


def test_the_writer_sees_each_comment_beside_its_section_in_the_editor_and_answers_it_there(client):
    writer = make_writer()
    article = make_in_review(writer)
    send_back(article, make_reviewer(), NewComment("side_effects", "Give a rate.", quote="liver injury"))
    client.force_login(writer)

    page = client.get(reverse("desk:edit", args=[article.pk])).content.decode()

    aside = page.split('class="editor-side"')[1]
    assert "Give a rate." in aside and "“liver injury”" in aside and "(1 to answer)" in aside
    assert 'data-section="side_effects"' in aside and "Mark answered" in aside
    comment = ReviewComment.objects.get(article=article)
    response = client.post(reverse("desk:comment_answer", args=[comment.pk]), {"text": "Added the rate."},
                           headers={"X-Requested-With": "fetch"})
    assert response.status_code == 200 and "Answered by" in json.loads(response.content)["html"]


def test_a_comment_whose_passage_was_rewritten_says_so(client):
    writer = make_writer()
    article = make_in_review(writer)
    send_back(article, make_reviewer(), NewComment("body", "Explain this.", quote="plain words"))
    edit_article(article, writer, body=words(20))
    client.force_login(writer)

    page = client.get(reverse("desk:article", args=[article.pk])).content.decode()

    assert "This passage has changed since the comment was written." in page
