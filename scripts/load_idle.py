#!/usr/bin/env python3
"""Helpers for scripts/load-test (python3 standard library only; 127.0.0.1 only).

    load_idle.py idle  --port P [--plain 250] [--sse 250] --ready FILE --report FILE
        Opens and holds idle connections until SIGTERM: half of --plain send nothing after
        connecting, the other half a partial request (headers never finished); --sse connect to
        /__explainer/events and are read slowly (64 bytes per connection every 2 s). Writes FILE
        given by --ready once all are open. On SIGTERM: counts how many are still open, drains the
        event streams, prints one `idle:` summary line and writes it as JSON to --report.

    load_idle.py probe --port P --paths "/ /a/ ..." --stop FILE --report FILE
        Fetches each path in turn on a fresh connection (about 5 rounds a second) until FILE
        exists; every answer that is not 200 and every failure is recorded. Prints one `probe:`
        line and writes JSON to --report.

    load_idle.py wait-text --port P --path /a/ --text T [--timeout 15]
        Polls until GET path answers 200 with T in the body; prints the last status; exit 1 if not.
"""

import argparse
import http.client
import json
import selectors
import signal
import socket
import sys
import time
from pathlib import Path

HOST = "127.0.0.1"


def idle(args):
    stop = {"now": False}
    signal.signal(signal.SIGTERM, lambda *_: stop.__setitem__("now", True))
    signal.signal(signal.SIGINT, lambda *_: stop.__setitem__("now", True))
    plain, sse, connect_failures = [], [], 0
    for i in range(args.plain):
        try:
            s = socket.create_connection((HOST, args.port), timeout=5)
        except OSError:
            connect_failures += 1
            continue
        if i % 2 == 1:
            s.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Partial: never-finished")
        s.setblocking(False)
        plain.append(s)
    sel = selectors.DefaultSelector()
    state = {}
    for _ in range(args.sse):
        try:
            s = socket.create_connection((HOST, args.port), timeout=5)
        except OSError:
            connect_failures += 1
            continue
        s.sendall(
            b"GET /__explainer/events HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Accept: text/event-stream\r\n\r\n"
        )
        s.setblocking(False)
        sel.register(s, selectors.EVENT_READ)
        state[s] = {"data": bytearray(), "closed": False}
        sse.append(s)
    Path(args.ready).write_text(f"{len(plain)} {len(sse)}\n")

    def read_some(s, limit):
        st = state[s]
        if st["closed"]:
            return
        try:
            chunk = s.recv(limit)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            st["closed"] = True
            return
        if not chunk:
            st["closed"] = True
        else:
            st["data"] += chunk

    while not stop["now"]:
        for key, _ in sel.select(timeout=0):
            read_some(key.fileobj, 64)  # slowly: 64 bytes per connection per round
        for _ in range(20):  # 2 s, but wake up quickly on SIGTERM
            if stop["now"]:
                break
            time.sleep(0.1)

    # Still open? A plain connection the server closed reads b"" (or has an answer waiting).
    plain_open = 0
    plain_answered = 0
    for s in plain:
        try:
            peek = s.recv(1, socket.MSG_PEEK)
            if peek:
                plain_answered += 1
        except (BlockingIOError, InterruptedError):
            plain_open += 1
        except OSError:
            pass
    # Drain what the event streams hold, then look at each.
    deadline = time.time() + 2
    while time.time() < deadline:
        ready = sel.select(timeout=0.2)
        if not ready:
            break
        for key, _ in ready:
            read_some(key.fileobj, 65536)
    sse_open = sum(1 for s in sse if not state[s]["closed"])
    sse_ok = sum(1 for s in sse if bytes(state[s]["data"]).startswith(b"HTTP/1.1 200"))
    sse_reload = sum(1 for s in sse if b"event: reload" in state[s]["data"])
    report = {
        "open": plain_open + sse_open,
        "wanted": args.plain + args.sse,
        "plain_open": plain_open,
        "plain_answered": plain_answered,
        "sse_open": sse_open,
        "sse_200": sse_ok,
        "sse_saw_reload": sse_reload,
        "connect_failures": connect_failures,
    }
    Path(args.report).write_text(json.dumps(report) + "\n")
    print(
        f"idle: {report['open']}/{report['wanted']} still open "
        f"(plain {plain_open}/{args.plain}, answered {plain_answered}; "
        f"events {sse_open}/{args.sse}, 200 {sse_ok}, saw a reload {sse_reload}; "
        f"connect failures {connect_failures})"
    )
    for s in plain + sse:
        s.close()


def fetch(port, path, timeout=5.0):
    c = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        c.request("GET", path, headers={"Connection": "close"})
        r = c.getresponse()
        return r.status, r.read()
    finally:
        c.close()


def probe(args):
    paths = args.paths.split()
    total, wrong = 0, []
    started = time.time()
    while not Path(args.stop).exists():
        for p in paths:
            total += 1
            try:
                status, _ = fetch(args.port, p)
                if status != 200:
                    wrong.append(f"{time.time() - started:.1f}s {p} -> {status}")
            except Exception as e:  # noqa: BLE001 - every failure is a finding
                wrong.append(f"{time.time() - started:.1f}s {p} -> {type(e).__name__}: {e}")
        time.sleep(0.2)
    Path(args.report).write_text(json.dumps({"total": total, "wrong": wrong}) + "\n")
    print(f"probe: {total} GETs of real pages during the run, {len(wrong)} not 200")
    for w in wrong[:20]:
        print(f"  {w}")


def wait_text(args):
    deadline = time.time() + args.timeout
    last = "no answer"
    while time.time() < deadline:
        try:
            status, body = fetch(args.port, args.path)
            last = str(status)
            if status == 200 and args.text.encode() in body:
                print(f"GET {args.path} -> 200 with {args.text!r}")
                return 0
        except Exception as e:  # noqa: BLE001
            last = f"{type(e).__name__}: {e}"
        time.sleep(0.2)
    print(f"GET {args.path} -> {last}, without {args.text!r} after {args.timeout}s")
    return 1


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    a = sub.add_parser("idle")
    a.add_argument("--port", type=int, required=True)
    a.add_argument("--plain", type=int, default=250)
    a.add_argument("--sse", type=int, default=250)
    a.add_argument("--ready", required=True)
    a.add_argument("--report", required=True)
    b = sub.add_parser("probe")
    b.add_argument("--port", type=int, required=True)
    b.add_argument("--paths", required=True)
    b.add_argument("--stop", required=True)
    b.add_argument("--report", required=True)
    c = sub.add_parser("wait-text")
    c.add_argument("--port", type=int, required=True)
    c.add_argument("--path", required=True)
    c.add_argument("--text", required=True)
    c.add_argument("--timeout", type=float, default=15)
    args = ap.parse_args()
    if args.cmd == "idle":
        idle(args)
    elif args.cmd == "probe":
        probe(args)
    else:
        sys.exit(wait_text(args))


if __name__ == "__main__":
    main()
