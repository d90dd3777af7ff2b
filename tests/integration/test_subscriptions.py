"""Subscriptions: the one question a newcomer's /start asks, /subscribe's
toggle buttons, /unsubscribe, and what blocking the bot does to them."""

import time

from lib.daemon import BotTestCase, wait_until
from lib.markup import buttons

DIRECTIONS = ["культура", "спорт", "социальное", "патриотическое", "туризм",
              "психология"]
CHECK = "\u2705 "


class SubscriptionCase(BotTestCase):
    def subs(self, user):
        return sorted(r[0] for r in self.bot.query(
            "SELECT direction FROM subscriptions WHERE user_id = ?", user))

    def message_id(self, sent):
        return sent["response"]["result"]["message_id"]

    def shown(self, chat_id, message_id):
        """The bot's message as the user sees it now (edits applied)."""
        for m in self.fake.messages(chat_id):
            if m["message_id"] == message_id:
                return m
        raise AssertionError("no message %d in chat %d" % (message_id, chat_id))

    def press_and_wait(self, user, data, message_id, method="editMessageText"):
        since = self.fake.sent()[-1]["seq"] if self.fake.sent() else 0
        self.fake.press(user, data, message_id)
        return self.fake.wait_sent(1, method=method, since=since)[0]

    def wait_subs(self, user, expected):
        return wait_until(lambda: self.subs(user) == sorted(expected),
                          what="subscriptions %s" % expected)


class StartQuestion(SubscriptionCase):
    def test_newcomer_is_asked_once(self):
        self.bot.start()
        self.fake.send_text(601, "/start", first_name="Оля")
        [r] = self.wait_replies(1, chat_id=601)
        text = r["params"]["text"]
        self.assertIn("Здравствуйте, Оля!", text)
        self.assertIn("Хотите получать анонсы новых акций", text)
        self.assertEqual([b["callback_data"] for b in buttons(
            r["params"]["reply_markup"])],
            ["sub:ask:all", "sub:ask:pick", "sub:ask:no"])
        self.assertEqual(self.bot.query(
            "SELECT subscribe_asked FROM users WHERE id = 601"), [(1,)])
        # The second /start only greets.
        self.fake.send_text(601, "/start")
        r2 = self.wait_replies(2, chat_id=601)[1]
        self.assertIn("Здравствуйте", r2["params"]["text"])
        self.assertNotIn("анонсы", r2["params"]["text"])
        self.assertNotIn("reply_markup", r2["params"])
        self.assertEqual(self.subs(601), [])

    def test_yes_subscribes_to_everything(self):
        self.bot.start()
        self.fake.send_text(602, "/start")
        [r] = self.wait_replies(1, chat_id=602)
        mid = self.message_id(r)
        self.fake.press(602, "sub:ask:all", mid)
        self.wait_subs(602, ["*"])
        summary = self.wait_replies(2, chat_id=602)[1]["params"]["text"]
        self.assertIn("Буду присылать анонсы: все направления", summary)
        # The greeting stays; only its buttons go.
        wait_until(lambda: not self.shown(602, mid).get("reply_markup"),
                   what="buttons removed")
        self.assertIn("Здравствуйте", self.shown(602, mid)["text"])

    def test_no_thanks(self):
        self.bot.start()
        self.fake.send_text(603, "/start", language_code="en", first_name="Ann")
        [r] = self.wait_replies(1, chat_id=603)
        self.assertIn("Would you like announcements", r["params"]["text"])
        self.fake.press(603, "sub:ask:no", self.message_id(r),
                        language_code="en")
        r2 = self.wait_replies(2, chat_id=603)[1]
        self.assertIn("All right, I won't", r2["params"]["text"])
        self.assertEqual(self.subs(603), [])
        # Answered is answered: no question at the next /start.
        self.fake.send_text(603, "/start", language_code="en")
        r3 = self.wait_replies(3, chat_id=603)[2]
        self.assertNotIn("reply_markup", r3["params"])

    def test_pick_opens_the_toggles(self):
        self.bot.start()
        self.fake.send_text(604, "/start")
        [r] = self.wait_replies(1, chat_id=604)
        self.fake.press(604, "sub:ask:pick", self.message_id(r))
        menu = self.wait_replies(2, chat_id=604)[1]
        self.assertIn("Отметьте направления", menu["params"]["text"])
        labels = [b["text"] for b in buttons(menu["params"]["reply_markup"])]
        # The council-wide broadcasts are taken until refused.
        self.assertEqual(labels, DIRECTIONS + [
            "Все направления", CHECK + "Общие рассылки совета", "Готово"])


