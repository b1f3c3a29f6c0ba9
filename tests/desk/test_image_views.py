"""Uploading images over HTTP: the editor's upload endpoint and the lead image field without JavaScript."""
import re

import pytest
from django.test import Client
from django.urls import reverse

from articles.models import Article, Image
from tests.desk.test_editorial_views import editor_post
from tests.factories import image_bytes, make_draft, make_image, make_user, make_writer, upload

UPLOAD_URL = reverse("desk:image_upload")


def stored_files(media_root) -> list:
    return [path for path in media_root.rglob("*") if path.is_file()] if media_root.exists() else []


# --- The upload endpoint (TinyMCE's images_upload_handler) ---

def test_a_writer_uploads_an_image_and_gets_its_address_for_the_editor(client):
    client.force_login(make_writer())

    response = client.post(UPLOAD_URL, {"file": upload(image_bytes("JPEG", (1200, 900)), "chart.jpg")})

    assert response.status_code == 201
    data = response.json()
    image = Image.objects.get(pk=data["id"])
    assert data["location"] == image.renditions.get(width=960, format="JPEG").file.url
    assert re.fullmatch(r"/media/images/[0-9a-f]{32}-960w\.jpg", data["location"])
    assert (data["key"], data["width"], data["height"]) == (image.key, 960, 720)
    assert image.original_name == "chart.jpg" and image.article is None


def test_the_upload_names_the_article_it_was_made_for(client):
    writer = make_writer()
    article = make_draft(writer)
    client.force_login(writer)

    response = client.post(f"{UPLOAD_URL}?article={article.pk}", {"file": upload(image_bytes("PNG"), "a.png")})

    assert Image.objects.get(pk=response.json()["id"]).article == article


def test_a_refused_upload_answers_400_with_the_reason_and_stores_nothing(client, _media_in_tmp):
    client.force_login(make_writer())

    response = client.post(UPLOAD_URL, {"file": upload(b"", "empty.png")})

    assert response.status_code == 400
    assert response.json()["error"] == '"empty.png" is empty (0 bytes).'
    assert not Image.objects.exists() and stored_files(_media_in_tmp) == []


