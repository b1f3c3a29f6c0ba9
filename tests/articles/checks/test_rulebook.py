"""The rules as data: every rule file's examples, rules added by a file alone, the derived
pre-filter, context (negation, hedging, subjects, lists) and publisher profiles."""
import shutil

import pytest
from django.test import override_settings

from articles.checks import RULES, run_checks
from articles.checks.engine import run_rules
from articles.checks.prefilter import needles
from articles.checks.profiles import profile_for
from articles.checks.rulebook import RULES_DIR, RuleFileError, load_rules, term_lists
from articles.checks.text import Document
from articles.content import ArticleContent
from articles.models import ArticleType
from tests.factories import SECTION_TEXT


def content_with(text: str, *, field: str = "body", references: int = 3, type_key: str = "substance",
                 title: str = "Notes on a health topic") -> ArticleContent:
    values = {"title": title, "summary": "A short, plain summary of the topic.", "body": "<p>Plain text.</p>"}
    if field in ("title", "summary"):
        values[field] = text
    else:
        values["body"] = text if text.lstrip().startswith("<") else f"<p>{text}</p>"
    return ArticleContent(
        article_type_key=type_key, sections={key: f"<p>{value}</p>" for key, value in SECTION_TEXT.items()},
        references=[{"title": f"Source {n}", "doi": f"10.1000/rulebook.{n}"} for n in range(1, references + 1)],
        **values,
    )


def codes_in(content: ArticleContent, field: str, type_key: str = "substance") -> set[str]:
    findings = run_checks(content, ArticleType.objects.get(key=type_key))
    return {finding.code for finding in findings if finding.field == field or finding.code == "NO_REFERENCES"}


EXAMPLES = [(rule.code, kind, example) for rule in RULES
            for kind, examples in (("fires", rule.fires), ("passes", rule.passes)) for example in examples]


@pytest.mark.parametrize("code,kind,example", EXAMPLES,
                         ids=[f"{code}-{kind}-{n}" for n, (code, kind, _) in enumerate(EXAMPLES)])
def test_every_example_in_every_rule_file_fires_or_passes_as_its_file_says(code, kind, example):
    content = content_with(example.text, field=example.field, references=example.references,
                           type_key=example.type_key)
    raised = code in codes_in(content, example.field, example.type_key)
    assert raised == (kind == "fires"), f"{code} {kind}: {example.text[:120]}"


def test_every_rule_has_a_file_with_a_message_a_fix_a_policy_and_examples():
    for rule in RULES:
        assert rule.path.name == f"{rule.code}.toml"
        assert rule.message and rule.fix and rule.policy
        assert rule.fires or rule.kind == "missing_section"


def rule_folder(tmp_path):
    folder = tmp_path / "rules"
    shutil.copytree(RULES_DIR, folder)
    term_lists.cache_clear()
    return folder


def test_a_rule_added_as_a_file_works_without_any_code_change(tmp_path):
    folder = rule_folder(tmp_path)
    (folder / "terms" / "detox_words.toml").write_text(
        'description = "Detox talk."\nterms = ["flush out toxins", "cleanse your liver", "reset your gut"]\n')
    (folder / "DETOX_CLAIM.toml").write_text('''
code = "DETOX_CLAIM"
severity = "error"
message = "Detox claims have no basis: the liver and kidneys do this."
fix = "Take the claim out."
policy = "claims"
[[patterns]]
match = \'\'\'\\b{detox_words}\\b\'\'\'
[examples]
fires = ["This tea helps you flush out toxins."]
passes = ["The liver breaks down alcohol."]
''')
    rules = load_rules(folder)
    term_lists.cache_clear()
    detox = next(rule for rule in rules if rule.code == "DETOX_CLAIM")
    content = content_with("Two cups a week will cleanse your liver and reset your gut.")
    found = run_rules([detox], Document(content), profile_for(None))
    assert [finding.code for finding in found] == ["DETOX_CLAIM"]
    assert found[0].trigger == "cleanse your liver"
    assert not run_rules([detox], Document(content_with("The liver breaks down alcohol.")), profile_for(None))


def test_a_term_added_to_a_shared_list_is_found_because_the_pre_filter_comes_from_the_pattern(tmp_path):
    folder = rule_folder(tmp_path)
    conditions = folder / "terms" / "conditions.toml"
    conditions.write_text(conditions.read_text().replace('"insomnia",', '"insomnia", "zorbitis",'))
    rules = load_rules(folder)
    term_lists.cache_clear()
    claim = next(rule for rule in rules if rule.code == "DISEASE_CLAIM")
    found = run_rules([claim], Document(content_with("The drops cure zorbitis.")), profile_for(None))
    assert [finding.trigger for finding in found] == ["cure zorbitis"]


def test_the_pre_filter_is_derived_from_the_pattern_itself():
    assert set(needles(r"\bcur(?:e|es|ed)\b")) == {"cure"}
    assert set(needles(r"\b(?:studies|research)\s+show")) in ({"show"}, {"studies", "research"})
    assert needles(r"\b\w+ly\b") == ("ly",)
    assert needles(r"(?:\w+\s+)?x?") == ()  # nothing every match must contain: the pattern always runs
    assert set(needles(r"\d+\s*mg")) in ({"mg"}, set("0123456789"))


