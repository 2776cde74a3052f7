"""Settings for the test suite: the same as local ones, with tasks run at once and fast hashing."""

import os

os.environ["KELISIM_TESTING"] = "1"

from kelisim.settings import *  # noqa: F403
