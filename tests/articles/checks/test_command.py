"""python manage.py check_article: the JSON contract, the text report, --slug, and exit 2."""
import json

import pytest
from django.core.management import call_command, execute_from_command_line

from reviews.editing import finding_waive
from tests.factories import make_draft

ARTICLE = """Valerian and sleep

Valerian is a plant whose root is sold as a sleep aid. Take 600 mg an hour before bed.

Side effects
Headache, stomach upset and morning drowsiness are the effects reported most often in trials, and a few
people have had liver problems after taking products that mixed valerian with other herbs.
Buy our valerian drops today.
"""


@pytest.fixture
def article_file(tmp_path):
    path = tmp_path / "valerian.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def run_json(capsys, *args, **options):
    call_command("check_article", *args, format="json", **options)
    return json.loads(capsys.readouterr().out)


def test_json_output_is_exactly_the_contract(capsys, article_file):
    report = run_json(capsys, str(article_file))
    assert list(report) == ["findings", "missing_sections"]
    for finding in report["findings"]:
        assert list(finding) == ["code", "severity", "message", "excerpt"]
        assert finding["severity"] in ("error", "warning")
    codes = [finding["code"] for finding in report["findings"]]
    assert {"DOSE_UNSOURCED", "COMMERCIAL_CTA", "NO_REFERENCES", "MISSING_SECTION"} <= set(codes)
    dose = next(f for f in report["findings"] if f["code"] == "DOSE_UNSOURCED")
    assert dose["excerpt"] == "Take 600 mg an hour before bed."


def test_a_sentence_in_both_the_derived_summary_and_the_body_is_listed_once(capsys, tmp_path):
    path = tmp_path / "kava.txt"
    path.write_text("Kava and anxiety\n\nStudies show it calms the nerves.\n", encoding="utf-8")
    report = run_json(capsys, str(path))
    assert [f["excerpt"] for f in report["findings"] if f["code"] == "RESEARCH_WITHOUT_REFERENCE"] == [
        "Studies show it calms the nerves."]


def test_missing_sections_lists_the_required_sections_the_file_lacks(capsys, article_file):
    report = run_json(capsys, str(article_file))
    assert "side_effects" not in report["missing_sections"]
    assert report["missing_sections"][:2] == ["evidence_summary", "interactions"]


def test_the_type_decides_which_sections_are_missing(capsys, article_file):
    report = run_json(capsys, str(article_file), type_key="condition")
    assert report["missing_sections"] == ["evidence_summary", "alternatives", "when_to_seek_help"]


def test_the_text_report_has_one_line_per_finding_and_a_total(capsys, article_file):
    call_command("check_article", str(article_file))
    lines = capsys.readouterr().out.strip().splitlines()
    report_lines, total = lines[:-1], lines[-1]
    assert any(line.startswith("error   DOSE_UNSOURCED (Body):") for line in report_lines)
    assert total.startswith(f"{len(report_lines)} findings, ")


def test_a_file_that_cannot_be_read_exits_2_with_one_line(capsys, tmp_path):
    with pytest.raises(SystemExit) as exit_:
        execute_from_command_line(["manage.py", "check_article", str(tmp_path / "missing.txt")])
    assert exit_.value.code == 2
    error = capsys.readouterr().err.strip()
    assert len(error.splitlines()) == 1
    assert "missing.txt: cannot read the file" in error


def test_a_file_that_is_not_utf8_exits_2(capsys, tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("Caf\xe9 and sleep\n\nSome text.\n".encode("latin-1"))
    with pytest.raises(SystemExit) as exit_:
        execute_from_command_line(["manage.py", "check_article", str(path)])
    assert exit_.value.code == 2
    assert "not UTF-8" in capsys.readouterr().err


def test_slug_checks_the_working_copy_and_shows_recorded_reasons_in_the_text_report(capsys):
    article = make_draft(body="<p>Adults take two tablets at night.</p>")
    assert [f["code"] for f in run_json(capsys, slug=article.slug)["findings"]] == ["DOSE_UNSOURCED"]
    finding_waive(article=article, by=article.authors.first(), code="DOSE_UNSOURCED", field="body",
                  excerpt="Adults take two tablets at night.", reason="The dose is the product label's own.")
    call_command("check_article", slug=article.slug)
    out = capsys.readouterr().out
    assert "[reason recorded: The dose is the product label's own.]" in out
    assert out.strip().endswith("1 finding, 0 blocking submission.")
