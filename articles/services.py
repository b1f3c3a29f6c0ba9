"""Writes to articles. Nothing else saves an Article, its sections or its references.

Each service is one transaction, locks the article row, sanitizes HTML, and records one
django-reversion revision (with its user and comment) that follows sections and references.
Which publication is live changes only through live_publication_set, which keeps the rows the
public lists are read from (LiveListing) with it; the review workflow calls it within its
transitions, seed_scale uses live_listings_create for the publications it writes in bulk.
"""
import calendar
import datetime

import reversion
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from .content import REFERENCE_FIELDS, ArticleContent
from .figures import lead_picture, pictures_for, render_images, unknown_image_keys
from .hygiene import cleaned_for_bulk
from .models import (Article, ArticleSection, ArticleSlugHistory, ArticleType, Image, LiveListing, Publication, Reference,
                     RevisionMeta)
from .sanitize import clean_html
from .sections import SECTIONS, SECTIONS_BY_KEY
from .validators import validate_doi, validate_pmid

_url_validator = URLValidator(schemes=["http", "https"])


def reference_errors(references: list[dict]) -> list[str]:
    """Problems with the form of each reference, numbered as the reader will see them."""
    errors = []
    for number, ref in enumerate(references, start=1):
        if not (ref["title"] or ref["url"] or ref["doi"] or ref["pmid"]):
            errors.append(f"Reference {number} needs a title, URL, DOI or PMID.")
            continue
        if not ref["title"]:
            errors.append(f"Reference {number} needs a title.")
        for validate, value in ((validate_doi, ref["doi"]), (validate_pmid, ref["pmid"])):
            try:
                validate(value)
            except ValidationError as exc:
                errors.append(f"Reference {number}: {exc.messages[0]}")
        if ref["url"]:
            try:
                _url_validator(ref["url"])
            except ValidationError:
                errors.append(f'Reference {number}: "{ref["url"]}" is not an http(s) address.')
        if ref["year"] is not None and not (isinstance(ref["year"], int) and 1800 <= ref["year"] <= 2100):
            errors.append(f'Reference {number}: "{ref["year"]}" is not a plausible year.')
        for name in ("title", "url", "doi", "pmid", "source"):
            limit = Reference._meta.get_field(name).max_length
            if len(ref[name]) > limit:
                errors.append(f"Reference {number}: the {name} is {len(ref[name])} characters long; "
                              f"the limit is {limit}.")
    return errors


def clean_content(content: ArticleContent) -> ArticleContent:
    """Sanitized copy of the content; raises ValidationError naming each field that is refused."""
    errors: dict[str, list[str]] = {}
    cleaned_sections = {}
    body = ""
    try:
        body = clean_html(content.body)
    except ValidationError as exc:
        errors["body"] = exc.messages
    for key, html in content.sections.items():
        if key not in SECTIONS_BY_KEY:
            errors.setdefault("sections", []).append(f"Unknown section {key!r}.")
            continue
        try:
            cleaned_sections[key] = clean_html(html)
        except ValidationError as exc:
            errors[key] = exc.messages
    title = " ".join(content.title.split())
    if not title:
        errors["title"] = ["The article needs a title."]
    elif len(title) > 200:
        errors["title"] = [f"Titles are at most 200 characters; this one has {len(title)}."]
    ref_errors = reference_errors(content.references)
    if ref_errors:
        errors["references"] = ref_errors
    for field, html in [("body", body), *cleaned_sections.items()]:
        if unknown_image_keys(html):
            errors.setdefault(field, []).append(
                "An image here is not one uploaded to this site; upload it with the editor's image button.")
    lead_errors = lead_image_errors(content.lead_image)
    if lead_errors:
        errors["lead_image"] = lead_errors
    if errors:
        raise ValidationError(errors)
    return ArticleContent(
        title=title,
        summary=content.summary.strip(),
        body=body,
        article_type_key=content.article_type_key,
        sections=cleaned_sections,
        references=content.references,
        lead_image=content.lead_image,
    )


def lead_image_errors(lead_image: dict | None) -> list[str]:
    if not lead_image:
        return []
    errors = []
    if not Image.objects.filter(pk=lead_image["image_id"]).exists():
        errors.append("The lead image is not one uploaded to this site; upload it again.")
    for name, label in (("alt", "alt text"), ("caption", "caption"), ("credit", "credit")):
        limit = Article._meta.get_field(f"lead_image_{name}").max_length
        if len(lead_image[name]) > limit:
            errors.append(f"The lead image's {label} is {len(lead_image[name])} characters long; "
                          f"the limit is {limit}.")
    return errors


