"""Broadcasts: /broadcast through the real command path — audience, the
organiser's own message (copied with copyMessage, formatting and media
intact), preview with the number of recipients, confirmation, delivery
report — at scale, through blocked users, and across a crash."""

import os
import sqlite3
import time

from lib.daemon import BotTestCase, wait_until
from lib.markup import buttons

ORGANISER = 1  # an admin in the test configuration: role >= organiser
LEADERS = -1001234567
NBSP = "\u00a0"


def seed(db_path, users, subs=(), private=True, lang="ru"):
    """Users (ids) with private chats, and subscriptions (user, direction),
    written straight into a migrated database while the daemon is stopped."""
    con = sqlite3.connect(db_path)
    now = int(time.time() * 1000)
    con.executemany(
        "INSERT INTO users(id, first_name, language, created_at, updated_at,"
        " subscribe_asked) VALUES (?, ?, ?, ?, ?, 1)",
        [(u, "Житель %d" % u, lang, now, now) for u in users])
    if private:
        con.executemany(
            "INSERT INTO chats(id, type, created_at, updated_at)"
            " VALUES (?, 'private', ?, ?)", [(u, now, now) for u in users])
    con.executemany("INSERT INTO subscriptions(user_id, direction) VALUES (?, ?)",
                    list(subs))
    con.commit()
    con.close()


class BroadcastCase(BotTestCase):
    config = {"leaders_chat_id": LEADERS}

    def migrate(self):
        r = self.bot.run_cli("migrate", "--config", self.bot.config_path)
        self.assertEqual(r.returncode, 0, r.stderr)

    def last_seq(self):
        s = self.fake.sent()
        return s[-1]["seq"] if s else 0

    def organiser_says(self, text, **kw):
        since = self.last_seq()
        self.fake.send_text(ORGANISER, text, **kw)
        return self.fake.wait_sent(
            lambda e: e["method"] == "sendMessage" and
            e["params"].get("chat_id") == ORGANISER and e["status"] == 200,
            since=since)[0]

    def press(self, data, message_id, answer=False):
        """Presses a button; returns the edit it causes, or with answer=True
        the callback answer's notice."""
        since = self.last_seq()
        self.fake.press(ORGANISER, data, message_id)
        if answer:
            return self.fake.wait_sent(
                lambda e: e["method"] == "answerCallbackQuery" and
                e["params"].get("text"), since=since)[0]
        return self.fake.wait_sent(
            lambda e: e["method"] == "editMessageText" and e["status"] == 200,
            since=since)[0]

    def choose(self, audience_data, direction_data=None):
        """/broadcast, then the audience button(s); returns the menu."""
        menu = self.organiser_says("/broadcast")
        mid = menu["response"]["result"]["message_id"]
        if direction_data:
            self.press(audience_data, mid)
            edit = self.press(direction_data, mid)
        else:
            edit = self.press(audience_data, mid)
        self.assertEqual(edit["method"], "editMessageText", edit)
        self.assertIn("Теперь пришлите сообщение", edit["params"]["text"])
        return menu

    def send_broadcast_message(self, update):
        """The organiser's message (an Update); returns the preview."""
        since = self.last_seq()
        self.fake.queue(update)
        return self.fake.wait_sent(
            lambda e: e["method"] == "sendMessage" and
            e["params"].get("chat_id") == ORGANISER and e["status"] == 200,
            since=since)[0]

    def confirm(self, preview):
        go = [b for b in buttons(preview["params"]["reply_markup"])
              if b["callback_data"].startswith("bc:go:")][0]
        edit = self.press(go["callback_data"],
                          preview["response"]["result"]["message_id"])
        self.assertEqual(edit["method"], "editMessageText", edit)
        return edit

    def wait_report(self, timeout=30, n=1):
        def reports():
            return [s for s in self.replies(chat_id=ORGANISER)
                    if "завершена" in s["params"].get("text", "")]
        return wait_until(lambda: (lambda r: r if len(r) >= n else None)(
            reports()), timeout=timeout, what="the delivery report")

    def copies(self, status=200):
        return [s for s in self.fake.sent(method="copyMessage")
                if s["status"] == status]

    def text_update(self, text, entities=None):
        upd = self.fake.message(ORGANISER, text, entities=entities or [])
        return upd


