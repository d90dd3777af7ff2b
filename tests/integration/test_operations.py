"""The operator's side (issue 9): `dobrobot status`, `backup`,
`dead-letters`, upgrading an old database, the systemd unit and the image.

Class names start with "Operations" so that `make integration
TESTS=Operations` picks them all."""

import json
import os
import re
import shutil
import sqlite3
import subprocess
import time
import unittest

from lib.daemon import (TOKEN, BotTestCase, Daemon, dobrobot_bin,
                        release_bin, wait_until)
from lib.fakeapi import FakeApi

BOT = "dobro_test_bot"
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# Migration 1 exactly as it shipped (src/store/migrations.c): a database
# written by the first release, to upgrade.
SCHEMA_1 = [
    "CREATE TABLE bot_state (key TEXT PRIMARY KEY, value TEXT NOT NULL)"
    " WITHOUT ROWID;",
    "CREATE TABLE users (id INTEGER PRIMARY KEY, first_name TEXT,"
    " last_name TEXT, username TEXT, language TEXT,"
    " role TEXT NOT NULL DEFAULT 'citizen'"
    "   CHECK (role IN ('citizen', 'organiser', 'admin')),"
    " blocked INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL,"
    " updated_at INTEGER NOT NULL);",
    "CREATE TABLE chats (id INTEGER PRIMARY KEY, type TEXT NOT NULL,"
    " title TEXT, is_leaders_group INTEGER NOT NULL DEFAULT 0,"
    " active INTEGER NOT NULL DEFAULT 1, migrated_to INTEGER,"
    " created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);",
    "CREATE TABLE processed_updates (update_id INTEGER PRIMARY KEY,"
    " processed_at INTEGER NOT NULL);",
    "CREATE INDEX processed_updates_at ON processed_updates(processed_at);",
    "CREATE TABLE outbox (id INTEGER PRIMARY KEY, chat_id INTEGER NOT NULL,"
    " method TEXT NOT NULL, payload TEXT NOT NULL, kind TEXT NOT NULL,"
    " priority INTEGER NOT NULL, not_before INTEGER NOT NULL DEFAULT 0,"
    " state TEXT NOT NULL DEFAULT 'pending'"
    "   CHECK (state IN ('pending', 'sending', 'sent', 'failed', 'cancelled')),"
    " attempts INTEGER NOT NULL DEFAULT 0,"
    " uncertain INTEGER NOT NULL DEFAULT 0, coalesce_key TEXT,"
    " ref_type TEXT, ref_id INTEGER, update_id INTEGER, message_id INTEGER,"
    " last_error TEXT, created_at INTEGER NOT NULL, sent_at INTEGER);",
    "CREATE INDEX outbox_pending ON outbox(chat_id, id) WHERE state = 'pending';",
    "CREATE INDEX outbox_sending ON outbox(state) WHERE state = 'sending';",
    "CREATE UNIQUE INDEX outbox_coalesce ON outbox(coalesce_key)"
    " WHERE state = 'pending' AND coalesce_key IS NOT NULL;",
    "CREATE INDEX outbox_ref ON outbox(ref_type, ref_id);",
    "CREATE TABLE dead_letters (id INTEGER PRIMARY KEY, update_id INTEGER,"
    " raw TEXT NOT NULL, error TEXT NOT NULL, created_at INTEGER NOT NULL,"
    " replayed_at INTEGER);",
]


