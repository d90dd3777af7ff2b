"""The outbox sender against a fake Bot API that answers as Telegram does:
rate limits before sending, priorities, and every answer Telegram gives."""

import json
import sqlite3
import time

from lib.daemon import BotTestCase, wait_until

REAL_LIMITS = {"global_per_s": 30, "chat_per_s": 1, "chat_burst": 3,
               "group_per_min": 20, "max_in_flight": 16}


class OutboxTestCase(BotTestCase):
    """Rows are written straight into the outbox, as handlers would, so that
    each Telegram answer can be provoked for a known message."""

    def migrate(self):
        r = self.bot.run_cli("migrate", "--config", self.bot.config_path)
        self.assertEqual(r.returncode, 0, r.stderr)

    def enqueue(self, chat_id, text, kind="reply", priority=0, method="sendMessage",
                extra=None, ref_type=None, ref_id=None):
        payload = {"chat_id": chat_id}
        if text is not None:
            payload["text"] = text
        payload.update(extra or {})
        con = sqlite3.connect(self.bot.db_path, timeout=10)
        cur = con.execute(
            "INSERT INTO outbox(chat_id, method, payload, kind, priority,"
            " ref_type, ref_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (chat_id, method, json.dumps(payload, ensure_ascii=False), kind,
             priority, ref_type, ref_id, int(time.time() * 1000)))
        con.commit()
        rowid = cur.lastrowid
        con.close()
        return rowid

    def row(self, rowid):
        con = self.bot.db()
        try:
            return dict(con.execute("SELECT * FROM outbox WHERE id = ?",
                                    (rowid,)).fetchone())
        finally:
            con.close()

    def wait_state(self, rowid, states, timeout=20):
        return wait_until(lambda: (lambda r: r if r["state"] in states else None)(
            self.row(rowid)), timeout, what="outbox %d in %s" % (rowid, states))

    def requests_to(self, chat_id, method="sendMessage"):
        return [s for s in self.fake.sent(method=method)
                if s["params"].get("chat_id") == chat_id]


