"""The back office shows each person only what the desk would show them (reviews.permissions).

Walked over HTTP as the demo users: writers and reviewers are not staff, so every admin page sends
them to the admin login; a staff writer (made here: the demo makes only editors staff) finds no row,
page or history for a draft that is not theirs; editors and superusers see everything.
"""
import io

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import Permission, User
from django.core.management import call_command
from django.db import models
from django.urls import reverse

from articles.models import Article, AuditEntry, Image, Publication
from reviews.models import CommentReply, Review, ReviewComment
from reviews.permissions import EDITORS, REVIEWERS, WRITERS, can_view_working_copy, viewable_articles
from reviews.services import comment_reply
from reviews.workflow import article_approve, article_submit
from tests.factories import ALL_YES, as_reviewed, edit_article, make_draft, make_image, make_published, make_user

CONTENT_APPS = {"articles", "reviews", "reversion"}


@pytest.fixture
def demo():
    """The demo, plus an image on the writer's incomplete draft and a reply in a comment thread."""
    call_command("seed_demo", password="a-long-demo-password", stdout=io.StringIO())
    users = {user.username: user for user in User.objects.all()}
    draft = Article.objects.get(slug="caffeine-and-anxiety")
    sent_back = Article.objects.get(slug="sleep-habits-that-help")
    published = Article.objects.get(slug="melatonin-for-sleep")
    comment = sent_back.review_comments.get()
    comment_reply(comment=comment, by=users["writer"], text="Added the systematic review.")
    image = make_image(by=users["writer"], article=draft, name="caffeine-chart.png", fmt="PNG")
    # What another writer may not see, one object per model that shows article content.
    hidden = {
        Article: draft,
        AuditEntry: AuditEntry.objects.filter(article=sent_back).first(),
        Publication: published.live_publication,
        Image: image,
        Review: Review.objects.get(article=sent_back),
        ReviewComment: comment,
        CommentReply: comment.replies.get(),
    }
    return {"users": users, "draft": draft, "sent_back": sent_back, "published": published, "hidden": hidden}


def view_permissions():
    """The back-office permissions the demo used to give every writer and reviewer."""
    return Permission.objects.filter(content_type__app_label__in=["articles", "reviews"],
                                     codename__startswith="view_")


def staff(username, *groups):
    user = make_user(username, groups=groups, is_staff=True, credentials="MD" if REVIEWERS in groups else None)
    user.user_permissions.set(view_permissions())
    return user


@pytest.fixture
def writer2(demo, client):
    """The demo's writer2, made staff: they wrote neither the draft nor the sent-back article."""
    user = demo["users"]["writer2"]
    user.is_staff = True
    user.save()
    user.user_permissions.set(view_permissions())
    client.force_login(user)
    return user


def url(name, obj_or_model, *args):
    opts = obj_or_model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{name}", args=args)


def change_url(obj):
    return url("change", obj, obj.pk)


def history_url(obj):
    return url("history", obj, obj.pk)


def refused(response) -> bool:
    """403, 404, or the admin's "doesn't exist" redirect (the answer for a missing id)."""
    if response.status_code == 302:
        return response["Location"] == reverse("admin:index")
    return response.status_code in (403, 404)


def content_models() -> set:
    """Registered admin models of the content apps that show an article: Article itself, a model with
    a foreign key to it, or one with a foreign key to such a model (a reply, through its comment)."""
    def points_at_article(model):
        return any(isinstance(field, models.ForeignKey) and field.related_model is Article
                   for field in model._meta.get_fields())

    return {model for model in admin.site._registry
            if model._meta.app_label in CONTENT_APPS and (
                model is Article or points_at_article(model)
                or any(isinstance(field, models.ForeignKey) and points_at_article(field.related_model)
                       and field.related_model is not model for field in model._meta.get_fields()))}


def test_every_admin_that_shows_article_content_is_covered_by_these_tests(demo):
    """A model registered later without the desk's rule fails here until it is added to the matrix."""
    assert content_models() <= set(demo["hidden"])
    assert {Article, AuditEntry, Publication, Image, Review, ReviewComment, CommentReply} <= content_models()


@pytest.mark.parametrize("username", ["writer", "writer2", "reviewer", "pharmacist"])
def test_writers_and_reviewers_are_sent_to_the_admin_login_for_every_admin_page(demo, client, username):
    client.force_login(demo["users"][username])
    pages = [reverse("admin:index"), "/admin/articles/", "/admin/reviews/",
             reverse("admin:autocomplete") + "?app_label=articles&model_name=auditentry&field_name=article"]
    for model, obj in demo["hidden"].items():
        pages += [url("changelist", model), change_url(obj), history_url(obj)]

    for page in pages:
        response = client.get(page)
        assert response.status_code == 302, page
        assert response["Location"].startswith((reverse("admin:login") + "?next=",
                                                settings.LOGIN_URL + "?next=")), page


@pytest.mark.parametrize("model", [Article, AuditEntry, Publication, Image, Review, ReviewComment, CommentReply],
                         ids=lambda model: model.__name__)
def test_a_staff_writer_gets_no_row_page_or_history_for_an_article_that_is_not_theirs(demo, writer2, client, model):
    obj = demo["hidden"][model]

    changelist = client.get(url("changelist", model))
    assert changelist.status_code == 200
    assert change_url(obj) not in changelist.content.decode()
    assert refused(client.get(change_url(obj)))
    assert refused(client.get(history_url(obj)))


