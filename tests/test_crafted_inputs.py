"""No request can hold a worker: crafted HTML costs time in proportion to its size through the
sanitizer, the automated checks and the live gate endpoint (issue 14, item 7), and a field over a
limit (articles.limits: size, nesting, tags, sentences) is refused by name, keeping what was typed.

Each input is timed at N and 2N characters in the same test, the fastest of a few runs, so a slow
or busy machine slows both alike: twice the input must cost less than three times the time, and
nothing may take 5 s. bench/crafted.py times the same inputs at the size limit.
"""
import gc
import time

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.checks import run_checks
from articles.content import ArticleContent
from articles.models import ArticleType
from articles.sanitize import clean_html
from articles.sections import SECTION_KEYS
from tests.desk.test_editorial_views import editor_post
from tests.factories import make_writer

N = 100_000
MAX_SECONDS = 5.0
GROWTH = 3.0  # twice the input, at most three times the time
# Below this a time is mostly the shared machine's noise (a CI run once timed 41 ms, then 134 ms):
# the smaller run counts as at least this long. A superlinear path takes seconds at these sizes.
NOISE_FLOOR = 0.05
REPEATS = 4  # at most; a pair that passes stops early

CRAFTED = {
    "p soup": "<p ",
    "a href soup": "<a href>",
    "unknown script-x": "<script-x></script-x>",
    "deep nesting at the limit": "<div>" * 60 + "deep " + "</div>" * 60,
    "unclosed tags": "<p>x<li>y<td>z",
    "attribute soup": "<a b=",
    "quoted attribute soup": "<a href='",
    "comment soup": "<!--",
    "entity soup": "&#",
    "image comment soup": "<img <!--",
    "long word": "a",
    "one li list": "<li>Take it with food. ",
    # html5lib read these one character per Python call (some also with quadratic string building).
    "lone <": "<",
    "empty tag soup": "<>",
    "ampersand soup": "&",
    "control characters": "\x01",
    "long tag name": "<" + "a" * 50,
    "attribute name of digits": "<p " + "1" * 50,
    "quotes in a tag": "<p '",
    "comment dashes": "<!--" + "-x" * 20,
    "stray end tags": "</b>",
    "misnested formatting": "<b><i>x</b></i>",
    "many paragraphs": "<p>Sleep.</p>",
    "sentences": "Take it. ",
}
PIECES = ["<", ">", "</", "<p", "<p>", "<a ", "href=", "'", '"', "=", "<!--", "-->", "<![CDATA[", "&#", "&amp;",
          "<script-x>", "</script-x>", "<li>", "<b>", "</b>", "<img ", "x", " ", ". ", "Take it. ", "]>", "<h2>"]
