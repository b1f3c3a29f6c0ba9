"""Import on the desk: upload, preview, create. Every fixture is written here."""
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.models import Article, ImportUpload
from tests.docx_files import docx_bytes
from tests.factories import make_editor, make_reviewer, make_writer

TEXT_ARTICLE = """\
Chamomile and Sleep
Chamomile tea is made from the dried flowers of the plant [1].
Side effects
Some people who are allergic to ragweed react to chamomile as well.
Interactions
It may add to the effect of sedatives and of blood thinners.
References
[1] Author A. Flowers and sleep. Journal of Flowers. 2019. doi:10.1000/flower.1
[2] Author B. Allergy to daisies. PMID: 2345678
"""

HTML_ARTICLE = """<html><head><title>Site</title></head><body>
<h1>Lemon balm</h1>
<p>Lemon balm is a herb of the mint family.</p>
<h2>Who should avoid it</h2>
<p>People with thyroid disease should ask first.</p>
<script>steal()</script>
<h2>Sources</h2>
<ul><li>A study of lemon balm. doi:10.1000/balm.1</li></ul>
</body></html>"""

DOCX_PARAGRAPHS = [("Title", "Passionflower"), (None, "Passionflower is a climbing plant."),
                   ("Heading1", "Dosing"), (None, "No established safe dose is known."),
                   ("Heading1", "Overview"), (None, "Sold as tea and as tablets.")]

UNTITLED = "Potential mechanisms\nThe plant may act on receptors in the brain.\nSide effects\nDrowsiness.\n"
BAD_REFERENCE = "Bad tea\nSome text.\nReferences\n[1] Fine. doi:10.1000/ok\n[2] Broken. doi:10.x/broken\n"


def txt(name, text):
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/plain")


def upload(client, *files):
    return client.post(reverse("desk:import"), {"files": list(files)})


def batch_of(response) -> str:
    assert response.status_code == 302, response.content.decode()[:2000]
    return re.search(r"/import/([0-9a-f]+)/", response.url)[1]


def create_post(batch, rows: dict, **extra):
    """The preview's form, as a browser posts it: rows {upload: {"title", "article_type", "make"}}."""
    data = {"action": "create", **extra}
    for row, values in rows.items():
        prefix = f"file-{row.pk}"
        data[f"{prefix}-title"] = values.get("title", "")
        data[f"{prefix}-article_type"] = values.get("article_type", "substance")
        if values.get("make", True):
            data[f"{prefix}-make"] = "on"
    return data


@pytest.fixture
def writer(client):
    person = make_writer("importer")
    client.force_login(person)
    return person


def test_uploading_a_txt_an_html_and_a_docx_file_shows_a_preview_of_each(client, writer):
    response = upload(client, txt("chamomile.txt", TEXT_ARTICLE), txt("balm.html", HTML_ARTICLE),
                      SimpleUploadedFile("passion.docx", docx_bytes(DOCX_PARAGRAPHS)))
    page = client.get(response.url)
    text = page.content.decode()
    assert page.status_code == 200
    for name, title in (("chamomile.txt", "Chamomile and Sleep"), ("balm.html", "Lemon balm"),
                        ("passion.docx", "Passionflower")):
        assert name in text and f'value="{title}"' in text
    uploads = list(ImportUpload.objects.filter(batch=batch_of(response)))
    assert [row.format for row in uploads] == ["text", "html", "html"]
    rows = dict(zip(["txt", "html", "docx"], page.context["rows"]))
    assert [s.key for s in rows["txt"][0].sections] == ["side_effects", "interactions"]
    assert rows["txt"][0].references == 2
    assert "who_should_avoid" not in [s.key for s in rows["html"][0].missing]
    assert [s.key for s in rows["docx"][0].sections] == ["dosing_statement"]
    assert "Create 3 drafts" in text
    assert not Article.objects.exists()  # nothing is made before "Create"


def test_the_preview_names_the_required_sections_missing_for_the_chosen_type(client, writer):
    batch = batch_of(upload(client, txt("chamomile.txt", TEXT_ARTICLE)))
    row = ImportUpload.objects.get(batch=batch)
    url = reverse("desk:import_preview", args=[batch])
    substance = client.get(url).context["rows"][0][0]
    condition = client.post(url, create_post(batch, {row: {"article_type": "condition"}}, action="preview"))
    assert "dosing_statement" in [s.key for s in substance.missing]
    assert [s.key for s in condition.context["rows"][0][0].missing] == ["evidence_summary", "alternatives",
                                                                         "when_to_seek_help"]


def test_a_section_heading_on_the_first_line_is_not_offered_as_the_title(client, writer):
    batch = batch_of(upload(client, txt("untitled.txt", UNTITLED)))
    text = client.get(reverse("desk:import_preview", args=[batch])).content.decode()
    assert 'value="Potential mechanisms"' not in text
    assert "is a section heading" in text and "No title was found in the file: type one." in text


