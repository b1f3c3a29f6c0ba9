"""HTTP caching of public pages: validators, 304 answers, Cache-Control, and freshness after a
publish or an unpublish."""
import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone
from django.http import HttpResponse
from django.utils.http import http_date

from public.caching import GENERATION_KEY, PAGE_KEY_PREFIX, STAMP_KEY, mark_public_change, public_changed_at
from articles.models import Article, Topic
from reviews.workflow import article_approve, article_go_live, article_submit, article_unpublish
from tests.factories import (
    as_reviewed,
    ALL_YES,
    another_reviewer,
    edit_article,
    make_editor,
    make_in_review,
    make_published,
    make_topic,
    make_writer,
)

PUBLIC_PATHS = ["/", "{article}", "/topics/sleep/", "/search/?q=article", "/people/{writer}/", "/feed/",
                "/sitemap.xml", "/robots.txt"]


@pytest.fixture
def site():
    writer = make_writer("wes")
    article = make_published(writer, topics=[make_topic("Sleep")])
    return {"article": article.get_absolute_url(), "writer": writer.username, "object": article}


def public_paths(site):
    return [path.format(**site) for path in PUBLIC_PATHS]


def test_every_public_page_sends_an_etag_last_modified_and_public_cache_control(client, site):
    for path in public_paths(site):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response["ETag"].startswith('W/"'), path
        assert response["Last-Modified"], path
        directives = {d.strip() for d in response["Cache-Control"].split(",")}
        assert {"public", "max-age=300", "stale-while-revalidate=60"} <= directives, path


def test_every_public_page_answers_304_when_the_etag_still_matches(client, site):
    for path in public_paths(site):
        etag = client.get(path)["ETag"]

        response = client.get(path, headers={"if-none-match": etag})

        assert response.status_code == 304, path
        assert response.content == b""
        assert response["ETag"] == etag
        assert "public" in response["Cache-Control"]


def test_a_public_page_answers_304_to_if_modified_since_its_last_modified(client, site):
    first = client.get(site["article"])

    response = client.get(site["article"], headers={"if-modified-since": first["Last-Modified"]})

    assert response.status_code == 304


def test_a_public_page_answers_200_to_an_older_if_modified_since(client, site):
    last_modified = client.get(site["article"])["Last-Modified"]
    older = http_date(datetime.datetime.strptime(last_modified, "%a, %d %b %Y %H:%M:%S GMT")
                      .replace(tzinfo=datetime.timezone.utc).timestamp() - 60)

    assert client.get(site["article"], headers={"if-modified-since": older}).status_code == 200


def test_a_stale_etag_gets_the_full_page(client, site):
    response = client.get(site["article"], headers={"if-none-match": 'W/"not-the-current-one"'})

    assert response.status_code == 200
    assert response.content


