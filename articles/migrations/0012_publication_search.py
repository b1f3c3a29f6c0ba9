"""Search over publications (filled by the search work)."""
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("articles", "0011_correction_review")]

    operations = []