def unique_slug(title: str, *, exclude_pk: int | None = None) -> str:
    base = slugify(title, allow_unicode=False)[:180].strip("-") or "article"
    slug, n = base, 2
    while slug_refusal(slug, article_pk=exclude_pk):
        slug, n = f"{base}-{n}", n + 1
    return slug


def slug_refusal(slug: str, *, article_pk: int | None = None) -> str:
    """Why the article (None: a new one) cannot take this slug: another article's current slug,
    or a former one that still redirects to it (ArticleSlugHistory). "" when it can."""
    if Article.objects.filter(slug=slug).exclude(pk=article_pk).exists():
        return f'"{slug}" is the address of another article; choose another.'
    if ArticleSlugHistory.objects.filter(slug=slug).exclude(article_id=article_pk).exists():
        return (f'"{slug}" was the address of another article and still leads readers to it; '
                "choose another.")
    return ""


def _slug_move(article: Article, slug: str) -> None:
    """Give the article a new slug. The old one is kept as a former slug when a publication
    carries it (readers may have it: it redirects once the new slug is live); taking back a
    former slug of its own removes that row."""
    refusal = slug_refusal(slug, article_pk=article.pk)
    if refusal:
        raise ValidationError({"slug": refusal})
    if article.publications.filter(slug=article.slug).exists():
        ArticleSlugHistory.objects.get_or_create(slug=article.slug, defaults={"article": article})
    ArticleSlugHistory.objects.filter(article=article, slug=slug).delete()
    article.slug = slug


def _write_content(article: Article, content: ArticleContent, *, validate_slug: bool) -> ArticleContent:
    """Write the content to the working copy and return it as written (control characters
    stripped, as the hygiene receivers store it), in a bounded number of queries whatever the
    number of sections and references: they are replaced in bulk (nothing refers to their rows;
    the revision keeps them as one value)."""
    adding = article._state.adding
    article.title = content.title
    article.summary = content.summary
    article.body = content.body
    lead = content.lead_image or {}
    article.lead_image_id = lead.get("image_id")
    article.lead_image_alt = lead.get("alt", "")
    article.lead_image_caption = lead.get("caption", "")
    article.lead_image_credit = lead.get("credit", "")
    if article.article_type.key != content.article_type_key:
        article.article_type = _article_type(content.article_type_key)
    _store_check_counts(article, content)
    # The database enforces the check constraints, clean_content checked the lead image and the
    # type was just read: validating them again would cost a query each on every save. The slug
    # is checked (format and uniqueness) only when it is new.
    exclude = ["authors", "topics", "article_type", "lead_image"]
    if not validate_slug:
        exclude.append("slug")
    article.full_clean(exclude=exclude, validate_unique=validate_slug, validate_constraints=False)
    article.save()
    if not adding:
        article.sections.all().delete()
        article.references.all().delete()
    sections = ArticleSection.objects.bulk_create(cleaned_for_bulk([
        ArticleSection(article=article, key=key, content=html) for key, html in content.sections.items()
    ]))
    references = Reference.objects.bulk_create(cleaned_for_bulk([
        Reference(article=article, position=position, **ref)
        for position, ref in enumerate(content.references, start=1)
    ]))
    return ArticleContent(
        title=article.title, summary=article.summary, body=article.body,
        article_type_key=content.article_type_key,
        sections={section.key: section.content for section in sections},
        references=[{name: getattr(ref, name) for name in REFERENCE_FIELDS} for ref in references],
        lead_image=content.lead_image and {**content.lead_image, "alt": article.lead_image_alt,
                                           "caption": article.lead_image_caption,
                                           "credit": article.lead_image_credit},
    )


def _store_check_counts(article: Article, content: ArticleContent) -> None:
    """What the desk's rows show of the checks, set on the article before it is saved (no query of
    its own): the gate's failures and the checks' error findings, from one reading of the text.
    Missing sections are the gate's count, so the findings count leaves them out; an error answered
    with a reason still counts (the article page tells which still block)."""
    from .checks import Document, run_checks

    document = Document(content, article.article_type)
    article.gate_failure_count = len(document.gate_failures)
    article.error_finding_count = sum(1 for finding in run_checks(content, article.article_type, document=document)
                                      if finding.is_error and finding.waivable)


