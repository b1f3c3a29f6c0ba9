"""What the article page states about itself: its dates and its JSON-LD MedicalWebPage.

The page and the JSON-LD are built from the same values (article_dates, the publication's
snapshot fields), so search engines read exactly what the reader sees.
"""
import datetime
import json

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from articles.models import Publication

# As django.utils.html.json_script escapes: nothing in the data can close the <script> element.
_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026",
                   ord("\u2028"): "\\u2028", ord("\u2029"): "\\u2029"}


def article_dates(publication: Publication) -> dict[str, datetime.date]:
    """The four dates the page shows, as days in the site's time zone."""
    return {
        "published": timezone.localdate(publication.first_published_at),
        "updated": timezone.localdate(publication.published_at),
        "last_reviewed": timezone.localdate(publication.reviewed_at),
        "next_review_due": publication.next_review_due,
    }


def person_path(slug: str) -> str:
    return reverse("public:person", kwargs={"slug": slug})


def signers(publication: Publication) -> list[dict]:
    """Every sign-off readers are shown, in order: {"step", "name", "credentials", "slug"}."""
    return publication.sign_offs or [{"step": "Medical review", "name": publication.reviewer_name,
                                      "credentials": publication.reviewer_credentials,
                                      "slug": publication.reviewer_slug}]


def _reviewer(sign_off: dict, absolute) -> dict:
    person = {"@type": "Person", "name": sign_off["name"], "honorificSuffix": sign_off["credentials"]}
    if sign_off.get("slug"):
        person["url"] = absolute(person_path(sign_off["slug"]))
    return person


def publisher(absolute) -> dict:
    """The publisher, as a schema.org Organization: settings.PUBLISHER_NAME, and PUBLISHER_URL or
    else the site's home page (through `absolute`, at the address readers use)."""
    return {"@type": "Organization", "name": settings.PUBLISHER_NAME,
            "url": settings.PUBLISHER_URL or absolute(reverse("public:home"))}


def medical_web_page(publication: Publication, *, dates: dict, absolute, corrections=()) -> dict:
    """schema.org MedicalWebPage for the publication; `absolute` turns a path into a full URL."""
    reviewers = [_reviewer(sign_off, absolute) for sign_off in signers(publication)]
    return {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "url": absolute(publication.get_absolute_url()),
        "headline": publication.title,
        "description": publication.summary,
        "inLanguage": "en",
        "datePublished": dates["published"].isoformat(),
        "dateModified": dates["updated"].isoformat(),
        "lastReviewed": dates["last_reviewed"].isoformat(),
        # One reviewer as an object, as before; several (a medical and a pharmacist review) as a list.
        "reviewedBy": reviewers[0] if len(reviewers) == 1 else reviewers,
        "author": [
            {"@type": "Person", "name": author["name"], "url": absolute(person_path(author["username"]))}
            for author in publication.authors
        ],
        "citation": [_citation(ref) for ref in publication.references],
        "publisher": publisher(absolute),
    } | ({"about": [{"@type": "Thing", "name": topic["name"]} for topic in publication.topics]}
         if publication.topics else {}) | ({"correction": [
             {"@type": "CorrectionComment", "text": correction.note,
              "datePublished": correction.published_at.date().isoformat()}
             for correction in corrections]} if corrections else {})


def _citation(ref: dict) -> dict:
    citation = {"@type": "CreativeWork", "name": ref["title"]}
    url = ref.get("url") or ref.get("doi_url") or ref.get("pmid_url")
    if url:
        citation["url"] = url
    same_as = [link for link in (ref.get("doi_url"), ref.get("pmid_url")) if link and link != url]
    if same_as:
        citation["sameAs"] = same_as
    if ref.get("source"):
        citation["isPartOf"] = {"@type": "Periodical", "name": ref["source"]}
    if ref.get("year"):
        citation["datePublished"] = str(ref["year"])
    return citation


def json_ld_script(data: dict) -> SafeString:
    """<script type="application/ld+json"> with the data escaped like Django's json_script, so
    user text (a title holding "</script>") stays data. json_script itself cannot set the type."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308 - escaped above
