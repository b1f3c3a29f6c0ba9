"""Images on the public page: responsive renditions, width and height, and the approved alt text."""
import re

from tests.factories import edit_article, figure_html, lead, make_image, make_published, make_writer


def published_with_images(**lead_words):
    writer = make_writer()
    photo = make_image(writer, size=(2400, 1600), name="tablets.jpg")
    diagram = make_image(writer, fmt="PNG", size=(700, 500), name="liver.png")
    article = make_published(
        writer,
        body="<p>Intro.</p>" + figure_html(diagram, alt="Diagram of the liver and its blood supply",
                                           caption="Where the liver sits"),
        lead_image=lead(photo, alt="White tablets spilling from a brown bottle", **lead_words),
    )
    return article, photo, diagram


def img_tags(html: str) -> list[str]:
    return re.findall(r"<img\b[^>]*>", html)


def test_the_page_serves_responsive_renditions_with_srcset_sizes_width_height_and_alt_text(client):
    article, photo, diagram = published_with_images(caption="Tablets", credit="Photo: A. Smith, CC BY 4.0")
    html = client.get(article.get_absolute_url()).content.decode()
    photo_urls = {(r.format, r.width): r.file.url for r in photo.renditions.all()}
    diagram_urls = {(r.format, r.width): r.file.url for r in diagram.renditions.all()}

    lead_figure = re.search(r'<figure class="lead-image">.*?</figure>', html, re.DOTALL).group(0)
    assert (f'<source type="image/webp" srcset="{photo_urls[("WEBP", 480)]} 480w, {photo_urls[("WEBP", 960)]} 960w, '
            f'{photo_urls[("WEBP", 1600)]} 1600w" sizes="(min-width: 42rem) 40rem, calc(100vw - 2rem)">') in lead_figure
    assert (f'<img src="{photo_urls[("JPEG", 960)]}" srcset="{photo_urls[("JPEG", 480)]} 480w, '
            f'{photo_urls[("JPEG", 960)]} 960w, {photo_urls[("JPEG", 1600)]} 1600w"') in lead_figure
    assert 'width="960" height="640" alt="White tablets spilling from a brown bottle" fetchpriority="high"' in lead_figure
    assert "<figcaption>Tablets <span class=\"credit\">Photo: A. Smith, CC BY 4.0</span></figcaption>" in lead_figure

    assert f'srcset="{diagram_urls[("WEBP", 480)]} 480w, {diagram_urls[("WEBP", 700)]} 700w"' in html
    assert (f'<img src="{diagram_urls[("PNG", 700)]}" srcset="{diagram_urls[("PNG", 480)]} 480w, '
            f'{diagram_urls[("PNG", 700)]} 700w"') in html
    assert "<figcaption>Where the liver sits</figcaption>" in html

    tags = img_tags(html)
    assert len(tags) == 2
    for tag in tags:
        assert re.search(r' width="\d+" height="\d+"', tag), tag
        assert re.search(r' alt="[^"]+"', tag), tag
        assert " srcset=" in tag and " sizes=" in tag, tag


def test_readers_keep_the_approved_image_while_a_new_draft_changes_it(client):
    article, photo, _ = published_with_images()
    replacement = make_image(article.authors.first())

    edit_article(article, article.authors.first(), lead_image=lead(replacement, alt="Something else entirely"))
    html = client.get(article.get_absolute_url()).content.decode()

    assert "White tablets spilling from a brown bottle" in html
    assert "Something else entirely" not in html and replacement.key not in html


def test_an_article_without_images_shows_no_figure(client):
    article = make_published()

    html = client.get(article.get_absolute_url()).content.decode()

    assert "lead-image" not in html and "<img" not in html


def test_images_add_no_queries_to_the_article_page(client, django_assert_max_num_queries):
    article, _, _ = published_with_images()

    with django_assert_max_num_queries(4):
        response = client.get(article.get_absolute_url())

    assert response.status_code == 200


def test_the_preview_shows_the_working_copys_images(client):
    article, photo, _ = published_with_images()
    writer = article.authors.first()
    replacement = make_image(writer, size=(600, 300))
    edit_article(article, writer, lead_image=lead(replacement, alt="The draft's new picture"))
    client.force_login(writer)

    html = client.get(f"/editorial/articles/{article.pk}/preview/").content.decode()

    assert 'alt="The draft&#x27;s new picture"' in html
    assert replacement.renditions.get(width=600, format="JPEG").file.url in html