@transaction.atomic
def check_counts_store(*, article: Article) -> Article:
    """Store the desk's check counts of an article's working copy as it stands (for articles saved
    before the counts existed: manage.py store_check_counts). Not a content change: no revision,
    and the article's updated time stays."""
    article = content_lock(article)
    _store_check_counts(article, ArticleContent.of(article))
    article.save(update_fields=["gate_failure_count", "error_finding_count"])
    return article


def _article_type(key: str) -> ArticleType:
    try:
        return ArticleType.objects.get(key=key)
    except ArticleType.DoesNotExist:
        raise ValidationError({"article_type": f'There is no article type "{key}".'}) from None


def _record_revision(article: Article, written: ArticleContent, by, comment: str) -> None:
    """One reversion revision: the article's own fields in its version row, sections and
    references as one value on the RevisionMeta (not a version row each)."""
    reversion.set_user(by)
    reversion.set_comment(comment)
    reversion.add_to_revision(article)
    reversion.add_meta(
        RevisionMeta,
        article=article,
        status=article.status,
        content_hash=written.hash(),
        version=article.version,
        content=written.stored_parts(),
    )


@transaction.atomic
def article_new(*, by, content: ArticleContent, slug: str = "", topics=(), authors=(),
                comment: str = "Created") -> Article:
    """A new draft and its first revision. The gate is not checked: drafts may be incomplete.
    Who may create one is the lifecycle's question, asked by the caller."""
    content = clean_content(content)
    if slug and (refusal := slug_refusal(slug)):
        raise ValidationError({"slug": refusal})
    article = Article(
        slug=slug or unique_slug(content.title),
        article_type=_article_type(content.article_type_key),
        status=Article.Status.DRAFT,
    )
    # atomic=False here and in content_save: the service's transaction holds the revision; a
    # savepoint of its own would add two statements to every save.
    with reversion.create_revision(manage_manually=True, atomic=False):
        written = _write_content(article, content, validate_slug=True)
        article.topics.set(topics)
        article.authors.set(list(authors) or [by])
        _record_revision(article, written, by, comment)
    return article


def content_lock(article: Article) -> Article:
    """The article's row, locked until the transaction ends, with its type."""
    return Article.objects.select_for_update().select_related("article_type").get(pk=article.pk)


def content_save(*, article: Article, by, content: ArticleContent, comment: str, status: str,
                 slug: str | None = None, topics=None, authors=None) -> Article:
    """Save content as a new revision, the article then in `status`. The caller holds the row
    lock (content_lock) and has decided, through the lifecycle, that the state may change."""
    content = clean_content(content)
    # A published article's new slug reaches readers with its next approval (the publication
    # freezes the slug); its former slugs then redirect there (ArticleSlugHistory).
    slug_changed = bool(slug) and slug != article.slug
    if slug_changed:
        _slug_move(article, slug)
    article.status = status
    article.version += 1
    with reversion.create_revision(manage_manually=True, atomic=False):
        written = _write_content(article, content, validate_slug=slug_changed)
        if topics is not None:
            article.topics.set(topics)
        if authors is not None:
            article.authors.set(authors)
        _record_revision(article, written, by, comment)
    return article


def revision_content(article: Article, revision_id: int) -> tuple[RevisionMeta, ArticleContent]:
    """The content an earlier revision of this article held, or a ValidationError naming it."""
    meta = RevisionMeta.objects.select_related("revision").filter(
        article=article, revision_id=revision_id
    ).first()
    if meta is None:
        raise ValidationError({"revision": f"Revision {revision_id} is not a revision of this article."})
    return meta, ArticleContent.from_revision(meta.revision, article)


def latest_revision(article: Article):
    meta = RevisionMeta.objects.filter(article=article).select_related("revision").order_by("-revision_id").first()
    return meta.revision if meta else None


def add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    last_day = calendar.monthrange(year, month)[1]
    return day.replace(year=year, month=month, day=min(day.day, last_day))


