"""The walking skeleton against the fake Bot API: every update answered
exactly once, through crashes, faults and poison."""

import json
import os
import random
import re
import signal
import subprocess
import time

from lib.daemon import TOKEN, BotTestCase, Daemon, dobrobot_bin, wait_until

BOT = "dobro_test_bot"


class StartAndHelp(BotTestCase):
    def test_start_in_russian(self):
        self.bot.start()
        self.fake.send_text(501, "/start", first_name="Мария")
        [r] = self.wait_replies(1, chat_id=501)
        text = r["params"]["text"]
        self.assertIn("Здравствуйте, Мария!", text)
        self.assertIn("/help", text)
        self.assertEqual(r["params"]["parse_mode"], "HTML")
        rows = self.bot.query("SELECT id, first_name, language, role FROM users")
        self.assertEqual(rows, [(501, "Мария", "ru", "citizen")])
        self.assertEqual(self.bot.query(
            "SELECT state, kind FROM outbox WHERE chat_id = 501"),
            [("sent", "reply")])

    def test_start_in_english(self):
        self.bot.start()
        self.fake.send_text(502, "/start", first_name="Ann", language_code="en")
        [r] = self.wait_replies(1, chat_id=502)
        self.assertIn("Hello, Ann!", r["params"]["text"])
        self.assertEqual(self.bot.query("SELECT language FROM users"), [("en",)])

    def test_name_is_escaped(self):
        self.bot.start()
        self.fake.send_text(503, "/start", first_name="<b>Вася & Co</b>")
        [r] = self.wait_replies(1, chat_id=503)
        self.assertIn("&lt;b&gt;Вася &amp; Co&lt;/b&gt;", r["params"]["text"])

    def test_help_unknown_and_plain_text(self):
        self.bot.start()
        self.fake.send_text(504, "/help")
        self.fake.send_text(504, "/frobnicate now")
        self.fake.send_text(504, "привет")
        replies = self.wait_replies(3, chat_id=504)
        texts = [r["params"]["text"] for r in replies]
        self.assertIn("/start", texts[0])
        self.assertIn("/help", texts[0])
        self.assertIn("Я не знаю команды /frobnicate", texts[1])
        self.assertIn("Я бот добрых дел", texts[2])
        self.assertIn("/actions", texts[2])

    def test_group_commands(self):
        self.bot.start()
        group = -100500
        self.fake.send_text(505, "/start@%s" % BOT.upper(), chat_id=group,
                            chat_type="supergroup")
        self.fake.send_text(505, "/start@some_other_bot", chat_id=group,
                            chat_type="supergroup")
        self.fake.send_text(505, "/weather", chat_id=group, chat_type="supergroup")
        self.fake.send_text(505, "/help@%s" % BOT, chat_id=group,
                            chat_type="supergroup")
        replies = self.wait_replies(2, chat_id=group)
        time.sleep(0.5)
        replies = self.replies(chat_id=group)
        self.assertEqual(len(replies), 2, [r["params"]["text"] for r in replies])
        self.assertIn("@" + BOT, replies[0]["params"]["text"])
        self.assertIn("/help", replies[1]["params"]["text"])

    def test_commands_menu_set_at_start(self):
        self.bot.start()
        wait_until(lambda: len(self.fake.sent(method="setMyCommands")) >= 2,
                   what="setMyCommands")
        calls = self.fake.sent(method="setMyCommands")
        names = [c["command"] for c in calls[0]["params"]["commands"]]
        self.assertIn("start", names)
        self.assertIn("help", names)
        self.assertEqual(calls[1]["params"].get("language_code"), "en")


def unknown_command_updates(fake, users, per_user, start=0):
    """Updates whose replies are unique: each "/uN" is answered with a text
    that names it, so every reply maps to exactly one update."""
    ups = []
    n = start
    for _ in range(per_user):
        for u in range(users):
            ups.append(fake.message(1000 + u, "/u%d" % n))
            n += 1
    return ups


def reply_counts(replies):
    counts = {}
    for r in replies:
        m = re.search(r"/u(\d+)", r["params"]["text"])
        if m:
            counts[int(m.group(1))] = counts.get(int(m.group(1)), 0) + 1
    return counts


