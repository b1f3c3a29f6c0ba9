"""Editing safety in Chromium: the editor keeps what is typed as a private draft and restores it,
warns before leaving while a change is not kept yet, shows who else is editing, and the merge
page and the restore notice pass axe-core."""
import json
import re
import time

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from articles.models import Article
from reviews.drafts import draft_save
from reviews.models import EditingDraft
from tests.factories import edit_article, make_draft, make_writer

from . import test_accessibility as accessibility
from .conftest import login, wait_for_editors

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

axe_source = accessibility.axe_source  # the fixture: axe-core from node_modules, or a skip


@pytest.fixture
def amira():
    return make_writer("amira", first_name="Amira", last_name="Patel")


@pytest.fixture
def article(amira):
    return make_draft(amira, title="Kava and anxiety")


def open_editor(page, article):
    page.goto(reverse("desk:edit", args=[article.pk]))
    wait_for_editors(page)


def body_html(page) -> str:
    return page.evaluate("() => tinymce.get('id_body').getContent()")


def test_autosave_restores_the_typed_text_after_a_reload(page, shots, amira, article):
    login(page, amira)
    open_editor(page, article)
    page.locator("#id_title").click()
    page.locator("#id_title").press("End")
    page.locator("#id_title").press_sequentially(": what the trials found")
    page.evaluate("() => { const ed = tinymce.get('id_body'); ed.setContent('<p>Typed before the reload.</p>');"
                  " ed.fire('input'); }")
    expect(page.locator("[data-autosave-status]")).to_contain_text("kept privately")
    shots.take(page, "changes kept privately")

    page.reload()
    wait_for_editors(page)

    expect(page.locator("#id_title")).to_have_value("Kava and anxiety: what the trials found")
    assert "Typed before the reload." in body_html(page)
    expect(page.locator("#restored-draft")).to_contain_text(
        re.compile(r"Restored your unsaved changes from \d\d:\d\d \(based on version 1\)"))
    shots.take(page, "restored after the reload")
    assert Article.objects.get(pk=article.pk).title == "Kava and anxiety"  # never a revision


def test_closing_the_tab_right_after_typing_loses_nothing(new_page, amira, article):
    page = new_page()
    login(page, amira)
    open_editor(page, article)
    page.locator("#id_title").click()
    page.locator("#id_title").fill("Typed a moment before the tab closed")

    page.close()  # well inside the autosave's pause: only the page's last request can keep it

    # That request may still be on its way: open the editor again until it has arrived.
    second = page.context.new_page()
    for _ in range(10):
        open_editor(second, article)
        if second.locator("#id_title").input_value() == "Typed a moment before the tab closed":
            break
        time.sleep(0.5)
    expect(second.locator("#id_title")).to_have_value("Typed a moment before the tab closed")
    expect(second.locator("#restored-draft")).to_be_visible()


def test_the_leave_warning_fires_while_a_change_is_not_kept_yet(page, shots, amira, article):
    dialogs = []

    def answer(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()  # "Stay on this page"

    page.on("dialog", answer)
    login(page, amira)
    open_editor(page, article)
    page.locator("#id_summary").click()
    page.locator("#id_summary").press_sequentially(" More words.")

    with pytest.raises(Exception):  # staying cancels the navigation
        page.goto(reverse("desk:dashboard"), timeout=3000)

    assert dialogs == ["beforeunload"]
    expect(page.locator("#id_summary")).to_have_value(re.compile("More words.$"))
    shots.take(page, "stayed on the page")
    # Once the draft holds the change, leaving loses nothing, and the browser does not ask.
    expect(page.locator("[data-autosave-status]")).to_contain_text("kept privately")
    page.goto(reverse("desk:dashboard"))
    assert dialogs == ["beforeunload"]


def test_saving_leaves_without_a_warning(page, amira, article):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.accept()))
    login(page, amira)
    open_editor(page, article)
    page.locator("#id_summary").click()
    page.locator("#id_summary").press_sequentially(" Saved at once.")

    page.get_by_role("button", name="Save draft").click()

    page.wait_for_url(f"**{reverse('desk:article', args=[article.pk])}")
    assert dialogs == []
    assert not EditingDraft.objects.exists()


