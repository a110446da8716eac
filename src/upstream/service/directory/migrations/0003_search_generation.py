# The in-memory search index (ADR 0018) replaces the word index table; a one-row table holds
# the directory's generation token, which every change to what search reads replaces.

import uuid

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('directory', '0002_search_words'),
    ]

    operations = [
        migrations.DeleteModel(
            name='ServiceWord',
        ),
        migrations.CreateModel(
            name='DirectoryGeneration',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('token', models.UUIDField(default=uuid.uuid4)),
            ],
        ),
    ]
