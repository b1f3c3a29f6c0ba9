"""The article importer. Every fixture is written here, for these tests; none is copied from samples."""
import io
import textwrap

import pytest
from django.core.management import CommandError, call_command

from articles.errors import GateFailed
from articles.importer import ImportProblem, parse_html, parse_text
from articles.models import Article, ArticleSection, Reference
from articles.sanitize import MAX_HTML_CHARS
from articles.selectors import article_history
from reviews.workflow import article_submit
from tests.factories import make_user, make_writer

ARTICLE = """\
Green Tea and Sleep

Green tea is brewed from the leaves of Camellia sinensis [1]. It holds caffeine and theanine. Both act.

How it works
Theanine may calm the mind, while caffeine keeps people awake for hours [2].

Side effects
Large amounts can cause an upset stomach and trouble sleeping.
- Headache
- Restlessness

Benefits
Some people find the ritual of a warm drink relaxing.

References
[1] Author A. Tea plants and their leaves. Journal of Leaves. 2020. doi:10.1000/leaf.1
[2] Author B. Caffeine and wakefulness. PMID: 12345678
[3] Tea council. Brewing guide. https://example.org/brewing
"""


def write(directory, name, text):
    path = directory / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def run_import(*paths, author="writer", extra=()):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_articles", *map(str, paths), "--author", author, *extra, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


# --- Parsing plain text ---

def test_the_title_comes_from_the_first_line_and_leaves_the_body():
    parsed = parse_text(ARTICLE)
    assert parsed.title == "Green Tea and Sleep"
    assert "Green Tea and Sleep" not in parsed.body


def test_a_file_that_opens_with_prose_has_no_title_and_its_first_heading_stays_in_the_body():
    parsed = parse_text("Mint is a common garden herb that many people grow at home.\n"
                        "Growing mint\nIt spreads quickly in damp soil.\n")
    assert parsed.title == ""
    assert parsed.title_line == 1 and "opens with a paragraph" in parsed.title_problem
    assert "<h2>Growing mint</h2>" in parsed.body


def test_a_file_that_opens_with_a_heading_takes_that_heading_as_its_title():
    parsed = parse_text("Valerian and sleep\nThe herb may act on receptors.\nLater part\nMore text.\n")
    assert parsed.title == "Valerian and sleep"
    assert parsed.body.startswith("<p>The herb may act")


def test_a_file_with_no_heading_at_all_is_refused_for_want_of_a_title():
    parsed = parse_text("This file is only prose.\nIt never names itself.\n")
    with pytest.raises(ImportProblem, match="no title") as refusal:
        parsed.require_title()
    assert refusal.value.line == 1


def test_a_table_of_contents_at_the_top_is_dropped_and_its_entries_stay_headings():
    long_heading = ("Why some people reach for a warm cup of herbal tea in the evening before "
                    "going to bed, and what happens then")
    text = (f"Intro paragraph about herbal teas, written as one sentence.\n"
            f"- {long_heading}\n- Who drinks it\n"
            f"{long_heading}\nA paragraph about the evening habit.\n"
            f"Who drinks it\nA paragraph about the drinkers.\n")
    parsed = parse_text(text)
    assert "<ul>" not in parsed.body
    assert f"<h2>{long_heading}</h2>" in parsed.body
    assert "<h2>Who drinks it</h2>" in parsed.body


def test_bullets_in_either_style_become_one_list():
    parsed = parse_text("Tea tips\nSome tips follow.\n  • Use fresh water\n- Do not boil the leaves\n")
    assert "<ul>\n<li>Use fresh water</li>\n<li>Do not boil the leaves</li>\n</ul>" in parsed.body


def test_paragraph_text_is_html_escaped():
    parsed = parse_text("Tea & health\nA <script>alert(1)</script> tag & more.\n")
    assert "<p>A &lt;script&gt;alert(1)&lt;/script&gt; tag &amp; more.</p>" in parsed.body
    assert parsed.title == "Tea & health"


