"""The S3 path, against a real S3-compatible server (moto's standalone server, which
``.ci/run`` starts and names in TEST_S3_ENDPOINT_URL): uploads land in the bucket under a
UUID name, downloads stream through the gate, text is extracted from the bucket, and a backup
carries the files out and back, checked by hash. Skipped, with the reason, without a server."""

import hashlib
import os
import urllib.request
import uuid

import pytest
from django.core.files.base import ContentFile

from core.visibility import Visibility
from documents.models import ExtractionStatus
from documents.services import document_upload
from documents.tasks import extract_text
from ops.backups import BackupError, _copy_documents, _restore_documents
from tests.factories import SourceFactory

from .helpers import pdf_with_text

ENDPOINT = os.environ.get("TEST_S3_ENDPOINT_URL", "")


def reachable(url):
    if not url:
        return False
    try:
        urllib.request.urlopen(url, timeout=2)  # noqa: S310 - a local test server
    except OSError as error:
        return hasattr(error, "code")  # an HTTP error answer is still a server
    return True


pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not reachable(ENDPOINT),
        reason="needs an S3-compatible server: set TEST_S3_ENDPOINT_URL (bash .ci/run starts "
        "moto_server on 127.0.0.1:5005)",
    ),
]


@pytest.fixture
def bucket(settings):
    import boto3

    name = f"documents-{uuid.uuid4().hex[:12]}"
    credentials = {
        "endpoint_url": ENDPOINT,
        "aws_access_key_id": "testing",
        "aws_secret_access_key": "testing",
        "region_name": "us-east-1",
    }
    client = boto3.client("s3", **credentials)
    client.create_bucket(Bucket=name)
    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": name,
                "endpoint_url": ENDPOINT,
                "access_key": "testing",
                "secret_key": "testing",
                "region_name": "us-east-1",
                "querystring_auth": True,
                "default_acl": None,
                "file_overwrite": False,
            },
        },
    }
    client.bucket = name
    return client


def upload(content, name="verdict.pdf", **values):
    values.setdefault("source", SourceFactory())
    return document_upload(upload=ContentFile(content, name=name), **values)


def test_an_upload_is_stored_in_the_bucket_under_a_uuid_name(bucket):
    document = upload(pdf_with_text("Verdict"))

    stored = bucket.get_object(Bucket=bucket.bucket, Key=document.file.name)["Body"].read()
    assert hashlib.sha256(stored).hexdigest() == document.sha256
    assert "verdict" not in document.file.name


def test_an_object_in_the_bucket_has_no_public_acl(bucket):
    document = upload(pdf_with_text("Verdict"))

    grants = bucket.get_object_acl(Bucket=bucket.bucket, Key=document.file.name)["Grants"]
    assert not [g for g in grants if "AllUsers" in str(g.get("Grantee", {}).get("URI", ""))]


def test_a_public_document_downloads_from_the_bucket(bucket, anonymous_api):
    document = upload(b"The report.\n", name="r.txt", visibility=Visibility.PUBLIC)

    response = anonymous_api.get(f"/api/v1/documents/{document.pk}/download/")

    assert b"".join(response.streaming_content) == b"The report.\n"


def test_a_monitors_only_document_in_the_bucket_answers_404(bucket, anonymous_api):
    document = upload(b"Notes.\n", name="n.txt")

    assert anonymous_api.get(f"/documents/{document.pk}/download/").status_code == 404


def test_text_is_extracted_from_the_bucket(bucket):
    document = upload(pdf_with_text("Kang Saran was detained"))

    extract_text(document.pk)

    document.refresh_from_db()
    assert document.extraction_status == ExtractionStatus.DONE
    assert "Kang Saran" in document.text


def test_a_backup_carries_the_buckets_files_out_and_back(bucket, tmp_path):
    document = upload(b"Hearing notes.\n", name="n.txt")
    copied = _copy_documents(tmp_path)
    bucket.delete_object(Bucket=bucket.bucket, Key=document.file.name)

    _restore_documents(tmp_path, copied)

    stored = bucket.get_object(Bucket=bucket.bucket, Key=document.file.name)["Body"].read()
    assert stored == b"Hearing notes.\n"


def test_a_backup_refuses_a_file_altered_in_the_bucket(bucket, tmp_path):
    document = upload(b"Hearing notes.\n", name="n.txt")
    bucket.put_object(Bucket=bucket.bucket, Key=document.file.name, Body=b"Altered.\n")

    with pytest.raises(BackupError, match="corrupted"):
        _copy_documents(tmp_path)
