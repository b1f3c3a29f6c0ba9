"""Published articles by the thousand, for benchmarks: `manage.py seed_scale --articles N`.

Each article is what a publisher's archive holds: a ~1,500-word body under headings, every
section its type uses, five references, one or two writers and topics, K revisions (early drafts
shorter than the last), a submission and an approval in the audit chain, the approving review,
and a live publication. Reviewers, writers and topics are spread evenly, publication times over
three years (so some reviews are overdue).

It writes in bulk, batch by batch, each batch in its own transaction, without the services:
the services' rules (one row lock, one revision, one audit append per transition) are what a
benchmark measures, not what it needs to build 50,000 articles quickly. The rows are the rows
the services write: the same revision format (tests/test_seed_scale.py reads them back through
the same code), the audit rows chained by the same hashes (`verify_audit` passes).

Running it again adds N more. Text comes from a seeded generator, so two runs with the same
--seed write the same articles.
"""
import datetime
import json
import random
import time

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, router, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.text import slugify
from reversion.models import Revision, Version

from articles.audit import CHAIN_LOCK, GENESIS, chain_hash
from articles.content import ArticleContent
from articles.models import (Article, ArticleSection, ArticleType, AuditEntry, Publication, Reference,
                             RevisionMeta, Topic)
from articles.sections import SECTIONS_BY_KEY
from articles.services import add_months, live_listings_create
from reviews.models import CHECKLIST_KEYS, Review, ReviewerProfile, ReviewStep
from reviews.permissions import REVIEWERS, WRITERS

PREFIX = "scale"
PHARMACISTS = "Pharmacists"
WRITER_COUNT = 40
REVIEWER_COUNT = 20
TOPIC_NAMES = (
    "Sleep", "Pain relief", "Anxiety", "Depression", "Heart health", "Diabetes", "Allergies",
    "Skin care", "Digestion", "Supplements", "Herbal remedies", "Pregnancy", "Children's health",
    "Older adults", "Alcohol", "Cannabis", "Stimulants", "Opioids", "Vitamins", "Fitness",
    "Nutrition", "Women's health", "Men's health", "Mental health",
)
SUBJECTS = (
    "valerian", "melatonin", "magnesium", "ashwagandha", "kava", "St John's wort", "ginkgo",
    "caffeine", "ibuprofen", "paracetamol", "codeine", "cetirizine", "omeprazole", "turmeric",
    "fish oil", "vitamin D", "iron tablets", "zinc", "echinacea", "cannabidiol", "kratom",
    "nicotine pouches", "creatine", "probiotics", "garlic capsules", "green tea extract",
)
ANGLES = ("what the evidence says", "benefits and risks", "a guide for patients", "safety questions answered",
          "uses, doses and warnings", "what to know before you start")
TYPE_KEYS = ("substance", "supplement", "medicine", "condition")

# The generator's own sentences: ordinary health writing, so checks and search see real words.
BODY_SENTENCES = (
    "Most of the research so far comes from small trials that followed people for a few weeks.",
    "Larger studies are needed before anyone can say how well it works over months or years.",
    "People often try {s} after hearing about it from friends or reading about it online.",
    "The quality of products sold in shops varies, and labels do not always match the contents.",
    "A pharmacist can check whether {s} is safe alongside the medicines you already take.",
    "Some people notice an effect within days, while others notice nothing at all.",
    "Reviews of the evidence describe the benefit as modest and the certainty as low.",
    "Stopping is usually straightforward, but it helps to plan it with a clinician.",
    "Children, older adults and people with long-term conditions may respond differently.",
    "Keep a short diary of what you take and how you feel, and share it with your doctor.",
    "Researchers measured sleep, mood and daily functioning with standard questionnaires.",
    "Side effects were reported more often at higher strengths than at lower ones.",
    "Independent trials found smaller effects than trials paid for by manufacturers.",
    "If symptoms last longer than a few weeks, a doctor can look for an underlying cause.",
    "Lifestyle changes such as regular exercise and a steady routine help many people.",
    "The evidence for {s} is stronger for some uses than for others.",
    "Blood tests are not usually needed, although a doctor may suggest them in some cases.",
    "Talk to a midwife or doctor before using {s} during pregnancy or while breastfeeding.",
    "Products bought abroad or online may be stronger or weaker than those sold locally.",
    "Trials often excluded people with other illnesses, so results may not apply to everyone.",
)
HEADINGS = ("What it is", "How it is used", "What people report", "How it compares", "Practical tips",
            "Questions to ask", "What we do not know yet")