class Answers(OutboxTestCase):
    config = {"limits": {"retry_base_ms": 50, "max_attempts": 3}}

    def setUp(self):
        super().setUp()
        self.migrate()

    def test_200_stores_message_id(self):
        rid = self.enqueue(701, "Привет")
        self.bot.start()
        row = self.wait_state(rid, ["sent"])
        [req] = self.requests_to(701)
        self.assertEqual(row["message_id"], req["response"]["result"]["message_id"])
        self.assertEqual(row["attempts"], 1)

    def test_429_waits_for_that_chat_only(self):
        self.fake.faults(script=[{"method": "sendMessage", "chat_id": 702,
                                  "status": 429, "retry_after": 2}])
        a = self.enqueue(702, "первое")
        self.bot.start()
        wait_until(lambda: len(self.requests_to(702)) >= 1, what="429")
        b = self.enqueue(703, "другому")
        self.bot.run_cli("version")  # no-op; the daemon notices new rows itself
        self.wait_state(b, ["sent"], timeout=5)
        row = self.wait_state(a, ["sent"], timeout=10)
        reqs = self.requests_to(702)
        self.assertEqual([r["status"] for r in reqs], [429, 200])
        gap = (reqs[1]["t_ms"] - reqs[0]["t_ms"]) / 1000.0
        self.assertGreaterEqual(gap, 2.0)
        self.assertLess(gap, 4.0)
        # The other chat was not held behind it.
        other = self.requests_to(703)[0]
        self.assertLess(other["t_ms"], reqs[1]["t_ms"])
        self.assertEqual(row["attempts"], 1, "a 429 is not counted as a failure")

    def test_403_blocked_stops_sending_to_that_chat(self):
        con = sqlite3.connect(self.bot.db_path)
        con.execute("INSERT INTO users(id, first_name, created_at, updated_at)"
                    " VALUES (704, 'Оля', 0, 0)")
        con.execute("INSERT INTO chats(id, type, created_at, updated_at)"
                    " VALUES (704, 'private', 0, 0)")
        con.execute("INSERT INTO subscriptions(user_id, direction) VALUES (704, '*')")
        con.commit()
        con.close()
        self.fake.chat(704, blocked=True)
        a = self.enqueue(704, "раз", kind="broadcast", priority=2)
        b = self.enqueue(704, "два", kind="broadcast", priority=2)
        self.bot.start()
        row = self.wait_state(a, ["failed"])
        self.assertIn("blocked by the user", row["last_error"])
        self.assertEqual(self.wait_state(b, ["cancelled"])["state"], "cancelled")
        time.sleep(0.3)
        self.assertEqual(len(self.requests_to(704)), 1, "no retry, no second message")
        self.assertEqual(self.bot.query("SELECT blocked FROM users WHERE id = 704"), [(1,)])
        self.assertEqual(self.bot.query("SELECT active FROM chats WHERE id = 704"), [(0,)])
        self.assertEqual(self.bot.query("SELECT count(*) FROM subscriptions"), [(0,)])

    def test_400_migrate_moves_the_group(self):
        old, new = -4321, -1004321
        con = sqlite3.connect(self.bot.db_path)
        con.execute("INSERT INTO chats(id, type, title, is_leaders_group, created_at,"
                    " updated_at) VALUES (?, 'group', 'Совет НКО', 1, 0, 0)", (old,))
        con.execute("INSERT INTO bot_state(key, value) VALUES ('leaders_chat_id', ?)",
                    (str(old),))
        con.commit()
        con.close()
        self.fake.chat(old, migrate_to=new)
        rid = self.enqueue(old, "Новая акция", kind="announce", priority=1)
        self.bot.start()
        row = self.wait_state(rid, ["sent"])
        self.assertEqual(row["chat_id"], new)
        self.assertEqual(json.loads(row["payload"])["chat_id"], new)
        reqs = [s for s in self.fake.sent(method="sendMessage")]
        self.assertEqual([(r["params"]["chat_id"], r["status"]) for r in reqs],
                         [(old, 400), (new, 200)])
        self.assertEqual(self.bot.query(
            "SELECT id, active, is_leaders_group, migrated_to FROM chats ORDER BY id"),
            sorted([(new, 1, 1, None), (old, 0, 0, new)]))
        self.assertEqual(self.bot.query(
            "SELECT value FROM bot_state WHERE key = 'leaders_chat_id'"), [(str(new),)])

    def test_400_migrate_of_the_configured_leaders_group(self):
        # Named only in the configuration: once Telegram says where the
        # group went, the new id is recorded and used from then on.
        old, new = -4322, -1004322
        self.bot.config["leaders_chat_id"] = old
        with open(self.bot.config_path, "w") as f:
            json.dump(self.bot.config, f, ensure_ascii=False)
        self.fake.chat(old, migrate_to=new)
        first = self.enqueue(old, "Первое объявление", kind="announce",
                             priority=1)
        self.bot.start()
        self.assertEqual(self.wait_state(first, ["sent"])["chat_id"], new)
        self.assertEqual(self.bot.query(
            "SELECT value FROM bot_state WHERE key = 'leaders_chat_id'"),
            [(str(new),)])

    def test_migration_service_message(self):
        old, new = -777, -1000777
        self.bot.start()
        m = self.fake.message(705, "", chat_id=old, chat_type="group")
        del m["message"]["text"]
        m["message"]["migrate_to_chat_id"] = new
        self.fake.queue([m])
        wait_until(lambda: self.bot.query(
            "SELECT migrated_to FROM chats WHERE id = ?", old) == [(new,)],
            what="migration recorded")
        self.assertEqual(self.bot.query("SELECT type FROM chats WHERE id = ?", new),
                         [("supergroup",)])

    def test_edit_not_modified_is_success(self):
        rid = self.enqueue(706, "Прогресс: 10%")
        self.bot.start()
        mid = self.wait_state(rid, ["sent"])["message_id"]
        eid = self.enqueue(706, "Прогресс: 10%", method="editMessageText",
                           kind="edit", priority=3, extra={"message_id": mid})
        row = self.wait_state(eid, ["sent", "failed"])
        self.assertEqual(row["state"], "sent")
        [edit] = self.requests_to(706, "editMessageText")
        self.assertEqual(edit["status"], 400)
        self.assertIn("not modified", edit["response"]["description"])

    def test_400_other_is_permanent(self):
        self.fake.chat(707, not_found=True)
        bad_html = self.enqueue(708, "<b>незакрытый тег", extra={"parse_mode": "HTML"})
        rid = self.enqueue(707, "Здравствуйте")
        self.bot.start()
        row = self.wait_state(rid, ["failed"])
        self.assertIn("chat not found", row["last_error"])
        row = self.wait_state(bad_html, ["failed"])
        self.assertIn("can't parse entities", row["last_error"])
        time.sleep(0.5)
        self.assertEqual(len(self.requests_to(707)), 1)
        self.assertEqual(len(self.requests_to(708)), 1)

    def test_5xx_backs_off_then_gives_up(self):
        self.fake.faults(script=[{"method": "sendMessage", "chat_id": 709,
                                  "status": 502, "body": "<html>502 Bad Gateway</html>",
                                  "content_type": "text/html"}] * 5)
        rid = self.enqueue(709, "Сообщение")
        self.bot.start()
        row = self.wait_state(rid, ["failed"], timeout=20)
        self.assertEqual(row["attempts"], 3)
        reqs = self.requests_to(709)
        self.assertEqual(len(reqs), 3)
        gaps = [reqs[i + 1]["t_ms"] - reqs[i]["t_ms"] for i in range(2)]
        # Full jitter with a floor (backoff_delay_ms): the n-th retry waits
        # uniformly between base/2 and base * 2^n, so each gap is at least
        # the floor and within its doubling ceiling (plus scheduling slack
        # on a loaded machine). That the ceiling doubles is proven on a fake
        # clock in test_ratelimit.c; a single draw here cannot show it.
        slack = 500
        self.assertGreaterEqual(gaps[0], 25)
        self.assertGreaterEqual(gaps[1], 25)
        self.assertLessEqual(gaps[0], 100 + slack)
        self.assertLessEqual(gaps[1], 200 + slack)
        self.assertTrue(self.bot.alive())

    def test_transient_then_success_and_uncertain_counted(self):
        self.fake.faults(script=[
            {"method": "sendMessage", "chat_id": 710, "status": 500,
             "description": "Internal Server Error: restart"},
            {"method": "sendMessage", "chat_id": 711, "drop_after": True}])
        a = self.enqueue(710, "раз")
        b = self.enqueue(711, "два")
        self.bot.start()
        ra = self.wait_state(a, ["sent"])
        rb = self.wait_state(b, ["sent"])
        self.assertEqual((ra["attempts"], ra["uncertain"]), (2, 0))
        # The first attempt reached Telegram but its answer was lost: the
        # duplicate is visible in the count.
        self.assertEqual((rb["attempts"], rb["uncertain"]), (2, 1))
        self.assertEqual(len(self.requests_to(711)), 2)

    def test_answer_lost_on_a_kept_alive_connection_is_counted(self):
        # libcurl re-sends a request by itself when a reused connection
        # dies before any answer (it takes the connection for stale). Here
        # the first attempt was processed: the re-send is a duplicate, and
        # it must be counted even though the bot saw a single success.
        first = self.enqueue(714, "раз")
        self.bot.start()
        self.wait_state(first, ["sent"])
        self.fake.faults(script=[
            {"method": "sendMessage", "chat_id": 715, "drop_after": True}])
        rid = self.enqueue(715, "два")
        row = self.wait_state(rid, ["sent"])
        self.assertEqual(len(self.requests_to(715)), 2)
        self.assertEqual(row["uncertain"], 1, row)
        self.assertIn("no answer after the request went out", self.bot.log())
        # The same for an upload, whose file is read through a callback.
        self.fake.faults(script=[
            {"method": "sendDocument", "chat_id": 719, "drop_after": True}])
        doc = self.enqueue(719, None, method="sendDocument", extra={
            "_upload": {"field": "document", "filename": "r.csv",
                        "content": "a;b\r\n"}})
        row = self.wait_state(doc, ["sent"])
        reqs = self.requests_to(719, "sendDocument")
        self.assertEqual(len(reqs), 2)
        self.assertEqual(reqs[1]["params"]["document"]["content"], "a;b\r\n")
        self.assertEqual(row["uncertain"], 1, row)

    def test_group_chatter_is_not_counted_against_the_budget(self):
        # 70 messages among people in a group (over the 60 a minute a user
        # may send the bot) are not the bot's business; the user's /help
        # after them is answered, and nobody is told to slow down.
        self.bot.start()
        self.fake.queue([self.fake.message(740, "привет всем %d" % i,
                                           chat_id=-740, chat_type="group")
                         for i in range(70)])
        self.fake.send_text(740, "/help", chat_id=-740, chat_type="group")
        [r] = self.wait_replies(1, chat_id=-740)
        self.assertNotIn("Слишком много", r["params"]["text"])
        # Commands do count, in a group too.
        self.fake.queue([self.fake.message(741, "/help", chat_id=-740,
                                           chat_type="group")
                         for i in range(61)])
        # The warning does not wait behind the 30 replies already queued
        # (a group drains at one a second at most).
        wait_until(lambda: any("Слишком много сообщений" in x["params"]["text"]
                               for x in self.replies(chat_id=-740)),
                   timeout=10, what="the warning")
        rows = self.bot.query("SELECT payload FROM outbox WHERE chat_id = -740")
        self.assertEqual(sum("Слишком много" in p for (p,) in rows), 1)

    def test_401_while_sending_stops_the_daemon(self):
        self.fake.faults(script=[{"method": "sendMessage", "chat_id": 712,
                                  "status": 401, "description": "Unauthorized"}])
        rid = self.enqueue(712, "x")
        self.bot.start()
        self.assertEqual(self.bot.wait_exit(timeout=20), 1)
        self.assertIn("401", self.bot.log())
        self.assertEqual(self.row(rid)["state"], "pending", "kept for the next start")

    def test_document_upload(self):
        csv = "\ufeffдата;имя;сумма\r\n28.11.2026;\"Иван; П.\";500\r\n"
        rid = self.enqueue(717, None, method="sendDocument", extra={
            "caption": "Отчёт", "_upload": {"field": "document",
                                            "filename": "report.csv",
                                            "content": csv}})
        self.bot.start()
        self.wait_state(rid, ["sent"])
        [req] = self.requests_to(717, "sendDocument")
        self.assertEqual(req["status"], 200)
        doc = req["params"]["document"]
        self.assertEqual(doc["filename"], "report.csv")
        self.assertEqual(doc["content"], csv)
        self.assertEqual(req["params"]["caption"], "Отчёт")



