"""Backups that restore: `manage.py backup` then `manage.py restore` into a new, empty
database gives back the same records and the same history."""

import contextlib
import hashlib
import io
import json
import shutil
import sqlite3
import tarfile
import uuid

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection

from cases.models import Case

from .helpers import clean_environment, manage

EDITED_TITLE = "Edited after seeding — កែប្រែ"
EDIT_FIRST_CASE = (
    "from cases.models import Case; "
    "case = Case.objects.order_by('pk').first(); "
    f"case.title = {EDITED_TITLE!r}; case.save(); print(case.pk)"
)
HISTORY_OF_CASE = (
    "SELECT history_type, title FROM cases_historicalcase WHERE id = %s ORDER BY history_id"
)


def development_environment(database_url, media_root):
    return clean_environment(DEBUG="true", DATABASE_URL=database_url, MEDIA_ROOT=str(media_root))


def table_counts(db, tables):
    """Rows per table; ``db`` is a sqlite3 or psycopg connection."""
    return {table: db.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] for table in tables}


@contextlib.contextmanager
def sqlite(path):
    """A connection to the SQLite file at ``path`` that commits, then closes."""
    db = sqlite3.connect(path)
    try:
        with db:
            yield db
    finally:
        db.close()


def succeed(result):
    assert result.returncode == 0, result.stderr
    return result


# --- SQLite: every step in its own process, on database files, as an operator would ---------


class SqliteSite:
    """A tracker on a SQLite file in ``folder``, driven through manage.py."""

    def __init__(self, folder, name):
        self.database = folder / f"{name}.sqlite3"
        self.media = folder / f"{name}-media"
        self.environment = development_environment(f"sqlite:///{self.database}", self.media)

    def manage(self, *args):
        return manage(*args, environment=self.environment)

    def counts(self):
        with sqlite(self.database) as db:
            tables = [
                row[0]
                for row in db.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' "
                    "AND name NOT LIKE 'sqlite_%' ORDER BY name"
                )
            ]
            return table_counts(db, tables)

    def query(self, sql, *params):
        with sqlite(self.database) as db:
            return db.execute(sql.replace("%s", "?"), params).fetchall()


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    """A seeded tracker with one edited case and one uploaded file, and its backup."""
    folder = tmp_path_factory.mktemp("backup")
    site = SqliteSite(folder, "source")
    succeed(site.manage("migrate", "--no-input"))
    succeed(site.manage("seed_report"))
    site.edited_case = int(succeed(site.manage("shell", "-c", EDIT_FIRST_CASE)).stdout.split()[-1])
    (site.media / "exports").mkdir(parents=True)
    (site.media / "exports" / "cases.csv").write_text("id,title\n1,ក\n")
    site.archive = folder / "tracker.tar.gz"
    succeed(site.manage("backup", str(site.archive)))
    return site


@pytest.fixture(scope="module")
def restored(source, tmp_path_factory):
    site = SqliteSite(tmp_path_factory.mktemp("restore"), "target")
    site.result = site.manage("restore", str(source.archive))
    return site


def test_the_source_has_history_beyond_creation(source):
    history = source.query(HISTORY_OF_CASE, source.edited_case)

    assert history[0][0] == "+"
    assert history[-1] == ("~", EDITED_TITLE)


def test_a_restore_into_a_new_sqlite_database_succeeds(restored):
    assert restored.result.returncode == 0, restored.result.stderr
    assert "every table's count matches" in restored.result.stdout


def test_a_restore_gives_back_every_table_with_the_same_row_count(source, restored):
    assert restored.counts() == source.counts()
    assert restored.counts()["cases_case"] > 0


def test_a_restore_gives_back_the_edited_records_history(source, restored):
    history = restored.query(HISTORY_OF_CASE, source.edited_case)

    assert history == source.query(HISTORY_OF_CASE, source.edited_case)


