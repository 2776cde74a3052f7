"""Public pages rendered once per change (core/pagecache.py): who gets a kept page, when it changes, what it holds."""

import gzip
import pickle
import re
import zlib

import pytest
from django.contrib.auth.models import update_last_login
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse

from kelisim.accounts.tests.factories import UserFactory
from kelisim.core import pagecache
from kelisim.publications.models import Article
from kelisim.publications.tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

NEWS = "/en/news/"
TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def test_the_second_anonymous_visitor_gets_the_kept_page_without_a_query(client, django_assert_num_queries):
    ArticleFactory(title="Prevention in schools")
    first = client.get(NEWS)
    assert first["X-Kelisim-Page"] == "miss"
    with django_assert_num_queries(0):
        second = Client().get(NEWS)
    assert second["X-Kelisim-Page"] == "hit"
    assert second.content == first.content
    assert b"Prevention in schools" in second.content


def test_a_committed_change_shows_to_the_next_visitor_and_a_rolled_back_one_does_not(
    client, django_capture_on_commit_callbacks, settings
):
    settings.PAGECACHE_BUMP_AT_WRITE = False  # as in production: after commit
    article = ArticleFactory(title="Prevention in schools")
    client.get(NEWS)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        Article.objects.filter(pk=article.pk).update(title="Never saved")
        raise RuntimeError
    kept = Client().get(NEWS)
    assert kept["X-Kelisim-Page"] == "hit"
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        Article.objects.filter(pk=article.pk).update(title="Prevention in families")
        assert Client().get(NEWS)["X-Kelisim-Page"] == "hit"  # not before the commit
    assert callbacks
    fresh = Client().get(NEWS)
    assert fresh["X-Kelisim-Page"] == "miss"
    assert b"Prevention in families" in fresh.content
    assert b"Never saved" not in fresh.content


def test_writes_bump_the_tables_they_change_only(django_capture_on_commit_callbacks, settings):
    settings.PAGECACHE_BUMP_AT_WRITE = False
    watched = ["publications_article", "consultations_suggestion", "publications", "core_region"]
    before = pagecache.versions(watched)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        ArticleFactory()
        ArticleFactory()
    after = pagecache.versions(watched)
    assert after["publications_article"] > before["publications_article"]
    # Not the app's label (explicit bumps only) nor any other table.
    assert {name: after[name] for name in watched[1:]} == {name: before[name] for name in watched[1:]}


def test_sign_in_times_and_core_bookkeeping_do_not_bump_pages():
    user = UserFactory()
    before = pagecache.versions(["accounts_user", "core_workerheartbeat"])
    update_last_login(None, user)
    from kelisim.core.models import WorkerHeartbeat

    WorkerHeartbeat.objects.all().delete()
    assert pagecache.versions(["accounts_user", "core_workerheartbeat"]) == before
    user.display_name = "Aigerim"
    user.save()
    assert pagecache.versions(["accounts_user"])["accounts_user"] > before["accounts_user"]


def test_a_kept_page_depends_on_the_tables_its_rendering_read_and_its_named_scopes(client):
    ArticleFactory(title="Prevention in schools")
    client.get(NEWS)
    kept = pagecache._pages_cache().get(_address(NEWS))
    assert "publications_article" in kept["depends_on"]
    assert "publications" in kept["depends_on"]  # the label of a table it read: explicit bumps reach it
    assert not any(name.startswith("consultations") for name in kept["depends_on"])


def test_a_change_to_what_another_page_shows_leaves_this_page_kept():
    from kelisim.consultations.tests.factories import open_version, suggestion

    version = open_version()
    ArticleFactory(title="Prevention in schools")
    suggestions = reverse("consultations:list")
    for url in (NEWS, suggestions):
        Client().get(url)
    suggestion(version, text="Open a youth centre in every district town.")
    assert Client().get(NEWS)["X-Kelisim-Page"] == "hit"
    fresh = Client().get(suggestions)
    assert fresh["X-Kelisim-Page"] == "miss" and b"Open a youth centre" in fresh.content
    ArticleFactory(title="Roundtable in Shymkent")
    assert Client().get(suggestions)["X-Kelisim-Page"] == "hit"
    assert b"Roundtable in Shymkent" in Client().get(NEWS).content