class Audiences(BroadcastCase):
    def setUp(self):
        super().setUp()
        self.migrate()
        # 10 and 11 take everything, 12 sport, 13 tourism, 14 nothing;
        # 15 blocked the bot (subscriptions gone), 16 has only been seen
        # in a group (no private chat).
        seed(self.bot.db_path, [10, 11, 12, 13, 14, 15],
             [(10, "*"), (11, "*"), (12, "спорт"), (13, "туризм")])
        seed(self.bot.db_path, [16], private=False)
        con = sqlite3.connect(self.bot.db_path)
        con.execute("UPDATE users SET blocked = 1 WHERE id = 15")
        con.commit()
        con.close()
        self.bot.start()

    def test_text_to_subscribers_keeps_formatting(self):
        self.choose("bc:a:subscribers")
        text = "Субботник в приюте «Надежда» в субботу в 10:00!"
        ents = [{"type": "bold", "offset": 0, "length": 9},
                {"type": "italic", "offset": 10, "length": 8}]
        preview = self.send_broadcast_message(self.text_update(text, ents))
        self.assertIn("Кому: все подписчики.", preview["params"]["text"])
        self.assertIn("Отправить 4 получателям?", preview["params"]["text"])
        self.assertEqual([b["text"] for b in buttons(
            preview["params"]["reply_markup"])], ["Отправить", "Отменить"])
        started = self.confirm(preview)
        self.assertIn("Рассылка №1", started["params"]["text"])
        self.assertIn("4 получателям", started["params"]["text"])
        [report] = self.wait_report()
        rt = report["params"]["text"]
        self.assertIn("Доставлено: 4 из 4", rt)
        self.assertIn("Заблокировали бота: 0", rt)
        self.assertIn("Не доставлено: 0", rt)
        self.assertIn("Заняло:", rt)
        copies = self.copies()
        self.assertEqual(sorted(c["params"]["chat_id"] for c in copies),
                         [10, 11, 12, 13])
        for c in copies:
            self.assertEqual(c["params"]["from_chat_id"], ORGANISER)
            self.assertNotIn("allow_paid_broadcast", c["params"])
        # What a subscriber sees: the same text with the same entities.
        [m] = self.fake.messages(12)
        self.assertEqual(m["text"], text)
        self.assertEqual(m["entities"], ents)
        # The database: the broadcast and its rows.
        self.assertEqual(self.bot.query(
            "SELECT author_id, audience, direction, total, delivered, blocked,"
            " failed, status FROM broadcasts"),
            [(ORGANISER, "subscribers", None, 4, 4, 0, 0, "done")])
        self.assertEqual(self.bot.query(
            "SELECT DISTINCT method, kind, priority, ref_type, ref_id, state"
            " FROM outbox WHERE kind = 'broadcast'"),
            [("copyMessage", "broadcast", 2, "broadcast", 1, "sent")])

    def test_photo_with_caption_to_one_direction(self):
        self.choose("bc:a:direction", "bc:d:1")  # спорт
        photo = [{"file_id": "AgADphoto-small", "file_unique_id": "s1",
                  "width": 90, "height": 90, "file_size": 1200},
                 {"file_id": "AgADphoto-big", "file_unique_id": "b1",
                  "width": 1280, "height": 960, "file_size": 120000}]
        caption = "Турнир по мини-футболу: нужны судьи и волонтёры"
        upd = {"message": {
            "from": {"id": ORGANISER, "is_bot": False, "first_name": "Орг",
                     "language_code": "ru"},
            "chat": {"id": ORGANISER, "type": "private", "first_name": "Орг"},
            "photo": photo, "caption": caption,
            "caption_entities": [{"type": "bold", "offset": 0, "length": 6}]}}
        preview = self.send_broadcast_message(upd)
        self.assertIn("Кому: подписчики направления «спорт».",
                      preview["params"]["text"])
        # 10, 11 take everything; 12 sport.
        self.assertIn("Отправить 3 получателям?", preview["params"]["text"])
        self.confirm(preview)
        self.wait_report()
        self.assertEqual(sorted(c["params"]["chat_id"] for c in self.copies()),
                         [10, 11, 12])
        [m] = self.fake.messages(12)
        self.assertEqual(m["kind"], "photo")
        self.assertEqual(m["text"], caption)
        self.assertEqual(m["entities"],
                         [{"type": "bold", "offset": 0, "length": 6}])
        self.assertEqual(self.bot.query(
            "SELECT audience, direction, total, delivered FROM broadcasts"),
            [("direction", "спорт", 3, 3)])

    def test_leaders_group(self):
        self.choose("bc:a:leaders")
        preview = self.send_broadcast_message(
            self.text_update("Совещание руководителей НКО в четверг"))
        self.assertIn("Кому: группа руководителей.", preview["params"]["text"])
        self.assertIn("Отправить 1 получателю?", preview["params"]["text"])
        self.confirm(preview)
        self.wait_report()
        self.assertEqual([c["params"]["chat_id"] for c in self.copies()],
                         [LEADERS])
        self.assertEqual(self.fake.messages(LEADERS)[0]["text"],
                         "Совещание руководителей НКО в четверг")

    def test_everyone(self):
        self.choose("bc:a:all")
        preview = self.send_broadcast_message(
            self.text_update("Фестиваль добрых дел в парке"))
        # Five private chats (not the blocked 15, not 16 without one, not
        # the author) and the leaders' group.
        self.assertIn("Отправить 6 получателям?", preview["params"]["text"])
        self.confirm(preview)
        report = self.wait_report()[0]["params"]["text"]
        self.assertIn("Доставлено: 6 из 6", report)
        self.assertEqual(sorted(c["params"]["chat_id"] for c in self.copies()),
                         sorted([LEADERS, 10, 11, 12, 13, 14]))

    def test_audience_menu_counts_and_a_replaced_message(self):
        menu = self.organiser_says("/broadcast")
        labels = [b["text"] for b in buttons(menu["params"]["reply_markup"])]
        self.assertEqual(labels, ["Группе руководителей", "Всем подписчикам (4)",
                                  "Подписчикам направления…",
                                  "Всем, кто пользуется ботом (6)", "Отменить"])
        mid = menu["response"]["result"]["message_id"]
        self.press("bc:a:direction", mid)
        dirs = [b["text"] for b in buttons(
            self.shown_markup(ORGANISER, mid))]
        self.assertIn("спорт (3)", dirs)
        self.assertIn("туризм (3)", dirs)
        self.assertIn("культура (2)", dirs)
        self.press("bc:d:4", mid)  # туризм
        first = self.send_broadcast_message(self.text_update("Первый вариант"))
        # A second message before «Отправить» replaces the first.
        second = self.send_broadcast_message(self.text_update("Поход в горы"))
        self.assertIn("Отправить 3 получателям?", second["params"]["text"])
        # The first preview's button no longer sends anything.
        go_first = [b for b in buttons(first["params"]["reply_markup"])
                    if b["callback_data"].startswith("bc:go:")][0]
        stale = self.press(go_first["callback_data"],
                           first["response"]["result"]["message_id"],
                           answer=True)
        self.assertIn("уже отправлена или отменена", stale["params"]["text"])
        self.confirm(second)
        self.wait_report()
        self.assertEqual({self.fake.messages(c)[0]["text"] for c in (10, 11, 13)},
                         {"Поход в горы"})

    def shown_markup(self, chat_id, message_id):
        for m in self.fake.messages(chat_id):
            if m["message_id"] == message_id:
                return m.get("reply_markup")
        return None

    def test_cancel_and_not_for_citizens(self):
        self.choose("bc:a:subscribers")
        preview = self.send_broadcast_message(self.text_update("Черновик"))
        edit = self.press("bc:x", preview["response"]["result"]["message_id"])
        self.assertIn("Рассылка отменена", edit["params"]["text"])
        self.assertEqual(self.bot.query("SELECT count(*) FROM broadcasts"),
                         [(0,)])
        self.assertEqual(self.bot.query(
            "SELECT count(*) FROM conversations"), [(0,)])
        # A citizen cannot broadcast.
        self.fake.send_text(10, "/broadcast")
        [r] = self.wait_replies(1, chat_id=10)
        self.assertIn("только организаторам", r["params"]["text"])
        time.sleep(0.3)
        self.assertEqual(self.copies(), [])

    def test_cancel_closes_the_open_menu(self):
        menu = self.organiser_says("/broadcast")
        self.assertEqual(self.bot.query(
            "SELECT flow, step FROM conversations"), [("broadcast", "audience")])
        since = self.last_seq()
        self.fake.send_text(ORGANISER, "/cancel")
        done = self.fake.wait_sent(
            lambda e: e["method"] == "sendMessage" and
            "отменил" in e["params"].get("text", ""), since=since)
        self.assertTrue(done)
        self.assertEqual(self.bot.query(
            "SELECT count(*) FROM conversations"), [(0,)])
        stale = self.press("bc:a:subscribers",
                           menu["response"]["result"]["message_id"],
                           answer=True)
        self.assertIn("уже отправлена или отменена", stale["params"]["text"])
        self.assertEqual(self.bot.query(
            "SELECT count(*) FROM conversations"), [(0,)])

    def test_in_english(self):
        since = self.last_seq()
        self.fake.send_text(ORGANISER, "/broadcast", language_code="en")
        menu = self.fake.wait_sent(
            lambda e: e["method"] == "sendMessage" and e["status"] == 200,
            since=since)[0]
        self.assertIn("Who should get it?", menu["params"]["text"])
        self.fake.press(ORGANISER, "bc:a:subscribers",
                        menu["response"]["result"]["message_id"],
                        language_code="en")
        self.fake.wait_sent(method="editMessageText", since=since)
        upd = self.fake.message(ORGANISER, "Clean-up on Saturday",
                                language_code="en", entities=[])
        preview = self.send_broadcast_message(upd)
        self.assertIn("Send it to 4 recipients?", preview["params"]["text"])


