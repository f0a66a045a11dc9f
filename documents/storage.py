"""Where document files live: ``STORAGES["documents"]`` (settings.py), the local disk under
``var/`` or an S3-compatible bucket. Files are named by a random UUID, never by what the
uploader called them (that name is kept in the database only)."""

import uuid
from pathlib import PurePosixPath

from django.core.files.storage import storages
from django.utils.functional import LazyObject, empty


class DocumentStorage(LazyObject):
    def _setup(self):
        self._wrapped = storages["documents"]


documents_storage = DocumentStorage()


def get_storage():
    """The field's storage (a callable keeps the storage out of the migrations)."""
    return documents_storage


def reset(*, setting, **kwargs):
    if setting == "STORAGES":
        documents_storage._wrapped = empty


def upload_to(instance, filename):
    """``ab/abcdef….pdf``: a UUID, spread over folders, with the extension of the detected
    type (not the uploaded name's)."""
    name = uuid.uuid4().hex
    suffix = PurePosixPath(filename).suffix.lower()[:8]
    return f"{name[:2]}/{name}{suffix}"
