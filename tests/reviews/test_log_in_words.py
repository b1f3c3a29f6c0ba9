"""The workflow log on an article's desk page reads in words, naming people with their credentials."""
from django.urls import reverse

from reviews.comments import NewComment
from reviews.workflow import article_request_changes
from tests.factories import as_reviewed, make_in_review, make_published, make_reviewer, make_writer
from tests.public.html import parse


def log_lines(client, article) -> list[str]:
    page = parse(client.get(reverse("desk:article", args=[article.pk])).content.decode())
    return [" ".join(li.text().split()) for li in page.find("ul", **{"class": "audit"}).find_all("li")]


def test_the_log_says_who_sent_an_article_back_in_words_with_their_credentials(client):
    writer, reviewer = make_writer(first_name="Sam", last_name="Writer"), make_reviewer(first_name="Amira", last_name="Patel", credentials="MD")
    article = make_in_review(writer)
    article_request_changes(**as_reviewed(article), by=reviewer, summary="Cite the 2023 trial.",
                            comments=[NewComment(section="general", text="Which trial?")])
    client.force_login(writer)

    lines = log_lines(client, article)

    assert any("Sent back for changes by Amira Patel, MD: Cite the 2023 trial." in line for line in lines), lines
    assert any("Submitted for medical review by Sam Writer" in line for line in lines), lines
    assert not any("request_changes" in line or "→" in line for line in lines), lines


def test_the_log_names_an_approval_and_not_its_codes(client):
    writer = make_writer()
    article = make_published(writer, reviewer=make_reviewer(first_name="Lee", last_name="Chen"))
    client.force_login(writer)

    lines = log_lines(client, article)

    assert any("Approved and published by Lee Chen, MD" in line for line in lines), lines
