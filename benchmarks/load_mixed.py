"""A bounded mixed load on 127.0.0.1: applicants searching programs while others sign up and one
imports a 5 MB spreadsheet (issue 12: "nobody can slow everyone down").

It starts ``imgpath serve`` (SQLite, one process; or PostgreSQL with ``--workers 4``), prepares
50 applicants with profiles, and then, at the same time:

* 50 users each load the full /programs page (fit for that person) 20 times, think time 0.75-2.25 s;
* 8 new people sign up (argon2 hashing on the server);
* one person imports a 4.9 MB applications CSV (parsed and saved in one transaction).

It prints search latency percentiles, the sign-ups' and the import's times, and every error; it
exits non-zero if search p95 is 200 ms or more or any request failed.

    python benchmarks/load_mixed.py                        # SQLite, one server process
    python benchmarks/load_mixed.py --postgres --workers 4 # PostgreSQL (IMGPATH_TEST_POSTGRES)
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.load import (
    free_port,
    new_user,
    server_env,
    server_problems,
    start_server,
    user,
    wait_until_up,
)

POSTGRES = os.environ.get(
    "IMGPATH_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def big_csv(codes: list[str], size: int = 4_900_000) -> bytes:
    """Applications with long notes, about ``size`` bytes."""
    rows = ["Program code,Status,Applied,Notes"]
    note = "interview prep " * 250  # about 3,750 characters
    n = 0
    while sum(len(r) + 2 for r in rows) < size - 4000:
        rows.append(f"{codes[n % len(codes)]},applied,2026-09-24,{note}{n}")
        n += 1
    return ("\r\n".join(rows) + "\r\n").encode()


async def sign_up(base: str, n: int, results: list[tuple[str, int, float]]) -> None:
    await asyncio.sleep(n * 1.5)
    async with httpx.AsyncClient(base_url=base, timeout=120) as http:
        start = time.perf_counter()
        r = await http.post("/api/signup", json={"email": f"new{n}-{uuid.uuid4().hex[:6]}@example.org",
                                                 "password": "a long passphrase for load"})  # fmt: skip
        results.append(("sign-up", r.status_code, time.perf_counter() - start))


async def import_csv(
    http: httpx.AsyncClient, body: bytes, results: list[tuple[str, int, float]]
) -> None:
    await asyncio.sleep(3)
    start = time.perf_counter()
    r = await http.post(
        "/api/applications/import", content=body, headers={"content-type": "text/csv"}
    )
    results.append((f"import {len(body) / 1e6:.1f} MB", r.status_code, time.perf_counter() - start))


async def run(args: argparse.Namespace) -> int:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    database = f"{POSTGRES}?options=-csearch_path%3D{schema}" if args.postgres else ""
    if args.postgres:
        from sqlalchemy import create_engine, text

        engine = create_engine(POSTGRES)
        with engine.begin() as conn:
            conn.execute(text(f"CREATE SCHEMA {schema}"))
    latencies: list[float] = []
    failures: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        env = server_env(Path(tmp), database)
        server = start_server(Path(tmp), port, env, workers=args.workers, users=args.users + 1)
        try:
            await wait_until_up(base)
            clients = [await new_user(base, n) for n in range(args.users + 1)]
            importer = clients.pop()
            for http in clients:
                (await http.get("/programs")).raise_for_status()
            codes = [
                p["code"]
                for p in (
                    await importer.get("/api/programs", params={"limit": 500, "sort": "name"})
                ).json()["programs"]
            ]
            body = big_csv(codes)
            others: list[tuple[str, int, float]] = []
            started = time.monotonic()
            await asyncio.gather(
                *(user(http, args.requests, args.think, started + args.seconds, n, latencies, failures)
                  for n, http in enumerate(clients)),
                *(sign_up(base, n, others) for n in range(args.signups)),
                import_csv(importer, body, others),
            )  # fmt: skip
            wall = time.monotonic() - started
            for http in [*clients, importer]:
                await http.aclose()
        finally:
            server.terminate()
            server.wait(timeout=60)
            failures.extend(f"server: {line}" for line in server_problems(Path(tmp)))
            if args.postgres:
                with engine.begin() as conn:
                    conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
                engine.dispose()
    code = report(args, latencies, failures, others, wall)
    print(_cpu_use(wall))
    return code


def _cpu_use(wall: float) -> str:
    """CPU seconds of this load generator and of the server processes (reaped children), over
    the whole run, to tell a busy server from a busy generator on a small machine."""
    import resource

    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (
        f"  CPU over the run: load generator {own.ru_utime + own.ru_stime:.0f} s, server processes "
        f"{children.ru_utime + children.ru_stime:.0f} s; the loaded part lasted {wall:.0f} s "
        f"on {os.cpu_count()} cores"
    )


def report(args: argparse.Namespace, latencies: list[float], failures: list[str],
           others: list[tuple[str, int, float]], wall: float) -> int:  # fmt: skip
    bad = [f"{what}: {status}" for what, status, _ in others if status >= 300]
    where = (
        f"PostgreSQL, {args.workers} server processes"
        if args.postgres
        else f"SQLite, {args.workers} server process(es)"
    )
    print(
        f"mixed load ({where}): {args.users} users searching, {args.signups} sign-ups, one 4.9 MB import"
    )
    if not latencies:
        print("no search succeeded:", *failures[:5], sep="\n  ")
        return 1
    cuts = statistics.quantiles(latencies, n=100, method="inclusive")
    p50, p95, p99 = cuts[49] * 1000, cuts[94] * 1000, cuts[98] * 1000
    print(f"  searches: {len(latencies)} ok, {len(failures)} failed in {wall:.1f} s; "
          f"ms p50 {p50:.0f}  p95 {p95:.0f}  p99 {p99:.0f}  max {max(latencies) * 1000:.0f}")  # fmt: skip
    for what, status, seconds in sorted(others):
        print(f"  {what}: {status} in {seconds:.2f} s")
    ok = p95 < args.target and not failures and not bad
    print(f"  target search p95 < {args.target:g} ms and 0 errors: {'met' if ok else 'MISSED'}")
    for failure in [*failures, *bad][:5]:
        print("  failed:", failure)
    return 0 if ok else 1


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--think", type=float, default=1.5)
    parser.add_argument("--signups", type=int, default=8)
    parser.add_argument(
        "--postgres", action="store_true", help="PostgreSQL at $IMGPATH_TEST_POSTGRES"
    )
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--target", type=float, default=200)
    args = parser.parse_args()
    if not (1 <= args.users <= 200 and 1 <= args.requests <= 100 and 0 < args.seconds <= 600
            and 1 <= args.workers <= 8 and 0 <= args.signups <= 50):  # fmt: skip
        parser.error("keep the load bounded")
    return asyncio.run(run(args))


if __name__ == "__main__":
    sys.exit(main())
