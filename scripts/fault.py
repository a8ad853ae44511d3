"""Driver of `make fault` (scripts/fault.sh): load on the API while PostgreSQL is stopped and
started again; prints what came back and exits non-zero if the outcome is not the expected one."""

import argparse
import json
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

PATHS = ["/api/v1/customers/?page_size=5", "/api/v1/auth/me/", "/api/v1/pool/?page_size=5"]


def as_postgres(command: str) -> None:
    argv = ["su", "postgres", "-s", "/bin/sh", "-c", command] if os.geteuid() == 0 else ["sh", "-c", command]
    subprocess.run(argv, check=True, capture_output=True)  # noqa: S603


def fetch(url: str, token: str) -> tuple[int, str, bytes]:
    request = urllib.request.Request(url, headers={"Authorization": f"Token {token}", "Accept-Language": "zh-hans"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - our own loopback server
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", ""), error.read()
    except OSError as error:
        return 0, "", str(error).encode()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--stop", required=True)
    parser.add_argument("--start", required=True)
    parser.add_argument("--log", default="")
    parser.add_argument("--threads", type=int, default=6)
    parser.add_argument("--down", type=float, default=4.0, help="seconds PostgreSQL stays down")
    args = parser.parse_args()

    deadline = time.monotonic() + 60
    while fetch(args.url + PATHS[1], args.token)[0] != 200:
        if time.monotonic() > deadline:
            print("!! the server did not come up")
            return 1
        time.sleep(0.5)

    results: list[tuple[float, int, str, bytes]] = []
    lock = threading.Lock()
    stop = threading.Event()

    def worker(n: int) -> None:
        i = n
        while not stop.is_set():
            t = time.monotonic()
            status, kind, body = fetch(args.url + PATHS[i % len(PATHS)], args.token)
            with lock:
                results.append((t, status, kind, body))
            i += 1
            time.sleep(0.02)

    threads = [threading.Thread(target=worker, args=(n,), daemon=True) for n in range(args.threads)]
    for thread in threads:
        thread.start()
    time.sleep(3)
    t_stop = time.monotonic()
    as_postgres(args.stop)
    t_down = time.monotonic()
    time.sleep(args.down)
    as_postgres(args.start)
    t_up = time.monotonic()  # pg_ctl -w returns once the server accepts connections
    time.sleep(12)
    stop.set()
    for thread in threads:
        thread.join(timeout=15)

    counts: dict[int, int] = {}
    bad: list[str] = []
    for t, status, _kind, body in results:
        counts[status] = counts.get(status, 0) + 1
        if b"Traceback" in body or b'File "/' in body:
            bad.append(f"traceback in a {status} response")
        if status == 200:
            continue
        if status != 503:
            bad.append(f"{status} at {t - t_stop:+.1f}s: {body[:160]!r}")
            continue
        try:
            error = json.loads(body)["error"]
            assert error["code"] == "service_unavailable" and error["message"]
        except (ValueError, KeyError, AssertionError):
            bad.append(f"503 not in the error shape: {body[:160]!r}")
    failures_after = [t for t, status, _k, _b in results if status != 200 and t >= t_up]
    recovery = (max(failures_after) - t_up) if failures_after else 0.0
    ok_after = sum(1 for t, status, _k, _b in results if status == 200 and t >= t_up + 5)
    tracebacks_logged = 0
    if args.log and os.path.exists(args.log):
        with open(args.log, encoding="utf-8", errors="replace") as handle:
            tracebacks_logged = handle.read().count("Traceback")

    print(f"requests: {len(results)}  by status: {dict(sorted(counts.items()))}")
    print(f"PostgreSQL stop took {t_down - t_stop:.1f}s, down {args.down:.0f}s; back at {t_up - t_stop:+.1f}s")
    print(f"last failure {recovery:.2f}s after PostgreSQL accepted connections again; {ok_after} OK after +5s")
    print(f"tracebacks in responses: {sum('traceback' in b for b in bad)}; in the server log: {tracebacks_logged}")
    if counts.get(503, 0) == 0:
        bad.append("no 503 seen: the outage was not observed")
    if recovery > 5:
        bad.append(f"full service only {recovery:.1f}s after PostgreSQL came back (limit 5 s)")
    if ok_after == 0:
        bad.append("no successful request after recovery")
    for line in bad[:20]:
        print("!!", line)
    print("fault test:", "PASSED" if not bad else f"FAILED ({len(bad)} problems)")
    return 0 if not bad else 1


if __name__ == "__main__":
    sys.exit(main())