def table_rows(path, skip=None):
    """Every table's rows, sorted: {table: [row, ...]}. `skip(table, row)`
    drops rows that legitimately differ."""
    con = sqlite3.connect("file:%s?mode=ro" % path, uri=True, timeout=10)
    try:
        tables = [r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'"
            " AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        out = {}
        for t in tables:
            rows = con.execute('SELECT * FROM "%s"' % t).fetchall()
            out[t] = sorted((r for r in rows if not (skip and skip(t, r))),
                            key=repr)
        return out
    finally:
        con.close()


def not_heartbeat(table, row):
    return table == "bot_state" and row[0] == "heartbeat"


class OperationsCase(BotTestCase):
    def cli(self, *args, env=None):
        r = self.bot.run_cli(*args, "--config", self.bot.config_path, env=env)
        self.assertNotIn("Sanitizer", r.stderr)
        self.assertNotIn("runtime error", r.stderr)
        return r

    def wait_heartbeat(self):
        wait_until(lambda: os.path.exists(self.bot.db_path) and self.bot.query(
            "SELECT 1 FROM sqlite_master WHERE name = 'bot_state'") and
            self.bot.query("SELECT value FROM bot_state WHERE key = 'heartbeat'"),
            what="the first heartbeat")

    def rw(self):
        con = sqlite3.connect(self.bot.db_path, timeout=10)
        con.execute("PRAGMA busy_timeout = 10000")
        return con


class OperationsStatus(OperationsCase):
    def test_alive_then_dead(self):
        offset_file = os.path.join(self.tmp.name, "clock-offset")
        with open(offset_file, "w") as f:
            f.write("0")
        clock = {"DOBROBOT_CLOCK_OFFSET_FILE": offset_file}

        r = self.cli("status")
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertIn("no database", r.stderr)
        self.assertFalse(os.path.exists(self.bot.db_path),
                         "status must not create the database")

        self.bot.extra_env.update(clock)
        self.bot.start()
        self.wait_heartbeat()
        self.fake.send_text(801, "/start")
        self.wait_replies(1, chat_id=801)
        wait_until(lambda: self.bot.query(
            "SELECT count(*) FROM outbox WHERE state != 'sent'") == [(0,)],
            what="the reply recorded as sent")
        with self.rw() as con:
            con.execute(
                "INSERT INTO broadcasts(author_id, audience, from_chat_id,"
                " message_id, total, delivered, blocked, failed, status,"
                " created_at) VALUES (1, 'subscribers', 1, 1, 10, 3, 1, 0,"
                " 'sending', ?)", (int(time.time() * 1000),))
            con.execute(
                "INSERT INTO dead_letters(update_id, raw, error, created_at)"
                " VALUES (5, '{}', 'boom', 0)")
        con.close()

        r = self.cli("status", env=clock)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        out = r.stdout
        print("\n" + out)
        self.assertRegex(out, r"dobrobot is running: last heartbeat \d+ s ago")
        self.assertIn("@" + BOT, out)
        last = self.bot.query(
            "SELECT value FROM bot_state WHERE key = 'last_update_id'")[0][0]
        self.assertIn("last update:   %s" % last, out)
        self.assertRegex(out, r"database: +%s, schema \d+, [\d.]+ (KiB|bytes)"
                         % re.escape(self.bot.db_path))
        self.assertRegex(out, r"\n  kind +pending +sending +sent +failed +cancelled\n")
        self.assertRegex(out, r"\n  reply +0 +0 +[1-9]\d* +0 +0\n")
        self.assertIn("#1 to subscribers: 3 of 10 delivered, 1 blocked, "
                      "0 failed", out)
        self.assertIn("dead letters:  1 waiting", out)

        r = self.cli("status", "--quiet", env=clock)
        self.assertEqual((r.returncode, r.stdout, r.stderr), (0, "", ""))

        # Stopped: the heartbeat is still fresh for a while...
        self.assertEqual(self.bot.stop(), 0)
        self.assertEqual(self.cli("status", "--quiet", env=clock).returncode, 0)
        # ...and a minute later (the clock moved on two) it is stale.
        with open(offset_file, "w") as f:
            f.write("120")
        r = self.cli("status", env=clock)
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertRegex(r.stdout, r"NOT running: the last heartbeat was 1[12]\d s ago")
        r = self.cli("status", "--quiet", env=clock)
        self.assertEqual((r.returncode, r.stdout, r.stderr), (1, "", ""))

    def test_usage_and_help(self):
        for args, rc in [(("status", "--help"), 0), (("backup", "--help"), 0),
                         (("dead-letters", "--help"), 0),
                         (("status", "--loud"), 2), (("backup",), 2),
                         (("backup", "a", "b"), 2),
                         (("dead-letters", "show"), 2),
                         (("dead-letters", "show", "x"), 2),
                         (("dead-letters", "replay"), 2),
                         (("dead-letters", "frob"), 2),
                         (("migrate", "extra"), 2)]:
            r = self.cli(*args)
            self.assertEqual(r.returncode, rc, (args, r.stdout, r.stderr))
        self.assertIn("usage: dobrobot backup FILE",
                      self.cli("backup", "--help").stdout)
        # A bad configuration is a usage error for every command.
        r = self.bot.run_cli("status", "--config", "/nonexistent.json")
        self.assertEqual(r.returncode, 2)
        # $DOBROBOT_CONFIG names the configuration; --config wins.
        self.assertEqual(self.bot.run_cli("migrate", env={
            "DOBROBOT_CONFIG": self.bot.config_path}).returncode, 0)
        r = self.bot.run_cli("status", "--config", "/nonexistent.json",
                             env={"DOBROBOT_CONFIG": self.bot.config_path})
        self.assertEqual(r.returncode, 2)

    def test_old_database_is_reported_not_migrated(self):
        os.makedirs(os.path.dirname(self.bot.db_path), mode=0o700)
        con = sqlite3.connect(self.bot.db_path)
        for sql in SCHEMA_1:
            con.execute(sql)
        con.execute("PRAGMA user_version = 1")
        con.commit()
        con.close()
        for args in (("status",), ("dead-letters", "list")):
            r = self.cli(*args)
            self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
            self.assertIn("is at schema 1", r.stderr)
        self.assertEqual(self.bot.query("PRAGMA user_version"), [(1,)])
        self.assertFalse(os.path.exists(self.bot.db_path + ".bak-v1"))


def unknown_commands(fake, users, per_user, start):
    return [fake.message(900 + (n % users), "/u%d" % n)
            for n in range(start, start + users * per_user)]


class OperationsBackup(OperationsCase):
    def snapshot_is_consistent(self, path):
        """A backup is the database as of one commit: every processed update
        has its reply row, and last_update_id is the newest of them."""
        con = sqlite3.connect("file:%s?mode=ro" % path, uri=True)
        try:
            self.assertEqual(con.execute("PRAGMA integrity_check").fetchone(),
                             ("ok",))
            processed = {r[0] for r in con.execute(
                "SELECT update_id FROM processed_updates")}
            replied = {r[0] for r in con.execute(
                "SELECT update_id FROM outbox WHERE kind = 'reply'")}
            self.assertEqual(processed, replied)
            last = con.execute("SELECT value FROM bot_state"
                               " WHERE key = 'last_update_id'").fetchone()
            if processed:
                self.assertEqual(int(last[0]), max(processed))
            return len(processed)
        finally:
            con.close()

    def test_backup_while_running_and_restore(self):
        # Sends take 20 ms each, so that the sender is writing while the
        # copies are taken.
        self.fake.faults(latency_ms=20)
        self.bot.start()
        self.wait_heartbeat()
        copies = []
        for chunk in range(3):
            self.fake.queue(unknown_commands(self.fake, 20, 5, chunk * 100))
            wait_until(lambda: self.bot.query(
                "SELECT count(*) FROM processed_updates")[0][0] > chunk * 100,
                what="chunk %d processed" % chunk)
            path = os.path.join(self.tmp.name, "copy-%d.db" % chunk)
            r = self.cli("backup", path)
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
            self.assertIn("integrity check ok", r.stdout)
            self.assertEqual(os.stat(path).st_mode & 0o777, 0o600)
            copies.append(path)
        self.wait_replies(300, timeout=60)
        wait_until(lambda: self.bot.query(
            "SELECT count(*) FROM outbox WHERE state != 'sent'") == [(0,)],
            what="outbox drained")
        counts = [self.snapshot_is_consistent(p) for p in copies]
        sent = [sqlite3.connect(p).execute(
            "SELECT count(*) FROM outbox WHERE state = 'sent'").fetchone()[0]
            for p in copies]
        print("\n  copies taken while running: %s updates processed, %s sent "
              "(finally 300, 300)" % (counts, sent))
        # The first copy was taken before the second chunk even existed.
        self.assertLessEqual(counts[0], 100)
        self.assertLess(sent[0], 300)

        # Idle but running: a copy equals the original, row by row.
        final = os.path.join(self.tmp.name, "final.db")
        self.assertEqual(self.cli("backup", final).returncode, 0)
        self.assertEqual(self.bot.stop(), 0)
        original = table_rows(self.bot.db_path, not_heartbeat)
        copy = table_rows(final, not_heartbeat)
        self.assertEqual(sorted(copy), sorted(original))
        for table in original:
            self.assertEqual(copy[table], original[table], table)
        self.assertGreaterEqual(len(copy["outbox"]), 300)
        # One self-contained file: no -wal beside it, rollback journal mode.
        self.assertFalse(os.path.exists(final + "-wal"))
        with open(final, "rb") as f:
            self.assertEqual(f.read(20)[18:20], b"\x01\x01")

        # Restore: a new daemon on the copy starts, knows the users and does
        # not answer old updates again.
        os.makedirs(os.path.join(self.tmp.name, "restored"))
        other = Daemon(os.path.join(self.tmp.name, "restored"),
                       self.fake.base_url)
        os.makedirs(os.path.dirname(other.db_path), mode=0o700)
        shutil.copy(final, other.db_path)
        before = len(self.replies())
        other.start()
        try:
            self.fake.send_text(901, "/start")
            wait_until(lambda: len(self.replies()) > before, what="a reply")
            time.sleep(0.3)
            [new] = self.replies()[before:]
            self.assertEqual(new["params"]["chat_id"], 901)
            self.assertEqual(other.query("SELECT count(*) FROM users"), [(20,)])
        finally:
            self.assertEqual(other.stop(), 0)

    def test_refuses_to_overwrite(self):
        self.assertEqual(self.cli("backup", os.path.join(
            self.tmp.name, "x.db")).returncode, 1, "no database yet")
        self.assertEqual(self.bot.run_cli(
            "migrate", "--config", self.bot.config_path).returncode, 0)
        existing = os.path.join(self.tmp.name, "yesterday.db")
        with open(existing, "w") as f:
            f.write("yesterday's good backup")
        r = self.cli("backup", existing)
        self.assertEqual(r.returncode, 1)
        self.assertIn("already exists", r.stderr)
        with open(existing) as f:
            self.assertEqual(f.read(), "yesterday's good backup")
        r = self.cli("backup", os.path.join(self.tmp.name, "no", "such", "dir.db"))
        self.assertEqual(r.returncode, 1)
        self.assertIn("cannot create", r.stderr)


class OperationsDeadLetters(OperationsCase):
    def insert_letter(self, update, error="database is locked"):
        with self.rw() as con:
            cur = con.execute(
                "INSERT INTO dead_letters(update_id, raw, error, created_at)"
                " VALUES (?, ?, ?, ?)",
                (update["update_id"], json.dumps(update, ensure_ascii=False),
                 error, int(time.time() * 1000)))
            rowid = cur.lastrowid
        con.close()
        return rowid

    def valid_update(self, user_id, text, update_id):
        u = self.fake.message(user_id, text)
        u["update_id"] = update_id
        u["message"]["message_id"] = 77
        u["message"]["date"] = int(time.time())
        return u

    def test_replay_a_transient_failure(self):
        self.bot.start()
        self.fake.send_text(701, "/start")
        self.wait_replies(1, chat_id=701)
        last = self.bot.query(
            "SELECT value FROM bot_state WHERE key = 'last_update_id'")
        # A valid update that failed for a reason since gone (say, a locked
        # database): what a dead letter worth replaying looks like.
        letter = self.insert_letter(self.valid_update(702, "/start", 990001))

        r = self.cli("dead-letters")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertRegex(r.stdout, r"\n%d +990001 .* message from 702 +database "
                         "is locked" % letter)
        r = self.cli("dead-letters", "show", str(letter))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("replayed:  no", r.stdout)
        self.assertIn('"text": "/start"', r.stdout)
        self.assertIn('\n  "update_id": 990001\n', r.stdout)
        self.assertIn("dead letters:  1 waiting", self.cli("status").stdout)

        r = self.cli("dead-letters", "replay", str(letter))
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("dead letter %d (update 990001): replayed" % letter, r.stdout)
        self.assertIn("the running daemon sends them", r.stdout)
        [reply] = self.wait_replies(1, chat_id=702)
        self.assertIn("Здравствуйте, Иван!", reply["params"]["text"])
        [(replayed_at,)] = self.bot.query(
            "SELECT replayed_at FROM dead_letters WHERE id = ?", letter)
        self.assertIsNotNone(replayed_at)
        self.assertEqual(self.bot.query(
            "SELECT id FROM users WHERE id = 702"), [(702,)])
        # The replay went around the dedup set and left the offset alone.
        self.assertEqual(self.bot.query(
            "SELECT count(*) FROM processed_updates WHERE update_id = 990001"),
            [(0,)])
        self.assertEqual(self.bot.query(
            "SELECT value FROM bot_state WHERE key = 'last_update_id'"), last)

        self.assertIn("no dead letters waiting", self.cli("dead-letters").stdout)
        self.assertIn("(replayed)", self.cli("dead-letters", "list", "--all").stdout)
        r = self.cli("dead-letters", "replay", str(letter))
        self.assertEqual(r.returncode, 1)
        self.assertIn("already replayed", r.stderr)
        r = self.cli("dead-letters", "show", "999")
        self.assertEqual(r.returncode, 1)

        # With the daemon stopped the replies wait in the outbox.
        self.assertEqual(self.bot.stop(), 0)
        self.insert_letter(self.valid_update(703, "/help", 990002))
        # Two minutes later, so that the last heartbeat is stale.
        offset_file = os.path.join(self.tmp.name, "clock-offset")
        with open(offset_file, "w") as f:
            f.write("120")
        r = self.cli("dead-letters", "replay", "--all",
                     env={"DOBROBOT_CLOCK_OFFSET_FILE": offset_file})
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("replayed 1, 0 failed again", r.stdout)
        self.assertIn("the daemon is not running", r.stdout)
        self.assertEqual(self.replies(chat_id=703), [])
        self.bot.start()
        [reply] = self.wait_replies(1, chat_id=703)
        self.assertIn("/start", reply["params"]["text"])

    def test_replay_of_a_poison_update_keeps_it(self):
        self.bot.start()
        bad = self.fake.message(603, "/start")
        bad["message"]["from"]["id"] = "not-a-number"
        self.fake.queue([bad])
        [apology] = self.wait_replies(1, chat_id=603)
        self.assertIn("Простите", apology["params"]["text"])
        [(letter,)] = self.bot.query("SELECT id FROM dead_letters")
        self.assertIn('message from "not-a-number"', self.cli("dead-letters").stdout)

        r = self.cli("dead-letters", "replay", str(letter))
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertRegex(r.stderr, r"dead letter %d \(update \d+\) failed again: "
                         r".*malformed sender.*; it stays in the list" % letter)
        r = self.cli("dead-letters", "replay", "--all")
        self.assertEqual(r.returncode, 1)
        self.assertIn("replayed 0, 1 failed again", r.stdout)

        [(error, replayed_at)] = self.bot.query(
            "SELECT error, replayed_at FROM dead_letters WHERE id = ?", letter)
        self.assertIsNone(replayed_at)
        lines = error.split("\n")
        self.assertEqual(len(lines), 3, error)
        self.assertIn("malformed sender", lines[0])
        self.assertRegex(lines[1], r"^replay \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC: "
                         ".*malformed sender")
        self.assertIn("1 waiting", self.cli("status").stdout)
        # Still one letter, and no second apology.
        time.sleep(1.5)
        self.assertEqual(self.bot.query("SELECT count(*) FROM dead_letters"), [(1,)])
        self.assertEqual(len(self.replies(chat_id=603)), 1)
        r = self.cli("dead-letters", "show", str(letter))
        self.assertIn("    replay ", r.stdout)


class OperationsMigrate(OperationsCase):
    def test_schema_1_is_upgraded_with_a_backup(self):
        os.makedirs(os.path.join(self.tmp.name, "fresh"))
        fresh = Daemon(os.path.join(self.tmp.name, "fresh"), self.fake.base_url)
        self.assertEqual(fresh.run_cli(
            "migrate", "--config", fresh.config_path).returncode, 0)
        [(current,)] = fresh.query("PRAGMA user_version")
        self.assertGreater(current, 1)

        os.makedirs(os.path.dirname(self.bot.db_path), mode=0o700)
        con = sqlite3.connect(self.bot.db_path)
        for sql in SCHEMA_1:
            con.execute(sql)
        con.execute("INSERT INTO users(id, first_name, language, created_at,"
                    " updated_at) VALUES (42, 'Мария', 'ru', 1, 1)")
        con.execute("INSERT INTO bot_state VALUES ('last_update_id', '1000')")
        con.execute("PRAGMA user_version = 1")
        con.commit()
        con.close()
        os.chmod(self.bot.db_path, 0o600)

        r = self.cli("migrate")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("is at schema %d" % current, r.stdout)
        self.assertEqual(self.bot.query("PRAGMA user_version"), [(current,)])
        self.assertEqual(self.bot.query("SELECT id, first_name, role FROM users"),
                         [(42, "Мария", "citizen")])
        # The schema is the one a new database gets: the same tables,
        # columns and triggers. When this fails, a migration that had
        # shipped was edited (databases made before the edit never get the
        # change): the change belongs in a new migration. A missing index
        # costs only speed: it is reported, not failed.
        def schema(db, kinds):
            return set(db.query("SELECT type, name FROM sqlite_master WHERE"
                                " name NOT LIKE 'sqlite_%%' AND type IN (%s)"
                                % ",".join("'%s'" % k for k in kinds)))
        upgraded = schema(self.bot, ("table", "trigger", "view"))
        new = schema(fresh, ("table", "trigger", "view"))
        self.assertEqual(upgraded, new, "only in an upgraded database: %s; "
                         "only in a new one: %s (was a shipped migration "
                         "edited?)" % (sorted(upgraded - new),
                                       sorted(new - upgraded)))
        def columns(db, table):
            return db.query("SELECT name, type, \"notnull\", dflt_value, pk"
                            " FROM pragma_table_info(?)", table)
        for (kind, name) in new:
            if kind == "table":
                self.assertEqual(columns(self.bot, name), columns(fresh, name),
                                 name)
        missing = schema(fresh, ("index",)) - schema(self.bot, ("index",))
        if missing:
            print("\n  WARNING: indexes a new database has and an upgraded "
                  "one lacks (a shipped migration was edited; move them to "
                  "a new migration): %s" % sorted(n for _, n in missing))

        bak = self.bot.db_path + ".bak-v1"
        self.assertTrue(os.path.exists(bak))
        self.assertEqual(os.stat(bak).st_mode & 0o777, 0o600)
        con = sqlite3.connect("file:%s?mode=ro" % bak, uri=True)
        try:
            self.assertEqual(con.execute("PRAGMA integrity_check").fetchone(),
                             ("ok",))
            self.assertEqual(con.execute("PRAGMA user_version").fetchone(), (1,))
            self.assertEqual(con.execute("SELECT id FROM users").fetchall(),
                             [(42,)])
            tables = {r[0] for r in con.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'")}
            self.assertEqual(tables, {"bot_state", "users", "chats",
                                      "processed_updates", "outbox",
                                      "dead_letters"})
        finally:
            con.close()

        # And the upgraded database runs, with the person it knew.
        self.bot.start()
        self.fake.send_text(42, "/start", first_name="Мария")
        [r] = self.wait_replies(1, chat_id=42)
        self.assertIn("Мария", r["params"]["text"])
        self.assertEqual(self.bot.query(
            "SELECT created_at FROM users WHERE id = 42"), [(1,)])


class OperationsPackaging(unittest.TestCase):
    def test_systemd_unit_verifies(self):
        unit = os.path.join(REPO, "config", "dobrobot.service")
        with open(unit) as f:
            text = f.read()
        for line in ["Restart=on-failure", "DynamicUser=yes",
                     "StateDirectory=dobrobot",
                     "EnvironmentFile=/etc/dobrobot/token.env",
                     "NoNewPrivileges=yes", "ProtectSystem=strict",
                     "ProtectHome=yes", "PrivateTmp=yes", "PrivateDevices=yes",
                     "ProtectKernelTunables=yes",
                     "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX",
                     "SystemCallFilter=@system-service",
                     "MemoryDenyWriteExecute=yes", "LockPersonality=yes",
                     "CapabilityBoundingSet=\n",
                     "ExecStart=/usr/local/bin/dobrobot run --config "
                     "/etc/dobrobot/dobrobot.json"]:
            self.assertIn(line, text)
        analyze = shutil.which("systemd-analyze")
        if analyze is None or not os.path.isdir("/lib/systemd/system"):
            self.skipTest("systemd-analyze is not installed here: the unit "
                          "was checked as text only (apt-get install systemd "
                          "to verify it)")
        # `verify` wants ExecStart's binary and the standard units to exist:
        # give it a root holding them, the unit, and the built binary.
        import tempfile
        with tempfile.TemporaryDirectory(prefix="dobrobot-unit-") as root:
            os.makedirs(os.path.join(root, "usr/local/bin"))
            os.makedirs(os.path.join(root, "etc/systemd/system"))
            os.makedirs(os.path.join(root, "usr/lib/systemd"))
            shutil.copytree("/lib/systemd/system",
                            os.path.join(root, "usr/lib/systemd/system"),
                            symlinks=True)
            # What make install ships, under the name ExecStart uses.
            shutil.copy(release_bin(),
                        os.path.join(root, "usr/local/bin/dobrobot"))
            shutil.copy(unit, os.path.join(root, "etc/systemd/system"))
            r = subprocess.run([analyze, "verify", "--man=no", "--root=" + root,
                                "dobrobot.service"],
                               capture_output=True, text=True, timeout=60)
            # Parse problems are printed as warnings with status 0.
            self.assertEqual((r.returncode, r.stdout + r.stderr), (0, ""))
            r = subprocess.run([analyze, "security", "--offline=yes",
                                "--root=" + root, "dobrobot.service"],
                               capture_output=True, text=True, timeout=60)
            m = re.search(r"Overall exposure level for dobrobot.service: "
                          r"([\d.]+)", r.stdout + r.stderr)
            self.assertIsNotNone(m, r.stdout + r.stderr)
            print("\n  systemd-analyze verify: clean; security exposure %s "
                  "(0 best, 10 worst)" % m.group(1))
            self.assertLess(float(m.group(1)), 2.0)

    def test_example_config_is_valid(self):
        # The image's configuration is the example with db_path changed;
        # the Dockerfile checks it too, but a broken example should show
        # here first.
        r = subprocess.run([dobrobot_bin(), "check-config", "--config",
                            os.path.join(REPO, "config",
                                         "dobrobot.example.json")],
                           capture_output=True, text=True, timeout=30)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("configuration OK", r.stdout)

    def test_dockerfile_shape(self):
        with open(os.path.join(REPO, "Dockerfile")) as f:
            text = f.read()
        froms = re.findall(r"^FROM (\S+)", text, re.M)
        self.assertEqual(froms, ["debian:bookworm-slim", "debian:bookworm-slim"])
        runtime = text.split("\nFROM ")[-1]
        for pkg in ["libcurl4", "libjansson4", "libsqlite3-0",
                    "ca-certificates", "tzdata"]:
            self.assertIn(pkg, runtime)
        self.assertNotIn("-dev", runtime)
        self.assertRegex(runtime, r"\nUSER dobrobot\n")
        self.assertIn('VOLUME ["/data"]', runtime)
        self.assertIn('ENTRYPOINT ["dobrobot"]', runtime)
        self.assertIn("STOPSIGNAL SIGTERM", runtime)
        self.assertRegex(runtime, r'HEALTHCHECK [^\n]*\\\n\s+CMD \["dobrobot", '
                         r'"status", "--quiet", "--config"')
        with open(os.path.join(REPO, ".dockerignore")) as f:
            ignored = f.read().split()
        self.assertIn("build", ignored)
        self.assertIn(".git", ignored)


@unittest.skipUnless(os.environ.get("DOBROBOT_DOCKER_IMAGE"),
                     "the image scenario runs from `make docker-check` (it "
                     "needs the image built by check-dockerfile.sh)")
class OperationsDocker(unittest.TestCase):
    """The built image against the fake Bot API on the host: it answers,
    its HEALTHCHECK passes, and SIGTERM stops it cleanly."""

    def podman(self, *args, check=True, timeout=120):
        r = subprocess.run(["podman", *args], env=self.env, capture_output=True,
                           text=True, timeout=timeout)
        if check:
            self.assertEqual(r.returncode, 0, "podman %s: %s%s" % (
                " ".join(args), r.stdout, r.stderr))
        return r

    def setUp(self):
        work = os.environ.get("DOCKCHECK_WORK", "/var/tmp/dockcheck")
        self.image = os.environ["DOBROBOT_DOCKER_IMAGE"]
        self.env = dict(os.environ,
                        CONTAINERS_CONF=os.path.join(work, "containers.conf"),
                        CONTAINERS_STORAGE_CONF=os.path.join(work, "storage.conf"),
                        TMPDIR=os.path.join(work, "tmp"))
        self.name = "dobrobot-check-%d" % os.getpid()
        self.volume = self.name + "-data"
        self.fake = FakeApi.start(token=TOKEN)
        import tempfile
        self.tmp = tempfile.TemporaryDirectory(prefix="dobrobot-docker-")

    def tearDown(self):
        self.podman("rm", "-f", self.name, check=False)
        self.podman("volume", "rm", "-f", self.volume, check=False)
        self.fake.stop()
        self.tmp.cleanup()

    def test_image_runs_answers_and_stops(self):
        image = json.loads(self.podman("image", "inspect", self.image).stdout)[0]
        # podman shows the healthcheck beside Config, docker inside it. An
        # image in podman's default OCI format has none: build it with
        # BUILDAH_FORMAT=docker, as `make docker-check` does.
        health = image.get("Healthcheck") or image["Config"].get("Healthcheck")
        self.assertIsNotNone(health, "no HEALTHCHECK: an OCI-format image?")
        self.assertEqual(health["Test"],
                         ["CMD", "dobrobot", "status", "--quiet", "--config",
                          "/etc/dobrobot/dobrobot.json"])
        self.assertEqual(image["Config"]["StopSignal"], "SIGTERM")
        with open(os.path.join(REPO, "config", "dobrobot.example.json")) as f:
            cfg = json.load(f)
        cfg.update({"api_base": self.fake.base_url, "db_path": "/data/dobrobot.db",
                    "poll_timeout_s": 5})
        config = os.path.join(self.tmp.name, "dobrobot.json")
        with open(config, "w") as f:
            json.dump(cfg, f, ensure_ascii=False)
        os.chmod(config, 0o644)
        os.chmod(self.tmp.name, 0o755)
        self.podman("run", "-d", "--name", self.name, "-e",
                    "DOBROBOT_TOKEN=" + TOKEN, "-v", self.volume + ":/data",
                    "-v", config + ":/etc/dobrobot/dobrobot.json:ro", self.image)
        self.fake.send_text(811, "/start")
        wait_until(lambda: any(s["params"].get("chat_id") == 811
                               for s in self.fake.sent(method="sendMessage")),
                   timeout=30, what="the container's reply")
        status = lambda: self.podman("exec", self.name, "dobrobot", "status",
                                     "--config", "/etc/dobrobot/dobrobot.json",
                                     check=False)
        r = wait_until(lambda: (lambda r: r if r.returncode == 0 else None)(
            status()), timeout=20, what="status 0")
        print("\n" + r.stdout)
        self.assertIn("dobrobot is running", r.stdout)
        # The HEALTHCHECK the image declares, run once by hand.
        r = self.podman("healthcheck", "run", self.name, check=False)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        inspect = json.loads(self.podman("inspect", self.name).stdout)[0]
        self.assertEqual(inspect["Config"]["User"], "dobrobot")
        t = time.time()
        self.podman("stop", "-t", "20", self.name)
        took = time.time() - t
        inspect = json.loads(self.podman("inspect", self.name).stdout)[0]
        self.assertEqual(inspect["State"]["ExitCode"], 0)
        self.assertLess(took, 10)
        logs = self.podman("logs", self.name)
        log = logs.stdout + logs.stderr
        self.assertIn("started as @" + BOT, log)
        self.assertIn("stopped", log)
        self.assertNotIn(TOKEN.split(":")[1], log)
        print("  SIGTERM: stopped in %.1f s, exit 0" % took)