def test_a_write_to_a_table_no_public_page_reads_renews_nothing():
    from kelisim.api.models import IdempotentRequest
    from kelisim.core.services import queue_email

    ArticleFactory(title="Prevention in schools")
    pages = (NEWS, "/en/", reverse("consultations:list"), reverse("organisations:list"))
    for url in pages:
        assert Client().get(url)["X-Kelisim-Page"] == "miss", url
    queue_email(to="someone@example.kz", subject="Hello", body_text="Hello")
    IdempotentRequest.objects.all().delete()
    update_last_login(None, UserFactory())
    for url in pages:
        assert Client().get(url)["X-Kelisim-Page"] == "hit", url


def test_an_explicit_bump_of_an_app_renews_the_pages_that_read_its_tables():
    ArticleFactory(title="Prevention in schools")
    Client().get(NEWS)
    pagecache.bump("consultations")
    assert Client().get(NEWS)["X-Kelisim-Page"] == "hit"
    pagecache.bump("publications")
    assert Client().get(NEWS)["X-Kelisim-Page"] == "miss"


def test_while_one_visitor_renders_a_changed_page_others_get_the_previous_rendering_briefly():
    article = ArticleFactory(title="Prevention in schools")
    Client().get(NEWS)
    Article.objects.filter(pk=article.pk).update(title="Prevention in families")
    pages = pagecache._pages_cache()
    claim = _address(NEWS) + ":rendering"
    assert pages.add(claim, 1, 2)  # another worker has started the new rendering
    during = Client().get(NEWS)
    assert during["X-Kelisim-Page"] == "stale"
    assert b"Prevention in schools" in during.content
    assert during["Cache-Control"] == "public, max-age=0"
    pages.delete(claim)  # that rendering is kept (or two seconds passed)
    after = Client().get(NEWS)
    assert after["X-Kelisim-Page"] == "miss" and b"Prevention in families" in after.content
    assert pages.get(claim) is None  # the claim of a finished rendering is given back


def _cold_page_being_rendered_elsewhere():
    """The news page as after its kept rendering expired, while another worker renders it again."""
    ArticleFactory(title="Prevention in schools")
    Client().get(NEWS)
    pages = pagecache._pages_cache()
    kept = pages.get(_address(NEWS))
    pages.delete(_address(NEWS))
    claim = _address(NEWS) + ":rendering"
    assert pages.add(claim, 1, 2)
    return pages, kept, claim


def test_visitors_of_a_page_nobody_kept_yet_wait_for_the_rendering_in_progress(monkeypatch, django_assert_num_queries):
    pages, kept, claim = _cold_page_being_rendered_elsewhere()

    def other_worker_keeps_it(seconds):
        pages.set(_address(NEWS), kept)
        pages.delete(claim)

    monkeypatch.setattr(pagecache.time, "sleep", other_worker_keeps_it)
    with django_assert_num_queries(0):  # not rendered a second time
        answer = Client().get(NEWS)
    assert answer["X-Kelisim-Page"] == "waited"
    assert b"Prevention in schools" in answer.content


def test_a_visitor_renders_the_page_when_the_other_rendering_kept_nothing_or_takes_too_long(monkeypatch, settings):
    pages, _kept, claim = _cold_page_being_rendered_elsewhere()
    monkeypatch.setattr(pagecache.time, "sleep", lambda seconds: pages.delete(claim))  # it failed
    assert Client().get(NEWS)["X-Kelisim-Page"] == "miss"
    pages.delete(_address(NEWS))
    assert pages.add(claim, 1, 2)
    settings.PAGECACHE_RENDER_SECONDS = 0.05
    monkeypatch.setattr(pagecache.time, "sleep", lambda seconds: None)  # still rendering after the wait
    answer = Client().get(NEWS)
    assert answer["X-Kelisim-Page"] == "miss" and b"Prevention in schools" in answer.content


def _address(url: str) -> str:
    from django.test import RequestFactory
    from django.utils import translation

    with translation.override("en"):
        return pagecache._base_key(RequestFactory().get(url), ())


