"""Privacy: /privacy says what is kept and why; /forgetme, after a
confirmation button, leaves no trace of the person in the database but
their pledges, anonymised, so that the totals stay right."""

import json
import os
import sqlite3
import time

from lib.daemon import BotTestCase, Daemon, wait_until

ADMIN = 1
MARIA = 735501234   # ids no counter in the database will reach by chance
PAVEL = 735509876
GROUP = -4001


# As Telegram shows them in every update.
NAMES = {MARIA: {"first_name": "Мария", "username": "maria_k"},
         PAVEL: {"first_name": "Павел", "username": "pavel"}}


class PrivacyBase(BotTestCase):
    def say(self, user_id, text, n=1, **kw):
        before = len(self.replies(chat_id=user_id))
        self.fake.send_text(user_id, text, **dict(NAMES.get(user_id, {}), **kw))
        got = self.wait_replies(before + n, chat_id=user_id)
        return got[before:]

    def write(self, *statements):
        """Rows the pledge and subscription features would have written."""
        con = sqlite3.connect(self.bot.db_path, timeout=10)
        try:
            for sql, args in statements:
                con.execute(sql, args)
            con.commit()
        finally:
            con.close()

    def drained(self):
        wait_until(lambda: self.bot.query(
            "SELECT count(*) FROM outbox WHERE state IN ('pending', 'sending')"
            " AND kind != 'menu'") == [(0,)], what="outbox drained")

    def seed(self):
        self.bot.start()
        self.say(ADMIN, "/start")
        self.say(MARIA, "/start", first_name="Мария", last_name="Петрова",
                 username="maria_k")
        self.say(PAVEL, "/start", first_name="Павел", username="pavel")
        now = int(time.time() * 1000)
        p = ("INSERT INTO pledges(action_id, user_id, kind, amount, anonymous,"
             " status, created_at, updated_at, display_name)"
             " VALUES (1, ?, ?, ?, 0, ?, ?, ?, ?)")
        self.write(
            ("INSERT INTO actions(id, author_id, title, description, direction,"
             " goal_kopecks, created_at, updated_at) VALUES (1, ?, 'Тёплая"
             " зима', 'Сбор тёплых вещей', 'социальное', 10000000, ?, ?)",
             (ADMIN, now, now)),
            (p, (MARIA, "money", 50000, "received", now, now, "Мария П.")),
            (p, (MARIA, "time", 1, "pledged", now, now, "Мария П.")),
            (p, (PAVEL, "money", 10000, "pledged", now, now, "Павел")),
            ("INSERT OR IGNORE INTO subscriptions(user_id, direction)"
             " VALUES (?, 'культура')", (MARIA,)),
            ("INSERT OR IGNORE INTO subscriptions(user_id, direction)"
             " VALUES (?, 'спорт')", (PAVEL,)),
            ("INSERT INTO conversations(user_id, chat_id, flow, step, draft,"
             " updated_at) VALUES (?, ?, 'pledge', 'amount', '{\"note\":"
             "\"Мария\"}', ?)", (MARIA, GROUP, now)),
        )
        # An update of hers that failed, kept as a dead letter.
        bad = self.fake.message(MARIA, "/start", first_name="Мария")
        bad["message"]["from"]["is_bot"] = "maybe"
        bad["message"]["date"] = "yesterday"
        bad["message"]["from"]["id"] = str(MARIA)
        self.fake.queue(bad)
        wait_until(lambda: self.bot.query(
            "SELECT count(*) FROM dead_letters") == [(1,)], what="dead letter")
        self.drained()

    def press(self, user_id, data, mid, lang="ru"):
        return self.fake.press(user_id, data, mid, language_code=lang,
                               **NAMES.get(user_id, {}))

    def ask(self, user_id=MARIA, lang="ru"):
        [r] = self.say(user_id, "/forgetme", language_code=lang)
        return r

    def totals(self):
        return self.bot.query(
            "SELECT kind, status, sum(amount), count(*) FROM pledges"
            " GROUP BY kind, status ORDER BY kind, status")