def test_several_files_posted_to_one_field_are_each_checked_and_none_is_kept_if_one_fails(client, _media_in_tmp):
    client.force_login(make_writer())
    whole = image_bytes("JPEG", (300, 200))
    files = [upload(image_bytes("PNG"), "good.png"), upload(b"<svg><script>alert(1)</script></svg>", "evil.png"),
             upload(whole[: len(whole) // 2], "cut.jpg"), upload(image_bytes("GIF", mode="P"), "also-good.gif")]

    response = client.post(UPLOAD_URL, {"file": files})

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert len(errors) == 2
    assert errors[0].startswith('"evil.png" is an SVG drawing')
    assert errors[1].startswith('"cut.jpg" could not be read as a whole JPEG image')
    assert not Image.objects.exists() and stored_files(_media_in_tmp) == []


def test_several_good_files_are_all_stored(client):
    client.force_login(make_writer())

    response = client.post(UPLOAD_URL, {"file": [upload(image_bytes("PNG"), "a.png"), upload(image_bytes("WEBP"), "b.webp")]})

    assert response.status_code == 201
    assert [item["id"] for item in response.json()["images"]] == list(
        Image.objects.order_by("id").values_list("id", flat=True))


def test_a_post_without_a_file_is_refused(client):
    client.force_login(make_writer())

    response = client.post(UPLOAD_URL, {})

    assert (response.status_code, response.json()["error"]) == (400, "Choose an image file to upload.")


@pytest.mark.parametrize("who, expected", [("anonymous", 302), ("no role", 404), ("other writer", 404)])
def test_only_people_who_may_edit_the_article_can_upload_to_it(client, who, expected):
    article = make_draft(make_writer())
    if who == "no role":
        client.force_login(make_user())
    elif who == "other writer":
        client.force_login(make_writer())

    response = client.post(f"{UPLOAD_URL}?article={article.pk}", {"file": upload(image_bytes("PNG"), "a.png")})

    assert response.status_code == expected
    if expected == 302:
        assert response.url.startswith(reverse("login"))
    assert not Image.objects.exists()


def test_someone_who_may_not_write_articles_cannot_upload(client):
    client.force_login(make_user())

    response = client.post(UPLOAD_URL, {"file": upload(image_bytes("PNG"), "a.png")})

    assert response.status_code == 403 and not Image.objects.exists()


def test_the_upload_needs_a_post_with_a_csrf_token():
    writer = make_writer()
    client = Client(enforce_csrf_checks=True)
    client.force_login(writer)

    assert client.get(UPLOAD_URL).status_code == 405
    assert client.post(UPLOAD_URL, {"file": upload(image_bytes("PNG"), "a.png")}).status_code == 403
    assert not Image.objects.exists()


# --- The lead image on the article form, without JavaScript ---

def lead_fields(**fields):
    return {f"lead-{name}": value for name, value in fields.items()}


def test_a_writer_sets_a_lead_image_with_alt_text_caption_and_credit_in_the_form(client):
    client.force_login(make_writer())

    response = client.post(reverse("desk:new"), {
        **editor_post(),
        **lead_fields(file=upload(image_bytes("JPEG", (1000, 500)), "tablets.jpg"), alt="Tablets in a hand",
                      caption="Valerian tablets", credit="Photo: A. Smith, CC BY 4.0"),
    })

    assert response.status_code == 302
    article = Article.objects.get(title="Valerian for sleep")
    assert article.lead_image.original_name == "tablets.jpg"
    assert (article.lead_image_alt, article.lead_image_caption, article.lead_image_credit) == (
        "Tablets in a hand", "Valerian tablets", "Photo: A. Smith, CC BY 4.0")


def test_the_edit_form_shows_the_lead_image_and_keeps_it_when_saved_again(client):
    writer = make_writer()
    image = make_image(writer, size=(800, 400))
    article = make_draft(writer, lead_image={"image_id": image.pk, "alt": "Old words", "caption": "", "credit": ""})
    client.force_login(writer)

    page = client.get(reverse("desk:edit", args=[article.pk])).content.decode()
    assert 'enctype="multipart/form-data"' in page
    assert f'name="lead-image" value="{image.key}"' in page
    assert image.renditions.get(width=800, format="JPEG").file.url in page
    response = client.post(reverse("desk:edit", args=[article.pk]),
                           {**editor_post(article), **lead_fields(image=image.key, alt="New words")})

    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.lead_image_id, article.lead_image_alt) == (image.pk, "New words")


def test_a_writer_removes_the_lead_image(client):
    writer = make_writer()
    image = make_image(writer)
    article = make_draft(writer, lead_image={"image_id": image.pk, "alt": "Words", "caption": "", "credit": ""})
    client.force_login(writer)

    client.post(reverse("desk:edit", args=[article.pk]),
                {**editor_post(article), **lead_fields(image=image.key, alt="Words", remove="on")})

    article.refresh_from_db()
    assert article.lead_image is None and article.lead_image_alt == ""


def test_a_refused_save_keeps_the_uploaded_lead_image_so_it_need_not_be_sent_again(client):
    client.force_login(make_writer())

    response = client.post(reverse("desk:new"), {
        **editor_post(**{"refs-0-doi": "doi:not-a-doi"}),
        **lead_fields(file=upload(image_bytes("PNG", (300, 200)), "chart.png"), alt="A chart"),
    })

    assert response.status_code == 200 and not Article.objects.exists()
    image = Image.objects.get()
    assert f'name="lead-image" value="{image.key}"' in response.content.decode()


def test_a_hostile_lead_image_is_refused_with_its_reason_and_everything_typed_is_kept(client, _media_in_tmp):
    client.force_login(make_writer())

    response = client.post(reverse("desk:new"), {
        **editor_post(title="My unsaved title"),
        **lead_fields(file=upload(b'<svg onload="alert(1)"/>', "photo.jpg"), alt="A photo"),
    })

    page = response.content.decode()
    assert response.status_code == 200 and not Article.objects.exists()
    assert "&quot;photo.jpg&quot; is an SVG drawing" in page
    assert 'value="My unsaved title"' in page
    assert stored_files(_media_in_tmp) == []


def test_two_files_posted_as_the_lead_image_are_each_checked_then_refused_as_more_than_one(client):
    client.force_login(make_writer())
    both_good = [upload(image_bytes("PNG"), "a.png"), upload(image_bytes("PNG"), "b.png")]
    one_bad = [upload(image_bytes("PNG"), "a.png"), upload(b"", "empty.png")]

    first = client.post(reverse("desk:new"), {**editor_post(), **lead_fields(file=both_good, alt="x")})
    second = client.post(reverse("desk:new"), {**editor_post(), **lead_fields(file=one_bad, alt="x")})

    assert "Choose one lead image; 2 files were sent." in first.content.decode()
    assert "&quot;empty.png&quot; is empty (0 bytes)." in second.content.decode()
    assert not Article.objects.exists() and not Image.objects.exists()


def test_the_gate_panel_flags_a_lead_image_without_alt_text(client):
    writer = make_writer()
    image = make_image(writer)
    client.force_login(writer)

    verdict = client.post(reverse("desk:gate"), {**editor_post(), **lead_fields(image=image.key, alt="")}).json()

    assert [f["field"] for f in verdict["failures"]] == ["lead_image"]


def test_the_admin_lists_uploads_read_only(admin_client):
    image = make_image(name="tablets.jpg")

    listing = admin_client.get(reverse("admin:articles_image_changelist"))
    change = admin_client.post(reverse("admin:articles_image_change", args=[image.pk]), {"alt_text": "Changed"})

    assert listing.status_code == 200 and "tablets.jpg" in listing.content.decode()
    assert change.status_code == 403


def test_the_reviewer_sees_the_lead_image_and_body_images_in_the_diff(client):
    from tests.factories import figure_html, lead, make_in_review, make_reviewer

    writer = make_writer()
    image = make_image(writer)
    article = make_in_review(writer, body="<p>Intro.</p>" + figure_html(image, alt="A chart of doses"),
                             lead_image=lead(image, alt="Tablets in a hand", credit="CC BY 4.0"))
    client.force_login(make_reviewer())

    page = client.get(reverse("desk:review", args=[article.pk])).content.decode()

    assert "Lead image" in page
    assert "Alt text: Tablets in a hand" in page and "Credit: CC BY 4.0" in page
    assert "Alt text: A chart of doses" in page
    assert f'<img src="{image.renditions.get(width=64, format="WEBP").file.url}"' in page
