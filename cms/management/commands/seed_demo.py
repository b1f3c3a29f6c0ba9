"""Demo users and articles in every state, created through the same services as real work."""
import os

from django.conf import settings
from django.contrib.auth.models import Group, Permission, User
from django.core.mail import get_connection
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.text import slugify

from articles.content import ArticleContent
from articles.models import Article, Topic
from reviews.permissions import EDITORS, REVIEWERS, WRITERS
from reviews.editing import article_create, article_update
from cms.demo_content import CAFFEINE, IBUPROFEN, INSOMNIA, MELATONIN, SLEEP_HYGIENE
from reviews.comments import NewComment
from reviews.models import CHECKLIST_KEYS, ReviewerProfile
from reviews.notifications import mail_connection
from reviews.workflow import article_approve, article_request_changes, article_submit

PHARMACISTS = "Pharmacists"

DEMO_USERS = {
    # username: (first name, last name, groups, reviewer credentials)
    "writer": ("Wren", "Hale", [WRITERS], None),
    "writer2": ("Sam", "Okafor", [WRITERS], None),
    "reviewer": ("Amira", "Patel", [REVIEWERS], ("MD", "General practice", "GMC 0000000 (demo)")),
    # Signs the pharmacist step of medicine articles, and medical reviews too.
    "pharmacist": ("Jonas", "Berg", [REVIEWERS, PHARMACISTS], ("PharmD", "Clinical pharmacy", "Demo 12345")),
    "editor": ("Elena", "Marsh", [EDITORS], None),
}


class Command(BaseCommand):
    help = "Create demo users (writer, reviewer, editor, ...) and demo articles in every state."

    def add_arguments(self, parser):
        parser.add_argument("--password", default=os.environ.get("DEMO_PASSWORD", "demo-health-2026"),
                            help="Password for every demo user (local use only).")

    def handle(self, *args, password, **options):
        if getattr(settings, "PRODUCTION", False):
            raise CommandError("seed_demo creates users with a known password; it refuses to run "
                               "with DJANGO_ENV=production.")
        # The demo's notifications land in the demo people's inboxes; their mail goes nowhere (the
        # addresses are made up, and the console backend would print every message).
        with mail_connection(get_connection("django.core.mail.backends.dummy.EmailBackend")):
            with transaction.atomic():
                users = {name: self._user(name, password, *spec) for name, spec in DEMO_USERS.items()}
                created = self._articles(users)
        for line in created:
            self.stdout.write(line)
        self.stdout.write("Demo notifications are in each person's inbox on the desk (no mail sent).")
        self.stdout.write(f"Site: {settings.SITE_URL.rstrip('/')}/ (the address links in notification mail use)")
        self.stdout.write("Demo users (local use only):")
        for name, (_, _, groups, _) in DEMO_USERS.items():
            self.stdout.write(f"  {name:<11} {', '.join(groups)}")
        # Last, so it is the line above the server's own output (scripts/run).
        self.stdout.write(self.style.SUCCESS("Password for every demo user: " + password))

    def _user(self, username, password, first, last, groups, reviewer):
        user, _ = User.objects.get_or_create(username=username, defaults={
            "first_name": first, "last_name": last, "email": f"{username}@example.org",
        })
        user.set_password(password)
        # Editors manage types, topics and profiles in the back office; writers and reviewers work
        # on the desk only (set on every run, so seeding again takes staff away from them too).
        editor = EDITORS in groups
        user.is_staff = editor
        user.save()
        user.groups.set([Group.objects.get(name=name) for name in groups])
        user.user_permissions.set(
            Permission.objects.filter(content_type__app_label__in=["articles", "reviews"]) if editor else [])
        if reviewer:
            credentials, specialty, registration = reviewer
            ReviewerProfile.objects.update_or_create(user=user, defaults={
                "credentials": credentials, "specialty": specialty, "registration_number": registration,
                "bio": f"{first} {last} is a {specialty.lower()} clinician who reviews demo articles.",
            })
        return user

    def _create(self, spec, writer) -> Article | None:
        if Article.objects.filter(slug=spec["slug"]).exists():
            return None
        topics = [Topic.objects.get_or_create(slug=slugify(name), defaults={"name": name})[0]
                  for name in spec["topics"]]
        content = ArticleContent(
            title=spec["title"], summary=spec["summary"], body=spec["body"],
            article_type_key=spec["type"], sections=dict(spec["sections"]),
            references=[dict(ref) for ref in spec["references"]],
        )
        return article_create(by=writer, content=content, slug=spec["slug"], topics=topics,
                              comment="Demo content")

    def _articles(self, users):
        lines = []
        article = self._create(MELATONIN, users["writer"])
        if article:
            article = article_submit(article=article, by=users["writer"])
            article_approve(article=article, by=users["reviewer"], rating=4,
                            reviewed_revision_id=article.submitted_revision_id, reviewed_hash=article.submitted_hash,
                            checklist={key: True for key in CHECKLIST_KEYS},
                            comment="Accurate and well sourced.")
            lines.append(f"  published   /articles/{article.slug}/")
        article = self._create(IBUPROFEN, users["writer2"])
        if article:
            # A medicine: the medical review is signed; it waits for the pharmacist's.
            article = article_submit(article=article, by=users["writer2"])
            article_approve(article=article, by=users["reviewer"], rating=4,
                            reviewed_revision_id=article.submitted_revision_id, reviewed_hash=article.submitted_hash,
                            checklist={key: True for key in CHECKLIST_KEYS}, comment="Medically sound.")
            lines.append(f"  in review   {article.title} (medical review signed; awaiting Pharmacist review)")
        article = self._create(INSOMNIA, users["writer2"])
        if article:
            article_submit(article=article, by=users["writer2"])
            lines.append(f"  in review   {article.title}")
        article = self._create(SLEEP_HYGIENE, users["writer"])
        if article:
            # Sent back: a reviewer asked for changes, so it is a draft with an open comment.
            completed = ArticleContent.of(article)
            completed.sections["who_should_avoid"] = (
                "<p>These habits are safe for almost everyone. People with bipolar disorder should not "
                "restrict their sleep without their care team, and anyone with epilepsy should avoid "
                "sleep deprivation, which can trigger seizures.</p>")
            completed.sections["when_to_seek_help"] = (
                "<p>See a doctor if you still sleep badly after a month of steady habits, or if you "
                "snore loudly, gasp at night or feel very sleepy by day, which can be signs of sleep "
                "apnoea. Call emergency services if you have thoughts of harming yourself.</p>")
            article = article_update(article=article, by=users["writer"], expected_version=article.version,
                                     content=completed, comment="Filled the safety sections")
            article = article_submit(article=article, by=users["writer"])
            article_request_changes(
                article=article, by=users["pharmacist"],
                reviewed_revision_id=article.submitted_revision_id, reviewed_hash=article.submitted_hash,
                comments=[NewComment("evidence_summary", "Please cite the review you are summarising here.",
                                     quote="Studies of sleep hygiene advice alone show small effects",
                                     prefix="but on their own they rarely cure long-term insomnia.",
                                     suffix=", so it works best as part of CBT-I.")],
                summary="Nearly there: one citation missing.",
            )
            lines.append(f"  sent back   {article.title} (1 open comment)")
        article = self._create(CAFFEINE, users["writer"])
        if article:
            lines.append(f"  draft       {article.title} (incomplete)")
        if not lines:
            lines.append("  demo articles already exist; nothing added")
        return lines
