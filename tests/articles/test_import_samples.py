"""The real-world samples in ../shared/samples: each imports as a draft the gate then refuses."""
from pathlib import Path

import pytest
from django.core.management import call_command

from articles.errors import GateFailed
from articles.models import Article
from reviews.workflow import article_submit
from tests.factories import make_writer

SAMPLES = sorted((Path(__file__).resolve().parents[3] / "shared" / "samples").glob("*.txt"))
pytestmark = pytest.mark.skipif(not SAMPLES, reason="../shared/samples is not beside this checkout")


def test_every_sample_imports_as_a_draft_that_the_gate_refuses_naming_its_missing_sections(capsys):
    writer = make_writer("sample_writer")
    call_command("import_articles", *map(str, SAMPLES), author="sample_writer")
    lines = capsys.readouterr().out.strip().splitlines()
    drafts = list(Article.objects.all())
    assert len(lines) == len(drafts) == len(SAMPLES)
    for article in drafts:
        assert article.status == "draft"
        with pytest.raises(GateFailed) as refusal:
            article_submit(article=article, by=writer)
        refused_fields = {failure.field for failure in refusal.value.failures}
        missing_sections = set(article.article_type.required_sections) - set(article.sections_dict())
        assert missing_sections <= refused_fields
        assert missing_sections, "every sample lacks at least one required safety section"
