"""A NUL in the address, the query string or a form answers 400 before any view runs
(cms.middleware), on the public site and on the desk alike."""
import pytest
from django.urls import reverse

from articles.models import Article, Image
from tests.desk.test_editorial_views import editor_post
from tests.factories import image_bytes, make_draft, make_writer, upload


@pytest.mark.parametrize("path", [
    "/search/?q=%00", "/search/?q=tea%00", "/search/?%00=tea", "/people/%00/", "/articles/%00/",
    "/topics/sleep%00/", "/feed/?page=%00", "/editorial/?person=%00", "/admin/%00/",
])
def test_a_nul_in_the_address_answers_400(client, path):
    response = client.get(path)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert "NUL" in response.content.decode()


def test_a_nul_in_a_search_built_by_a_form_answers_400(client):
    assert client.get(reverse("public:search"), {"q": "melatonin\x00"}).status_code == 400


def test_a_nul_in_a_field_of_the_editor_answers_400_and_nothing_is_saved(client):
    writer = make_writer()
    client.force_login(writer)
    for field in ("lead-image", "title", "section_side_effects", "refs-0-title"):
        response = client.post(reverse("desk:new"), editor_post(**{field: "x\x00"}))
        assert response.status_code == 400, field
    assert not Article.objects.exists()


def test_a_nul_in_a_multipart_field_answers_400(client):
    client.force_login(make_writer())
    url = reverse("desk:image_upload")
    assert client.post(url, {"file": upload(image_bytes("PNG"), "chart.png"), "alt": "A chart\x00"}).status_code == 400
    assert not Image.objects.exists()


def test_an_image_whose_bytes_hold_nul_is_accepted(client):
    client.force_login(make_writer())
    data = image_bytes("PNG")
    assert b"\x00" in data
    assert client.post(reverse("desk:image_upload"), {"file": upload(data, "chart.png")}).status_code == 201


def test_the_text_percent_zero_zero_in_a_form_is_no_nul_and_is_kept(client):
    writer = make_writer()
    article = make_draft(writer)
    client.force_login(writer)
    response = client.post(reverse("desk:edit", args=[article.pk]),
                           editor_post(article, title="Strength 100%00 mg, a typo"))
    assert response.status_code == 302
    assert Article.objects.get(pk=article.pk).title == "Strength 100%00 mg, a typo"


def test_ordinary_requests_pass(client):
    assert client.get("/search/", {"q": "tea 100% pure"}).status_code == 200
    assert client.get("/people/nobody/").status_code == 404