def test_editorial_pages_are_never_publicly_cached(client, site):
    client.force_login(site["object"].authors.first())
    article = site["object"]
    for path in ("/editorial/", f"/editorial/articles/{article.pk}/", f"/editorial/articles/{article.pk}/edit/",
                 f"/editorial/articles/{article.pk}/preview/", f"/editorial/articles/{article.pk}/history/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "public" not in response.get("Cache-Control", ""), path
        assert "ETag" not in response or "private" in response.get("Cache-Control", ""), path


def test_a_404_is_not_publicly_cached(client):
    response = client.get("/articles/no-such-article/")

    assert response.status_code == 404
    assert "public" not in response.get("Cache-Control", "")


# --- Freshness after publishing and unpublishing ---

def test_publishing_an_article_changes_the_home_pages_validators(client, site):
    before = client.get("/")

    make_published(title="A newly published article", reviewer=another_reviewer())
    after = client.get("/", headers={"if-none-match": before["ETag"]})

    assert after.status_code == 200
    assert "A newly published article" in after.content.decode()
    assert after["ETag"] != before["ETag"]


def test_publishing_bumps_last_modified_for_if_modified_since_clients(client, site,
                                                                     django_capture_on_commit_callbacks):
    cache.set(STAMP_KEY, timezone.now() - datetime.timedelta(days=400))  # the last change was long ago
    last_modified = client.get("/").headers["Last-Modified"]

    with django_capture_on_commit_callbacks(execute=True):
        make_published(title="A newly published article", reviewer=another_reviewer())
    response = client.get("/", headers={"if-modified-since": last_modified})

    assert response.status_code == 200
    assert response["Last-Modified"] != last_modified


def test_unpublishing_makes_the_article_404_even_for_a_client_holding_its_etag(client, site):
    etag = client.get(site["article"])["ETag"]

    article_unpublish(article=Article.objects.get(pk=site["object"].pk), by=make_editor(), reason="Withdrawn")
    response = client.get(site["article"], headers={"if-none-match": etag})

    assert response.status_code == 404


def test_unpublishing_changes_every_list_that_showed_the_article(client, site, django_capture_on_commit_callbacks):
    paths = ["/", "/topics/sleep/", "/search/?q=article", "/feed/", "/sitemap.xml", "/sitemap-articles-1.xml"]
    etags = {path: client.get(path)["ETag"] for path in paths}

    # The sitemaps' ETag is the publish stamp, which moves when the transition commits.
    with django_capture_on_commit_callbacks(execute=True):
        article_unpublish(article=Article.objects.get(pk=site["object"].pk), by=make_editor(), reason="Withdrawn")

    for path in paths:
        response = client.get(path, headers={"if-none-match": etags[path]})
        assert response.status_code == 200, path
        assert site["object"].get_absolute_url() not in response.content.decode(), path


def test_a_new_approval_changes_the_article_pages_etag(client, site):
    writer = site["object"].authors.first()
    etag = client.get(site["article"])["ETag"]
    edit_article(site["object"], writer, title="A corrected title")
    article_submit(article=Article.objects.get(pk=site["object"].pk), by=writer)
    article_approve(**as_reviewed(Article.objects.get(pk=site["object"].pk)), by=another_reviewer(),
                    checklist=dict(ALL_YES), rating=4)

    response = client.get(site["article"], headers={"if-none-match": etag})

    assert response.status_code == 200
    assert "A corrected title" in response.content.decode()


def test_an_edit_that_is_not_yet_approved_keeps_the_article_pages_etag(client, site):
    writer = site["object"].authors.first()
    etag = client.get(site["article"])["ETag"]

    edit_article(site["object"], writer, title="Unreviewed title")

    assert client.get(site["article"], headers={"if-none-match": etag}).status_code == 304


def test_the_article_pages_etag_changes_when_its_review_becomes_overdue(client, site, monkeypatch):
    etag = client.get(site["article"])["ETag"]
    due = Article.objects.get(pk=site["object"].pk).live_publication.next_review_due
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: due + datetime.timedelta(days=1))

    response = client.get(site["article"], headers={"if-none-match": etag})

    assert response.status_code == 200
    assert "overdue for its medical review" in response.content.decode()


