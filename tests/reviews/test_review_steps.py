"""Review steps per article type: a medicine needs a medical and a pharmacist sign-off, by two
different people, on the same submission; the other types publish after one, as before."""
import json

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from articles.errors import NotAllowed, TransitionRefused
from articles.models import Article, ArticleType, AuditEntry, Publication
from reviews.comments import NewComment
from reviews.models import MANDATORY_CHECKLIST_KEYS, Review, ReviewComment, ReviewStep
from reviews.permissions import available_actions
from reviews.steps import progress
from reviews.workflow import article_approve, article_request_changes, article_submit, article_withdraw
from tests.factories import (
    ALL_YES,
    as_reviewed,
    edit_article,
    make_editor,
    make_in_review,
    make_reviewer,
    make_user,
    make_writer,
)

PHARMACISTS = "Pharmacists"


def make_pharmacist(**extra):
    return make_user(groups=[PHARMACISTS], credentials="PharmD", first_name=extra.pop("first_name", "Per"),
                     last_name=extra.pop("last_name", "Lund"), **extra)


def sign(article, by, **overrides):
    values = {"checklist": dict(ALL_YES), "rating": 4, **overrides}
    return article_approve(**as_reviewed(article), by=by, **values)


def reload(article):
    return Article.objects.get(pk=article.pk)


def test_a_medicine_needs_a_medical_and_then_a_pharmacist_sign_off():
    article = make_in_review(type_key="medicine")
    medical, pharmacist = make_reviewer(credentials="MD"), make_pharmacist()

    sign(article, medical)

    assert reload(article).status == Article.Status.IN_REVIEW
    assert progress(reload(article)).describe() == "2 of 2: awaiting Pharmacist review"
    assert not Publication.objects.filter(article=article).exists()

    sign(article, pharmacist)

    assert reload(article).status == Article.Status.PUBLISHED
    publication = reload(article).live_publication
    assert [(s["step"], s["name"], s["credentials"]) for s in publication.sign_offs] == [
        ("Medical review", "Rita Osei", "MD"), ("Pharmacist review", "Per Lund", "PharmD")]


def test_each_signature_is_an_audit_row():
    article = make_in_review(type_key="medicine")
    sign(article, make_reviewer())
    sign(article, make_pharmacist())

    assert list(AuditEntry.objects.filter(article=article).order_by("id").values_list("action", flat=True)) == [
        "submit", "sign_off", "approve"]


def test_readers_see_both_reviewers_and_json_ld_lists_them(client, django_assert_max_num_queries):
    article = make_in_review(type_key="medicine", title="Naproxen for pain")
    sign(article, make_reviewer(credentials="MD"))
    sign(article, make_pharmacist())

    with django_assert_max_num_queries(4):
        page = client.get(f"/articles/{reload(article).slug}/").content.decode()

    assert "Rita Osei, MD</strong></a> (medical review) and" in page
    assert "Per Lund, PharmD</strong></a> (pharmacist review)" in page
    json_ld = json.loads(page.split('<script type="application/ld+json">')[1].split("</script>")[0])
    assert [(p["name"], p["honorificSuffix"]) for p in json_ld["reviewedBy"]] == [
        ("Rita Osei", "MD"), ("Per Lund", "PharmD")]


@pytest.mark.parametrize("type_key", ["substance", "condition", "treatment", "wellness"])
def test_the_other_default_types_publish_after_one_sign_off(type_key):
    article = make_in_review(type_key=type_key)

    sign(article, make_reviewer())

    assert reload(article).status == Article.Status.PUBLISHED


def test_one_person_never_signs_two_steps_of_a_review():
    article = make_in_review(type_key="medicine")
    both = make_user(groups=["Medical reviewers", PHARMACISTS], credentials="MD, PharmD")
    sign(article, both)

    with pytest.raises(NotAllowed, match="Pharmacist review needs a second person"):
        sign(article, both)


def test_a_medical_reviewer_cannot_sign_the_pharmacist_step_nor_a_pharmacist_the_medical_one():
    article = make_in_review(type_key="medicine")
    with pytest.raises(NotAllowed, match="Medical review, is signed by a member of Medical reviewers"):
        sign(article, make_pharmacist())
    sign(article, make_reviewer())

    with pytest.raises(NotAllowed, match="Pharmacist review, is signed by a member of Pharmacists"):
        sign(article, make_reviewer())


# Who may sign, at which step of a medicine's review (DESIGN: each step by a member of its group,
# each by a different person who did not change the content).
SIGNERS = {
    "medical reviewer": lambda: make_reviewer(),
    "pharmacist": make_pharmacist,
    "writer": make_writer,
    "editor": make_editor,
}
# "in both groups" signs step 1 (so at step 1 they have not signed yet, and may).
STEP_MATRIX = {
    ("medical reviewer", 1): True, ("pharmacist", 1): False, ("in both groups", 1): True,
    ("writer", 1): False, ("editor", 1): False,
    ("medical reviewer", 2): False, ("pharmacist", 2): True, ("in both groups", 2): False,
    ("writer", 2): False, ("editor", 2): False,
}


