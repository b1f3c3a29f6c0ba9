"""Images in article content: stored as references, hashed, gated, revisioned and snapshotted."""
import dataclasses
import re

import pytest
from django.core.exceptions import ValidationError

from articles.content import ArticleContent
from articles.diff import diff_content
from articles.errors import GateFailed
from articles.figures import editor_html, image_refs
from articles.gate import gate_failures
from articles.models import Article, ArticleType, content_hash
from articles.sanitize import clean_html
from reviews.editing import article_revert
from articles.selectors import article_history
from reviews.workflow import article_submit
from tests.factories import (
    complete_content,
    content_of,
    edit_article,
    figure_html,
    lead,
    make_draft,
    make_image,
    make_published,
    make_writer,
)


def src_of(image, width=960, fmt=None):
    fmt = fmt or image.format
    return image.renditions.get(width=min(width, image.width), format=fmt).file.url


# --- The sanitizer keeps only references to this site's uploads ---

def test_an_uploaded_images_address_becomes_a_reference_with_alt_text_only():
    image = make_image(size=(1200, 800))
    pasted = (f'<figure class="image"><img src="{src_of(image)}" alt="A  chart of doses" width="9999" '
              f'height="1" srcset="https://evil.example/x.jpg 2x" sizes="1px" style="border:0" '
              f'onerror="alert(1)"><figcaption>Doses <b>by</b> age</figcaption></figure>')

    assert clean_html(pasted) == (f'<figure><img alt="A chart of doses" data-image="{image.key}">'
                                  "<figcaption>Doses <b>by</b> age</figcaption></figure>")


@pytest.mark.parametrize("src", [
    "https://evil.example/tracker.png",
    "//evil.example/media/images/0123456789abcdef0123456789abcdef.jpg",
    "data:image/png;base64,iVBORw0KGgo=",
    "javascript:alert(1)",
    "/media/images/../../etc/passwd",
    "/media/images/0123456789abcdef0123456789abcdef.svg",
    "/static/logo.png",
    "",
])
def test_an_image_from_anywhere_else_is_dropped(src):
    assert clean_html(f'<p>Before</p><figure><img src="{src}" alt="x"><figcaption></figcaption></figure>') == \
        "<p>Before</p>"


def test_the_stored_form_survives_a_second_cleaning_unchanged():
    image = make_image()
    stored = clean_html(f'<figure><img src="{src_of(image)}" alt="Tom &amp; Jerry say &quot;hi&quot; &gt; 2">'
                        "<figcaption>c</figcaption></figure>")

    assert clean_html(stored) == stored
    assert image_refs(stored) == [{"key": image.key, "alt": 'Tom & Jerry say "hi" > 2'}]


def test_content_naming_an_image_that_was_never_uploaded_is_refused():
    writer = make_writer()
    forged = '<p>Text</p><img alt="x" data-image="0123456789abcdef0123456789abcdef">'

    with pytest.raises(ValidationError) as caught:
        make_draft(writer, body=forged)

    assert "not one uploaded to this site" in caught.value.message_dict["body"][0]


def test_the_editor_gets_each_image_with_an_address_and_saving_takes_it_away_again():
    image = make_image(size=(1200, 800))
    stored = figure_html(image, alt="A chart")

    shown = editor_html(stored)

    assert shown == (f'<figure class="image"><img src="{src_of(image)}" alt="A chart">'
                     "<figcaption>The liver, seen from the front</figcaption></figure>")
    assert clean_html(shown) == stored


# --- Hashes ---

def test_content_without_a_lead_image_keeps_the_hash_it_had_before_images_existed():
    content = complete_content(title="A stable title")
    before_images = {
        "title": content.title, "summary": content.summary, "body": content.body,
        "article_type": content.article_type_key, "sections": content.sections,
        "references": content.references,
    }

    assert "lead_image" not in content.payload()
    assert content.hash() == content_hash(before_images)


def test_the_lead_image_and_its_alt_text_are_part_of_the_hash():
    image, other = make_image(), make_image()
    content = complete_content(lead_image=lead(image, alt="A bottle of tablets"))

    assert content.payload()["lead_image"] == {"image_id": image.pk, "alt": "A bottle of tablets",
                                               "caption": "", "credit": ""}
    assert content.hash() != dataclasses.replace(content, lead_image=lead(image, alt="Tablets")).hash()
    assert content.hash() != dataclasses.replace(content, lead_image=lead(other, alt="A bottle of tablets")).hash()
    assert content.hash() != dataclasses.replace(content, lead_image=None).hash()


def test_changing_a_body_images_alt_text_changes_the_hash():
    image = make_image()
    content = complete_content(body=figure_html(image, alt="One"))

    assert content.hash() != dataclasses.replace(content, body=figure_html(image, alt="Two")).hash()


# --- Revisions ---

def test_every_revision_records_the_lead_image_and_a_revert_brings_it_back():
    writer = make_writer()
    image = make_image(writer)
    article = make_draft(writer, lead_image=lead(image, alt="First words", credit="Photo: A. Smith"))
    first = article_history(article).first().revision_id
    edit_article(article, writer, lead_image=None)
    assert content_of(article).lead_image is None

    article_revert(article=Article.objects.get(pk=article.pk), by=writer, revision_id=first)

    restored = Article.objects.get(pk=article.pk)
    assert (restored.lead_image_id, restored.lead_image_alt, restored.lead_image_credit) == \
        (image.pk, "First words", "Photo: A. Smith")


