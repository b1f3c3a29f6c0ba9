"""The default article types from DESIGN.md, and the three role groups."""
from django.db import migrations

# Frozen copy: a migration must not change when articles.sections changes later.
DEFAULT_TYPES = {
    "substance": ("Substance, drug or supplement",
                  ["evidence_summary", "side_effects", "interactions", "who_should_avoid",
                   "dependence_withdrawal", "overdose_toxicity", "legal_status", "dosing_statement",
                   "when_to_seek_help"],
                  ["alternatives"], 3, 12),
    "condition": ("Condition", ["evidence_summary", "alternatives", "when_to_seek_help"], [], 1, 24),
    "treatment": ("Treatment or procedure",
                  ["evidence_summary", "side_effects", "interactions", "who_should_avoid", "legal_status",
                   "alternatives", "when_to_seek_help"],
                  ["dependence_withdrawal", "overdose_toxicity", "dosing_statement"], 1, 24),
    "wellness": ("Wellness", ["evidence_summary", "who_should_avoid", "when_to_seek_help"],
                 ["side_effects", "interactions", "alternatives"], 1, 24),
}
GROUPS = ("Writers", "Medical reviewers", "Editors")


def create_defaults(apps, schema_editor):
    ArticleType = apps.get_model("articles", "ArticleType")
    Group = apps.get_model("auth", "Group")
    for key, (name, required, optional, min_refs, months) in DEFAULT_TYPES.items():
        ArticleType.objects.get_or_create(key=key, defaults={
            "name": name, "required_sections": required, "optional_sections": optional,
            "min_references": min_refs, "review_interval_months": months,
        })
    for name in GROUPS:
        Group.objects.get_or_create(name=name)


def remove_defaults(apps, schema_editor):
    apps.get_model("articles", "ArticleType").objects.filter(
        key__in=DEFAULT_TYPES, articles__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]
    operations = [migrations.RunPython(create_defaults, remove_defaults)]
