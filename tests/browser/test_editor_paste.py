"""Pasting from Word (or a web page) into the TinyMCE editors stores only clean HTML.

TinyMCE 7's own paste path does the first cleaning (valid_elements in TINYMCE_DEFAULT_CONFIG);
articles.sanitize.clean_html does the authoritative one on save. This checks what is stored.
"""
import re

import pytest
from playwright.sync_api import expect

from articles.models import Article
from tests.factories import make_writer

from .conftest import login, wait_for_editors

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# What Word puts on the clipboard, plus the things a hostile or careless page would add.
WORD_HTML = """<html xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:w="urn:schemas-microsoft-com:office:word">
<head><meta name=Generator content="Microsoft Word 15"><style>
p.MsoNormal {margin:0cm; font-size:11.0pt; font-family:"Calibri",sans-serif;}
</style><!--[if gte mso 9]><xml><w:WordDocument><w:View>Normal</w:View><w:Zoom>0</w:Zoom></w:WordDocument></xml><![endif]--></head>
<body lang=EN-GB style='tab-interval:36.0pt'>
<!--StartFragment-->
<p class=MsoNormal style='margin-bottom:0cm;line-height:normal'>Melatonin may ease <b style='color:red'>jet lag</b> in adults.<o:p></o:p></p>
<script>window.pastedScriptRan = true; document.title = 'pwned';</script>
<p class=MsoNormal><span style='font-size:14.0pt;mso-bidi-font-family:Arial'>Take it about an hour before bed.</span><o:p>&nbsp;</o:p></p>
<p class=MsoListParagraphCxSpFirst style='text-indent:-18.0pt;mso-list:l0 level1 lfo1'><![if !supportLists]><span style='font-family:Symbol;mso-fareast-font-family:Symbol'><span style='mso-list:Ignore'>&middot;<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp; </span></span></span><![endif]>Stop if you feel drowsy the next day.<o:p></o:p></p>
<style>body { display: none }</style>
<p style="color:blue" onclick="window.pastedClick = true">Keep it away from children.</p>
<!--EndFragment-->
</body></html>"""

KEPT_TEXT = ("Melatonin may ease", "jet lag", "in adults.", "Take it about an hour before bed.",
             "Stop if you feel drowsy the next day.", "Keep it away from children.")
FORBIDDEN = ("<script", "pastedScriptRan", "pwned", "<style", "display: none", "MsoNormal", "mso-",
             "o:p", "<o:", "class=", "style=", "onclick", "<span", "<!--", "<![", "supportLists", "<xml",
             "w:WordDocument", "<meta")

PASTE_EVENT_JS = """(html) => {
    const editor = tinymce.get('id_body');
    editor.focus();
    const data = new DataTransfer();
    data.setData('text/html', html);
    data.setData('text/plain', 'plain text fallback that must not be used');
    const event = new ClipboardEvent('paste', {clipboardData: data, bubbles: true, cancelable: true});
    editor.getBody().dispatchEvent(event);
    return event.defaultPrevented;
}"""


def _assert_clean(html: str, where: str) -> None:
    for needle in FORBIDDEN:
        assert needle.lower() not in html.lower(), f"{where} still holds {needle!r}: {html}"
    for text in KEPT_TEXT:
        assert text in html.replace("&nbsp;", " "), f"{where} lost {text!r}: {html}"
    tags = set(re.findall(r"</?([a-zA-Z][\w:-]*)", html))
    assert tags <= {"p", "strong", "b", "em", "i", "br", "ul", "ol", "li"}, f"{where} has tags {tags}: {html}"
    assert not re.search(r"<[a-z]+\s", html), f"{where} has attributes: {html}"


def test_pasting_word_html_stores_clean_html(page, shots):
    writer = make_writer("wendy")
    login(page, writer)
    page.goto("/editorial/articles/new/")
    wait_for_editors(page)
    page.locator("#id_title").fill("Pasted from Word")
    page.get_by_label("Summary").fill("Checks that a paste from Word is cleaned.")

    # 1. The body: a real paste event carrying text/html, as the browser fires it on Ctrl+V.
    handled = page.evaluate(PASTE_EVENT_JS, WORD_HTML)
    assert handled, "TinyMCE did not take over the paste event"
    page.wait_for_function("() => tinymce.get('id_body').getContent().includes('away from children')")
    # 2. A section: TinyMCE 7's paste command, the path its own paste plugin ends in.
    page.evaluate(
        "(html) => tinymce.get('id_section_side_effects').execCommand('mceInsertClipboardContent', false, {html})",
        WORD_HTML,
    )
    page.wait_for_function(
        "() => tinymce.get('id_section_side_effects').getContent().includes('away from children')")
    shots.take(page, "after paste")

    body_in_editor = page.evaluate("tinymce.get('id_body').getContent()")
    assert "plain text fallback" not in body_in_editor
    assert page.evaluate("() => tinymce.get('id_body').getWin().pastedScriptRan") is None
    assert page.evaluate("() => window.pastedScriptRan") is None
    expect(page).not_to_have_title("pwned")

    page.get_by_role("button", name="Save draft").click()
    page.wait_for_url(re.compile(r"/editorial/articles/\d+/$"))
    expect(page.locator(".messages")).to_contain_text("Draft created.")
    shots.take(page, "saved")

    article = Article.objects.get(title="Pasted from Word")
    _assert_clean(article.body, "Article.body")
    assert re.search(r"<(strong|b)>jet lag</(strong|b)>", article.body), article.body
    _assert_clean(article.sections_dict()["side_effects"], "the Side effects section")

    # What the writer sees after reloading is what was stored: nothing vanished on save.
    page.get_by_role("link", name="Edit", exact=True).click()
    wait_for_editors(page)
    frame = page.frame_locator("#id_body_ifr").locator("body")
    for text in KEPT_TEXT:
        expect(frame).to_contain_text(text)
    shots.take(page, "reopened in the editor")
