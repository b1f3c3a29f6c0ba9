"""axe-core on the desk pages a team works in all day that no other browser test covers: an
article's desk page, its review page, its history and a comparison of two revisions, as the role
each is for, on a phone-sized screen and a desktop one. Zero violations."""
import json

import pytest

from articles.models import RevisionMeta
from reviews.comments import NewComment
from reviews.workflow import article_request_changes
from tests.factories import as_reviewed, edit_article, make_in_review, make_published, make_reviewer, make_writer

from . import test_accessibility
from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

axe_source = test_accessibility.axe_source  # the shared fixture: node_modules/axe-core, or a skip


def _violations_on(page, shots, axe_source, pages: dict[str, str]) -> dict:
    found = {}
    for viewport, size in test_accessibility.VIEWPORTS.items():
        page.set_viewport_size(size)
        for name, path in pages.items():
            response = page.goto(path)
            assert response.status == 200, (name, response.status)
            shots.take(page, f"{viewport} {name}")
            violations = test_accessibility.axe_violations(page, axe_source)
            if violations:
                found[f"{viewport} {name}"] = violations
    return found


def test_axe_finds_no_violations_on_the_review_pages(new_page, shots, axe_source):
    writer = make_writer("wes", first_name="Wes", last_name="Tan")
    reviewer = make_reviewer(first_name="Ada", last_name="Quinn")
    published = make_published(writer, reviewer=reviewer, title="Zinc for colds")
    edit_article(published, writer, body="<p>Zinc lozenges may shorten a cold by a day or so.</p>")
    article = make_in_review(writer, title="Kava and anxiety")
    article_request_changes(**as_reviewed(article), by=reviewer, summary="One citation is missing.",
                            comments=[NewComment("side_effects", "Add the liver risks.")])
    in_review = make_in_review(writer, title="Valerian and sleep")
    revisions = list(RevisionMeta.objects.filter(article=published).order_by("revision_id")
                     .values_list("revision_id", flat=True))

    page = new_page()
    login(page, reviewer)
    found = _violations_on(page, shots, axe_source, {
        "review page": f"/editorial/articles/{in_review.pk}/review/",
        "article in review (reviewer)": f"/editorial/articles/{in_review.pk}/",
    })
    page.context.clear_cookies()
    login(page, writer)
    found.update(_violations_on(page, shots, axe_source, {
        "article sent back with comments": f"/editorial/articles/{article.pk}/",
        "published article with a new draft": f"/editorial/articles/{published.pk}/",
        "history": f"/editorial/articles/{published.pk}/history/",
        "compare": f"/editorial/articles/{published.pk}/compare/?from={revisions[0]}&to={revisions[-1]}",
    }))

    assert not found, "axe violations:\n" + json.dumps(found, indent=2)
