"""``make load``: a bounded load test of the program search page against a server on 127.0.0.1.

It starts ``imgpath serve`` on a free port with a fresh SQLite database in a temporary folder,
signs up N applicants (each with a profile, so every search computes fit for that person), and
lets them search at once: each simulated user loads the full /programs page with one of a set of
realistic filters, waits a think time, and repeats.  The run is bounded both in requests per user
and in seconds.  It prints latency percentiles and exits non-zero if p95 misses the target.

    python benchmarks/load.py                # 50 users x 20 searches, think time 0.75-2.25 s
    python benchmarks/load.py --think 0      # no think time: the server's capacity, not a user model
    python benchmarks/load.py --users 100 --requests 10

Only 127.0.0.1: the script refuses any other host.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

SEARCHES = [
    {"specialty": "internal medicine"},
    {"specialty": "internal medicine", "state": "NY"},
    {"specialty": "family medicine", "visa": "j1"},
    {"q": "university hospital"},
    {"specialty": "pediatrics", "state": "TX"},
    {"specialty": "psychiatry", "visa": "h1b"},
    {"q": "community", "specialty": "internal medicine"},
    {"state": "CA"},
    {},
]
PROFILE = {
    "school": {"country": "IN", "graduation_date": "2021-06-30"},
    "citizenships": ["IN"],
    "exams": {
        "step1": [{"date": "2023-02-10", "result": "pass"}],
        "step2ck": [{"date": "2024-01-20", "result": "pass", "score": 238}],
    },
    "targets": {"specialty": "internal medicine", "match_year": 2027, "visa": "j1"},
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def start_server(folder: Path, port: int, env: dict[str, str] | None = None, workers: int = 1,
                 users: int = 0) -> subprocess.Popen[bytes]:  # fmt: skip
    env = env or server_env(folder)
    prepare_users(env, users)
    command = [
        sys.executable,
        "-m",
        "imgpath",
        "serve",
        "--port",
        str(port),
        "--workers",
        str(workers),
    ]
    log = (folder / "server.log").open("wb")  # read by server_problems() (a worker restarted?)
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=log)


def server_problems(folder: Path) -> list[str]:
    """Lines of the server's log that say a worker process died or was restarted."""
    path = folder / "server.log"
    text = path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""
    return [line for line in text.splitlines() if "died" in line or "Traceback" in line][:10]


