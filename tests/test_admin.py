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


def test_an_editor_changes_required_sections_in_the_admin(client):
    login_superuser(client)
    wellness = ArticleType.objects.get(key="wellness")
    response = client.post(f"/admin/articles/articletype/{wellness.pk}/change/", {
        "key": "wellness", "name": "Wellness",
        "required_sections": ["evidence_summary", "who_should_avoid", "when_to_seek_help", "side_effects"],
        "optional_sections": ["interactions"],
        "min_references": 2, "review_interval_months": 18,
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