class Resends(OutboxTestCase):
    config = {"limits": {"retry_base_ms": 50, "max_attempts": 6}}

    def setUp(self):
        super().setUp()
        self.migrate()

    def test_every_copy_of_a_request_is_counted(self):
        # With several kept-alive connections in the pool, libcurl on its
        # own re-sends a request whose reused connection died with no
        # answer, each time on another pooled one: one transfer, several
        # copies. Each copy must count (copies <= 1 + uncertain, per row).
        self.fake.faults(latency_ms=300)
        warm = [self.enqueue(760 + i, "разогрев %d" % i) for i in range(6)]
        self.bot.start()
        for rid in warm:
            self.wait_state(rid, ["sent"])
        self.fake.faults(script=[{"method": "sendMessage", "chat_id": 766,
                                  "drop_after": True}] * 3)
        rid = self.enqueue(766, "раз")
        row = self.wait_state(rid, ["sent"], timeout=30)
        copies = len(self.requests_to(766))
        self.assertEqual(copies, 4, "three dropped, the fourth answered")
        self.assertLessEqual(copies, 1 + row["uncertain"], row)
        self.assertEqual(row["attempts"], 4, "each copy was the bot's own")


class Timeouts(OutboxTestCase):
    config = {"limits": {"retry_base_ms": 50, "max_attempts": 3,
                         "send_timeout_ms": 500}}

    def setUp(self):
        super().setUp()
        self.migrate()

    def test_timeout_after_sending_is_retried_and_counted(self):
        # The fake processes the request and answers only after 2 s: the bot
        # gives up at 500 ms, not knowing whether Telegram has it.
        self.fake.faults(script=[{"method": "sendMessage", "chat_id": 720,
                                  "latency_ms": 2000}])
        rid = self.enqueue(720, "раз")
        self.bot.start()
        row = self.wait_state(rid, ["sent"])
        self.assertEqual((row["attempts"], row["uncertain"]), (2, 1), row)
        self.assertEqual(len(self.requests_to(720)), 2)
        self.assertIn("timed out", self.bot.log())


