# Former people-page addresses of reviewer profiles (reviews.models.ProfileSlugHistory).

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('reviews', '0006_review_steps'),
    ]

    operations = [
        migrations.AlterField(
            model_name='reviewerprofile',
            name='slug',
            field=models.SlugField(blank=True, help_text="Their public page's address, /people/<slug>/. Empty: made from the name. A former address keeps working: it redirects to the new one.", max_length=100, unique=True),
        ),
        migrations.CreateModel(
            name='ProfileSlugHistory',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('slug', models.SlugField(max_length=100, unique=True)),
                ('replaced_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('profile', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='former_slugs', to='reviews.reviewerprofile')),
            ],
            options={
                'verbose_name_plural': 'profile slug history',
            },
        ),
    ]
