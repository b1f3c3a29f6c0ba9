"""python manage.py check_article (FILE | --slug SLUG) [--type KEY] [--format json]"""
import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from articles.checks import field_label, missing_sections, run_checks
from articles.checks.waivers import article_findings, with_waivers
from articles.content import ArticleContent
from articles.importer import ImportProblem, parse_file
from articles.models import Article, ArticleType
from articles.sanitize import clean_html

# A file that cannot be read or parsed: the contract in DESIGN.md.
UNREADABLE = 2


class Command(BaseCommand):
    help = ("Run the automated medical checks on a plain-text or HTML file (parsed as import_articles "
            "would, nothing is saved) or on an article's working copy.")

    def add_arguments(self, parser):
        source = parser.add_mutually_exclusive_group(required=True)
        source.add_argument("file", nargs="?", metavar="FILE")
        source.add_argument("--slug", help="Check this article's working copy instead of a file.")
        parser.add_argument("--type", dest="type_key", default="substance", metavar="KEY",
                            help='The article type a FILE is checked against (default "substance").')
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, file, slug, type_key, format, **options):
        if slug:
            checked = self._article(slug)
        else:
            content, article_type = self._file(file, type_key), self._article_type(type_key)
            checked = with_waivers(run_checks(content, article_type), [])
        findings = [item.finding for item in checked]
        if format == "json":
            # The contract has no field, and an imported file's summary repeats its first paragraph,
            # so the same finding can come twice; once is enough.
            unique = list({tuple(finding.as_json().items()): finding.as_json() for finding in findings}.values())
            self.stdout.write(json.dumps({"findings": unique, "missing_sections": missing_sections(findings)},
                                         ensure_ascii=False))
            return
        for item in checked:
            answered = f" [reason recorded: {item.waiver.reason}]" if item.waiver else ""
            excerpt = f' "{item.excerpt}"' if item.excerpt else ""
            self.stdout.write(f"{item.severity:<7} {item.code} ({field_label(item.field)}): "
                              f"{item.message}{excerpt}{answered}")
        errors = sum(1 for item in checked if item.blocking)
        self.stdout.write(f"{len(checked)} finding{'s' if len(checked) != 1 else ''}, "
                          f"{errors} blocking submission.")

    def _file(self, path: str, type_key: str) -> ArticleContent:
        try:
            content = parse_file(path).content(type_key)
            # Checked as it would be stored: what the sanitizer removes never reaches readers.
            return ArticleContent(
                title=content.title, summary=content.summary, body=clean_html(content.body),
                article_type_key=type_key, references=content.references,
                sections={key: clean_html(html) for key, html in content.sections.items()},
            )
        except ImportProblem as problem:
            raise CommandError(problem.located(path), returncode=UNREADABLE) from None
        except ValidationError as exc:
            raise CommandError(f"{path}: {' '.join(exc.messages)}", returncode=UNREADABLE) from None

    def _article_type(self, key: str) -> ArticleType:
        article_type = ArticleType.objects.filter(key=key).first()
        if article_type is None:
            known = ", ".join(ArticleType.objects.order_by("key").values_list("key", flat=True))
            raise CommandError(f'There is no article type "{key}". Known types: {known}.')
        return article_type

    def _article(self, slug: str):
        article = Article.objects.select_related("article_type").filter(slug=slug).first()
        if article is None:
            raise CommandError(f'There is no article with the slug "{slug}".')
        return article_findings(article)
