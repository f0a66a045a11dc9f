"""The trigram extension the search ranks misspelt names with (search/engine.py). PostgreSQL
only: on SQLite the operation does nothing. Creating it needs a role allowed to CREATE
EXTENSION in the database (pg_trgm is a trusted extension: the database's owner may), or an
administrator who created it beforehand (README.md, "Search")."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = []

    operations = [TrigramExtension()]
