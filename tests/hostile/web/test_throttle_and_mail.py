"""Second attack, items 5-7: the sign-in throttle is atomic and cannot hard-lock an owner;
messages are capped per address and per client; sign-in, sign-up and reset take the same time
whether or not the address has an account (medians, not absolute times)."""

from __future__ import annotations

import contextlib
import statistics
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from argon2 import PasswordHasher

from imgpath.errors import AuthenticationError, RateLimitedError
from imgpath.services.mail import read_outbox
from tests.web.conftest import PASSWORD, TODAY, Client, outbox_links, token_of


def _in_threads(count: int, work: Callable[[int], object]) -> list[object]:
    """Run ``work(n)`` in ``count`` threads released together; each one's result or error."""
    results: list[object] = [None] * count
    gate = threading.Barrier(count)

    def run(n: int) -> None:
        gate.wait()
        try:
            results[n] = work(n)
        except Exception as exc:  # noqa: BLE001 - the test counts the kinds
            results[n] = exc

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    return results


def test_concurrent_wrong_passwords_cannot_exceed_the_limit(
    app: Any, client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """16 wrong passwords at once from one address: only ``signin_attempts`` (3 in the tests)
    are tried, the rest wait (before the fix every one was tried: the counter was read, then
    written)."""
    from imgpath.services import accounts as module

    client.signup("target@example.org")
    real = module._password_matches

    def slow(row: Any, password: str) -> bool:
        time.sleep(0.2)  # widen the window between the check and the count
        return real(row, password)

    monkeypatch.setattr(module, "_password_matches", slow)
    accounts = app.state.accounts
    results = _in_threads(
        16,
        lambda n: accounts.sign_in(
            email="target@example.org", password=f"guess number {n}", client="203.0.113.50"
        ),
    )
    tried = sum(isinstance(r, AuthenticationError) for r in results)
    waited = sum(isinstance(r, RateLimitedError) for r in results)
    assert tried == app.state.settings.signin_attempts
    assert tried + waited == 16


def test_concurrent_uses_of_an_hourly_limit_count_every_one(app: Any) -> None:
    throttle = app.state.accounts.throttle
    results = _in_threads(12, lambda _n: throttle.hit("t:burst", most=4, window=3600))
    assert sum(r is None for r in results) == 4
    assert sum(isinstance(r, RateLimitedError) for r in results) == 8


def test_guessing_from_many_addresses_is_stopped_and_the_owner_resets_past_it(
    app: Any, client: Any
) -> None:
    """Spread-out guessing (one try from each of many addresses) meets the per-account net
    (20 x signin_attempts); that holds up the owner too, so a reset clears it."""
    client.signup("popular@example.org")
    accounts = app.state.accounts
    net = app.state.settings.signin_attempts * 20
    codes = []
    for n in range(net + 2):
        try:
            accounts.sign_in(email="popular@example.org", password="not the password",
                             client=f"198.51.{n // 250}.{n % 250}")  # fmt: skip
        except AuthenticationError:
            codes.append(401)
        except RateLimitedError:
            codes.append(429)
    assert codes[:net] == [401] * net
    assert codes[net:] == [429, 429]
    owner = Client(app)
    r = owner.http.post("/api/signin", json={"email": "popular@example.org", "password": PASSWORD})
    assert r.status_code == 429
    owner.http.post("/api/password/forgot", json={"email": "popular@example.org"})
    [reset] = [x for x in outbox_links(app, "popular@example.org") if "/reset?" in x]
    r = owner.http.post(
        "/api/password/reset", json={"token": token_of(reset), "password": "a new long passphrase"}
    )
    assert r.status_code == 200
    assert (
        owner.signin("popular@example.org", "a new long passphrase")["email"]
        == "popular@example.org"
    )


def test_an_attacker_waiting_does_not_hold_up_the_owner(client: Any) -> None:
    """One address failing 40 times holds up only that address (never a hard lock)."""
    client.signup("owner2@example.org")
    accounts = client.app.state.accounts
    for _ in range(40):
        with pytest.raises((AuthenticationError, RateLimitedError)):
            accounts.sign_in(
                email="owner2@example.org", password="wrong password", client="203.0.113.66"
            )
    assert accounts.sign_in(
        email="owner2@example.org", password=PASSWORD, client="192.0.2.10"
    ).email == ("owner2@example.org")


def test_messages_are_capped_per_address_and_per_client(database: str, settings_for: Any) -> None:
    from imgpath.web.app import create_app

    app = create_app(settings_for(database, mails_per_address_hour=2, mails_per_client_hour=5),
                     today=TODAY, start_worker=False)  # fmt: skip
    try:
        accounts = app.state.accounts
        accounts.sign_up(
            email="inbox@example.org", password=PASSWORD, role="applicant", verified=True
        )
        http = Client(app).http
        answers = {http.post("/api/password/forgot", json={"email": "inbox@example.org"}).status_code
                   for _ in range(6)}  # fmt: skip
        answers |= {http.post("/api/signup", json={"email": "inbox@example.org", "password": PASSWORD}).status_code
                    for _ in range(3)}  # fmt: skip
        assert answers == {202}  # the same answer, capped or not
        app.state.services.mail.drain()
        outbox = app.state.settings.resolved_outbox()
        assert len([m for m in read_outbox(outbox) if m["To"] == "inbox@example.org"]) == 2
        # one client asking for many addresses: 5 messages an hour, whatever the addresses
        accounts.sign_up(
            email="other@example.org", password=PASSWORD, role="applicant", verified=True
        )
        for n in range(9):
            accounts.sign_up(email=f"new{n}@example.org", password=PASSWORD, role="applicant",
                             client="203.0.113.99")  # fmt: skip
        accounts.forgot_password("other@example.org", client="203.0.113.99")
        app.state.services.mail.drain()
        sent = [m for m in read_outbox(outbox) if str(m["To"]).startswith(("new", "other"))]
        assert len(sent) == 5
    finally:
        app.state.close()


def _median_gap(
    one: Callable[[int], object],
    other: Callable[[int], object],
    rounds: int,
    settle: Callable[[], None],
) -> tuple[float, float]:
    """Medians of ``one(n)`` and ``other(n)`` timed in turns (so noise falls on both alike);
    ``settle`` runs untimed after each (the mail thread finishes what the request handed it,
    so one request's background work is not timed as part of the next)."""
    times: tuple[list[float], list[float]] = ([], [])
    for n in range(rounds):
        turns = [(0, one), (1, other)]
        for side, work in turns if n % 2 else turns[::-1]:
            start = time.perf_counter()
            with contextlib.suppress(AuthenticationError, RateLimitedError):
                work(n)
            times[side].append(time.perf_counter() - start)
            settle()
    return statistics.median(times[0]), statistics.median(times[1])


def test_sign_in_sign_up_and_reset_take_as_long_for_unknown_addresses(
    app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A known and an unknown address, timed in turns: the medians differ by less than a
    third.  argon2 is made slow enough (about 15 ms a hash) that a missing or extra hash, the
    kind of leak this guards against, would double a time."""
    from imgpath.services import accounts as module

    hasher = PasswordHasher(time_cost=2, memory_cost=16384, parallelism=1)
    monkeypatch.setattr(module, "_HASHER", hasher)
    monkeypatch.setattr(module, "_DUMMY_HASH", hasher.hash("dummy"))
    accounts = app.state.accounts
    rounds = 15
    for n in range(rounds):
        accounts.sign_up(
            email=f"known{n}@example.org", password=PASSWORD, role="applicant", verified=True
        )
    checks = {
        "sign-in": (lambda n: accounts.sign_in(email=f"known{n}@example.org", password="wrong password", client=f"k{n}"),
                    lambda n: accounts.sign_in(email=f"unknown{n}@example.org", password="wrong password", client=f"u{n}")),
        "sign-up": (lambda n: accounts.sign_up(email=f"known{n}@example.org", password=PASSWORD, role="applicant", client=f"k{n}"),
                    lambda n: accounts.sign_up(email=f"fresh{n}@example.org", password=PASSWORD, role="applicant", client=f"u{n}")),
        "reset": (lambda n: accounts.forgot_password(f"known{n}@example.org", client=f"k{n}"),
                  lambda n: accounts.forgot_password(f"nobody{n}@example.org", client=f"u{n}")),
    }  # fmt: skip
    for name, (known, unknown) in checks.items():
        a, b = _median_gap(known, unknown, rounds, app.state.services.mail.drain)
        assert max(a, b) / min(a, b) < 1.5, (name, round(a * 1000, 1), round(b * 1000, 1))
