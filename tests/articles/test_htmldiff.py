"""The HTML diff engine: what a reviewer sees marked, where, and that nothing in it can run."""
import random
import re
import time

from articles.htmldiff import diff_html
from articles.htmltree import clean


def inline(old: str, new: str) -> str:
    return "".join(row.inline_html for row in diff_html(old, new).rows)


def marks(html: str) -> list[str]:
    return re.findall(r"<(?:ins|del)\b[^>]*>.*?</(?:ins|del)>", html)


def test_a_word_changed_inside_a_list_item_is_marked_inside_that_item():
    old = "<ul><li>Nausea and headache</li><li>A dry mouth in the morning</li></ul>"
    new = "<ul><li>Nausea and headache</li><li>A dry mouth at night</li></ul>"

    [row] = diff_html(old, new).rows

    assert row.inline_html == ('<ul><li>Nausea and headache</li><li>A dry mouth <del data-change="1">in the '
                               'morning</del><ins>at night</ins></li></ul>')
    assert row.old_html == '<ul><li>Nausea and headache</li><li>A dry mouth <del data-change="1">in the morning</del></li></ul>'
    assert row.new_html == '<ul><li>Nausea and headache</li><li>A dry mouth <ins data-change="1">at night</ins></li></ul>'


def test_an_edited_heading_stays_a_heading_with_the_added_words_marked():
    rows = diff_html("<h2>Side effects</h2><p>Common ones.</p>", "<h2>Side effects and risks</h2><p>Common ones.</p>").rows

    assert [row.kind for row in rows] == ["changed", "equal"]
    assert rows[0].inline_html == '<h2>Side effects<ins data-change="1"> and risks</ins></h2>'


def test_a_heading_that_changes_level_shows_the_old_one_deleted_and_the_new_one_inserted():
    rows = diff_html("<h2>Dosing</h2>", "<h3>Dosing</h3>").rows

    assert [(row.kind, row.inline_html) for row in rows] == [
        ("delete", '<del class="diff-block" data-change="1"><h2>Dosing</h2></del>'),
        ("insert", '<ins class="diff-block"><h3>Dosing</h3></ins>'),
    ]


def test_a_paragraph_inserted_before_an_edited_one_is_inserted_whole_and_the_edit_stays_with_its_paragraph():
    old = "<p>Valerian may help people fall asleep a little sooner.</p>"
    new = ("<p>Most trials of valerian were small and short.</p>"
           "<p>Valerian may help some people fall asleep a little sooner.</p>")

    rows = diff_html(old, new).rows

    assert [row.kind for row in rows] == ["insert", "changed"]
    assert rows[0].inline_html == ('<ins class="diff-block" data-change="1"><p>Most trials of valerian were small '
                                   'and short.</p></ins>')
    assert rows[1].inline_html == ('<p>Valerian may help <ins data-change="2">some </ins>people fall asleep a '
                                   'little sooner.</p>')
    assert rows[1].old_html == "<p>Valerian may help people fall asleep a little sooner.</p>"


def test_a_changed_table_cell_is_marked_inside_that_cell_of_the_real_table():
    old = ("<table><thead><tr><th>Dose</th><th>Effect</th></tr></thead>"
           "<tbody><tr><td>100 mg</td><td>none</td></tr><tr><td>300 mg</td><td>mild</td></tr></tbody></table>")
    new = old.replace("<td>mild</td>", "<td>moderate</td>")

    [row] = diff_html(old, new).rows

    assert row.inline_html == old.replace(
        "<td>mild</td>", '<td><del data-change="1">mild</del><ins>moderate</ins></td>')


def test_a_deleted_list_item_is_marked_on_the_item_so_the_list_stays_valid():
    [row] = diff_html("<ol><li>Rest</li><li>Fluids</li></ol>", "<ol><li>Rest</li></ol>").rows

    assert row.inline_html == '<ol><li>Rest</li><li class="diff-del"><del data-change="1">Fluids</del></li></ol>'
    assert row.new_html == "<ol><li>Rest</li></ol>"


def test_a_changed_link_target_shows_as_a_word_change_after_the_link_text():
    old = '<p>Read <a href="https://example.org/guide/2023">the guide</a>.</p>'
    new = '<p>Read <a href="https://example.org/guide/2024">the guide</a>.</p>'

    [row] = diff_html(old, new).rows

    assert row.inline_html == (
        '<p>Read <a href="https://example.org/guide/2024">the guide</a> <span class="link-target">'
        '(https://example.org/guide/<del data-change="1">2023</del><ins>2024</ins>)</span>.</p>')
    assert 'href="https://example.org/guide/2023"' in row.old_html


def test_a_replaced_image_shows_the_old_one_deleted_and_the_new_one_inserted():
    old = '<figure><img src="/media/images/a.webp" alt=""><figcaption>The liver</figcaption></figure>'
    new = '<figure><img src="/media/images/b.webp" alt=""><figcaption>The liver</figcaption></figure>'

    [row] = diff_html(old, new).rows

    assert row.inline_html == (
        '<figure><del data-change="1"><img src="/media/images/a.webp" alt=""></del>'
        '<ins><img src="/media/images/b.webp" alt=""></ins><figcaption>The liver</figcaption></figure>')


def test_text_that_becomes_bold_shows_as_changed():
    [row] = diff_html("<p>Do not drive.</p>", "<p>Do <strong>not</strong> drive.</p>").rows

    assert row.inline_html == '<p>Do <del data-change="1">not</del><strong><ins>not</ins></strong> drive.</p>'


