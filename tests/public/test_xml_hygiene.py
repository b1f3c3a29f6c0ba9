"""The feed and the sitemap stay valid XML when stored text holds a control character (rows written
before control characters were removed on save)."""
import json
import xml.etree.ElementTree as ET

from django.contrib.auth.models import User
from django.db import connection

from articles.models import Article, Publication
from tests.factories import make_published, make_reviewer, make_topic, make_writer


def _write_raw(publication, **columns):
    """Write columns past the ORM, whose save would clean them and whose Publication rows refuse
    updates: the state a database can be in from before the cleaning existed."""
    assignments = ", ".join(f"{connection.ops.quote_name(name)} = %s" for name in columns)
    table = Publication._meta.db_table
    # On PostgreSQL a trigger refuses any UPDATE of a publication (articles 0010); a row from
    # before the cleaning existed predates the trigger too, so it is set aside for the write.
    # (session_replication_role: a superuser's switch that skips ordinary triggers.)
    postgresql = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        if postgresql:
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(f"UPDATE {table} SET {assignments} WHERE id = %s", [*columns.values(), publication.pk])
        if postgresql:
            cursor.execute("SET LOCAL session_replication_role = DEFAULT")


def test_the_feed_answers_200_when_a_stored_title_holds_a_control_character(client):
    writer = make_writer("wes", first_name="Wes", last_name="Hale")
    article = make_published(writer, reviewer=make_reviewer(), title="Melatonin for sleep",
                             topics=[make_topic("Sleep")])
    publication = Article.objects.get(pk=article.pk).live_publication
    _write_raw(publication, title="Melatonin\x01 for sleep", summary="What\x0b melatonin\x1f does.",
               authors=json.dumps([{"id": writer.pk, "name": "Wes\x02 Hale", "username": "wes"}]),
               topics=json.dumps([{"slug": "sleep", "name": "Sle\x03ep"}]))
    assert Publication.objects.get(pk=publication.pk).title == "Melatonin\x01 for sleep"

    response = client.get("/feed/")

    assert response.status_code == 200
    item = ET.fromstring(response.content).find("channel/item")
    assert item.findtext("title") == "Melatonin for sleep"
    assert item.findtext("description") == "What melatonin does."
    assert item.findtext("category") == "Sleep"


def test_the_sitemap_stays_valid_xml_when_a_stored_username_holds_a_control_character(client):
    writer = make_writer("wes")
    make_published(writer, reviewer=make_reviewer())
    User.objects.filter(pk=writer.pk).update(username="wes\x01")

    response = client.get("/sitemap-people.xml")  # /sitemap.xml is the index naming it

    assert response.status_code == 200
    loc = "{http://www.sitemaps.org/schemas/sitemap/0.9}loc"
    locations = [url.text for url in ET.fromstring(response.content).iter(loc)]
    assert "http://testserver/people/wes%01/" in locations