def test_a_heading_that_names_a_safety_section_fills_that_section():
    parsed = parse_text(ARTICLE)
    side_effects = parsed.sections["side_effects"]
    assert "upset stomach" in side_effects
    assert "<li>Restlessness</li>" in side_effects
    assert "ritual" not in side_effects  # the next heading ends the section
    assert "<h2>" not in side_effects  # the page shows the section under its fixed title
    assert "upset stomach" not in parsed.body
    assert "Side effects" not in parsed.body
    assert "<h2>Benefits</h2>" in parsed.body


def test_references_with_a_doi_a_pmid_and_a_url_are_picked_out():
    references = parse_text(ARTICLE).references
    assert [(r["title"], r["doi"], r["pmid"], r["url"]) for r in references] == [
        ("Author A. Tea plants and their leaves. Journal of Leaves. 2020", "10.1000/leaf.1", "", ""),
        ("Author B. Caffeine and wakefulness", "", "12345678", ""),
        ("Tea council. Brewing guide", "", "", "https://example.org/brewing"),
    ]


def test_a_pubmed_address_gives_the_pmid():
    parsed = parse_text("Title\nText.\nSources\n- Study of leaves https://pubmed.ncbi.nlm.nih.gov/7654321/\n")
    assert parsed.references[0]["pmid"] == "7654321"
    assert parsed.references[0]["title"] == "Study of leaves"


def test_a_doi_address_gives_the_doi_and_not_a_url():
    parsed = parse_text("Title\nText.\nReferences\n1. Leaf study. https://doi.org/10.1000/leaf(2)9.\n"
                        "2. Bark study (doi:10.1000/bark).\n")
    assert [(r["title"], r["doi"], r["url"]) for r in parsed.references] == [
        ("Leaf study", "10.1000/leaf(2)9", ""), ("Bark study", "10.1000/bark", "")]


def test_citation_markers_stay_in_the_text_and_link_to_their_references():
    parsed = parse_text(ARTICLE)
    assert '<a href="#ref-1">[1]</a>' in parsed.body
    assert '<a href="#ref-2">[2]</a>' in parsed.body


def test_a_marker_numbered_in_the_references_links_to_that_references_position():
    parsed = parse_text("Title\nA claim [7].\nReferences\n[7] The only source. doi:10.1000/seven\n")
    assert '<a href="#ref-1">[7]</a>' in parsed.body


def test_the_summary_is_the_first_paragraphs_opening_sentences_within_300_characters():
    parsed = parse_text(ARTICLE)
    assert parsed.summary == ("Green tea is brewed from the leaves of Camellia sinensis. "
                              "It holds caffeine and theanine. Both act.")
    long = parse_text("Title\n" + "word " * 100 + "end.\n").summary
    assert len(long) <= 300 and long.endswith("…")


# --- Parsing HTML ---

def test_an_html_file_takes_its_title_from_the_first_h1_and_drops_it_from_the_body():
    parsed = parse_html("<html><head><title>Site name</title></head><body><h1>Nettle <em>tea</em></h1>"
                        "<p>Nettles sting. Tea does not.</p></body></html>")
    assert parsed.title == "Nettle tea"
    assert "<h1" not in parsed.body and "<em>tea</em>" not in parsed.body
    assert parsed.summary == "Nettles sting. Tea does not."


def test_an_html_file_without_an_h1_takes_its_title_from_the_title_element():
    assert parse_html("<title>Rooibos &amp; you</title><p>Red bush tea.</p>").title == "Rooibos & you"


def test_an_html_heading_that_names_a_safety_section_fills_that_section():
    parsed = parse_html("<h1>Kava</h1><p>Intro.</p><h2>Interactions</h2><p>Alcohol adds to it.</p>"
                        "<h2>History</h2><p>Old drink.</p>")
    assert parsed.sections == {"interactions": "<p>Alcohol adds to it.</p>"}
    assert "<h2>History</h2>" in parsed.body and "Alcohol" not in parsed.body