SOUP = settings(max_examples=2, deadline=None, database=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


LIMIT_CODES = ("html_too_long", "html_too_deep", "html_too_many_tags", "text_too_many_sentences")


def fill(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


def article_type() -> ArticleType:
    return ArticleType(key="substance", name="Substance", min_references=3, required_sections=list(SECTION_KEYS)[:6])


def checks(text: str) -> None:
    sections = dict.fromkeys(SECTION_KEYS, "")
    sections[SECTION_KEYS[0]] = text
    run_checks(ArticleContent(title="Valerian", summary="What it is.", body=text, article_type_key="substance",
                              sections=sections, references=[]), article_type())


def sanitize(text: str) -> None:
    try:
        clean_html(text)
    except Exception as exc:  # a refusal at the limits is an answer too
        assert getattr(exc, "code", "") in LIMIT_CODES, exc


def assert_linear(run, unit: str) -> None:
    """The fastest of a few runs at N and 2N: 2N within GROWTH times N, and both under MAX_SECONDS."""
    small, large = fill(unit, N), fill(unit, 2 * N)
    best = {small: float("inf"), large: float("inf")}
    for _ in range(REPEATS):
        for text in (small, large):
            # Python's cyclic collector passes over every live object of the parse a few times
            # more at 2N: real, but the interpreter's, and noise next to what is measured here.
            gc.collect()
            gc.disable()
            try:
                start = time.perf_counter()
                run(text)
                best[text] = min(best[text], time.perf_counter() - start)
            finally:
                gc.enable()
        if best[large] <= GROWTH * max(best[small], NOISE_FLOOR) and best[large] < MAX_SECONDS:
            break
    assert best[large] < MAX_SECONDS, f"{2 * N:,} characters took {best[large]:.2f} s"
    assert best[large] <= GROWTH * max(best[small], NOISE_FLOOR), (
        f"{N:,} characters took {best[small]:.3f} s, {2 * N:,} took {best[large]:.3f} s")


# The inputs that were superlinear or slow somewhere (bench/README.md has the figures for all of them).
SLOW_BEFORE = ["a href soup", "attribute soup", "comment soup", "deep nesting at the limit", "entity soup",
               "image comment soup", "p soup", "quoted attribute soup", "unclosed tags", "unknown script-x",
               "lone <", "empty tag soup", "ampersand soup", "control characters", "long tag name",
               "attribute name of digits", "quotes in a tag", "comment dashes", "stray end tags",
               "misnested formatting", "many paragraphs", "sentences"]


@pytest.mark.parametrize("name", SLOW_BEFORE)
def test_crafted_html_costs_grow_linearly_through_the_sanitizer(name):
    assert_linear(sanitize, CRAFTED[name])


@pytest.mark.parametrize("name", SLOW_BEFORE)
def test_crafted_html_costs_grow_linearly_through_the_checks_and_the_gate(name):
    assert_linear(checks, CRAFTED[name])


@pytest.mark.parametrize("name", ["p soup", "attribute soup", "image comment soup", "many paragraphs", "sentences"])
def test_crafted_html_costs_grow_linearly_through_the_gate_endpoint(client, name):
    client.force_login(make_writer())

    def post(text):
        response = client.post(reverse("desk:gate"), editor_post(body=text, **{f"section_{SECTION_KEYS[0]}": text}))
        assert response.status_code == 200

    assert_linear(post, CRAFTED[name])


def test_tag_soup_costs_grow_linearly_with_size():
    @SOUP
    @given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=6).map("".join))
    def soup_is_linear(unit):
        assert_linear(sanitize, unit)
        assert_linear(checks, unit)

    soup_is_linear()


def test_html_over_the_size_limit_is_refused_at_its_field_and_kept_in_the_form(client):
    client.force_login(make_writer())
    body = "<p>Valerian. </p>" * 25_000  # 425,000 characters
    response = client.post(reverse("desk:new"), editor_post(body=body))
    assert response.status_code == 200
    errors = response.context["form"].errors["body"]
    assert any("400,000" in error for error in errors)
    assert response.context["form"]["body"].value() == body


def test_the_gate_endpoint_names_the_field_over_the_nesting_limit(client):
    client.force_login(make_writer())
    response = client.post(reverse("desk:gate"), editor_post(body="<a href>" * 50_000))
    payload = response.json()
    assert payload["form_errors"]
    assert any(failure["field"] == "body" and "60 deep" in failure["message"] for failure in payload["failures"])


def test_html_over_the_tag_limit_is_refused_at_its_field_and_kept_in_the_form(client):
    client.force_login(make_writer())
    body = "<p>Sleep.</p>" * 6_000  # 12,000 tags in 78,000 characters
    response = client.post(reverse("desk:new"), editor_post(body=body))
    assert response.status_code == 200
    assert any("12,000 tags" in error and "10,000" in error for error in response.context["form"].errors["body"])
    assert response.context["form"]["body"].value() == body


def test_the_gate_endpoint_names_the_field_over_the_sentence_limit(client):
    client.force_login(make_writer())
    section = f"section_{SECTION_KEYS[0]}"
    response = client.post(reverse("desk:gate"), editor_post(**{section: "<p>" + "Take it. " * 12_000 + "</p>"}))
    failures = response.json()["failures"]
    assert any(failure["field"] == section and "sentences" in failure["message"] and "10,000" in failure["message"]
               for failure in failures)