class MigratedLeadersGroup(BroadcastCase):
    """The configured leaders' group became a supergroup (chats.migrated_to)
    before bot_state named it: the broadcast goes to the supergroup at once,
    not to the old id for a 400."""

    SUPERGROUP = -1001234567999

    def test_broadcast_follows_the_migration(self):
        self.migrate()
        con = sqlite3.connect(self.bot.db_path)
        con.execute("INSERT INTO chats(id, type, title, active, migrated_to,"
                    " created_at, updated_at) VALUES (?, 'group', 'Совет НКО',"
                    " 0, ?, 0, 0)", (LEADERS, self.SUPERGROUP))
        con.commit()
        con.close()
        self.fake.chat(LEADERS, migrate_to=self.SUPERGROUP)
        self.bot.start()
        self.choose("bc:a:leaders")
        preview = self.send_broadcast_message(
            self.text_update("Совещание руководителей НКО в четверг"))
        self.confirm(preview)
        self.wait_report()
        self.assertEqual([c["params"]["chat_id"] for c in self.copies()],
                         [self.SUPERGROUP])
        self.assertEqual(
            [s["status"] for s in self.fake.sent()
             if s["params"].get("chat_id") == LEADERS], [],
            "nothing is sent to the group's old id")


class EnglishCounts(BroadcastCase):
    """English has its own plural rule: 21 is "recipients", not the
    Russian dative's "recipient" (21 получателю)."""

    def setUp(self):
        super().setUp()
        self.migrate()
        seed(self.bot.db_path, range(200, 221),
             [(u, "*") for u in range(200, 221)])
        self.bot.start()

    def test_twenty_one_recipients(self):
        def organiser(send):
            since = self.last_seq()
            send()
            return self.fake.wait_sent(
                lambda e: e["params"].get("chat_id") == ORGANISER and
                e["method"] in ("sendMessage", "editMessageText") and
                e["status"] == 200, since=since)[0]
        menu = organiser(lambda: self.fake.send_text(
            ORGANISER, "/broadcast", language_code="en"))
        organiser(lambda: self.fake.press(
            ORGANISER, "bc:a:subscribers",
            menu["response"]["result"]["message_id"], language_code="en"))
        preview = organiser(lambda: self.fake.send_text(
            ORGANISER, "Clean-up day on Saturday", language_code="en"))
        self.assertIn("Send it to 21 recipients?", preview["params"]["text"])