def test_an_html_sub_heading_stays_in_its_safety_section():
    parsed = parse_html("<h1>Kava</h1><h2>Side effects</h2><p>Sleepiness.</p><h3>Rare</h3><p>Liver harm.</p>"
                        "<h2>History</h2><p>Old drink.</p>")
    assert parsed.sections["side_effects"] == "<p>Sleepiness.</p><h3>Rare</h3><p>Liver harm.</p>"


def test_html_references_are_read_from_the_list_under_their_heading():
    parsed = parse_html('<h1>Kava</h1><p>Intro.</p>\n<h2>Sources</h2>\n<ol>\n'
                        '<li>Root study. <a href="https://doi.org/10.1000/root">doi</a></li>\n'
                        "<li>Review. PMID: 7654321</li>\n</ol>")
    assert [(r["title"], r["doi"], r["pmid"]) for r in parsed.references] == [
        ("Root study", "10.1000/root", ""), ("Review", "", "7654321")]
    with pytest.raises(ImportProblem) as refused:
        parse_html("<h1>Kava</h1>\n<h2>Sources</h2>\n<ul>\n<li>Fine.</li>\n<li>Bad. doi:10.q/x</li></ul>")
    assert (refused.value.line, refused.value.message) == (5, 'reference has a malformed DOI "10.q/x"')


# --- Importing files ---

def test_an_imported_html_file_loses_its_scripts(tmp_path):
    make_writer("writer")
    path = write(tmp_path, "export.html", "<h1>Chai</h1><p>Spiced tea.</p><script>steal()</script>"
                                          '<p onclick="x()">Milk is optional.</p>')
    run_import(path)
    article = Article.objects.get(title="Chai")
    assert "steal" not in article.body and "<script" not in article.body
    assert "onclick" not in article.body
    assert "Milk is optional." in article.body


def test_a_link_to_a_reference_survives_the_sanitizer(tmp_path):
    make_writer("writer")
    run_import(write(tmp_path, "tea.txt", ARTICLE))
    article = Article.objects.get(title="Green Tea and Sleep")
    assert '<a href="#ref-1">[1]</a>' in article.body
    assert list(article.references.values_list("doi", flat=True)) == ["10.1000/leaf.1", "", ""]
    assert "upset stomach" in article.sections.get(key="side_effects").content


def test_a_bad_file_is_named_with_its_line_and_nothing_of_it_is_kept_while_the_other_file_imports(tmp_path):
    make_writer("writer")
    good = write(tmp_path, "good.txt", ARTICLE)
    bad = write(tmp_path, "bad.txt", "Bad tea\nSome text.\nReferences\n[1] Fine. doi:10.1000/ok\n"
                                     "[2] Broken. doi:10.x/broken\n")
    with pytest.raises(CommandError, match="1 of 2 files"):
        run_import(bad, good)
    assert not Article.objects.filter(title="Bad tea").exists()
    assert Article.objects.filter(title="Green Tea and Sleep").count() == 1
    assert Reference.objects.count() == 3
    assert ArticleSection.objects.count() == 1


def test_the_error_line_names_the_file_and_line_of_a_malformed_doi(tmp_path, capsys):
    make_writer("writer")
    bad = write(tmp_path, "bad.txt", "Bad tea\nSome text.\nReferences\n[1] Fine. doi:10.1000/ok\n"
                                     "[2] Broken. doi:10.x/broken\n")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_articles", str(bad), "--author", "writer", stdout=io.StringIO(), stderr=err)
    assert err.getvalue().strip() == f'error: {bad}:5: reference has a malformed DOI "10.x/broken"'


def test_a_file_that_is_not_utf8_is_refused_with_its_line(tmp_path):
    make_writer("writer")
    path = tmp_path / "latin1.txt"
    path.write_bytes("Caf\u00e9 tea\nFine line.\nCaf\u00e9 again.\n".encode("latin-1"))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_articles", str(path), "--author", "writer", stdout=io.StringIO(), stderr=err)
    assert f"error: {path}:1: not UTF-8" in err.getvalue()
    assert not Article.objects.exists()


