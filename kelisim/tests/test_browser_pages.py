"""Every page type, public and staff, in Kazakh, Russian and English, in real Chromium: axe-core finds no
serious or critical accessibility violation, and at 360 px nothing scrolls sideways.

The pages are found by following links from the home page (a visitor, then an administrator), one page of each
type; the world holds one of everything (kelisim/tests/public_world.py)."""

import pytest
from django.test import Client

from kelisim.accounts.models import Role
from kelisim.accounts.tests.factories import make_staff
from kelisim.core.tests.browser import sign_in_browser
from kelisim.tests import public_world
from kelisim.tests.page_audit import FAILING_IMPACTS, axe_violations, sideways_overflow
from kelisim.tests.page_language import crawl, page_type

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MIN_PUBLIC_TYPES = 25
MIN_STAFF_TYPES = 20


def _page_types(client, language: str, skip: set[str] = frozenset()) -> list[str]:
    return [path for path, _html in crawl(client, language, per_type=1) if page_type(path) not in skip]


def _audit(chromium_browser, live_server, paths, user=None) -> dict[str, list]:
    context = chromium_browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}, bypass_csp=True
    )
    if user is not None:
        sign_in_browser(context, live_server, user)
    page = context.new_page()
    page.set_default_timeout(15_000)
    problems: dict[str, list] = {}
    try:
        for path in paths:
            page.set_viewport_size({"width": 1280, "height": 900})
            page.goto(path)
            found = [
                f"{violation['impact']} {violation['id']}: {violation['nodes']}"
                for violation in axe_violations(page)
                if violation["impact"] in FAILING_IMPACTS
            ]
            overflow = sideways_overflow(page)
            if overflow:
                found.append(f"scrolls sideways at 360 px: {overflow}")
            if found:
                problems[path] = found
    finally:
        context.close()
    return problems


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_every_page_type_is_accessible_and_fits_a_phone(chromium_browser, live_server, language):
    public_world.build()
    visitor = Client()
    public = _page_types(visitor, language)
    assert len({page_type(path) for path in public}) >= MIN_PUBLIC_TYPES, public

    administrator = make_staff(Role.ADMINISTRATOR)
    staff_client = Client()
    staff_client.force_login(administrator, backend="kelisim.accounts.backends.PasswordBackend")
    staff = _page_types(staff_client, language, skip={page_type(path) for path in public})
    assert len(staff) >= MIN_STAFF_TYPES, staff

    problems = _audit(chromium_browser, live_server, public)
    problems.update(_audit(chromium_browser, live_server, staff, user=administrator))
    assert not problems, problems
