"""The Content-Security-Policy breaks nothing: every kind of page, public and editorial, loads and
works in Chromium under it (TinyMCE loaded and typed into, its menus and image dialog opened, an
image uploaded through it, a draft saved; the back office) without one violation, as the demo
users (seed_demo) who use each page.

Violations are caught twice: the page's securitypolicyviolation events (in every frame, TinyMCE's
included) and Chromium's console errors, which also name what Playwright's init script cannot see.
"""
import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from articles.models import Article, Topic
from cms.demo_content import INSOMNIA, MELATONIN, SLEEP_HYGIENE
from tests.factories import image_bytes

from .conftest import PASSWORD, login, wait_for_editors

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

WATCH = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
"""


class Violations:
    """Every violation seen on the pages it watches, as 'page: directive blocked-uri' lines."""

    def __init__(self):
        self.found: list[str] = []

    def watch(self, page) -> None:
        page.add_init_script(WATCH)
        page.on("console", lambda message: self._console(page, message))

    def _console(self, page, message) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            self.found.append(f"{page.url} (console): {message.text}")

    def collect(self, page, name: str) -> None:
        """Read the events of the page shown now (call before leaving it)."""
        for frame in page.frames:
            try:
                events = frame.evaluate("window.__csp || []")
            except Exception:  # noqa: BLE001 - a frame that went away while asked has nothing to say
                continue
            self.found.extend(f"{name} ({frame.url}): {event}" for event in events)

    def assert_none(self) -> None:
        assert not self.found, "Content-Security-Policy violations:\n" + "\n".join(self.found)


@pytest.fixture
def demo(django_user_model):
    """seed_demo's users and articles: one published, two in review, one sent back, one draft."""
    call_command("seed_demo", password=PASSWORD, stdout=io.StringIO())
    return {name: django_user_model.objects.get(username=name)
            for name in ("writer", "writer2", "reviewer", "pharmacist", "editor")}


@pytest.fixture
def violations(page) -> Violations:
    found = Violations()
    found.watch(page)
    return found


def visit(page, path: str, violations: Violations, shots, name: str, status: int = 200):
    response = page.goto(path, wait_until="load")  # scripts (deferred ones too), styles and images
    assert response.status == status, f"{path} answered {response.status}"
    shots.take(page, name)
    violations.collect(page, name)


def type_into_editor(page, field_id: str, text: str) -> None:
    """Click into one TinyMCE editor and type, as a writer would, then make a word bold."""
    body = page.frame_locator(f"#{field_id}_ifr").locator("body")
    body.click()
    page.keyboard.press("End")
    page.keyboard.type(text)
    page.keyboard.press("Shift+Home")
    page.keyboard.press("Control+b")


def use_editor_ui(page, field_id: str) -> None:
    """Open the blocks menu and the image dialog: the parts of TinyMCE's UI drawn on demand."""
    editor = page.locator(f"#{field_id} + .tox-tinymce")
    editor.locator("button.tox-tbtn--select").first.click()
    page.locator(".tox-collection__item").filter(has_text="Heading").first.wait_for()
    page.keyboard.press("Escape")
    editor.locator('button[aria-label^="Insert/edit image"]').click()
    dialog = page.locator(".tox-dialog")
    dialog.wait_for()
    dialog.get_by_role("tab", name="Upload").click()
    dialog.get_by_role("button", name="Cancel").click()


def upload_through_the_image_dialog(page, field_id: str) -> None:
    """Insert an image the way a writer does: the image dialog's Upload tab, a file, a description."""
    page.locator(f"#{field_id} + .tox-tinymce").locator('button[aria-label^="Insert/edit image"]').click()
    dialog = page.locator(".tox-dialog")
    dialog.get_by_role("tab", name="Upload").click()
    dialog.locator("input[type=file]").set_input_files(
        {"name": "chart.png", "mimeType": "image/png", "buffer": image_bytes("PNG", (800, 450))})
    source = dialog.get_by_label("Source")
    expect(source).to_have_value(re.compile(r"/media/images/"))
    dialog.get_by_label("Alternative description").fill("A chart of sleep onset times")
    dialog.get_by_role("button", name="Save").click()
    expect(page.frame_locator(f"#{field_id}_ifr").locator("img[alt='A chart of sleep onset times']")).to_be_visible()