def test_the_soft_lock_shows_the_second_person_to_the_first_and_the_first_to_the_second(new_page, shots, amira,
                                                                                         article):
    wes = make_writer("wes", first_name="Wes", last_name="Tan")
    article.authors.add(wes)
    amira_page, wes_page = new_page(), new_page()
    login(amira_page, amira)
    with amira_page.expect_response(lambda response: "/presence/" in response.url):
        open_editor(amira_page, article)

    login(wes_page, wes)
    with wes_page.expect_response(lambda response: "/presence/" in response.url):
        open_editor(wes_page, article)
    expect(wes_page.locator("[data-presence]")).to_contain_text(
        re.compile(r"Amira Patel has been editing this since \d\d:\d\d\."))
    shots.take(wes_page, "wes sees amira")

    # Amira's next heartbeat (sent at once when her tab becomes visible) brings Wes into her page.
    amira_page.evaluate("() => document.dispatchEvent(new Event('visibilitychange'))")
    expect(amira_page.locator("[data-presence]")).to_contain_text(
        re.compile(r"Wes Tan has been editing this since \d\d:\d\d\."))
    shots.take(amira_page, "amira sees wes")
    # Never a lock: both can still save.
    expect(wes_page.get_by_role("button", name="Save draft")).to_be_enabled()


def _restored_editor(amira, article):
    draft_save(by=amira, article=article, base_version=article.version,
               fields={"title": ["Kava: restored title"], "summary": ["Restored summary."],
                       "article_type": ["substance"], "body": ["<p>Restored body.</p>"],
                       "version": [str(article.version)]})


def test_the_edit_page_with_the_restore_notice_has_no_axe_violations(page, shots, amira, article, axe_source):
    _restored_editor(amira, article)
    login(page, amira)
    open_editor(page, article)
    expect(page.locator("#restored-draft")).to_be_visible()
    shots.take(page, "restore notice")

    violations = accessibility.axe_violations(page, axe_source)

    assert not violations, json.dumps(violations, indent=2)


def test_the_merge_page_has_no_axe_violations_and_keeps_theirs_in_place(page, shots, amira, article, axe_source):
    colleague = make_writer("colleague", first_name="Wes", last_name="Tan")
    article.authors.add(colleague)
    _restored_editor(amira, article)
    edit_article(article, colleague, title="Kava for anxiety: the evidence", summary="Wes's summary.")
    login(page, amira)
    page.goto(reverse("desk:merge", args=[article.pk]))
    wait_for_editors_on_merge(page)
    shots.take(page, "merge page")

    violations = accessibility.axe_violations(page, axe_source)
    assert not violations, json.dumps(violations, indent=2)

    title = page.locator("#merge-title")
    title.get_by_role("button", name="Keep theirs").click()
    expect(page.locator("#id_result_title")).to_have_value("Kava for anxiety: the evidence")
    title.get_by_role("button", name="Keep mine").click()
    expect(page.locator("#id_result_title")).to_have_value("Kava: restored title")
    page.locator("#merge-body").get_by_role("button", name="Keep theirs").click()
    assert "Restored body." not in page.evaluate("() => tinymce.get('id_result_body').getContent()")

    page.get_by_role("button", name="Save the merged version").click()
    page.wait_for_url(f"**{reverse('desk:article', args=[article.pk])}")
    saved = Article.objects.get(pk=article.pk)
    assert (saved.title, saved.summary, saved.version) == ("Kava: restored title", "Restored summary.", 3)
    assert not EditingDraft.objects.exists()


def wait_for_editors_on_merge(page) -> None:
    page.wait_for_function(
        """() => Array.from(document.querySelectorAll('#merge-form textarea.tinymce')).every(
            (area) => { const ed = window.tinymce && tinymce.get(area.id); return ed && ed.initialized; })"""
    )
