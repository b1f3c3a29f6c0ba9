"""seed_scale: the benchmarks' articles are the rows the services write, readable by every page."""
import pytest
from django.core.management import call_command
from django.utils.html import escape

from articles.content import ArticleContent
from articles.models import Article, AuditEntry, Publication, RevisionMeta
from tests.factories import make_editor, make_published

pytestmark = pytest.mark.django_db


def seed(articles=4, revisions=3):
    call_command("seed_scale", articles=articles, revisions=revisions, batch=3, stdout=open("/dev/null", "w"))


def test_seeded_articles_are_live_with_every_section_their_type_uses():
    seed(articles=4)

    articles = Article.objects.filter(slug__startswith="scale-").select_related("article_type", "live_publication")
    assert articles.count() == 4
    for article in articles:
        assert article.status == Article.Status.PUBLISHED
        assert set(article.sections_dict()) == set(article.article_type.sections_in_use())
        assert article.references.count() == 5
        assert len(article.body.split()) >= 1500
        assert article.live_publication.content_hash == ArticleContent.of(article).hash()


def test_each_seeded_revision_reads_back_to_the_content_its_hash_names():
    seed(articles=2, revisions=4)

    metas = RevisionMeta.objects.filter(article__slug__startswith="scale-").select_related("revision", "article")
    assert metas.count() == 8
    for meta in metas:
        assert ArticleContent.from_revision(meta.revision, meta.article).hash() == meta.content_hash
    # Earlier drafts are shorter than the approved text.
    first, last = (metas.filter(article=metas[0].article).order_by(order)[0] for order in ("version", "-version"))
    assert len(first.content["sections"]) < len(last.content["sections"])


def test_seeding_continues_the_audit_chain_so_verify_audit_passes():
    make_published()
    seed(articles=3)

    call_command("verify_audit", stdout=open("/dev/null", "w"))
    assert AuditEntry.objects.filter(article__slug__startswith="scale-").count() == 6


def test_seeding_twice_adds_more_articles_under_new_addresses():
    seed(articles=2)
    seed(articles=3)

    assert Publication.objects.filter(slug__startswith="scale-").values("slug").distinct().count() == 5


def test_a_seeded_article_shows_on_the_public_site_and_its_history_on_the_desk(client):
    seed(articles=1, revisions=3)
    article = Article.objects.get(slug__startswith="scale-")

    public = client.get(f"/articles/{article.slug}/")
    client.force_login(make_editor())
    history = client.get(f"/editorial/articles/{article.pk}/history/")

    assert public.status_code == 200 and escape(article.title) in public.content.decode()
    assert history.status_code == 200 and history.content.decode().count("Draft ") >= 2
