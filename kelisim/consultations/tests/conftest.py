import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english():
    """Pages are requested under /en/ so that assertions can read English text."""
    with translation.override("en"):
        yield


@pytest.fixture
def version():
    from kelisim.consultations.tests import factories

    return factories.open_version()


@pytest.fixture
def officer():
    from kelisim.accounts.tests.factories import make_staff

    return make_staff()


@pytest.fixture(scope="session")
def dovecot_server(tmp_path_factory, worker_id):
    """A real Dovecot for this test run (see tests/dovecot.py). Skipped only outside CI when Dovecot is not
    installed; in CI (CI=true) its absence fails the tests."""
    import os

    from kelisim.consultations.tests import dovecot

    if dovecot.available() is None:
        message = "Dovecot is not installed (apt-get install dovecot-imapd): the IMAP intake tests need it"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    # xdist workers share the parent of their base temp directory; a plain run has its own.
    shared = tmp_path_factory.getbasetemp()
    if worker_id != "master":
        shared = shared.parent
    with dovecot.shared(shared / "dovecot") as (_pid, ca_file, port):
        user = "intake-main" if worker_id == "master" else f"intake-{worker_id}"
        yield {
            "host": "127.0.0.1",
            "port": port,
            "user": user,
            "password": dovecot.PASSWORD,
            "ca_file": ca_file,
        }


@pytest.fixture
def intake_mailbox(dovecot_server, settings):
    """The settings pointing at the test mailbox over IMAPS, with every folder emptied; yields a helper that
    appends messages and lists a folder's."""
    from kelisim.consultations.tests.mail import Mailbox

    settings.EMAIL_INTAKE_HOST = dovecot_server["host"]
    settings.EMAIL_INTAKE_PORT = dovecot_server["port"]
    settings.EMAIL_INTAKE_SECURITY = "ssl"
    settings.EMAIL_INTAKE_USER = dovecot_server["user"]
    settings.EMAIL_INTAKE_PASSWORD = dovecot_server["password"]
    settings.EMAIL_INTAKE_CA_FILE = dovecot_server["ca_file"]
    mailbox = Mailbox(dovecot_server)
    mailbox.empty()
    yield mailbox
    mailbox.close()