class Limits(OutboxTestCase):
    config = {"limits": REAL_LIMITS}

    def setUp(self):
        super().setUp()
        self.migrate()
        self.fake.limits(enforce=True, global_per_s=30, chat_per_s=1, chat_burst=3,
                         group_per_min=20, paid_per_s=1000)

    def test_bulk_at_30_per_second_without_429(self):
        n = 150
        for i in range(n):
            self.enqueue(30000 + i, "Рассылка %d" % i, kind="broadcast", priority=2)
        self.bot.start()
        wait_until(lambda: len([s for s in self.fake.sent(method="sendMessage")
                                if s["status"] == 200]) >= n, timeout=30)
        sent = self.fake.sent(method="sendMessage")
        self.assertEqual(self.fake.stats().get("too_many_requests", 0), 0)
        t = sorted(s["t_ms"] for s in sent)
        # Paced evenly, at 98% of the limit or more.
        rate = (n - 1) / ((t[-1] - t[0]) / 1000.0)
        self.assertLessEqual(rate, 30.5)
        self.assertGreater(rate, 29.4)
        # No bursts: never three within 30 ms.
        self.assertGreater(min(b - a for a, b in zip(t, t[2:])), 30)
        # No 1-second window holds more than 30.
        j = 0
        for i in range(len(t)):
            while t[i] - t[j] >= 1000:
                j += 1
            self.assertLessEqual(i - j + 1, 30)

    def test_stricter_server_widens_the_window(self):
        # The server allows 29/s where the bot was told 30: 429s get past
        # the limiter, each widens the window, and they stop.
        self.fake.limits(enforce=True, global_per_s=29, chat_per_s=1,
                         chat_burst=3, group_per_min=20, paid_per_s=1000)
        n = 300
        for i in range(n):
            self.enqueue(31000 + i, "Рассылка %d" % i, kind="broadcast", priority=2)
        self.bot.start()
        ok = lambda: [s for s in self.fake.sent(method="sendMessage")
                      if s["status"] == 200]
        wait_until(lambda: len(ok()) >= n, timeout=40)
        sent = self.fake.sent(method="sendMessage")
        chats = [s["params"]["chat_id"] for s in ok()]
        self.assertEqual(len(chats), n)
        self.assertEqual(len(set(chats)), n, "no duplicates")
        limited = [i for i, s in enumerate(sent) if s["status"] == 429]
        self.assertGreater(len(limited), 0, "the server was stricter")
        self.assertLessEqual(len(limited), 12)
        self.assertLess(limited[-1], len(sent) - 100,
                        "the last 100 requests drew no 429")
        self.assertIn("sending window widened", self.bot.log())

    def test_reply_overtakes_a_running_broadcast(self):
        for i in range(300):
            self.enqueue(40000 + i, "Рассылка %d" % i, kind="broadcast", priority=2)
        self.bot.start()
        wait_until(lambda: len(self.fake.sent(method="sendMessage")) >= 30)
        t0 = time.monotonic() * 1000
        self.fake.send_text(714, "/start")
        [r] = self.wait_replies(1, chat_id=714, timeout=5)
        self.assertLess(r["t_ms"] - t0, 1500)
        pending = self.bot.query(
            "SELECT count(*) FROM outbox WHERE kind = 'broadcast' AND state = 'pending'")
        self.assertGreater(pending[0][0], 100, "the broadcast was still draining")

    def test_reply_does_not_wait_behind_own_broadcast_copy(self):
        for i in range(300):
            self.enqueue(41000 + i, "Рассылка %d" % i, kind="broadcast", priority=2)
        self.enqueue(718, "Рассылка для 718", kind="broadcast", priority=2)
        self.bot.start()
        wait_until(lambda: len(self.fake.sent(method="sendMessage")) >= 30)
        t0 = time.monotonic() * 1000
        self.fake.send_text(718, "/help")
        r = wait_until(lambda: [s for s in self.requests_to(718)
                                if "/start" in s["params"]["text"]], timeout=5)
        self.assertLess(r[0]["t_ms"] - t0, 1500)
        self.assertEqual(self.bot.query(
            "SELECT state FROM outbox WHERE chat_id = 718 AND kind = 'broadcast'"),
            [("pending",)], "its broadcast copy was still queued")

    def test_callback_answers_bypass_chat_queues(self):
        # Chat 713 has ten messages waiting (it drains at one a second):
        # a button pressed there is answered at once, not after them.
        self.fake.limits(callback_timeout_ms=10000)
        for i in range(10):
            self.enqueue(713, "сообщение %d" % i)
        self.bot.start()
        wait_until(lambda: len(self.requests_to(713)) >= 1, what="draining")
        t0 = time.monotonic() * 1000
        self.fake.press(713, "no-such-button", 1)
        [cb] = wait_until(lambda: [c for c in self.fake.callbacks().values()
                                   if c["answered"]], timeout=5,
                          what="the press answered")
        self.assertLess(cb["answered_ms"] - t0, 1000)
        self.assertGreaterEqual(self.bot.query(
            "SELECT count(*) FROM outbox WHERE chat_id = 713"
            " AND state = 'pending'")[0][0], 5, "the chat's queue still waits")

    def test_300_presses_at_once_are_all_answered_in_time(self):
        # Callback answers are not a chat's queue: 300 presses while a
        # broadcast drains are all answered before Telegram's window for
        # them closes (the fake enforces 10 s; the real one is undocumented,
        # reported between 5 and 15 s). They used to leave one per look at
        # the outbox, four a second.
        self.fake.limits(callback_timeout_ms=10000)
        self.fake.faults(latency_ms=20)
        for i in range(300):
            self.enqueue(42000 + i, "Рассылка %d" % i, kind="broadcast",
                         priority=2)
        self.bot.start()
        wait_until(lambda: len(self.fake.sent(method="sendMessage")) >= 30)
        self.fake.queue([self.fake.callback(43000 + i, "no-such-button", 1)
                         for i in range(300)])
        wait_until(lambda: len(self.fake.sent(method="answerCallbackQuery"))
                   >= 300, timeout=20, what="300 answers")
        answers = self.fake.sent(method="answerCallbackQuery")
        self.assertEqual([a["status"] for a in answers], [200] * 300,
                         [a["response"] for a in answers if a["status"] != 200][:3])
        callbacks = self.fake.callbacks().values()
        self.assertTrue(all(c["answered"] for c in callbacks))
        slowest = max(c["answered_ms"] - c["delivered_ms"] for c in callbacks)
        print("\n  300 presses: slowest answer %.0f ms after delivery" % slowest)
        self.assertLess(slowest, 5000)
        self.assertEqual(self.fake.stats().get("too_many_requests", 0), 0)

    def test_backlog_of_one_chat_does_not_starve_another(self):
        # 4,300 replies queued for one citizen (a private chat drains at
        # one a second): another citizen's message goes at once.
        con = sqlite3.connect(self.bot.db_path)
        now = int(time.time() * 1000)
        con.executemany(
            "INSERT INTO outbox(chat_id, method, payload, kind, priority,"
            " created_at) VALUES (?, 'sendMessage', ?, 'reply', 0, ?)",
            [(920, json.dumps({"chat_id": 920, "text": "ответ %d" % i}), now)
             for i in range(4300)])
        con.commit()
        con.close()
        self.bot.start()
        wait_until(lambda: len(self.requests_to(920)) >= 1, what="draining")
        t0 = time.monotonic() * 1000
        rid = self.enqueue(921, "/help для другого")
        self.wait_state(rid, ["sent"], timeout=10)
        [r] = self.requests_to(921)
        self.assertLess(r["t_ms"] - t0, 2000)

    def test_flood_from_one_chat(self):
        # 4,000 messages from one citizen at once: they get at most
        # limits.pending_replies answers and one "slow down", and another
        # citizen's /help is answered within 2 s of reaching the bot.
        self.bot.start()
        self.fake.queue([self.fake.message(930, "/help")
                         for _ in range(4000)])
        t0 = time.monotonic() * 1000
        self.fake.send_text(931, "/help")
        [r] = self.wait_replies(1, chat_id=931, timeout=20)
        print("\n  flood: the other /help answered %.0f ms after it was queued"
              % (r["t_ms"] - t0))
        self.assertLess(r["t_ms"] - t0, 2000)
        wait_until(lambda: self.bot.query(
            "SELECT count(*) FROM processed_updates")[0][0] >= 4001,
            what="all 4,001 updates processed")
        rows = self.bot.query("SELECT payload FROM outbox WHERE chat_id = 930")
        texts = [json.loads(p)["text"] for (p,) in rows]
        slow = [t for t in texts if "Слишком много сообщений" in t]
        self.assertEqual(len(slow), 1, "told once a minute")
        self.assertLessEqual(len(texts), 30 + 1)
        self.assertIn("updates refused for the rest of the minute",
                      self.bot.log())
        # The warning goes ahead of the replies waiting before it.
        wait_until(lambda: len(self.requests_to(930)) >= 5, timeout=10)
        first = [x["params"]["text"] for x in self.requests_to(930)][:5]
        self.assertTrue(any("Слишком много" in t for t in first), first)

    def test_one_chat_and_one_group_at_their_limits(self):
        for i in range(6):
            self.enqueue(715, "личное %d" % i)
            self.enqueue(-715, "в группу %d" % i)
        self.bot.start()
        wait_until(lambda: len([s for s in self.fake.sent(method="sendMessage")
                                if s["status"] == 200]) >= 12, timeout=30)
        self.assertEqual(self.fake.stats().get("too_many_requests", 0), 0)
        group = [s["t_ms"] for s in self.requests_to(-715)]
        self.assertTrue(all(b - a >= 1000 for a, b in zip(group, group[1:])))
        texts = [s["params"]["text"] for s in self.requests_to(715)]
        self.assertEqual(texts, ["личное %d" % i for i in range(6)], "in order")


