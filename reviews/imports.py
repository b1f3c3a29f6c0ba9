"""Import on the desk: files uploaded, previewed, then made drafts, one transaction a file.

The same importer as the import_articles command (articles.importer): a file is read once at
upload (a Word file converted to HTML), kept server-side as an ImportUpload row of its uploader,
and parsed again from that row for the preview and for the draft. A draft is made by
reviews.editing.article_create, which asks reviews.permissions.may_create and has the services
sanitize everything: nothing a browser posts back but the title, the type and which files to make.
"""
import json
import secrets
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from articles.checks import run_checks
from articles.errors import NotAllowed
from articles.importer import ImportProblem, ParsedArticle, import_parsed, parse_source, source_of
from articles.models import ArticleType, ImportUpload
from articles.sections import SECTIONS_BY_KEY

from .editing import article_create
from .permissions import may_create


def max_files() -> int:
    return getattr(settings, "IMPORT_MAX_FILES", 50)


def max_file_bytes() -> int:
    # Far above an article (one of 10,000 words is about 70 KB of text); a .docx with pictures is
    # larger, and its pictures are left out anyway.
    return getattr(settings, "IMPORT_MAX_FILE_BYTES", 5 * 1024 * 1024)


def upload_hours() -> int:
    return getattr(settings, "IMPORT_UPLOAD_HOURS", 24)


def import_stage(*, by, files) -> str:
    """Keep the uploaded files (each with .name and .read()) for their preview; the batch token.
    A file that cannot be read is kept too, with the problem, so the preview names it beside the
    others. Rows older than upload_hours() go first, whoever uploaded them."""
    if not may_create(by):
        raise NotAllowed("Only writers and editors can import articles.")
    ImportUpload.objects.filter(created_at__lt=timezone.now() - timedelta(hours=upload_hours())).delete()
    batch = secrets.token_hex(16)
    rows = []
    for position, upload in enumerate(files):
        name = (upload.name or f"file {position + 1}")[-255:]
        source_format, source, problem = ImportUpload.Format.TEXT, "", ""
        try:
            source_format, source = source_of(name, upload.read())
            # Parsed now as well: what makes a file unreadable (a malformed reference, a file over
            # the limits) depends on neither the title nor the type, and the result page names it.
            parse_source(source_format, source)
        except ImportProblem as exc:
            problem = exc.located(name)
        rows.append(ImportUpload(batch=batch, position=position, owner=by, name=name, format=source_format,
                                 source=source, problem=problem))
    with transaction.atomic():
        ImportUpload.objects.bulk_create(rows)
    return batch


def import_batch(user, batch: str) -> list[ImportUpload]:
    """The files of this batch, if it is this person's; the same 404 for another's or none."""
    uploads = list(ImportUpload.objects.filter(owner=user, batch=batch).select_related("article"))
    if not uploads or not may_create(user):
        raise Http404("No such import.")
    return uploads


@dataclass
class FilePreview:
    """What the preview shows of one file, read for one article type."""

    upload: ImportUpload
    parsed: ParsedArticle | None = None
    problem: str = ""
    sections: list = field(default_factory=list)
    missing: list = field(default_factory=list)
    findings: int = 0

    @property
    def references(self) -> int:
        return len(self.parsed.references) if self.parsed else 0

    @property
    def section_keys_json(self) -> str:
        return json.dumps([section.key for section in self.sections])


def file_preview(upload: ImportUpload, article_type: ArticleType) -> FilePreview:
    if upload.problem:
        return FilePreview(upload, problem=upload.problem)
    try:
        parsed = parse_source(upload.format, upload.source)
    except ImportProblem as exc:
        return FilePreview(upload, problem=exc.located(upload.name))
    # The checks read the file as it would be saved; an untitled file is judged without one.
    findings = run_checks(parsed.content(article_type.key), article_type)
    return FilePreview(
        upload, parsed,
        sections=[SECTIONS_BY_KEY[key] for key in SECTIONS_BY_KEY if key in parsed.sections],
        missing=[SECTIONS_BY_KEY[key] for key in article_type.required_sections if key not in parsed.sections],
        findings=sum(1 for finding in findings if finding.code != "MISSING_SECTION"),
    )


def import_create(*, by, upload: ImportUpload, article_type: ArticleType, title: str = "") -> ImportUpload:
    """Make the draft of one uploaded file, in its own transaction: titled `title` when given,
    else by the file. Done once: a file whose draft exists is returned as it is. A refusal is
    kept on the row (refusal) for the result page and raised as ImportProblem."""
    refused: Exception | None = None
    with transaction.atomic():
        # The row alone is locked (PostgreSQL locks no nullable side of a join): two requests
        # making the same file's draft take turns, and the second finds it made.
        upload = ImportUpload.objects.select_for_update(of=("self",)).select_related("article").get(
            pk=upload.pk, owner=by)
        if upload.article_id:
            return upload
        try:
            if upload.problem:
                raise ImportProblem(upload.problem)
            parsed = parse_source(upload.format, upload.source)
            # import_parsed writes in a savepoint of its own: a refusal leaves nothing of the draft,
            # and the reason is still kept on the row below.
            upload.article = import_parsed(parsed, name=upload.name, author=by, article_type=article_type,
                                           title=" ".join(title.split()) or None, create=article_create)
            upload.refusal = ""
        except ImportProblem as exc:
            refused = exc
            upload.refusal = upload.problem or exc.located(upload.name)
        except NotAllowed as exc:
            refused = exc
            upload.refusal = f"{upload.name}: {exc}"
        upload.save(update_fields=["article", "refusal"])
    if isinstance(refused, NotAllowed):
        raise refused
    if refused is not None:
        raise ImportProblem(upload.refusal)
    return upload
