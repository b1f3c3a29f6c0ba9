"""Images in the real editor: a body image through TinyMCE's upload, and a lead image through the
plain file field, both checked and cleaned by the server, with alt text held to by the gate."""
import re

import pytest
from playwright.sync_api import expect

from articles.models import Article
from tests.factories import image_bytes, make_draft, make_writer

from .conftest import login, wait_for_editors

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# A PNG drawn in the page, put into the body as a data: image the way a paste or drop would,
# then sent by TinyMCE's own uploadImages() through the project's images_upload_handler.
UPLOAD_BODY_IMAGE_JS = """async () => {
    const canvas = document.createElement('canvas');
    canvas.width = 640; canvas.height = 360;
    const context = canvas.getContext('2d');
    context.fillStyle = '#00507a'; context.fillRect(0, 0, 640, 360);
    const editor = tinymce.get('id_body');
    editor.setContent('<p>Intro.</p><figure class="image"><img src="' + canvas.toDataURL('image/png') +
                      '" alt="A blue chart of doses by age"><figcaption>Doses by age</figcaption></figure>');
    await editor.uploadImages();
    editor.fire('change');
    return editor.getContent();
}"""


def test_a_writer_adds_a_body_image_and_a_lead_image_and_the_gate_asks_for_alt_text(page, shots):
    writer = make_writer()
    article = make_draft(writer, title="Valerian for sleep")
    login(page, writer)
    page.goto(f"/editorial/articles/{article.pk}/edit/")
    wait_for_editors(page)

    body_html = page.evaluate(UPLOAD_BODY_IMAGE_JS)
    assert re.search(r'<img src="/media/images/[0-9a-f]{32}-640w\.png" alt="A blue chart of doses by age"', body_html), \
        body_html
    shots.take(page, "body image uploaded")

    page.locator("#id_lead-file").set_input_files(
        {"name": "tablets.jpg", "mimeType": "image/jpeg", "buffer": image_bytes("JPEG", (1200, 800))})
    panel = page.locator("[data-gate-results]")
    expect(panel).to_contain_text("The lead image has no alt text")
    shots.take(page, "gate asks for the lead image's alt text")
    page.locator("#id_lead-alt").fill("White tablets spilling from a brown bottle")
    expect(panel).not_to_contain_text("The lead image has no alt text")

    page.get_by_label("What changed (for the history)").fill("Added images")
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_url(f"**/editorial/articles/{article.pk}/")
    shots.take(page, "saved with images")

    saved = Article.objects.get(pk=article.pk)
    assert re.search(r'<figure><img alt="A blue chart of doses by age" data-image="[0-9a-f]{32}">\s*'
                     r"<figcaption>Doses by age</figcaption>\s*</figure>", saved.body), saved.body
    assert saved.lead_image.original_name == "tablets.jpg"
    assert saved.lead_image_alt == "White tablets spilling from a brown bottle"

    page.goto(f"/editorial/articles/{article.pk}/edit/")
    wait_for_editors(page)
    assert re.search(r'<img src="/media/images/[0-9a-f]{32}-640w\.png" alt="A blue chart of doses by age"',
                     page.evaluate("tinymce.get('id_body').getContent()"))
    expect(page.locator(".lead-image-current")).to_contain_text("tablets.jpg, 1200 × 800 pixels")
    shots.take(page, "editor shows both images again")


def test_a_refused_upload_in_the_editor_names_the_reason(page):
    writer = make_writer()
    article = make_draft(writer)
    login(page, writer)
    page.goto(f"/editorial/articles/{article.pk}/edit/")
    wait_for_editors(page)

    message = page.evaluate("""async () => {
        const blob = new Blob(['<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'],
                              {type: 'image/png'});
        try {
            await window.cmsImageUploadHandler({blob: () => blob, filename: () => 'chart.png'});
            return 'accepted';
        } catch (error) { return error.message; }
    }""")

    assert message.startswith('"chart.png" is an SVG drawing')
