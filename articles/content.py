"""Article content as one value: what is saved, hashed, gated, snapshotted and reverted."""
import datetime
from dataclasses import dataclass, field

from .models import Article, ArticleSection, Reference, content_hash
from .sections import SECTION_KEYS

REFERENCE_FIELDS = ("title", "url", "doi", "pmid", "source", "year", "accessed")


def normalise_reference(raw: dict) -> dict:
    """A reference as plain data: every field present, strings stripped, date as ISO text."""
    ref = {}
    for name in REFERENCE_FIELDS:
        value = raw.get(name)
        if name == "year":
            # A year that is not a number is kept as text so reference_errors can name it.
            text = str(value).strip() if value is not None else ""
            ref[name] = int(text) if text.isdigit() else (text or None)
        elif name == "accessed":
            if isinstance(value, (datetime.date, datetime.datetime)):
                value = value.isoformat()[:10]
            ref[name] = value or None
        else:
            ref[name] = (value or "").strip()
    return ref


def normalise_lead_image(raw: dict | None) -> dict | None:
    """The lead image as plain data, or None when there is none."""
    if not raw or not raw.get("image_id"):
        return None
    return {
        "image_id": int(raw["image_id"]),
        "alt": " ".join(str(raw.get("alt") or "").split()),
        "caption": str(raw.get("caption") or "").strip(),
        "credit": str(raw.get("credit") or "").strip(),
    }


def _lead_image_of(fields) -> dict | None:
    """The lead image from an article's fields (a model instance's or a revision's field_dict)."""
    get = fields.get if isinstance(fields, dict) else lambda name: getattr(fields, name, None)
    return normalise_lead_image({
        "image_id": get("lead_image_id"), "alt": get("lead_image_alt"),
        "caption": get("lead_image_caption"), "credit": get("lead_image_credit"),
    })


@dataclass
class ArticleContent:
    title: str
    summary: str
    body: str
    article_type_key: str
    sections: dict[str, str] = field(default_factory=dict)
    references: list[dict] = field(default_factory=list)
    # {"image_id", "alt", "caption", "credit"} or None.
    lead_image: dict | None = None

    def __post_init__(self):
        # Empty sections carry no content; dropping them keeps hashes stable. Unknown keys are
        # kept (after the known ones) so that clean_content can refuse them by name.
        ordered = [key for key in SECTION_KEYS if key in self.sections]
        ordered += [key for key in self.sections if key not in SECTION_KEYS]
        self.sections = {key: self.sections[key] for key in ordered if (self.sections[key] or "").strip()}
        self.references = [normalise_reference(ref) for ref in self.references]
        self.lead_image = normalise_lead_image(self.lead_image)

    def payload(self) -> dict:
        payload = {
            "title": self.title,
            "summary": self.summary,
            "body": self.body,
            "article_type": self.article_type_key,
            "sections": self.sections,
            "references": self.references,
        }
        # Only when set: content without a lead image keeps the hash it had before lead images
        # existed, so earlier submissions and approvals still match their content.
        if self.lead_image:
            payload["lead_image"] = self.lead_image
        return payload

    def hash(self) -> str:
        return content_hash(self.payload())

    @classmethod
    def of(cls, article: Article) -> "ArticleContent":
        return cls(
            title=article.title,
            summary=article.summary,
            body=article.body,
            article_type_key=article.article_type.key,
            sections=article.sections_dict(),
            references=[
                {name: getattr(ref, name) for name in REFERENCE_FIELDS}
                for ref in article.references.all()
            ],
            lead_image=_lead_image_of(article),
        )

    def stored_parts(self) -> dict:
        """What a revision keeps beside the article's own reversion version (RevisionMeta.content)."""
        return {"sections": self.sections, "references": self.references}

    @classmethod
    def from_revision(cls, revision, article: Article) -> "ArticleContent":
        """The content stored in a django-reversion revision of this article.

        The article's fields come from its reversion version; sections and references from the
        revision's RevisionMeta.content, or, for revisions saved before that existed, from
        reversion version rows of their own.
        """
        from django.contrib.contenttypes.models import ContentType

        from .models import ArticleType, RevisionMeta

        article_ct = ContentType.objects.get_for_model(Article)
        try:
            meta = revision.article_meta  # cached when the revision was read through its meta
        except RevisionMeta.DoesNotExist:
            meta = None
        if meta is not None and meta.content is not None:
            versions = list(revision.version_set.filter(content_type_id=article_ct.pk,
                                                        object_id=str(article.pk)))
            sections, references = meta.content["sections"], meta.content["references"]
        else:
            versions = list(revision.version_set.all())
            sections, references = cls._parts_from_versions(versions, article)
        article_fields = next(
            v.field_dict for v in versions
            if v.content_type_id == article_ct.pk and str(v.object_id) == str(article.pk)
        )
        type_key = ArticleType.objects.values_list("key", flat=True).get(pk=article_fields["article_type_id"])
        return cls(
            title=article_fields["title"],
            summary=article_fields["summary"],
            body=article_fields["body"],
            article_type_key=type_key,
            sections=sections,
            references=references,
            lead_image=_lead_image_of(article_fields),
        )

    @staticmethod
    def _parts_from_versions(versions, article: Article) -> tuple[dict, list]:
        """Sections and references of a revision saved with a version row for each of them."""
        from django.contrib.contenttypes.models import ContentType

        section_ct = ContentType.objects.get_for_model(ArticleSection)
        reference_ct = ContentType.objects.get_for_model(Reference)
        sections = {}
        references = []
        for version in versions:
            if version.content_type_id == section_ct.pk:
                data = version.field_dict
                if data["article_id"] == article.pk:
                    sections[data["key"]] = data["content"]
            elif version.content_type_id == reference_ct.pk:
                data = version.field_dict
                if data["article_id"] == article.pk:
                    references.append(data)
        references.sort(key=lambda ref: ref["position"])
        return sections, references
