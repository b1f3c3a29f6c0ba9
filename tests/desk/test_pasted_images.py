"""A picture pasted from another site is left out of the article, and the writer is told so."""
from django.urls import reverse

from articles.models import Article
from articles.sanitize import foreign_image_count
from tests.factories import complete_content, make_draft, make_writer


def edit_data(article, **changes) -> dict:
    content = complete_content()
    data = {"title": article.title, "summary": content.summary, "article_type": "substance", "body": content.body,
            "version": article.version, "refs-TOTAL_FORMS": "3", "refs-INITIAL_FORMS": "0",
            "refs-MIN_NUM_FORMS": "0", "refs-MAX_NUM_FORMS": "1000",
            **{f"section_{key}": html for key, html in content.sections.items()}}
    for n, reference in enumerate(content.references):
        data.update({f"refs-{n}-{name}": value for name, value in reference.items() if value is not None})
    data.update(changes)
    return data


def test_a_save_with_pictures_from_another_site_says_how_many_were_left_out(client):
    writer = make_writer()
    article = make_draft(writer)
    client.force_login(writer)
    body = ('<p>Before.</p><img src="https://elsewhere.example/pill.jpg" alt="A pill">'
            '<p>Middle.</p><IMG SRC=\'data:image/png;base64,AAAA\'><p>After.</p>')

    response = client.post(reverse("desk:edit", args=[article.pk]), edit_data(article, body=body), follow=True)

    page = response.content.decode()
    assert "2 images were left out: pasted from another site or a document" in page
    assert "<img" not in Article.objects.get(pk=article.pk).body


def test_a_save_without_foreign_pictures_says_nothing_about_images(client):
    writer = make_writer()
    article = make_draft(writer)
    client.force_login(writer)

    page = client.post(reverse("desk:edit", args=[article.pk]), edit_data(article), follow=True).content.decode()

    assert "Saved as version" in page
    assert "left out" not in page


def test_an_upload_of_this_site_is_not_counted_as_foreign():
    key = "0123456789abcdef0123456789abcdef"
    assert foreign_image_count(f'<img data-image="{key}" alt="x"><img src="http://x.test/a.png">') == 1
    assert foreign_image_count("<img" * 50_000) == 50_000  # unclosed tags: read once, each counted