class ExactlyOnce(BotTestCase):
    def test_thousand_updates_from_hundred_users(self):
        self.bot.start()
        self.fake.queue(unknown_command_updates(self.fake, 100, 10))
        self.wait_replies(1000, timeout=60)
        time.sleep(0.5)
        counts = reply_counts(self.replies())
        self.assertEqual(sorted(counts), list(range(1000)))
        self.assertEqual(set(counts.values()), {1})
        self.assertEqual(self.bot.query(
            "SELECT count(*), count(DISTINCT update_id) FROM outbox"
            " WHERE kind = 'reply'"), [(1000, 1000)])
        self.assertEqual(self.bot.query("SELECT count(*) FROM users"), [(100,)])
        # Per chat, replies arrive in the order the updates were sent.
        for u in range(100):
            nums = [int(re.search(r"/u(\d+)", r["params"]["text"]).group(1))
                    for r in self.replies(chat_id=1000 + u)]
            self.assertEqual(nums, sorted(nums))

    def test_sigkill_five_times(self):
        total = 600
        ups = unknown_command_updates(self.fake, 60, 10)
        rng = random.Random(7)
        # Answers take 30 ms, so that kills land while sends are in flight.
        self.fake.faults(latency_ms=30)
        self.bot.start()
        queued = 0
        uncertain_total = 0
        for kill in range(5):
            # Feed a slice, let the daemon get busy, kill it mid-stream.
            n = total // 6
            self.fake.queue(ups[queued:queued + n])
            queued += n
            time.sleep(rng.uniform(0.05, 0.6))
            self.bot.kill()
            self.bot.start()
            # Rows in flight at the kill come back flagged uncertain.
            wait_until(lambda: "started as" in self.bot.log().split(
                "=== run %d" % self.bot.runs)[-1], what="restart")
        self.fake.queue(ups[queued:])
        self.wait_replies(total, timeout=90)
        wait_until(lambda: self.bot.query(
            "SELECT count(*) FROM outbox WHERE kind = 'reply' AND state != 'sent'") == [(0,)],
            what="outbox drained")
        time.sleep(0.5)
        counts = reply_counts(self.replies())
        self.assertEqual(sorted(counts), list(range(total)), "every update answered")
        # Processed once: one outbox row per update.
        self.assertEqual(self.bot.query(
            "SELECT count(*), count(DISTINCT update_id) FROM outbox"
            " WHERE kind = 'reply'"), [(total, total)])
        duplicates = sum(c - 1 for c in counts.values())
        uncertain = self.bot.query("SELECT total(uncertain) FROM outbox")[0][0]
        print("\n  sigkill x5: %d updates, %d duplicate sends, %d sends in flight "
              "at the kills (limit %d per kill)" % (total, duplicates, uncertain,
                                                   self.bot.config["limits"]["max_in_flight"]))
        self.assertLessEqual(duplicates, uncertain)
        self.assertLessEqual(uncertain, 5 * self.bot.config["limits"]["max_in_flight"])

    def test_update_ids_restart_lower(self):
        self.bot.start()
        self.fake.send_text(601, "/u1")
        self.wait_replies(1)
        self.fake.next_update_id(77)
        self.fake.send_text(601, "/u2")
        self.fake.send_text(601, "/u3")
        self.wait_replies(3)
        self.assertEqual(self.bot.query(
            "SELECT value FROM bot_state WHERE key = 'last_update_id'"), [("78",)])


