# Reader feedback (issue 15, item 7): "Report a problem with this page" and the editors' queue.
# Article, Publication and the user model come in through 0007's dependencies.
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [("reviews", "0007_profile_slug_history")]

    operations = [
        migrations.CreateModel(
            name='ReaderFeedback',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('message', models.TextField(max_length=2000)),
                ('email', models.EmailField(blank=True, help_text='Left by the reader for a reply; shown to editors only.', max_length=254)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('state', models.CharField(choices=[('new', 'New'), ('dismissed', 'Dismissed'), ('noted', 'Noted'), ('re_review', 'Sent to re-review')], default='new', max_length=20)),
                ('editor_note', models.TextField(blank=True, max_length=2000)),
                ('handled_at', models.DateTimeField(blank=True, null=True)),
                ('article', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='reader_feedback', to='articles.article')),
                ('handled_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('publication', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='articles.publication')),
            ],
            options={
                'verbose_name_plural': 'reader feedback',
                'ordering': ['-created_at', '-id'],
                'indexes': [models.Index(fields=['article', 'state', '-created_at', '-id'], name='feedback_article_state'), models.Index(condition=models.Q(('state', 'new')), fields=['-created_at', '-id'], name='feedback_new_newest')],
                'constraints': [models.CheckConstraint(condition=models.Q(('state__in', ['new', 'dismissed', 'noted', 're_review'])), name='feedback_state_valid'), models.CheckConstraint(condition=models.Q(('message', ''), _negated=True), name='feedback_has_message'), models.CheckConstraint(condition=models.Q(models.Q(('handled_at__isnull', True), ('handled_by__isnull', True), ('state', 'new')), models.Q(models.Q(('state', 'new'), _negated=True), ('handled_at__isnull', False), ('handled_by__isnull', False)), _connector='OR'), name='feedback_handled_has_who_and_when'), models.CheckConstraint(condition=models.Q(models.Q(('state', 'noted'), _negated=True), models.Q(('editor_note', ''), _negated=True), _connector='OR'), name='feedback_noted_has_note')],
            },
        ),
    ]
