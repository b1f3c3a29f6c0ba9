"""The public pages around the articles: home, topics, people, search, feed, sitemap, robots, errors."""
import xml.etree.ElementTree as ET

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory
from django.views.defaults import server_error

from articles.models import Article
from reviews.models import ReviewerProfile
from reviews.workflow import article_unpublish
from tests.factories import (
    another_reviewer,
    edit_article,
    make_draft,
    make_editor,
    make_published,
    make_reviewer,
    make_topic,
    make_user,
    make_writer,
)

from .html import parse


def titles_on(html: str) -> list[str]:
    return [card.find("h2").text() for card in parse(html).find_all("article", cls="card")]


def unpublish(article):
    article_unpublish(article=Article.objects.get(pk=article.pk), by=make_editor(), reason="Withdrawn")


# --- Home ---

def test_the_home_page_lists_the_latest_articles_newest_first(client):
    for title in ("Older article", "Middle article", "Newest article"):
        make_published(title=title, reviewer=another_reviewer())

    assert titles_on(client.get("/").content.decode()) == ["Newest article", "Middle article", "Older article"]


def test_the_home_page_links_every_topic(client):
    make_topic("Sleep")
    make_topic("Heart health")

    links = parse(client.get("/").content.decode()).find("section", id="topics").find_all("a")

    assert [(a.text(), a.attrs["href"]) for a in links] == [
        ("Heart health", "/topics/heart-health/"), ("Sleep", "/topics/sleep/")]


# --- Topics ---

def test_a_topic_page_lists_the_live_articles_filed_under_it(client):
    sleep, heart = make_topic("Sleep", "Sleeping well and sleep problems."), make_topic("Heart health")
    make_published(title="Melatonin", topics=[sleep], reviewer=another_reviewer())
    make_published(title="Statins", topics=[heart], reviewer=another_reviewer())
    make_published(title="Magnesium", topics=[sleep, heart], reviewer=another_reviewer())
    make_draft(title="Draft about sleep", topics=[sleep])

    html = client.get("/topics/sleep/").content.decode()

    assert parse(html).find("h1").text() == "Sleep"
    assert "Sleeping well and sleep problems." in html
    assert titles_on(html) == ["Magnesium", "Melatonin"]


def test_a_topic_page_follows_the_published_snapshot_not_the_working_copy(client):
    sleep, heart = make_topic("Sleep"), make_topic("Heart health")
    writer = make_writer()
    article = make_published(writer, title="Melatonin", topics=[sleep])
    from reviews.editing import article_update
    from tests.factories import content_of

    current = Article.objects.get(pk=article.pk)
    article_update(article=current, by=writer, expected_version=current.version, content=content_of(current),
                   topics=[heart])

    assert titles_on(client.get("/topics/sleep/").content.decode()) == ["Melatonin"]
    assert titles_on(client.get("/topics/heart-health/").content.decode()) == []


def test_a_topic_page_leaves_out_unpublished_articles(client):
    sleep = make_topic("Sleep")
    article = make_published(title="Melatonin", topics=[sleep])
    unpublish(article)

    assert titles_on(client.get("/topics/sleep/").content.decode()) == []


def test_an_unknown_topic_answers_404(client):
    assert client.get("/topics/no-such-topic/").status_code == 404


def test_a_long_topic_is_split_into_pages(client):
    sleep = make_topic("Sleep")
    reviewer = another_reviewer()
    for n in range(22):
        make_published(title=f"Sleep article {n:02d}", topics=[sleep], reviewer=reviewer)

    first = client.get("/topics/sleep/").content.decode()
    second = client.get("/topics/sleep/?page=2").content.decode()

    assert len(titles_on(first)) == 20 and len(titles_on(second)) == 2
    assert 'href="?page=2"' in first


# --- People ---

def test_a_writers_page_lists_what_they_wrote(client):
    writer = make_writer("wes", first_name="Wes", last_name="Tan")
    make_published(writer, title="Melatonin")
    make_published(writer, title="Magnesium", reviewer=another_reviewer())
    make_draft(writer, title="Unfinished draft")

    root = parse(client.get("/people/wes/").content.decode())

    assert root.find("h1").text() == "Wes Tan"
    assert [a.text() for a in root.find("section", **{"aria-labelledby": "written-heading"}).find_all("a")] == [
        "Magnesium", "Melatonin"]
    assert "Unfinished draft" not in root.text()