class Faults(BotTestCase):
    def test_5xx_drops_and_malformed_answers(self):
        self.bot.start()
        self.fake.faults(seed=3, rate_5xx=0.10, rate_drop=0.05,
                         rate_drop_after=0.03, rate_malformed=0.03)
        self.fake.queue(unknown_command_updates(self.fake, 20, 10))
        wait_until(lambda: len(reply_counts(self.replies())) == 200, timeout=120,
                   what="200 distinct replies")
        self.fake.faults()
        wait_until(lambda: self.bot.query(
            "SELECT count(*) FROM outbox WHERE kind = 'reply' AND state != 'sent'") == [(0,)],
            timeout=60, what="outbox drained")
        counts = reply_counts(self.replies())
        # Per row, not in sum: one row's uncounted copy must not hide
        # behind another row's over-count.
        for payload, uncertain in self.bot.query(
                "SELECT payload, uncertain FROM outbox WHERE kind = 'reply'"):
            n = int(re.search(r"/u(\d+)", json.loads(payload)["text"]).group(1))
            self.assertLessEqual(counts[n], 1 + uncertain,
                                 "copies of the reply to /u%d" % n)
        self.assertEqual(self.bot.query(
            "SELECT count(*), count(DISTINCT update_id) FROM outbox"
            " WHERE kind = 'reply'"), [(200, 200)])
        self.assertTrue(self.bot.alive())

    def test_huge_answer_is_refused_not_fatal(self):
        self.fake.faults(script=[{"method": "getUpdates", "huge_bytes": 40000000}])
        self.bot.start()
        self.fake.send_text(602, "/start")
        self.wait_replies(1, chat_id=602, timeout=30)
        self.assertIn("16 MiB", self.bot.log())

    def test_poison_update_is_dead_lettered(self):
        self.bot.start()
        bad = self.fake.message(603, "/start")
        bad["message"]["from"]["id"] = "not-a-number"
        self.fake.queue([bad, self.fake.message(604, "/start")])
        self.wait_replies(1, chat_id=604)
        [apology] = self.wait_replies(1, chat_id=603)
        self.assertIn("Простите", apology["params"]["text"])
        rows = self.bot.query("SELECT update_id, error, raw FROM dead_letters")
        self.assertEqual(len(rows), 1)
        self.assertIn("malformed sender", rows[0][1])
        self.assertEqual(json.loads(rows[0][2])["message"]["from"]["id"],
                         "not-a-number")
        # The offset moved past it: a restart does not see it again.
        self.bot.stop()
        self.bot.start()
        self.fake.send_text(604, "/help")
        self.wait_replies(2, chat_id=604)
        self.assertEqual(self.bot.query("SELECT count(*) FROM dead_letters"), [(1,)])

    def test_update_that_crashes_the_daemon_is_set_aside(self):
        # A handler bug that kills the process (not just fails) must not
        # crash it again on every restart as Telegram redelivers the batch.
        self.bot.extra_env["DOBROBOT_TEST_CRASH_ON"] = "/boom"
        self.bot.extra_env["ASAN_OPTIONS"] = "detect_leaks=0:abort_on_error=1"
        self.bot.start()
        self.fake.send_text(608, "/start")
        self.wait_replies(1, chat_id=608)
        self.fake.queue([self.fake.message(609, "/help"),
                         self.fake.message(610, "/boom"),
                         self.fake.message(611, "/help")])
        restarts = 0
        while True:
            try:
                self.bot.wait_exit(timeout=5)
            except Exception:
                break  # still running: it survived
            restarts += 1
            self.assertLess(restarts, 5, self.bot.log())
            self.bot.start()
        self.assertEqual(restarts, 3)
        self.wait_replies(1, chat_id=609)
        self.wait_replies(1, chat_id=611)
        [apology] = self.wait_replies(1, chat_id=610)
        self.assertIn("Простите", apology["params"]["text"])
        rows = self.bot.query("SELECT error FROM dead_letters")
        self.assertEqual(len(rows), 1)
        self.assertIn("crashed dobrobot", rows[0][0])
        # Processed once; a second copy only if it was in flight at a crash.
        self.assertEqual(self.bot.query(
            "SELECT count(*) FROM outbox WHERE chat_id = 609"), [(1,)])
        uncertain = self.bot.query(
            "SELECT uncertain FROM outbox WHERE chat_id = 609")[0][0]
        self.assertLessEqual(len(self.replies(chat_id=609)), 1 + uncertain)
        self.bot.proc.send_signal(15)
        self.bot.proc.wait()
        self.bot.proc = None
        self.bot.start()
        self.fake.send_text(612, "/start")
        self.wait_replies(1, chat_id=612)

    def test_conflict_backs_off(self):
        self.fake.faults(script=[{"method": "getUpdates", "status": 409,
                                  "description": "Conflict: terminated by other "
                                  "getUpdates request; make sure that only one bot "
                                  "instance is running"}])
        self.bot.start()
        self.fake.send_text(605, "/start")
        self.wait_replies(1, chat_id=605, timeout=30)
        self.assertIn("Another dobrobot", self.bot.log())