class Forget(PrivacyBase):
    def test_forgetme_leaves_only_anonymous_pledges(self):
        self.seed()
        totals = self.totals()
        r = self.ask()
        self.assertIn("Удалить ваши данные?", r["params"]["text"])
        kb = r["params"]["reply_markup"]["inline_keyboard"]
        self.assertEqual([b["callback_data"] for b in kb[0]], ["fg:y", "fg:n"])
        self.assertEqual([b["text"] for b in kb[0]],
                         ["Да, удалить", "Нет, оставить"])
        mid = r["response"]["result"]["message_id"]
        # Typing instead of pressing changes nothing.
        [t] = self.say(MARIA, "а что будет?")
        self.assertIn("Нажмите кнопку выше", t["params"]["text"])
        self.drained()

        self.press(MARIA, "fg:y", mid)
        wait_until(lambda: any(c.get("answered") for c in
                               self.fake.callbacks().values()), what="answer")
        [cb] = self.fake.callbacks().values()
        self.assertEqual(cb["text"], "Готово, данные удалены.")
        wait_until(lambda: [m for m in self.fake.messages(MARIA)
                            if m["message_id"] == mid and m["edits"]],
                   what="confirmation edited")
        [m] = [m for m in self.fake.messages(MARIA) if m["message_id"] == mid]
        self.assertIn("Готово: ваши данные удалены", m["text"])
        self.assertFalse(m.get("reply_markup"))
        # Once sent, the last message's row goes too.
        wait_until(lambda: self.bot.query(
            "SELECT count(*) FROM outbox WHERE chat_id = ?", MARIA) == [(0,)],
            what="her outbox rows gone")

        # Nothing of hers anywhere: every cell of every table.
        con = sqlite3.connect("file:%s?mode=ro" % self.bot.db_path, uri=True)
        traces = []
        for (table,) in con.execute("SELECT name FROM sqlite_master"
                                    " WHERE type = 'table'"):
            cur = con.execute('SELECT * FROM "%s"' % table)
            cols = [d[0] for d in cur.description]
            for row in cur:
                for col, v in zip(cols, row):
                    if v == MARIA or (isinstance(v, str) and any(
                            w in v for w in ("Мария", "maria_k", "Петрова",
                                             str(MARIA)))):
                        traces.append((table, col, v))
        con.close()
        self.assertEqual(traces, [])
        # Her pledges are anonymous now, and the totals did not move.
        self.assertEqual(self.totals(), totals)
        self.assertEqual(self.bot.query(
            "SELECT kind, amount, anonymous, display_name FROM pledges"
            " WHERE user_id IS NULL ORDER BY id"),
            [("money", 50000, 1, None), ("time", 1, 1, None)])
        # Pavel is untouched.
        self.assertEqual(self.bot.query(
            "SELECT first_name, username FROM users WHERE id = ?", PAVEL),
            [("Павел", "pavel")])
        self.assertEqual(self.bot.query(
            "SELECT user_id, display_name FROM pledges WHERE user_id = ?",
            PAVEL), [(PAVEL, "Павел")])
        self.assertEqual(self.bot.query(
            "SELECT count(*) FROM subscriptions WHERE user_id = ?", PAVEL),
            [(1,)])
        # The log says what was done, not to whom.
        log = self.bot.log()
        self.assertIn("a citizen asked to be forgotten: 2 pledges anonymised, "
                      "1 subscriptions", log)
        forget_line = [l for l in log.splitlines() if "forgotten" in l][0]
        self.assertNotIn(str(MARIA), forget_line)
        # She may come back: a new person, with a name and a language.
        self.say(MARIA, "/start", first_name="Мария", last_name="Петрова",
                 username="maria_k")
        self.assertEqual(self.bot.query(
            "SELECT first_name, last_name, role FROM users WHERE id = ?",
            MARIA), [("Мария", None, "citizen")])
        self.assertEqual(self.bot.query(
            "SELECT count(*) FROM pledges WHERE user_id = ?", MARIA), [(0,)])

    def test_no_keeps_everything(self):
        self.seed()
        r = self.ask()
        mid = r["response"]["result"]["message_id"]
        self.press(MARIA, "fg:n", mid)
        wait_until(lambda: [m for m in self.fake.messages(MARIA)
                            if m["message_id"] == mid and m["edits"]],
                   what="confirmation edited")
        [m] = [m for m in self.fake.messages(MARIA) if m["message_id"] == mid]
        self.assertEqual(m["text"], "Хорошо, ничего не удаляю.")
        self.assertEqual(self.bot.query(
            "SELECT first_name FROM users WHERE id = ?", MARIA), [("Мария",)])
        self.assertEqual(self.bot.query(
            "SELECT count(*) FROM pledges WHERE user_id = ?", MARIA), [(2,)])
        self.assertEqual(self.bot.query(
            "SELECT count(*) FROM conversations WHERE chat_id = ?", MARIA),
            [(0,)])

    def test_cancelled_request_makes_the_button_stale(self):
        self.seed()
        r = self.ask(lang="en")
        self.assertIn("Delete your data?", r["params"]["text"])
        self.say(MARIA, "/cancel")
        self.press(MARIA, "fg:y", r["response"]["result"]["message_id"], "en")
        wait_until(lambda: any(c.get("answered") for c in
                               self.fake.callbacks().values()), what="answer")
        [cb] = self.fake.callbacks().values()
        self.assertEqual(cb["text"],
                         "This button is out of date. Please open the list again.")
        self.drained()
        self.assertEqual(self.bot.query(
            "SELECT count(*) FROM pledges WHERE user_id = ?", MARIA), [(2,)])
        self.assertEqual(self.bot.query(
            "SELECT count(*) FROM users WHERE id = ?", MARIA), [(1,)])

    def test_organisers_and_admins_are_not_forgotten_by_a_button(self):
        self.seed()
        self.say(ADMIN, "/grant %d" % MARIA)
        r = self.ask()
        self.assertIn("Вы организатор", r["params"]["text"])
        self.assertNotIn("reply_markup", r["params"])
        r = self.ask(ADMIN)
        self.assertIn("Вы администратор бота", r["params"]["text"])
        self.assertEqual(self.bot.query(
            "SELECT count(*) FROM conversations WHERE flow = 'forget'"), [(0,)])
        self.assertEqual(self.bot.query(
            "SELECT count(*) FROM users WHERE id IN (?, ?)", MARIA, ADMIN),
            [(2,)])


