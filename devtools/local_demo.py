"""The demo shop beside `./dev run`: the fake shop API, the settings pointing the bot at it, and `/demo/*`.

`start(port)` serves the fake shop API (on a free port if that default is taken) and sets, unless
the environment or `.env` already does, SHOP_API_BASE, SHOP_API_TOKEN and ACTIONS_ALLOWED_HOSTS for
it, and a local-only IDENTITY_SIGNING_SECRET when no identity is configured. Naming a shop API of
your own (SHOP_API_BASE) leaves the demo shop out.

`GET /demo/customers` lists the demo customers and `GET /demo/sign_in?customer=cust-1001` signs an
identity token for one, as a shop's backend would: the storefront's "sign in as" control uses
them. They answer only in a local run that signs with IDENTITY_SIGNING_SECRET; otherwise the list
is empty (the storefront asks for it on every load, and a 404 there would be a failed request in
the browser's console) and signing in is a 404. Nothing here is deployed.
"""

from __future__ import annotations

import os
import time
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any

from devtools.fake_identity import SECRET
from devtools.fake_shop import TOKEN, FakeShopApi
from devtools.shop_data import demo_customers
from shared.core import errors
from shared.core.settings import Settings, get_settings

SHOP_PORT_OFFSET = 11  # the demo shop listens on the bot's port + 11: 8091 beside 8080
TOKEN_MINUTES = 30
IDENTITY_NAMES = {"IDENTITY_SIGNING_SECRET", "IDENTITY_JWKS_URL"}


def start(port: int, *, chosen: bool = False) -> FakeShopApi | None:
    """Serve the demo shop on `port` and point the bot at it, unless the user's settings name their own shop API."""
    configured = user_settings()
    if "SHOP_API_BASE" in configured:
        return None
    shop = _serve_shop(port, chosen)
    os.environ.update(shop_environment(shop.url, configured))
    ids = ", ".join(customer["id"] for customer in demo_customers())
    print(f"demo shop API: {shop.url} (customers {ids}; sign in as one on the storefront)")
    return shop


def _serve_shop(port: int, chosen: bool) -> FakeShopApi:
    """The shop on `port`; when that default is taken (an outgoing connection can hold it), on a free one."""
    try:
        return FakeShopApi().start(port)
    except (OSError, OverflowError) as exc:
        if chosen:
            raise SystemExit(f"demo shop API: cannot listen on 127.0.0.1:{port} ({exc})") from None
        print(f"demo shop API: port {port} is taken, using another (--shop-port chooses one)")
        return FakeShopApi().start()


def user_settings(env_file: Path | None = None) -> set[str]:
    """The names the environment or the `.env` file set, uppercased (the settings read them in any case)."""
    from dotenv import dotenv_values  # pydantic-settings' own reader of `.env`

    env_file = env_file or Path(str(Settings.model_config.get("env_file") or ".env"))
    return {name.upper() for name in [*os.environ, *dotenv_values(env_file)]}


def shop_environment(shop_url: str, configured: Collection[str]) -> dict[str, str]:
    """The settings for the demo shop at `shop_url`, but for those in `configured`."""
    values = {
        "SHOP_API_BASE": shop_url,
        "SHOP_API_TOKEN": TOKEN,
        "ACTIONS_ALLOWED_HOSTS": shop_url.removeprefix("http://"),
    }
    if not IDENTITY_NAMES & set(configured):
        values["IDENTITY_SIGNING_SECRET"] = SECRET
    return {name: value for name, value in values.items() if name not in configured}


def answer(method: str, path: str, query: Mapping[str, str]) -> dict[str, Any]:
    """The answer to `method /demo/<path>`; NotFound for another path, or to sign in when the demo is off."""
    if method not in ("GET", "HEAD"):
        raise errors.MethodNotAllowed("Use GET.", allowed=("GET",))
    settings = get_settings()
    enabled = settings.environment == "local" and settings.identity_signing_secret is not None
    if path == "customers":
        return {"customers": demo_customers() if enabled else []}
    if path == "sign_in" and enabled:
        return sign_in(query.get("customer", ""), settings)
    raise errors.NotFound("No such path.")


def sign_in(customer_id: str, settings: Settings) -> dict[str, Any]:
    """An HS256 identity token for a demo customer, signed as the shop's backend would sign it."""
    import jwt

    customer = next((c for c in demo_customers() if c["id"] == customer_id), None)
    if customer is None or settings.identity_signing_secret is None:
        raise errors.NotFound("No such demo customer.")
    now = int(time.time())
    minutes = min(TOKEN_MINUTES, settings.identity_max_token_minutes)
    claims: dict[str, Any] = {"sub": customer["id"], "name": customer["name"], "email": customer["email"], "iat": now}
    claims |= {"exp": now + minutes * 60, "aud": settings.identity_audience, "iss": settings.identity_issuer}
    claims = {name: value for name, value in claims.items() if value is not None}
    token = jwt.encode(claims, settings.identity_signing_secret.get_secret_value(), algorithm="HS256")
    return {"identity_token": token, "customer": customer}