class Intake(OutboxTestCase):
    # The bot takes in no faster than it answers: while
    # limits.backlog_replies replies wait to be sent, it fetches no update;
    # they wait at Telegram, and none is lost.
    config = {"limits": dict(REAL_LIMITS, global_per_s=4, backlog_replies=5)}

    def setUp(self):
        super().setUp()
        self.migrate()

    def test_updates_wait_at_telegram_while_replies_back_up(self):
        self.bot.start()
        first = list(range(940, 950))
        self.fake.queue([self.fake.message(u, "/help") for u in first])
        wait_until(lambda: self.bot.query(
            "SELECT count(*) FROM processed_updates")[0][0] >= 10,
            what="the first ten handled")
        late_id = self.fake.send_text(960, "/help")
        self.wait_replies(1, chat_id=960, timeout=20)
        [late] = [u for u in self.fake.updates_log()
                  if u["update_id"] == late_id]
        answered = sorted(r["t_ms"] for r in self.replies()
                          if r["params"]["chat_id"] in first)
        self.assertEqual(len(answered), 10, "every one of the first answered")
        # Ten replies waited (at 4 a second); the late update was fetched
        # only once fewer than five did, after the sixth had gone.
        self.assertGreaterEqual(late["delivered_ms"], answered[5])
        self.assertIn("new updates wait at Telegram", self.bot.log())

    def test_a_backlog_below_the_limit_does_not_hold_updates(self):
        self.bot.start()
        self.fake.queue([self.fake.message(u, "/help")
                         for u in range(970, 973)])
        wait_until(lambda: self.bot.query(
            "SELECT count(*) FROM processed_updates")[0][0] >= 3,
            what="three handled")
        queued = time.monotonic() * 1000
        late_id = self.fake.send_text(980, "/help")
        wait_until(lambda: [u for u in self.fake.updates_log()
                            if u["update_id"] == late_id
                            and u["delivered_ms"] is not None],
                   what="the late update fetched")
        [late] = [u for u in self.fake.updates_log()
                  if u["update_id"] == late_id]
        self.assertLess(late["delivered_ms"] - queued, 500)
        self.assertNotIn("new updates wait at Telegram", self.bot.log())


