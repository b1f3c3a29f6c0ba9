"""Import on the desk in a real browser: upload two files, fix a title, create the drafts with the
progress bar; axe-core finds nothing on the upload and preview pages."""
import json

import pytest
from playwright.sync_api import expect

from articles.models import Article
from tests.factories import make_writer

from .conftest import login
from . import test_accessibility
from .test_accessibility import axe_violations

axe = pytest.fixture(test_accessibility.axe_source.__wrapped__, name="axe")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TITLED = b"""Chamomile and Sleep
Chamomile tea is made from the dried flowers of the plant.
Side effects
Some people who are allergic to ragweed react to chamomile as well.
"""
UNTITLED = b"""Side effects
Valerian can cause headaches and a heavy head the next morning.
Interactions
It may add to the effect of alcohol and of sleeping tablets.
"""


def test_a_writer_uploads_two_files_fixes_a_title_and_creates_both_drafts(page, shots, axe):
    writer = make_writer("importer")
    login(page, writer)
    page.get_by_role("link", name="Import files").click()
    page.wait_for_url("**/editorial/import/")
    assert axe_violations(page, axe) == [], "upload page"
    shots.take(page, "upload form")

    page.get_by_label("Files").set_input_files([
        {"name": "chamomile.txt", "mimeType": "text/plain", "buffer": TITLED},
        {"name": "valerian.txt", "mimeType": "text/plain", "buffer": UNTITLED},
    ])
    page.get_by_role("button", name="Upload and check").click()
    page.wait_for_url("**/editorial/import/*/")
    violations = axe_violations(page, axe)
    assert violations == [], json.dumps(violations, indent=2)
    shots.take(page, "preview")

    chamomile = page.locator("section.import-file", has_text="chamomile.txt")
    valerian = page.locator("section.import-file", has_text="valerian.txt")
    expect(chamomile.get_by_label("Title")).to_have_value("Chamomile and Sleep")
    expect(valerian.get_by_label("Title")).to_have_value("")
    expect(valerian).to_contain_text('"Side effects", is a section heading')
    expect(valerian).to_contain_text("Interactions")  # the sections found

    valerian.get_by_label("Title").fill("Valerian: what to know")
    expect(chamomile.locator("[data-missing]")).to_contain_text("Interactions")
    chamomile.get_by_label("Article type").select_option("wellness")
    expect(chamomile.locator("[data-missing]")).not_to_contain_text("Interactions")  # optional for wellness
    page.get_by_role("button", name="Create 2 drafts").click()
    expect(page.locator("progress")).to_be_visible()
    page.wait_for_url("**/result/")
    shots.take(page, "result")
    expect(page.get_by_role("link", name="Valerian: what to know")).to_be_visible()
    expect(page.get_by_role("link", name="Chamomile and Sleep")).to_be_visible()

    drafts = {article.title: article for article in Article.objects.all()}
    assert set(drafts) == {"Chamomile and Sleep", "Valerian: what to know"}
    assert drafts["Chamomile and Sleep"].article_type.key == "wellness"
    assert all(list(article.authors.all()) == [writer] for article in drafts.values())
    assert "alcohol" in drafts["Valerian: what to know"].sections.get(key="interactions").content