def test_a_bad_file_is_named_with_its_line_and_the_others_still_import(client, writer):
    batch = batch_of(upload(client, txt("bad.txt", BAD_REFERENCE), txt("latin.txt", ""),
                            txt("chamomile.txt", TEXT_ARTICLE)))
    ImportUpload.objects.filter(name="latin.txt").update(source="", problem="latin.txt:1: not UTF-8 text")
    preview = client.get(reverse("desk:import_preview", args=[batch])).content.decode()
    assert "latin.txt:1: not UTF-8 text" in preview
    rows = {row.name: row for row in ImportUpload.objects.filter(batch=batch)}
    response = client.post(reverse("desk:import_preview", args=[batch]), create_post(
        batch, {rows["bad.txt"]: {"title": "Bad tea"}, rows["chamomile.txt"]: {"title": "Chamomile and Sleep"}}))
    assert response.url == reverse("desk:import_result", args=[batch])
    result = client.get(response.url).content.decode()
    assert 'bad.txt:5: reference has a malformed DOI &quot;10.x/broken&quot;' in result
    assert "latin.txt:1: not UTF-8 text" in result
    assert list(Article.objects.values_list("title", flat=True)) == ["Chamomile and Sleep"]
    assert "1 of 3 files made a draft." in result


def test_an_upload_that_is_not_utf8_is_named_with_its_line(client, writer):
    data = "Caf\u00e9 tea\nFine.\n".encode("latin-1")
    batch = batch_of(upload(client, SimpleUploadedFile("latin.txt", data)))
    assert ImportUpload.objects.get(batch=batch).problem.startswith("latin.txt:1: not UTF-8 text")


def test_create_makes_drafts_by_the_uploader_with_the_typed_title_and_type(client, writer):
    batch = batch_of(upload(client, txt("chamomile.txt", TEXT_ARTICLE), txt("untitled.txt", UNTITLED),
                            txt("balm.html", HTML_ARTICLE)))
    rows = {row.name: row for row in ImportUpload.objects.filter(batch=batch)}
    client.post(reverse("desk:import_preview", args=[batch]), create_post(batch, {
        rows["chamomile.txt"]: {"title": "Chamomile tea and sleep", "article_type": "wellness"},
        rows["untitled.txt"]: {"title": "Passionflower and the brain"},
        rows["balm.html"]: {"title": "Lemon balm", "make": False},
    }))
    drafts = {article.title: article for article in Article.objects.all()}
    assert set(drafts) == {"Chamomile tea and sleep", "Passionflower and the brain"}
    chamomile = drafts["Chamomile tea and sleep"]
    assert chamomile.status == "draft" and chamomile.article_type.key == "wellness"
    assert list(chamomile.authors.all()) == [writer]
    assert chamomile.slug == "chamomile-tea-and-sleep"
    assert chamomile.sections.get(key="side_effects").content.startswith("<p>Some people")
    # The untitled file's first line was a section heading: the body does not start with it.
    assert "mechanisms" not in drafts["Passionflower and the brain"].title.lower()


def test_an_untitled_file_needs_a_typed_title_and_keeps_what_was_typed_in_the_others(client, writer):
    batch = batch_of(upload(client, txt("untitled.txt", UNTITLED), txt("chamomile.txt", TEXT_ARTICLE)))
    rows = {row.name: row for row in ImportUpload.objects.filter(batch=batch)}
    response = client.post(reverse("desk:import_preview", args=[batch]), create_post(batch, {
        rows["untitled.txt"]: {"title": ""}, rows["chamomile.txt"]: {"title": "My own title"}}))
    assert response.status_code == 200
    text = response.content.decode()
    assert "This file has no title of its own: type one, or untick it." in text
    assert 'value="My own title"' in text
    assert not Article.objects.exists()


def test_the_html_that_reaches_the_draft_is_the_servers_reading_of_the_file_sanitized(client, writer):
    batch = batch_of(upload(client, txt("balm.html", HTML_ARTICLE)))
    row = ImportUpload.objects.get(batch=batch)
    client.post(reverse("desk:import_preview", args=[batch]), create_post(
        batch, {row: {"title": "Lemon balm"}}, **{f"file-{row.pk}-body": "<script>evil()</script>"}))
    article = Article.objects.get()
    assert "steal" not in article.body and "evil" not in article.body and "<script" not in article.body


def test_creating_twice_makes_one_draft_a_file(client, writer):
    batch = batch_of(upload(client, txt("chamomile.txt", TEXT_ARTICLE)))
    row = ImportUpload.objects.get(batch=batch)
    data = create_post(batch, {row: {"title": "Chamomile and Sleep"}})
    client.post(reverse("desk:import_preview", args=[batch]), data)
    client.post(reverse("desk:import_preview", args=[batch]), data)
    assert Article.objects.count() == 1