def test_public_pages_break_no_rule(page, shots, demo, violations):
    published = Article.objects.get(slug=MELATONIN["slug"])
    topic = Topic.objects.filter(articles=published).first()
    pages = {
        "home": "/",
        "article": published.get_absolute_url(),
        "topic": topic.get_absolute_url(),
        "writer's page": reverse("public:person", kwargs={"slug": "writer"}),
        "reviewer's page": reverse("public:person", kwargs={"slug": demo["reviewer"].reviewer_profile.slug}),
        "search": "/search/?q=melatonin",
    }
    for name, path in pages.items():
        visit(page, path, violations, shots, name)
    # Again, from the page cache: a cached page must not depend on a per-response value.
    visit(page, published.get_absolute_url(), violations, shots, "article again")
    page.get_by_role("searchbox", name="Search articles").fill("sleep")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/search/?q=sleep")
    violations.collect(page, "search form")

    violations.assert_none()


def test_the_writers_desk_and_editor_break_no_rule(page, shots, demo, violations):
    login(page, demo["writer"])
    violations.collect(page, "login and dashboard")
    visit(page, reverse("desk:dashboard"), violations, shots, "dashboard")

    visit(page, reverse("desk:new"), violations, shots, "new article")
    wait_for_editors(page)
    type_into_editor(page, "id_body", "Typed under the policy.")
    use_editor_ui(page, "id_body")
    shots.take(page, "new article typed into")
    violations.collect(page, "new article, typed into")

    sent_back = Article.objects.get(slug=SLEEP_HYGIENE["slug"])  # a draft with history and a comment
    visit(page, reverse("desk:edit", args=[sent_back.pk]), violations, shots, "edit article")
    wait_for_editors(page)
    type_into_editor(page, "id_body", " One more sentence, typed.")
    use_editor_ui(page, "id_body")
    upload_through_the_image_dialog(page, "id_body")
    shots.take(page, "image uploaded in the editor")
    violations.collect(page, "edit article, typed into, image uploaded")
    page.get_by_label("What changed (for the history)").fill("Typed under the policy")
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_url(f"**{reverse('desk:article', args=[sent_back.pk])}")
    shots.take(page, "saved")
    violations.collect(page, "saved, on the workspace")

    visit(page, reverse("desk:history", args=[sent_back.pk]), violations, shots, "history")
    page.get_by_role("button", name="Compare selected").click()
    page.wait_for_url(re.compile(r"/compare/\?"))
    shots.take(page, "compare")
    violations.collect(page, "compare")
    visit(page, reverse("desk:checks"), violations, shots, "checks page")

    violations.assert_none()


def test_the_review_page_breaks_no_rule(page, shots, demo, violations):
    login(page, demo["reviewer"])
    in_review = Article.objects.get(slug=INSOMNIA["slug"])  # submitted, no step signed yet
    visit(page, reverse("desk:review", args=[in_review.pk]), violations, shots, "review page")

    violations.assert_none()


def test_the_editors_pages_and_the_admin_break_no_rule(page, shots, demo, violations):
    login(page, demo["editor"])
    visit(page, reverse("desk:dashboard"), violations, shots, "editor's dashboard")
    visit(page, reverse("desk:team"), violations, shots, "team")
    visit(page, reverse("desk:team_person", args=[demo["reviewer"].pk]), violations, shots, "team person")
    visit(page, reverse("desk:team_invite"), violations, shots, "invite")
    page.get_by_label("Email").fill("new.person@example.org")
    assert page.get_by_label("Username").input_value() == "new.person"  # the moved script runs
    violations.collect(page, "invite, typed into")
    visit(page, reverse("desk:checks"), violations, shots, "checks page")
    visit(page, reverse("admin:index"), violations, shots, "admin index")
    topic = Topic.objects.order_by("pk").first()
    visit(page, reverse("admin:articles_topic_change", args=[topic.pk]), violations, shots, "admin change page")
    visit(page, reverse("admin:articles_topic_changelist"), violations, shots, "admin list")

    violations.assert_none()
