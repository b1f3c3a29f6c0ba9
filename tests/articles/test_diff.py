"""Content diffs as a reviewer reads them: every field in reading order, in the form readers see."""
import dataclasses
import re

from articles.diff import diff_content
from articles.sections import SECTION_KEYS
from tests.factories import complete_content, figure_html, lead, make_image


def by_key(old, new) -> dict:
    return {diff.key: diff for diff in diff_content(old, new)}


def inline(diff) -> str:
    return "".join(row.inline_html for row in diff.rows)


def thumbnail_url(image) -> str:
    # The images the factory makes are 64 pixels wide: one rendition width, in WebP and JPEG.
    return image.renditions.get(width=64, format="WEBP").file.url


def test_every_field_comes_in_reading_order_with_each_safety_section_in_its_own_right():
    image = make_image()
    content = complete_content(lead_image=lead(image))

    keys = [diff.key for diff in diff_content(content, content)]

    assert keys == ["title", "summary", "article_type", "lead_image", "body", *SECTION_KEYS, "references"]


def test_the_same_content_twice_has_no_changes_but_every_field_is_still_there_to_read():
    content = complete_content()

    diffs = diff_content(content, content)

    assert diffs.changes == 0
    assert not any(diff.changed for diff in diffs)
    assert "suggest a modest effect" in inline(by_key(content, content)["evidence_summary"])


def test_with_no_earlier_version_everything_is_inserted():
    content = complete_content(title="Kava and anxiety")

    diffs = diff_content(None, content)

    assert all(diff.changed for diff in diffs)
    assert all(row.kind == "insert" and row.old_html == "" for diff in diffs for row in diff.rows)
    assert inline(diffs[0]) == '<ins data-change="1">Kava and anxiety</ins>'
    assert diffs.changes == len(diffs)


def test_a_word_changed_in_one_section_marks_only_that_section():
    old = complete_content()
    sections = {**old.sections, "side_effects": old.sections["side_effects"].replace("headache", "dizziness")}
    new = dataclasses.replace(old, sections=sections)

    diffs = by_key(old, new)

    assert [key for key, diff in diffs.items() if diff.changed] == ["side_effects"]
    assert diffs["side_effects"].changes == 1
    assert '<del data-change="1">headache</del><ins>dizziness</ins>' in inline(diffs["side_effects"])


def test_body_images_show_as_thumbnails_with_their_alt_text_and_caption():
    image = make_image()
    content = complete_content(body="<p>Intro.</p>" + figure_html(image, alt="A chart of doses", caption="Doses by age"))

    body = inline(by_key(content, content)["body"])

    assert (f'<figure><img src="{thumbnail_url(image)}" alt="" width="64" height="48" class="diff-thumb" '
            'loading="lazy"> <span class="diff-alt">Alt text: A chart of doses</span>'
            "<figcaption>Doses by age</figcaption></figure>") in body


def test_a_replaced_body_image_shows_the_old_thumbnail_deleted_and_the_new_one_inserted():
    first, second = make_image(), make_image()
    old = complete_content(body=figure_html(first, alt="Liver"))
    new = dataclasses.replace(old, body=figure_html(second, alt="Liver"))

    body = inline(by_key(old, new)["body"])

    assert re.search(rf'<del data-change="1"><img src="{re.escape(thumbnail_url(first))}"[^>]*></del>'
                     rf'<ins><img src="{re.escape(thumbnail_url(second))}"[^>]*></ins>', body)
    assert "Alt text: Liver" in body and "<del>Liver" not in body


def test_a_reworded_alt_text_is_a_word_change_beside_the_same_picture():
    image = make_image()
    old = complete_content(body=figure_html(image, alt="A diagram of the liver"))
    new = dataclasses.replace(old, body=figure_html(image, alt="A diagram of the kidney"))

    body = inline(by_key(old, new)["body"])

    assert '<del data-change="1">liver</del><ins>kidney</ins>' in body
    assert f'<img src="{thumbnail_url(image)}"' in body and body.count("<img") == 1