class PrivacyText(PrivacyBase):
    def test_privacy_in_russian_and_english(self):
        self.bot.start()
        [r] = self.say(MARIA, "/privacy")
        t = r["params"]["text"]
        for phrase in ("152-ФЗ", "Оператор персональных данных", "имя и @username",
                       "обещания помощи", "подписки", "черновик", "/forgetme",
                       "Фамилию, телефон и местоположение я не храню"):
            self.assertIn(phrase, t)
        [r] = self.say(PAVEL, "/privacy", language_code="en")
        t = r["params"]["text"]
        for phrase in ("152-FZ", "operator of personal data", "/forgetme",
                       "I do not keep your last name"):
            self.assertIn(phrase, t)
        # In a group too (it is nobody's secret).
        self.fake.send_text(PAVEL, "/privacy@dobro_test_bot", chat_id=GROUP,
                            chat_type="group")
        [r] = self.wait_replies(1, chat_id=GROUP)
        self.assertIn("152-ФЗ", r["params"]["text"])

    def test_last_name_is_not_kept(self):
        self.bot.start()
        self.say(MARIA, "/start", first_name="Мария", last_name="Петрова")
        self.assertEqual(self.bot.query(
            "SELECT first_name, last_name FROM users WHERE id = ?", MARIA),
            [("Мария", None)])


class SentMessagesFade(BotTestCase):
    """A week after a message is sent, its text leaves the outbox (it may
    name people); the record of what went where stays."""

    def test_payloads_emptied_after_a_week(self):
        offset = os.path.join(self.tmp.name, "clock-offset")
        with open(offset, "w") as f:
            f.write("0\n")
        self.bot = Daemon(self.tmp.name, self.fake.base_url, self.config,
                          env={"DOBROBOT_CLOCK_OFFSET_FILE": offset})
        self.bot.start()
        self.fake.send_text(MARIA, "/start", **NAMES[MARIA])
        self.wait_replies(1, chat_id=MARIA)
        wait_until(lambda: self.bot.query(
            "SELECT count(*) FROM outbox WHERE chat_id = ? AND state = 'sent'",
            MARIA)[0][0] >= 1, what="the greeting recorded as sent")
        self.bot.stop()
        # Six days on: still kept.
        with open(offset, "w") as f:
            f.write("%d\n" % (6 * 86400))
        self.bot.start()
        time.sleep(1.0)
        self.assertIn("Мария", self.bot.query(
            "SELECT payload FROM outbox WHERE chat_id = ?", MARIA)[0][0])
        self.bot.stop()
        # Eight days on: the text is gone, the row and its answer stay.
        with open(offset, "w") as f:
            f.write("%d\n" % (8 * 86400))
        self.bot.start()
        wait_until(lambda: self.bot.query(
            "SELECT payload FROM outbox WHERE chat_id = ?", MARIA) == [("{}",)],
            what="the payload emptied")
        rows = self.bot.query("SELECT state, method, message_id IS NOT NULL"
                              " FROM outbox WHERE chat_id = ?", MARIA)
        self.assertEqual(rows, [("sent", "sendMessage", 1)])


