"""What readers see: only publications, with who reviewed them and when."""
import re

import pytest
from django.utils import dateformat, timezone

from articles.models import Article
from articles.sections import SECTIONS_BY_KEY
from reviews.workflow import article_submit, article_unpublish, article_withdraw
from tests.factories import (
    another_reviewer,
    complete_content,
    edit_article,
    make_draft,
    make_editor,
    make_in_review,
    make_published,
    make_reviewer,
    make_writer,
)

# DESIGN.md's table order: the order readers meet the safety sections in.
READING_ORDER = (
    "evidence_summary", "side_effects", "interactions", "who_should_avoid", "dependence_withdrawal",
    "overdose_toxicity", "legal_status", "dosing_statement", "alternatives", "when_to_seek_help",
)


def page(client, slug):
    return client.get(f"/articles/{slug}/")


def unpublished_article(title):
    article = make_published(title=title, reviewer=another_reviewer())
    article_unpublish(article=article, by=make_editor(), reason="Withdrawn pending a new review")
    return article


def withdrawn_article(title):
    article = make_in_review(title=title)
    return article_withdraw(article=article, by=article.authors.first())


# --- Nothing unreviewed reaches readers ---

@pytest.mark.parametrize("make", [make_draft, make_in_review, unpublished_article, withdrawn_article],
                         ids=["draft", "in_review", "unpublished", "withdrawn"])
def test_an_unreviewed_article_answers_exactly_like_a_slug_that_never_existed(client, make):
    article = make(title="Secret unreviewed dosing advice")
    missing = page(client, "no-such-article-ever")

    response = page(client, article.slug)

    assert response.status_code == missing.status_code == 404
    assert "Secret unreviewed dosing advice" not in response.content.decode()
    assert response.content.decode().replace(article.slug, "SLUG") == \
        missing.content.decode().replace("no-such-article-ever", "SLUG")


def test_an_author_signed_in_still_gets_404_on_the_public_page_of_their_draft(client):
    writer = make_writer()
    article = make_draft(writer, title="My unfinished draft")
    client.force_login(writer)

    response = page(client, article.slug)

    assert response.status_code == 404
    assert "My unfinished draft" not in response.content.decode()


# --- The published page ---

def test_the_page_names_the_medical_reviewer_with_credentials(client):
    article = make_published(reviewer=make_reviewer(first_name="Amara", last_name="Okafor", credentials="PharmD"))

    html = page(client, article.slug).content.decode()

    assert re.search(r"Medically reviewed by\s*(<[^>]+>\s*)*Amara Okafor, PharmD", html)


def test_the_page_names_the_writer(client):
    article = make_published(make_writer(first_name="Wes", last_name="Tan"))

    assert "Wes Tan" in page(client, article.slug).content.decode()


def test_the_page_shows_the_published_last_reviewed_and_next_review_dates(client):
    article = make_published(type_key="substance")
    publication = Article.objects.get(pk=article.pk).live_publication
    reviewed = timezone.localtime(publication.reviewed_at).date()

    html = page(client, article.slug).content.decode()

    for label in ("Published", "Last reviewed", "Next review due"):
        assert label in html
    assert dateformat.format(reviewed, "j F Y") in html
    assert dateformat.format(publication.next_review_due, "j F Y") in html
    assert f'datetime="{publication.next_review_due:%Y-%m-%d}"' in html


def test_the_page_shows_every_safety_section_heading_in_the_fixed_order(client):
    shuffled = dict(reversed(list(complete_content().sections.items())))
    article = make_published(sections=shuffled)

    html = page(client, article.slug).content.decode()

    positions = [html.find(f"<h2>{SECTIONS_BY_KEY[key].title}</h2>") for key in READING_ORDER]
    assert -1 not in positions
    assert positions == sorted(positions)


def test_the_page_leaves_out_headings_of_sections_the_article_does_not_have(client):
    sections = {k: v for k, v in complete_content().sections.items() if k != "alternatives"}
    article = make_published(sections=sections)

    assert f"<h2>{SECTIONS_BY_KEY['alternatives'].title}</h2>" not in page(client, article.slug).content.decode()


