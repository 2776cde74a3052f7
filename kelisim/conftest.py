"""Fixtures shared by every app's tests."""

import pytest


@pytest.fixture(autouse=True)
def _isolated_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _reference_data(request):
    """Transactional tests (browser journeys) flush the database after each test, and with it the
    regions a data migration loaded; put them back so every test starts from the same world."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None or not marker.kwargs.get("transaction", bool(marker.args and marker.args[0])):
        return
    request.getfixturevalue("transactional_db")
    from kelisim.core.models import Region, load_regions

    if Region.objects.count() < 20:
        load_regions()


@pytest.fixture(autouse=True)
def _english_by_default():
    """Each test starts in English: a request's LocaleMiddleware leaves its language active in the thread,
    which would otherwise leak into the next test's messages."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate limits live in the cache; each test starts with none used."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


# --- Browser journeys --------------------------------------------------------------------------
# Playwright drives Debian's Chromium (/usr/bin/chromium); no browser is ever downloaded.
# Screenshots go to KELISIM_SCREENSHOT_DIR (CI keeps them as artefacts).

CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def chromium_browser():
    import os
    import shutil

    executable = os.environ.get("KELISIM_CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
    if not os.path.exists(executable):
        pytest.fail("Browser tests need Debian's Chromium: apt-get install chromium")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's loop runs beside the ORM
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium_browser, live_server):
    context = chromium_browser.new_context(
        base_url=live_server.url, locale="en-GB", viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def screenshot(page, request):
    """``screenshot("step-name")`` saves a full-page PNG named after the test and the step."""
    import os
    from pathlib import Path

    directory = Path(
        os.environ.get("KELISIM_SCREENSHOT_DIR", Path(__file__).resolve().parent.parent / "artifacts" / "screenshots")
    )
    directory.mkdir(parents=True, exist_ok=True)
    counter = {"n": 0}

    def take(step: str) -> Path:
        counter["n"] += 1
        path = directory / f"{request.node.name}-{counter['n']:02d}-{step}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


# --- Official schemas of the open-data standards ------------------------------------------------
# Exports are validated against the files in settings.KELISIM_SCHEMAS_DIR (../shared/schemas); a test
# that needs them where they are absent is skipped with the reason, never passed.


@pytest.hookimpl(wrapper=True)
def pytest_pyfunc_call(pyfuncitem):
    from kelisim.core.standards import SchemasMissing

    try:
        return (yield)
    except SchemasMissing as error:
        pytest.skip(f"the official schema files are absent: {error}")
