"""A revision's sections and references as one value."""
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("articles", "0013_publication_list_indexes")]

    operations = []
