"""The desk's rows show each article's gate failures and check errors without running the checks
per row: every content save stores both counts on the article (issue 15)."""
from articles.models import Article
from tests.factories import edit_article, make_draft, make_writer


def counts(article):
    return Article.objects.values_list("gate_failure_count", "error_finding_count").get(pk=article.pk)


def test_a_new_article_stores_its_counts():
    assert counts(make_draft()) == (0, 0)


def test_the_stored_counts_follow_each_save():
    writer = make_writer()
    article = make_draft(writer)

    edit_article(article, writer, summary="", sections={"evidence_summary": "<p>TBD</p>"})
    assert counts(article) == (2 + 8, 0)  # no summary, a placeholder, eight required sections gone

    edit_article(article, writer, summary="A clearer summary of what the evidence shows.")
    gate, errors = counts(article)
    assert gate == 9 and errors == 1  # "the evidence shows", naming no research, is an error


def test_an_article_saved_before_the_counts_came_has_none_until_its_next_save():
    writer = make_writer()
    article = make_draft(writer)
    Article.objects.filter(pk=article.pk).update(gate_failure_count=None, error_finding_count=None)
    assert counts(article) == (None, None)

    edit_article(article, writer, summary="What it is, and how to stay safe when using it.")
    assert counts(article) == (0, 0)


def test_store_check_counts_fills_in_the_articles_that_have_none():
    from django.core.management import call_command

    article, counted = make_draft(), make_draft()
    Article.objects.filter(pk=article.pk).update(gate_failure_count=None, error_finding_count=None)
    updated_at = Article.objects.get(pk=article.pk).updated_at

    call_command("store_check_counts", stdout=None)

    assert counts(article) == (0, 0) == counts(counted)
    assert Article.objects.get(pk=article.pk).updated_at == updated_at