def test_the_page_numbers_references_with_doi_and_pmid_links(client):
    article = make_published(references=[
        {"title": "First trial", "doi": "10.1000/first.trial", "pmid": "1111111"},
        {"title": "Second review", "doi": "10.1000/second.review"},
        {"title": "Third cohort", "pmid": "3333333"},
    ])

    html = page(client, article.slug).content.decode()

    references = html[html.index('<ol class="references">'):]
    assert [references.index(t) for t in ("First trial", "Second review", "Third cohort")] == sorted(
        references.index(t) for t in ("First trial", "Second review", "Third cohort"))
    assert 'href="https://doi.org/10.1000/first.trial"' in html
    assert 'href="https://doi.org/10.1000/second.review"' in html
    assert 'href="https://pubmed.ncbi.nlm.nih.gov/1111111/"' in html
    assert 'href="https://pubmed.ncbi.nlm.nih.gov/3333333/"' in html
    assert 'id="ref-3"' in html


def test_the_page_shows_the_approved_snapshot_not_later_edits(client):
    writer = make_writer()
    article = make_published(writer, title="Approved title", body="<p>Approved body text.</p>")
    edit_article(article, writer, title="Unreviewed title", body="<p>Unreviewed body text.</p>")

    html = page(client, article.slug).content.decode()

    assert "Approved title" in html and "Approved body text." in html
    assert "Unreviewed title" not in html and "Unreviewed body text." not in html


def test_the_page_keeps_showing_the_snapshot_while_the_next_revision_is_in_review(client):
    writer = make_writer()
    article = make_published(writer, title="Approved title")
    edit_article(article, writer, title="Title under review")
    article_submit(article=article, by=writer)

    html = page(client, article.slug).content.decode()

    assert "Approved title" in html
    assert "Title under review" not in html


# --- Escaping ---

def test_a_title_with_a_script_tag_is_shown_escaped(client):
    article = make_published(title='<script>alert("x")</script> Kava',
                             summary='<img src=x onerror="alert(1)"> A summary.')

    html = page(client, article.slug).content.decode()

    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Kava" in html
    assert "<img src=x" not in html


def test_a_reference_title_with_markup_is_shown_escaped(client):
    article = make_published(type_key="condition", references=[{"title": "<b>Bold</b> claims", "doi": "10.1000/x"}])

    html = page(client, article.slug).content.decode()

    assert "&lt;b&gt;Bold&lt;/b&gt; claims" in html


def test_the_home_page_escapes_titles(client):
    make_published(title="<script>alert(1)</script> Kava")

    assert "<script>alert(1)</script>" not in client.get("/").content.decode()


# --- Speed ---

def test_the_article_page_needs_at_most_four_queries(client, django_assert_max_num_queries):
    article = make_published()

    with django_assert_max_num_queries(4):
        response = page(client, article.slug)

    assert response.status_code == 200


def test_the_home_page_needs_at_most_four_queries(client, django_assert_max_num_queries):
    for _ in range(3):
        make_published(reviewer=another_reviewer())

    with django_assert_max_num_queries(4):
        response = client.get("/")

    assert response.status_code == 200


# --- Health and home ---

def test_healthz_answers_ok(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_the_home_page_lists_only_live_publications(client):
    make_published(title="Live and reviewed")
    make_draft(title="Still a draft")
    make_in_review(title="Waiting for review")
    unpublished_article("Taken down")

    html = client.get("/").content.decode()

    assert "Live and reviewed" in html
    for title in ("Still a draft", "Waiting for review", "Taken down"):
        assert title not in html


def test_the_home_page_lists_the_approved_title_not_a_later_edit(client):
    writer = make_writer()
    article = make_published(writer, title="Approved title")
    edit_article(article, writer, title="Unreviewed title")

    html = client.get("/").content.decode()

    assert "Approved title" in html
    assert "Unreviewed title" not in html