def test_explicit_bump_changes_the_version():
    before = pagecache.versions(["comments"])["comments"]
    pagecache.bump("comments")
    assert pagecache.versions(["comments"])["comments"] > before


def test_versions_in_files_are_shared_through_the_file_system(settings, tmp_path):
    settings.PAGECACHE_VERSIONS = "files"
    settings.PAGECACHE_VERSIONS_DIR = tmp_path
    assert pagecache.versions(["plans"]) == {"plans": 0}
    pagecache.bump("plans")
    first = pagecache.versions(["plans"])["plans"]
    pagecache.bump("plans")
    assert pagecache.versions(["plans"])["plans"] > first > 0
    assert (tmp_path / "plans").exists()


def test_kept_pages_in_files_are_rendered_once_for_every_process_of_the_machine(settings, tmp_path):
    """Without Redis the pages live in files (``PAGECACHE_STORE=files``): what one gunicorn process rendered, the
    others answer from, and a change still reaches the next visitor of any of them."""
    from django.core.cache import caches

    settings.CACHES = {
        **settings.CACHES,
        "pages": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(tmp_path)},
    }
    article = ArticleFactory(title="Prevention in schools")
    assert Client().get(NEWS)["X-Kelisim-Page"] == "miss"
    del caches["pages"]  # another process: a cache object of its own, nothing in its memory
    assert Client().get(NEWS)["X-Kelisim-Page"] == "hit"
    for kept in tmp_path.glob("*.djcache"):
        kept.unlink()
    assert Client().get(NEWS)["X-Kelisim-Page"] == "miss"  # the rendering was in the files, nowhere else
    article.title = "Prevention in colleges"
    article.save()
    changed = Client().get(NEWS)
    assert changed["X-Kelisim-Page"] == "miss"
    assert b"Prevention in colleges" in changed.content


@pytest.mark.parametrize(
    ("environment", "backend"),
    [
        ({}, "django.core.cache.backends.filebased.FileBasedCache"),
        ({"PAGECACHE_STORE": "memory"}, "django.core.cache.backends.locmem.LocMemCache"),
        ({"REDIS_URL": "redis://127.0.0.1:6379/15"}, "django.core.cache.backends.redis.RedisCache"),
    ],
)
def test_a_server_keeps_pages_in_files_unless_redis_is_configured(environment, backend, tmp_path):
    import os
    import subprocess
    import sys

    clean = {key: value for key, value in os.environ.items() if key not in ("KELISIM_TESTING", "REDIS_URL")}
    code = "from django.conf import settings; print(settings.CACHES['pages']['BACKEND'])"
    found = subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env={**clean, **environment, "DJANGO_SETTINGS_MODULE": "kelisim.settings", "KELISIM_VAR_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        check=True,
    )
    assert found.stdout.strip() == backend


def test_a_page_without_a_form_is_public_for_a_short_while_and_sets_no_cookie(client):
    response = client.get(NEWS)
    assert response["Cache-Control"] == "public, max-age=10"
    assert not response.cookies
    assert "Cookie" in response["Vary"]
    assert b"X-CSRFToken" not in response.content


def test_conditional_requests_get_304_until_the_page_changes(client):
    article = ArticleFactory(title="Prevention in schools")
    first = client.get(NEWS)
    etag, last_modified = first["ETag"], first["Last-Modified"]
    assert client.get(NEWS, headers={"if-none-match": etag}).status_code == 304
    assert client.get(NEWS, headers={"if-modified-since": last_modified}).status_code == 304
    article.title = "Prevention in families"
    article.save()
    changed = client.get(NEWS, headers={"if-none-match": etag})
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert b"Prevention in families" in changed.content