SECTION_SENTENCES = {
    "evidence_summary": "Small, short trials suggest a modest effect; the certainty of the evidence is low.",
    "side_effects": "Common effects include nausea, headache and drowsiness; rare effects include liver injury.",
    "interactions": "It can interact with blood thinners, sedatives and alcohol; tell a pharmacist what you take.",
    "who_should_avoid": "Avoid it in pregnancy, while breastfeeding, in children and with liver disease.",
    "dependence_withdrawal": "Regular use can lead to tolerance; stopping suddenly may cause poor sleep for days.",
    "overdose_toxicity": "Confusion, a slow heart rate or trouble breathing need emergency care at once.",
    "legal_status": "It is sold as a food supplement in some countries and restricted in others.",
    "dosing_statement": "No regulator has approved a dose, and product strengths vary widely.",
    "alternatives": "Talking therapies, licensed medicines and lifestyle changes are alternatives.",
    "when_to_seek_help": "Seek urgent help for chest pain, fainting, yellow skin or thoughts of self-harm.",
}
JOURNALS = ("Journal of Clinical Examples", "Example Reviews in Medicine", "Annals of Sample Health",
            "International Journal of Illustrative Pharmacology")
# Article fields django-reversion keeps for an article (articles.apps registers the rest out).
REVISIONED_FIELDS = ("title", "slug", "summary", "body", "article_type", "lead_image", "lead_image_alt",
                     "lead_image_caption", "lead_image_credit")


class Command(BaseCommand):
    help = "Create N published articles with K revisions each, in bulk, for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, required=True, help="How many published articles to add.")
        parser.add_argument("--revisions", type=int, default=3, help="Revisions per article (default 3).")
        parser.add_argument("--batch", type=int, default=1000, help="Articles per transaction (default 1000).")
        parser.add_argument("--seed", type=int, default=2026, help="Seed of the text generator.")
        parser.add_argument("--allow-production", action="store_true",
                            help="Run under DJANGO_ENV=production: for benchmarks of production settings "
                                 "on a throwaway database (bench/scale.py), never on a live site.")

    def handle(self, *args, articles, revisions, batch, seed, allow_production, **options):
        if getattr(settings, "PRODUCTION", False) and not allow_production:
            raise CommandError("seed_scale writes thousands of invented articles; it refuses to run "
                               "with DJANGO_ENV=production.")
        if articles < 1 or revisions < 1 or batch < 1:
            raise CommandError("--articles, --revisions and --batch must be at least 1.")
        started = time.monotonic()
        seeder = Seeder(random.Random(seed), revisions)
        first = Article.objects.filter(slug__startswith=f"{PREFIX}-").count() + 1
        done = 0
        while done < articles:
            size = min(batch, articles - done)
            with transaction.atomic():
                seeder.batch(range(first + done, first + done + size))
            done += size
            self.stdout.write(f"  {done:,} / {articles:,} articles ({time.monotonic() - started:.1f} s)")
        if connection.vendor == "postgresql":
            # Fresh statistics, or the planner still sees the tables as they were before the seed
            # (a sequential scan for a search that the GIN index answers). And the visibility map of
            # the tables the lists count, as autovacuum keeps it on a live site: without it every
            # index-only count reads each row again (VACUUM cannot run inside a transaction, as in
            # a test).
            with connection.cursor() as cursor:
                if connection.in_atomic_block:
                    cursor.execute("ANALYZE")
                else:
                    counted = (Article, Publication, AuditEntry, Article.authors.through, Article.topics.through, Review)
                    cursor.execute("VACUUM (ANALYZE) " + ", ".join(
                        connection.ops.quote_name(model._meta.db_table) for model in counted))
                    cursor.execute("ANALYZE")
        self.stdout.write(self.style.SUCCESS(
            f"Seeded {articles:,} published articles with {revisions} revisions each "
            f"({articles * revisions:,} revisions) in {time.monotonic() - started:.1f} s. "
            f"Live publications now: {Article.objects.filter(live_publication__isnull=False).count():,}."))


