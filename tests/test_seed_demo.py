from django.contrib.auth import authenticate
from django.test import RequestFactory
from django.core.management import call_command

from articles.models import Article
from articles.sections import SECTION_KEYS


def seed(capsys):
    call_command("seed_demo", password="a-long-demo-password")
    return capsys.readouterr().out


def test_seed_demo_creates_a_login_for_every_role(capsys):
    output = seed(capsys)
    for username in ("writer", "reviewer", "editor"):
        # Logins go through django-axes, which needs the request.
        request = RequestFactory().post("/accounts/login/")
        assert authenticate(request, username=username, password="a-long-demo-password") is not None
    assert "a-long-demo-password" in output


def test_seed_demo_creates_articles_in_every_state(capsys):
    seed(capsys)
    states = set(Article.objects.values_list("status", flat=True))
    assert states == {"draft", "in_review", "published"}


def test_the_published_demo_article_has_every_section_and_five_references(capsys, client):
    seed(capsys)
    article = Article.objects.get(status="published")
    publication = article.live_publication
    assert [s["key"] for s in publication.sections] == list(SECTION_KEYS)
    assert len(publication.references) == 5
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Medically reviewed by <strong>Amira Patel, MD</strong>" in page


def test_seeding_twice_adds_nothing(capsys):
    seed(capsys)
    count = Article.objects.count()
    assert "nothing added" in seed(capsys)
    assert Article.objects.count() == count


def test_only_editors_are_staff_in_the_demo(capsys):
    from django.contrib.auth.models import User

    seed(capsys)
    staff = {user.username: user for user in User.objects.filter(is_staff=True)}
    assert set(staff) == {"editor"}
    assert staff["editor"].has_perm("articles.change_articletype")
    for username in ("writer", "writer2", "reviewer", "pharmacist"):
        assert not User.objects.get(username=username).user_permissions.exists()


def test_seeding_again_takes_the_back_office_away_from_a_writer(capsys):
    from django.contrib.auth.models import User

    seed(capsys)
    User.objects.filter(username="writer").update(is_staff=True)
    seed(capsys)
    assert not User.objects.get(username="writer").is_staff