def test_a_staff_writer_still_sees_their_own_articles(demo, writer2, client):
    page = client.get(url("changelist", Article)).content.decode()
    own = Article.objects.filter(authors=writer2)
    assert own.count() == 2
    for article in own:
        assert change_url(article) in page
        assert client.get(change_url(article)).status_code == 200
        assert client.get(history_url(article)).status_code == 200
    assert "2 articles" in page


def test_searching_or_filtering_the_article_list_does_not_find_a_draft_that_is_not_theirs(demo, writer2, client):
    draft = demo["draft"]
    for query in ({"q": draft.title.split()[0]}, {"q": draft.slug}, {"status__exact": "draft"},
                  {"article_type__id__exact": draft.article_type_id}, {"_facets": "1"}):
        page = client.get(url("changelist", Article), query).content.decode()
        assert change_url(draft) not in page, query
        assert draft.title not in page, query


def test_autocomplete_does_not_offer_an_article_or_image_that_is_not_theirs(demo, writer2, client):
    draft, image = demo["draft"], demo["hidden"][Image]
    autocomplete = reverse("admin:autocomplete")

    articles = client.get(autocomplete, {"app_label": "articles", "model_name": "auditentry",
                                         "field_name": "article", "term": ""}).json()["results"]
    images = client.get(autocomplete, {"app_label": "articles", "model_name": "article",
                                       "field_name": "lead_image", "term": ""}).json()["results"]

    assert str(draft.pk) not in {row["id"] for row in articles}
    assert {row["text"] for row in articles} == {a.title for a in Article.objects.filter(authors=writer2)}
    assert str(image.pk) not in {row["id"] for row in images}


def test_an_image_uploaded_before_its_article_exists_is_seen_by_its_uploader_only(demo, writer2, client):
    theirs = make_image(by=writer2, name="theirs.png", fmt="PNG")
    someone_elses = make_image(by=demo["users"]["writer"], name="someone-elses.png", fmt="PNG")

    page = client.get(url("changelist", Image)).content.decode()

    assert change_url(theirs) in page
    assert change_url(someone_elses) not in page
    assert refused(client.get(change_url(someone_elses)))


def test_a_staff_reviewer_sees_articles_in_review_and_published_but_not_drafts(demo, client):
    client.force_login(staff("staffreviewer", REVIEWERS))
    page = client.get(url("changelist", Article)).content.decode()

    for article in Article.objects.exclude(status=Article.Status.DRAFT):
        assert change_url(article) in page
    for article in Article.objects.filter(status=Article.Status.DRAFT):
        assert change_url(article) not in page
        assert refused(client.get(change_url(article)))


@pytest.mark.parametrize("username", ["editor", "root"])
def test_editors_and_superusers_see_every_article_and_everything_about_it(demo, client, username):
    if username == "root":
        User.objects.create_superuser("root", "root@example.org", "pw")
    client.force_login(User.objects.get(username=username))

    articles = client.get(url("changelist", Article)).content.decode()
    for article in Article.objects.all():
        assert change_url(article) in articles
    for model, obj in demo["hidden"].items():
        assert change_url(obj) in client.get(url("changelist", model)).content.decode(), model.__name__
        assert client.get(change_url(obj)).status_code == 200, model.__name__
        assert client.get(history_url(obj)).status_code == 200, model.__name__


def test_the_admin_lists_agree_with_the_desk_for_every_demo_user_and_article(demo):
    """viewable_articles (the lists) and can_view_working_copy (the desk's 404) give one answer,
    including for someone who saved a revision before the last approval (no longer a contributor)
    and since it (still one)."""
    User.objects.create_superuser("root", "root@example.org", "pw")
    writer, reviewer = demo["users"]["writer"], demo["users"]["reviewer"]
    helper = make_user("helper", groups=[WRITERS, EDITORS])
    approved_since = make_draft(writer)
    edit_article(approved_since, helper, summary="Edited by a helper before the approval, then approved.")
    article_submit(article=Article.objects.get(pk=approved_since.pk), by=writer)
    article_approve(**as_reviewed(approved_since), by=reviewer, checklist=dict(ALL_YES), rating=4)
    edited_since = make_published(writer, reviewer)
    edit_article(edited_since, helper, summary="Edited by a helper after the last approval.")
    helper.groups.remove(helper.groups.get(name=EDITORS))

    articles = list(Article.objects.all())
    for user in User.objects.all():
        listed = set(viewable_articles(user).values_list("pk", flat=True))
        assert listed == {a.pk for a in articles if can_view_working_copy(user, a)}, user.username
    helper_sees = set(viewable_articles(User.objects.get(pk=helper.pk)).values_list("pk", flat=True))
    assert edited_since.pk in helper_sees
    assert approved_since.pk not in helper_sees


def test_a_reviewer_who_changed_a_draft_still_sees_it_and_its_history(demo, client):
    """A contributor by revision, not by authorship: the desk lets them see the article, so does the admin."""
    helper = staff("helper", REVIEWERS, EDITORS)
    sent_back = demo["sent_back"]
    edit_article(sent_back, helper, summary="A clearer summary, written by an editor who also reviews.")
    helper.groups.remove(helper.groups.get(name=EDITORS))
    helper = User.objects.get(pk=helper.pk)
    client.force_login(helper)

    assert change_url(sent_back) in client.get(url("changelist", Article)).content.decode()
    assert client.get(change_url(sent_back)).status_code == 200
    assert change_url(demo["draft"]) not in client.get(url("changelist", Article)).content.decode()
