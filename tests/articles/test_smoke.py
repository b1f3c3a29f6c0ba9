from tests.factories import make_published


def test_a_published_article_is_served_at_its_slug(client):
    article = make_published()
    response = client.get(f"/articles/{article.slug}/")
    assert response.status_code == 200
    assert "Medically reviewed by" in response.content.decode()
