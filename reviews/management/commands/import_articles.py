"""python manage.py import_articles FILE... --author USERNAME [--type KEY]"""
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from articles.errors import NotAllowed
from articles.importer import ImportProblem, import_file
from articles.models import ArticleType
from reviews.editing import article_create


class Command(BaseCommand):
    help = ("Import plain-text (.txt), HTML (.html) or Word (.docx) files as draft articles, one draft per "
            "file. A file that cannot be imported (one without a title line among them) is named with its "
            "line and leaves nothing behind; on the desk (/editorial/import/) the title can be typed instead.")

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument("--author", required=True, metavar="USERNAME",
                            help="An existing writer or editor: the drafts' author.")
        # Substance is the strictest default type, so an import never under-reports what is missing.
        parser.add_argument("--type", dest="type_key", default="substance", metavar="KEY",
                            help='The article type key (default "substance").')

    def handle(self, *args, files, author, type_key, **options):
        user = self._author(author)
        article_type = self._article_type(type_key)
        failed = 0
        for path in files:
            try:
                article, failures = import_file(path, author=user, article_type=article_type, create=article_create)
            except ImportProblem as problem:
                failed += 1
                self.stderr.write(f"error: {problem.located(path)}")
                continue
            except NotAllowed as exc:
                raise CommandError(f'"{author}" cannot create articles ({exc}) Add them to the '
                                   "Writers or Editors group, or import as someone who is.") from None
            self.stdout.write(describe(article, path, failures))
        if failed:
            raise CommandError(f"{failed} of {len(files)} file{'s' if len(files) != 1 else ''} "
                               "could not be imported; nothing of those was kept.")

    def _author(self, username):
        try:
            return get_user_model().objects.get_by_natural_key(username)
        except get_user_model().DoesNotExist:
            raise CommandError(f'There is no user "{username}".') from None

    def _article_type(self, key):
        article_type = ArticleType.objects.filter(key=key).first()
        if article_type is None:
            known = ", ".join(ArticleType.objects.order_by("key").values_list("key", flat=True))
            raise CommandError(f'There is no article type "{key}". Known types: {known}.')
        return article_type


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def describe(article, path, failures) -> str:
    """One line per draft: what was found, and what the gate still needs before submission."""
    still_needed = ", ".join(dict.fromkeys(failure.field for failure in failures))
    return (f'created draft {article.pk} "{article.title}" ({article.slug}) from {path}: '
            f"{_count(article.sections.count(), 'section')}, "
            f"{_count(article.references.count(), 'reference')}, "
            + (f"missing required: {still_needed}" if still_needed else "passes the submission gate"))