def file_traces(db_path, needles):
    """Which of the database's files (the database, its WAL and shared
    memory) hold which needles, as raw bytes."""
    found = []
    for suffix in ("", "-wal", "-shm"):
        path = db_path + suffix
        if not os.path.exists(path):
            continue
        with open(path, "rb") as f:
            data = f.read()
        for n in needles:
            if n in data:
                found.append((suffix or "db", n))
    return found


def her_needles():
    """Maria as bytes: her names, her id as text and as SQLite stores an
    integer (4 bytes, big-endian)."""
    return [w.encode() for w in ("Мария", "maria_k", "Петрова", str(MARIA))] \
        + [MARIA.to_bytes(4, "big")]


class ForgetLeavesNoBytes(PrivacyBase):
    def test_forgotten_person_is_in_no_byte_of_the_files(self):
        self.seed()
        now = int(time.time() * 1000)
        # The action shown in her chat (the progress job edits it there).
        self.write(("INSERT INTO announcements(action_id, chat_id, message_id,"
                    " shown_version, created_at) VALUES (1, ?, 77, 0, ?)",
                    (MARIA, now)))
        # A quick pledge, shown by name once she says so; the organiser's
        # list and someone's /report then name her in other chats.
        [r] = self.say(MARIA, "/pledge 1 700", last_name="Петрова")
        kb = r["params"]["reply_markup"]["inline_keyboard"]
        self.press(MARIA, kb[0][0]["callback_data"],
                   r["response"]["result"]["message_id"])
        self.wait_replies(3, chat_id=MARIA)
        [r] = self.say(ADMIN, "/pledges 1")
        self.assertIn("Мария П.", r["params"]["text"])
        [r] = self.say(PAVEL, "/report 1")
        self.assertIn("Мария П.", r["params"]["text"])
        self.drained()
        self.assertNotEqual(file_traces(self.bot.db_path, her_needles()), [])

        mid = self.ask()["response"]["result"]["message_id"]
        self.press(MARIA, "fg:y", mid)
        wait_until(lambda: self.bot.query(
            "SELECT count(*) FROM outbox WHERE chat_id = ?", MARIA) == [(0,)],
            what="her outbox rows gone")
        # Nothing in the tables...
        self.assertEqual(self.bot.query(
            "SELECT count(*) FROM announcements WHERE chat_id = ?", MARIA),
            [(0,)])
        self.assertEqual(self.bot.query("SELECT count(*) FROM dead_letters"),
                         [(0,)])
        self.assertEqual(self.bot.query(
            "SELECT count(*) FROM outbox WHERE payload LIKE '%Мария%'"),
            [(0,)])
        # ...and nothing in the bytes of the files: deleted rows are zeroed
        # (secure_delete) and the WAL is emptied once her last message is
        # gone.
        wait_until(lambda: file_traces(self.bot.db_path, her_needles()) == [],
                   timeout=15, what="no byte of hers in the files (left: %s)"
                   % (file_traces(self.bot.db_path, her_needles()),))
        # The public list no longer has her lines; Pavel's stays.
        [r] = self.say(PAVEL, "/report 1")
        t = r["params"]["text"]
        self.assertIn("Павел — 100\xa0₽ ⏳\n<i>", t)
        self.assertNotIn("аноним", t)
        self.assertIn("получено: 500\xa0₽", t)