def test_the_change_stamp_moves_when_a_transition_changes_what_is_live(django_capture_on_commit_callbacks):
    article = make_published()
    stamps = [public_changed_at()]

    def after(transition, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            transition(**kwargs)
        stamps.append(public_changed_at())

    after(article_unpublish, article=Article.objects.get(pk=article.pk), by=make_editor(), reason="Withdrawn")
    in_review = make_in_review()
    go_live_at = timezone.now() + datetime.timedelta(minutes=5)
    after(article_approve, **as_reviewed(in_review), by=another_reviewer(), checklist=dict(ALL_YES), rating=4,
          go_live_at=go_live_at)
    after(article_go_live, article=Article.objects.get(pk=in_review.pk), now=go_live_at + datetime.timedelta(seconds=1))

    assert stamps == sorted(stamps) and len(set(stamps)) == 4


def test_a_content_edit_leaves_the_change_stamp_alone(django_capture_on_commit_callbacks):
    writer = make_writer()
    article = make_published(writer)
    stamp = public_changed_at()

    with django_capture_on_commit_callbacks(execute=True):
        edit_article(article, writer, title="Unreviewed title")

    assert public_changed_at() == stamp


def test_a_rolled_back_transition_leaves_the_change_stamp_alone(django_capture_on_commit_callbacks):
    from django.db import transaction

    article = make_published()
    stamp = public_changed_at()
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            article_unpublish(article=Article.objects.get(pk=article.pk), by=make_editor(), reason="Withdrawn")
            raise RuntimeError("the request failed after the unpublish")

    assert public_changed_at() == stamp


# --- Rendered once per version ---

def test_a_public_page_is_rendered_once_and_then_served_from_the_cache(client, site):
    first = client.get(site["article"])
    second = client.get(site["article"])

    assert [t.name for t in first.templates][:1] == ["public/article_detail.html"]
    assert second.templates == []
    assert second.content == first.content
    assert second["ETag"] == first["ETag"] and second["Content-Type"] == first["Content-Type"]


def test_a_new_version_of_a_page_is_rendered_afresh(client, site):
    client.get("/")

    make_published(title="A newly published article", reviewer=another_reviewer())
    response = client.get("/")

    assert [t.name for t in response.templates][:1] == ["public/home.html"]
    assert "A newly published article" in response.content.decode()


def test_the_sitemap_and_feed_keep_their_content_types_when_served_from_the_cache(client, site):
    for path, content_type in (("/sitemap.xml", "application/xml"), ("/feed/", "application/rss+xml"),
                               ("/robots.txt", "text/plain")):
        first, second = client.get(path), client.get(path)
        assert second.content == first.content, path
        assert second["Content-Type"].startswith(content_type), path


def test_the_same_page_on_another_host_has_its_own_etag_and_links(client, site, settings):
    settings.ALLOWED_HOSTS = ["testserver", "www.example.org"]
    here = client.get(site["article"])
    there = client.get(site["article"], headers={"host": "www.example.org"})

    assert here["ETag"] != there["ETag"]
    assert "http://www.example.org/articles/" in there.content.decode()


def test_a_flash_message_from_the_desk_shows_on_the_public_page_that_no_cache_keeps(client, site):
    from django.contrib import messages
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    storage = CookieStorage(request)
    storage.add(messages.SUCCESS, "Approved and published.")
    carrier = HttpResponse()
    storage.update(carrier)
    client.cookies[CookieStorage.cookie_name] = carrier.cookies[CookieStorage.cookie_name].value

    with_message = client.get(site["article"])
    after = client.get(site["article"])

    assert "Approved and published." in with_message.content.decode()
    assert {"private", "no-store"} <= {d.strip() for d in with_message["Cache-Control"].split(",")}
    assert "Approved and published." not in after.content.decode()
    assert "public" in after["Cache-Control"]


# --- Answered without reading the snapshot: the version kept per page ---

def test_a_minor_correction_shown_after_the_page_was_cached_reaches_a_client_holding_its_etag(client, site):
    from reviews.editing import correction_add, correction_approve

    writer = site["object"].authors.first()
    etag = client.get(site["article"])["ETag"]
    note = correction_add(article=Article.objects.get(pk=site["object"].pk), by=writer, kind="minor",
                          note="Fixed a broken link to the NHS page.")

    assert client.get(site["article"], headers={"if-none-match": etag}).status_code == 304  # not shown yet
    correction_approve(correction=note, by=another_reviewer())
    response = client.get(site["article"], headers={"if-none-match": etag})

    assert response.status_code == 200
    assert "Fixed a broken link to the NHS page." in response.content.decode()


def test_a_withdrawn_correction_leaves_the_cached_article_page(client, site):
    from reviews.editing import correction_add, correction_approve, correction_withdraw

    writer = site["object"].authors.first()
    note = correction_add(article=Article.objects.get(pk=site["object"].pk), by=writer, kind="minor",
                          note="Fixed a broken link to the NHS page.")
    correction_approve(correction=note, by=another_reviewer())
    assert "Fixed a broken link" in client.get(site["article"]).content.decode()

    correction_withdraw(correction=note, by=writer, reason="The link was right after all.")

    assert "Fixed a broken link" not in client.get(site["article"]).content.decode()


def test_a_change_committed_elsewhere_makes_every_kept_version_stale(client, site):
    """Another process's commit replaces the generation; a version read under the old one is
    never trusted, even by a client holding the old ETag."""
    etag = client.get(site["article"])["ETag"]
    cache.set(GENERATION_KEY, "another generation")

    response = client.get(site["article"], headers={"if-none-match": etag})

    assert response.status_code == 304  # the same content, so the same ETag, but read again:
    assert cache.get(next(key for key in _version_keys(site["article"])))[0] == "another generation"


def _version_keys(path):
    from public.caching import VERSION_KEY_PREFIX, release

    slug = path.rstrip("/").rsplit("/", 1)[-1]
    return [f"{VERSION_KEY_PREFIX}{release()[0]}:article:{slug}"]


def test_a_kept_version_whose_page_was_evicted_renders_the_page_again(client, site):
    first = client.get(site["article"])
    version_key, = _version_keys(site["article"])
    assert cache.delete(f"{PAGE_KEY_PREFIX}{version_key}:http://testserver")

    again = client.get(site["article"])

    assert [t.name for t in again.templates][:1] == ["public/article_detail.html"]
    assert again.content == first.content and again["ETag"] == first["ETag"]


def test_a_publication_in_a_topic_changes_the_cached_topic_page(client, site):
    before = client.get("/topics/sleep/")

    make_published(title="A second sleep article", topics=[Topic.objects.get(slug="sleep")],
                   reviewer=another_reviewer())
    after = client.get("/topics/sleep/", headers={"if-none-match": before["ETag"]})

    assert after.status_code == 200
    assert "A second sleep article" in after.content.decode()


def test_a_renamed_topic_changes_the_cached_home_page(client, site):
    client.get("/")
    topic = Topic.objects.get(slug="sleep")
    topic.name = "Sleep and rest"
    topic.save()

    assert "Sleep and rest" in client.get("/").content.decode()


def test_a_persons_new_name_shows_on_their_cached_page_without_a_publish(client, site):
    from django.contrib.auth.models import User

    path = f"/people/{site['writer']}/"
    etag = client.get(path)["ETag"]
    User.objects.filter(username=site["writer"]).update(first_name="Wesley", last_name="Stone")

    response = client.get(path, headers={"if-none-match": etag})

    assert response.status_code == 200
    assert "Wesley Stone" in response.content.decode()


def test_a_page_of_a_list_is_kept_per_page_number_not_per_spelling(client, site):
    from public.caching import VERSION_KEY_PREFIX, release

    for spelling in ("1", "junk", ""):
        client.get(f"/topics/sleep/?page={spelling}")

    assert cache.get(f"{VERSION_KEY_PREFIX}{release()[0]}:topic:sleep:1") is not None
    assert cache.get(f"{VERSION_KEY_PREFIX}{release()[0]}:topic:sleep:junk") is None


def test_a_change_marks_the_generation_at_once_and_again_at_commit(django_capture_on_commit_callbacks):
    make_published()
    seen = cache.get(GENERATION_KEY)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        mark_public_change()
        inside = cache.get(GENERATION_KEY)
    for callback in callbacks:
        callback()

    assert seen != inside != cache.get(GENERATION_KEY)


# --- Revalidations answered before sessions and authentication (public.middleware) ---

def revalidation(path, etag):
    from django.test import RequestFactory

    return RequestFactory().get(path, headers={"if-none-match": etag})


def test_a_revalidation_of_a_page_just_served_is_answered_from_the_cache_alone(client, site, django_assert_num_queries):
    from public.caching import not_modified_early

    etag = client.get(site["article"])["ETag"]

    with django_assert_num_queries(0):
        answer = not_modified_early(revalidation(site["article"], etag))

    assert answer.status_code == 304 and answer["ETag"] == etag
    assert "public" in answer["Cache-Control"]


def test_a_revalidation_after_a_new_approval_is_not_answered_early_and_gets_the_new_page(client, site):
    from public.caching import not_modified_early

    etag = client.get(site["article"])["ETag"]
    article = site["object"]
    edit_article(article, article.authors.get(), summary="A summary the reviewer approved later.")
    article_submit(article=Article.objects.get(pk=article.pk), by=article.authors.get())
    article_approve(**as_reviewed(article), by=another_reviewer(), checklist=dict(ALL_YES), rating=4)

    assert not_modified_early(revalidation(site["article"], etag)) is None
    response = client.get(site["article"], headers={"if-none-match": etag})
    assert response.status_code == 200
    assert "A summary the reviewer approved later." in response.content.decode()


def test_people_pages_are_never_answered_before_their_person_is_read(client, site):
    from public.caching import not_modified_early

    path = f"/people/{site['writer']}/"
    etag = client.get(path)["ETag"]

    assert not_modified_early(revalidation(path, etag)) is None
    assert client.get(path, headers={"if-none-match": etag}).status_code == 304
