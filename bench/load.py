"""What `make chaos` and `make cluster-test` share to drive a load: API accounts, clients, one HTTP call.

Kelisim's limits count per client: the API's per network address and per token (kelisim.api.throttling),
the suggestions' per account (kelisim.consultations.ratelimit). A driver that sends everything from one
address with a handful of tokens measures those limits, not the cluster. So each `Client` has an address of
its own and an API token of its own. The address is a loopback one: on Linux all of 127.0.0.0/8 is the
loopback interface, so a connection bound to 127.1.0.7 reaches nginx on 127.0.0.1 as a visitor from
127.1.0.7 would; nginx appends that address to X-Forwarded-For and a node with TRUSTED_PROXY_COUNT=1 reads
it there, exactly as in production. Some clients sit behind their own office proxy and send an
X-Forwarded-For naming their private address; nginx's entry after it is the one that counts.
"""

import http.client
import json
import urllib.parse
from dataclasses import dataclass

# Run with `manage.py shell -c`: one account and one API token per client; prints the raw tokens as JSON.
ACCOUNTS_SCRIPT = """
import json
from kelisim.accounts.models import ApiToken, User, hash_token
tokens = []
for number in range({count}):
    user, _ = User.objects.get_or_create(
        email=f"chaos{{number}}@example.org", defaults={{"display_name": f"Chaos {{number}}"}}
    )
    raw = ApiToken.generate_raw()
    ApiToken.objects.create(user=user, name="chaos", token_prefix=raw[:8], token_hash=hash_token(raw))
    tokens.append(raw)
print(json.dumps(tokens))
"""


@dataclass(frozen=True)
class Client:
    address: str  # the loopback address its connections come from
    token: str
    forwarded_for: str = ""  # set when the client is behind its own proxy


def clients(tokens: list[str]) -> list[Client]:
    """One client per token, each from its own address; one in five behind an office proxy."""
    return [
        Client(
            address=f"127.1.{number // 250}.{number % 250 + 1}",
            token=token,
            forwarded_for=f"10.0.{number % 250}.1" if number % 5 == 0 else "",
        )
        for number, token in enumerate(tokens)
    ]


def call(
    url: str,
    method: str = "GET",
    body: bytes | None = None,
    headers: dict | None = None,
    *,
    client: Client | None = None,
    timeout: float = 30,
) -> tuple[int, bytes, dict]:
    """One request on a new connection (from the client's address); status 0 when there was no answer."""
    parts = urllib.parse.urlsplit(url)
    headers = dict(headers or {})
    if client and client.forwarded_for:
        headers["X-Forwarded-For"] = client.forwarded_for
    connection = http.client.HTTPConnection(
        parts.hostname, parts.port, timeout=timeout, source_address=(client.address, 0) if client else None
    )
    try:
        connection.request(method, parts.path + (f"?{parts.query}" if parts.query else ""), body, headers)
        answer = connection.getresponse()
        return answer.status, answer.read(), dict(answer.headers)
    except (OSError, http.client.HTTPException):
        return 0, b"", {}
    finally:
        connection.close()


def api_tokens(manage, environment: dict, count: int, **options) -> list[str]:
    """``count`` fresh API tokens, through the release's own ``manage(environment, *arguments)``."""
    output = manage(environment, "shell", "-c", ACCOUNTS_SCRIPT.format(count=count), **options)
    return json.loads(output.strip().splitlines()[-1])