def test_a_browser_that_accepts_gzip_gets_the_kept_page_compressed_once(client, monkeypatch):
    ArticleFactory(title="Prevention in schools")
    compressions = []
    real_compress = pagecache.gzip.compress
    monkeypatch.setattr(pagecache.gzip, "compress", lambda *a, **k: compressions.append(1) or real_compress(*a, **k))
    plain = client.get(NEWS)
    first = Client().get(NEWS, headers={"accept-encoding": "gzip, deflate, br"})
    second = Client().get(NEWS, headers={"accept-encoding": "br;q=1.0, gzip;q=0.8, *;q=0.1"})
    assert "Content-Encoding" not in plain
    for compressed in (first, second):
        assert compressed["Content-Encoding"] == "gzip"
        assert gzip.decompress(compressed.content) == plain.content
        assert len(compressed.content) < len(plain.content) / 2
        assert "Accept-Encoding" in compressed["Vary"] and "Cookie" in compressed["Vary"]
        assert compressed["Cache-Control"] == "public, max-age=10"
    assert "Accept-Encoding" in plain["Vary"]  # a proxy keeps the two apart
    assert len(compressions) == 1  # when the page was kept, not per answer
    again = Client().get(NEWS, headers={"accept-encoding": "identity"})
    assert again["X-Kelisim-Page"] == "hit"
    assert again.content == plain.content  # the plain page back from the compressed one kept


@pytest.mark.parametrize(
    ("header", "accepted"),
    [
        ("gzip", True),
        ("deflate, gzip;q=0.5", True),
        ("*", True),
        ("", False),
        ("identity", False),
        ("gzip;q=0", False),
        ("*;q=1, gzip;q=0", False),
        ("br, deflate", False),
        ("gzip;q=nonsense", False),
    ],
)
def test_gzip_is_used_only_when_the_request_admits_it(rf, header, accepted):
    assert pagecache.accepts_gzip(rf.get("/", headers={"accept-encoding": header})) is accepted


def test_a_kept_page_with_a_form_is_answered_compressed_with_that_visitors_own_token(monkeypatch):
    """Safe from BREACH: the token in each compressed answer is another (masked anew, never repeated) and travels
    uncompressed, beside the page's text compressed once when it was kept."""
    article = ArticleFactory()
    url = article.get_absolute_url()
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    one = first.get(url, headers={"accept-encoding": "gzip"})
    compressions = []
    real_compressobj = pagecache.zlib.compressobj
    monkeypatch.setattr(pagecache.zlib, "compressobj", lambda *a: compressions.append(1) or real_compressobj(*a))
    monkeypatch.setattr(pagecache.gzip, "compress", lambda *a, **k: compressions.append(1))
    two = second.get(url, headers={"accept-encoding": "gzip"})
    assert compressions == []  # the second answer only joined what was compressed when the page was kept
    assert (one["X-Kelisim-Page"], two["X-Kelisim-Page"]) == ("miss", "hit")
    pages = [gzip.decompress(response.content) for response in (one, two)]
    for response, page in zip((one, two), pages, strict=True):
        assert response["Content-Encoding"] == "gzip" and "Accept-Encoding" in response["Vary"]
        assert response["Cache-Control"] == "private, no-cache"
        assert pagecache.CSRF_MARKER.encode() not in page
    token_one, token_two = (TOKEN.search(page).group(1) for page in pages)
    assert token_one != token_two
    assert token_two in two.content  # in a stored block: never compressed together with the page's text
    react = reverse("publications:react", args=[article.slug])
    assert second.post(react, {"value": "yes", "csrfmiddlewaretoken": token_two.decode()}).status_code == 302


@pytest.mark.parametrize(
    "page",
    [
        b"<p>" + b"Prevention in schools and colleges. " * 60 + b"<input value=MARK>" + b"</p>" * 30,
        b"MARK" + b"<li>Youth centres in every district</li>" * 80 + b"ONCE" + b"ONCE" + b"<li>end</li>" * 50,
        b"<form>" + b"<i>Regions</i>" * 100 + b"MARK</form><form>MARK" + b"ONCE",
    ],
)
def test_a_page_compressed_in_pieces_decompresses_to_the_page_with_each_answers_tokens(page):
    """Markers at either end, side by side and repeated: each answer's gzip is whole (its checksum and length
    are checked by the decompression) and holds the tokens in order."""
    body = page.replace(b"MARK", pagecache.CSRF_MARKER.encode()).replace(b"ONCE", pagecache.SUBMISSION_MARKER.encode())
    pieces = pagecache.compressed_pieces(body)
    assert pieces is not None
    counter = iter(range(100))
    tokens = {
        pagecache.CSRF_MARKER.encode(): lambda: b"csrf-of-this-visitor",
        pagecache.SUBMISSION_MARKER.encode(): lambda: b"submission-%d" % next(counter),
    }
    answer = pagecache._gzip_with_tokens(pieces, tokens)
    expected = page.replace(b"MARK", b"csrf-of-this-visitor")
    for number in range(page.count(b"ONCE")):
        expected = expected.replace(b"ONCE", b"submission-%d" % number, 1)
    assert gzip.decompress(answer) == expected
    assert len(answer) < len(expected) / 2
    assert pagecache.page_body({"body": None, "gzip": None, "gzip_pieces": pieces}) == body


