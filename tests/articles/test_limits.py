"""The structural limits every HTML field is held to before anything parses it (articles.limits)."""
import pytest
from django.core.exceptions import ValidationError

from articles.limits import MAX_SENTENCES, MAX_TAGS, check_limits, within_limits
from articles.sanitize import clean_html


def refusal(html: str) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        check_limits(html)
    return caught.value


def test_a_long_article_is_far_within_every_limit():
    # About 12,000 words: 300 paragraphs of 40 words in four sentences, a link and a bold phrase each.
    paragraph = ("<p>Melatonin is a hormone that the body makes at night. It is also sold as a supplement "
                 "in many countries. Trials found a small effect on the time taken to fall asleep "
                 "<a href='https://example.org/trial'>[1]</a>. <strong>Ask a pharmacist</strong> before "
                 "taking it with other medicines.</p>")
    article = "<h2>What it is</h2>" + paragraph * 300
    assert article.count("<") < MAX_TAGS // 3 and article.count(". ") < MAX_SENTENCES // 5
    assert within_limits(article)


def test_more_tags_than_the_limit_are_refused_by_name():
    error = refusal("<br>" * (MAX_TAGS + 1))
    assert error.code == "html_too_many_tags"
    assert f"{MAX_TAGS + 1:,} tags" in error.messages[0]


def test_comments_and_end_tags_count_as_tags_but_a_lone_less_than_sign_does_not():
    assert refusal("<!---->" * (MAX_TAGS // 2) + "</b>" * (MAX_TAGS // 2) + "<?x>").code == "html_too_many_tags"
    assert within_limits("1 < 2 " * MAX_TAGS)


def test_more_sentences_than_the_limit_are_refused_by_name():
    error = refusal("Take it. " * (MAX_SENTENCES + 2))
    assert error.code == "text_too_many_sentences"


def test_sentences_separated_by_markup_or_entities_are_counted_too():
    assert refusal("<p>Take it.&nbsp;" * (MAX_SENTENCES // 2 + 1) + "Then</p>"
                   + "<b>Stop.</b> Now" * (MAX_SENTENCES // 2)).code in ("text_too_many_sentences", "html_too_many_tags")
    assert refusal("Take it.&nbsp;" * (MAX_SENTENCES + 2) + "End").code == "text_too_many_sentences"


def test_the_sanitizer_refuses_what_the_limits_refuse():
    with pytest.raises(ValidationError) as caught:
        clean_html("<p>x</p>" * MAX_TAGS)
    assert caught.value.code == "html_too_many_tags"