@pytest.mark.parametrize("who, step", list(STEP_MATRIX))
def test_who_may_sign_each_step_of_a_medicine(who, step):
    article = make_in_review(type_key="medicine")
    first = make_user(groups=["Medical reviewers", PHARMACISTS], credentials="MD, PharmD")
    if step == 2:
        sign(article, first)
    person = first if who == "in both groups" else SIGNERS[who]()

    assert ("approve" in available_actions(person, reload(article))) is STEP_MATRIX[(who, step)]


def test_an_edit_restarts_the_review_from_the_first_step():
    writer = make_writer()
    article = make_in_review(writer, type_key="medicine")
    sign(article, make_reviewer())
    article_withdraw(article=reload(article), by=writer)
    edit_article(article, writer, summary="A clearer summary of what it does.")
    article_submit(article=reload(article), by=writer)

    assert progress(reload(article)).describe() == "1 of 2: awaiting Medical review"
    with pytest.raises(NotAllowed):
        sign(article, make_pharmacist())


def test_a_signature_before_an_edit_does_not_count_towards_the_new_review():
    writer, medical = make_writer(), make_reviewer()
    article = make_in_review(writer, type_key="medicine")
    sign(article, medical)
    article_withdraw(article=reload(article), by=writer)
    edit_article(article, writer, summary="A clearer summary of what it does.")
    article_submit(article=reload(article), by=writer)

    sign(article, medical)
    assert progress(reload(article)).describe() == "2 of 2: awaiting Pharmacist review"
    sign(article, make_pharmacist())

    assert [s["step"] for s in reload(article).live_publication.sign_offs] == ["Medical review", "Pharmacist review"]


def test_request_changes_at_the_second_step_sends_the_article_back():
    article = make_in_review(type_key="medicine")
    sign(article, make_reviewer())

    pharmacist = make_pharmacist()

    article_request_changes(**as_reviewed(article), by=pharmacist,
                            comments=[NewComment("dosing_statement", "Name the maximum daily dose.")])

    assert reload(article).status == Article.Status.DRAFT
    assert not Publication.objects.filter(article=article).exists()
    assert list(ReviewComment.objects.filter(article=article).values_list("section", "text", "author")) == [
        ("dosing_statement", "Name the maximum daily dose.", pharmacist.pk)]
    assert Review.objects.get(article=article, reviewer=pharmacist).decision == Review.Decision.CHANGES_REQUESTED


def test_each_step_answers_its_own_checklist():
    article = make_in_review(type_key="medicine")
    sign(article, make_reviewer())
    step = ReviewStep.objects.get(article_type__key="medicine", position=2)
    assert "balance" not in step.checklist_keys() and "dosing_safe" in step.mandatory_keys()

    assert step.mandatory_keys() == tuple(key for key in MANDATORY_CHECKLIST_KEYS if key in step.checklist)

    with pytest.raises(TransitionRefused) as refused:
        sign(article, make_pharmacist(), checklist={**ALL_YES, "dosing_safe": False, "balance": False})

    assert list(refused.value.by_field()) == ["checklist.dosing_safe"]
    assert reload(article).status == Article.Status.IN_REVIEW


def test_adding_a_step_is_a_row_of_data():
    legal = Group.objects.create(name="Legal")
    ReviewStep.objects.create(article_type=ArticleType.objects.get(key="condition"),
                              position=2, name="Legal review", group=legal, credentials_required=False)
    article = make_in_review(type_key="condition")
    sign(article, make_reviewer())
    lawyer = make_user(groups=["Legal"])

    assert reload(article).status == Article.Status.IN_REVIEW
    sign(article, lawyer)
    assert [s["step"] for s in reload(article).live_publication.sign_offs] == ["Medical review", "Legal review"]


def test_a_pharmacist_s_queue_shows_a_medicine_once_its_medical_step_is_signed(client):
    article = make_in_review(type_key="medicine", title="Ibuprofen gel")
    pharmacist = make_pharmacist()
    client.force_login(pharmacist)

    def awaiting():
        page = client.get(reverse("desk:dashboard")).content.decode()
        return page.split("Awaiting review")[1].split("</section>")[0] if "Awaiting review" in page else ""

    assert "Ibuprofen gel" not in awaiting()
    sign(article, make_reviewer())
    assert "Ibuprofen gel" in awaiting() and "2 of 2: awaiting Pharmacist review" in awaiting()
