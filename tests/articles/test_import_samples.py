"""The real-world samples in ../shared/samples: each imports as a draft the gate then refuses, and
none takes a section heading, or a paragraph, as its title."""
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from articles.errors import GateFailed
from articles.importer import import_parsed, parse_file
from articles.models import Article, ArticleType
from reviews.editing import article_create
from reviews.workflow import article_submit
from tests.factories import make_writer

SAMPLES = sorted((Path(__file__).resolve().parents[3] / "shared" / "samples").glob("*.txt"))
pytestmark = pytest.mark.skipif(not SAMPLES, reason="../shared/samples is not beside this checkout")

# Read by a person: which samples open with their title (the rest open with prose, or with a
# section heading). The sample text itself stays out of this project.
TITLED = {"000"}


def test_only_the_sample_that_opens_with_its_title_gets_one_and_the_command_names_line_1_of_the_others():
    make_writer("sample_writer")
    err = io.StringIO()
    with pytest.raises(CommandError, match=f"{len(SAMPLES) - len(TITLED)} of {len(SAMPLES)} files"):
        call_command("import_articles", *map(str, SAMPLES), author="sample_writer", stdout=io.StringIO(), stderr=err)
    refused = err.getvalue().strip().splitlines()
    assert sorted(line.split(": ")[1].rsplit("/", 1)[-1][:3] for line in refused) == sorted(
        path.name[:3] for path in SAMPLES if path.name[:3] not in TITLED)
    assert all(line.startswith("error: ") and ".txt:1: no title: " in line for line in refused)
    assert Article.objects.count() == len(TITLED)


@pytest.mark.parametrize("path", SAMPLES, ids=[path.name[:3] for path in SAMPLES])
def test_no_sample_takes_a_section_heading_as_its_title(path):
    parsed = parse_file(path)
    assert bool(parsed.title) == (path.name[:3] in TITLED)
    assert f"<h2>{parsed.title}</h2>" not in parsed.body if parsed.title else parsed.title_problem


def test_every_sample_given_a_title_imports_as_a_draft_that_the_gate_refuses_naming_its_missing_sections():
    writer = make_writer("sample_writer")
    substance = ArticleType.objects.get(key="substance")
    for number, path in enumerate(SAMPLES):
        article = import_parsed(parse_file(path), name=path.name, author=writer, article_type=substance,
                                title=f"Sample {number}", create=article_create)
        assert article.status == "draft"
        with pytest.raises(GateFailed) as refusal:
            article_submit(article=article, by=writer)
        refused_fields = {failure.field for failure in refusal.value.failures}
        missing_sections = set(article.article_type.required_sections) - set(article.sections_dict())
        assert missing_sections <= refused_fields
        assert missing_sections, "every sample lacks at least one required safety section"
