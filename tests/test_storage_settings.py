"""Where uploads are stored: the file system by default, S3-compatible storage when a bucket is named."""
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KEY = "0123456789abcdef0123456789abcdef"
SHOW_STORAGE = f"""
import json, django
django.setup()
from django.conf import settings
from django.core.files.storage import default_storage
from articles.sanitize import clean_html
print(json.dumps({{
    "backend": settings.STORAGES["default"]["BACKEND"],
    "options": settings.STORAGES["default"].get("OPTIONS", {{}}),
    "url": default_storage.url("images/{KEY}-960w.jpg"),
    "kept": clean_html('<img src="' + default_storage.url("images/{KEY}-960w.jpg") + '" alt="a">'),
}}))
"""


def storage_settings(**env) -> dict:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("AWS_") and k != "DJANGO_ENV"}
    environment.update(env, DJANGO_SETTINGS_MODULE="cms.settings")
    result = subprocess.run([sys.executable, "-c", SHOW_STORAGE], cwd=ROOT, env=environment,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_uploads_go_to_the_file_system_by_default():
    shown = storage_settings()

    assert shown["backend"] == "django.core.files.storage.FileSystemStorage"
    assert shown["url"] == f"/media/images/{KEY}-960w.jpg"
    assert shown["kept"] == f'<img alt="a" data-image="{KEY}">'


def test_a_bucket_name_switches_uploads_to_s3_compatible_storage_with_unsigned_addresses():
    shown = storage_settings(AWS_STORAGE_BUCKET_NAME="health-media", AWS_S3_ENDPOINT_URL="https://s3.example.test",
                             AWS_S3_REGION_NAME="auto", AWS_ACCESS_KEY_ID="test-key", AWS_SECRET_ACCESS_KEY="test-secret")

    assert shown["backend"] == "storages.backends.s3.S3Storage"
    assert shown["options"]["bucket_name"] == "health-media"
    assert shown["options"]["endpoint_url"] == "https://s3.example.test"
    assert shown["options"]["querystring_auth"] is False
    assert shown["url"] == f"https://s3.example.test/health-media/images/{KEY}-960w.jpg"
    # The sanitizer recognises this site's images at the storage's own address.
    assert shown["kept"] == f'<img alt="a" data-image="{KEY}">'


def test_a_cdn_domain_serves_the_bucket():
    shown = storage_settings(AWS_STORAGE_BUCKET_NAME="health-media", AWS_S3_CUSTOM_DOMAIN="media.health.example",
                             AWS_ACCESS_KEY_ID="test-key", AWS_SECRET_ACCESS_KEY="test-secret")

    assert shown["url"] == f"https://media.health.example/images/{KEY}-960w.jpg"
    assert shown["kept"] == f'<img alt="a" data-image="{KEY}">'