@pytest.mark.parametrize("lengths", [(0, 0), (1, 0), (0, 1), (1, 1), (64, 32), (95_000, 64), (7, 300_001)])
def test_the_checksum_of_two_strings_joined_is_computed_from_each_ones(lengths):
    first, second = (bytes((index * 131 + length) % 256 for index in range(length)) for length in lengths)
    combined = pagecache.crc32_combine(zlib.crc32(first), zlib.crc32(second), pagecache._crc_shift(len(second)))
    assert combined == zlib.crc32(first + second)


def test_a_large_page_is_kept_compressed_only_with_or_without_a_form(monkeypatch):
    """Every hit reads the kept entry: without the plain page in it, it reads and unpickles the compressed bytes
    only; the plain page is rebuilt for the few visitors who need it."""
    article = ArticleFactory(body="Prevention in schools and colleges. " * 200)
    cache = pagecache._pages_cache()
    kept, real_set = {}, cache.set

    def keep(key, value, *args, **kwargs):
        kept[key] = value
        return real_set(key, value, *args, **kwargs)

    monkeypatch.setattr(cache, "set", keep)
    for url in (NEWS, article.get_absolute_url()):  # without a form; with the comment form's tokens
        kept.clear()
        page = Client().get(url, headers={"accept-encoding": "identity"}).content
        [entry] = [value for value in kept.values() if isinstance(value, dict) and "gzip_pieces" in value]
        assert entry["body"] is None
        assert len(pickle.dumps(entry)) < len(page) / 2
        assert Client().get(url, headers={"accept-encoding": "identity"})["X-Kelisim-Page"] == "hit"


def test_a_small_page_or_one_without_tokens_is_not_kept_in_pieces():
    assert pagecache.compressed_pieces(b"<p>" + pagecache.CSRF_MARKER.encode() + b"</p>") is None
    assert pagecache.compressed_pieces(b"<p>Prevention</p>" * 200) is None


def test_signed_in_visitors_get_their_kept_page_uncompressed(open_consultation):
    """Their answer holds their name and links: never compressed beside text someone else may have chosen."""
    Client().get(SUGGESTIONS)  # kept
    response = _member("Aigerim Reader").get(SUGGESTIONS, headers={"accept-encoding": "gzip"})
    assert response["X-Kelisim-Page"] == "hit"
    assert "Content-Encoding" not in response
    assert b"Aigerim Reader" in response.content


def test_each_anonymous_visitor_gets_their_own_csrf_token_in_a_kept_page_with_a_form():
    article = ArticleFactory()
    url = article.get_absolute_url()
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    one, two = first.get(url), second.get(url)
    assert (one["X-Kelisim-Page"], two["X-Kelisim-Page"]) == ("miss", "hit")
    assert pagecache.CSRF_MARKER.encode() not in two.content
    token_one, token_two = TOKEN.search(one.content).group(1), TOKEN.search(two.content).group(1)
    assert first.cookies["csrftoken"].value != second.cookies["csrftoken"].value
    for response in (one, two):
        assert response["Cache-Control"] == "private, no-cache"
    # Each token works with its own visitor's cookie, not with the other's.
    react = reverse("publications:react", args=[article.slug])
    assert second.post(react, {"value": "yes", "csrfmiddlewaretoken": token_one.decode()}).status_code == 403
    assert second.post(react, {"value": "yes", "csrfmiddlewaretoken": token_two.decode()}).status_code == 302


SUBMISSION = re.compile(rb'name="submission_token" value="([^"]+)"')


