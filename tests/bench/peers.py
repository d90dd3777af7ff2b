#!/usr/bin/env python3
"""make bench BENCH_ARGS=peers: dobrobot side by side with grammY, in one run.

One fast fake Bot API (tests/bench/peers/fastfake.js, Node's http) serves N
queued text updates from K chats; each bot answers every one. The bots run
one after another, interleaved round by round, so a busy moment of the shared
machine falls on all of them alike:

  dobrobot        build/dobrobot: every update committed to SQLite (fsync)
                  before its offset is confirmed, every reply through the
                  outbox; limits raised out of the way (the echo bots have
                  none)
  grammY runner   grammY with @grammyjs/runner (concurrent), echo, no database
  grammY start    grammY's bot.start() (sequential), echo, no database

tests/bench/peers/bench.js reads each bot's CPU time (utime + stime) and peak
RSS and private (anonymous) memory from /proc. This script prints medians
per bot and dobrobot's ratios to grammY runner. grammY is installed with npm
into build/peers on first use (needs node and npm: Debian's nodejs, npm).

  python3 tests/bench/peers.py [--runs 3] [--updates 30000] [--chats 50,1000]
"""

import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
SRC = os.path.join(HERE, "peers")
WORK = os.path.join(ROOT, "build", "peers")
FILES = ("bench.js", "fastfake.js", "grammy-echo.js", "dobro-bot.sh",
         "package.json")


def install():
    """Copies the harness into build/peers and installs grammY there once."""
    if not shutil.which("node") or not shutil.which("npm"):
        sys.exit("peers: node and npm are needed (apt-get install nodejs npm)")
    os.makedirs(WORK, exist_ok=True)
    for f in FILES:
        shutil.copy2(os.path.join(SRC, f), os.path.join(WORK, f))
    if not os.path.isdir(os.path.join(WORK, "node_modules", "grammy")):
        print("peers: installing grammY with npm into build/peers ...")
        subprocess.run(["npm", "install", "--no-audit", "--no-fund",
                        "--loglevel=error"], cwd=WORK, check=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# Requests at once, for dobrobot (dobro-bot.sh) and for the floor alike.
IN_FLIGHT = 64


def bots():
    dobro = os.environ.get("DOBROBOT_BIN",
                           os.path.join(ROOT, "build", "dobrobot"))
    return [
        ("dobrobot", ["sh", os.path.join(WORK, "dobro-bot.sh"), "{ROOT}",
                      "{TOKEN}", str(IN_FLIGHT)], {"DOBRO": dobro}),
        ("grammY runner", ["node", os.path.join(WORK, "grammy-echo.js"),
                           "{ROOT}", "{TOKEN}", "runner"], {}),
        ("grammY start", ["node", os.path.join(WORK, "grammy-echo.js"),
                          "{ROOT}", "{TOKEN}", "start"], {}),
    ]


def run_one(port, fake_pid, n, chats, cmd, extra_env):
    env = dict(os.environ, PORT=str(port), CHATS=str(chats), TIMEOUT_S="300")
    env.update(extra_env)
    out = subprocess.run(
        ["node", os.path.join(WORK, "bench.js"), "fake", str(n),
         str(fake_pid), "--"] + cmd,
        cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    r = json.loads(out.stdout.strip().splitlines()[-1])
    if r["replies"] < n or r["timed_out"]:
        sys.exit("peers: %s answered %d of %d: %s" % (
            cmd, r["replies"], n, r.get("bot_stderr_tail", "")))
    return {
        "cpu_us": r["bot_cpu_s"] / n * 1e6,
        "rps": r["steady_replies_per_s"],
        "rss_mib": r["bot_rss_peak_kb"] / 1024,
        "anon_mib": r["bot_anon_peak_kb"] / 1024,
    }


def run_floor(port, n):
    """libcurl alone (tests/bench/http_floor.c): n sendMessage requests over
    as many connections as dobrobot uses, made as the daemon makes them,
    nothing else."""
    floor = os.environ.get("HTTP_FLOOR_BIN",
                           os.path.join(ROOT, "build", "http_floor"))
    if not os.path.exists(floor):
        return None
    url = "http://127.0.0.1:%d/bot1:FLOOR/sendMessage" % port
    out = subprocess.run([floor, url, str(n), str(IN_FLIGHT)],
                         capture_output=True, text=True, check=True)
    r = json.loads(out.stdout.strip().splitlines()[-1])
    return {"cpu_us": r["cpu_us"], "rps": r["rps"]}


def main(argv=None):
    ap = argparse.ArgumentParser(prog="peers")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--updates", type=int, default=30000)
    ap.add_argument("--chats", default="50,1000")
    a = ap.parse_args(argv)
    install()
    port = free_port()
    fake = subprocess.Popen(["node", os.path.join(WORK, "fastfake.js"),
                             str(port)], stdout=subprocess.DEVNULL)
    try:
        time.sleep(0.5)
        for chats in [int(c) for c in a.chats.split(",")]:
            results = {name: [] for name, _, _ in bots()}
            floors = []
            for _ in range(a.runs):
                for name, cmd, env in bots():
                    results[name].append(run_one(port, fake.pid, a.updates,
                                                 chats, cmd, env))
                f = run_floor(port, a.updates)
                if f is not None:
                    floors.append(f)
            report(a.updates, chats, a.runs, results, floors)
    finally:
        fake.send_signal(signal.SIGTERM)
        fake.wait()


def report(n, chats, runs, results, floors):
    med = {name: {k: statistics.median(r[k] for r in rs)
                  for k in rs[0]} for name, rs in results.items()}
    print("peers: %d updates from %d chats, medians of %d interleaved rounds"
          % (n, chats, runs))
    print("  %-14s %12s %10s %10s %12s" % ("bot", "CPU/update", "replies/s",
                                           "peak RSS", "private"))
    for name, m in med.items():
        print("  %-14s %9.1f µs %10.0f %6.1f MiB %8.1f MiB" % (
            name, m["cpu_us"], m["rps"], m["rss_mib"], m["anon_mib"]))
    d, g = med["dobrobot"], med["grammY runner"]
    print("  dobrobot / grammY runner: CPU per update %.2f (1/%.1f), "
          "replies/s %.2f×, RSS %.2f (1/%.1f)" % (
              d["cpu_us"] / g["cpu_us"], g["cpu_us"] / d["cpu_us"],
              d["rps"] / g["rps"], d["rss_mib"] / g["rss_mib"],
              g["rss_mib"] / d["rss_mib"]))
    if floors:
        # The floor: what any bot on libcurl spends per reply before it
        # does anything of its own. The CPU aim of a fifth of grammY's is
        # to be read against it.
        f = statistics.median(x["cpu_us"] for x in floors)
        print("  libcurl alone (no database, no JSON; tests/bench/"
              "http_floor.c): %.1f µs per request = %.2f of grammY runner "
              "(1/%.1f); dobrobot's own work above it: %.1f µs" % (
                  f, f / g["cpu_us"], g["cpu_us"] / f, d["cpu_us"] - f))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
