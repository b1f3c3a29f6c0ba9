"""The real-world samples in ../shared/samples: what the checks must find in each, and the command on each."""
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from articles.checks import run_checks
from articles.importer import parse_file
from articles.models import ArticleType

SAMPLES = sorted((Path(__file__).resolve().parents[4] / "shared" / "samples").glob("*.txt"))
pytestmark = pytest.mark.skipif(not SAMPLES, reason="../shared/samples is not beside this checkout")

# What each sample's text has, by the number its file name starts with (read by a person; the
# sample text itself stays out of this project).
HAS = {
    "001": {"DOSE_UNSOURCED"},
    "003": {"DOSE_UNSOURCED"},
    "004": {"COMMERCIAL_CTA", "DUPLICATE_PARAGRAPH"},
}


@pytest.mark.parametrize("path", SAMPLES, ids=[path.name[:3] for path in SAMPLES])
def test_each_sample_gets_no_references_every_missing_section_and_what_its_text_has(path):
    article_type = ArticleType.objects.get(key="substance")
    parsed = parse_file(path)
    findings = run_checks(parsed.content("substance"), article_type)
    codes = {finding.code for finding in findings}
    lacking = [key for key in article_type.required_sections if key not in parsed.sections]
    assert "NO_REFERENCES" in codes
    assert lacking, "every sample lacks at least one required safety section"
    assert set(lacking) <= {f.field for f in findings if f.code == "MISSING_SECTION"}
    assert HAS.get(path.name[:3], set()) <= codes


def test_check_article_reads_each_sample_and_prints_the_json_contract(capsys):
    for path in SAMPLES:
        call_command("check_article", str(path), format="json")
        report = json.loads(capsys.readouterr().out)
        assert set(report) == {"findings", "missing_sections"}
        assert report["missing_sections"]
        assert all(set(finding) == {"code", "severity", "message", "excerpt"} for finding in report["findings"])