def test_each_visitor_of_a_kept_page_gets_their_own_one_time_submission_token():
    """A kept page's form must not carry one visitor's one-time token to the next: the second visitor's comment
    would be taken for a repeat of the first one's and dropped (a held comment leaves the page unchanged)."""
    from kelisim.comments.models import Comment

    article = ArticleFactory()
    url = article.get_absolute_url()
    first, second = Client(), Client()
    one, two, again = first.get(url), second.get(url), second.get(url)
    assert (one["X-Kelisim-Page"], two["X-Kelisim-Page"], again["X-Kelisim-Page"]) == ("miss", "hit", "hit")
    tokens = [SUBMISSION.search(response.content).group(1) for response in (one, two, again)]
    assert len(set(tokens)) == 3
    assert pagecache.SUBMISSION_MARKER.encode() not in two.content
    assert "ETag" not in two and "Last-Modified" not in two  # a browser must never re-show a used token
    post = reverse("comments:post", args=["publications.article", article.pk])
    for client, token, name in ((first, tokens[0], "Aigul"), (second, tokens[1], "Erlan")):
        data = {
            "name": name,
            "email": f"{name.lower()}@example.kz",
            "text": f"Thoughts of {name}.",
            "accept_policy": "on",
        }
        assert client.post(post, data | {"submission_token": token.decode()}).status_code == 302
    assert sorted(Comment.objects.values_list("text", flat=True)) == ["Thoughts of Aigul.", "Thoughts of Erlan."]


def test_no_kept_page_shows_a_signed_in_visitors_links_or_token():
    article = ArticleFactory()
    user = UserFactory(display_name="Zhanar", email="zhanar@example.kz")
    member = Client()
    member.force_login(user)
    for url in (NEWS, article.get_absolute_url(), "/en/"):
        signed_in = member.get(url)
        assert "X-Kelisim-Page" not in signed_in
        assert "public" not in signed_in.get("Cache-Control", "")
        token = TOKEN.search(signed_in.content)
        anonymous = Client().get(url)
        assert b"Zhanar" not in anonymous.content and b"Sign out" not in anonymous.content
        if token:
            assert token.group(1) not in anonymous.content
        again = member.get(url)
        assert "X-Kelisim-Page" not in again and b"Sign out" in again.content


def test_a_visitor_with_a_personal_cookie_gets_a_page_rendered_for_them(client):
    client.get(NEWS)
    client.cookies["kelisim_supporter"] = "anything"
    response = client.get(NEWS)
    assert "X-Kelisim-Page" not in response


def test_languages_and_queries_are_kept_apart(client):
    ArticleFactory(title="Prevention in schools")
    assert client.get(NEWS)["X-Kelisim-Page"] == "miss"
    assert client.get("/ru/news/")["X-Kelisim-Page"] == "miss"
    assert client.get(NEWS + "?page=1")["X-Kelisim-Page"] == "miss"
    assert client.get(NEWS + "?page=1")["X-Kelisim-Page"] == "hit"


@override_settings(PAGECACHE_ENABLED=False)
def test_the_cache_can_be_switched_off(client):
    client.get(NEWS)
    assert "X-Kelisim-Page" not in client.get(NEWS)


def test_the_safety_net_never_lets_a_cookie_setting_answer_be_public(rf):
    from django.http import HttpResponse

    def view(request):
        response = HttpResponse("x")
        response["Cache-Control"] = "public, max-age=60"
        response.set_cookie("anything", "1")
        return response

    response = pagecache.PublicCacheSafetyMiddleware(view)(rf.get("/"))
    assert response["Cache-Control"] == "private, no-cache"


# --- Signed-in visitors on pages that are the same for everyone (``members=True``) --------------------------------

SUGGESTIONS = "/en/consultation/suggestions/"
HTMX_TOKEN = re.compile(rb'<body hx-headers=\'\{"X-CSRFToken": "([^"]+)"\}\'>')


@pytest.fixture
def open_consultation():
    from kelisim.consultations.tests import factories

    version = factories.open_version()
    factories.suggestion(version, text="Open youth clubs in every village of the region.")
    return version