class Unauthorized(BotTestCase):
    def test_wrong_token_exits_1_without_printing_it(self):
        wrong = "999999:WRONGtoken-zyxwvutsrqponmlkjihgfed"
        self.bot.token = wrong
        self.bot.start()
        rc = self.bot.wait_exit()
        self.assertEqual(rc, 1)
        log = self.bot.log()
        self.assertIn("rejected the token", log)
        self.assertNotIn("WRONGtoken", log)
        self.assertNotIn(TOKEN.split(":")[1], log)

    def test_revoked_while_running(self):
        self.bot.start()
        self.fake.send_text(606, "/start")
        self.wait_replies(1, chat_id=606)
        self.fake.faults(script=[{"method": "getUpdates", "status": 401,
                                  "description": "Unauthorized"}])
        rc = self.bot.wait_exit(timeout=30)
        self.assertEqual(rc, 1)
        self.assertNotIn(TOKEN.split(":")[1], self.bot.log())

    def test_no_token(self):
        self.bot.token = None
        r = self.bot.run_cli("run", "--config", self.bot.config_path,
                             env={"DOBROBOT_TOKEN": ""})
        self.assertEqual(r.returncode, 2)
        self.assertIn("DOBROBOT_TOKEN", r.stderr)


class Shutdown(BotTestCase):
    def test_sigterm_is_clean_and_quick(self):
        self.bot.start()
        self.fake.send_text(607, "/start")
        self.wait_replies(1, chat_id=607)
        t = time.time()
        self.assertEqual(self.bot.stop(), 0)
        self.assertLess(time.time() - t, 6)
        self.assertIn("stopped", self.bot.log())


class CommandLine(BotTestCase):
    def test_check_config(self):
        r = self.bot.run_cli("check-config", "--config", self.bot.config_path)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("configuration OK", r.stdout)
        bad = os.path.join(self.tmp.name, "bad.json")
        with open(bad, "w") as f:
            json.dump({"limits": {"global_per_s": -1}}, f)
        r = self.bot.run_cli("check-config", "--config", bad)
        self.assertEqual(r.returncode, 2)
        self.assertIn("config: limits.global_per_s: expected a positive integer",
                      r.stderr)
        r = self.bot.run_cli("check-config", "--config", "/nonexistent.json")
        self.assertEqual(r.returncode, 2)

    def test_usage_help_version(self):
        for args, rc in [((), 2), (("help",), 0), (("--help",), 0),
                         (("version",), 0), (("run", "--help"), 0),
                         (("migrate", "--help"), 0), (("bogus",), 2),
                         (("run", "--config"), 2)]:
            r = self.bot.run_cli(*args)
            self.assertEqual(r.returncode, rc, (args, r.stdout, r.stderr))
        self.assertIn("dobrobot", self.bot.run_cli("version").stdout)

    def test_migrate_and_newer_database(self):
        r = self.bot.run_cli("migrate", "--config", self.bot.config_path)
        self.assertEqual(r.returncode, 0, r.stderr)
        st = os.stat(self.bot.db_path)
        self.assertEqual(st.st_mode & 0o777, 0o600)
        self.assertEqual(os.stat(os.path.dirname(self.bot.db_path)).st_mode & 0o777,
                         0o700)
        import sqlite3
        con = sqlite3.connect(self.bot.db_path)
        con.execute("PRAGMA user_version = 999")
        con.close()
        with open(self.bot.db_path, "rb") as f:
            before = f.read()
        r = self.bot.run_cli("migrate", "--config", self.bot.config_path)
        self.assertEqual(r.returncode, 1)
        self.assertIn("newer dobrobot", r.stderr)
        with open(self.bot.db_path, "rb") as f:
            self.assertEqual(f.read(), before)