def test_a_restore_gives_back_the_uploaded_files(restored):
    assert (restored.media / "exports" / "cases.csv").read_text() == "id,title\n1,ក\n"


REPORT_DOCUMENT = "SELECT file, sha256 FROM documents_document ORDER BY id"


def sha256_of(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_backup_carries_each_document_file_with_its_hash(source):
    with tarfile.open(source.archive) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())

    assert manifest["documents"] == dict(source.query(REPORT_DOCUMENT))
    assert manifest["documents"]  # the seed attached the report's text


def test_a_restore_gives_back_the_document_files_unaltered(source, restored):
    for name, recorded in source.query(REPORT_DOCUMENT):
        assert sha256_of(restored.media / "documents" / name) == recorded


def test_the_document_files_are_not_carried_twice(source):
    with tarfile.open(source.archive) as tar:
        names = tar.getnames()

    assert not [name for name in names if name.startswith("media/documents")]


def corrupted_copy(archive, folder):
    """``archive`` with one byte of its first document file changed."""
    with tarfile.open(archive) as tar:
        tar.extractall(folder / "unpacked", filter="data")
    unpacked = folder / "unpacked"
    manifest = json.loads((unpacked / "manifest.json").read_text())
    name = next(iter(manifest["documents"]))
    path = unpacked / "documents" / name
    path.write_bytes(b"X" + path.read_bytes()[1:])
    copy = folder / "corrupted.tar.gz"
    with tarfile.open(copy, "w:gz") as tar:
        for entry in unpacked.iterdir():
            tar.add(entry, arcname=entry.name)
    return copy, name


def test_a_corrupted_document_file_is_refused_by_name(source, tmp_path):
    archive, name = corrupted_copy(source.archive, tmp_path)
    site = SqliteSite(tmp_path, "target")

    result = site.manage("restore", str(archive))

    assert result.returncode != 0
    assert f"document file {name} is corrupted in the backup" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_corrupted_document_file_leaves_the_database_untouched(source, tmp_path):
    archive, _name = corrupted_copy(source.archive, tmp_path)
    site = SqliteSite(tmp_path, "target")

    site.manage("restore", str(archive))

    assert not site.database.exists() or "cases_case" not in site.counts()


def test_a_backup_refuses_a_document_file_altered_in_storage(source, tmp_path):
    site = SqliteSite(tmp_path, "altered")
    shutil.copy(source.database, site.database)
    shutil.copytree(source.media, site.media)
    name, _recorded = source.query(REPORT_DOCUMENT)[0]
    stored = site.media / "documents" / name
    stored.write_bytes(stored.read_bytes() + b"tampered")

    result = site.manage("backup", str(tmp_path / "altered.tar.gz"))

    assert result.returncode != 0
    assert f"document file {name} in storage is corrupted" in result.stderr


@pytest.fixture
def populated(restored, tmp_path):
    """A copy of the restored tracker: a database that holds records."""
    site = SqliteSite(tmp_path, "populated")
    shutil.copy(restored.database, site.database)
    return site


def test_a_restore_into_a_database_that_holds_records_is_refused(source, populated):
    before = populated.counts()

    result = populated.manage("restore", str(source.archive))

    assert result.returncode != 0
    assert "CommandError: the database already holds records; pass --force" in result.stderr
    assert "Traceback" not in result.stderr
    assert populated.counts() == before


def test_force_replaces_a_database_that_holds_records(source, populated):
    populated.query("DELETE FROM cases_citation")

    result = populated.manage("restore", "--force", str(source.archive))

    assert result.returncode == 0, result.stderr
    assert populated.counts() == source.counts()


def test_a_restore_moves_the_change_counter_past_the_replaced_databases(source, populated):
    # Cached answers were kept under the replaced database's counter values (core/caching.py);
    # the backup brings back lower ones, which must not make them current again.
    populated.query("UPDATE cases_changecounter SET value = 1000")

    result = populated.manage("restore", "--force", str(source.archive))

    assert result.returncode == 0, result.stderr
    # Every level's counter and the bulk one, each beyond any value the replaced one had.
    assert populated.query("SELECT id, value FROM cases_changecounter ORDER BY id") == [
        (1, 1001),
        (2, 1001),
        (3, 1001),
        (4, 1001),
    ]