def test_identical_input_has_no_marks_and_no_changes():
    html = "<h2>Interactions</h2><p>It can strengthen <a href=\"https://example.org\">warfarin</a>.</p><ul><li>Alcohol</li></ul>"

    result = diff_html(html, html)

    assert result.changes == 0
    assert {row.kind for row in result.rows} == {"equal"}
    assert not any(marks(row.inline_html) for row in result.rows)


def test_each_change_is_counted_once_and_numbered_on_its_first_mark():
    old = "<p>One two three four five six seven eight.</p><p>Unchanged paragraph.</p><ul><li>Nine ten</li></ul>"
    new = "<p>One TWO three four five six SEVEN eight.</p><p>Unchanged paragraph.</p><ul><li>Nine ten</li><li>Eleven</li></ul>"

    result = diff_html(old, new)
    page = "".join(row.inline_html for row in result.rows)

    assert result.changes == 3
    assert [row.changes for row in result.rows] == [2, 0, 1]
    assert re.findall(r'data-change="(\d+)"', page) == ["1", "2", "3"]
    # A change is a run of adjacent marks: the deletion and insertion of "two" are one change.
    assert '<del data-change="1">two</del><ins>TWO</ins>' in page


def test_the_first_version_of_a_field_is_all_inserted():
    result = diff_html("", "<p>New text.</p><ul><li>An item</li></ul>")

    assert [row.kind for row in result.rows] == ["insert", "insert"]
    assert result.rows[0].inline_html == '<ins class="diff-block" data-change="1"><p>New text.</p></ins>'
    assert result.rows[0].old_html == ""


def test_hostile_input_comes_out_inert():
    hostile = ('<p onclick="steal()">Hi<script>alert(1)</script><style>p{}</style>'
               '<img src="x" onerror="alert(2)"><img src="javascript:alert(3)">'
               '<a href="javascript:alert(4)">one</a><a href=" java\tscript:alert(5)">two</a>'
               '<a href="data:text/html,<b>6</b>">three</a><iframe src="https://evil.example"></iframe>'
               '<span title="&quot; onmouseover=&quot;alert(7)">quote</span><ins>fake</ins></p>'
               '<svg><script>alert(8)</script></svg><script>unclosed(9)')

    for html in [*(getattr(row, name) for row in diff_html("<p>Hi</p>", hostile).rows
                   for name in ("old_html", "new_html", "inline_html")), clean(hostile)]:
        assert "<script" not in html and "alert" not in html and "steal" not in html and "unclosed" not in html
        assert not re.search(r"\son\w+=", html)
        assert "javascript" not in html.lower() and "data:" not in html
        assert "<iframe" not in html and "<svg" not in html and "<style" not in html
        assert "onmouseover" not in html and "title=" not in html
    # Marks are the diff's own: an <ins> in the input is not kept as one.
    assert clean(hostile) == "<p>Hi<img src=\"x\"><img><a>one</a><a>two</a><a>three</a><span>quote</span>fake</p>"


def test_text_and_attributes_are_escaped_whatever_the_input_holds():
    result = clean('<p>5 &lt; 6 &amp; "x"</p><a href="/a?b=1&amp;c=&quot;2&quot;">link</a>')

    assert result == '<p>5 &lt; 6 &amp; "x"</p><a href="/a?b=1&amp;c=&quot;2&quot;">link</a>'


def test_deep_nesting_does_not_break_the_diff():
    deep = "<blockquote>" * 5000 + "text" + "</blockquote>" * 5000

    result = diff_html(deep, deep.replace("text", "words"))

    assert result.changes == 1


def test_a_10000_word_paragraph_with_a_few_changed_words_is_diffed_quickly():
    rng = random.Random(7)
    vocabulary = "sleep trial dose adults evidence small benefit liver harm week placebo night".split()
    words = [rng.choice(vocabulary) for _ in range(10_000)]
    edited = list(words)
    for index in range(0, 10_000, 500):
        edited[index] = "CHANGED"

    started = time.perf_counter()
    result = diff_html(f"<p>{' '.join(words)}</p>", f"<p>{' '.join(edited)}</p>")

    assert time.perf_counter() - started < 2
    assert result.changes == 20


def test_past_its_deadline_the_diff_is_coarse_but_still_complete():
    old = "<p>" + " ".join(f"w{n}" for n in range(3000)) + "</p>"
    new = old.replace("w1500", "changed")

    [row] = diff_html(old, new, deadline=time.time() - 1).rows

    text = re.sub(r"<[^>]+>", "", row.old_html)
    assert "w1500" in text and "w0 " in text and "w2999" in text
    assert "changed" in re.sub(r"<[^>]+>", "", row.new_html)


def test_the_inline_rendering_holds_both_versions_whole_whatever_the_edit():
    rng = random.Random(11)
    vocabulary = "the trial dose of sleep in adults was small, and the benefit; unclear".split()

    def text_without(html: str, mark: str) -> str:
        return re.sub(r"<[^>]+>", "", re.sub(rf"<{mark}\b[^>]*>.*?</{mark}>", "", html))

    for length in (5, 40, 400, 1500):
        paragraphs = [" ".join(rng.choice(vocabulary) for _ in range(length)) for _ in range(rng.randint(1, 12))]
        edited = [" ".join(word if rng.random() > 0.05 else rng.choice(vocabulary) for word in p.split())
                  for p in paragraphs if rng.random() > 0.1]
        edited.insert(rng.randint(0, len(edited)), "an inserted paragraph")
        old, new = "".join(f"<p>{p}</p>" for p in paragraphs), "".join(f"<p>{p}</p>" for p in edited)

        page = "".join(row.inline_html for row in diff_html(old, new).rows)

        assert text_without(page, "ins") == re.sub(r"<[^>]+>", "", old)
        assert text_without(page, "del") == re.sub(r"<[^>]+>", "", new)
