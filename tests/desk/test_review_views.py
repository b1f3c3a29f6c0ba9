"""The review page, answering a review, and the dashboard, over HTTP."""
from django.urls import reverse

from articles.models import Article
from reviews.models import CHECKLIST, ReviewComment
from tests.factories import edit_article, make_draft, make_editor, make_in_review, make_published, make_reviewer, make_writer
from reviews.workflow import article_submit


def approve_data(article, **overrides):
    """What the review page posts: every checklist item ticked, a rating, and the submission the
    page showed (the article's current one)."""
    current = Article.objects.get(pk=article.pk)
    data = {f"check_{key}": "on" for key, _, _ in CHECKLIST}
    data.update({"rating": "4", "comment": "", "decision": "approve",
                 "reviewed_revision": str(current.submitted_revision_id), "reviewed_hash": current.submitted_hash,
                 # The electronic signature: its meaning ticked and the password again.
                 "sign_meaning": "on", "sign_password": "pw-for-tests-only"})
    data.update(overrides)
    return data


def add_comment(client, article, text, section="general", quote="", **more):
    return client.post(reverse("desk:comment_new", args=[article.pk]), {
        "new-section": section, "new-text": text, "new-quote": quote, **more})


def test_a_first_review_shows_the_whole_article(client):
    article = make_in_review(title="Kava and anxiety")
    client.force_login(make_reviewer())
    page = client.get(reverse("desk:review", args=[article.pk])).content.decode()
    assert '<strong aria-current="true">The whole article</strong>' in page
    title = page.split('id="diff-title"')[1].split("</section>")[0]
    assert '<ins data-change="1">Kava and anxiety</ins>' in title


def test_a_later_review_shows_only_what_changed_since_the_last_approval(client):
    writer = make_writer()
    article = make_published(writer)
    edit_article(article, writer, title="A new title after approval")
    article_submit(article=Article.objects.get(pk=article.pk), by=writer)
    client.force_login(make_reviewer())
    page = client.get(reverse("desk:review", args=[article.pk])).content.decode()
    assert '<strong aria-current="true">Since the last approval' in page
    title = page.split('id="diff-title"')[1].split("</section>")[0]
    assert "<ins" in title and "<del" in title and "A new title after approval" in title
    assert "Side effects <span class=\"unchanged\">(unchanged)</span>" in page


def test_after_a_round_of_changes_the_reviewer_sees_only_what_changed_since_it(client):
    from reviews.comments import NewComment
    from reviews.services import comment_answer
    from reviews.workflow import article_request_changes
    from tests.factories import as_reviewed

    writer = make_writer()
    article = make_in_review(writer, title="Valerian and sleep")
    reviewer = make_reviewer()
    article_request_changes(**as_reviewed(article), by=reviewer, comments=[NewComment("title", "Say for whom.")])
    comment_answer(comment=ReviewComment.objects.get(article=article), by=writer)
    edit_article(article, writer, title="Valerian and sleep in adults")
    article_submit(article=Article.objects.get(pk=article.pk), by=writer)
    client.force_login(reviewer)

    page = client.get(reverse("desk:review", args=[article.pk])).content.decode()

    assert '<strong aria-current="true">Since your last round' in page
    title = page.split('id="diff-title"')[1].split("</section>")[0]
    assert "in adults</ins>" in title
    assert "Summary <span class=\"unchanged\">(unchanged)</span>" in page
    whole = client.get(reverse("desk:review", args=[article.pk]) + "?baseline=whole").content.decode()
    assert "Summary <span class=\"unchanged\">(unchanged)</span>" not in whole


def test_the_checklist_marks_the_mandatory_items(client):
    article = make_in_review()
    client.force_login(make_reviewer())
    page = client.get(reverse("desk:review", args=[article.pk])).content.decode()
    mandatory = [question for _, question, required in CHECKLIST if required]
    for question in mandatory:
        assert f"{question} (required for approval)" in page
    assert page.count("(required for approval)") == len(mandatory)


def test_a_reviewer_approves_and_the_public_page_shows_them(client):
    article = make_in_review()
    reviewer = make_reviewer(first_name="Noor", last_name="Haddad", credentials="PharmD")
    client.force_login(reviewer)
    response = client.post(reverse("desk:review", args=[article.pk]), approve_data(article))
    assert response.status_code == 302
    client.logout()
    page = client.get(response.url).content.decode()
    assert "Medically reviewed by <strong>Noor Haddad, PharmD</strong>" in page


def test_a_refused_approval_shows_every_reason_and_keeps_the_answers(client):
    article = make_in_review()
    client.force_login(make_reviewer())
    data = approve_data(article, rating="")
    del data["check_accuracy"], data["check_dosing_safe"]
    data["comment"] = "My note so far"
    page = client.post(reverse("desk:review", args=[article.pk]), data).content.decode()
    assert "Nothing was decided" in page
    summary = page.split('id="error-summary"')[1].split("</div>")[0]
    assert "The content is medically accurate." in summary
    assert "Any dosing information is safe" in summary
    assert "rating from 1 to 5" in page
    assert "My note so far" in page
    assert Article.objects.get(pk=article.pk).status == "in_review"


