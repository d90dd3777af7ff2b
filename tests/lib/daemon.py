"""Runs build/dobrobot-test (the build with test hooks) against the fake Bot
API in a temporary directory.

Each test gets its own directory, port, database and log; the daemon is a
real process, stopped with SIGTERM or killed with SIGKILL."""

import json
import os
import signal
import sqlite3
import subprocess
import tempfile
import time
import unittest

from lib.fakeapi import FakeApi

TOKEN = "123456789:TESTtoken-abcdefghijklmnopqrstuvwxyz_01"


def dobrobot_bin():
    """The test build: build/dobrobot with the hooks tests set through the
    environment (DOBROBOT_TEST_CRASH_ON, DOBROBOT_CLOCK_OFFSET_FILE)."""
    return os.environ.get("DOBROBOT_BIN",
                          os.path.abspath("build/dobrobot-test"))


def release_bin():
    """What make install and the Dockerfile ship: no test hooks."""
    return os.environ.get("DOBROBOT_RELEASE_BIN",
                          os.path.abspath("build/dobrobot"))


class Daemon:
    def __init__(self, workdir, api_base, config=None, token=TOKEN, env=None):
        self.workdir = workdir
        self.db_path = os.path.join(workdir, "data", "dobrobot.db")
        self.config_path = os.path.join(workdir, "dobrobot.json")
        self.log_path = os.path.join(workdir, "dobrobot.log")
        self.token = token
        self.extra_env = env or {}
        self.proc = None
        self.runs = 0
        self.binary = None  # None: dobrobot_bin(), the test build
        cfg = {
            "api_base": api_base,
            "db_path": self.db_path,
            "poll_timeout_s": 5,
            "log_level": "info",
            "admins": [1],
            "limits": {"global_per_s": 1000, "chat_per_s": 100,
                       "chat_burst": 100, "group_per_min": 1000,
                       "max_in_flight": 16},
        }
        for k, v in (config or {}).items():
            if isinstance(v, dict) and isinstance(cfg.get(k), dict):
                cfg[k] = {**cfg[k], **v}
            else:
                cfg[k] = v
        self.config = cfg
        with open(self.config_path, "w") as f:
            json.dump(cfg, f, ensure_ascii=False)

    def env(self):
        env = dict(os.environ)
        env.update(self.extra_env)
        if self.token is not None:
            env["DOBROBOT_TOKEN"] = self.token
        return env

    def start(self):
        self.runs += 1
        log = open(self.log_path, "a")
        log.write("=== run %d\n" % self.runs)
        log.flush()
        self.proc = subprocess.Popen(
            [self.binary or dobrobot_bin(), "run", "--config",
             self.config_path],
            stdout=log, stderr=log, env=self.env())
        log.close()
        return self

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self, timeout=15):
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            rc = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            rc = self.proc.wait()
            raise AssertionError("dobrobot did not stop within %d s" % timeout)
        self.proc = None
        return rc

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()
        self.proc = None

    def wait_exit(self, timeout=20):
        rc = self.proc.wait(timeout)
        self.proc = None
        return rc

    def run_cli(self, *args, env=None, timeout=30):
        e = self.env()
        if env:
            e.update(env)
        return subprocess.run([dobrobot_bin(), *args], env=e,
                              capture_output=True, text=True, timeout=timeout)

    def log(self):
        if not os.path.exists(self.log_path):
            return ""
        with open(self.log_path, encoding="utf-8", errors="replace") as f:
            return f.read()

    def db(self):
        con = sqlite3.connect("file:%s?mode=ro" % self.db_path, uri=True,
                              timeout=10)
        con.row_factory = sqlite3.Row
        return con

    def query(self, sql, *args):
        con = self.db()
        try:
            return [tuple(r) for r in con.execute(sql, args).fetchall()]
        finally:
            con.close()


# What must never be written anywhere: the token's secret part.
TOKEN_SECRET = TOKEN.split(":", 1)[1]


def files_holding(root, secret):
    """Files under root whose bytes contain secret, except those a test
    wrote on purpose to hold a token (their name says "token")."""
    needle = secret.encode()
    found = []
    for d, _, names in os.walk(root):
        for name in names:
            path = os.path.join(d, name)
            if "token" in name or os.path.islink(path):
                continue
            try:
                with open(path, "rb") as f:
                    if needle in f.read():
                        found.append(path)
            except OSError:
                pass
    return found


def wait_until(predicate, timeout=20, interval=0.05, what="condition"):
    deadline = time.time() + timeout
    while time.time() < deadline:
        v = predicate()
        if v:
            return v
        time.sleep(interval)
    raise AssertionError("timed out after %.0f s waiting for %s" % (timeout, what))


class BotTestCase(unittest.TestCase):
    """A fake Bot API server and a dobrobot configured against it."""

    config = None  # overrides, per test class

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="dobrobot-test-")
        self.fake = FakeApi.start(token=TOKEN)
        self.bot = Daemon(self.tmp.name, self.fake.base_url, self.config)

    def tearDown(self):
        try:
            if self.bot.alive():
                rc = self.bot.stop()
                self.assertEqual(rc, 0, "dobrobot exit status\n" + self.bot.log())
            self.assertNotIn("AddressSanitizer", self.bot.log())
            self.assertNotIn("runtime error", self.bot.log())
            self.assertNotIn("LeakSanitizer", self.bot.log())
            # The token never reaches a file: not the log, the database,
            # its WAL, a backup, an export (DESIGN invariant 7).
            self.assertEqual(files_holding(self.tmp.name, TOKEN_SECRET), [],
                             "the Bot API token was written to a file")
        finally:
            self.fake.stop()
            if os.environ.get("KEEP_TMP"):
                print("kept", self.tmp.name)
            else:
                self.tmp.cleanup()

    def replies(self, chat_id=None, method="sendMessage"):
        out = []
        for s in self.fake.sent(method=method):
            # Delivered: answered 200, or processed and then cut off
            # (drop_after); a "malformed" 200 was not processed.
            if s["status"] != 200 or s.get("fault") not in (None, "drop_after"):
                continue
            if chat_id is not None and s["params"].get("chat_id") != chat_id:
                continue
            out.append(s)
        return out

    def wait_replies(self, n, chat_id=None, timeout=20):
        return wait_until(lambda: (lambda r: r if len(r) >= n else None)(
            self.replies(chat_id)), timeout, what="%d replies" % n)

    def say(self, user_id, text, n=1, chat_id=None, **kw):
        """Sends a message (in the private chat unless chat_id is given)
        and waits for n replies in that chat; returns their texts.
        ActionsCase (lib/actionkit.py) has a say of its own that only
        queues."""
        where = chat_id if chat_id is not None else user_id
        before = len(self.replies(chat_id=where))
        self.fake.send_text(user_id, text, chat_id=chat_id, **kw)
        got = self.wait_replies(before + n, chat_id=where)
        return [r["params"]["text"] for r in got[before:]]