def _member(name: str, role=None) -> Client:
    from kelisim.accounts.tests.factories import make_staff, sign_in

    user = make_staff(role, display_name=name) if role else UserFactory(display_name=name)
    member = Client()
    sign_in(member, user)
    return member


def test_a_signed_in_visitor_gets_a_page_the_same_for_everyone_from_the_kept_rendering_with_their_own_header(
    open_consultation,
):
    from kelisim.accounts.models import Role

    anonymous = Client().get(SUGGESTIONS)
    assert anonymous["X-Kelisim-Page"] == "miss"
    officer = _member("Aigerim", Role.OFFICER)
    answer = officer.get(SUGGESTIONS)
    assert answer.status_code == 200 and answer["X-Kelisim-Page"] == "hit"
    page = answer.content
    assert b"Open youth clubs in every village" in page
    assert b"Aigerim" in page and b"Sign out" in page and b">Sign in<" not in page
    assert b"My work" in page  # their own header links
    assert b"<!--visitor:" not in page and pagecache.CSRF_MARKER.encode() not in page
    # htmx requests carry the visitor's own token, and the sign-out form works with it.
    token = HTMX_TOKEN.search(page).group(1).decode()
    assert officer.post(reverse("account_logout"), {"csrfmiddlewaretoken": token}).status_code == 302
    assert answer["Cache-Control"] == "private, no-cache" and "ETag" not in answer
    assert "Cookie" in answer["Vary"]


def test_a_page_first_rendered_for_a_signed_in_visitor_is_kept_as_an_anonymous_visitor_sees_it(open_consultation):
    first = _member("Zhanar")
    mine = first.get(SUGGESTIONS)
    assert mine["X-Kelisim-Page"] == "miss" and b"Zhanar" in mine.content and b"Sign out" in mine.content
    anonymous = Client().get(SUGGESTIONS)
    assert anonymous["X-Kelisim-Page"] == "hit"
    assert b"Zhanar" not in anonymous.content and b"Sign out" not in anonymous.content
    assert b"hx-headers" not in anonymous.content and b">Sign in<" in anonymous.content
    other = _member("Dauren").get(SUGGESTIONS)
    assert other["X-Kelisim-Page"] == "hit"
    assert b"Dauren" in other.content and b"Zhanar" not in other.content


def test_a_signed_in_visitors_messages_show_on_the_kept_page_for_them_only(open_consultation):
    from django.contrib.messages import constants
    from django.contrib.messages.storage.base import Message
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.test import RequestFactory

    member = _member("Zhanar")
    Client().get(SUGGESTIONS)
    # A flash message waiting for the next page (as after a form that redirects here).
    waiting = [Message(constants.SUCCESS, "Your changes are saved.")]
    member.cookies["messages"] = CookieStorage(RequestFactory().get("/"))._encode(waiting)
    mine = member.get(SUGGESTIONS)
    assert mine["X-Kelisim-Page"] == "hit" and b"Your changes are saved." in mine.content
    assert b"Your changes are saved." not in Client().get(SUGGESTIONS).content
    assert b"Your changes are saved." not in member.get(SUGGESTIONS).content  # shown once


def test_a_change_shows_to_the_next_signed_in_visitor_of_a_kept_page(open_consultation):
    from kelisim.consultations.tests import factories

    member = _member("Zhanar")
    assert member.get(SUGGESTIONS)["X-Kelisim-Page"] == "miss"
    factories.suggestion(open_consultation, text="Train school psychologists in every district.")
    again = member.get(SUGGESTIONS)
    assert again["X-Kelisim-Page"] == "miss" and b"Train school psychologists" in again.content


def test_pages_that_differ_for_signed_in_visitors_are_still_rendered_for_them(open_consultation):
    member = _member("Zhanar")
    Client().get(NEWS)
    assert "X-Kelisim-Page" not in member.get(NEWS)  # the news list shows officers a link to the newsroom


