"""The article page: its parts in the order DESIGN.md gives, its links, and its JSON-LD."""
import datetime
import json

from django.utils import timezone

from articles.models import Article, Publication
from reviews.workflow import article_approve, article_submit
from tests.factories import (
    as_reviewed,
    ALL_YES,
    another_reviewer,
    edit_article,
    make_in_review,
    make_published,
    make_reviewer,
    make_topic,
    make_writer,
)

from .html import parse

ORDER = ("title", "summary", "byline", "reviewed-by", "dates", "body", "safety sections",
         "references", "disclaimer", "corrections")


def live(article) -> Publication:
    return Article.objects.get(pk=article.pk).live_publication


def article_html(client, article) -> str:
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def json_ld(html: str) -> dict:
    scripts = [el for el in parse(html).find_all("script") if el.attrs.get("type") == "application/ld+json"]
    assert len(scripts) == 1
    return json.loads(scripts[0].raw_text())


def test_the_page_shows_its_parts_in_the_order_the_design_gives(client):
    article = make_published()
    html = article_html(client, article)

    markers = {
        "title": "<h1>", "summary": 'class="summary"', "byline": 'class="byline"',
        "reviewed-by": 'class="reviewed-by"', "dates": 'class="dates"', "body": 'class="body"',
        "safety sections": 'class="safety-section"', "references": '<ol class="references">',
        "disclaimer": 'id="disclaimer"', "corrections": 'id="corrections"',
    }
    positions = [html.find(markers[part]) for part in ORDER]

    assert -1 not in positions, dict(zip(ORDER, positions))
    assert positions == sorted(positions)


def test_the_byline_links_each_writer_to_their_people_page(client):
    first = make_writer("wes", first_name="Wes", last_name="Tan")
    article = make_published(first)
    root = parse(article_html(client, article))

    links = root.find("p", cls="byline").find_all("a")

    assert [(a.text(), a.attrs["href"]) for a in links] == [("Wes Tan", "/people/wes/")]


def test_the_medical_reviewer_line_links_to_the_reviewers_page(client):
    reviewer = make_reviewer(first_name="Amara", last_name="Okafor", credentials="PharmD")
    article = make_published(reviewer=reviewer)
    root = parse(article_html(client, article))

    link = root.find("p", cls="reviewed-by").find("a")

    assert link.text() == "Medically reviewed by Amara Okafor, PharmD"
    assert link.attrs["href"] == f"/people/{reviewer.reviewer_profile.slug}/"
    assert client.get(link.attrs["href"]).status_code == 200


def test_the_page_shows_an_overdue_notice_once_the_next_review_date_has_passed(client, monkeypatch):
    article = make_published()
    due = live(article).next_review_due
    assert "overdue for its medical review" not in article_html(client, article)

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: due + datetime.timedelta(days=1))
    html = article_html(client, article)

    assert "overdue for its medical review" in html
    assert f"was due on {due.day} {due:%B %Y}" in html


def test_the_page_has_no_overdue_notice_on_the_due_date_itself(client, monkeypatch):
    article = make_published()
    due = live(article).next_review_due
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: due)

    assert "overdue for its medical review" not in article_html(client, article)


def test_the_corrections_log_says_there_are_none_when_the_list_is_empty(client):
    root = parse(article_html(client, make_published()))

    corrections = root.find("section", id="corrections")

    assert corrections.find("h2").text() == "Corrections"
    assert "No corrections have been made to this article." in corrections.text()


def test_the_page_links_the_topics_it_was_filed_under(client):
    sleep, supplements = make_topic("Sleep"), make_topic("Supplements")
    article = make_published(topics=[supplements, sleep])
    root = parse(article_html(client, article))

    links = root.find("footer", cls="article-topics").find_all("a")

    assert [(a.text(), a.attrs["href"]) for a in links] == [
        ("Sleep", "/topics/sleep/"), ("Supplements", "/topics/supplements/")]


# --- JSON-LD ---

