"""Plain-function factories. Content is written for the tests, never copied from samples."""
import itertools

from django.contrib.auth.models import Group, User

from articles.content import ArticleContent
from articles.models import Article
from reviews.permissions import EDITORS, REVIEWERS, WRITERS
from reviews.editing import article_create
from reviews.models import CHECKLIST_KEYS, ReviewerProfile
from reviews.workflow import article_approve, article_submit

_counter = itertools.count(1)

SECTION_TEXT = {
    "evidence_summary": "Two small randomised trials and one cohort study suggest a modest effect on "
                        "symptoms over eight weeks, but the trials were short, funded by a manufacturer "
                        "and did not measure harms well, so the quality of evidence is low.",
    "side_effects": "Common effects are nausea, headache and a dry mouth, which usually settle within a "
                    "week. Rare but serious effects include liver injury and severe allergic reactions "
                    "that need urgent treatment.",
    "interactions": "It can strengthen the effect of blood thinners such as warfarin and of sedating "
                    "medicines, and alcohol increases drowsiness. Tell a pharmacist about every medicine "
                    "and supplement you take before starting.",
    "who_should_avoid": "People who are pregnant or breastfeeding, children, and anyone with liver or "
                        "kidney disease or a history of substance use disorder should avoid it, because "
                        "safety has not been studied in these groups.",
    "dependence_withdrawal": "Regular daily use can lead to tolerance and physical dependence. Stopping "
                             "suddenly may cause irritability, poor sleep and muscle aches for several "
                             "days, so stopping is safest when planned with a clinician.",
    "overdose_toxicity": "Signs of toxicity include confusion, a very slow heart rate, seizures and "
                         "breathing difficulty. Call emergency services at once if these appear, and "
                         "bring the product packaging with you to hospital.",
    "legal_status": "It is not approved as a medicine by the regulator in the United Kingdom or the "
                    "United States, and several countries restrict its sale, so its legal status "
                    "depends on where you live and may change.",
    "dosing_statement": "There is no established safe dose. No regulator has approved a dose for any "
                        "condition, and products vary widely in strength, so any amount carries an "
                        "unknown risk that cannot be predicted in advance.",
    "alternatives": "Other options include cognitive behavioural therapy, licensed medicines that a "
                    "prescriber can review, regular physical activity, and choosing no treatment while "
                    "monitoring symptoms with a doctor over time.",
    "when_to_seek_help": "Seek urgent help for chest pain, fainting, yellowing of the skin, thoughts of "
                         "self-harm or trouble breathing. In the UK call 999 or 111; in the US call 911 "
                         "or Poison Control on 1-800-222-1222.",
}


def make_user(username=None, *, groups=(), credentials=None, **extra) -> User:
    user = User.objects.create_user(username or f"user{next(_counter)}", password="pw-for-tests-only", **extra)
    for name in groups:
        user.groups.add(Group.objects.get(name=name))
    if credentials:
        ReviewerProfile.objects.create(user=user, credentials=credentials, specialty="General practice")
    return user


def make_writer(username=None, **extra) -> User:
    return make_user(username, groups=[WRITERS], **extra)


def make_reviewer(username=None, credentials="MD", **extra) -> User:
    return make_user(username, groups=[REVIEWERS], credentials=credentials,
                     first_name=extra.pop("first_name", "Rita"), last_name=extra.pop("last_name", "Osei"), **extra)


def make_editor(username=None, **extra) -> User:
    return make_user(username, groups=[EDITORS], **extra)


def complete_content(type_key="substance", title=None, **overrides) -> ArticleContent:
    """Content that passes the gate for every default article type."""
    values = {
        "title": title or f"An article about topic {next(_counter)}",
        "summary": "What it is, what the evidence shows, and how to stay safe.",
        "body": "<p>An introduction that explains the subject in plain words.</p>",
        "article_type_key": type_key,
        "sections": {key: f"<p>{text}</p>" for key, text in SECTION_TEXT.items()},
        "references": [
            {"title": f"Reference study {n}", "source": "Journal of Examples", "year": 2021,
             "doi": f"10.1000/example.{n}", "pmid": f"{3000000 + n}"}
            for n in range(1, 4)
        ],
    }
    values.update(overrides)
    return ArticleContent(**values)


