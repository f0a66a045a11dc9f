"""A small HTTP load generator: several threads send GET requests to one server on this machine
for a bounded time, and the totals are printed as JSON.

    python bench/load.py --port 8123 --seconds 15 --threads 6 /api/v1/cases/?page_size=50

Each request opens its own connection (gunicorn's sync workers close it after each response).
Only loopback addresses are accepted: this is for a server started by bench/run.py.
"""

import argparse
import http.client
import ipaddress
import json
import statistics
import threading
import time

MAX_REQUESTS = 200_000  # a hard stop, whatever the duration


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", help="Paths to request, in turn.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--threads", type=int, default=6)
    args = parser.parse_args()
    if not ipaddress.ip_address(args.host).is_loopback:
        parser.error("only a server on this machine (127.0.0.0/8 or ::1) may be loaded")
    seconds = min(args.seconds, 120.0)

    lock = threading.Lock()
    latencies, statuses = [], {}
    counter = iter(range(MAX_REQUESTS))
    deadline = time.perf_counter() + seconds

    def worker():
        while time.perf_counter() < deadline:
            with lock:
                number = next(counter, None)
            if number is None:
                return
            path = args.paths[number % len(args.paths)]
            began = time.perf_counter()
            try:
                connection = http.client.HTTPConnection(args.host, args.port, timeout=30)
                connection.request("GET", path, headers={"Accept": "application/json,text/html"})
                response = connection.getresponse()
                response.read()
                status = response.status
                connection.close()
            except OSError as error:
                status = type(error).__name__
            spent = time.perf_counter() - began
            with lock:
                statuses[status] = statuses.get(status, 0) + 1
                if status == 200:
                    latencies.append(spent)

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(args.threads)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    ok = statuses.get(200, 0)
    result = {
        "seconds": round(elapsed, 2),
        "threads": args.threads,
        "requests_ok": ok,
        "statuses": {str(k): v for k, v in statuses.items()},
        "requests_per_second": round(ok / elapsed, 1) if elapsed else 0.0,
    }
    if len(latencies) >= 2:
        result["median_ms"] = round(statistics.median(latencies) * 1000, 1)
        result["p95_ms"] = round(statistics.quantiles(latencies, n=20)[18] * 1000, 1)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