async def wait_until_up(base: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    async with httpx.AsyncClient(base_url=base) as http:
        while True:
            try:
                if (await http.get("/signin")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit(f"the server at {base} did not answer within {seconds:.0f} s")
            await asyncio.sleep(0.2)


def server_env(folder: Path, database: str = "") -> dict[str, str]:
    return {**os.environ, "IMGPATH_DATABASE_URL": database or f"sqlite:///{folder / 'imgpath.db'}",
            "IMGPATH_DATA_DIR": str(folder), "IMGPATH_SECRET_KEY": "load-test-" + "k" * 40,
            "IMGPATH_SIGNIN_ATTEMPTS": "1000", "IMGPATH_SIGNUPS_PER_HOUR": "100000"}  # fmt: skip


def profile_of(n: int) -> dict[str, object]:
    """Person ``n``'s profile: the same shape, a different Step 2 CK score, so no two people
    share a fit (caches keyed by the profile get no help from identical people)."""
    exams = {"step1": [{"date": "2023-02-10", "result": "pass"}],
             "step2ck": [{"date": "2024-01-20", "result": "pass", "score": 200 + n % 60}]}  # fmt: skip
    return {**PROFILE, "exams": exams}


def prepare_users(env: dict[str, str], count: int) -> None:
    """Verified applicants with profiles, made before the server starts (sign-up by email is
    measured separately)."""
    from datetime import UTC, datetime

    from imgpath.settings import Settings
    from imgpath.web.app import build_services

    keys = {
        k.removeprefix("IMGPATH_").lower(): v for k, v in env.items() if k.startswith("IMGPATH_")
    }
    services = build_services(Settings(**keys), echo_mail=False)
    try:
        for n in range(count):
            services.accounts.sign_up(email=f"load{n}@example.org", password="long-password-1",
                                      role="applicant", verified=True)  # fmt: skip
            row = services.accounts.store.user_by_email(f"load{n}@example.org")
            services.workspace.save_profile(
                services.accounts.get(row["id"]), profile_of(n), on=datetime.now(UTC).date()
            )
    finally:
        services.close()


async def new_user(base: str, n: int) -> httpx.AsyncClient:
    http = httpx.AsyncClient(base_url=base, timeout=60)
    r = await http.post("/api/signin", json={"email": f"load{n}@example.org",
                                              "password": "long-password-1"})  # fmt: skip
    r.raise_for_status()
    http.headers["X-CSRF-Token"] = r.json()["csrf_token"]
    return http


async def user(http: httpx.AsyncClient, requests: int, think: float, stop: float, seed: int,
               latencies: list[float], failures: list[str]) -> None:  # fmt: skip
    rng = random.Random(seed)
    await asyncio.sleep(rng.uniform(0, think))  # users arrive spread over one think time
    for _ in range(requests):
        if time.monotonic() > stop:
            return
        params = rng.choice(SEARCHES)
        start = time.perf_counter()
        try:
            r = await http.get("/programs", params=params)
        except httpx.TransportError as exc:  # a dropped connection is a failure, not a crash
            failures.append(f"{type(exc).__name__} for /programs?{params}")
            continue
        elapsed = time.perf_counter() - start
        if r.status_code != 200 or "programs" not in r.text:
            failures.append(f"{r.status_code} for /programs?{params}")
        else:
            latencies.append(elapsed)
        if think:
            await asyncio.sleep(rng.uniform(think * 0.5, think * 1.5))


async def run(args: argparse.Namespace) -> int:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as tmp:
        server = start_server(Path(tmp), port, users=args.users)
        try:
            await wait_until_up(base)
            clients = [await new_user(base, n) for n in range(args.users)]
            for http in clients:  # warm the catalog caches once per client, untimed
                (await http.get("/programs")).raise_for_status()
            latencies: list[float] = []
            failures: list[str] = []
            started = time.monotonic()
            await asyncio.gather(*(
                user(http, args.requests, args.think, started + args.seconds, n, latencies, failures)
                for n, http in enumerate(clients)
            ))  # fmt: skip
            wall = time.monotonic() - started
            for http in clients:
                await http.aclose()
        finally:
            server.terminate()
            server.wait(timeout=30)
    return report(args, latencies, failures, wall)


def report(args: argparse.Namespace, latencies: list[float], failures: list[str],
           wall: float) -> int:  # fmt: skip
    if not latencies:
        print("no request succeeded:", *failures[:5], sep="\n  ")
        return 1
    cuts = statistics.quantiles(latencies, n=100, method="inclusive")
    p50, p95, p99 = cuts[49] * 1000, cuts[94] * 1000, cuts[98] * 1000
    ok = p95 < args.target and not failures
    print(f"program search page, {args.users} concurrent users, think time {args.think:g} s, "
          "(one server process)")  # fmt: skip
    print(f"  requests {len(latencies)} ok, {len(failures)} failed, in {wall:.1f} s "
          f"({len(latencies) / wall:.1f}/s)")  # fmt: skip
    print(
        f"  latency ms: p50 {p50:.0f}  p95 {p95:.0f}  p99 {p99:.0f}  max {max(latencies) * 1000:.0f}"
    )
    print(f"  target p95 < {args.target:g} ms: {'met' if ok else 'MISSED'}")
    for failure in failures[:5]:
        print("  failed:", failure)
    return 0 if ok else 1


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", type=int, default=50, help="concurrent signed-in users")
    parser.add_argument("--requests", type=int, default=20, help="searches per user (bound)")
    parser.add_argument("--seconds", type=float, default=120, help="stop after this long (bound)")
    parser.add_argument("--think", type=float, default=1.5,
                        help="mean seconds a user pauses between searches (0: none)")  # fmt: skip
    parser.add_argument("--target", type=float, default=200, help="p95 target in ms")
    args = parser.parse_args()
    if not (1 <= args.users <= 500 and 1 <= args.requests <= 1000 and 0 < args.seconds <= 900):
        parser.error("keep the load bounded: users 1-500, requests 1-1000, seconds up to 900")
    return asyncio.run(run(args))


if __name__ == "__main__":
    sys.exit(main())
