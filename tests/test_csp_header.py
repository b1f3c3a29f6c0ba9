"""The Content-Security-Policy header: on public and editorial pages, with no inline script
anywhere and the article editor's one relaxation on the editor alone. That the pages work under it
is tests/browser/test_csp.py."""
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from tests.factories import make_published, make_topic, make_writer

ROOT = Path(__file__).resolve().parent.parent


def policy(response) -> dict[str, list[str]]:
    header = response.headers["Content-Security-Policy"]
    return {name: values for name, *values in (part.split() for part in header.split(";"))}


@pytest.fixture
def article():
    return make_published(make_writer("wes"), title="Melatonin for sleep", topics=[make_topic("Sleep")])


PUBLIC_PAGES = {"home": "/", "article": "/articles/melatonin-for-sleep/", "topic": "/topics/sleep/",
                "person": "/people/wes/", "search": "/search/?q=sleep"}


@pytest.mark.parametrize("page", PUBLIC_PAGES)
@pytest.mark.parametrize("cached", [False, True], ids=["rendered", "from the page cache"])
def test_public_pages_allow_scripts_from_this_site_only(client, article, page, cached):
    if cached:
        client.get(PUBLIC_PAGES[page])
    response = client.get(PUBLIC_PAGES[page])

    assert response.status_code == 200
    directives = policy(response)
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert "style-src-attr" not in directives
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    assert directives["form-action"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert not any("unsafe" in value for values in directives.values() for value in values)


def test_desk_pages_send_the_same_policy(client, article):
    client.force_login(article.authors.get())

    directives = policy(client.get(reverse("desk:dashboard")))

    assert directives["script-src"] == ["'self'"]
    assert "style-src-attr" not in directives


def test_the_article_editor_allows_style_attributes_and_still_no_inline_script(client, article):
    client.force_login(article.authors.get())

    for path in (reverse("desk:new"), reverse("desk:edit", args=[article.pk])):
        directives = policy(client.get(path))
        assert directives["style-src-attr"] == ["'unsafe-inline'"], path
        assert directives["script-src"] == ["'self'"], path
        assert directives["style-src"] == ["'self'"], path


def test_the_admin_sends_the_strict_policy(admin_client):
    directives = policy(admin_client.get(reverse("admin:index")))

    assert directives["script-src"] == ["'self'"]
    assert "style-src-attr" not in directives


def test_templates_hold_no_inline_script_event_handler_or_style():
    """Inline code would need a nonce, which a cached public page cannot keep fresh; inline styles
    are refused by style-src 'self' (the editor's TinyMCE aside)."""
    offending = []
    for template in (ROOT / "templates").rglob("*.html"):
        text = template.read_text()
        for match in re.finditer(r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\s(on[a-z]+|style)=\"|javascript:", text):
            offending.append(f"{template.relative_to(ROOT)}: {match.group(0)}")
    assert not offending, "\n".join(offending)


SHOW_POLICY = """
import json, django
django.setup()
from django.conf import settings
print(json.dumps(settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"]))
"""


@pytest.mark.parametrize(("env", "origin"), [
    ({"AWS_S3_ENDPOINT_URL": "https://s3.example.test"}, "https://s3.example.test"),
    ({"AWS_S3_CUSTOM_DOMAIN": "media.health.example"}, "https://media.health.example"),
    ({}, "https://health-media.s3.amazonaws.com"),
])
def test_images_may_come_from_the_media_bucket(env, origin):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("AWS_") and k != "DJANGO_ENV"}
    environment.update(env, AWS_STORAGE_BUCKET_NAME="health-media", DJANGO_SETTINGS_MODULE="cms.settings")
    result = subprocess.run([sys.executable, "-c", SHOW_POLICY], cwd=ROOT, env=environment,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr

    assert json.loads(result.stdout.strip().splitlines()[-1]) == ["'self'", origin]
