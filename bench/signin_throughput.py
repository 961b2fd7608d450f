"""Throughput of the sign-in page under gunicorn (2 workers) against a trivial route
(/health/live) in the same app and run. Prints requests/s and the ratio.

    .venv/bin/python bench/signin_throughput.py [--seconds 5]
"""

import argparse

from http_load import gunicorn_app, requests_per_second


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--clients", type=int, default=4)
    args = parser.parse_args()
    with gunicorn_app(workers=2) as (port, _):
        requests_per_second(port, "/sign-in", seconds=1, clients=args.clients)  # warm up
        trivial, trivial_errors = requests_per_second(port, "/health/live", seconds=args.seconds, clients=args.clients)
        sign_in, sign_in_errors = requests_per_second(port, "/sign-in", seconds=args.seconds, clients=args.clients)
    print("gunicorn, 2 sync workers, SQLite, %d client processes, %.0f s per route" % (args.clients, args.seconds))
    print(f"{'route':<22}{'requests/s':>12}{'5xx/errors':>12}")
    print(f"{'GET /health/live':<22}{trivial:>12.1f}{trivial_errors:>12}")
    print(f"{'GET /sign-in':<22}{sign_in:>12.1f}{sign_in_errors:>12}")
    print(f"ratio sign-in / trivial: {sign_in / trivial:.2f}")


if __name__ == "__main__":
    main()