def test_the_json_ld_states_what_the_reader_sees(client):
    writer = make_writer("wes", first_name="Wes", last_name="Tan")
    reviewer = make_reviewer(first_name="Amara", last_name="Okafor", credentials="PharmD")
    article = make_published(writer, reviewer=reviewer, references=[
        {"title": "First trial", "doi": "10.1000/first.trial", "pmid": "1111111"},
        {"title": "Second review", "url": "https://example.org/review"},
        {"title": "Third cohort", "pmid": "3333333"},
    ])
    html = article_html(client, article)
    root, data = parse(html), json_ld(html)
    dates = {dt.text(): dd.find("time").attrs["datetime"]
             for dt, dd in zip(root.find("dl", cls="dates").find_all("dt"),
                               root.find("dl", cls="dates").find_all("dd"))}
    reviewed_by = root.find("p", cls="reviewed-by").find("a")
    reviewer_shown = reviewed_by.find("strong").text()
    authors = root.find("p", cls="byline").find_all("a")
    references = root.find("ol", cls="references").find_all("li")

    assert data["@type"] == "MedicalWebPage"
    assert data["headline"] == root.find("h1").text()
    assert data["description"] == root.find("p", cls="summary").text()
    assert f'{data["reviewedBy"]["name"]}, {data["reviewedBy"]["honorificSuffix"]}' == reviewer_shown
    assert data["reviewedBy"]["url"].endswith(reviewed_by.attrs["href"])
    assert [(a["name"], a["url"].split("testserver", 1)[1]) for a in data["author"]] == [
        (a.text(), a.attrs["href"]) for a in authors]
    assert data["datePublished"] == dates["Published"]
    assert data["dateModified"] == dates["Updated"]
    assert data["lastReviewed"] == dates["Last reviewed"]
    # Each numbered reference reads "Title. DOI: ... PMID: ...": its title is the text before the first full stop.
    assert [c["name"] for c in data["citation"]] == [li.text().split(".")[0] for li in references]
    visible_links = [{a.attrs["href"] for a in li.find_all("a")} for li in references]
    cited_links = [{c.get("url"), *c.get("sameAs", [])} - {None} for c in data["citation"]]
    assert cited_links == visible_links


def test_the_json_ld_names_the_citations_in_the_order_the_page_numbers_them(client):
    article = make_published(references=[{"title": f"Study number {n}", "doi": f"10.1000/s.{n}"} for n in range(1, 6)])
    html = article_html(client, article)

    titles = [li.text().split(".")[0] for li in parse(html).find("ol", cls="references").find_all("li")]

    assert [c["name"] for c in json_ld(html)["citation"]] == titles == [f"Study number {n}" for n in range(1, 6)]


def test_the_json_ld_follows_a_new_approval_with_the_dates_the_page_shows(client, monkeypatch):
    writer = make_writer()
    real_now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real_now() - datetime.timedelta(days=40))
    article = make_published(writer, title="First title")
    monkeypatch.setattr(timezone, "now", real_now)
    edit_article(article, writer, title="Second title")
    article_submit(article=Article.objects.get(pk=article.pk), by=writer)
    article_approve(**as_reviewed(Article.objects.get(pk=article.pk)), by=another_reviewer(), checklist=dict(ALL_YES),
                    rating=4)
    html = article_html(client, article)
    dates = {dt.text(): dd.find("time").attrs["datetime"]
             for dt, dd in zip(parse(html).find_all("dt"), parse(html).find_all("dd"))}

    data = json_ld(html)

    assert data["headline"] == "Second title"
    assert dates["Published"] != dates["Updated"]
    assert (data["datePublished"], data["dateModified"], data["lastReviewed"]) == (
        dates["Published"], dates["Updated"], dates["Last reviewed"])


def test_a_title_that_tries_to_close_the_json_ld_script_stays_data(client):
    title = '</script><script>alert("x")</script> Kava & co'
    article = make_published(title=title)
    html = article_html(client, article)

    assert '</script><script>alert("x")' not in html
    assert json_ld(html)["headline"] == title


def test_the_preview_of_a_submission_has_no_json_ld_no_review_line_and_no_canonical_link(client):
    writer = make_writer()
    article = make_in_review(writer)
    client.force_login(writer)

    html = client.get(f"/editorial/articles/{article.pk}/preview/").content.decode()

    assert "application/ld+json" not in html
    assert "Medically reviewed by" not in html
    assert 'rel="canonical"' not in html
    assert "Preview of the submitted version" in html
