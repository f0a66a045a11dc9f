"""Backups that restore: the database and uploaded files in one archive, with a manifest of
record counts that the restore checks.

PostgreSQL is dumped with ``pg_dump`` (custom format) and restored with ``pg_restore``; SQLite
with its online backup API. Uploaded files (exports) are stored beside the dump.
"""

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

import django
from django.apps import apps
from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from cases.models import Case, Source
from core import caching

FORMAT = 1


class BackupError(Exception):
    pass


def record_counts():
    """Rows per model, history tables included: what a restore must give back."""
    return {
        model._meta.label: model._base_manager.count()
        for model in apps.get_models()
        if not model._meta.proxy and model._meta.managed
    }


def _pg_env(db):
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return env


def _pg_args(db):
    args = []
    if db.get("HOST"):
        args += ["-h", str(db["HOST"])]
    if db.get("PORT"):
        args += ["-p", str(db["PORT"])]
    if db.get("USER"):
        args += ["-U", str(db["USER"])]
    return args


def _run(command, env=None):
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise BackupError(
            f"{command[0]} is not installed (it comes with the PostgreSQL client)"
        ) from None
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[:2000]}")


def create_backup(archive_path, db=None):
    """Write ``archive_path`` (a .tar.gz); returns the manifest."""
    db = db or settings.DATABASES["default"]
    archive_path = Path(archive_path)
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        vendor = connection.vendor
        if vendor == "postgresql":
            dump = work / "database.dump"
            _run(
                [
                    "pg_dump",
                    "--format=custom",
                    "--no-owner",
                    "--no-acl",
                    *_pg_args(db),
                    "-f",
                    str(dump),
                    db["NAME"],
                ],
                env=_pg_env(db),
            )
        elif vendor == "sqlite":
            dump = work / "database.sqlite3"
            source = sqlite3.connect(db["NAME"])
            target = sqlite3.connect(dump)
            with target:
                source.backup(target)
            source.close()
            target.close()
        else:
            raise BackupError(f"backups of {vendor} databases are not supported")
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "engine": vendor,
            "django": django.get_version(),
            "database_file": dump.name,
            "counts": record_counts(),
        }
        (work / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True))
        archive_path.parent.mkdir(parents=True, exist_ok=True)
        with tarfile.open(archive_path, "w:gz") as tar:
            tar.add(work / "manifest.json", arcname="manifest.json")
            tar.add(dump, arcname=dump.name)
            media = Path(settings.MEDIA_ROOT)
            if media.exists():
                tar.add(media, arcname="media")
    return manifest


def read_manifest(tar):
    try:
        manifest = json.loads(tar.extractfile("manifest.json").read())
    except (KeyError, AttributeError, ValueError) as error:
        raise BackupError(f"not a tracker backup (no readable manifest.json): {error}") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r}")
    return manifest


def database_is_empty():
    """True when the target has no tracker tables or no rows in them."""
    tables = connection.introspection.table_names()
    if "cases_case" not in tables:
        return True

    return not Case.objects.exists() and not Source.objects.exists()


def restore_backup(archive_path, db=None, force=False):
    """Restore ``archive_path`` into the configured database and MEDIA_ROOT; returns the
    manifest. Refuses to overwrite a database that holds records unless ``force``."""
    db = db or settings.DATABASES["default"]
    archive_path = Path(archive_path)
    if not archive_path.exists():
        raise BackupError(f"{archive_path} does not exist")
    try:
        tar = tarfile.open(archive_path, "r:gz")  # noqa: SIM115 - closed by the with below
    except (tarfile.TarError, OSError) as error:  # not gzip, not tar, or unreadable
        raise BackupError(f"not a tracker backup (not a .tar.gz archive): {error}") from None
    with tar:
        manifest = read_manifest(tar)
        if manifest["engine"] != connection.vendor:
            raise BackupError(
                f"the backup is of a {manifest['engine']} database; this one is {connection.vendor}"
            )
        if not force and not database_is_empty():
            raise BackupError("the database already holds records; pass --force to replace them")
        counter_before = _change_counter()
        with tempfile.TemporaryDirectory() as work:
            tar.extractall(work, filter="data")
            work = Path(work)
            dump = work / manifest["database_file"]
            connection.close()
            if manifest["engine"] == "postgresql":
                _run(
                    [
                        "pg_restore",
                        "--clean",
                        "--if-exists",
                        "--no-owner",
                        "--no-acl",
                        "--single-transaction",
                        *_pg_args(db),
                        "-d",
                        db["NAME"],
                        str(dump),
                    ],
                    env=_pg_env(db),
                )
            else:
                shutil.copyfile(dump, db["NAME"])
            media = work / "media"
            if media.exists():
                shutil.copytree(media, settings.MEDIA_ROOT, dirs_exist_ok=True)
    counts = record_counts()
    missing = {k: (v, counts.get(k)) for k, v in manifest["counts"].items() if counts.get(k) != v}
    if missing:
        raise BackupError(f"restored counts differ from the backup's: {missing}")
    caching.bump_past(counter_before)
    return manifest


def _change_counter():
    """The change counter before a restore (0 on a database not migrated yet)."""
    try:
        with transaction.atomic():
            return caching.counter()
    except DatabaseError:
        return 0
