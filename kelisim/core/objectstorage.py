"""Where uploaded files live: the local disk (the default) or an S3-compatible bucket (issue 12).

Read by ``kelisim/settings.py`` before Django is set up, so this module imports nothing from Django.

A cluster's nodes must share their files, so a deployment with more than one node sets either

- ``STORAGE_URL=s3://ACCESS_KEY:SECRET_KEY@host[:port]/bucket`` (HTTPS; ``s3+http://`` for a plain-HTTP
  endpoint on loopback or a private network, ``?region=…`` and ``?prefix=…`` optional), or
- ``S3_BUCKET`` with ``S3_ENDPOINT_URL``, ``S3_ACCESS_KEY_ID``, ``S3_SECRET_ACCESS_KEY``, ``S3_REGION`` and
  ``S3_PREFIX`` (each overrides the matching part of ``STORAGE_URL``; without an endpoint, AWS is used).

Every object is written with the ``private`` ACL and never overwritten (a second file with the same name
gets a new name, as on disk). Nothing is ever linked straight to the bucket: the application streams a file
through its permission-checked views, and where a URL is asked of the storage it is a signed one that
expires after ``S3_SIGNED_URL_SECONDS`` (300).
"""

from collections.abc import Mapping
from urllib.parse import parse_qs, unquote, urlsplit

S3_BACKEND = "storages.backends.s3.S3Storage"
FILESYSTEM_BACKEND = "django.core.files.storage.FileSystemStorage"


class StorageSettingError(ValueError):
    pass


def s3_options(environ: Mapping[str, str]) -> dict | None:
    """The django-storages S3 options that ``environ`` asks for, or None for the local disk."""
    parts: dict[str, str] = {}
    url = environ.get("STORAGE_URL", "").strip()
    if url:
        parsed = urlsplit(url)
        if parsed.scheme not in {"s3", "s3+https", "s3+http"}:
            raise StorageSettingError("STORAGE_URL must start with s3:// (or s3+http:// for a plain-HTTP endpoint)")
        bucket, _, prefix = parsed.path.lstrip("/").partition("/")
        query = {key: values[-1] for key, values in parse_qs(parsed.query).items()}
        host = parsed.hostname or ""
        if ":" in host:  # an IPv6 address
            host = f"[{host}]"
        if parsed.port:
            host = f"{host}:{parsed.port}"
        protocol = "http" if parsed.scheme == "s3+http" else "https"
        parts = {
            "endpoint": f"{protocol}://{host}" if host else "",
            "bucket": bucket,
            "prefix": query.get("prefix", prefix),
            "access_key": unquote(parsed.username or ""),
            "secret_key": unquote(parsed.password or ""),
            "region": query.get("region", ""),
        }
    for key, name in (
        ("endpoint", "S3_ENDPOINT_URL"),
        ("bucket", "S3_BUCKET"),
        ("prefix", "S3_PREFIX"),
        ("access_key", "S3_ACCESS_KEY_ID"),
        ("secret_key", "S3_SECRET_ACCESS_KEY"),
        ("region", "S3_REGION"),
    ):
        if environ.get(name):
            parts[key] = environ[name].strip()
    if not parts:
        return None
    if not parts.get("bucket"):
        raise StorageSettingError("object storage needs a bucket: STORAGE_URL=s3://…/BUCKET or S3_BUCKET")
    options = {
        "bucket_name": parts["bucket"],
        "location": parts.get("prefix", "").strip("/"),
        # Private objects only; a second upload of a name gets a new name instead of replacing the first.
        "default_acl": "private",
        "file_overwrite": False,
        "querystring_auth": True,
        "querystring_expire": int(environ.get("S3_SIGNED_URL_SECONDS", "300")),
        "signature_version": "s3v4",
        "object_parameters": {"CacheControl": "private, max-age=0"},
    }
    if parts.get("endpoint"):
        options["endpoint_url"] = parts["endpoint"]
        # Self-hosted engines (SeaweedFS, MinIO, Garage, Ceph) address buckets by path, not by host name.
        options["addressing_style"] = environ.get("S3_ADDRESSING_STYLE", "path")
    if parts.get("access_key"):
        options["access_key"] = parts["access_key"]
        options["secret_key"] = parts.get("secret_key", "")
    if parts.get("region"):
        options["region_name"] = parts["region"]
    return options


def storages(environ: Mapping[str, str]) -> dict:
    """The ``default`` entry of Django's STORAGES for ``environ``."""
    options = s3_options(environ)
    if options is None:
        return {"BACKEND": FILESYSTEM_BACKEND}
    return {"BACKEND": S3_BACKEND, "OPTIONS": options}
