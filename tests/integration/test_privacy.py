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