class PaidBroadcast(OutboxTestCase):
    config = {"limits": dict(REAL_LIMITS, paid_broadcast=True, max_in_flight=64)}

    def test_paid_rows_carry_the_flag_and_beat_30_per_second(self):
        self.migrate()
        self.fake.limits(enforce=True, global_per_s=30, paid_per_s=1000)
        self.fake.faults(latency_ms=20)
        n = 400
        for i in range(n):
            self.enqueue(50000 + i, "Платная рассылка %d" % i, kind="broadcast",
                         priority=2)
        rid = self.enqueue(716, "ответ")
        self.bot.start()
        wait_until(lambda: len([s for s in self.fake.sent(method="sendMessage")
                                if s["status"] == 200]) >= n + 1, timeout=30)
        sent = [s for s in self.fake.sent(method="sendMessage")
                if s["params"]["chat_id"] >= 50000]
        self.assertTrue(all(s["params"].get("allow_paid_broadcast") for s in sent))
        self.assertNotIn("allow_paid_broadcast", self.requests_to(716)[0]["params"])
        self.assertEqual(self.fake.stats().get("too_many_requests", 0), 0)
        t = sorted(s["t_ms"] for s in sent)
        self.assertGreater((n - 1) / ((t[-1] - t[0]) / 1000.0), 200)
        self.assertEqual(self.row(rid)["state"], "sent")
