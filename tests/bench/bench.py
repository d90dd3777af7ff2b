#!/usr/bin/env python3
"""make bench: the figures the README quotes, measured end to end against the
fake Bot API server (a real HTTP server on loopback) and the real daemon.

  python3 tests/bench/bench.py [pipeline] [sender] [broadcast] [peers]
                               [--runs N] [--quick]

pipeline  20,000 updates queued at once: updates/s end to end, the daemon's
          CPU time per update, p50/p99 from queueing an update to its reply
          arriving, peak RSS; at 0 ms and 50 ms simulated API latency.
sender    10,000 queued broadcast messages to distinct chats through a server
          enforcing 30/s and answering in 100 ms: achieved rate, 429s,
          duplicates, interactive reply latency during it; the same in paid
          mode at 1000/s; and SIGKILL at 5 random moments during the 30/s run.
broadcast an organiser's /broadcast to 10,000 subscribers (seeded in SQLite)
          through the real command path — audience button, the message,
          «Отправить» — against a server enforcing 30/s and answering in
          100 ms: achieved rate, 429s, duplicates, time from «Отправить» to
          the delivery report. One run of about six minutes (--runs for
          more).

site      the public website for 1,000 actions (6 pledges each) and 100
          organisations: `dobrobot site` into an empty directory (time, files,
          bytes), then again after one pledge (time, files rewritten); and
          the daemon's own regeneration after a real /pledge (from its log).

document  a «Справка о волонтёрской деятельности» with 24 lines (12 actions)
          made by the daemon's documents job from a seeded database: the
          time to make one (PDF with pango/cairo, QR, verify page, outbox
          row; median of 12 per run, from the daemon's log), its size, and
          the daemon's memory idle (pango, cairo and fonts linked but not yet
          used) and after making them (fonts loaded): RssAnon (private) and
          VmRSS. Under a minute.

peers     dobrobot side by side with grammY (runner and sequential) on one
          fast fake Bot API, 30,000 updates from 50 and from 1,000 chats,
          interleaved rounds: CPU per update, replies/s, RSS, private memory
          and the ratios (tests/bench/peers.py; needs node and npm, installs
          grammY into build/peers).

With no names, all of them: about 40 minutes (peers only when node is
installed: about 5 more).

The machine is shared: every figure is the median of --runs runs (default 3).
"""

import argparse
import json
import os
import random
import re
import shutil
import sqlite3
import statistics
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from lib.daemon import TOKEN, Daemon, wait_until  # noqa: E402
from lib.fakeapi import FakeApi  # noqa: E402

import peers  # noqa: E402  (tests/bench/peers.py)

