from django.contrib import admin
from django.contrib.auth.models import User
from reversion.admin import VersionAdmin

from articles.models import Article, ArticleType
from tests.factories import make_draft, make_published


def login_superuser(client):
    admin = User.objects.create_superuser("root", "root@example.org", "pw")
    client.force_login(admin)
    return admin


def test_the_admin_cannot_change_an_article_directly(client):
    login_superuser(client)
    article = make_published()
    response = client.post(f"/admin/articles/article/{article.pk}/change/", {"title": "Changed in admin"})
    article.refresh_from_db()
    assert response.status_code == 403
    assert article.title != "Changed in admin"


def test_the_admin_shows_an_article_with_its_revision_history(client):
    login_superuser(client)
    article = make_draft(title="A draft seen in the back office")
    page = client.get(f"/admin/articles/article/{article.pk}/change/").content.decode()
    assert "A draft seen in the back office" in page
    assert "Created" in page


def test_the_admin_offers_no_reversion_revert_or_recover(client):
    """VersionAdmin's revert and recover views save objects directly, around the workflow."""
    versioned = [model for model, model_admin in admin.site._registry.items()
                 if isinstance(model_admin, VersionAdmin)]
    assert versioned == []
    login_superuser(client)
    assert client.post("/admin/articles/article/add/", {"title": "x"}).status_code == 403
    assert Article.objects.count() == 0


def review_steps_data(article_type, *new_steps):
    """The review-steps inline of the type's admin page as posted: the steps it has, plus new ones."""
    from reviews.models import ReviewStep

    prefix = "review_steps"
    steps = list(ReviewStep.objects.filter(article_type=article_type).order_by("position"))
    data = {f"{prefix}-TOTAL_FORMS": len(steps) + len(new_steps), f"{prefix}-INITIAL_FORMS": len(steps),
            f"{prefix}-MIN_NUM_FORMS": 0, f"{prefix}-MAX_NUM_FORMS": 1000}
    rows = [{"id": step.pk, "position": step.position, "name": step.name, "group": step.group_id,
             "credentials_required": "on" if step.credentials_required else "", "checklist": step.checklist}
            for step in steps] + list(new_steps)
    for index, row in enumerate(rows):
        for name, value in row.items():
            data[f"{prefix}-{index}-{name}"] = value
        data[f"{prefix}-{index}-article_type"] = article_type.pk
    return data


def test_an_editor_adds_a_review_step_to_a_type_in_the_admin(client):
    from django.contrib.auth.models import Group

    from reviews.steps import steps_for

    login_superuser(client)
    condition = ArticleType.objects.get(key="condition")
    legal = Group.objects.create(name="Legal")
    response = client.post(f"/admin/articles/articletype/{condition.pk}/change/", {
        "key": "condition", "name": condition.name, "required_sections": condition.required_sections,
        "optional_sections": condition.optional_sections, "min_references": condition.min_references,
        "review_interval_months": condition.review_interval_months,
        **review_steps_data(condition, {"position": 2, "name": "Legal review", "group": legal.pk,
                                        "checklist": ["regulatory_framing", "no_commercial_content"]}),
    })

    assert response.status_code == 302
    assert [(step.name, step.group.name) for step in steps_for(condition)] == [
        ("Medical review", "Medical reviewers"), ("Legal review", "Legal")]


def test_an_editor_changes_required_sections_in_the_admin(client):
    login_superuser(client)
    wellness = ArticleType.objects.get(key="wellness")
    response = client.post(f"/admin/articles/articletype/{wellness.pk}/change/", {
        "key": "wellness", "name": "Wellness",
        "required_sections": ["evidence_summary", "who_should_avoid", "when_to_seek_help", "side_effects"],
        "optional_sections": ["interactions"],
        "min_references": 2, "review_interval_months": 18,
        **review_steps_data(wellness),
    })
    assert response.status_code == 302
    wellness.refresh_from_db()
    assert "side_effects" in wellness.required_sections
    assert wellness.min_references == 2


def test_a_section_cannot_be_both_required_and_optional(client):
    login_superuser(client)
    wellness = ArticleType.objects.get(key="wellness")
    response = client.post(f"/admin/articles/articletype/{wellness.pk}/change/", {
        "key": "wellness", "name": "Wellness", "required_sections": ["side_effects"],
        "optional_sections": ["side_effects"], "min_references": 1, "review_interval_months": 24,
    })
    assert response.status_code == 200
    assert "Already required: side_effects" in response.content.decode()