class AtScale(BroadcastCase):
    """2,000 subscribers, 5% of whom blocked the bot and a few whose chats
    are gone: the report's counts are exact and the blocked ones are
    unsubscribed."""

    config = {"leaders_chat_id": LEADERS,
              "limits": {"global_per_s": 5000, "chat_per_s": 100,
                         "max_in_flight": 32}}

    def test_two_thousand_subscribers_five_percent_blocked(self):
        self.migrate()
        users = list(range(200000, 202000))
        seed(self.bot.db_path, users, [(u, "*") for u in users])
        blocked = users[::20]                      # 100 = 5%
        missing = [u for u in users[7::20]][:7]    # 7 chats not found
        for u in blocked:
            self.fake.chat(u, blocked=True)
        for u in missing:
            self.fake.chat(u, not_found=True)
        self.bot.start()
        self.choose("bc:a:subscribers")
        preview = self.send_broadcast_message(
            self.text_update("Сбор тёплых вещей до пятницы"))
        self.assertIn("Отправить 2" + NBSP + "000 получателям?",
                      preview["params"]["text"])
        t0 = time.time()
        self.confirm(preview)
        [report] = self.wait_report(timeout=60)
        elapsed = time.time() - t0
        rt = report["params"]["text"]
        self.assertIn("Доставлено: 1" + NBSP + "893 из 2" + NBSP + "000", rt)
        self.assertIn("Заблокировали бота: 100", rt)
        self.assertIn("Не доставлено: 7", rt)
        self.assertIn("Bad Request: chat not found — 7", rt)
        self.assertEqual(self.bot.query(
            "SELECT total, delivered, blocked, failed, status FROM broadcasts"),
            [(2000, 1893, 100, 7, "done")])
        # Exactly once each: one successful copy per reachable subscriber.
        ok = [c["params"]["chat_id"] for c in self.copies()]
        self.assertEqual(len(ok), len(set(ok)))
        self.assertEqual(set(ok), set(users) - set(blocked) - set(missing))
        # The blocked ones are marked and unsubscribed; the others are not.
        self.assertEqual(self.bot.query(
            "SELECT count(*) FROM users WHERE blocked = 1"), [(100,)])
        self.assertEqual(self.bot.query(
            "SELECT count(*) FROM subscriptions WHERE user_id IN (%s)" %
            ",".join(map(str, blocked))), [(0,)])
        self.assertEqual(self.bot.query("SELECT count(*) FROM subscriptions"),
                         [(1900,)])
        self.assertLess(elapsed, 30)


