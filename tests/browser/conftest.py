"""Browser tests: real Chromium (Debian's /usr/bin/chromium) driven by Playwright against live_server.

Every test here is marked ``browser`` and ``django_db(transaction=True, serialized_rollback=True)``:

* transaction=True because the live server answers from another thread, so the test's data must
  be committed. tests/conftest.py's autouse ``db`` fixture does not get in the way: pytest-django
  builds one database helper per test from the django_db marker (and from live_server being
  requested), so these tests run as TransactionTestCase even though ``db`` is requested too.
* serialized_rollback=True because a transactional test ends by flushing every table, which would
  also delete what the data migrations created (the role groups, the article types). Django
  restores that snapshot before each of these tests. pytest-django runs transactional tests after
  all the others, so the flush never reaches the ordinary tests.
* Playwright (and Chromium) start per test, after the database fixtures: see playwright_instance.

Without Chromium the tests skip with a reason on a developer machine and fail when CI=true.
Screenshots of every step go to artifacts/screenshots/<test>/<NN-step>.png.
"""
import os
import re
import shutil
from pathlib import Path

import pytest

# Debian's Chromium; CHROMIUM_PATH points elsewhere (another build, or a missing path to try the skip).
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
PASSWORD = "pw-for-tests-only"  # tests/factories.make_user's password
TIMEOUT_MS = 15_000


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def _require_chromium() -> None:
    if Path(CHROMIUM).exists():
        return
    reason = f"browser tests need Chromium at {CHROMIUM} (apt-get install chromium)"
    if _in_ci():
        pytest.fail(f"CI=true and {reason}; .ci/run installs it before the tests.", pytrace=False)
    pytest.skip(reason)


@pytest.fixture
def playwright_instance(transactional_db, live_server):
    """Playwright for one test, started only after the test database is set up.

    Playwright's sync API keeps an asyncio event loop running in this thread. While one runs,
    Django's connection handler (an asgiref Local) hands out a separate, context-local database
    connection, and Django refuses ORM calls unless DJANGO_ALLOW_ASYNC_UNSAFE is set. So the
    loop must not be running while pytest-django sets up or flushes the database (a session-wide
    Playwright would make that setup skip the serialized-rollback restore, and every test after
    the first would find the role groups and article types gone). Hence one Playwright per test,
    depending on the database fixtures so it starts after them and stops before their teardown,
    closing the context-local connection it caused (PostgreSQL cannot drop the test database while
    a connection is left open).
    """
    _require_chromium()
    from django.db import connections
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            try:
                yield playwright
            finally:
                connections.close_all()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def browser(playwright_instance):
    browser = playwright_instance.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


class Screenshots:
    """Numbered screenshots for one test: artifacts/screenshots/<test>/<NN-step>.png."""

    def __init__(self, test_name: str):
        self.directory = SCREENSHOTS / re.sub(r"[^\w.-]+", "_", test_name)
        shutil.rmtree(self.directory, ignore_errors=True)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.count = 0

    def take(self, page, step: str) -> Path:
        self.count += 1
        path = self.directory / f"{self.count:02d}-{re.sub(r'[^a-z0-9]+', '-', step.lower()).strip('-')}.png"
        page.screenshot(path=str(path), full_page=True)
        return path


@pytest.fixture
def shots(request) -> Screenshots:
    return Screenshots(request.node.name)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so fixtures can tell whether the test failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def new_page(request, browser, live_server, shots):
    """Open a page in a fresh browser context (its own cookies: one person each).

    Uncaught JavaScript errors on any page fail the test at the end. When the test fails, every
    open page is screenshotted as NN-failure-page-N.png next to the step screenshots.
    """
    contexts, pages, js_errors = [], [], []

    def open_page():
        context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: js_errors.append(f"{page.url}: {error}"))
        pages.append(page)
        return page

    yield open_page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        for number, page in enumerate(pages, 1):
            try:
                shots.take(page, f"failure page {number}")
            except Exception:  # noqa: BLE001 - a page that cannot be captured must not hide the failure
                pass
    for context in contexts:
        context.close()
    assert not js_errors, "JavaScript errors in the browser:\n" + "\n".join(js_errors)


@pytest.fixture
def page(new_page):
    return new_page()


def login(page, user, password: str = PASSWORD) -> None:
    """Log in through /accounts/login/ like a person would; lands on the editorial desk."""
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(user.get_username())
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/editorial/")


def wait_for_editors(page) -> None:
    """Wait until TinyMCE has replaced every rich-text textarea of the article form."""
    page.wait_for_function(
        """() => {
            const areas = document.querySelectorAll('#article-form textarea.tinymce');
            return window.tinymce && areas.length > 0 && Array.from(areas).every(
                (area) => { const ed = tinymce.get(area.id); return ed && ed.initialized; });
        }"""
    )


def set_editor_html(page, field_id: str, html: str) -> None:
    """Put HTML into one TinyMCE editor and tell it (and the live gate) that it changed."""
    page.evaluate(
        """([id, html]) => { const ed = tinymce.get(id); ed.setContent(html); ed.fire('change'); }""",
        [field_id, html],
    )
