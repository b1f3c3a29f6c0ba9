"""The sanitizer's bulk path (articles.html_prepass, then articles.bleach_linear) gives exactly what
bleach gave on the input as it came (the sanitizer before it), on generated tag soup and on the
corners of html5lib's tokenizer it reproduces."""
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.html_prepass import rewrite
from articles.sanitize import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, _sanitize

# Pieces of markup, including every character html5lib's tag, comment and doctype states treat
# specially, entities bleach keeps or escapes, tags it strips, and the formatting elements html5lib
# compares by their attributes when it reopens them.
PIECES = [
    "<", ">", "</", "<p", "<p>", "</p>", "<a ", "<a href=", "href", "=", "'", '"', "`", "/", "/>", " ", "\t", "\n",
    "\r", "\r\n", "\f", "<!--", "-->", "--!>", "-", "!", "<!", "<!-->", "<!--->", "<![CDATA[", "]]>", "<?", "?",
    "&", "&#", "&amp;", "&lt;", "&#12;", "&#12a;", "&#;", "&am;", "&amp", "&#x41;", "&nbsp;", ";", "<b>", "</b>",
    "<i>", "</i>", "<b class=x>", "<b class='y'>", "<strong>", "<em>", "<code>", "<a href='http://x.org'>",
    "<a title=t href=/x>", "</a>", "<li>", "<ul>", "</ul>", "<ol start=3>", "<table>", "<tr>", "<td colspan=2>",
    "</td>", "<th scope=row>", "</table>", "<pre>", "</pre>", "<br>", "<br/>", "</br>", "<hr>",
    "<img src=x alt='a'>", "<x>", "</x>", "<div>", "</div>", "<span>", "<textarea>", "<svg>", "<select>", "<xmp>",
    "<!DOCTYPE html>", "<!doctype", "<h2>", "<blockquote>", "<figure>", "<figcaption>", "x", "Take it. ", "1",
    "\x00", "\x01", "\x7f", "\ufdd0", "\u212a", "blocK", "<p a=b=c>", "<b a'b>", '<b a"b c>', "<b 'x>", "<b =x>",
    '<b a="x"y>', "<b a='x'/y>", "<b a a>", "<b a=1 a=2>", "<A HREF=1 href=2>", "< ", "<1", "</ x>", "</ b>", "</>",
    "<p/ >", "<a/href=x>", "<a href= >", "<a href=>", "<a\x00>", "<b\x00x=1>", "<p ", "<a b=", "<a href='",
    "<img <!--", "<a href=\"&#106;avascript:x\">", "<a title='&a;&b;'>", "<a href=#x&y;>", "<!--\x00>", "<!---\x00->",
]
SOUP = settings(max_examples=400, deadline=None, database=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@SOUP
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=30).map("".join))
def test_tag_soup_sanitizes_the_same_in_bulk_as_before(soup):
    assert _sanitize(soup) == _sanitize(soup, bulk=False)


CHARACTERS = list("<>/=\"'`!-?&#;: \t\n\r\f\x00\x01abpBAix1") + ["<b", "<a ", "</", "href", "<!--", "-->", "amp"]


@SOUP
@given(st.lists(st.sampled_from(CHARACTERS), min_size=1, max_size=40).map("".join))
def test_character_soup_sanitizes_the_same_in_bulk_as_before(soup):
    assert _sanitize(soup) == _sanitize(soup, bulk=False)


@pytest.mark.parametrize("html", [
    "a<!--\x00>b",               # html5lib's comment start states read NUL without moving on
    "a<!---\x00->b<!-- x --!>c",
    "<a href= >x</a>",           # "=" and then ">": an empty value
    '<b a"b><b a"b><b a"b><b a"b>x',  # bleach drops the quoted names; the four are alike then
    "<b a\"b c><b><b><b>x",      # ... but not when another error came after the last such name
    "x<p a",                     # a tag cut off in an attribute name stays as text
    "x<p a='y",                  # ... in a quoted value it goes
    "</ x>y</ b>z",              # "</" and a space: text, unless it holds an allowed tag's name
    "<pre>\n\nx</pre>",
    "&#12a;&am;&#;&amp;lt;",     # bleach's reading of entities, kept as it is
])
def test_corners_of_the_tokenizer_sanitize_the_same_in_bulk(html):
    assert _sanitize(html) == _sanitize(html, bulk=False)


def test_characters_html5lib_reads_one_at_a_time_become_plain_text_for_it():
    rewritten = rewrite("a < b && c\x01<p>", ALLOWED_TAGS, ALLOWED_ATTRIBUTES)
    assert "&" not in rewritten.html and "\x01" not in rewritten.html
    assert rewritten.html.count("<") == 1  # the <p>
    assert rewritten.html.translate(rewritten.restore) == "a < b && c\x01<p>"


def test_only_what_the_sanitizer_keeps_of_a_tag_reaches_html5lib():
    rewritten = rewrite('<a onclick=x HREF="/a" href="/b" title=t>x</a><x-y a=1>' + "<!-- c --><!--d-->",
                        ALLOWED_TAGS, ALLOWED_ATTRIBUTES)
    assert rewritten.html == '<a href="/a" title="t" prepass-identity="0">x</a><span><!---->'