def test_requesting_changes_sends_comments_tied_to_sections_back_to_the_writer(client):
    writer = make_writer()
    article = make_in_review(writer)
    client.force_login(make_reviewer())
    add_comment(client, article, "Name the serious liver effects.", section="side_effects")
    response = client.post(reverse("desk:review", args=[article.pk]),
                           approve_data(article, decision="request_changes"))
    # Back to the desk: the draft is the writer's again and the reviewer may no longer open it.
    assert response.status_code == 302 and response.url == reverse("desk:dashboard")
    assert Article.objects.get(pk=article.pk).status == "draft"
    client.force_login(writer)
    page = client.get(reverse("desk:article", args=[article.pk])).content.decode()
    assert "Side effects" in page and "Name the serious liver effects." in page
    dashboard = client.get(reverse("desk:dashboard")).content.decode()
    sent_back = dashboard.split("Sent back to me")[1].split("</section>")[0]
    assert article.title in sent_back


def test_the_writer_answers_a_comment_the_reviewer_resolves_it_and_approves(client):
    writer = make_writer()
    article = make_in_review(writer)
    reviewer = make_reviewer()
    client.force_login(reviewer)
    add_comment(client, article, "Mention alcohol.", section="interactions")
    client.post(reverse("desk:review", args=[article.pk]), approve_data(article, decision="request_changes"))
    comment = ReviewComment.objects.get(article=article)
    client.force_login(writer)
    client.post(reverse("desk:comment_answer", args=[comment.pk]), {"text": "Alcohol is in the first line."})
    client.post(reverse("desk:submit", args=[article.pk]))
    comment.refresh_from_db()
    assert comment.state == "answered" and [r.text for r in comment.replies.all()] == ["Alcohol is in the first line."]
    assert Article.objects.get(pk=article.pk).status == "in_review"
    client.force_login(reviewer)
    refused = client.post(reverse("desk:review", args=[article.pk]), approve_data(article)).content.decode()
    assert "is not resolved (the writer answered it)" in refused
    client.post(reverse("desk:resolve_comment", args=[comment.pk]), {"text": ""})
    assert client.post(reverse("desk:review", args=[article.pk]), approve_data(article)).status_code == 302
    assert Article.objects.get(pk=article.pk).status == "published"


def test_a_refused_submission_names_every_missing_section(client):
    writer = make_writer()
    article = make_draft(writer, sections={})
    client.force_login(writer)
    response = client.post(reverse("desk:submit", args=[article.pk]), follow=True)
    page = response.content.decode()
    for title in ("Side effects", "Interactions", "Who should avoid it", "When to seek help", "Legal status"):
        assert f"The required section &quot;{title}&quot; is empty." in page
    assert Article.objects.get(pk=article.pk).status == "draft"


def test_the_dashboard_uses_the_same_number_of_queries_for_few_and_many_articles(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    editor = make_editor()
    writer = make_writer()
    client.force_login(editor)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("desk:dashboard")).status_code == 200
        return len(queries)

    make_draft(writer)
    few = count()
    for _ in range(12):
        make_draft(writer)
    assert count() == few


def test_reviewers_see_articles_awaiting_review_oldest_first(client):
    older = make_in_review(title="Submitted first")
    newer = make_in_review(title="Submitted second")
    client.force_login(make_reviewer())
    page = client.get(reverse("desk:dashboard")).content.decode()
    awaiting = page.split("Awaiting review")[1].split("</section>")[0]
    assert awaiting.index(older.title) < awaiting.index(newer.title)


def test_editors_filter_the_desk_by_state(client):
    make_draft(title="Still a draft")
    make_in_review(title="Being reviewed")
    client.force_login(make_editor())
    page = client.get(reverse("desk:dashboard") + "?status=in_review").content.decode()
    assert "Being reviewed" in page and "Still a draft" not in page


def test_the_review_diff_names_the_article_type_as_readers_know_it(client):
    article = make_in_review(type_key="condition")
    client.force_login(make_reviewer())
    page = client.get(reverse("desk:review", args=[article.pk])).content.decode()
    assert '<ins data-change="1">Condition</ins>' in page


def test_a_resubmission_with_no_edit_shows_no_changes_since_the_round(client):
    from reviews.comments import NewComment
    from reviews.services import comment_answer
    from reviews.workflow import article_request_changes
    from tests.factories import as_reviewed

    writer = make_writer()
    article = make_in_review(writer)
    reviewer = make_reviewer()
    article_request_changes(**as_reviewed(article), by=reviewer, comments=[NewComment("general", "Is this current?")])
    comment_answer(comment=ReviewComment.objects.get(article=article), by=writer, reply="Yes, checked this week.")
    article_submit(article=Article.objects.get(pk=article.pk), by=writer)
    client.force_login(reviewer)

    page = client.get(reverse("desk:review", args=[article.pk])).content.decode()

    assert '<strong aria-current="true">Since your last round' in page
    assert "<strong>0 changes</strong>" in page


def test_a_reviewer_who_cannot_sign_the_next_step_is_told_why_and_offered_no_approve_button(client):
    medicine = make_in_review(type_key="medicine")
    client.force_login(make_reviewer())  # a medical reviewer, not a pharmacist
    from reviews.workflow import article_approve
    from tests.factories import ALL_YES, as_reviewed, another_reviewer

    article_approve(**as_reviewed(medicine), by=another_reviewer(), checklist=dict(ALL_YES), rating=4)

    page = client.get(reverse("desk:review", args=[medicine.pk])).content.decode()

    assert "The next step, Pharmacist review, is signed by a member of Pharmacists." in page
    assert 'value="approve"' not in page
    assert 'value="request_changes"' in page


def test_signing_the_first_step_of_a_medicine_says_what_it_waits_for_next(client):
    medicine = make_in_review(type_key="medicine")
    client.force_login(make_reviewer())

    response = client.post(reverse("desk:review", args=[medicine.pk]), approve_data(medicine), follow=True)

    assert "The review now stands at step 2 of 2: awaiting Pharmacist review." in response.content.decode()