@pytest.mark.parametrize("name, text, message", [
    ("empty.txt", "  \n\n", "the file is empty"),
    ("huge.html", "<h1>Huge</h1>" + "<p>tea</p>" * (MAX_HTML_CHARS // 10), "too long"),
    ("missing.txt", None, "cannot read the file"),
])
def test_an_empty_unreadable_or_oversized_file_is_refused(tmp_path, name, text, message):
    make_writer("writer")
    path = write(tmp_path, name, text) if text is not None else tmp_path / name
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_articles", str(path), "--author", "writer", stdout=io.StringIO(), stderr=err)
    assert err.getvalue().startswith(f"error: {path}: ") and message in err.getvalue()
    assert not Article.objects.exists()


def test_the_command_prints_one_line_per_article(tmp_path):
    make_writer("writer")
    first = write(tmp_path, "one.txt", ARTICLE)
    second = write(tmp_path, "two.txt", "Peppermint\nPeppermint tea has no caffeine.\n")
    out, err = run_import(first, second)
    lines = out.strip().splitlines()
    article = Article.objects.get(title="Green Tea and Sleep")
    assert len(lines) == 2 and err == ""
    assert lines[0].startswith(f'created draft {article.pk} "Green Tea and Sleep" ({article.slug}) '
                               f"from {first}: 1 section, 3 references, missing required: evidence_summary, ")
    assert lines[0].endswith("when_to_seek_help")  # three references are enough
    assert lines[1].endswith("when_to_seek_help, references")


def test_the_type_option_chooses_the_article_type(tmp_path):
    make_writer("writer")
    run_import(write(tmp_path, "one.txt", ARTICLE), extra=("--type", "wellness"))
    assert Article.objects.get().article_type.key == "wellness"


def test_an_unknown_type_is_refused_with_the_known_keys(tmp_path):
    make_writer("writer")
    known = "condition, medicine, substance, treatment, wellness"
    with pytest.raises(CommandError, match=rf'no article type "herb".*{known}'):
        run_import(write(tmp_path, "one.txt", ARTICLE), extra=("--type", "herb"))


def test_an_author_who_is_not_a_writer_or_editor_is_refused_clearly(tmp_path):
    make_user("reader")
    with pytest.raises(CommandError, match='"reader" cannot create articles'):
        run_import(write(tmp_path, "one.txt", ARTICLE), author="reader")
    assert not Article.objects.exists()


def test_an_imported_draft_cannot_be_submitted_and_the_refusal_names_the_missing_sections(tmp_path):
    writer = make_writer("writer")
    run_import(write(tmp_path, "tea.txt", ARTICLE))
    article = Article.objects.get()
    with pytest.raises(GateFailed) as refused:
        article_submit(article=article, by=writer)
    fields = {failure.field for failure in refused.value.failures}
    assert fields == {"evidence_summary", "side_effects", "interactions", "who_should_avoid",
                      "dependence_withdrawal", "overdose_toxicity", "legal_status",
                      "dosing_statement", "when_to_seek_help"}
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT


def test_an_imported_draft_is_a_revision_by_its_author(tmp_path):
    writer = make_writer("writer")
    run_import(write(tmp_path, "tea.txt", ARTICLE))
    history = list(article_history(Article.objects.get()))
    assert len(history) == 1
    assert history[0].revision.user == writer
    assert history[0].revision.get_comment() == "Imported from tea.txt"
    assert list(Article.objects.get().authors.all()) == [writer]


def test_a_label_line_with_an_amount_is_a_paragraph_so_the_dose_check_reads_it(tmp_path):
    from articles.checks import run_checks
    from articles.importer import parse_file
    path = tmp_path / "dose.txt"
    path.write_text("Valerian root\n\nWhat it is\nA plant used for sleep.\nDosage: 250-500 mg daily\n")
    content = parse_file(path).content("substance")
    assert "<p>Dosage: 250-500 mg daily</p>" in content.body
    assert "DOSE_UNSOURCED" in {finding.code for finding in run_checks(content)}
