"""Kelisim's settings plus the bench's floor view (the product has no such view)."""

from kelisim.settings import *  # noqa: F403

ROOT_URLCONF = "bench.pages_http.urls"
