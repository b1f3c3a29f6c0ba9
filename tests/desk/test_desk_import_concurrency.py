"""Two "Create" requests for one uploaded file at once (a double click, a retried batch) make one
draft. Needs PostgreSQL row locks; see tests/reviews/test_concurrency.py."""
import io

import pytest

from articles.models import Article, ArticleType, ImportUpload
from reviews.imports import import_create, import_stage
from tests.factories import make_writer
from tests.reviews.test_concurrency import run_together

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


class Upload(io.BytesIO):
    def __init__(self, name: str, data: bytes):
        super().__init__(data)
        self.name = name


def test_two_simultaneous_creates_of_one_file_make_one_draft():
    writer = make_writer("importer")
    batch = import_stage(by=writer, files=[Upload("tea.txt", b"Green tea\nA drink made from leaves.\n")])
    row = ImportUpload.objects.get(batch=batch)
    wellness = ArticleType.objects.get(key="wellness")
    outcomes = run_together(*[lambda: import_create(by=writer, upload=row, article_type=wellness)] * 2)
    assert all(isinstance(outcome, ImportUpload) for outcome in outcomes), outcomes
    assert Article.objects.count() == 1
    assert {outcome.article_id for outcome in outcomes} == {Article.objects.get().pk}