def test_the_progress_script_creates_a_few_files_a_request_and_gets_each_result_as_json(client, writer):
    batch = batch_of(upload(client, txt("chamomile.txt", TEXT_ARTICLE), txt("bad.txt", BAD_REFERENCE),
                            txt("balm.html", HTML_ARTICLE)))
    rows = {row.name: row for row in ImportUpload.objects.filter(batch=batch)}
    data = create_post(batch, {rows[name]: {"title": "T " + name} for name in ("chamomile.txt", "balm.html")},
                       only=[str(rows["chamomile.txt"].pk)])
    response = client.post(reverse("desk:import_preview", args=[batch]), data, HTTP_ACCEPT="application/json")
    results = response.json()["results"]
    assert [(r["name"], r["created"]) for r in results] == [("chamomile.txt", True)]
    assert results[0]["url"] == reverse("desk:article", args=[Article.objects.get().pk])
    assert not Article.objects.filter(title="T balm.html").exists()  # not in this request


def test_a_file_refused_while_creating_is_named_with_why_and_the_files_before_it_are_kept(client, writer):
    from django.contrib.auth.models import Group

    from articles.errors import NotAllowed
    from articles.models import ArticleType
    from reviews.imports import import_create

    batch = batch_of(upload(client, txt("chamomile.txt", TEXT_ARTICLE), txt("balm.html", HTML_ARTICLE)))
    rows = {row.name: row for row in ImportUpload.objects.filter(batch=batch)}
    data = create_post(batch, {row: {"title": "T " + name} for name, row in rows.items()})
    first = client.post(reverse("desk:import_preview", args=[batch]),
                        {**data, "only": [str(rows["chamomile.txt"].pk)]}, HTTP_ACCEPT="application/json")
    assert first.json()["results"][0]["created"]
    writer.groups.remove(*Group.objects.all())  # the role goes between two requests of the batch
    # The page refuses the next request; the service, asked directly, refuses the file itself.
    assert client.post(reverse("desk:import_preview", args=[batch]), data).status_code == 403
    with pytest.raises(NotAllowed):
        import_create(by=type(writer).objects.get(pk=writer.pk), upload=rows["balm.html"], article_type=ArticleType.objects.get(key="wellness"),
                      title="Lemon balm")
    assert ImportUpload.objects.get(pk=rows["balm.html"].pk).refusal.startswith("balm.html: Only writers")
    assert list(Article.objects.values_list("title", flat=True)) == ["T chamomile.txt"]


# --- Limits ---

def test_too_many_files_are_refused_with_the_limit_named(client, writer, settings):
    settings.IMPORT_MAX_FILES = 2
    response = upload(client, *(txt(f"{n}.txt", TEXT_ARTICLE) for n in range(3)))
    assert response.status_code == 200
    assert "Import at most 2 files at once; 3 were chosen." in response.content.decode()
    assert not ImportUpload.objects.exists()


def test_a_file_over_the_size_limit_is_refused_by_name(client, writer, settings):
    settings.IMPORT_MAX_FILE_BYTES = 1024
    response = upload(client, txt("big.txt", "Big\n" + "word " * 400), txt("small.txt", TEXT_ARTICLE[:200]))
    text = response.content.decode()
    assert "big.txt is 2.0\xa0KB; each file may be at most 1.0\xa0KB." in text
    assert "small.txt" not in text
    assert not ImportUpload.objects.exists()


def test_a_file_of_another_kind_is_refused_by_name(client, writer):
    response = upload(client, SimpleUploadedFile("scan.pdf", b"%PDF-1.4"))
    assert "scan.pdf: not a file the importer reads" in response.content.decode()


def test_an_upload_without_files_asks_for_one(client, writer):
    response = client.post(reverse("desk:import"), {})
    assert "Choose at least one file to import." in response.content.decode()


def test_a_word_file_that_is_not_a_zip_is_named(client, writer):
    batch = batch_of(upload(client, SimpleUploadedFile("old.docx", b"not a zip at all")))
    assert "not a Word .docx file" in ImportUpload.objects.get(batch=batch).problem


# --- Permissions ---

def test_anyone_not_logged_in_is_sent_to_log_in(client):
    response = client.get(reverse("desk:import"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize("make, status", [(make_writer, 200), (make_editor, 200), (make_reviewer, 403)])
def test_writers_and_editors_may_import_and_reviewers_may_not(client, make, status):
    client.force_login(make())
    assert client.get(reverse("desk:import")).status_code == status
    response = upload(client, txt("chamomile.txt", TEXT_ARTICLE))
    assert response.status_code == (302 if status == 200 else 403)


def test_another_persons_batch_answers_404_like_one_that_never_existed(client, writer):
    batch = batch_of(upload(client, txt("chamomile.txt", TEXT_ARTICLE)))
    client.force_login(make_writer("someone_else"))
    for name in ("desk:import_preview", "desk:import_result"):
        assert client.get(reverse(name, args=[batch])).status_code == 404
        assert client.get(reverse(name, args=["0" * 32])).status_code == 404
    row = ImportUpload.objects.get(batch=batch)
    client.post(reverse("desk:import_preview", args=[batch]), create_post(batch, {row: {"title": "Mine now"}}))
    assert not Article.objects.exists()


def test_the_dashboard_links_to_the_import_for_those_who_may(client, writer):
    assert reverse("desk:import") in client.get(reverse("desk:dashboard")).content.decode()
    client.force_login(make_reviewer())
    assert reverse("desk:import") not in client.get(reverse("desk:dashboard")).content.decode()