class Seeder:
    def __init__(self, rng: random.Random, revisions: int):
        self.rng = rng
        self.revisions = revisions
        self.writers = self._people("writer", WRITER_COUNT, [WRITERS], credentials=None)
        # Reviewers sign every step, the pharmacist's of medicines too.
        self.reviewers = self._people("reviewer", REVIEWER_COUNT, [REVIEWERS, PHARMACISTS], credentials="MD")
        self.topics = [Topic.objects.get_or_create(slug=f"{PREFIX}-{n:02d}", defaults={"name": f"{name} ({PREFIX})"})[0]
                       for n, name in enumerate(TOPIC_NAMES, start=1)]
        self.types = list(ArticleType.objects.filter(key__in=TYPE_KEYS)) or list(ArticleType.objects.all())
        if not self.types:
            raise CommandError("There are no article types: run migrate first.")
        self.steps = {t.pk: list(ReviewStep.objects.filter(article_type=t).order_by("position")) for t in self.types}
        self.article_ct = ContentType.objects.get_for_model(Article)
        self.db = router.db_for_write(Article)
        self.now = timezone.now()

    def _people(self, role, count, groups, credentials):
        group_objects = [Group.objects.get_or_create(name=name)[0] for name in groups]
        people = []
        for n in range(1, count + 1):
            user, created = User.objects.get_or_create(
                username=f"{PREFIX}-{role}-{n:02d}",
                defaults={"first_name": f"{role.title()}{n:02d}", "last_name": "Scale",
                          "email": f"{PREFIX}-{role}-{n:02d}@example.org"})
            if created:
                user.set_unusable_password()
                user.save(update_fields=["password"])
                user.groups.set(group_objects)
            if credentials:
                ReviewerProfile.objects.get_or_create(user=user, defaults={
                    "slug": f"{PREFIX}-{role}-{n:02d}", "credentials": credentials, "specialty": "General practice"})
            people.append(User.objects.select_related("reviewer_profile").get(pk=user.pk) if credentials else user)
        return people

    # --- Text ---

    def _paragraph(self, subject: str) -> str:
        sentences = [self.rng.choice(BODY_SENTENCES).format(s=subject) for _ in range(7)]
        return f"<p>{' '.join(sentences)}</p>"

    def _body(self, subject: str) -> list[str]:
        """Blocks of the body (headings and paragraphs), about 1,500 words in all."""
        blocks = []
        for heading in self.rng.sample(HEADINGS, 5):
            blocks.append(f"<h2>{heading}</h2>")
            blocks.extend(self._paragraph(subject) for _ in range(2))
        while sum(len(block.split()) for block in blocks) < 1500:
            blocks.append(self._paragraph(subject))
        return blocks

    def _content(self, number: int, article_type: ArticleType, subject: str) -> tuple[ArticleContent, list[str]]:
        title = f"{subject[0].upper()}{subject[1:]}: {self.rng.choice(ANGLES)} ({number})"
        sections = {key: f"<p>{SECTION_SENTENCES[key]} {self._paragraph(subject)[3:-4]}</p>"
                    for key in article_type.sections_in_use()}
        references = [{"title": f"A trial of {subject} in adults, report {number}.{n}",
                       "source": self.rng.choice(JOURNALS), "year": self.rng.randint(2005, 2025),
                       "doi": f"10.5555/scale.{number}.{n}", "pmid": "", "url": "", "accessed": None}
                      for n in range(1, 6)]
        blocks = self._body(subject)
        content = ArticleContent(
            title=title, summary=f"What {subject} is, what the evidence shows, and how to use it safely.",
            body="\n".join(blocks), article_type_key=article_type.key, sections=sections,
            references=references)
        return content, blocks

    def _drafts(self, content: ArticleContent, blocks: list[str]) -> list[ArticleContent]:
        """The content of each revision, oldest first: earlier drafts hold less of the body and
        fewer sections; the last is the content itself."""
        drafts = []
        keys = list(content.sections)
        for k in range(1, self.revisions + 1):
            share = k / self.revisions
            drafts.append(ArticleContent(
                title=content.title, summary=content.summary,
                body="\n".join(blocks[:max(1, round(len(blocks) * share))]),
                article_type_key=content.article_type_key,
                sections={key: content.sections[key] for key in keys[:max(1, round(len(keys) * share))]},
                references=content.references[:max(1, round(len(content.references) * share))]))
        drafts[-1] = content
        return drafts

    # --- Rows ---

    def batch(self, numbers: range) -> None:
        rng = self.rng
        plans = []
        for number in numbers:
            article_type = self.types[number % len(self.types)]
            subject = rng.choice(SUBJECTS)
            content, blocks = self._content(number, article_type, subject)
            # Spread over three years, oldest first in each batch does not matter: times are random.
            published_at = self.now - datetime.timedelta(minutes=rng.randint(60, 3 * 365 * 24 * 60))
            plans.append({
                "number": number, "subject": subject, "type": article_type, "content": content,
                "drafts": self._drafts(content, blocks), "published_at": published_at,
                "writers": rng.sample(self.writers, rng.choice((1, 1, 2))),
                "topics": rng.sample(self.topics, rng.choice((1, 2))),
                # One reviewer per review step, each a different person (reviews.steps).
                "reviewers": [self.reviewers[(number + n) % len(self.reviewers)]
                              for n in range(len(self.steps[article_type.pk]) or 1)],
            })
        articles = Article.objects.bulk_create([
            Article(title=p["content"].title, slug=f"{PREFIX}-{p['number']}-{slugify(p['subject'])}",
                    summary=p["content"].summary, body=p["content"].body, article_type=p["type"],
                    status=Article.Status.DRAFT, version=self.revisions)
            for p in plans])
        for plan, article in zip(plans, articles):
            plan["article"] = article
        Article.authors.through.objects.bulk_create([
            Article.authors.through(article_id=p["article"].pk, user_id=w.pk) for p in plans for w in p["writers"]])
        Article.topics.through.objects.bulk_create([
            Article.topics.through(article_id=p["article"].pk, topic_id=t.pk) for p in plans for t in p["topics"]])
        ArticleSection.objects.bulk_create([
            ArticleSection(article=p["article"], key=key, content=html)
            for p in plans for key, html in p["content"].sections.items()])
        Reference.objects.bulk_create([
            Reference(article=p["article"], position=n, **ref)
            for p in plans for n, ref in enumerate(p["content"].references, start=1)])
        self._revisions(plans)
        self._approvals(plans)

    def _revisions(self, plans) -> None:
        revisions = []
        for p in plans:
            start = p["published_at"] - datetime.timedelta(days=self.revisions + 1)
            for k, _ in enumerate(p["drafts"], start=1):
                revisions.append(Revision(date_created=start + datetime.timedelta(days=k),
                                          user=p["writers"][k % len(p["writers"])],
                                          comment="Created" if k == 1 else f"Draft {k}"))
        revisions = Revision.objects.bulk_create(revisions)
        versions, metas = [], []
        for index, p in enumerate(plans):
            article = p["article"]
            p["revisions"] = revisions[index * self.revisions:(index + 1) * self.revisions]
            for k, (revision, draft) in enumerate(zip(p["revisions"], p["drafts"]), start=1):
                fields = {"title": draft.title, "slug": article.slug, "summary": draft.summary, "body": draft.body,
                          "article_type": p["type"].pk, "lead_image": None, "lead_image_alt": "",
                          "lead_image_caption": "", "lead_image_credit": ""}
                versions.append(Version(
                    revision=revision, object_id=str(article.pk), content_type=self.article_ct, db=self.db,
                    format="json", object_repr=draft.title[:191],
                    serialized_data=json.dumps([{"model": "articles.article", "pk": article.pk,
                                                 "fields": {name: fields[name] for name in REVISIONED_FIELDS}}])))
                metas.append(RevisionMeta(revision=revision, article=article, status=Article.Status.DRAFT,
                                          content_hash=draft.hash(), version=k, content=draft.stored_parts()))
        Version.objects.bulk_create(versions)
        RevisionMeta.objects.bulk_create(metas)

    def _approvals(self, plans) -> None:
        """Each article submitted and approved: two chained audit rows, the review, the publication."""
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK])
        prev = AuditEntry.objects.order_by("-id").values_list("hash", flat=True).first() or GENESIS
        entries = []
        for p in plans:
            last = p["revisions"][-1]
            submitted_at = p["published_at"] - datetime.timedelta(hours=20)
            for action, from_status, to_status, actor, at in (
                    ("submit", "draft", "in_review", p["writers"][0], submitted_at),
                    ("approve", "in_review", "published", p["reviewers"][-1], p["published_at"])):
                entry = AuditEntry(article=p["article"], actor=actor, at=at, action=action,
                                   from_status=from_status, to_status=to_status, revision=last,
                                   comment="", details={}, prev_hash=prev)
                entry.hash = prev = chain_hash({
                    "article_id": p["article"].pk, "actor_id": actor.pk, "at": at, "action": action,
                    "from_status": from_status, "to_status": to_status, "revision_id": last.pk,
                    "comment": "", "details": {}}, entry.prev_hash)
                entries.append(entry)
        entries = AuditEntry.objects.bulk_create(entries)
        checklist = {key: True for key in CHECKLIST_KEYS}
        reviews, publications = [], []
        for index, p in enumerate(plans):
            submission = entries[2 * index]
            content, article = p["content"], p["article"]
            steps = self.steps[p["type"].pk] or [None]
            sign_offs = []
            for step, reviewer in zip(steps, p["reviewers"]):
                profile = reviewer.reviewer_profile
                reviews.append(Review(article=article, revision=p["revisions"][-1], content_hash=content.hash(),
                                      reviewer=reviewer, decision=Review.Decision.APPROVED, checklist=checklist,
                                      rating=4, step=step, submission=submission))
                sign_offs.append({"id": reviewer.pk, "step": step.name if step else "Medical review",
                                  "name": reviewer.get_full_name(), "credentials": profile.credentials,
                                  "slug": profile.slug, "signed_at": p["published_at"].isoformat()})
            publications.append(Publication(
                article=article, revision=p["revisions"][-1], submission=submission, content_hash=content.hash(),
                slug=article.slug, title=content.title, summary=content.summary, body=content.body,
                sections=[{"key": key, "title": SECTIONS_BY_KEY[key].title, "html": html}
                          for key, html in content.sections.items()],
                references=[{**ref, "number": n, "doi_url": f"https://doi.org/{ref['doi']}", "pmid_url": ""}
                            for n, ref in enumerate(content.references, start=1)],
                authors=[{"id": w.pk, "username": w.username, "name": w.get_full_name()}
                         for w in sorted(p["writers"], key=lambda w: (w.last_name, w.first_name, w.username))],
                topics=[{"slug": t.slug, "name": t.name} for t in sorted(p["topics"], key=lambda t: t.name)],
                article_type_name=p["type"].name, reviewer=reviewer, reviewer_name=reviewer.get_full_name(),
                reviewer_credentials=profile.credentials, reviewer_slug=profile.slug,
                reviewed_at=p["published_at"], sign_offs=sign_offs,
                next_review_due=add_months(timezone.localdate(p["published_at"]), p["type"].review_interval_months),
                published_at=p["published_at"], first_published_at=p["published_at"], lead_image={}))
        Review.objects.bulk_create(reviews)
        Publication.objects.bulk_create(publications)
        # One statement (bulk_update's CASE over a thousand rows costs more than the inserts).
        Article.objects.filter(pk__in=[p["article"].pk for p in plans]).update(
            status=Article.Status.PUBLISHED,
            live_publication=Subquery(Publication.objects.filter(article=OuterRef("pk")).values("pk")[:1]))
        # The rows the people and topic pages read, as live_publication_set writes them one by one.
        live_listings_create(publications)
