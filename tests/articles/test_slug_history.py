"""Slugs: editable on the edit form; after publication the new one reaches readers with the next
approval, and every former slug then redirects permanently to the current address."""
import pytest
from django.test import Client
from django.urls import reverse

from articles.models import Article, ArticleSlugHistory
from articles.services import unique_slug
from reviews.workflow import article_approve, article_submit
from tests.desk.test_editorial_views import editor_post
from tests.factories import ALL_YES, another_reviewer, as_reviewed, make_draft, make_published, make_writer


def address(slug: str) -> str:
    return reverse("public:detail", kwargs={"slug": slug})


def change_slug(client, article, slug):
    article.refresh_from_db()
    return client.post(reverse("desk:edit", args=[article.pk]), editor_post(article, slug=slug))


def approve_again(article) -> Article:
    article.refresh_from_db()
    article_submit(article=article, by=article.authors.first())
    article_approve(**as_reviewed(article), by=another_reviewer(), checklist=dict(ALL_YES), rating=4)
    article.refresh_from_db()
    return article


@pytest.fixture
def reader():
    return Client()


def test_the_edit_form_shows_the_slug(client):
    article = make_draft(title="Valerian for sleep")
    client.force_login(article.authors.first())
    page = client.get(reverse("desk:edit", args=[article.pk])).content.decode()
    assert 'name="slug"' in page and f'value="{article.slug}"' in page


def test_a_slug_change_before_publication_moves_the_draft_and_frees_the_old_slug(client):
    article = make_draft(title="Valerian for sleep")
    old = article.slug
    client.force_login(article.authors.first())
    response = change_slug(client, article, "valerian-root")
    article.refresh_from_db()
    assert response.status_code == 302
    assert article.slug == "valerian-root"
    assert not ArticleSlugHistory.objects.exists()  # no reader ever had the old one
    assert make_draft(title="Valerian for sleep").slug == old


def test_a_blank_slug_on_the_form_keeps_the_slug(client):
    article = make_draft(title="Valerian for sleep")
    client.force_login(article.authors.first())
    change_slug(client, article, "")
    assert Article.objects.get(pk=article.pk).slug == article.slug


def test_a_slug_change_after_publication_redirects_the_old_address_301_once_approved(client, reader):
    article = make_published(title="Valerian for sleep")
    old = article.slug
    assert reader.get(address(old)).status_code == 200  # the page is in the cache now
    client.force_login(article.authors.first())
    assert change_slug(client, article, "valerian-root").status_code == 302

    # Readers keep the approved address until the new draft is approved: the publication holds it.
    assert reader.get(address(old)).status_code == 200
    assert reader.get(address("valerian-root")).status_code == 404
    assert list(ArticleSlugHistory.objects.values_list("slug", flat=True)) == [old]

    approve_again(article)
    moved = reader.get(address(old))
    assert moved.status_code == 301
    assert moved["Location"] == address("valerian-root")
    assert "max-age" in moved["Cache-Control"]
    assert reader.get(address("valerian-root")).status_code == 200


def test_the_sitemap_lists_only_the_new_address_after_the_change_is_approved(client, reader):
    article = make_published(title="Valerian for sleep")
    old = article.slug
    client.force_login(article.authors.first())
    change_slug(client, article, "valerian-root")
    approve_again(article)
    sitemap = reader.get("/sitemap-articles-1.xml").content.decode()
    assert address("valerian-root") in sitemap
    assert address(old) not in sitemap


def test_every_former_slug_redirects_to_the_current_address(client, reader):
    article = make_published(title="Valerian for sleep")
    first = article.slug
    client.force_login(article.authors.first())
    change_slug(client, article, "valerian-root")
    approve_again(article)
    change_slug(client, article, "valerian-root-and-sleep")
    approve_again(article)
    for former in (first, "valerian-root"):
        response = reader.get(address(former))
        assert (response.status_code, response["Location"]) == (301, address("valerian-root-and-sleep"))


def test_a_slug_never_published_leaves_no_redirect_behind(client, reader):
    article = make_published(title="Valerian for sleep")
    old = article.slug
    client.force_login(article.authors.first())
    change_slug(client, article, "valerian-draft-name")
    change_slug(client, article, "valerian-root")
    approve_again(article)
    assert list(ArticleSlugHistory.objects.values_list("slug", flat=True)) == [old]
    assert reader.get(address("valerian-draft-name")).status_code == 404


def test_an_unpublished_articles_former_slug_answers_404(client, reader):
    from reviews.workflow import article_unpublish
    from tests.factories import make_editor

    article = make_published(title="Valerian for sleep")
    old = article.slug
    client.force_login(article.authors.first())
    change_slug(client, article, "valerian-root")
    article = approve_again(article)
    article_unpublish(article=article, by=make_editor(), reason="Withdrawn for a safety review.")
    assert reader.get(address(old)).status_code == 404


def test_a_slug_taken_by_another_article_is_refused_with_the_typed_value_kept(client):
    make_draft(title="Kava and anxiety")
    article = make_draft(title="Valerian for sleep")
    client.force_login(article.authors.first())
    response = change_slug(client, article, "kava-and-anxiety")
    page = response.content.decode()
    assert response.status_code == 200
    assert "is the address of another article; choose another." in page
    assert 'value="kava-and-anxiety"' in page
    assert Article.objects.get(pk=article.pk).slug == article.slug


def test_another_articles_former_slug_is_refused_and_never_given_to_a_new_article(client):
    kava = make_published(title="Kava and anxiety")
    old = kava.slug
    client.force_login(kava.authors.first())
    change_slug(client, kava, "kava")
    article = make_draft(kava.authors.first(), title="Valerian for sleep")
    page = change_slug(client, article, old).content.decode()
    assert "was the address of another article and still leads readers to it" in page
    assert unique_slug("Kava and anxiety") == f"{old}-2"


def test_an_article_may_take_back_its_own_former_slug(client, reader):
    article = make_published(title="Valerian for sleep")
    old = article.slug
    client.force_login(article.authors.first())
    change_slug(client, article, "valerian-root")
    approve_again(article)
    assert change_slug(client, article, old).status_code == 302
    approve_again(article)
    assert list(ArticleSlugHistory.objects.values_list("slug", flat=True)) == ["valerian-root"]
    assert reader.get(address(old)).status_code == 200
    assert reader.get(address("valerian-root"))["Location"] == address(old)


def test_a_malformed_slug_is_refused_on_the_form(client):
    article = make_draft(title="Valerian for sleep")
    client.force_login(article.authors.first())
    response = change_slug(client, article, "Not a slug!")
    assert response.status_code == 200 and 'value="Not a slug!"' in response.content.decode()


def test_the_redirect_costs_two_queries(reader, django_assert_max_num_queries):
    article = make_published(title="Valerian for sleep")
    old = article.slug
    writer = make_writer("second_writer")
    article.authors.add(writer)
    client = Client()
    client.force_login(writer)
    change_slug(client, article, "valerian-root")
    approve_again(article)
    reader.get(address(old))
    with django_assert_max_num_queries(2):
        assert reader.get(address(old)).status_code == 301