def test_a_diff_shows_the_lead_image_and_body_images_changing():
    image = make_image()
    old = complete_content(body="<p>Intro.</p>")
    new = dataclasses.replace(old, body="<p>Intro.</p>" + figure_html(image, alt="A new chart"),
                              lead_image=lead(image, alt="A bottle"))

    diffs = {d.key: d for d in diff_content(old, new)}

    thumbnail = image.renditions.get(width=64, format="WEBP").file.url
    [lead_row] = diffs["lead_image"].rows
    assert lead_row.kind == "insert"
    assert f'<img src="{thumbnail}"' in lead_row.inline_html and "Alt text: A bottle" in lead_row.inline_html
    inserted = [row.inline_html for row in diffs["body"].rows if row.kind == "insert"]
    assert len(inserted) == 1
    assert f'<img src="{thumbnail}"' in inserted[0] and "Alt text: A new chart" in inserted[0]


# --- The gate ---

def test_the_gate_refuses_a_lead_image_without_alt_text():
    image = make_image()
    content = complete_content(lead_image=lead(image, alt="   "))

    failures = gate_failures(content, ArticleType.objects.get(key="substance"))

    assert [(f.field, f.rule) for f in failures] == [("lead_image", "image_alt_missing")]
    assert failures[0].message == ("The lead image has no alt text: describe what it shows for readers who "
                                   "cannot see it.")


def test_the_gate_refuses_each_body_and_section_image_without_alt_text_by_number():
    image = make_image()
    content = complete_content(body=figure_html(image, alt="A chart") + figure_html(image, alt=""))
    content.sections["side_effects"] += figure_html(image, alt="IMG_2041.JPG")

    failures = gate_failures(content, ArticleType.objects.get(key="substance"))

    assert [(f.field, f.message) for f in failures] == [
        ("body", "Image 2 in the body has no alt text: describe what it shows for readers who cannot see it."),
        ("side_effects", 'Image 1 in the section "Side effects" has a file name for alt text: describe what '
                         "it shows for readers who cannot see it."),
    ]


def test_the_gate_passes_images_that_are_described():
    image = make_image()
    content = complete_content(body=figure_html(image), lead_image=lead(image))

    assert gate_failures(content, ArticleType.objects.get(key="substance")) == []


def test_submission_is_refused_while_an_image_has_no_alt_text():
    writer = make_writer()
    image = make_image(writer)
    article = make_draft(writer, body=f'<p>Intro.</p><img src="{src_of(image)}">')
    assert re.search(r'<img alt="" data-image="[0-9a-f]{32}">', Article.objects.get(pk=article.pk).body)

    with pytest.raises(GateFailed) as caught:
        article_submit(article=article, by=writer)

    assert [f.rule for f in caught.value.failures] == ["image_alt_missing"]
    assert Article.objects.get(pk=article.pk).status == "draft"


# --- What readers get ---

def test_a_publication_holds_responsive_markup_and_the_lead_image_the_reviewer_approved():
    writer = make_writer()
    image = make_image(writer, size=(2000, 1000))
    article = make_published(writer, body="<p>Intro.</p>" + figure_html(image, alt="A chart of doses"),
                             lead_image=lead(image, alt="Tablets on a table", caption="Tablets", credit="CC BY 4.0"))
    publication = article.live_publication
    urls = {(r.format, r.width): r.file.url for r in image.renditions.all()}

    assert publication.lead_image == {
        "src": urls[("JPEG", 960)], "width": 960, "height": 480,
        "srcset": f'{urls[("JPEG", 480)]} 480w, {urls[("JPEG", 960)]} 960w, {urls[("JPEG", 1600)]} 1600w',
        "webp_srcset": f'{urls[("WEBP", 480)]} 480w, {urls[("WEBP", 960)]} 960w, {urls[("WEBP", 1600)]} 1600w',
        "sizes": "(min-width: 42rem) 40rem, calc(100vw - 2rem)",
        "alt": "Tablets on a table", "caption": "Tablets", "credit": "CC BY 4.0",
    }
    assert "data-image" not in publication.body
    assert f'<source type="image/webp" srcset="{publication.lead_image["webp_srcset"]}"' in publication.body
    assert re.search(r'<img src="[^"]+" srcset="[^"]+" sizes="[^"]+" width="960" height="480" '
                     r'alt="A chart of doses" loading="lazy" decoding="async">', publication.body)


def test_alt_text_is_escaped_in_the_markup_readers_get():
    writer = make_writer()
    image = make_image(writer)
    article = make_published(writer, body=clean_html(
        f'<img src="{src_of(image)}" alt="&quot; onmouseover=&quot;alert(1) <b>x</b> > 2">'))

    body = article.live_publication.body

    assert 'alt="&quot; onmouseover=&quot;alert(1) &lt;b&gt;x&lt;/b&gt; &gt; 2"' in body
    assert "<b>" not in body and ' onmouseover="' not in body