class Restart(BroadcastCase):
    """SIGKILL in the middle of a broadcast: after the restart it continues
    where it stopped; every recipient gets it, a second copy only where a
    request was in flight at the kill (counted in outbox.uncertain); one
    report."""

    config = {"leaders_chat_id": LEADERS,
              "limits": {"global_per_s": 100, "max_in_flight": 8}}

    def test_kill_during_broadcast(self):
        self.migrate()
        users = list(range(300000, 300300))
        seed(self.bot.db_path, users, [(u, "*") for u in users])
        self.fake.faults(latency_ms=40, methods=["copyMessage"])
        self.bot.start()
        self.choose("bc:a:subscribers")
        preview = self.send_broadcast_message(
            self.text_update("Ремонт в приюте: нужны руки"))
        self.confirm(preview)
        wait_until(lambda: len(self.copies()) >= 80, what="80 copies")
        # Progress while it runs.
        listing = self.organiser_says("/broadcasts")["params"]["text"]
        self.assertIn("Последние рассылки", listing)
        self.assertIn("Идёт:", listing)
        self.assertIn("из 300", listing)
        self.bot.kill()
        at_kill = len(self.copies())
        self.assertLess(at_kill, 300, "the broadcast ended before the kill")
        self.bot.start()
        [report] = self.wait_report(timeout=60)
        self.assertIn("Доставлено: 300 из 300", report["params"]["text"])
        time.sleep(1.5)  # the job runs every second: no second report
        self.assertEqual(len(self.wait_report()), 1)
        per_chat = {}
        for c in self.copies():
            per_chat[c["params"]["chat_id"]] = per_chat.get(
                c["params"]["chat_id"], 0) + 1
        self.assertEqual(set(per_chat), set(users))
        duplicates = sum(n - 1 for n in per_chat.values())
        [(uncertain,)] = self.bot.query(
            "SELECT coalesce(sum(uncertain), 0) FROM outbox"
            " WHERE ref_type = 'broadcast'")
        self.assertLessEqual(duplicates, uncertain)
        self.assertLessEqual(uncertain, 8)  # at most max_in_flight per crash
        self.assertEqual(self.bot.query(
            "SELECT total, delivered, status FROM broadcasts"),
            [(300, 300, "done")])
        listing = self.organiser_says("/broadcasts")["params"]["text"]
        self.assertIn("Доставлено 300 из 300", listing)


