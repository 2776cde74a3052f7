"""Steps shared by every app's browser journeys."""

from django.test import Client


def sign_in_browser(context, live_server, user) -> None:
    """Make the browser ``context`` (a page's ``page.context``) act as ``user``: any earlier session is dropped
    and a signed-in session cookie is set, without walking through the sign-in form each time."""
    client = Client()
    client.force_login(user, backend="kelisim.accounts.backends.PasswordBackend")
    context.clear_cookies()
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