def test_a_signed_in_supporter_sees_their_support_on_a_kept_suggestion_page_and_others_do_not(open_consultation):
    from kelisim.consultations.models import Suggestion

    suggestion = Suggestion.objects.get()
    url = suggestion.get_absolute_url()
    supporter, other = _member("Zhanar"), _member("Dauren")  # new accounts renew the page (its comments' authors)
    assert Client().get(url)["X-Kelisim-Page"] == "miss"
    before = supporter.get(url)
    assert before["X-Kelisim-Page"] == "hit" and b"I support this" in before.content
    token = TOKEN.search(before.content).group(1).decode()
    support = reverse("consultations:support", args=[suggestion.reference])
    assert supporter.post(support, {"csrfmiddlewaretoken": token}).status_code == 302
    mine = supporter.get(url)
    assert b"You support this suggestion" in mine.content and b"Zhanar" in mine.content
    assert b"I support this" not in mine.content
    for page in (other.get(url), Client().get(url)):
        assert page["X-Kelisim-Page"] == "hit"
        assert b"I support this" in page.content and b"You support this suggestion" not in page.content


def test_a_kept_page_names_only_registered_visitor_parts():
    with pytest.raises(ValueError):
        pagecache.visitor_part_context("accounts/profile.html", None, {})


def test_a_signed_in_visitor_gets_the_kept_contract_register_with_their_own_header():
    register = reverse("funding:contracts")
    assert Client().get(register)["X-Kelisim-Page"] == "miss"
    member = _member("Zhanar").get(register)
    assert member["X-Kelisim-Page"] == "hit" and b"Zhanar" in member.content and b"Sign out" in member.content


def test_a_kept_value_is_computed_once_per_change_of_the_tables_it_read(settings):
    from django.utils import translation

    calls = []

    def titles():
        calls.append(1)
        return sorted(Article.objects.values_list("title", flat=True))

    ArticleFactory(title="Prevention in schools")
    assert pagecache.kept_value("titles", "all", titles) == ["Prevention in schools"]
    assert pagecache.kept_value("titles", "all", titles) == ["Prevention in schools"] and len(calls) == 1
    UserFactory()  # a write to a table it did not read
    assert pagecache.kept_value("titles", "all", titles) and len(calls) == 1
    ArticleFactory(title="Roundtable in Shymkent")
    assert pagecache.kept_value("titles", "all", titles) == ["Prevention in schools", "Roundtable in Shymkent"]
    assert len(calls) == 2
    pagecache.kept_value("titles", "other key", titles)
    with translation.override("ru"):
        pagecache.kept_value("titles", "all", titles)
    assert len(calls) == 4  # another key, another language: computed for themselves
    settings.PAGECACHE_ENABLED = False
    pagecache.kept_value("titles", "all", titles)
    assert len(calls) == 5


def test_a_value_made_without_reading_a_table_is_made_again_each_time():
    # Rows of an empty list, counted outside the computation: nothing it read would ever say it changed.
    made = []
    pagecache.kept_value("rows", 1, lambda: made.append(1) or "")
    pagecache.kept_value("rows", 1, lambda: made.append(1) or "")
    assert len(made) == 2


def test_a_value_made_from_nothing_is_remade_without_reading_every_version_and_kept_once_it_reads(monkeypatch):
    # The rows of an empty queue, made again on every look: reading the version of every table first would cost
    # more than making them. Once the queue has rows, they are kept again and show each change.
    made, scopes_read = [], []
    reading = pagecache.versions

    def counting(scopes):
        scopes = tuple(scopes)
        scopes_read.append(len(scopes))
        return reading(scopes)

    monkeypatch.setattr(pagecache, "versions", counting)

    def titles(rows):
        made.append(1)
        return sorted(Article.objects.values_list("title", flat=True)) if rows else []

    pagecache.kept_value("queue rows", "page 1", lambda: titles(False))
    scopes_read.clear()
    pagecache.kept_value("queue rows", "page 1", lambda: titles(False))
    assert len(made) == 2 and not scopes_read
    ArticleFactory(title="Prevention in schools")
    for _ in range(3):
        assert pagecache.kept_value("queue rows", "page 1", lambda: titles(True)) == ["Prevention in schools"]
    assert len(made) == 4  # made once without the versions read first (not kept), then kept
    ArticleFactory(title="Roundtable in Shymkent")
    assert len(pagecache.kept_value("queue rows", "page 1", lambda: titles(True))) == 2