@pytest.mark.parametrize("text,problem", [
    ('code = "BAD_ONE"\nseverity = "error"\nmessage = "m"\nfix = "f"\n[[patterns]]\nmatch = "(unclosed"\n'
     '[examples]\nfires = ["a"]\npasses = ["b"]\n', "does not compile"),
    ('code = "BAD_ONE"\nseverity = "error"\nmessage = "m"\nfix = "f"\n[[patterns]]\nmatch = "{no_such_list}"\n'
     '[examples]\nfires = ["a"]\npasses = ["b"]\n', "no term list named"),
    ('code = "BAD_ONE"\nseverity = "error"\nmessage = "m"\nfix = "f"\nsevrity = "x"\n[[patterns]]\nmatch = "a"\n'
     '[examples]\nfires = ["a"]\npasses = ["b"]\n', "unknown key"),
    ('code = "BAD_ONE"\nseverity = "error"\nmessage = "m"\nfix = "f"\n[[patterns]]\nmatch = "a"\n', "examples"),
    ('code = "BAD_ONE"\nseverity = "fatal"\nmessage = "m"\nfix = "f"\n[[patterns]]\nmatch = "a"\n', "severity"),
])
def test_a_broken_rule_file_is_refused_at_load_with_its_name_and_the_problem(tmp_path, text, problem):
    folder = rule_folder(tmp_path)
    (folder / "BAD_ONE.toml").write_text(text)
    with pytest.raises(RuleFileError) as refused:
        load_rules(folder)
    term_lists.cache_clear()
    assert "BAD_ONE.toml" in str(refused.value) and problem in str(refused.value)


# --- Context ---

@pytest.mark.parametrize("text,code,raised", [
    ("There's not enough evidence to know whether valerian can relieve anxiety.", "DISEASE_CLAIM", False),
    ("It does not cure anxiety, but it treats insomnia.", "DISEASE_CLAIM", True),  # "but" ends the scope
    ("There is no doubt that this is the best remedy for stress.", "ABSOLUTE_EFFICACY", True),  # pseudo-trigger
    ("That the drops cure arthritis is a myth.", "DISEASE_CLAIM", False),  # a backward trigger
    ("The tea may be effective for some people.", "ABSOLUTE_EFFICACY", False),  # hedged
    ("The tea may help treat insomnia.", "DISEASE_CLAIM", True),  # hedging does not answer a claim
    ("Ask about medicines that prevent seizures before starting.", "DISEASE_CLAIM", False),  # a medicine's use
    ("A nurse can treat the wound.", "DISEASE_CLAIM", False),  # a clinician treats
    ("If you feel nothing after a week, increase the dose.", "SELF_TITRATION", True),  # a comma ends "nothing"
    ('The leaflet warns against the word "cure" on labels.', "DISEASE_CLAIM", False),  # quoted
    ("<p>Our root extract is able to:</p><ul><li>Reduce stress and anxiety</li></ul>", "DISEASE_CLAIM", True),
    ("<p>Things that can make sleep worse:</p><ul><li>stress and anxiety</li></ul>", "DISEASE_CLAIM", False),
])
def test_context_decides_whether_a_match_is_a_finding(text, code, raised):
    assert (code in codes_in(content_with(text), "body")) == raised


# --- Profiles ---

def test_a_publisher_can_turn_a_rule_off_or_change_its_severity():
    content = content_with("Saffron shows great promise for lifting low mood.")
    assert "PROMISE_HEDGE" in codes_in(content, "body")
    with override_settings(CHECKS_PROFILE={"rules": {"PROMISE_HEDGE": {"enabled": False}}}):
        assert "PROMISE_HEDGE" not in codes_in(content, "body")
    with override_settings(CHECKS_PROFILE={"rules": {"PROMISE_HEDGE": {"severity": "error"}}}):
        finding = next(f for f in run_checks(content, ArticleType.objects.get(key="substance"))
                       if f.code == "PROMISE_HEDGE")
        assert finding.is_error


def test_a_medicine_article_may_state_its_licensed_indication_when_the_profile_allows_it():
    content = content_with("Zalomine relieves the itching of hay fever.", type_key="medicine", title="Zalomine")
    with override_settings(CHECKS_PROFILE={}):
        assert "DISEASE_CLAIM" in codes_in(content, "body", "medicine")
    with override_settings(CHECKS_PROFILE={"types": {"medicine": {"licensed_indication": True}}}):
        assert "DISEASE_CLAIM" not in codes_in(content, "body", "medicine")
        # Only the article's own medicine: another product's claim is still a claim.
        other = content_with("Sleepwell drops cure insomnia.", type_key="medicine", title="Zalomine")
        assert "DISEASE_CLAIM" in codes_in(other, "body", "medicine")


def test_a_publisher_may_allow_a_named_licensed_brand():
    content = content_with("We recommend the Nytol® tablets for occasional sleeplessness.")
    assert "PRODUCT_RECOMMENDATION" in codes_in(content, "body")
    with override_settings(CHECKS_PROFILE={"brands": ["Nytol"]}):
        assert "PRODUCT_RECOMMENDATION" not in codes_in(content, "body")


def test_an_unknown_rule_in_the_profile_is_reported():
    from articles.checks.profiles import validate
    problems = validate({"rules": {"NO_SUCH_RULE": {"enabled": False}, "VAGUE_RISK": {"severity": "fatal"}}},
                        {rule.code for rule in RULES})
    assert any("NO_SUCH_RULE" in problem for problem in problems)
    assert any("fatal" in problem for problem in problems)


def test_each_finding_names_the_words_that_triggered_it_and_how_to_fix_it():
    finding = next(f for f in run_checks(content_with("Black seed oil cures asthma."),
                                         ArticleType.objects.get(key="substance")) if f.code == "DISEASE_CLAIM")
    assert finding.trigger == "cures asthma"
    assert finding.fix and finding.policy == "claims"
    assert '"cures asthma"' in finding.as_json()["message"]