def test_an_image_that_no_longer_exists_says_so():
    content = complete_content(body=f'<p><img alt="Gone" data-image="{"0" * 32}"></p>')

    body = inline(by_key(content, content)["body"])

    assert '<span class="diff-missing">(image missing)</span> <span class="diff-alt">Alt text: Gone</span>' in body


def test_the_lead_image_shows_as_a_small_figure_with_alt_text_caption_and_credit():
    image = make_image()
    old = complete_content(lead_image=lead(image, alt="Tablets", caption="Tablets in a hand", credit="CC BY"))
    new = dataclasses.replace(old, lead_image=lead(image, alt="Tablets", caption="Tablets in a hand",
                                                   credit="CC BY 4.0"))

    diff = by_key(old, new)["lead_image"]

    assert diff.changes == 1
    assert inline(diff) == (
        f'<figure class="diff-lead"><img src="{thumbnail_url(image)}" alt="" width="64" height="48" '
        'class="diff-thumb" loading="lazy"> <span class="diff-alt">Alt text: Tablets</span><figcaption>Tablets in '
        'a hand <span class="diff-credit">Credit: CC BY<ins data-change="1"> 4.0</ins></span></figcaption></figure>')


def test_references_are_a_numbered_list_with_their_doi_and_pubmed_links_written_out():
    content = complete_content(references=[
        {"title": "A trial of valerian", "source": "Sleep", "year": 2020, "doi": "10.1000/val.1", "pmid": "123",
         "url": "https://example.org/trial", "accessed": "2024-05-01"}])

    references = inline(by_key(content, content)["references"])

    assert references == (
        '<ol><li>A trial of valerian. Sleep (2020). Accessed 2024-05-01.<br>'
        'DOI: <a href="https://doi.org/10.1000/val.1" rel="nofollow noopener">https://doi.org/10.1000/val.1</a><br>'
        'PMID: <a href="https://pubmed.ncbi.nlm.nih.gov/123/" rel="nofollow noopener">'
        'https://pubmed.ncbi.nlm.nih.gov/123/</a><br>'
        'URL: <a href="https://example.org/trial" rel="nofollow noopener">https://example.org/trial</a></li></ol>')


def test_an_edited_doi_and_an_added_reference_are_marked_inside_the_list():
    old = complete_content()
    references = [dict(ref) for ref in old.references]
    references[1]["doi"] = "10.1000/example.22"
    references.append({"title": "A new review", "source": "Journal of Examples", "year": 2024})
    new = dataclasses.replace(old, references=references)

    diff = by_key(old, new)["references"]
    [row] = diff.rows
    html = row.inline_html

    assert diff.changes == 2
    assert html.startswith("<ol><li>Reference study 1.")
    assert 'https://doi.org/10.1000/example.<del data-change="1">2</del><ins>22</ins>' in html
    assert html.endswith('<li class="diff-ins"><ins data-change="2">A new review. Journal of Examples (2024).'
                         '</ins></li></ol>')


def test_a_changed_link_target_in_the_body_is_shown_after_the_link_text():
    old = complete_content(body='<p>See <a href="https://example.org/a" rel="nofollow noopener">the label</a>.</p>')
    new = dataclasses.replace(old, body=old.body.replace("example.org/a", "example.org/b"))

    body = inline(by_key(old, new)["body"])

    assert '<span class="link-target">(https://example.org/<del data-change="1">a</del><ins>b</ins>)</span>' in body


def test_plain_text_fields_are_escaped():
    old = complete_content(title="Doses <b>under</b> 5 & over")
    new = dataclasses.replace(old, title="Doses <b>under</b> 6 & over")

    title = inline(by_key(old, new)["title"])

    assert title == 'Doses &lt;b&gt;under&lt;/b&gt; <del data-change="1">5</del><ins>6</ins> &amp; over'


def test_all_images_of_both_versions_are_looked_up_together(django_assert_num_queries):
    first, second, third = make_image(), make_image(), make_image()
    old = complete_content(body=figure_html(first), lead_image=lead(third))
    new = dataclasses.replace(old, body=figure_html(second),
                              sections={**old.sections, "side_effects": figure_html(first)})

    # The article types' names, the images, and their renditions.
    with django_assert_num_queries(3):
        diff_content(old, new)
