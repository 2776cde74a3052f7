"""Settings for the test suite: the same as local ones, with tasks run at once and fast hashing."""

import os

os.environ["KELISIM_TESTING"] = "1"

from kelisim.settings import *  # noqa: F403

# The API's throttling is tested with limits of its own (kelisim/api/tests/test_throttling.py); other tests and the
# schema fuzzing send hundreds of requests from one address.
API_THROTTLE_PER_ADDRESS = 1_000_000
API_THROTTLE_PER_TOKEN = 1_000_000

if os.environ.get("REDIS_URL"):
    # Each parallel test process gets its own Redis database, because every test empties the cache.
    from urllib.parse import urlsplit, urlunsplit

    _worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    _index = 1 + int(_worker.removeprefix("gw") or 0)
    CACHES["default"]["LOCATION"] = urlunsplit(urlsplit(os.environ["REDIS_URL"])._replace(path=f"/{_index}"))  # noqa: F405
