"""Publications frozen before they kept their reviewer's people-page slug take the reviewer's
current one. This used to be done by articles.0005, which read this app's ReviewerProfile without
depending on it; here the dependency is declared. Idempotent: a slug already set is kept, so a
database that ran the old articles.0005 is left as it is."""
from django.db import migrations


def fill_reviewer_slugs(apps, schema_editor):
    Publication = apps.get_model("articles", "Publication")
    ReviewerProfile = apps.get_model("reviews", "ReviewerProfile")
    slugs = dict(ReviewerProfile.objects.values_list("user_id", "slug"))
    for publication in Publication.objects.filter(reviewer_slug="").only("pk", "reviewer_id").iterator():
        if slugs.get(publication.reviewer_id):
            # The historical manager is a plain one, so this update is allowed here and nowhere else.
            Publication.objects.filter(pk=publication.pk).update(reviewer_slug=slugs[publication.reviewer_id])


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0005_publication_topics_reviewer_slug"),
        ("reviews", "0004_unpublished_notification"),
    ]

    operations = [
        migrations.RunPython(fill_reviewer_slugs, migrations.RunPython.noop),
    ]
