"""The article's JSON-LD names its publisher, an Organization, from the settings."""
from tests.factories import make_published

from .test_article_structure import article_html, json_ld


def test_the_json_ld_publisher_defaults_to_the_site_and_its_home_page(client):
    data = json_ld(article_html(client, make_published()))

    assert data["publisher"] == {"@type": "Organization", "name": "Health articles", "url": "http://testserver/"}


def test_the_json_ld_publisher_comes_from_the_settings(client, settings):
    settings.PUBLISHER_NAME = "Northside Health Library"
    settings.PUBLISHER_URL = "https://health.example.org/about/"

    data = json_ld(article_html(client, make_published()))

    assert data["publisher"] == {"@type": "Organization", "name": "Northside Health Library",
                                 "url": "https://health.example.org/about/"}