CLK_TCK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def peak_rss_kib(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def rss_anon_kib(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("RssAnon:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class AnonSampler(threading.Thread):
    """Samples the daemon's private (anonymous) memory every 20 ms: VmHWM
    also counts the pages of shared libraries mapped at start."""

    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid, self.peak, self.stop = pid, 0, False

    def run(self):
        while not self.stop:
            self.peak = max(self.peak, rss_anon_kib(self.pid))
            time.sleep(0.02)


def pct(values, p):
    values = sorted(values)
    if not values:
        return float("nan")
    k = min(len(values) - 1, max(0, int(round(p / 100.0 * len(values) + 0.5)) - 1))
    return values[k]


class Run:
    def __init__(self, config, default_in_flight=False):
        self.tmp = tempfile.TemporaryDirectory(prefix="dobrobot-bench-")
        self.fake = FakeApi.start(token=TOKEN)
        self.bot = Daemon(self.tmp.name, self.fake.base_url, config)
        if default_in_flight:
            # The test harness pins max_in_flight; the sender figures are
            # for the configuration an operator gets without setting it.
            self.bot.config["limits"].pop("max_in_flight", None)
            with open(self.bot.config_path, "w") as f:
                json.dump(self.bot.config, f, ensure_ascii=False)

    def close(self):
        if self.bot.alive():
            self.bot.stop(timeout=30)
        self.fake.stop()
        self.tmp.cleanup()


def pipeline_once(n_updates, latency_ms):
    run = Run({"poll_timeout_s": 10, "log_level": "warn",
               "limits": {"global_per_s": 100000, "chat_per_s": 100000,
                          "chat_burst": 100000, "group_per_min": 1000000,
                          "max_in_flight": 64, "updates_per_min": 100000,
                          "pending_replies": 100000}})
    try:
        run.fake.faults(latency_ms=latency_ms)
        run.bot.start()
        wait_until(lambda: run.fake.stats()["requests"].get("getUpdates", 0) > 0,
                   what="first poll")
        time.sleep(0.3)
        pid = run.bot.proc.pid
        cpu0 = cpu_seconds(pid)
        base_rss = peak_rss_kib(pid)
        sampler = AnonSampler(pid)
        sampler.start()
        users = 1000
        ups = [run.fake.message(10000 + (i % users), "/u%d" % i)
               for i in range(n_updates)]
        for k in range(0, n_updates, 2000):
            run.fake.queue(ups[k:k + 2000])
        wait_until(lambda: run.fake.stats()["requests"].get("sendMessage", 0)
                   >= n_updates, timeout=600, interval=0.2, what="replies")
        cpu = cpu_seconds(pid) - cpu0
        rss = peak_rss_kib(pid)
        sampler.stop = True
        sampler.join()
        log = {u["update_id"]: u for u in run.fake.updates_log()}
        sent = run.fake.sent(method="sendMessage")
        first_queued = min(u["queued_ms"] for u in log.values())
        ids = {}
        for uid, u in log.items():
            ids[uid] = u
        # Map replies to updates through the unique /uN in each.
        by_n = {}
        for s in sent:
            m = re.search(r"/u(\d+)", s["params"].get("text", ""))
            if m and s["status"] == 200:
                by_n.setdefault(int(m.group(1)), s.get("done_ms") or s["t_ms"])
        queued_by_n = {}
        for uid in sorted(log):
            queued_by_n[len(queued_by_n)] = log[uid]["queued_ms"]
        lat = [by_n[n] - queued_by_n[n] for n in by_n if n in queued_by_n]
        last = max(by_n.values())
        return {"ups": n_updates / ((last - first_queued) / 1000.0),
                "cpu_us": cpu / n_updates * 1e6, "p50": pct(lat, 50),
                "p99": pct(lat, 99), "rss_mib": rss / 1024.0,
                "base_mib": base_rss / 1024.0, "anon_mib": sampler.peak / 1024.0}
    finally:
        run.close()


def bench_pipeline(runs, n):
    print("pipeline: %d updates from 1,000 users, each answered (/start-like "
          "reply through SQLite and the outbox); median of %d runs" % (n, runs))
    for latency in (0, 50):
        results = [pipeline_once(n, latency) for _ in range(runs)]
        med = {k: statistics.median(r[k] for r in results) for k in results[0]}
        print("  latency %3d ms: %7.0f updates/s  %6.1f us CPU/update  "
              "p50 %6.0f ms  p99 %6.0f ms  peak RSS %5.1f MiB (%.1f MiB before "
              "the first update; private memory peak %.1f MiB)" % (
                  latency, med["ups"], med["cpu_us"], med["p50"], med["p99"],
                  med["rss_mib"], med["base_mib"], med["anon_mib"]))
        sys.stdout.flush()


def seed_broadcast(db_path, n, first_chat=2000000):
    con = sqlite3.connect(db_path)
    now = int(time.time() * 1000)
    con.executemany(
        "INSERT INTO outbox(chat_id, method, payload, kind, priority, created_at)"
        " VALUES (?, 'sendMessage', ?, 'broadcast', 2, ?)",
        [(first_chat + i, '{"chat_id":%d,"text":"Сбор тёплых вещей: '
          'приходите в субботу! #%d"}' % (first_chat + i, i), now)
         for i in range(n)])
    con.commit()
    con.close()


def sender_once(n, paid, kills=0, seed=1):
    limits = {"global_per_s": 30, "chat_per_s": 1, "chat_burst": 3,
              "group_per_min": 20, "paid_broadcast": paid,
              "paid_per_s": 1000}  # max_in_flight: the default
    run = Run({"log_level": "warn", "limits": limits}, default_in_flight=True)
    try:
        run.fake.limits(enforce=True, global_per_s=30, chat_per_s=1,
                        chat_burst=3, group_per_min=20, paid_per_s=1000)
        run.fake.faults(latency_ms=100)
        r = run.bot.run_cli("migrate", "--config", run.bot.config_path)
        assert r.returncode == 0, r.stderr
        seed_broadcast(run.bot.db_path, n)
        run.bot.start()
        rng = random.Random(seed)
        expected = n
        kill_times = sorted(rng.uniform(0.1, 0.9) * n / (1000 if paid else 30)
                            for _ in range(kills))
        t0 = time.time()
        uncertain = 0
        probes = []
        probe_n = 0
        next_probe = time.time() + 1
        while True:
            st = run.fake.stats()
            delivered = st["status"].get("200", 0) - st["requests"].get(
                "setMyCommands", 0) - st["requests"].get("deleteWebhook", 0) \
                - st["requests"].get("getMe", 0)
            if kill_times and time.time() - t0 >= kill_times[0]:
                kill_times.pop(0)
                run.bot.kill()
                uncertain = run.bot.query(
                    "SELECT count(*) FROM outbox WHERE state = 'sending'")[0][0] \
                    + uncertain
                run.bot.start()
            if not paid and kills == 0 and time.time() >= next_probe:
                # A citizen's /start while the broadcast drains.
                run.fake.send_text(900 + probe_n, "/start", first_name="Пётр")
                probe_n += 1
                next_probe = time.time() + 5
            sent_bc = [s for s in run.fake.sent(method="sendMessage")
                       if s["status"] == 200 and s["params"]["chat_id"] >= 2000000]
            if len({s["params"]["chat_id"] for s in sent_bc}) >= expected:
                break
            time.sleep(0.5)
        sent = run.fake.sent(method="sendMessage")
        bc = [s for s in sent if s["status"] == 200 and s["params"]["chat_id"] >= 2000000]
        first = min(s["t_ms"] for s in bc)
        last = max(s["t_ms"] for s in bc)
        # The limit is global: the citizens' /start replies draw on the
        # same 30/s as the broadcast, so the achieved rate counts every
        # message delivered while the broadcast ran, and the broadcast's
        # own share is reported beside it.
        under_limit = [s for s in sent if s["status"] == 200 and
                       first <= s["t_ms"] <= last]
        rate = (len(under_limit) - 1) / ((last - first) / 1000.0)
        rate_bc = (len(bc) - 1) / ((last - first) / 1000.0)
        chats = [s["params"]["chat_id"] for s in bc]
        dups = len(chats) - len(set(chats))
        too_many = run.fake.stats().get("too_many_requests", 0)
        replies = []
        log = {u["update_id"]: u for u in run.fake.updates_log()}
        queued = sorted(log.values(), key=lambda u: u["update_id"])
        for i, u in enumerate(queued):
            for s in sent:
                if s["params"]["chat_id"] == 900 + i and s["status"] == 200:
                    replies.append((s.get("done_ms") or s["t_ms"]) - u["queued_ms"])
                    break
        return {"rate": rate, "rate_bc": rate_bc, "limit": 1000 if paid else 30, "429": too_many,
                "dups": dups, "delivered": len(set(chats)), "n": n,
                "reply_p99": pct(replies, 99) if replies else None,
                "uncertain": uncertain, "kills": kills}
    finally:
        run.close()


def bench_sender(runs, n):
    print("sender: %d broadcast messages to distinct chats, server enforcing "
          "the limits with 429s, answering in 100 ms; median of %d runs" % (n, runs))
    for paid in (False, True):
        results = [sender_once(n, paid) for _ in range(runs)]
        rate = statistics.median(r["rate"] for r in results)
        rate_bc = statistics.median(r["rate_bc"] for r in results)
        lim = results[0]["limit"]
        line = "  %s: %7.1f msg/s = %5.1f%% of %d/s (the broadcast's own " \
            "share %.1f%%); 429s %d; duplicates %d; delivered %d/%d" % (
                "paid 1000/s" if paid else "free   30/s", rate,
                100 * rate / lim, lim, 100 * rate_bc / lim,
                max(r["429"] for r in results),
                max(r["dups"] for r in results),
                min(r["delivered"] for r in results), n)
        if not paid:
            line += "; /start during it p99 %.0f ms" % statistics.median(
                r["reply_p99"] for r in results)
        print(line)
        sys.stdout.flush()
    r = sender_once(n, False, kills=5, seed=11)
    print("  SIGKILL x5 during the 30/s run: delivered %d/%d, duplicates %d, "
          "in flight at the kills %d (duplicates <= in flight: %s)" % (
              r["delivered"], n, r["dups"], r["uncertain"],
              "yes" if r["dups"] <= r["uncertain"] else "NO"))


def seed_subscribers(db_path, n, first=3000000):
    con = sqlite3.connect(db_path)
    now = int(time.time() * 1000)
    ids = range(first, first + n)
    con.executemany(
        "INSERT INTO users(id, first_name, language, created_at, updated_at,"
        " subscribe_asked) VALUES (?, 'Житель', 'ru', ?, ?, 1)",
        [(u, now, now) for u in ids])
    con.executemany(
        "INSERT INTO chats(id, type, created_at, updated_at)"
        " VALUES (?, 'private', ?, ?)", [(u, now, now) for u in ids])
    con.executemany("INSERT INTO subscriptions(user_id, direction)"
                    " VALUES (?, '*')", [(u,) for u in ids])
    con.commit()
    con.close()


def broadcast_once(n):
    organiser = 1  # an admin in the Daemon's default configuration
    limits = {"global_per_s": 30, "chat_per_s": 1, "chat_burst": 3,
              "group_per_min": 20, "max_in_flight": 16}
    run = Run({"log_level": "warn", "limits": limits})
    try:
        run.fake.limits(enforce=True, global_per_s=30, chat_per_s=1,
                        chat_burst=3, group_per_min=20)
        run.fake.faults(latency_ms=100)
        r = run.bot.run_cli("migrate", "--config", run.bot.config_path)
        assert r.returncode == 0, r.stderr
        seed_subscribers(run.bot.db_path, n)
        run.bot.start()

        def last_seq():
            s = run.fake.sent()
            return s[-1]["seq"] if s else 0

        def to_organiser(since, method="sendMessage"):
            return run.fake.wait_sent(
                lambda e: e["method"] == method and e["status"] == 200 and
                e["params"].get("chat_id") == organiser, since=since,
                timeout=60)[0]

        since = last_seq()
        run.fake.send_text(organiser, "/broadcast")
        menu = to_organiser(since)
        since = last_seq()
        run.fake.press(organiser, "bc:a:subscribers",
                       menu["response"]["result"]["message_id"])
        to_organiser(since, "editMessageText")
        since = last_seq()
        run.fake.send_text(organiser, "Сбор тёплых вещей: приходите в "
                           "субботу к приюту «Надежда»!", entities=[])
        preview = to_organiser(since)
        go = [b for row in preview["params"]["reply_markup"]["inline_keyboard"]
              for b in row if b["callback_data"].startswith("bc:go:")][0]
        since = last_seq()
        t_go = time.monotonic() * 1000
        run.fake.press(organiser, go["callback_data"],
                       preview["response"]["result"]["message_id"])
        to_organiser(since, "editMessageText")
        report = run.fake.wait_sent(
            lambda e: e["method"] == "sendMessage" and e["status"] == 200 and
            "завершена" in e["params"].get("text", ""), since=since,
            timeout=n / 30.0 * 2 + 120, interval=1.0)[0]
        copies = [s for s in run.fake.sent(method="copyMessage")
                  if s["status"] == 200]
        chats = [s["params"]["chat_id"] for s in copies]
        first = min(s["t_ms"] for s in copies)
        last = max(s["t_ms"] for s in copies)
        delivered = run.bot.query("SELECT delivered FROM broadcasts")[0][0]
        return {"rate": (len(copies) - 1) / ((last - first) / 1000.0),
                "429": run.fake.stats().get("too_many_requests", 0),
                "dups": len(chats) - len(set(chats)),
                "delivered": len(set(chats)), "counted": delivered,
                "to_report_s": (report["done_ms"] - t_go) / 1000.0, "n": n}
    finally:
        run.close()


def bench_broadcast(runs, n):
    print("broadcast: /broadcast to %d subscribers through the command path, "
          "server enforcing 30/s and answering in 100 ms; median of %d "
          "run(s)" % (n, runs))
    results = [broadcast_once(n) for _ in range(runs)]
    med = {k: statistics.median(r[k] for r in results) for k in results[0]}
    print("  %7.1f msg/s = %5.1f%% of 30/s; 429s %d; duplicates %d; "
          "delivered %d/%d (report counts %d); «Отправить» to report %.0f s" % (
              med["rate"], 100 * med["rate"] / 30, max(r["429"] for r in results),
              max(r["dups"] for r in results),
              min(r["delivered"] for r in results), n,
              min(r["counted"] for r in results), med["to_report_s"]))
    sys.stdout.flush()


def site_once(n_actions, n_orgs):
    from lib import sitekit
    run = Run({"log_level": "info",
               "directions": ["социальное", "культура", "спорт",
                              "патриотическое"]})
    try:
        site = os.path.join(run.tmp.name, "site")
        run.bot.config["site"] = {"dir": site,
                                  "base_url": "https://dobro.example.org"}
        with open(run.bot.config_path, "w") as f:
            json.dump(run.bot.config, f, ensure_ascii=False)
        r = run.bot.run_cli("migrate", "--config", run.bot.config_path)
        assert r.returncode == 0, r.stderr
        sitekit.seed(run.bot.db_path, n_actions=n_actions, n_orgs=n_orgs,
                     pledges_per_action=6)

        def build():
            t0 = time.monotonic()
            r = run.bot.run_cli("site", "--no-photos", "--config",
                                run.bot.config_path, timeout=600)
            dt = time.monotonic() - t0
            assert r.returncode == 0, r.stderr
            m = re.search(r"(\d+) files \((\d+) changed\)", r.stdout)
            return dt, int(m.group(1)), int(m.group(2))

        full, files, _ = build()
        size = sum(os.path.getsize(os.path.join(d, f))
                   for d, _, fs in os.walk(site) for f in fs)
        con = sqlite3.connect(run.bot.db_path)
        now = int(time.time() * 1000)
        con.execute("INSERT INTO pledges(action_id, user_id, kind, amount,"
                    " status, created_at, updated_at, display_name) VALUES"
                    " (1, 735500100, 'money', 50000, 'pledged', ?, ?,"
                    " 'Мария П.')", (now, now))
        con.execute("UPDATE actions SET version = version + 1 WHERE id = 1")
        con.commit()
        con.close()
        incr, _, rewritten = build()
        # The daemon: a real /pledge, and its own log line.
        run.bot.start()
        pat = re.compile(r"site: (\d+) of (\d+) files rewritten in (\d+) ms")
        wait_until(lambda: pat.search(run.bot.log()), 60, what="first site")
        time.sleep(4)
        n_lines = len(pat.findall(run.bot.log()))
        run.fake.queue([run.fake.message(735509999, "/pledge 1 700")])
        wait_until(lambda: len(pat.findall(run.bot.log())) > n_lines, 60,
                   what="regeneration after the pledge")
        d_written, _, d_ms = pat.findall(run.bot.log())[n_lines]
        return {"full_s": full, "files": files, "bytes": size,
                "incr_s": incr, "rewritten": rewritten,
                "daemon_ms": int(d_ms), "daemon_rewritten": int(d_written)}
    finally:
        run.close()


def bench_site(runs, n_actions, n_orgs):
    print("site: %d actions (6 pledges each), %d organisations; median of "
          "%d runs" % (n_actions, n_orgs, runs))
    got = [site_once(n_actions, n_orgs) for _ in range(runs)]
    med = {k: statistics.median(g[k] for g in got) for k in got[0]}
    print("  full build (dobrobot site, empty dir): %.2f s, %d files, "
          "%.1f MB" % (med["full_s"], med["files"], med["bytes"] / 1e6))
    print("  after one pledge (dobrobot site): %.2f s, %d files rewritten"
          % (med["incr_s"], med["rewritten"]))
    print("  after one /pledge (the daemon): %d ms, %d files rewritten"
          % (med["daemon_ms"], med["daemon_rewritten"]))
    print("  runs: %s" % json.dumps(got))


def seed_record(db_path, user, n_actions):
    """A volunteer with two received pledges (hours, goods) in each of
    n_actions closed actions."""
    con = sqlite3.connect(db_path, isolation_level=None)
    now = int(time.time() * 1000)
    con.execute("BEGIN")
    con.execute("INSERT INTO users(id, first_name, language, role, blocked,"
                " created_at, updated_at, subscribe_asked) VALUES"
                " (?, 'Анна', 'ru', 'citizen', 0, ?, ?, 1)", (user, now, now))
    for i in range(n_actions):
        aid = con.execute(
            "INSERT INTO actions(author_id, title, description, direction,"
            " status, created_at, updated_at, closed_at) VALUES (1, ?, 'd',"
            " 'социальное', 'closed', ?, ?, ?)",
            ("Субботник в сквере у школы №%d" % (i + 1), now, now,
             now)).lastrowid
        nid = con.execute("INSERT INTO needs(action_id, position, item, unit,"
                          " quantity)"
                          " VALUES (?, 0, 'тёплые одеяла', 'шт', 20)",
                          (aid,)).lastrowid
        for kind, need, amount, got in (("time", None, 1, 3),
                                        ("goods", nid, 2, 2)):
            con.execute("INSERT INTO pledges(action_id, user_id, kind,"
                        " need_id, amount, received_amount, status,"
                        " created_at, updated_at, received_at) VALUES"
                        " (?, ?, ?, ?, ?, ?, 'received', ?, ?, ?)",
                        (aid, user, kind, need, amount, got, now, now, now))
    con.execute("COMMIT")
    con.close()


def document_once(n_docs):
    user = 5000
    run = Run({"log_level": "info",
               "site": {"dir": "SITE", "base_url": "https://dobro.example"}})
    try:
        run.bot.config["site"]["dir"] = os.path.join(run.tmp.name, "site")
        with open(run.bot.config_path, "w") as f:
            json.dump(run.bot.config, f, ensure_ascii=False)
        r = run.bot.run_cli("migrate", "--config", run.bot.config_path)
        assert r.returncode == 0, r.stderr
        seed_record(run.bot.db_path, user, 12)
        run.bot.start()
        pid = run.bot.proc.pid
        time.sleep(2.0)
        idle_anon, idle_rss = rss_anon_kib(pid), vm_rss_kib(pid)
        sampler = AnonSampler(pid)
        sampler.start()
        con = sqlite3.connect(run.bot.db_path, timeout=10,
                              isolation_level=None)
        now = int(time.time() * 1000)
        for i in range(n_docs):
            con.execute("INSERT INTO documents(code, kind, user_id, chat_id,"
                        " holder_name, name_chosen, created_at) VALUES"
                        " (?, 'record', ?, ?, 'Анна Сергеевна Белова', 1, ?)",
                        ("".join(random.choice("abcdefghijkmnpqrstuvwxyz23456789")
                                 for _ in range(12)), user, user, now))
        con.close()
        wait_until(lambda: run.bot.query(
            "SELECT count(*) FROM documents WHERE state = 'issued'")[0][0]
            == n_docs, timeout=120, what="documents made")
        time.sleep(0.3)
        sampler.stop = True
        sampler.join()
        made = [(int(b), int(ms)) for b, ms in re.findall(
            r"document \d+ made: (\d+) bytes in (\d+) ms", run.bot.log())]
        assert len(made) == n_docs, run.bot.log()[-2000:]
        return {"ms": statistics.median(ms for _, ms in made),
                "ms_first": made[0][1],
                "bytes": statistics.median(b for b, _ in made),
                "idle_anon": idle_anon, "idle_rss": idle_rss,
                "peak_anon": sampler.peak, "after_rss": vm_rss_kib(pid),
                "hwm": peak_rss_kib(pid)}
    finally:
        run.close()


def vm_rss_kib(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def bench_document(runs, n_docs):
    print("== document: a record of 24 lines (12 actions), %d per run, "
          "%d run(s)" % (n_docs, runs))
    res = [document_once(n_docs) for _ in range(runs)]

    def med(k):
        return statistics.median(r[k] for r in res)
    print("  one document (PDF + QR + verify page + outbox row): median "
          "%.0f ms (the first, loading the fonts: %.0f ms), %.0f KiB PDF"
          % (med("ms"), med("ms_first"), med("bytes") / 1024))
    print("  daemon memory idle: RssAnon %.1f MiB, VmRSS %.1f MiB" % (
        med("idle_anon") / 1024, med("idle_rss") / 1024))
    print("  after making them: RssAnon peak %.1f MiB, VmRSS %.1f MiB, "
          "VmHWM %.1f MiB" % (med("peak_anon") / 1024,
                              med("after_rss") / 1024, med("hwm") / 1024))


def main():
    ap = argparse.ArgumentParser()
    default = ["pipeline", "sender", "broadcast", "site", "document"]
    if shutil.which("node") and shutil.which("npm"):
        default.append("peers")
    ap.add_argument("what", nargs="*", default=default)
    ap.add_argument("--runs", type=int, default=None,
                    help="runs per figure (default 3; broadcast: 1)")
    ap.add_argument("--quick", action="store_true",
                    help="smaller workloads, one run (a smoke test)")
    a = ap.parse_args()
    if a.quick:
        a.runs = 1
    runs = a.runs or 3
    if "pipeline" in a.what:
        bench_pipeline(runs, 2000 if a.quick else 20000)
    if "sender" in a.what:
        bench_sender(runs, 300 if a.quick else 10000)
    if "broadcast" in a.what:
        # About six minutes a run: one unless asked for more.
        bench_broadcast(a.runs or 1, 300 if a.quick else 10000)
    if "site" in a.what:
        bench_site(runs, 100 if a.quick else 1000, 10 if a.quick else 100)
    if "document" in a.what:
        bench_document(runs, 4 if a.quick else 12)
    if "peers" in a.what:
        peers.main(["--runs", str(runs),
                    "--updates", "3000" if a.quick else "30000"])


if __name__ == "__main__":
    main()
