"""The importer's title: a heading that names a part of an article is never the title.
Fixtures are written here; their structure follows the real samples' (a section heading on the
first line; prose first, then headings; a table of contents at the top)."""
import pytest

from articles.importer import ImportProblem, parse_html, parse_text
from articles.sections import SECTIONS

ALIASES = [alias for section in SECTIONS for alias in section.aliases]


@pytest.mark.parametrize("alias", ALIASES)
def test_a_heading_that_names_a_safety_section_is_never_the_title_of_a_text_file(alias):
    heading = alias[0].upper() + alias[1:]
    parsed = parse_text(f"{heading}\nThe herb can upset the stomach in some adults.\nLater part\nMore text.\n")
    assert parsed.title == ""
    assert parsed.title_line == 1 and f'"{heading}", is a section heading' in parsed.title_problem


@pytest.mark.parametrize("alias", ["side effects", "interactions", "who should avoid it", "references"])
def test_a_heading_that_names_a_safety_section_is_never_the_title_of_an_html_file(alias):
    parsed = parse_html(f"<title>{alias.title()}</title>\n<h1>{alias.title()}</h1>\n<p>Drowsiness in some adults.</p>")
    assert parsed.title == ""
    assert parsed.title_line == 2


@pytest.mark.parametrize("heading", ["Introduction", "Potential Mechanisms", "Possible mechanisms", "Conclusion",
                                     "Key Takeaways", "Overview", "The bottom line", "Sources", "Side Effects:"])
def test_a_heading_that_names_a_part_of_any_article_is_never_the_title(heading):
    assert parse_text(f"{heading}\nA paragraph of ordinary prose follows here.\n").title == ""


def test_a_file_that_opens_with_prose_and_a_table_of_contents_is_untitled_and_keeps_its_headings():
    parsed = parse_text("A long opening paragraph about herbal teas, written as one sentence.\n"
                        "- Why people drink herbal tea at night\n- Who should avoid it\n"
                        "Why people drink herbal tea at night\nA paragraph about the habit.\n"
                        "Who should avoid it\nPeople taking sedatives should ask a pharmacist first.\n")
    assert parsed.title == ""
    assert "<h2>Why people drink herbal tea at night</h2>" in parsed.body
    assert "sedatives" in parsed.sections["who_should_avoid"]


def test_a_title_that_mentions_a_section_is_still_a_title():
    assert parse_text("Valerian side effects explained\nA paragraph.\n").title == "Valerian side effects explained"
    assert parse_text("How does chamomile affect sleep?\nA paragraph.\n").title == "How does chamomile affect sleep?"


def test_an_untitled_file_is_refused_by_the_command_path_with_its_line():
    parsed = parse_text("Side effects\nDrowsiness.\n")
    with pytest.raises(ImportProblem) as refusal:
        parsed.require_title()
    assert refusal.value.located("x.txt").startswith('x.txt:1: no title: the first line, "Side effects"')
    assert "Drowsiness" in parsed.sections["side_effects"]