class TypedTextAndFooter(BroadcastCase):
    """Issue 18: «/broadcast текст» keeps the text, and every copy says who
    sent it and how to stop it, in the recipient's language."""

    def setUp(self):
        super().setUp()
        self.migrate()
        # 10 takes everything, 12 sport (Russian), 20 sport (English).
        seed(self.bot.db_path, [10, 12], [(10, "*"), (12, "спорт")])
        seed(self.bot.db_path, [20], [(20, "спорт")], lang="en")
        now = int(time.time() * 1000)
        con = sqlite3.connect(self.bot.db_path)
        con.execute("INSERT INTO users(id, first_name, language, role,"
                    " created_at, updated_at, subscribe_asked, show_name)"
                    " VALUES (?, 'Иван', 'ru', 'organiser', ?, ?, 1, 1)",
                    (ORGANISER, now, now))
        oid = con.execute(
            "INSERT INTO orgs(name, name_key, created_at) VALUES"
            " ('Доброе сердце', 'доброе сердце', ?)", (now,)).lastrowid
        con.execute("INSERT INTO org_members(org_id, user_id) VALUES (?, ?)",
                    (oid, ORGANISER))
        con.commit()
        con.close()
        self.bot.start()

    def footer(self, copy):
        return [b["text"] for b in buttons(copy["params"]["reply_markup"])]

    def test_typed_text_goes_straight_to_the_preview(self):
        text = "Сбор в субботу в 10, приходите!"
        menu = self.organiser_says("/broadcast " + text)
        self.assertIn(text, menu["params"]["text"])
        self.assertIn("Кому её отправить?", menu["params"]["text"])
        edit = self.press("bc:a:subscribers",
                          menu["response"]["result"]["message_id"])
        et = edit["params"]["text"]
        self.assertNotIn("Теперь пришлите сообщение", et)
        self.assertIn(text, et)
        self.assertIn("Отправить 3 получателям?", et)
        started = self.confirm(edit)
        self.assertIn("Рассылка №1", started["params"]["text"])
        self.wait_report()
        sent = [s for s in self.fake.sent(method="sendMessage")
                if s["params"]["chat_id"] in (10, 12, 20)]
        self.assertEqual(sorted(s["params"]["chat_id"] for s in sent),
                         [10, 12, 20])
        for s in sent:
            self.assertEqual(s["params"]["text"], text)
        [m] = self.fake.messages(12)
        self.assertEqual(m["text"], text)
        by_chat = {s["params"]["chat_id"]: s for s in sent}
        self.assertEqual(self.footer(by_chat[12]),
                         ["— Иван, «Доброе сердце»", "Отписаться от рассылок"])
        self.assertEqual(self.footer(by_chat[20]),
                         ["— Иван, «Доброе сердце»", "Unsubscribe"])

    def test_copies_carry_sender_and_direction_stop(self):
        self.choose("bc:a:direction", "bc:d:1")  # спорт
        preview = self.send_broadcast_message(
            self.text_update("Турнир в воскресенье, нужны судьи"))
        self.confirm(preview)
        self.wait_report()
        copies = {c["params"]["chat_id"]: c for c in self.copies()}
        self.assertEqual(sorted(copies), [10, 12, 20])
        self.assertEqual(self.footer(copies[12]),
                         ["— Иван, «Доброе сердце»", "Отписаться от «спорт»"])
        # The recipient's language, not the sender's.
        self.assertEqual(self.footer(copies[20]),
                         ["— Иван, «Доброе сердце»", "Unsubscribe from «sport»"])
        stop = [b for b in buttons(copies[10]["params"]["reply_markup"])
                if b["callback_data"].startswith("bu:d:")][0]
        # 10 took every direction: they keep all the others.
        since = self.last_seq()
        self.fake.press(10, stop["callback_data"],
                        copies[10]["response"]["result"]["message_id"])
        [done] = self.fake.wait_sent(
            lambda e: e["method"] == "sendMessage" and
            e["params"].get("chat_id") == 10, since=since)
        self.assertIn("Вы отписались от направления «спорт»",
                      done["params"]["text"])
        subs = [d for (d,) in self.bot.query(
            "SELECT direction FROM subscriptions WHERE user_id = 10")]
        self.assertNotIn("спорт", subs)
        self.assertNotIn("*", subs)
        self.assertIn("туризм", subs)
        since = self.last_seq()
        self.fake.press(20, "bu:d:1",
                        copies[20]["response"]["result"]["message_id"],
                        language_code="en")
        [done] = self.fake.wait_sent(
            lambda e: e["method"] == "sendMessage" and
            e["params"].get("chat_id") == 20, since=since)
        self.assertIn("You are unsubscribed from «sport»",
                      done["params"]["text"])
        self.assertEqual(self.bot.query(
            "SELECT count(*) FROM subscriptions WHERE user_id = 20"), [(0,)])

    def test_hidden_name_shows_only_the_organisation(self):
        con = sqlite3.connect(self.bot.db_path)
        con.execute("UPDATE users SET show_name = 0 WHERE id = ?",
                    (ORGANISER,))
        con.commit()
        con.close()
        self.choose("bc:a:all")
        preview = self.send_broadcast_message(self.text_update("Спасибо всем!"))
        self.confirm(preview)
        self.wait_report()
        copies = {c["params"]["chat_id"]: c for c in self.copies()}
        self.assertEqual(sorted(copies), sorted([LEADERS, 10, 12, 20]))
        for chat in (10, 12):
            self.assertEqual(self.footer(copies[chat]), [
                "— «Доброе сердце»", "Не получать общие рассылки"])
        self.assertEqual(self.footer(copies[20]), [
            "— «Доброе сердце»", "Stop the council-wide broadcasts"])
        self.assertEqual(self.footer(copies[LEADERS]), ["— «Доброе сердце»"])

    def test_everyone_can_refuse_the_council_wide_broadcasts(self):
        """A broadcast to everyone reaches people who subscribed to
        nothing: each private copy has a stop button; the leaders' group
        copy has none. Refused, the next one passes them by; /subscribe
        turns them back on."""
        self.choose("bc:a:all")
        self.confirm(self.send_broadcast_message(
            self.text_update("Фестиваль добрых дел в субботу")))
        self.wait_report()
        copies = {c["params"]["chat_id"]: c for c in self.copies()}
        self.assertEqual(sorted(copies), sorted([LEADERS, 10, 12, 20]))
        self.assertEqual(self.footer(copies[12]),
                         ["— Иван, «Доброе сердце»",
                          "Не получать общие рассылки"])
        self.assertEqual(self.footer(copies[20]),
                         ["— Иван, «Доброе сердце»",
                          "Stop the council-wide broadcasts"])
        self.assertEqual(self.footer(copies[LEADERS]),
                         ["— Иван, «Доброе сердце»"])
        since = self.last_seq()
        self.fake.press(12, "bu:g",
                        copies[12]["response"]["result"]["message_id"])
        [done] = self.fake.wait_sent(
            lambda e: e["method"] == "sendMessage" and
            e["params"].get("chat_id") == 12, since=since)
        self.assertIn("Общие рассылки совета вам больше не придут",
                      done["params"]["text"])
        # Their direction stays.
        self.assertEqual(self.bot.query(
            "SELECT direction FROM subscriptions WHERE user_id = 12"),
            [("спорт",)])
        # The next broadcast to everyone passes 12 by.
        menu = self.organiser_says("/broadcast")
        self.press("bc:a:all", menu["response"]["result"]["message_id"])
        preview = self.send_broadcast_message(
            self.text_update("Итоги фестиваля"))
        self.assertIn("Отправить 3 получателям?", preview["params"]["text"])
        self.confirm(preview)
        self.wait_report(n=2)
        second = [c["params"]["chat_id"] for c in self.copies()
                  if c["params"]["message_id"] !=
                  copies[10]["params"]["message_id"]]
        self.assertEqual(sorted(second), sorted([LEADERS, 10, 20]))
        # /subscribe shows it refused, and a tap takes it back.
        since = self.last_seq()
        self.fake.send_text(12, "/subscribe")
        [menu12] = self.fake.wait_sent(
            lambda e: e["method"] == "sendMessage" and
            e["params"].get("chat_id") == 12 and "reply_markup" in
            e["params"], since=since)
        toggle = [b for b in buttons(menu12["params"]["reply_markup"])
                  if b["callback_data"] == "sub:g"]
        self.assertEqual([b["text"] for b in toggle],
                         ["Общие рассылки совета"])
        self.fake.press(12, "sub:g",
                        menu12["response"]["result"]["message_id"])
        wait_until(lambda: self.bot.query(
            "SELECT general_broadcasts FROM users WHERE id = 12") == [(1,)],
            what="general broadcasts taken again")
