"""Plain-language advice in the editor: reading age and what to rewrite, beside each field, on the
page and from the live check. Advice only: it never stops a save."""
from django.urls import reverse

from tests.desk.test_editorial_views import editor_post
from tests.factories import SECTION_TEXT, make_draft, make_writer

HARD_SIDE_EFFECTS = (
    "Concomitant administration with other hepatically metabolised agents has been associated with "
    "hepatotoxicity, and pruritus, pyrexia and somnolence were frequently reported adverse events in "
    "the published pharmacovigilance literature. Administration is contraindicated in individuals "
    "with uncontrolled hypertension or pre-existing cerebrovascular disease, because an elevated "
    "incidence of myocardial infarction was documented in post-marketing surveillance.")


def box_for(page: str, field: str) -> str:
    return page.split(f'data-readability-for="{field}"')[1].split("</div>")[0]


def test_the_editor_shows_the_reading_age_and_plain_words_beside_a_hard_section(client):
    writer = make_writer()
    article = make_draft(writer, sections={**{key: f"<p>{text}</p>" for key, text in SECTION_TEXT.items()},
                                           "side_effects": f"<p>{HARD_SIDE_EFFECTS}</p>"})
    client.force_login(writer)
    page = client.get(reverse("desk:edit", args=[article.pk])).content.decode()
    side_effects = page.split('data-section="side_effects"')[1].split('data-section="')[0]
    box = box_for(side_effects, "side_effects")
    assert "Reading age" in box and "(target 9–11): hard to read" in box
    assert "hepatotoxicity → liver damage" in box
    assert "pyrexia → fever" in box
    assert "2 long sentences" in box
    assert "Passive: has been associated" in box
    # The whole article gets one line beside the checks.
    assert "Whole article:" in box_for(page, "article")


def test_a_field_too_short_to_judge_and_without_jargon_shows_nothing(client):
    writer = make_writer()
    article = make_draft(writer, body="<p>Valerian is a plant.</p>")
    client.force_login(writer)
    page = client.get(reverse("desk:edit", args=[article.pk])).content.decode()
    assert 'data-readability-for="body" aria-live="polite" hidden' in page


def test_the_live_check_returns_readability_for_the_field_being_typed(client):
    client.force_login(make_writer())
    data = editor_post(section_side_effects=f"<p>{HARD_SIDE_EFFECTS}</p>")
    readability = client.post(reverse("desk:gate"), data).json()["readability"]
    side_effects = readability["side_effects"]
    assert side_effects["verdict"] == "hard to read"
    assert side_effects["reading_age_years"] > 14
    assert ["hepatotoxicity", "liver damage"] in side_effects["jargon"]
    assert side_effects["headline"].startswith("Reading age ")
    assert "article" in readability and "title" not in readability


def test_hard_text_is_advice_and_does_not_stop_a_save(client):
    writer = make_writer()
    article = make_draft(writer)
    client.force_login(writer)
    response = client.post(reverse("desk:edit", args=[article.pk]),
                           editor_post(article, section_side_effects=f"<p>{HARD_SIDE_EFFECTS}</p>"))
    assert response.status_code == 302