def snapshot_fields(article: Article, content: ArticleContent) -> dict:
    """What a reader sees of this content: shared by publication and preview.

    Image references become responsive markup here (articles.figures), so a publication holds
    finished HTML and its renditions exist before readers ask for them.
    """
    images = pictures_for(content.body, *content.sections.values())
    return {
        "slug": article.slug,
        "title": content.title,
        "summary": content.summary,
        "body": render_images(content.body, images),
        "lead_image": lead_picture(content.lead_image),
        "sections": [
            {"key": section.key, "title": section.title,
             "html": render_images(content.sections[section.key], images)}
            for section in SECTIONS if section.key in content.sections
        ],
        "references": [
            {**ref, "number": number,
             "doi_url": f"https://doi.org/{ref['doi']}" if ref["doi"] else "",
             "pmid_url": f"https://pubmed.ncbi.nlm.nih.gov/{ref['pmid']}/" if ref["pmid"] else ""}
            for number, ref in enumerate(content.references, start=1)
        ],
        "authors": [
            {"id": user.pk, "username": user.get_username(), "name": user.get_full_name() or user.get_username()}
            for user in article.authors.order_by("last_name", "first_name", "username")
        ],
        "article_type_name": _article_type(content.article_type_key).name,
        "topics": [{"slug": topic.slug, "name": topic.name} for topic in article.topics.order_by("name")],
    }


def publication_create(*, article: Article, revision, submission, content_hash: str, reviewer,
                       reviewer_name: str, reviewer_credentials: str, reviewed_at,
                       published_at=None, reviewer_slug: str = "", sign_offs=()) -> Publication:
    """Freeze the approved revision as readers will see it. Called by the approval service only.

    The snapshot is built from the revision itself, not the working copy, so what readers see is
    exactly what the reviewer approved.
    """
    content = ArticleContent.from_revision(revision, article)
    if content.hash() != content_hash:
        raise ValidationError("The approved revision does not match the approved content hash.")
    first = article.publications.order_by("published_at").values_list("published_at", flat=True).first()
    interval = _article_type(content.article_type_key).review_interval_months
    return Publication.objects.create(
        article=article,
        revision=revision,
        submission=submission,
        content_hash=content_hash,
        reviewer=reviewer,
        reviewer_name=reviewer_name,
        reviewer_credentials=reviewer_credentials,
        reviewer_slug=reviewer_slug,
        reviewed_at=reviewed_at,
        sign_offs=list(sign_offs) or [{"id": reviewer.pk, "step": "Medical review", "name": reviewer_name,
                                       "credentials": reviewer_credentials, "slug": reviewer_slug,
                                       "signed_at": reviewed_at.isoformat()}],
        next_review_due=add_months(timezone.localdate(reviewed_at), interval),
        published_at=published_at or reviewed_at,
        first_published_at=first or published_at or reviewed_at,
        **snapshot_fields(article, content),
    )


def live_listings(publication: Publication) -> list[LiveListing]:
    """The names `publication` is found under while it is live: each writer of its byline, each
    reviewer who signed it (the last signer too), each topic it is filed under; each once."""
    writers = {author["id"] for author in publication.authors if author.get("id") is not None}
    reviewers = {publication.reviewer_id} | {
        sign_off["id"] for sign_off in publication.sign_offs if sign_off.get("id") is not None}
    topics = {topic["slug"] for topic in publication.topics if topic.get("slug")}

    def listing(role, **name):
        return LiveListing(publication=publication, role=role, published_at=publication.published_at, **name)

    return [*(listing(LiveListing.Role.WRITER, person_id=person) for person in sorted(writers)),
            *(listing(LiveListing.Role.REVIEWER, person_id=person) for person in sorted(reviewers)),
            *(listing(LiveListing.Role.TOPIC, topic=slug) for slug in sorted(topics))]


def live_listings_create(publications) -> None:
    """The listing rows of publications that have just become live, in one INSERT (seed_scale
    lists a thousand at a time). Their text is the stored snapshot's, cleaned when it was saved."""
    LiveListing.objects.bulk_create([row for publication in publications for row in live_listings(publication)])


def live_publication_set(*, article: Article, publication: Publication | None) -> None:
    """Make `publication` the article's live version (None: none), with its listing rows: the
    rows of the version it replaces go, its own come, in the caller's transaction, so the people
    and topic lists never show a superseded or unpublished version. The caller holds the row lock
    and saves the article with update_fields naming live_publication (which moves the publish stamp).

    Every publication of the article loses its rows, not only the one live until now: only the
    live one may have any, and a row left behind by any other write would be removed here.
    """
    LiveListing.objects.filter(publication__article=article).delete()
    article.live_publication = publication
    if publication is not None:
        live_listings_create([publication])