def test_a_writers_page_lists_what_they_wrote_twenty_to_a_page_with_the_count(client):
    writer = make_writer("wes", first_name="Wes", last_name="Tan")
    reviewer = another_reviewer()
    for n in range(23):
        make_published(writer, reviewer, title=f"Article number {n:02d}")

    def listed(path):
        section = parse(client.get(path).content.decode()).find("section", **{"aria-labelledby": "written-heading"})
        return section, [a.text() for a in section.find("ul", cls="person-articles").find_all("a")]

    first, on_first = listed("/people/wes/")
    second, on_second = listed("/people/wes/?written=2")

    assert "(23)" in first.find("h2").text()
    assert on_first == [f"Article number {n:02d}" for n in range(22, 2, -1)]
    assert on_second == ["Article number 02", "Article number 01", "Article number 00"]
    assert "?written=2" in first.find("a", rel="next").attrs["href"]


def test_a_reviewers_list_pages_on_its_own_keeping_the_writers_page(client):
    reviewer = another_reviewer()
    writer = make_writer("wes")
    for n in range(21):
        make_published(writer, reviewer, title=f"Reviewed article {n:02d}")
    path = f"/people/{reviewer.reviewer_profile.slug}/"

    html = client.get(f"{path}?reviewed=2").content.decode()

    section = parse(html).find("section", **{"aria-labelledby": "reviewed-heading"})
    assert [a.text() for a in section.find("ul", cls="person-articles").find_all("a")] == ["Reviewed article 00"]
    assert "(21)" in section.find("h2").text()


def test_a_reviewers_page_shows_credentials_specialty_bio_and_what_they_reviewed(client):
    reviewer = make_reviewer(first_name="Amara", last_name="Okafor", credentials="PharmD")
    ReviewerProfile.objects.filter(user=reviewer).update(bio="Clinical pharmacist <b>and</b> teacher.")
    make_published(title="Melatonin", reviewer=reviewer)

    response = client.get(f"/people/{reviewer.reviewer_profile.slug}/")
    root = parse(response.content.decode())

    assert root.find("h1").text() == "Amara Okafor, PharmD"
    assert "Medical reviewer, General practice" in root.find("p", cls="person-roles").text()
    assert "Clinical pharmacist &lt;b&gt;and&lt;/b&gt; teacher." in response.content.decode()
    assert [a.text() for a in root.find("section", **{"aria-labelledby": "reviewed-heading"}).find_all("a")] == [
        "Melatonin"]


def test_a_reviewers_username_address_redirects_to_their_profile_address(client):
    reviewer = make_reviewer("rosei")
    make_published(reviewer=reviewer)

    response = client.get("/people/rosei/")

    assert response.status_code == 302
    assert response["Location"] == f"/people/{reviewer.reviewer_profile.slug}/"


def test_a_person_named_by_no_live_publication_answers_like_a_name_never_used(client):
    make_editor("elena")
    writer = make_writer("drafty")
    make_draft(writer, title="Only a draft")
    unpublished_writer = make_writer("gone")
    unpublish(make_published(unpublished_writer))
    never = client.get("/people/nobody-at-all/")

    for username in ("elena", "drafty", "gone"):
        response = client.get(f"/people/{username}/")
        assert response.status_code == never.status_code == 404
        assert response.content.decode().replace(username, "X") == never.content.decode().replace(
            "nobody-at-all", "X")


def test_a_new_reviewer_profile_never_takes_another_persons_username_as_its_address(client):
    make_writer("rita-osei")
    reviewer = make_reviewer(first_name="Rita", last_name="Osei")

    assert reviewer.reviewer_profile.slug == "rita-osei-2"


def test_a_username_with_characters_a_slug_cannot_hold_still_gets_a_page(client):
    writer = make_writer("wes.tan@example")
    article = make_published(writer)
    html = client.get(article.get_absolute_url()).content.decode()
    href = parse(html).find("p", cls="byline").find("a").attrs["href"]

    assert client.get(href).status_code == 200


