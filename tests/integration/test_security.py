"""Security: the authorisation matrix (every command x every role x private
and group, from the command table itself), hostile input, the token kept
out of files, logs and /proc, core dumps, file permissions, and the
configuration's guards (https only, TLS always verified)."""

import json
import os
import resource
import signal
import sqlite3
import subprocess
import time

from lib.daemon import (TOKEN, TOKEN_SECRET, BotTestCase, dobrobot_bin,
                        files_holding, release_bin, wait_until)

BOT = "dobro_test_bot"
ADMIN = 1
CITIZEN = 2001
ORGANISER = 2002
GROUP = -5001
RANK = {"citizen": 0, "organiser": 1, "admin": 2}

# What each refusal says (router.c, i18n.c), by reason.
REFUSALS = {
    "private_only": "работает в личном чате со мной",
    "group_only": "работает только в группе",
    "organiser": "доступна только организаторам",
    "admin": "доступна только администраторам",
}
APOLOGY = "Простите, я не смог обработать"

# Columns that change with every update whatever it says.
VOLATILE = {"updated_at"}


def snapshot(db_path):
    """Every table but the bookkeeping ones, as sorted rows: what a refused
    command must not change."""
    con = sqlite3.connect("file:%s?mode=ro" % db_path, uri=True, timeout=10)
    try:
        out = {}
        tables = [r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'"
            " AND name NOT LIKE 'sqlite_%'")]
        for t in tables:
            # user_budget counts every update a user sends (refused ones
            # too); outbox_heads follows the outbox.
            if t in ("outbox", "outbox_heads", "processed_updates",
                     "dead_letters", "user_budget"):
                continue
            cur = con.execute('SELECT * FROM "%s"' % t)
            cols = [d[0] for d in cur.description]
            rows = []
            for r in cur.fetchall():
                row = tuple(v for c, v in zip(cols, r) if c not in VOLATILE)
                if t == "bot_state" and r[0] in ("last_update_id", "heartbeat"):
                    continue
                rows.append(row)
            out[t] = sorted(rows, key=repr)
        return out
    finally:
        con.close()


class SecurityBase(BotTestCase):
    def command_table(self):
        r = self.bot.run_cli("commands", "--config", self.bot.config_path)
        self.assertEqual(r.returncode, 0, r.stderr)
        return json.loads(r.stdout)

    def drained(self):
        wait_until(lambda: self.bot.query(
            "SELECT count(*) FROM outbox WHERE state IN ('pending', 'sending')"
            " AND not_before <= ?", int(time.time() * 1000) + 100) == [(0,)],
            what="outbox drained")

    def assert_all_sends_accepted(self):
        """Every message the bot sent was valid for Telegram: well-formed
        HTML (user text escaped) within 4096 characters."""
        for s in self.fake.sent():
            if s["method"] in ("sendMessage", "editMessageText"):
                self.assertEqual(s["status"], 200, (s["response"],
                                                    s["params"].get("text", "")[:300]))

    def seed_roles(self, groups=(GROUP,)):
        # Dozens of answers in groups within seconds: Telegram's 20 a
        # minute per group is not what is tested here.
        self.fake.limits(group_per_min=100000)
        self.bot.start()
        self.say(ADMIN, "/start", first_name="Админ")
        self.say(CITIZEN, "/start", first_name="Жанна")
        self.say(ORGANISER, "/start", first_name="Олег", username="oleg")
        [t] = self.say(ADMIN, "/grant %d" % ORGANISER)
        self.assertIn("теперь организатор", t)
        for g in groups:
            for u in (ADMIN, CITIZEN, ORGANISER):
                self.fake.send_text(u, "всем привет", chat_id=g,
                                    chat_type="group", chat_title="Группа")
        self.say(ADMIN, "/help")  # a barrier: the group messages are in
        self.drained()


