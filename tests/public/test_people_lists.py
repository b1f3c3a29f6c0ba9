"""A person's page lists the live publications that name them, read from the listing rows kept with
what is live: a version superseded, unpublished or not yet live is never listed nor counted."""
import datetime

from django.contrib.auth.models import Group
from django.utils import timezone

from articles.models import Article
from reviews.workflow import article_approve, article_go_live, article_submit, article_unpublish
from tests.factories import (
    ALL_YES,
    another_reviewer,
    as_reviewed,
    edit_article,
    make_editor,
    make_in_review,
    make_published,
    make_reviewer,
    make_writer,
)

from .html import parse


def listed(client, path, heading) -> tuple[str, list[str]]:
    """The count in the list's heading and the titles it links, for the list named `heading`."""
    section = parse(client.get(path).content.decode()).find("section", **{"aria-labelledby": f"{heading}-heading"})
    if section is None:
        return "", []
    return section.find("h2").text(), [a.text() for a in section.find("ul", cls="person-articles").find_all("a")]


def test_an_unpublished_article_leaves_its_reviewers_people_page(client, django_capture_on_commit_callbacks):
    reviewer = another_reviewer()
    make_published(title="Melatonin", reviewer=reviewer)
    withdrawn = make_published(title="Valerian", reviewer=reviewer)
    path = f"/people/{reviewer.reviewer_profile.slug}/"
    assert listed(client, path, "reviewed")[1] == ["Valerian", "Melatonin"]

    with django_capture_on_commit_callbacks(execute=True):  # the publish stamp moves on commit
        article_unpublish(article=Article.objects.get(pk=withdrawn.pk), by=make_editor(), reason="Out of date")

    heading, titles = listed(client, path, "reviewed")
    assert titles == ["Melatonin"]
    assert "(1)" in heading


def test_a_reviewer_whose_only_article_is_unpublished_has_no_page(client):
    reviewer = another_reviewer()
    article = make_published(reviewer=reviewer)
    article_unpublish(article=Article.objects.get(pk=article.pk), by=make_editor(), reason="Out of date")

    assert client.get(f"/people/{reviewer.reviewer_profile.slug}/").status_code == 404
    assert client.get(f"/people/{reviewer.username}/").status_code == 404


def test_a_superseded_publication_is_listed_once(client):
    writer, reviewer = make_writer("wes"), another_reviewer()
    article = make_published(writer, reviewer, title="Melatonin")
    edit_article(article, writer, title="Melatonin for sleep")
    article_submit(article=Article.objects.get(pk=article.pk), by=writer)
    article_approve(**as_reviewed(article), by=reviewer, checklist=dict(ALL_YES), rating=4)

    for path, heading in (("/people/wes/", "written"), (f"/people/{reviewer.reviewer_profile.slug}/", "reviewed")):
        count, titles = listed(client, path, heading)
        assert titles == ["Melatonin for sleep"], path
        assert "(1)" in count, path


def test_a_scheduled_publication_is_listed_only_once_it_goes_live(client, django_capture_on_commit_callbacks):
    writer = make_writer("wes")
    make_published(writer, title="Already live")
    article = make_in_review(writer, title="Coming on Monday")
    go_live_at = timezone.now() + datetime.timedelta(hours=1)
    article_approve(**as_reviewed(article), by=make_reviewer(), checklist=dict(ALL_YES), rating=4,
                    go_live_at=go_live_at)
    assert listed(client, "/people/wes/", "written")[1] == ["Already live"]

    with django_capture_on_commit_callbacks(execute=True):
        article_go_live(article=Article.objects.get(pk=article.pk), now=go_live_at)

    assert listed(client, "/people/wes/", "written")[1] == ["Coming on Monday", "Already live"]


def test_the_signer_of_an_earlier_step_is_in_the_people_sitemap_with_their_page(client):
    article = make_in_review(type_key="medicine", title="Naproxen for pain")
    medical = make_reviewer(first_name="Mia", last_name="Stone")
    pharmacist = make_reviewer(first_name="Per", last_name="Lund")
    pharmacist.groups.add(Group.objects.get(name="Pharmacists"))
    for signer in (medical, pharmacist):
        article_approve(**as_reviewed(article), by=signer, checklist=dict(ALL_YES), rating=4)

    sitemap = client.get("/sitemap-people.xml").content.decode()

    for signer in (medical, pharmacist):
        path = f"/people/{signer.reviewer_profile.slug}/"
        assert f"http://testserver{path}" in sitemap
        assert listed(client, path, "reviewed")[1] == ["Naproxen for pain"]
