"""Backups that restore: the database and uploaded files in one archive, with a manifest of
record counts that the restore checks.

PostgreSQL is dumped with ``pg_dump`` (custom format) and restored with ``pg_restore``; SQLite
with its online backup API. Uploaded files (exports) are stored beside the dump. Documents'
files are read through their storage (the local disk or an S3 bucket) into ``documents/``,
each with its SHA-256 in the manifest; a restore checks every one against the manifest and
the restored records before writing it back, so a corrupted file is refused by name.
"""

import hashlib
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
from documents.models import Document
from documents.storage import documents_storage

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
        documents = _copy_documents(work / DOCUMENTS_FOLDER)
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "engine": vendor,
            "django": django.get_version(),
            "database_file": dump.name,
            "counts": record_counts(),
            "documents": documents,
        }
        (work / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True))
        archive_path.parent.mkdir(parents=True, exist_ok=True)
        with tarfile.open(archive_path, "w:gz") as tar:
            tar.add(work / "manifest.json", arcname="manifest.json")
            tar.add(dump, arcname=dump.name)
            if documents:
                tar.add(work / DOCUMENTS_FOLDER, arcname=DOCUMENTS_FOLDER)
            media = Path(settings.MEDIA_ROOT)
            if media.exists():
                tar.add(media, arcname="media", filter=_without_documents(media))
    return manifest


DOCUMENTS_FOLDER = "documents"


def _sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _copy_documents(folder):
    """Copy every document's file out of its storage into ``folder``; {name: sha256}. A file
    that no longer matches the hash recorded on upload is refused: a backup must not carry a
    corruption forward as if it were the document."""
    copied = {}
    for name, recorded in Document._base_manager.order_by("pk").values_list("file", "sha256"):
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            with documents_storage.open(name, "rb") as source, open(target, "wb") as copy:
                shutil.copyfileobj(source, copy)
        except OSError as error:
            raise BackupError(f"document file {name} cannot be read: {error}") from None
        actual = _sha256(target)
        if actual != recorded:
            raise BackupError(
                f"document file {name} in storage is corrupted: its SHA-256 is {actual}, "
                f"recorded on upload as {recorded}"
            )
        copied[name] = recorded
    return copied


def _without_documents(media):
    """A tar filter leaving out the documents' folder when it lies under MEDIA_ROOT: those
    files are in the archive's ``documents/``, checked by hash."""
    location = getattr(documents_storage, "location", None)
    try:
        inside = Path(location).resolve().relative_to(media.resolve()) if location else None
    except ValueError:
        inside = None
    if inside is None or str(inside) == ".":
        return None
    skipped = f"media/{inside.as_posix()}"

    def keep(member):
        if member.name == skipped or member.name.startswith(skipped + "/"):
            return None
        return member

    return keep


def _check_documents(folder, documents):
    """Every document file of the archive against the manifest's hash, before anything is
    restored."""
    for name, recorded in documents.items():
        path = folder / name
        if not path.is_file():
            raise BackupError(f"document file {name} is missing from the backup")
        actual = _sha256(path)
        if actual != recorded:
            raise BackupError(
                f"document file {name} is corrupted in the backup: its SHA-256 is {actual}, "
                f"the backup recorded {recorded}"
            )


def _restore_documents(folder, documents):
    """Write the checked files back into the documents' storage, each under its own name,
    after checking the restored records name the same hashes."""
    rows = dict(Document._base_manager.values_list("file", "sha256"))
    for name, recorded in documents.items():
        if rows.get(name) != recorded:
            raise BackupError(
                f"document file {name}: the restored records give SHA-256 {rows.get(name)}, "
                f"the file has {recorded}"
            )
        if documents_storage.exists(name):
            with documents_storage.open(name, "rb") as current:
                digest = hashlib.sha256(current.read()).hexdigest()
            if digest == recorded:
                continue
            documents_storage.delete(name)
        with open(folder / name, "rb") as handle:
            saved = documents_storage.save(name, handle)
        if saved != name:
            raise BackupError(f"document file {name} was stored as {saved}")


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
            documents = manifest.get("documents", {})
            _check_documents(work / DOCUMENTS_FOLDER, documents)
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
            _restore_documents(work / DOCUMENTS_FOLDER, documents)
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