class AuthorisationMatrix(SecurityBase):
    # The matrix fires every command at once from three users, far past
    # the 60 updates a minute one person may send (limits.updates_per_min,
    # tested in test_sender.py); here each must reach its handler.
    config = {"limits": {"updates_per_min": 100000,
                         "pending_replies": 100000}}

    def test_every_command_every_role_every_place(self):
        table = self.command_table()
        self.assertGreaterEqual(len(table["commands"]), 9)
        # One group per command: the bot sends at most one message a
        # second to a group, and there are dozens of answers to check.
        group_of = {c["name"]: GROUP - i
                    for i, c in enumerate(table["commands"])}
        self.seed_roles(groups=group_of.values())
        roles = {"citizen": CITIZEN, "organiser": ORGANISER, "admin": ADMIN}
        refused, allowed = [], []
        for c in table["commands"]:
            for role, uid in roles.items():
                for place in ("private", "group"):
                    why = None
                    if place not in c["where"]:
                        why = "group_only" if place == "private" else "private_only"
                    elif RANK[role] < RANK[c["role"]]:
                        why = c["role"]
                    (refused if why else allowed).append((c["name"], role, uid,
                                                          place, why))
        print("\n  matrix: %d commands x 3 roles x 2 places = %d cases, %d "
              "refused" % (len(table["commands"]), len(refused) + len(allowed),
                           len(refused)))

        def update(name, uid, place):
            if place == "private":
                return self.fake.message(uid, "/" + name)
            return self.fake.message(uid, "/%s@%s" % (name, BOT),
                                     chat_id=group_of[name], chat_type="group",
                                     chat_title="Группа")

        # Refused: each answered with the right sentence, nothing changed.
        before = snapshot(self.bot.db_path)
        chats = (CITIZEN, ORGANISER, ADMIN) + tuple(group_of.values())
        counts = {ch: len(self.replies(chat_id=ch)) for ch in chats}
        expect = {ch: [] for ch in counts}
        for name, role, uid, place, why in refused:
            ch = uid if place == "private" else group_of[name]
            expect[ch].append((name, role, place, why))
        self.fake.queue([update(n, u, p) for n, _, u, p, _ in refused])
        for ch, exp in expect.items():
            if not exp:
                continue
            try:
                got = self.wait_replies(counts[ch] + len(exp),
                                        chat_id=ch)[counts[ch]:]
            except AssertionError:
                got = self.replies(chat_id=ch)[counts[ch]:]
                self.fail("chat %d: %d answers for %d refusals: %s" % (
                    ch, len(got), len(exp), [(e, r["params"]["text"][:60])
                                            for e, r in zip(exp, got)]))
            for (name, role, place, why), r in zip(exp, got):
                text = r["params"]["text"]
                self.assertIn(REFUSALS[why], text, (name, role, place))
                self.assertIn("/" + name, text, (name, role, place))
        self.drained()
        time.sleep(0.3)
        self.assertEqual(snapshot(self.bot.db_path), before,
                         "a refused command changed the database")
        self.assertEqual(self.bot.query("SELECT count(*) FROM dead_letters"),
                         [(0,)])

        # Allowed: none is refused, none fails. A last message in each
        # chat marks the end of its answers.
        counts = {ch: len(self.replies(chat_id=ch)) for ch in counts}
        self.fake.queue([update(n, u, p) for n, _, u, p, _ in allowed])
        for uid in (CITIZEN, ORGANISER, ADMIN):
            self.fake.send_text(uid, "/zzbarrier")
        for g in group_of.values():
            self.fake.send_text(CITIZEN, "/grant@%s" % BOT, chat_id=g,
                                chat_type="group")

        def answers(ch):
            got = [r["params"]["text"] for r in self.replies(chat_id=ch)[counts[ch]:]]
            for i, t in enumerate(got):
                if "/zzbarrier" in t or (ch < 0 and "/grant" in t and
                                         REFUSALS["admin"] in t):
                    return got[:i] or ["(none)"]
            return None
        n_allowed = 0
        for ch in counts:
            got = wait_until(lambda: answers(ch), what="barrier in %d" % ch)
            for t in got:
                n_allowed += 1
                for why, phrase in REFUSALS.items():
                    self.assertNotIn(phrase, t, (ch, t[:200]))
                self.assertNotIn(APOLOGY, t)
        self.assertGreaterEqual(n_allowed, len(allowed) // 2)
        self.assertEqual(self.bot.query("SELECT count(*) FROM dead_letters"),
                         [(0,)])
        self.assert_all_sends_accepted()

    def test_buttons_need_the_role(self):
        table = self.command_table()
        self.seed_roles()
        [start] = [r for r in self.replies(chat_id=CITIZEN)][:1]
        mid = start["response"]["result"]["message_id"]
        before = snapshot(self.bot.db_path)
        pressed = []
        for cb in table["callbacks"]:
            for role, uid in (("citizen", CITIZEN), ("organiser", ORGANISER)):
                if RANK[role] < RANK[cb["role"]]:
                    pressed.append(self.fake.press(uid, cb["prefix"] + ":1", mid,
                                                   chat_id=uid))
        if not pressed:
            self.skipTest("no button needs a role yet")
        wait_until(lambda: sum(1 for c in self.fake.callbacks().values()
                               if c.get("answered")) >= len(pressed),
                   what="every press answered")
        for c in self.fake.callbacks().values():
            self.assertEqual(c["text"], "Эта кнопка не для вас.")
            self.assertTrue(c["show_alert"])
        self.drained()
        self.assertEqual(snapshot(self.bot.db_path), before)


def hostile_user(uid, first_name, **kw):
    u = {"id": uid, "is_bot": False, "first_name": first_name}
    u.update(kw)
    return u


class HostileInput(SecurityBase):
    config = {"leaders_chat_id": None}

    def test_texts_at_and_beyond_telegram_limits(self):
        self.bot.start()
        self.say(ADMIN, "/start")
        # 4096 characters, the most Telegram delivers, and far beyond.
        long_arg = "/grant " + "я" * 4089
        [t] = self.say(ADMIN, long_arg)
        self.assertIn("Я не знаю пользователя <code>" + "я" * 64 + "…</code>", t)
        self.assertLess(len(t), 400)
        [t] = self.say(ADMIN, "x" * 20000)
        self.assertIn("Я бот добрых дел", t)
        [t] = self.say(ADMIN, "/" + "a" * 33)  # longer than a command name
        self.assertIn("Я бот добрых дел", t)
        # A 10,000-character name is still greeted, in parts that fit.
        self.fake.send_text(601, "/start", first_name="Щ" * 10000)
        parts = self.wait_replies(4, chat_id=601)
        text = "".join(r["params"]["text"] for r in parts)
        self.assertTrue(text.startswith("Здравствуйте,"), text[:100])
        self.assertEqual(text.count("Щ"), 10000)
        self.assert_all_sends_accepted()
        self.assertTrue(self.bot.alive())

    def test_markup_sql_and_control_characters_are_inert(self):
        self.bot.start()
        self.say(ADMIN, "/start")
        nasty = ("<b>Bold</b> & <a href=\"tg://user?id=1\">x</a> &amp; "
                 "*bold* _it_ [l](http://x) `c` \\ "
                 "Robert'); DROP TABLE users;-- \" ' ; "
                 "\u0001\u0007\u001b[31m\u007f\u0085 \u202eRTL\u202c "
                 "\u200d\ufeff\u2028\u2029 e\u0301 \U0001F600")
        self.say(602, "/start", first_name=nasty, username="nasty_one",
                 last_name="<i>Фамилия</i>")
        robert = "Robert'); DROP TABLE users;--"
        self.say(603, "/start", first_name=robert, username="bobby")
        [t] = self.say(ADMIN, "/grant @nasty_one")
        self.assertIn("&lt;b&gt;Bold&lt;/b&gt; &amp; &lt;a href=&quot;", t)
        self.assertNotIn("\u0007", t)
        self.assertNotIn("<a ", t)
        self.say(ADMIN, "/grant @bobby")
        [t] = self.say(ADMIN, "/organisers")
        self.assertIn(robert, t)
        self.assertIn("…</b> @nasty_one", t)  # cut at 64 characters
        for arg in ("@x' OR '1'='1", "501 OR 1=1", "'; DELETE FROM users; --",
                    "@%", "@_", "@*", "<script>"):
            [t] = self.say(ADMIN, "/revoke " + arg)
            self.assertIn("Я не знаю пользователя", t)
        self.assertEqual(self.bot.query("SELECT count(*) FROM users"), [(3,)])
        # Kept as sent, but for the invisible marks that would change how
        # it reads to others (U+202E, U+202C, U+200D).
        self.assertEqual(self.bot.query(
            "SELECT first_name, last_name FROM users WHERE id = 602"),
            [(nasty.replace("\u202e", "").replace("\u202c", "")
              .replace("\u200d", ""), None)])
        self.assert_all_sends_accepted()

    def test_huge_numbers(self):
        self.bot.start()
        self.say(ADMIN, "/start")
        big = 2 ** 53 - 1  # the largest id Telegram promises
        self.say(big, "/start", first_name="Big")
        [t] = self.say(ADMIN, "/grant %d" % big)
        self.assertIn("теперь организатор", t)
        for arg in ("9223372036854775807", "9223372036854775808",
                    "99999999999999999999999999", "-1", "0", "1e5", "0x10",
                    "+501", "00000000000000000000000000001"):
            [t] = self.say(ADMIN, "/revoke " + arg)
            self.assertTrue("Я не знаю пользователя" in t or
                            "администратор" in t, (arg, t))
        upd = self.fake.message(603, "/help", message_id=2 ** 62)
        self.fake.queue(upd)
        self.wait_replies(1, chat_id=603)
        self.fake.send_text(ADMIN, "/help", chat_id=-(10 ** 15),
                            chat_type="supergroup")
        self.wait_replies(1, chat_id=-(10 ** 15))
        self.assertTrue(self.bot.alive())

    def test_forged_and_stale_buttons(self):
        self.bot.start()
        [_] = self.say(501, "/start", first_name="Мария")
        mid = self.replies(chat_id=501)[0]["response"]["result"]["message_id"]
        before = snapshot(self.bot.db_path)
        ids = [
            self.fake.press(501, "fg:y", mid),          # nothing asked
            self.fake.press(501, "fg:y:501", mid),      # extra ids
            self.fake.press(501, "zz:1", mid),          # unknown prefix
            self.fake.press(501, "fg", mid),
            self.fake.press(501, "x" * 300, mid),       # over 64 bytes
            self.fake.press(501, "fg:99999999999999999999999", mid),
            self.fake.press(501, "<b>&", mid),
            self.fake.press(501, "fg:y", 5, chat_id=GROUP, chat_type="group"),
        ]
        # Someone else pressing a button in 501's chat (Telegram would
        # not deliver this), no message at all (inline), no data (a game).
        self.fake.queue({"callback_query": {
            "from": hostile_user(502, "Чужой"), "chat_instance": "1",
            "message": {"message_id": mid, "chat": {"id": 501,
                                                    "type": "private"}},
            "data": "fg:y"}})
        self.fake.queue({"callback_query": {
            "from": hostile_user(501, "Мария"), "inline_message_id": "AAA",
            "chat_instance": "1", "data": "fg:y"}})
        self.fake.queue({"callback_query": {
            "from": hostile_user(501, "Мария"), "chat_instance": "1",
            "message": {"message_id": mid, "chat": {"id": 501, "type": "private"}},
            "game_short_name": "g"}})
        wait_until(lambda: sum(1 for c in self.fake.callbacks().values()
                               if c.get("answered")) >= len(ids) + 3,
                   what="every press answered")
        for c in self.fake.callbacks().values():
            self.assertEqual(c["text"],
                             "Эта кнопка устарела. Откройте список заново.")
        self.drained()
        after = snapshot(self.bot.db_path)
        # Only the presser 502 was recorded; nothing else moved.
        after["users"] = [u for u in after["users"] if u[0] != 502]
        self.assertEqual(after, before)

    def test_unexpected_update_types(self):
        """Updates the bot does not ask for, and broken ones, delivered
        anyway: each is ignored or answered with an apology."""
        me = hostile_user(ADMIN, "Админ")
        group = {"id": GROUP, "type": "group", "title": "Г"}
        odd = [
            {"edited_message": {"message_id": 5, "date": 1, "from": me,
                                "chat": {"id": ADMIN, "type": "private"},
                                "text": "/grant 501", "entities": [
                                    {"type": "bot_command", "offset": 0,
                                     "length": 6}]}},
            {"channel_post": {"message_id": 6, "date": 1, "text": "/setgroup",
                              "chat": {"id": -1009, "type": "channel"}}},
            {"message": {"message_id": 7, "date": 1, "text": "/setgroup",
                         "chat": group,
                         "sender_chat": {"id": GROUP, "type": "group"}}},
            {"message": {"message_id": 8, "date": 1, "text": "/setgroup",
                         "chat": group, "from": dict(me, is_bot=True)}},
            {"message_reaction": {"chat": group, "message_id": 1, "date": 1}},
            {"chat_join_request": {"chat": group, "from": me, "date": 1}},
            {"inline_query": {"id": "1", "from": me, "query": "x", "offset": ""}},
            {"chosen_inline_result": {"result_id": "1", "from": me, "query": ""}},
            {"shipping_query": {"id": "1", "from": me}},
            {"pre_checkout_query": {"id": "1", "from": me}},
            {"poll": {"id": "1"}}, {"chat_member": {"chat": group}},
            {"chat_boost": {}}, {},
            {"message": None}, {"message": "text"}, {"message": []},
            {"message": {"text": "/start"}},
            {"message": {"chat": {"id": "x"}, "from": me, "text": "/start"}},
            {"message": {"chat": {"id": 700, "type": "private"},
                         "from": {"id": 700.5}, "text": "/start"}},
            {"message": {"chat": {"id": 700, "type": "private"},
                         "from": hostile_user(700, "A"), "text": 42}},
            {"message": {"chat": {"id": 700, "type": "private"},
                         "from": hostile_user(700, "A"), "text": "/start",
                         "entities": "nonsense"}},
            {"message": {"chat": {"id": 701, "type": "private"},
                         "from": hostile_user(701, "B"),
                         "contact": {"phone_number": "+79991234567",
                                     "first_name": "B"}}},
            {"message": {"chat": {"id": 701, "type": "private"},
                         "from": hostile_user(701, "B"),
                         "location": {"latitude": 62.03, "longitude": 129.73}}},
            {"message": {"chat": group, "from": me,
                         "new_chat_members": [hostile_user(9, "N")]}},
            {"message": {"chat": group, "from": me,
                         "migrate_to_chat_id": ADMIN}},
            {"message": {"chat": {"id": 702, "type": "private"},
                         "from": hostile_user(702, "C"),
                         "migrate_to_chat_id": -100}},
            {"my_chat_member": {"chat": group}},
            {"my_chat_member": {"chat": {"id": "x"}, "new_chat_member":
                                {"status": "left"}}},
            {"callback_query": {"id": "1"}},
            {"callback_query": {"from": me, "data": "fg:y"}},
            {"message": {"chat": {"id": 703, "type": "private"},
                         "from": hostile_user(703, "D"), "text": "/start",
                         "edited_message": {"text": "/grant 703"}}},
        ]
        batch = []
        for i, u in enumerate(odd):
            u = dict(u, update_id=1900000000 + i)
            batch.append(u)
        batch.append({"update_id": 1900000500, "message": "x", "callback_query": {}})
        self.fake.faults(script=[{"method": "getUpdates", "result": batch}])
        self.bot.start()
        # The batch was taken (its last id confirmed) and the bot goes on.
        self.fake.send_text(704, "/start")
        self.wait_replies(1, chat_id=704)
        self.assertTrue(self.bot.alive())
        self.assertEqual(self.bot.query(
            "SELECT count(*) FROM processed_updates WHERE update_id >= 1900000000"),
            [(len(batch),)])
        # Nothing it should not do: no role, no leaders' group, no phone.
        self.assertEqual(self.bot.query(
            "SELECT count(*) FROM users WHERE role != 'citizen'"), [(0,)])
        self.assertEqual(self.bot.query(
            "SELECT count(*) FROM bot_state WHERE key = 'leaders_chat_id'"),
            [(0,)])
        self.assertEqual(self.bot.query(
            "SELECT count(*) FROM chats WHERE migrated_to IS NOT NULL"), [(0,)])
        with open(self.bot.db_path, "rb") as f:
            data = f.read()
        wal = self.bot.db_path + "-wal"
        if os.path.exists(wal):
            with open(wal, "rb") as f:
                data += f.read()
        dead = self.bot.query("SELECT raw FROM dead_letters")
        if not any("79991234567" in r[0] for r in dead):
            self.assertNotIn(b"79991234567", data)
        # The broken ones were dead-lettered, nothing crashed.
        log = self.bot.log()
        self.assertNotIn("Assertion", log)
        self.assert_all_sends_accepted()

    def test_answers_json_cannot_carry(self):
        """NUL characters and lone surrogates (\\u0000, \\ud800), which a
        strict JSON parser refuses: read anyway (NUL dropped, a lone
        surrogate as U+FFFD), so the person is answered."""
        bodies = [
            '{"ok":true,"result":[{"update_id":77,"message":{"message_id":1,'
            '"date":1,"chat":{"id":705,"type":"private"},"from":{"id":705,'
            '"is_bot":false,"first_name":"a\\u0000b"},"text":"/start"}}]}',
            '{"ok":true,"result":[{"update_id":78,"message":{"message_id":2,'
            '"date":1,"chat":{"id":705,"type":"private"},"from":{"id":705,'
            '"is_bot":false,"first_name":"\\ud800"},"text":"/help\\udfff"}}]}',
        ]
        self.fake.faults(script=[{"method": "getUpdates", "status": 200,
                                  "body": b} for b in bodies])
        self.bot.start()
        [hello, _] = self.wait_replies(2, chat_id=705, timeout=30)
        self.assertIn("Здравствуйте, ab", hello["params"]["text"])
        self.assertTrue(self.bot.alive())
        self.assertEqual(self.bot.query(
            "SELECT first_name FROM users WHERE id = 705"), [("\ufffd",)])
        self.assertEqual(self.bot.query("SELECT count(*) FROM dead_letters"),
                         [(0,)])

    # Issue 17: updates queued at the fake as raw bytes stay at the head of
    # the queue until the bot moves its offset past them, as on Telegram.

    @staticmethod
    def raw_message(user_id, text, first_name="Иван", update_id="{id}"):
        """An update's JSON text; json.dumps writes NUL as \\u0000 and a
        lone surrogate as \\ud800, as Telegram would."""
        upd = {"update_id": 0, "message": {
            "message_id": 1, "date": int(time.time()),
            "chat": {"id": user_id, "type": "private",
                     "first_name": first_name},
            "from": hostile_user(user_id, first_name, language_code="ru"),
            "text": text}}
        raw = json.dumps(upd)
        if update_id is None:
            return raw.replace('"update_id": 0, ', "")
        return raw.replace('"update_id": 0', '"update_id": %s' % update_id)

    def test_nul_in_an_update_does_not_stop_polling(self):
        self.fake.queue_raw(self.raw_message(710, "/start\x00",
                                             first_name="Ан\x00на\x00"))
        self.fake.send_text(711, "/help")
        self.bot.start()
        self.wait_replies(1, chat_id=711, timeout=30)
        [hello] = self.wait_replies(1, chat_id=710)
        self.assertIn("Здравствуйте, Анна", hello["params"]["text"])
        self.assertEqual(self.bot.query(
            "SELECT first_name FROM users WHERE id = 710"), [("Анна",)])
        self.assertTrue(self.bot.alive())

    def test_lone_surrogate_does_not_stop_polling(self):
        self.fake.queue_raw(self.raw_message(712, "/help \ud800",
                                             first_name="Z\udc00"))
        self.fake.send_text(711, "/help")
        self.bot.start()
        self.wait_replies(1, chat_id=711, timeout=30)
        self.wait_replies(1, chat_id=712)
        self.assertEqual(self.bot.query(
            "SELECT first_name FROM users WHERE id = 712"), [("Z\ufffd",)])

    def test_unreadable_update_is_set_aside(self):
        """An update no parser reads (here: a bare word and a raw NUL byte
        in it): isolated with limit=1, its bytes dead-lettered once, the
        offset moved past it; the updates around it are answered."""
        self.fake.send_text(713, "/help")
        bad = self.fake.queue_raw(
            '{"update_id":{id},"message":{"message_id":1,"date":1,'
            '"chat":{"id":714,"type":"private"},"from":{"id":714,'
            '"is_bot":false,"first_name":"\x00"},"text":"/start" oops}}')
        self.fake.send_text(715, "/help")
        self.bot.start()
        self.wait_replies(1, chat_id=713, timeout=30)
        self.wait_replies(1, chat_id=715, timeout=30)
        rows = self.bot.query("SELECT update_id, raw, error FROM dead_letters")
        self.assertEqual(len(rows), 1, rows)
        self.assertEqual(rows[0][0], bad)
        self.assertIn('"first_name":"\\x00"}', rows[0][1])
        self.assertIn("oops", rows[0][1])
        self.assertIn("could not be read", rows[0][2])
        [log] = [u for u in self.fake.updates_log() if u["update_id"] == bad]
        self.assertFalse(log["pending"])
        self.assertIn("fetching updates one by one", self.bot.log())
        self.bot.stop()
        self.bot.start()
        self.fake.send_text(713, "/help")
        self.wait_replies(2, chat_id=713, timeout=30)
        self.assertEqual(self.bot.query("SELECT count(*) FROM dead_letters"),
                         [(1,)])
        self.assertEqual(self.replies(chat_id=714), [])

    def test_update_without_update_id_backs_off(self):
        """It cannot be confirmed, so it comes back with every poll until a
        later update moves the offset past it: one dead letter, and polls
        that back off instead of a tight loop (134 letters in 6 s)."""
        self.fake.queue_raw(self.raw_message(716, "/start", update_id=None))
        self.bot.start()
        time.sleep(6)
        polls = self.fake.stats()["requests"].get("getUpdates", 0)
        self.assertLessEqual(polls, 8)
        self.assertEqual(self.bot.query(
            "SELECT update_id, error FROM dead_letters"),
            [(0, "update without an update_id")])
        self.fake.send_text(717, "/help")
        self.wait_replies(1, chat_id=717, timeout=30)
        self.assertTrue(all(not u["pending"] for u in self.fake.updates_log()))
        self.assertEqual(self.bot.query("SELECT count(*) FROM dead_letters"),
                         [(1,)])
        self.assertEqual(self.replies(chat_id=716), [])

    def test_duplicate_update_id_in_one_batch(self):
        """Two updates under one id in one batch: an identical copy is
        handled once; a different one is not dropped in silence but
        dead-lettered, and its sender gets the apology."""
        first = self.fake.queue_raw(self.raw_message(718, "/start"))
        self.fake.queue_raw(self.raw_message(718, "/start"),
                            update_id=first)
        self.fake.queue_raw(self.raw_message(719, "/help"),
                            update_id=first)
        self.fake.send_text(720, "/help")
        self.bot.start()
        self.wait_replies(1, chat_id=720, timeout=30)
        [hello] = self.wait_replies(1, chat_id=718)
        [sorry] = self.wait_replies(1, chat_id=719)
        self.assertIn(APOLOGY, sorry["params"]["text"])
        self.drained()
        self.assertEqual(len(self.replies(chat_id=718)), 1)
        rows = self.bot.query("SELECT update_id, raw, error FROM dead_letters")
        self.assertEqual(len(rows), 1, rows)
        self.assertEqual(rows[0][0], first)
        self.assertEqual(json.loads(rows[0][1])["message"]["chat"]["id"], 719)
        self.assertIn("same update_id", rows[0][2])

    def test_invisible_marks_are_not_kept(self):
        """Issue 17: a name "\\u202e₽ 000 05 —" made a 5 ₽ pledge read as
        50 000 ₽ in the organiser's list. Bidi overrides, isolates and
        zero-width characters go from every string people send."""
        marks = ("\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c"
                 "\u202d\u202e\u2060\u2066\u2067\u2068\u2069")
        self.bot.start()
        self.say(ADMIN, "/start")
        [hello] = self.say(721, "/start", first_name="\u202e₽ 000 05 —",
                           username="a\u200bb")
        self.assertIn("Здравствуйте, ₽ 000 05 —", hello)
        self.fake.send_text(721, "привет", chat_id=GROUP, chat_type="group",
                            first_name="\u202e₽ 000 05 —",
                            username="a\u200bb",
                            chat_title="Со\u2066вет\u2069" + marks)
        [t] = self.say(ADMIN, "/grant @a" + marks + "b")
        self.assertIn("теперь организатор", t)
        self.assertEqual(self.bot.query(
            "SELECT first_name, username FROM users WHERE id = 721"),
            [("₽ 000 05 —", "ab")])
        self.assertEqual(self.bot.query(
            "SELECT title FROM chats WHERE id = ?", GROUP), [("Совет",)])
        for s in self.fake.sent():
            text = s["params"].get("text") or ""
            self.assertFalse(any(m in text for m in marks), text)

class ReleaseBuild(SecurityBase):
    """Issue 17: the hooks tests set through the environment (abort on a
    text, shift the wall clock) are in build/dobrobot-test only; what make
    install and the Dockerfile ship ignores them."""

    HOOKS = (b"DOBROBOT_TEST_CRASH_ON", b"DOBROBOT_CLOCK_OFFSET_FILE")

    def test_release_binary_has_no_test_hooks(self):
        with open(release_bin(), "rb") as f:
            shipped = f.read()
        with open(dobrobot_bin(), "rb") as f:
            tested = f.read()
        for name in self.HOOKS:
            self.assertIn(name, tested)  # so that the check can see them
            self.assertNotIn(name, shipped)
        offset = os.path.join(self.tmp.name, "clock-offset")
        with open(offset, "w") as f:
            f.write(str(10 * 86400))
        self.bot.binary = release_bin()
        self.bot.extra_env.update({"DOBROBOT_TEST_CRASH_ON": "/boom",
                                   "DOBROBOT_CLOCK_OFFSET_FILE": offset})
        self.bot.start()
        [t] = self.say(730, "/boom")
        self.assertIn("boom", t)  # an unknown command, not an abort
        self.assertTrue(self.bot.alive())
        [(beat,)] = self.bot.query(
            "SELECT value FROM bot_state WHERE key = 'heartbeat'")
        self.assertLess(abs(int(beat) - time.time()), 600)


class Secrets(SecurityBase):
    def proc_bytes(self, name):
        """The daemon's /proc file, or None when we may not read it (not
        dumpable: only root can)."""
        try:
            with open("/proc/%d/%s" % (self.bot.proc.pid, name), "rb") as f:
                return f.read()
        except PermissionError:
            return None

    def test_token_stays_in_memory(self):
        """A realistic run with faults, a poison update, a restart: the token
        is in no file (checked by every test's tearDown too), not in the
        log, not in argv, not in the environment the process shows."""
        self.bot.start()
        self.say(ADMIN, "/start")
        self.say(501, "/start")
        cmdline = self.proc_bytes("cmdline")
        environ = self.proc_bytes("environ")
        self.assertIn(b"run\0--config", cmdline)
        self.assertNotIn(TOKEN_SECRET.encode(), cmdline)
        if environ is not None:  # we are root
            self.assertNotIn(TOKEN_SECRET.encode(), environ)
            # The variable's value was wiped in place, not only unset.
            self.assertIn(b"DOBROBOT_TOKEN=\0", environ)
        # Failures whose texts might carry the URL (it holds the token).
        self.fake.faults(seed=5, rate_5xx=0.2, rate_drop=0.2,
                         rate_drop_after=0.1, rate_malformed=0.1,
                         methods=["sendMessage"])
        for i in range(20):
            self.fake.send_text(501, "/u%d" % i)
        bad = self.fake.message(502, "/start")
        bad["message"]["from"]["id"] = "x"
        self.fake.queue(bad)
        wait_until(lambda: len(self.replies(chat_id=501)) >= 21, timeout=60,
                   what="replies through faults")
        self.fake.faults()
        self.bot.stop()
        # An unreachable API: curl's error texts name the URL.
        self.bot.config["api_base"] = "http://127.0.0.1:9"
        with open(self.bot.config_path, "w") as f:
            json.dump(self.bot.config, f)
        self.bot.start()
        wait_until(lambda: "getMe failed" in self.bot.log(), what="getMe fails")
        self.bot.stop()
        log = self.bot.log()
        self.assertNotIn(TOKEN_SECRET, log)
        self.assertNotIn(TOKEN, log)
        self.assertEqual(files_holding(self.tmp.name, TOKEN_SECRET), [])
        self.assertEqual(self.bot.query(
            "SELECT count(*) FROM dead_letters"), [(1,)])
        print("\n  token: not in %d files, the log, argv or environ" %
              sum(len(f) for _, _, f in os.walk(self.tmp.name)))

    def test_no_core_dump(self):
        with open("/proc/sys/kernel/core_pattern") as f:
            pattern = f.read().strip()
        if pattern.startswith("|") or "/" in pattern:
            self.skipTest("core files go to %r, not the working directory"
                          % pattern)
        cwd = os.path.join(self.tmp.name, "cwd")
        os.mkdir(cwd)

        def unlimited():
            resource.setrlimit(resource.RLIMIT_CORE,
                               (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
            # A suite started in the background by a shell inherits SIGQUIT
            # ignored (POSIX, for asynchronous lists), and exec keeps that:
            # the daemon would never see the signal this test sends.
            signal.signal(signal.SIGQUIT, signal.SIG_DFL)
        # The control: this machine does write core files for a process
        # that lets it.
        ctl = subprocess.run(["sh", "-c", "kill -SEGV $$"], cwd=cwd,
                             preexec_fn=unlimited)
        self.assertEqual(ctl.returncode, -signal.SIGSEGV)
        if not os.listdir(cwd):
            self.skipTest("this machine writes no core files at all")
        for f in os.listdir(cwd):
            os.unlink(os.path.join(cwd, f))
        log = open(self.bot.log_path, "a")
        proc = subprocess.Popen([dobrobot_bin(), "run", "--config",
                                 self.bot.config_path], cwd=cwd,
                                env=self.bot.env(), stdout=log, stderr=log,
                                preexec_fn=unlimited)
        log.close()
        try:
            wait_until(lambda: "started as" in self.bot.log(), what="start")
            proc.send_signal(signal.SIGQUIT)  # default action: core
            self.assertEqual(proc.wait(15), -signal.SIGQUIT)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        self.assertEqual(os.listdir(cwd), [], "a core file was written")

    def test_database_is_owner_only(self):
        self.bot.start()
        self.say(501, "/start")
        data = os.path.dirname(self.bot.db_path)
        self.assertEqual(os.stat(data).st_mode & 0o777, 0o700)
        for suffix in ("", "-wal", "-shm"):
            path = self.bot.db_path + suffix
            self.assertTrue(os.path.exists(path), path)
            self.assertEqual(os.stat(path).st_mode & 0o777, 0o600, path)

    def test_config_guards(self):
        def check(cfg):
            path = os.path.join(self.tmp.name, "c.json")
            with open(path, "w") as f:
                json.dump(cfg, f)
            return subprocess.run([dobrobot_bin(), "check-config", "--config",
                                   path], capture_output=True, text=True)
        for url in ("http://api.telegram.org", "http://10.0.0.1:8081",
                    "http://localhost:1@evil.example",
                    "http://127.0.0.1:80@evil.example/",
                    "http://127.0.0.1.evil.example", "http://[::1]@evil.example",
                    "ftp://127.0.0.1", "file:///etc/passwd"):
            r = check({"api_base": url})
            self.assertEqual(r.returncode, 2, url)
            self.assertIn("api_base: must start with https://", r.stderr)
        for url in ("https://api.telegram.org", "http://127.0.0.1:8081",
                    "http://localhost", "http://[::1]:9/"):
            self.assertEqual(check({"api_base": url}).returncode, 0, url)
        # There is no switch for TLS verification: unknown keys are errors.
        for key in ("tls_verify", "insecure", "ssl_verify_peer", "verify"):
            r = check({key: False})
            self.assertEqual(r.returncode, 2, key)
            self.assertIn("%s: unknown key" % key, r.stderr)
