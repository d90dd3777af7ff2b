"""Helpers for the actions and pledges scenarios (test_actions.py,
test_pledges.py): a database prepared before the daemon starts, the
/announce wizard driven to publication, waiting for a particular reply,
and money written the way the bot writes it."""

import json
import re
import sqlite3
import time

from lib.daemon import BotTestCase, wait_until
from lib.markup import button_pairs as buttons  # noqa: F401 (re-exported)

BOT = "dobro_test_bot"
NBSP = "\u00a0"
LEADERS = -1001234567890
ORGANISER = 1  # a config admin: organiser rights and more
JOB_S = 2      # the progress job runs every 2 s


def rub(kopecks):
    """1 500,50 ₽ — as money_format writes it."""
    r, k = divmod(kopecks, 100)
    s = "{:,}".format(r).replace(",", NBSP)
    if k:
        s += ",%02d" % k
    return s + NBSP + "₽"


class ActionsCase(BotTestCase):
    """A daemon whose leaders' group is LEADERS; prepare() seeds the
    database before start()."""

    config = {"leaders_chat_id": LEADERS}

    def prepare(self, users=(), subscriptions=()):
        """Creates the database and adds users (id, first_name, lang, role,
        blocked) and subscriptions (user, direction) before the daemon
        runs."""
        r = self.bot.run_cli("migrate", "--config", self.bot.config_path)
        self.assertEqual(r.returncode, 0, r.stderr)
        con = sqlite3.connect(self.bot.db_path, isolation_level=None)
        now = int(time.time() * 1000)
        for uid, name, lang, role, blocked in users:
            con.execute("INSERT INTO users(id, first_name, language, role,"
                        " blocked, created_at, updated_at, subscribe_asked)"
                        " VALUES (?, ?, ?, ?, ?, ?, ?, 1)",
                        (uid, name, lang, role, blocked, now, now))
        for uid, direction in subscriptions:
            con.execute("INSERT INTO subscriptions(user_id, direction)"
                        " VALUES (?, ?)", (uid, direction))
        con.close()

    def write_db(self, sql, *args):
        con = sqlite3.connect(self.bot.db_path, timeout=10,
                              isolation_level=None)
        try:
            return con.execute(sql, args).lastrowid
        finally:
            con.close()

    # ---- replies ----

    def texts(self, chat_id):
        return [r["params"]["text"] for r in self.replies(chat_id=chat_id)]

    def wait_reply(self, chat_id, needle, since=0, timeout=20):
        """The first message to chat_id after the first `since` ones whose
        text contains needle (a string) or matches it (a callable)."""
        def find():
            for r in self.replies(chat_id=chat_id)[since:]:
                t = r["params"]["text"]
                if (needle(r) if callable(needle) else needle in t):
                    return r
            return None
        try:
            return wait_until(find, timeout, what="a reply with %r" % needle)
        except AssertionError:
            raise AssertionError("no reply with %r to %s; got:\n%s" % (
                needle, chat_id, "\n---\n".join(
                    self.texts(chat_id)[since:]))) from None

    def count(self, chat_id):
        return len(self.replies(chat_id=chat_id))

    def say(self, user, *texts, **kw):
        """Queues messages from user in one go; returns the reply count
        before them."""
        n = self.count(kw.get("chat_id", user))
        self.fake.queue([self.fake.message(user, t, **kw) for t in texts])
        return n

    def press(self, user, data, message_id, last_name=None, **kw):
        """Queues a button press; returns the reply count before it."""
        n = self.count(kw.get("chat_id", user))
        upd = self.fake.callback(user, data, message_id, **kw)
        if last_name:
            upd["callback_query"]["from"]["last_name"] = last_name
        self.fake.queue([upd])
        return n

    def show_my_name(self, user, reply, first_name=None, last_name=None):
        """Answers the one-time question a quick /pledge asks (how to show
        the person) with "show my name", when `reply` asks it; waits for
        the confirmation. The press carries the names the pledge did (a
        press names its sender too, and the bot keeps the latest name)."""
        asks = [d for _, d in buttons(reply["params"].get("reply_markup"))
                if d.startswith("sn:") and d.endswith(":1")]
        if not asks:
            return
        names = {"last_name": last_name}
        if first_name is not None:
            names["first_name"] = first_name
        n = self.press(user, asks[0], self.message_id(reply), **names)
        self.wait_reply(user, "в списках помощников вы — «", n)

    def message_id(self, reply):
        return reply["response"]["result"]["message_id"]

    def callback_answer(self, text, timeout=10):
        """Waits for an answerCallbackQuery whose text contains `text`."""
        return self.fake.wait_sent(
            lambda s: text in (s["params"].get("text") or ""),
            method="answerCallbackQuery", timeout=timeout)[0]

    def conversation(self, user):
        rows = self.bot.query("SELECT flow, step FROM conversations"
                              " WHERE user_id = ?", user)
        return rows[0] if rows else None

    def pledge(self, user, aid, what, show_name=False, **kw):
        """/pledge <aid> <what> from user, waited for; returns the new
        pledge's number. show_name: answer the one-time question with
        "show my name". kw: the message's fields (first_name, ...)."""
        n = self.say(user, "/pledge %d %s" % (aid, what), **kw)
        reply = self.wait_reply(user, "Спасибо, записал", n)
        if show_name:
            self.show_my_name(user, reply, kw.get("first_name"),
                              kw.get("last_name"))
        return int(re.search(r"Обещание №(\d+)",
                             reply["params"]["text"]).group(1))

    # ---- the wizard ----

    def announce(self, user=ORGANISER, title="Тёплые вещи для приюта",
                 description="Собираем тёплые вещи для приюта «Надежда».",
                 direction="социальное", when="30.11.2030 15:00",
                 place="ул. Ленина, 12", goal="50 000",
                 goods="тёплые одеяла — 20 шт\nкрупа 50 кг", volunteers="10",
                 **kw):
        """Runs /announce to publication; returns the new action's id. kw
        go with every message and press (e.g. username)."""
        since = self.say(user, "/announce", title, description, direction,
                         when, place, goal, goods, volunteers, **kw)
        preview = self.wait_reply(user, lambda r: "an:pub" in json.dumps(
            r["params"].get("reply_markup")), since)
        since = self.press(user, "an:pub", self.message_id(preview), **kw)
        done = self.wait_reply(user, "Опубликовано", since)
        return int(re.search(r"Акция №(\d+)", done["params"]["text"]).group(1))

    def close_preview(self, since, user=ORGANISER):
        """Waits for /close's preview (nothing sent yet) to user."""
        return self.wait_reply(user, lambda r: "cl:pub:" in json.dumps(
            r["params"].get("reply_markup")), since)

    def publish_close(self, since, user=ORGANISER):
        """Waits for /close's preview and presses «Опубликовать»; returns
        the reply count before the press."""
        preview = self.close_preview(since, user)
        data = [d for _, d in buttons(preview["params"]["reply_markup"])
                if d.startswith("cl:pub:")][0]
        return self.press(user, data, self.message_id(preview))

    def group_copy(self, action_id, chat_id=LEADERS):
        """The bot's message in chat_id announcing the action, as it looks
        now (edits applied)."""
        for m in self.fake.messages(chat_id):
            if "Акция №%d" % action_id in m["text"] or \
               "Action #%d" % action_id in m["text"]:
                return m
        return None

    def wait_group_text(self, action_id, needle, chat_id=LEADERS, timeout=20):
        def ok():
            m = self.group_copy(action_id, chat_id)
            return m if m and needle in m["text"] else None
        try:
            return wait_until(ok, timeout, what="announcement with %r" % needle)
        except AssertionError:
            m = self.group_copy(action_id, chat_id)
            raise AssertionError("announcement of %d in %d lacks %r:\n%s" % (
                action_id, chat_id, needle, m and m["text"])) from None

    def settled(self, timeout=30):
        """Waits until every posted copy shows its action's last version
        and nothing is left to send."""
        def done():
            stale = self.bot.query(
                "SELECT count(*) FROM announcements an JOIN actions a"
                " ON a.id = an.action_id WHERE an.message_id IS NOT NULL"
                " AND an.shown_version < a.version")[0][0]
            # Reminders wait in the outbox with a later not_before.
            busy = self.bot.query(
                "SELECT count(*) FROM outbox WHERE state = 'sending' OR"
                " (state = 'pending' AND not_before <= ?)",
                int(time.time() * 1000))[0][0]
            return stale == 0 and busy == 0
        wait_until(done, timeout, what="announcements up to date")
