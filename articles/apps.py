from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        import reversion

        from .models import Article, ArticleSection, Reference

        # Workflow fields are left out of revisions: a revision is content, and reverting to
        # one must never bring back an old state or publication. Topics and authors are not
        # content either (they reach readers through the publication). Sections and references
        # are kept as one value on the revision's RevisionMeta rather than followed, a version row
        # each: a save then writes two rows, whatever the length of the article.
        reversion.register(
            Article,
            exclude=("status", "version", "submitted_hash", "submitted_revision", "submitted_by",
                     "live_publication", "scheduled_publication", "created_at", "updated_at",
                     "topics", "authors"),
        )
        # Still registered so that revisions saved before that change, with a version row for
        # each section and reference, can be read (ArticleContent.from_revision).
        reversion.register(ArticleSection)
        reversion.register(Reference)

        # Control characters are removed from every text field as it is saved; a revision's
        # comment is the writer's text too.
        from reversion.models import Revision

        from .hygiene import connect
        connect(*self.get_models(), Revision)

        # The rule files are read (and a broken one refused) as the site starts, and so is the
        # publisher's profile: a typo must not silently turn a rule off.
        from django.conf import settings
        from django.core.exceptions import ImproperlyConfigured

        from .checks import CODES
        from .checks.profiles import validate
        problems = validate(getattr(settings, "CHECKS_PROFILE", {}) or {}, set(CODES))
        if problems:
            raise ImproperlyConfigured("CHECKS_PROFILE: " + "; ".join(problems))
