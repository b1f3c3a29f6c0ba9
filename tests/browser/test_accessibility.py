"""axe-core, installed from npm by the project's package.json (npm ci), run in Chromium on every
kind of public page: zero violations, on a phone-sized screen and a desktop one. Also: the pages
do not shift as they load.

Without node_modules/axe-core these tests skip with a reason on a developer machine and fail when
CI=true (.ci/run runs npm ci first), like the Chromium check in conftest.py.
"""
import json
from pathlib import Path

import pytest

from reviews.models import ReviewerProfile
from tests.factories import SECTION_TEXT, make_published, make_reviewer, make_topic, make_writer

from .conftest import ROOT, _in_ci

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


@pytest.fixture
def axe_source() -> Path:
    if AXE.exists():
        return AXE
    reason = f"accessibility tests need axe-core at {AXE.relative_to(ROOT)} (run: npm ci)"
    if _in_ci():
        pytest.fail(f"CI=true and {reason}; .ci/run installs it before the tests.", pytrace=False)
    pytest.skip(reason)


@pytest.fixture
def site():
    """A published article with every section, references and topics, its writer and reviewer."""
    sleep, supplements = make_topic("Sleep", "Sleeping well, and what to do when you cannot."), make_topic("Supplements")
    writer = make_writer("wes", first_name="Wes", last_name="Tan")
    reviewer = make_reviewer(first_name="Amara", last_name="Okafor", credentials="PharmD")
    ReviewerProfile.objects.filter(user=reviewer).update(bio="Clinical pharmacist.\n\nReviews sleep articles.")
    article = make_published(
        writer, reviewer=reviewer, title="Melatonin for sleep", topics=[sleep, supplements],
        body="<p>Melatonin is a hormone.</p><h2>How people use it</h2><p>For jet lag and <a href=\"https://example.org\">shift work</a>.</p>",
        sections={key: f"<p>{text}</p>" for key, text in SECTION_TEXT.items()},
        references=[{"title": f"Melatonin study {n}", "doi": f"10.1000/mel.{n}", "pmid": str(5000000 + n),
                     "url": f"https://example.org/study/{n}", "source": "Sleep Journal", "year": 2020}
                    for n in range(1, 6)],
    )
    make_published(writer, reviewer=reviewer, title="Magnesium and sleep", topics=[sleep])
    return {
        "home": "/",
        "article": article.get_absolute_url(),
        "topic": "/topics/sleep/",
        "search": "/search/?q=sleep",
        "search without results": "/search/?q=zebra",
        "writer": "/people/wes/",
        "reviewer": f"/people/{reviewer.reviewer_profile.slug}/",
        "not found": "/articles/no-such-article/",
    }


def axe_violations(page, axe_source: Path) -> list[dict]:
    # Evaluated, not added as a <script>: the site's Content-Security-Policy refuses inline scripts.
    page.evaluate(axe_source.read_text())
    # Every rule axe runs by default: WCAG 2.0-2.2 A and AA, plus its best practices.
    results = page.evaluate("async () => await axe.run(document)")
    return [{"id": v["id"], "impact": v["impact"], "help": v["help"],
             "nodes": [node["target"] for node in v["nodes"]][:5]} for v in results["violations"]]


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_axe_finds_no_violations_on_any_public_page(new_page, shots, site, axe_source, viewport):
    page = new_page()
    page.set_viewport_size(VIEWPORTS[viewport])
    found = {}
    for name, path in site.items():
        response = page.goto(path)
        assert response.status == (404 if name == "not found" else 200), path
        shots.take(page, f"{viewport} {name}")
        violations = axe_violations(page, axe_source)
        if violations:
            found[name] = violations

    assert not found, "axe violations:\n" + json.dumps(found, indent=2)


def test_the_article_page_does_not_shift_as_it_loads(page, shots, site):
    page.add_init_script("""
        window.__shift = 0;
        new PerformanceObserver((list) => {
            for (const entry of list.getEntries()) { if (!entry.hadRecentInput) window.__shift += entry.value; }
        }).observe({type: 'layout-shift', buffered: true});
    """)
    page.set_viewport_size(VIEWPORTS["phone"])
    page.goto(site["article"], wait_until="load")
    page.wait_for_timeout(500)
    shots.take(page, "article on a phone")

    assert page.evaluate("window.__shift") < 0.01


def test_the_article_page_prints_without_the_site_navigation(page, shots, site):
    page.goto(site["article"])
    page.emulate_media(media="print")
    shots.take(page, "article as printed")

    assert not page.locator(".site-header nav").is_visible()
    assert page.locator("ol.references").is_visible()
    assert page.locator(".disclaimer").is_visible()
