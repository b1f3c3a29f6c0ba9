"""Control characters are removed from every text field on save, and an import file holding one
is refused with its line."""
import io

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from articles.hygiene import strip_control
from articles.models import Article, Topic
from reviews.models import CommentReply, ReviewComment, ReviewerProfile
from tests.factories import complete_content, make_draft, make_reviewer, make_writer

C0_AND_C1 = [chr(code) for code in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0))]


@pytest.mark.parametrize("control", C0_AND_C1, ids=[f"U+{ord(c):04X}" for c in C0_AND_C1])
def test_every_control_character_is_removed(control):
    assert strip_control(f"Val{control}erian") == "Valerian"


def test_tab_newline_and_a_crlf_line_break_are_kept_and_a_lone_carriage_return_is_not():
    assert strip_control("one\ttwo\nthree\r\nfour\rfive\r\r\n") == "one\ttwo\nthree\r\nfourfive\r\n"


def test_other_unicode_is_kept():
    text = "Ibuprofène 200 mg · 布洛芬 · ибупрофен · 🙂 \u00a0\u200b\u2028"
    assert strip_control(text) == text


def test_an_article_saved_through_the_services_keeps_no_control_character():
    article = make_draft(title="Valerian\x01 for\x1b sleep", summary="What\x7f it is.\x00",
                         body="<p>Root\x0c extract.</p>",
                         sections={**complete_content().sections, "side_effects": "<p>Nausea\x08 and headache.</p>"})
    article = Article.objects.get(pk=article.pk)
    assert article.title == "Valerian for sleep"
    assert article.summary == "What it is."
    for html in (article.body, article.sections.get(key="side_effects").content):
        assert strip_control(html) == html


def test_the_stored_hash_is_the_hash_of_the_cleaned_text():
    """The revision's hash is computed from what was stored, so review and approval compare like with like."""
    from articles.content import ArticleContent
    from articles.models import RevisionMeta

    article = make_draft(title="Kava\x02 and the liver")
    stored = Article.objects.select_related("article_type").get(pk=article.pk)
    assert RevisionMeta.objects.get(article=article).content_hash == ArticleContent.of(stored).hash()


def test_people_and_reviewer_profiles_keep_no_control_character():
    reviewer = make_reviewer(first_name="Ri\x03ta", last_name="Os\x1fei")
    profile = ReviewerProfile.objects.get(user=reviewer)
    profile.bio = "Twenty years\x07 in general practice.\r\nLikes tea."
    profile.credentials = "MD\x9b"
    profile.save()
    reviewer.refresh_from_db()
    profile.refresh_from_db()
    assert (reviewer.first_name, reviewer.last_name) == ("Rita", "Osei")
    assert profile.bio == "Twenty years in general practice.\r\nLikes tea."
    assert profile.credentials == "MD"
    user = User.objects.create_user("ma\x01ry", email="mary\x02@example.org")
    assert (user.username, user.email) == ("mary", "mary@example.org")


def test_comments_and_replies_keep_no_control_character():
    from reviews.comments import NewComment
    from reviews.services import comment_add, comment_reply
    from tests.factories import make_in_review

    article = make_in_review()
    reviewer = make_reviewer()
    comment = comment_add(article=article, by=reviewer,
                          comment=NewComment(section="general", text="Cite\x05 the trial."))
    comment_reply(comment=comment, by=reviewer, text="And\x06 its dose.")
    assert ReviewComment.objects.get(pk=comment.pk).text == "Cite the trial."
    assert CommentReply.objects.get(comment=comment).text == "And its dose."


def test_a_required_field_of_nothing_but_control_characters_is_refused_not_saved_empty():
    with pytest.raises(ValidationError) as refused:
        Topic.objects.create(name="\x01\x02", slug="empty-name")
    assert "only control characters" in refused.value.message_dict["name"][0]
    assert not Topic.objects.filter(slug="empty-name").exists()


def test_a_save_of_some_fields_cleans_only_those():
    topic = Topic.objects.create(name="Sleep", slug="sleep", description="Rest")
    topic.name, topic.description = "Sle\x01ep", "Re\x01st"
    topic.save(update_fields=["description"])
    topic.refresh_from_db()
    assert (topic.name, topic.description) == ("Sleep", "Rest")


# --- The importer refuses a file holding one ---

def _import(path):
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_articles", str(path), "--author", "writer", stdout=io.StringIO(), stderr=err)
    return err.getvalue().strip()


def test_an_import_file_with_a_control_character_is_refused_naming_the_file_and_line(tmp_path):
    make_writer("writer")
    path = tmp_path / "tea.txt"
    path.write_text("Green tea\nBrewed from leaves.\nIt holds caf\x01feine.\n", encoding="utf-8")
    assert _import(path) == (f"error: {path}:3: contains a control character (U+0001); "
                             "remove it and import again")
    assert not Article.objects.exists()


def test_an_html_import_with_a_control_character_is_refused_too(tmp_path):
    make_writer("writer")
    path = tmp_path / "tea.html"
    path.write_text("<h1>Green tea</h1>\n<p>Brewed\x0c from leaves.</p>\n", encoding="utf-8")
    assert _import(path).startswith(f"error: {path}:2: contains a control character (U+000C)")


def test_windows_and_old_mac_line_endings_still_import(tmp_path):
    make_writer("writer")
    for name, text in (("crlf.txt", "Green tea\r\nBrewed from leaves.\r\n"),
                       ("cr.txt", "Black tea\rFermented leaves.\r")):
        path = tmp_path / name
        path.write_bytes(text.encode("utf-8"))
        call_command("import_articles", str(path), "--author", "writer", stdout=io.StringIO(), stderr=io.StringIO())
    assert set(Article.objects.values_list("title", flat=True)) == {"Green tea", "Black tea"}


def test_the_line_of_a_control_character_counts_carriage_returns_as_line_ends(tmp_path):
    make_writer("writer")
    path = tmp_path / "mac.txt"
    path.write_bytes("Black tea\rFermented.\rStrong\x1b tea.\r".encode("utf-8"))
    assert f"{path}:3: contains a control character (U+001B)" in _import(path)
