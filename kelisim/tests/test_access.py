"""Every URL pattern, requested by every actor, against the table in each app's access_rules."""

from urllib.parse import urlparse

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from kelisim.core.tests.access import ACTORS
from kelisim.tests.world import all_rules, build_world

# Third-party pages tested by their own projects; Kelisim's table covers its own names.
IGNORED_PREFIXES = ("admin:", "account_", "mfa_", "socialaccount_", "openid", "usersessions_", "headless:")
IGNORED_NAMES = {"set_language"}


def named_patterns(resolver=None, namespace="") -> set[str]:
    resolver = resolver or get_resolver()
    names = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= named_patterns(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def is_ignored(name: str) -> bool:
    return name in IGNORED_NAMES or name.startswith(IGNORED_PREFIXES)


RULES = all_rules()


def test_every_url_pattern_has_an_access_rule():
    covered = {rule.url_name for rule in RULES}
    missing = sorted(name for name in named_patterns() if not is_ignored(name) and name not in covered)
    assert not missing, f"URL patterns without a rule in any app's tests/access_rules.py: {missing}"


def test_no_rule_names_a_url_that_does_not_exist():
    names = named_patterns()
    stale = sorted({rule.url_name for rule in RULES} - names)
    assert not stale, f"Rules for URL names that no longer exist: {stale}"


def _outcome(response) -> str:
    if response.status_code in (401, 403, 404, 405, 410):  # 410: a link that is forged, spent or expired
        return "denied"
    if response.status_code in (301, 302, 303, 307, 308):
        target = urlparse(response["Location"]).path
        if "/accounts/login/" in target or "/accounts/2fa/" in target:
            return "denied"
        return "allowed"
    if response.status_code < 400:
        return "allowed"
    return f"error {response.status_code}"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "rule", RULES, ids=lambda rule: f"{rule.method} {rule.url_name}{rule.note and ' ' + rule.note}"
)
def test_access_rule(rule):
    world = build_world()
    mismatches = []
    for actor in ACTORS:
        cache.clear()
        with transaction.atomic():
            client = Client()
            user = world.users[actor]
            if user is not None:
                client.force_login(user)
            url = reverse(rule.url_name, kwargs=rule.kwargs(world) if rule.kwargs else None)
            if rule.query:
                url = f"{url}?{rule.query}"
            data = rule.data(world) if rule.data else {}
            if rule.method == "GET":
                response = client.get(url, data)
            else:
                response = client.generic(rule.method, url, data=None) if not data else client.post(url, data)
            outcome = _outcome(response)
            expected = "allowed" if actor in rule.allowed else "denied"
            if outcome != expected:
                mismatches.append(f"{actor}: expected {expected}, got {outcome} ({response.status_code})")
            transaction.set_rollback(True)
    assert not mismatches, f"{rule.method} {url}: " + "; ".join(mismatches)