def not_a_backup(path):
    path.write_text("id,title\n1,not an archive\n")
    return path


def archive_without_manifest(path):
    with tarfile.open(path, "w:gz") as tar:
        info = tarfile.TarInfo("database.sqlite3")
        info.size = 5
        tar.addfile(info, io.BytesIO(b"hello"))
    return path


@pytest.mark.parametrize("make", [not_a_backup, archive_without_manifest])
def test_a_file_that_is_not_a_backup_is_refused_with_a_clear_message(tmp_path, make):
    site = SqliteSite(tmp_path, "empty")
    archive = make(tmp_path / "upload.tar.gz")

    result = site.manage("restore", str(archive))

    assert result.returncode != 0
    assert "CommandError: not a tracker backup" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_missing_file_is_refused_with_a_clear_message(tmp_path):
    result = SqliteSite(tmp_path, "empty").manage("restore", str(tmp_path / "nothing.tar.gz"))

    assert result.returncode != 0
    assert "does not exist" in result.stderr
    assert "Traceback" not in result.stderr


# --- PostgreSQL: pg_dump, then pg_restore into a fresh database on the same server -------------


def server_params():
    db = connection.settings_dict
    params = {"host": db["HOST"] or None, "port": db["PORT"] or None, "user": db["USER"] or None}
    if db["PASSWORD"]:
        params["password"] = db["PASSWORD"]
    return {k: v for k, v in params.items() if v is not None}


@pytest.fixture
def fresh_database(request):
    """The name of a new, empty UTF-8 database beside the test database; dropped afterwards."""
    name = f"tracker_restore_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(dbname="postgres", autocommit=True, **server_params()) as admin:
        admin.execute(f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8'")

    def drop():
        with psycopg.connect(dbname="postgres", autocommit=True, **server_params()) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    request.addfinalizer(drop)
    return name


def postgres_url(name):
    params = server_params()
    credentials = params["user"] + (f":{params['password']}" if "password" in params else "")
    return f"postgres://{credentials}@{params.get('host', '')}:{params.get('port', 5432)}/{name}"


@pytest.fixture
def postgres_backup(transactional_db, settings, tmp_path):
    """The test database seeded, one case edited, and backed up; returns the case."""
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("seed_report", stdout=io.StringIO())
    case = Case.objects.order_by("pk").first()
    case.title = EDITED_TITLE
    case.save()
    archive = tmp_path / "tracker.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    case.archive = archive
    return case


@pytest.mark.postgres
def test_a_postgresql_backup_restores_into_a_fresh_database(
    postgres_backup, fresh_database, tmp_path
):
    case = postgres_backup
    tables = connection.introspection.table_names()
    with connection.cursor() as cursor:
        expected_counts = table_counts(cursor, tables)
        cursor.execute(HISTORY_OF_CASE, [case.pk])
        expected_history = cursor.fetchall()
        cursor.execute("SELECT * FROM cases_case ORDER BY id")
        expected_cases = cursor.fetchall()

    result = manage(
        "restore",
        str(case.archive),
        environment=development_environment(
            postgres_url(fresh_database), tmp_path / "restored-media"
        ),
    )

    assert result.returncode == 0, result.stderr
    with psycopg.connect(dbname=fresh_database, **server_params()) as restored:
        assert table_counts(restored, tables) == expected_counts
        assert restored.execute(HISTORY_OF_CASE, [case.pk]).fetchall() == expected_history
        assert restored.execute("SELECT * FROM cases_case ORDER BY id").fetchall() == (
            expected_cases
        )
    assert expected_history[0][0] == "+"
    assert expected_history[-1] == ("~", EDITED_TITLE)