def make_draft(writer=None, *, topics=(), **content_overrides) -> Article:
    writer = writer or make_writer()
    return article_create(by=writer, content=complete_content(**content_overrides), topics=topics)


def make_in_review(writer=None, **content_overrides) -> Article:
    article = make_draft(writer, **content_overrides)
    return article_submit(article=article, by=article.authors.first())


ALL_YES = {key: True for key in CHECKLIST_KEYS}


def make_published(writer=None, reviewer=None, **content_overrides) -> Article:
    article = make_in_review(writer, **content_overrides)
    article_approve(**as_reviewed(article), by=reviewer or make_reviewer(), checklist=dict(ALL_YES), rating=4)
    article.refresh_from_db()
    return article


def as_reviewed(article) -> dict:
    """The article as a reviewer opening its review page now sees it: fresh from the database,
    with the submission that page names (what approval and request changes are bound to)."""
    current = Article.objects.select_related("article_type").get(pk=article.pk)
    return {"article": current, "reviewed_revision_id": current.submitted_revision_id,
            "reviewed_hash": current.submitted_hash}


# --- Additions for the core suite (services, gate, workflow, public pages). ---

def content_of(article) -> ArticleContent:
    """The article's current content, read fresh from the database."""
    return ArticleContent.of(Article.objects.select_related("article_type").get(pk=article.pk))


def edit_article(article, by, *, comment="Edited", **changes) -> Article:
    """Save an edit through the service at the article's current version, changing only `changes`."""
    import dataclasses

    from reviews.editing import article_update

    current = Article.objects.get(pk=article.pk)
    content = dataclasses.replace(content_of(current), **changes)
    return article_update(article=current, by=by, expected_version=current.version, content=content,
                          comment=comment)


PLAIN_WORDS = (
    "small trials suggest a modest benefit for sleep quality in adults but the studies were short "
    "and poorly controlled so the true effect remains uncertain and larger independent trials are "
    "still needed before anyone can say how well it works over months or years of regular use"
).split()


def words(count: int) -> str:
    """A paragraph of exactly `count` ordinary words (no digits, hyphens or deferral phrases)."""
    assert count <= len(PLAIN_WORDS)
    return "<p>" + " ".join(PLAIN_WORDS[:count]) + "</p>"


def another_reviewer(credentials="MD", **extra) -> User:
    """A credentialled reviewer with a name of their own (make_reviewer always names Rita Osei)."""
    n = next(_counter)
    return make_reviewer(first_name=extra.pop("first_name", "Reviewer"),
                         last_name=extra.pop("last_name", f"Number {n}"), credentials=credentials, **extra)


def make_topic(name: str, description: str = "") -> "Topic":
    from django.utils.text import slugify

    from articles.models import Topic

    return Topic.objects.create(name=name, slug=slugify(name), description=description)


# --- Images (articles.images): made with Pillow inside the tests, never read from files. ---

def image_bytes(fmt="JPEG", size=(64, 48), mode="RGB", **save_options) -> bytes:
    """An image of `size` in `fmt`, with some detail so encoders have work to do."""
    import io

    from PIL import Image as PILImage

    picture = PILImage.linear_gradient("L").resize(size).convert(mode)
    buffer = io.BytesIO()
    picture.save(buffer, fmt, **save_options)
    return buffer.getvalue()


def upload(data: bytes, name="photo.jpg"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def make_image(by=None, *, fmt="JPEG", size=(64, 48), name=None, **fields):
    """A stored image (with its renditions), uploaded through articles.images.image_create."""
    from articles.images import EXTENSIONS, image_create

    name = name or f"picture.{EXTENSIONS[fmt]}"
    return image_create(upload=upload(image_bytes(fmt, size), name), by=by or make_writer(), **fields)


def figure_html(image, alt="A labelled diagram of the liver", caption="The liver, seen from the front") -> str:
    """A body figure in the stored form the sanitizer writes."""
    return f'<figure><img alt="{alt}" data-image="{image.key}"><figcaption>{caption}</figcaption></figure>'


def lead(image, alt="A pharmacist holding a bottle of tablets", caption="", credit="") -> dict:
    return {"image_id": image.pk, "alt": alt, "caption": caption, "credit": credit}
