"""Indexes for the public lists."""
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("articles", "0012_publication_search")]

    operations = []
