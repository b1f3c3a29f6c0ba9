"""An editor's action on many articles at once, from the desk's list: assign their review steps to
one person, or start their re-review. Each article goes through the same domain function as it
would alone (reviews.assignments.assignment_assign, reviews.workflow.article_submit), in its own
transaction, so one refusal leaves the others done; the outcome names every refusal's rule.
"""
from dataclasses import dataclass, field

from articles.errors import InvalidTransition, NotAllowed, TransitionRefused
from articles.models import Article

from .assignments import assignment_assign, person_name
from .permissions import is_editor
from .workflow import article_submit

# One request acts on at most this many articles: a page of the list is 25.
BULK_LIMIT = 100


@dataclass
class BulkOutcome:
    verb: str  # "assigned to Rita Osei", "started"
    done: list[Article] = field(default_factory=list)
    refused: list[tuple[Article, str]] = field(default_factory=list)

    def message(self) -> str:
        """ "12 started; 2 refused: Kava: The article does not pass the submission gate: ...; ..." """
        text = f"{len(self.done)} {self.verb}"
        if self.refused:
            text += f"; {len(self.refused)} refused: " + "; ".join(
                f"{article.title}: {reason}" for article, reason in self.refused)
        return text + "."


def refusal_words(error: Exception) -> str:
    """The rule that refused, in one sentence or two: a refusal with several failures names the
    first and counts the rest (the article's page lists them all)."""
    if isinstance(error, TransitionRefused) and error.failures:
        more = len(error.failures) - 1
        return (f"{error.summary}: {error.failures[0].message.rstrip('.')}"
                + (f" (and {more} more)" if more else ""))
    return str(error).rstrip(".")


def _each(articles, verb: str, act) -> BulkOutcome:
    outcome = BulkOutcome(verb)
    for article in articles:
        try:
            act(article)
        except (NotAllowed, InvalidTransition, TransitionRefused) as error:
            outcome.refused.append((article, refusal_words(error)))
        else:
            outcome.done.append(article)
    return outcome


def _refuse_unless_editor(by) -> None:
    if not is_editor(by):
        raise NotAllowed("Only editors act on many articles at once.")


def articles_assign(*, articles, to, by) -> BulkOutcome:
    """Assign the step each article's review waits for to `to`."""
    _refuse_unless_editor(by)
    return _each(articles, f"assigned to {person_name(to)}",
                 lambda article: assignment_assign(article=article, to=to, by=by))


def _re_review(article: Article, by) -> None:
    # A re-review sends the text readers have now: an article with changes under way (a draft) is
    # submitted from its own page, by someone who knows the changes are ready.
    if article.status != Article.Status.PUBLISHED:
        raise InvalidTransition(f"A re-review starts from an unchanged published article; this one is "
                                f"{Article.Status(article.status).label.lower()}.")
    article_submit(article=article, by=by, comment="Re-review started from the desk.")


def articles_re_review(*, articles, by) -> BulkOutcome:
    """Start the medical re-review of each unchanged published article: a submission, through the
    workflow (editors may submit)."""
    _refuse_unless_editor(by)
    return _each(articles, "started", lambda article: _re_review(article, by))
