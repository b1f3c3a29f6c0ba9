"""Findings explain themselves: the words that set them off, how to fix them, and the policy they
enforce, on the desk's page of every rule."""
from django.urls import reverse

from articles.checks import RULES
from tests.factories import make_draft, make_writer


def test_a_finding_in_the_editor_names_its_trigger_words_its_fix_and_links_to_its_policy(client):
    writer = make_writer()
    article = make_draft(writer, body="<p>Black seed oil cures asthma.</p>")
    client.force_login(writer)
    page = client.get(reverse("desk:edit", args=[article.pk])).content.decode()
    body = page.split('data-findings-for="body"')[1].split("</ul>")[0]
    assert "Flagged words: <mark>cures asthma</mark>" in body
    assert "How to fix: Cite the evidence" in body
    assert f'href="{reverse("desk:checks")}#claims"' in body


def test_the_checks_page_lists_every_rule_under_the_policy_it_enforces_with_examples(client):
    client.force_login(make_writer())
    page = client.get(reverse("desk:checks")).content.decode()
    for rule in RULES:
        assert f'id="rule-{rule.code}"' in page
    claims = page.split('id="claims"')[1].split("</section>")[0]
    assert 'id="rule-DISEASE_CLAIM"' in claims and "Black seed oil cures asthma." in claims


def test_the_checks_page_needs_a_login(client):
    assert client.get(reverse("desk:checks")).status_code == 302