class ShownAsTheyChose(PrivacyBase):
    def test_quick_pledge_asks_once_and_remembers(self):
        self.seed()
        [r] = self.say(MARIA, "/pledge 1 500", last_name="Петрова")
        t = r["params"]["text"]
        self.assertIn("вы пока — «аноним». Показывать ваше имя?", t)
        kb = r["params"]["reply_markup"]["inline_keyboard"]
        self.assertEqual([b["text"] for row in kb for b in row],
                         ["Показывать как «Мария П.»", "Анонимно"])
        [pid] = [p for (p,) in self.bot.query(
            "SELECT id FROM pledges WHERE user_id = ? AND amount = 50000"
            " AND status = 'pledged'", MARIA)]
        self.assertEqual([b["callback_data"] for row in kb for b in row],
                         ["sn:%d:1" % pid, "sn:%d:0" % pid])
        self.assertEqual(self.bot.query(
            "SELECT anonymous FROM pledges WHERE id = ?", pid), [(1,)])
        # Until she answers, the public list says «аноним».
        self.fake.send_text(PAVEL, "/report@dobro_test_bot 1", chat_id=GROUP,
                            chat_type="group", **NAMES[PAVEL])
        [g] = self.wait_replies(1, chat_id=GROUP)
        self.assertIn("аноним — 500\xa0₽ ⏳", g["params"]["text"])
        # Someone else's press changes nothing.
        self.press(PAVEL, "sn:%d:1" % pid, r["response"]["result"]["message_id"])
        wait_until(lambda: any(c.get("answered") and "устарела" in
                               (c.get("text") or "")
                               for c in self.fake.callbacks().values()),
                   what="stale answer")
        # Forged data from her: stale too.
        mid = r["response"]["result"]["message_id"]
        for data in ("sn:%d:2" % pid, "sn:%d" % pid, "sn:x:1", "sn:99999:1",
                     "sn:%d:1:1" % pid, "sn:-%d:1" % pid):
            self.press(MARIA, data, mid)
        wait_until(lambda: sum(1 for c in self.fake.callbacks().values()
                               if c.get("answered") and "устарела" in
                               (c.get("text") or "")) == 7,
                   what="every forged press answered as stale")
        self.assertEqual(self.bot.query(
            "SELECT anonymous FROM pledges WHERE id = ?", pid), [(1,)])
        self.assertEqual(self.bot.query(
            "SELECT show_name FROM users WHERE id = ?", MARIA), [(None,)])
        # Hers is remembered and applied.
        before = len(self.replies(chat_id=MARIA))
        self.press(MARIA, "sn:%d:1" % pid, r["response"]["result"]["message_id"])
        [ok] = self.wait_replies(before + 1, chat_id=MARIA)[before:]
        self.assertIn("вы — «Мария П.»", ok["params"]["text"])
        wait_until(lambda: self.bot.query(
            "SELECT anonymous FROM pledges WHERE id = ?", pid) == [(0,)],
            what="the pledge shown by name")
        self.assertEqual(self.bot.query(
            "SELECT show_name FROM users WHERE id = ?", MARIA), [(1,)])
        [r2] = self.say(MARIA, "/pledge 1 300", last_name="Петрова")
        self.assertNotIn("reply_markup", r2["params"])
        self.assertIn("В списке помощников вы — «Мария П.»",
                      r2["params"]["text"])
        # «анонимно» still hides one pledge.
        [r3] = self.say(MARIA, "/pledge 1 200 анонимно", last_name="Петрова")
        self.assertIn("Вы помогаете анонимно", r3["params"]["text"])
        self.assertNotIn("reply_markup", r3["params"])
        self.assertEqual(self.bot.query(
            "SELECT amount, anonymous FROM pledges WHERE user_id = ?"
            " AND kind = 'money' AND status = 'pledged' ORDER BY id", MARIA),
            [(50000, 0), (30000, 0), (20000, 1)])
        [r4] = self.say(PAVEL, "/report 1")
        t = r4["params"]["text"]
        self.assertIn("Мария П. — 500\xa0₽ ⏳", t)
        self.assertIn("Мария П. — 300\xa0₽ ⏳", t)
        self.assertIn("аноним — 200\xa0₽ ⏳", t)

    def test_anonymous_answer_is_remembered(self):
        self.seed()
        [r] = self.say(PAVEL, "/pledge 1 500", last_name="Смирнов")
        pid = self.bot.query("SELECT max(id) FROM pledges")[0][0]
        # The press's own answer comes as a reply too: wait for it, or it
        # would be taken for the answer to the next /pledge.
        before = len(self.replies(chat_id=PAVEL))
        self.press(PAVEL, "sn:%d:0" % pid, r["response"]["result"]["message_id"])
        [ok] = self.wait_replies(before + 1, chat_id=PAVEL)[before:]
        self.assertIn("«аноним»", ok["params"]["text"])
        self.assertEqual(self.bot.query(
            "SELECT show_name FROM users WHERE id = ?", PAVEL), [(0,)])
        [r2] = self.say(PAVEL, "/pledge 1 300", last_name="Смирнов")
        self.assertIn("Вы помогаете анонимно", r2["params"]["text"])
        self.assertNotIn("reply_markup", r2["params"])
        self.assertEqual(self.bot.query(
            "SELECT amount, anonymous FROM pledges WHERE user_id = ?"
            " AND status = 'pledged' ORDER BY id", PAVEL),
            [(10000, 0), (50000, 1), (30000, 1)])