class Toggles(SubscriptionCase):
    def open_menu(self, user):
        self.fake.send_text(user, "/subscribe")
        r = self.wait_replies(1, chat_id=user)[-1]
        return self.message_id(r)

    def labels(self, user, mid):
        return [b["text"] for b in buttons(self.shown(user, mid)["reply_markup"])]

    def test_toggle_directions_and_all(self):
        self.bot.start()
        u = 610
        mid = self.open_menu(u)
        self.assertEqual(self.subs(u), [])
        # Tick "спорт" (index 1).
        self.press_and_wait(u, "sub:t:1", mid)
        self.wait_subs(u, ["спорт"])
        wait_until(lambda: CHECK + "спорт" in self.labels(u, mid),
                   what="✅ спорт")
        self.assertNotIn(CHECK + "культура", self.labels(u, mid))
        # And "туризм"; then untick "спорт".
        self.press_and_wait(u, "sub:t:4", mid)
        self.wait_subs(u, ["спорт", "туризм"])
        self.press_and_wait(u, "sub:t:1", mid)
        self.wait_subs(u, ["туризм"])
        # «Все»: one row that stands for every direction, all ticked.
        self.press_and_wait(u, "sub:t:all", mid)
        self.wait_subs(u, ["*"])
        wait_until(lambda: all(l.startswith(CHECK)
                               for l in self.labels(u, mid)[:-1]),
                   what="everything ticked")
        # Unticking one direction of "all" keeps the other five.
        self.press_and_wait(u, "sub:t:0", mid)
        self.wait_subs(u, DIRECTIONS[1:])
        # Ticking the last one missing is "all" again.
        self.press_and_wait(u, "sub:t:0", mid)
        self.wait_subs(u, ["*"])
        # «Все» again: nothing.
        self.press_and_wait(u, "sub:t:all", mid)
        self.wait_subs(u, [])
        # No direction ticked; the council-wide broadcasts stay taken.
        wait_until(lambda: self.labels(u, mid) == DIRECTIONS + [
            "Все направления", CHECK + "Общие рассылки совета", "Готово"],
                   what="nothing ticked")
        # «Готово» shows what is on.
        self.press_and_wait(u, "sub:t:2", mid)
        self.press_and_wait(u, "sub:ok", mid)
        wait_until(lambda: "Буду присылать анонсы: социальное" in
                   self.shown(u, mid)["text"], what="summary")
        # Every press was answered (the spinner stops), with a short note.
        answers = self.fake.sent(method="answerCallbackQuery")
        self.assertGreaterEqual(len(answers), 9)
        self.assertTrue(any("Подписка включена: спорт" in
                            a["params"].get("text", "") for a in answers))

    def test_stale_buttons(self):
        self.bot.start()
        u = 611
        mid = self.open_menu(u)
        self.fake.press(u, "sub:t:99", mid)
        self.fake.press(u, "sub:t:x", mid)
        wait_until(lambda: len(self.fake.sent(method="answerCallbackQuery")) >= 2,
                   what="answers")
        for a in self.fake.sent(method="answerCallbackQuery"):
            self.assertIn("устарела", a["params"]["text"])
        self.assertEqual(self.subs(u), [])

    def test_unsubscribe(self):
        self.bot.start()
        u = 612
        mid = self.open_menu(u)
        self.press_and_wait(u, "sub:t:all", mid)
        self.wait_subs(u, ["*"])
        self.fake.send_text(u, "/unsubscribe")
        r = wait_until(lambda: [s for s in self.replies(chat_id=u)
                                if "больше не буду" in s["params"]["text"]],
                       what="unsubscribed reply")
        self.assertIn("/subscribe", r[0]["params"]["text"])
        self.assertEqual(self.subs(u), [])
        self.fake.send_text(u, "/unsubscribe")
        wait_until(lambda: [s for s in self.replies(chat_id=u)
                            if "и так не подписаны" in s["params"]["text"]],
                   what="nothing to unsubscribe")

    def test_in_a_group_it_points_to_private(self):
        self.bot.start()
        self.fake.send_text(613, "/subscribe@dobro_test_bot", chat_id=-100613,
                            chat_type="supergroup")
        [r] = self.wait_replies(1, chat_id=-100613)
        self.assertIn("личном чате", r["params"]["text"])


class Blocking(SubscriptionCase):
    def test_block_unsubscribes_and_unblock_asks_again(self):
        self.bot.start()
        u = 620
        self.fake.send_text(u, "/start")
        [r] = self.wait_replies(1, chat_id=u)
        self.fake.press(u, "sub:ask:all", self.message_id(r))
        self.wait_subs(u, ["*"])
        # The user blocks the bot: Telegram says so with my_chat_member.
        self.fake.queue(self.fake.my_chat_member(u, new_status="kicked"))
        wait_until(lambda: self.bot.query(
            "SELECT blocked, subscribe_asked FROM users WHERE id = ?", u)
            == [(1, 0)], what="blocked")
        self.assertEqual(self.subs(u), [])
        # Unblocks and presses /start: asked again.
        self.fake.queue(self.fake.my_chat_member(u, old_status="kicked",
                                                 new_status="member"))
        self.fake.send_text(u, "/start")
        r2 = wait_until(lambda: (lambda x: x[1:] if len(x) >= 3 else None)(
            self.replies(chat_id=u)), what="greeting again")
        greeting = [x for x in r2 if "Здравствуйте" in x["params"]["text"]][-1]
        self.assertIn("Хотите получать анонсы", greeting["params"]["text"])
        self.assertEqual(self.bot.query(
            "SELECT blocked FROM users WHERE id = ?", u), [(0,)])

    def test_blocked_by_403_then_back_with_start(self):
        """Only a 403 told us (no my_chat_member): a /start in private is
        proof enough that the user is back."""
        self.bot.start()
        u = 621
        self.fake.send_text(u, "/start")
        [r] = self.wait_replies(1, chat_id=u)
        self.fake.press(u, "sub:ask:all", self.message_id(r))
        self.wait_subs(u, ["*"])
        self.wait_replies(2, chat_id=u)
        self.fake.chat(u, blocked=True)
        self.fake.send_text(u, "/help")
        wait_until(lambda: self.bot.query(
            "SELECT blocked FROM users WHERE id = ?", u) == [(1,)],
            what="403 recorded")
        self.assertEqual(self.subs(u), [])
        self.fake.chat(u, blocked=False)
        self.fake.send_text(u, "/start")
        wait_until(lambda: any("Хотите получать анонсы" in x["params"]["text"]
                               for x in self.replies(chat_id=u)[2:]),
                   what="asked again")
        self.assertEqual(self.bot.query(
            "SELECT blocked FROM users WHERE id = ?", u), [(0,)])
