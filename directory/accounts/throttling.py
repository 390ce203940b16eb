"""Who may try to sign in or ask for a reset link, and how often (see `core.throttle`).

Logins are counted per account *and* client (the client being this browser when it signed
in to the account before, else its network address), and per client over all accounts. A
stranger's failures therefore block the stranger, never the account: the holder signs in
from her own browser or from another network while the attacker waits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask import current_app

from directory.accounts import devices
from directory.accounts.models import normalise_email
from directory.core import throttle


def _rules(window_setting: str, *limits: tuple[str, str]) -> list[throttle.Rule]:
    """Rules sharing the window `window_setting`, from (scope, limit setting) pairs."""
    config = current_app.config
    window = timedelta(minutes=config[window_setting])
    return [throttle.Rule(scope, config[setting], window) for scope, setting in limits]


def _login_rules() -> list[throttle.Rule]:
    return _rules(
        "LOGIN_WINDOW_MINUTES",
        ("login:account+client", "LOGIN_MAX_FAILURES_PER_ACCOUNT"),
        ("login:client", "LOGIN_MAX_FAILURES_PER_IP"),
    )


def _reset_rules() -> list[throttle.Rule]:
    return _rules(
        "RESET_WINDOW_MINUTES",
        ("reset:account", "RESET_MAX_PER_ACCOUNT"),
        ("reset:client", "RESET_MAX_PER_CLIENT"),
    )


@dataclass(frozen=True)
class LoginKeys:
    pair: str  # this account from this client (or known device)
    client: str | None  # this client over every account; None for a known device


def login_keys(email: str) -> LoginKeys:
    email = normalise_email(email)
    device = devices.known_device(email)
    if device is not None:
        return LoginKeys(pair=throttle.keyed("login", email, "device", device), client=None)
    client = throttle.client_key()
    return LoginKeys(pair=throttle.keyed("login", email, client), client=client)


def login_refused(keys: LoginKeys) -> bool:
    """Count this attempt; True when it is one too many (it is then not even checked)."""
    pair_rule, client_rule = _login_rules()
    refused = throttle.hit_exceeds(pair_rule, keys.pair)
    if keys.client is not None:
        refused = throttle.hit_exceeds(client_rule, keys.client) or refused
    return refused


def login_succeeded(keys: LoginKeys) -> None:
    """The holder is in: her account's failures from this client are forgotten, and her
    attempt no longer counts against the client's other users (one office, one address)."""
    pair_rule, client_rule = _login_rules()
    throttle.forget(pair_rule, keys.pair)
    if keys.client is not None:
        throttle.give_back(client_rule, keys.client)


def reset_refused(email: str) -> bool:
    """Count a reset request for `email` from this client; True beyond either limit.

    The e-mail is counted whether or not an account has it, so the limit says nothing
    about which addresses have accounts.
    """
    account_rule, client_rule = _reset_rules()
    by_account = throttle.hit_exceeds(account_rule, throttle.keyed("reset", normalise_email(email)))
    by_client = throttle.hit_exceeds(client_rule, throttle.client_key())
    return by_account or by_client
