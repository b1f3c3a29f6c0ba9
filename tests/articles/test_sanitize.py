"""The one HTML sanitizer: what survives clean_html, and what it refuses outright."""
import pytest
from django.core.exceptions import ValidationError

from articles.sanitize import clean_html


# --- Elements whose content is code or markup go with their content ---

@pytest.mark.parametrize("html", [
    "<script>stealCookies()</script>",
    "<SCRIPT type='text/javascript'>stealCookies()</SCRIPT>",
    "<style>body { display: none } stealCookies()</style>",
    "<svg><circle r='4'/><text>stealCookies()</text></svg>",
    "<math><mi>stealCookies()</mi></math>",
    "<noscript>stealCookies()</noscript>",
    "<template><p>stealCookies()</p></template>",
])
def test_code_elements_are_removed_with_their_content(html):
    cleaned = clean_html(f"<p>Before</p>{html}<p>After</p>")

    assert "stealCookies" not in cleaned
    assert cleaned == "<p>Before</p><p>After</p>"


def test_an_unclosed_script_is_removed_with_everything_it_would_swallow():
    cleaned = clean_html("<p>Before</p><script>stealCookies()")

    assert cleaned == "<p>Before</p>"


@pytest.mark.parametrize("element", ['<embed src="https://example.org/video.swf">', '<svg width="10"/>'])
def test_a_void_or_self_closed_code_element_does_not_swallow_the_text_after_it(element):
    cleaned = clean_html(f"<p>Intro</p>{element}<p>Stop taking it if your skin turns yellow.</p>")

    assert "Stop taking it if your skin turns yellow." in cleaned


# --- Attributes and comments ---

def test_style_attributes_are_removed():
    assert clean_html('<p style="color: red; font-size: 40px">Dose</p>') == "<p>Dose</p>"


def test_event_handler_attributes_are_removed():
    assert clean_html('<p onmouseover="steal()">Dose</p>') == "<p>Dose</p>"


def test_comments_are_removed():
    assert clean_html("<p>Dose<!-- internal note: check with legal --></p>") == "<p>Dose</p>"


# --- Links ---

@pytest.mark.parametrize("href", [
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    " javascript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
])
def test_links_with_a_scripting_or_data_scheme_lose_their_target(href):
    cleaned = clean_html(f'<p><a href="{href}">Read more</a></p>')

    assert "href" not in cleaned
    assert "Read more" in cleaned


@pytest.mark.parametrize("href", ["http://example.org/a", "https://example.org/a", "mailto:desk@example.org"])
def test_http_https_and_mailto_links_are_kept(href):
    assert f'href="{href}"' in clean_html(f'<a href="{href}">Source</a>')


@pytest.mark.parametrize("href", ["http://example.org/a", "https://example.org/a"])
def test_external_links_get_rel_nofollow_noopener(href):
    assert 'rel="nofollow noopener"' in clean_html(f'<a href="{href}">Source</a>')


def test_a_site_link_keeps_no_rel_smuggled_in_by_the_author():
    cleaned = clean_html('<a href="/articles/kava/" rel="sponsored">Kava</a>')

    assert 'href="/articles/kava/"' in cleaned
    assert "sponsored" not in cleaned


def test_an_external_link_cannot_be_given_a_target_window():
    assert "target" not in clean_html('<a href="https://example.org" target="_blank">Source</a>')


# --- Word markup ---

WORD_PASTE = (
    '<!--[if gte mso 9]><xml><w:WordDocument><w:View>Normal</w:View></w:WordDocument></xml><![endif]-->'
    '<p class="MsoNormal" style="mso-margin-top-alt:auto">Kava can injure the liver.<o:p></o:p></p>'
    '<p class="MsoListParagraphCxSpFirst" style="mso-list:l0 level1 lfo1">'
    '<![if !supportLists]><span style="mso-list:Ignore">1.</span><![endif]>Avoid alcohol.<o:p>&nbsp;</o:p></p>'
)


def test_word_office_tags_are_removed():
    assert "o:p" not in clean_html(WORD_PASTE)


def test_word_mso_classes_and_styles_are_removed():
    cleaned = clean_html(WORD_PASTE)

    assert "Mso" not in cleaned
    assert "mso-" not in cleaned


def test_word_conditional_comments_are_removed():
    cleaned = clean_html(WORD_PASTE)

    assert "[if" not in cleaned
    assert "endif" not in cleaned
    assert "WordDocument" not in cleaned


def test_word_paste_keeps_the_writers_text():
    cleaned = clean_html(WORD_PASTE)

    assert "Kava can injure the liver." in cleaned
    assert "Avoid alcohol." in cleaned


# --- What is kept ---

def test_allowed_structure_survives_unchanged():
    html = "<h2>Dose</h2><p><strong>No</strong> established safe dose.</p><ul><li>One</li></ul>"

    assert clean_html(html) == html


def test_empty_input_gives_empty_output():
    assert clean_html("") == ""


# --- Limits ---

def test_oversized_input_is_refused():
    with pytest.raises(ValidationError):
        clean_html("<p>" + "word " * 200_000 + "</p>")


def test_fifty_thousand_nested_divs_are_refused():
    with pytest.raises(ValidationError):
        clean_html("<div>" * 50_000)


def test_deep_nesting_of_allowed_elements_is_refused():
    with pytest.raises(ValidationError):
        clean_html("<blockquote>" * 1_000 + "deep" + "</blockquote>" * 1_000)


@pytest.mark.parametrize("unit", ["<blockquote/>", "<blockquote></i>", "<ul/>"])
def test_deep_nesting_written_to_dodge_the_depth_count_is_refused(unit):
    with pytest.raises(ValidationError):
        clean_html(unit * 1_000)


def test_a_bulleted_list_pasted_from_word_becomes_a_list_again():
    pasted = ('<p class="MsoListParagraph" style="mso-list:l0 level1 lfo1">·&nbsp;&nbsp; Nausea</p>'
              '<p class="MsoListParagraph">·&nbsp;&nbsp; Headache</p><p>Both usually pass.</p>')
    assert clean_html(pasted) == "<ul><li>Nausea</li><li>Headache</li></ul><p>Both usually pass.</p>"


def test_a_middle_dot_inside_a_sentence_is_left_alone():
    assert clean_html("<p>Doses of 5 · 10 mg</p>") == "<p>Doses of 5 · 10 mg</p>"