class Retention(BotTestCase):
    """Nothing grows without bound: dead letters go after 30 days, done
    messages after 90, migration backups beyond the newest 3."""

    def test_dead_letters_and_done_messages_expire(self):
        offset = os.path.join(self.tmp.name, "clock-offset")
        with open(offset, "w") as f:
            f.write("0\n")
        self.bot = Daemon(self.tmp.name, self.fake.base_url, self.config,
                          env={"DOBROBOT_CLOCK_OFFSET_FILE": offset})
        self.bot.start()
        self.fake.send_text(MARIA, "/start", **NAMES[MARIA])
        self.wait_replies(1, chat_id=MARIA)
        bad = self.fake.message(PAVEL, "/start", first_name="Павел")
        bad["message"]["from"]["id"] = "not a number"
        self.fake.queue(bad)
        wait_until(lambda: self.bot.query(
            "SELECT count(*) FROM dead_letters") == [(1,)], what="dead letter")
        wait_until(lambda: self.bot.query(
            "SELECT count(*) FROM outbox WHERE chat_id = ? AND state = 'sent'",
            MARIA)[0][0] >= 1, what="the greeting sent")

        def restart_at(days):
            self.bot.stop()
            with open(offset, "w") as f:
                f.write("%d\n" % (days * 86400))
            self.bot.start()

        restart_at(29)
        time.sleep(1.5)
        self.assertEqual(self.bot.query("SELECT count(*) FROM dead_letters"),
                         [(1,)])
        restart_at(31)
        wait_until(lambda: self.bot.query(
            "SELECT count(*) FROM dead_letters") == [(0,)],
            what="the dead letter deleted")
        self.assertIn("deleted 1 dead letters older than 30 days",
                      self.bot.log())
        self.assertEqual(self.bot.query(
            "SELECT count(*) FROM outbox WHERE chat_id = ?", MARIA), [(1,)])
        restart_at(89)
        time.sleep(1.5)
        self.assertEqual(self.bot.query(
            "SELECT count(*) FROM outbox WHERE chat_id = ?", MARIA), [(1,)])
        restart_at(91)
        wait_until(lambda: self.bot.query(
            "SELECT count(*) FROM outbox WHERE chat_id = ?", MARIA) == [(0,)],
            what="the old message deleted")
        # What is still to be sent is never deleted: the menus of this start.
        self.assertGreater(self.bot.query(
            "SELECT count(*) FROM outbox")[0][0], 0)

    def test_old_backups_pruned_and_files_made_owner_only(self):
        # A database restored from a copy with the usual 0644, and six
        # migration backups, also 0644.
        self.bot.start()
        self.fake.send_text(MARIA, "/start", **NAMES[MARIA])
        self.wait_replies(1, chat_id=MARIA)
        self.bot.stop()
        db = self.bot.db_path
        for v in range(1, 7):
            with open("%s.bak-v%d" % (db, v), "wb") as f:
                f.write(b"backup %d" % v)
        other = db + ".bak-vX"  # not ours: left alone
        with open(other, "wb") as f:
            f.write(b"operator's")
        with open(db + "-wal", "wb"):
            pass
        for path in [db, db + "-wal", other] + \
                ["%s.bak-v%d" % (db, v) for v in range(1, 7)]:
            os.chmod(path, 0o644)
        self.bot.start()
        self.fake.send_text(MARIA, "/help", **NAMES[MARIA])
        self.wait_replies(2, chat_id=MARIA)
        for suffix in ("", "-wal", "-shm"):
            self.assertEqual(os.stat(db + suffix).st_mode & 0o777, 0o600,
                             suffix)
        data = os.path.dirname(db)
        kept = sorted(n for n in os.listdir(data) if ".bak-v" in n)
        self.assertEqual(kept, ["dobrobot.db.bak-v4", "dobrobot.db.bak-v5",
                                "dobrobot.db.bak-v6", "dobrobot.db.bak-vX"])
        for v in (4, 5, 6):
            self.assertEqual(os.stat("%s.bak-v%d" % (db, v)).st_mode & 0o777,
                             0o600)
        self.assertEqual(os.stat(other).st_mode & 0o777, 0o644)
        self.assertIn("was readable by others (mode 0644): now 0600",
                      self.bot.log())