# --- Search ---

def test_search_finds_live_articles_by_a_word_of_their_title_or_body(client):
    # "insomnia" is in no section the factory writes: only these titles and bodies hold it.
    make_published(title="Melatonin for insomnia", reviewer=another_reviewer())
    make_published(title="Statins", body="<p>Statins lower cholesterol; some people report insomnia.</p>",
                   reviewer=another_reviewer())
    make_published(title="Vitamin D", reviewer=another_reviewer())

    found = titles_on(client.get("/search/", {"q": "insomnia"}).content.decode())

    assert sorted(found) == ["Melatonin for insomnia", "Statins"]


def test_search_ranks_a_title_match_above_a_body_match(client):
    make_published(title="Melatonin for insomnia", reviewer=another_reviewer())
    make_published(title="Statins", body="<p>Some people on statins report insomnia.</p>",
                   reviewer=another_reviewer())  # newer, so only ranking puts it second

    assert titles_on(client.get("/search/", {"q": "insomnia"}).content.decode()) == [
        "Melatonin for insomnia", "Statins"]


def test_search_needs_every_word(client):
    make_published(title="Melatonin for insomnia", reviewer=another_reviewer())
    make_published(title="Melatonin for jet lag", reviewer=another_reviewer())

    assert titles_on(client.get("/search/", {"q": "melatonin insomnia"}).content.decode()) == [
        "Melatonin for insomnia"]


def test_search_never_finds_drafts_unpublished_articles_or_unreviewed_edits(client):
    writer = make_writer()
    make_draft(writer, title="Kava draft")
    unpublish(make_published(title="Kava withdrawn", reviewer=another_reviewer()))
    live = make_published(writer, title="Sleep basics", reviewer=another_reviewer())
    edit_article(live, writer, title="Kava edit under way")

    html = client.get("/search/", {"q": "kava"}).content.decode()

    assert titles_on(html) == []
    assert "No articles found for “kava”." in html


def test_search_without_words_shows_the_form_and_no_results(client):
    make_published(title="Melatonin for sleep")

    html = client.get("/search/", {"q": "   "}).content.decode()

    assert 'id="search-q"' in html and titles_on(html) == []


def test_search_escapes_the_query_it_repeats(client):
    html = client.get("/search/", {"q": '<script>alert("x")</script>'}).content.decode()

    assert '<script>alert("x")</script>' not in html
    assert "&lt;script&gt;" in html


@pytest.mark.postgres
def test_postgres_search_matches_other_forms_of_a_word(client):
    assert connection.vendor == "postgresql"
    make_published(title="Sleeping tablets", reviewer=another_reviewer())

    assert titles_on(client.get("/search/", {"q": "sleep"}).content.decode()) == ["Sleeping tablets"]


@pytest.mark.postgres
def test_postgres_search_does_not_match_words_inside_html_tags(client):
    make_published(title="Vitamin D", body="<p><strong>Sunlight</strong> helps.</p>", reviewer=another_reviewer())

    assert titles_on(client.get("/search/", {"q": "strong"}).content.decode()) == []


# --- Feed, sitemap, robots ---

def test_the_feed_lists_live_articles_with_their_links_and_summaries(client):
    article = make_published(title="Melatonin for sleep", summary="What melatonin does.", reviewer=another_reviewer())
    unpublish(make_published(title="Withdrawn article", reviewer=another_reviewer()))

    response = client.get("/feed/")
    channel = ET.fromstring(response.content).find("channel")

    assert response["Content-Type"].startswith("application/rss+xml")
    items = channel.findall("item")
    assert [item.findtext("title") for item in items] == ["Melatonin for sleep"]
    assert items[0].findtext("link") == f"http://testserver{article.get_absolute_url()}"
    assert items[0].findtext("description") == "What melatonin does."


SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def test_the_sitemap_lists_articles_topics_and_people_with_lastmod(client):
    sleep = make_topic("Sleep")
    writer = make_writer("wes")
    reviewer = make_reviewer()
    article = make_published(writer, reviewer=reviewer, topics=[sleep])
    make_draft(title="A draft")
    publication = Article.objects.get(pk=article.pk).live_publication

    # /sitemap.xml is an index of child sitemaps (tests/public/test_sitemap_index.py); together
    # they list every page.
    index = ET.fromstring(client.get("/sitemap.xml").content)
    children = [loc.text.split("testserver", 1)[1] for loc in index.iter(f"{SITEMAP}loc")]
    assert children == ["/sitemap-articles-1.xml", "/sitemap-topics.xml", "/sitemap-people.xml"]
    urls = {url.findtext(f"{SITEMAP}loc").split("testserver", 1)[1]: url.findtext(f"{SITEMAP}lastmod")
            for child in children for url in ET.fromstring(client.get(child).content).findall(f"{SITEMAP}url")}

    lastmod = publication.published_at.date().isoformat()
    assert urls == {
        article.get_absolute_url(): lastmod,
        "/topics/sleep/": lastmod,
        "/people/wes/": lastmod,
        f"/people/{reviewer.reviewer_profile.slug}/": lastmod,
    }


def test_robots_txt_keeps_crawlers_out_of_the_desk_and_back_office_and_names_the_sitemap(client):
    response = client.get("/robots.txt")
    lines = response.content.decode().splitlines()

    assert response["Content-Type"].startswith("text/plain")
    assert "Disallow: /editorial/" in lines and "Disallow: /admin/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines


# --- Errors ---

def test_the_404_page_offers_search_and_the_home_page(client):
    response = client.get("/articles/no-such-article/")
    root = parse(response.content.decode())

    assert response.status_code == 404
    assert root.find("h1").text() == "Page not found"
    assert root.find("form", role="search").attrs["action"] == "/search/"
    assert any(a.attrs.get("href") == "/" for a in root.find("main").find_all("a"))


def test_the_404_page_for_a_draft_is_the_page_for_a_slug_never_used(client):
    article = make_draft(title="Unreviewed dosing advice")

    draft = client.get(f"/articles/{article.slug}/")
    never = client.get("/articles/never-used-slug/")

    assert draft.status_code == never.status_code == 404
    assert draft.content == never.content
    assert draft.headers.get("Cache-Control") == never.headers.get("Cache-Control")


def test_the_500_page_stands_alone_and_offers_a_way_on(db):
    response = server_error(RequestFactory().get("/"))
    html = response.content.decode()

    assert response.status_code == 500
    assert "Something went wrong" in html
    assert 'href="/search/"' in html and "emergency" in html


def test_a_signed_in_person_sees_public_pages_exactly_as_everyone_else(client):
    writer = make_writer()
    article = make_published(writer, topics=[make_topic("Sleep")])
    paths = ["/", article.get_absolute_url(), "/topics/sleep/", "/search/?q=article", f"/people/{writer.username}/"]

    def fresh(path):
        cache.clear()  # render for this visitor, not from the page cache
        return client.get(path)

    anonymous = [fresh(path).content for path in paths]
    client.force_login(make_user(groups=[]))
    signed_in = [fresh(path) for path in paths]

    assert [response.content for response in signed_in] == anonymous
    for response in signed_in:
        assert "Cookie" not in response.get("Vary", "")
        assert not response.cookies


def test_each_signer_of_a_medicine_lists_it_on_their_people_page(client):
    from django.contrib.auth.models import Group

    from reviews.workflow import article_approve
    from tests.factories import ALL_YES, as_reviewed, make_in_review, make_reviewer

    article = make_in_review(type_key="medicine", title="Naproxen for pain")
    medical = make_reviewer(first_name="Mia", last_name="Stone", credentials="MD")
    pharmacist = make_reviewer(first_name="Per", last_name="Lund", credentials="PharmD")
    pharmacist.groups.add(Group.objects.get(name="Pharmacists"))
    for signer in (medical, pharmacist):
        article_approve(**as_reviewed(article), by=signer, checklist=dict(ALL_YES), rating=4)

    for signer in (medical, pharmacist):
        page = client.get(f"/people/{signer.reviewer_profile.slug}/").content.decode()
        assert "Naproxen for pain" in page
