"""Actions against the fake Bot API: the /announce wizard to publication
(what the leaders' group and subscribers receive, byte for byte), a restart
in the middle, cancelling, every step's refusals, live progress edits under
a burst of pledges, editing and closing, and browsing."""

import json
import re
import time

from lib.actionkit import (BOT, LEADERS, NBSP, ORGANISER, ActionsCase,
                           buttons, rub)
from lib.daemon import wait_until

GROUP_TEXT = (
    "📣 <b>&lt;b&gt;Акция &amp; «сбор»&lt;/b&gt;</b>\n"
    "🏷 социальное\n"
    "🗓 30 ноября 2030 (сб), 15:00\n"
    "📍 ул. Ленина, 12 &amp; двор\n"
    "\n"
    "Собираем тёплые вещи для приюта «Надежда».\n"
    "Принесите &lt;в пакетах&gt; &amp; подпишите.\n"
    "\n"
    "💰 <b>Деньги</b> — цель 50" + NBSP + "000" + NBSP + "₽\n"
    "обещано 0" + NBSP + "₽ ▱▱▱▱▱▱▱▱▱▱ 0%\n"
    "получено 0" + NBSP + "₽ ▱▱▱▱▱▱▱▱▱▱ 0%\n"
    "📦 <b>Вещи</b>\n"
    "• тёплые одеяла: 20 шт — обещано 0, получено 0\n"
    "• крупа: 50 кг — обещано 0, получено 0\n"
    "🙋 <b>Волонтёры</b> — нужно 10: записались 0, пришли 0\n"
    "\n"
    "<i>Акция №1</i>")

GROUP_BUTTONS = [
    ("💰 Помочь деньгами", "https://t.me/%s?start=p1m" % BOT),
    ("📦 Принести вещи", "https://t.me/%s?start=p1g" % BOT),
    ("🙋 Стать волонтёром", "https://t.me/%s?start=p1t" % BOT),
]


class ActionsWizard(ActionsCase):
    def test_whole_wizard_to_publication(self):
        # Subscribers: 501 to the direction, 502 to everything (reads
        # English), 503 to another direction, 504 blocked the bot, and the
        # author, who is subscribed too but knows already.
        self.prepare(users=[(501, "Мария", "ru", "citizen", 0),
                            (502, "Ann", "en", "citizen", 0),
                            (503, "Олег", "ru", "citizen", 0),
                            (504, "Пётр", "ru", "citizen", 1),
                            (ORGANISER, "Иван", "ru", "citizen", 0)],
                     subscriptions=[(501, "социальное"), (502, "*"),
                                    (503, "спорт"), (504, "*"),
                                    (ORGANISER, "*")])
        self.bot.start()
        n = self.say(ORGANISER, "/announce")
        self.assertIn("Шаг 1 из 8", self.wait_reply(ORGANISER, "Шаг 1", n)
                      ["params"]["text"])
        self.assertEqual(self.conversation(ORGANISER), ("announce", "title"))
        self.say(ORGANISER, "<b>Акция & «сбор»</b>")
        self.wait_reply(ORGANISER, "Шаг 2", n)
        self.say(ORGANISER, "Собираем тёплые вещи для приюта «Надежда».\n"
                 "Принесите <в пакетах> & подпишите.")
        step3 = self.wait_reply(ORGANISER, "Шаг 3", n)
        self.assertEqual([b[0] for b in buttons(step3["params"]
                                                ["reply_markup"])],
                         ["культура", "спорт", "социальное", "патриотическое",
                          "туризм", "психология", "← Назад"])
        self.press(ORGANISER, "an:d:2", self.message_id(step3))
        step4 = self.wait_reply(ORGANISER, "Шаг 4", n)
        self.assertEqual(buttons(step4["params"]["reply_markup"]),
                         [("Без даты", "an:s:3"), ("← Назад", "an:b:3")])
        self.say(ORGANISER, "30.11.2030 15:00", "ул. Ленина, 12 & двор",
                 "50 000", "тёплые одеяла — 20 шт\nкрупа 50 кг", "10")
        preview = self.wait_reply(ORGANISER, "📣", n)
        head = self.texts(ORGANISER)[-2]
        self.assertIn("Проверьте объявление", head)
        # The preview is the announcement itself, without a number yet.
        self.assertEqual(preview["params"]["text"],
                         GROUP_TEXT[:GROUP_TEXT.index("\n\n<i>Акция") + 1])
        self.assertEqual(buttons(preview["params"]["reply_markup"]),
                         [("✅ Опубликовать", "an:pub"),
                          ("✏️ Изменить", "an:chg"),
                          ("✖️ Отменить", "an:x")])
        self.assertEqual(self.conversation(ORGANISER), ("announce", "preview"))

        n = self.press(ORGANISER, "an:pub", self.message_id(preview))
        done = self.wait_reply(ORGANISER, "Опубликовано", n)["params"]["text"]
        self.assertIn("Акция №1", done)
        self.assertIn("в группу руководителей и подписчикам направления: 2",
                      done)
        self.assertIn("/pledges 1", done)
        self.assertIsNone(self.conversation(ORGANISER))

        # The group: byte for byte, with deep links into the private chat.
        [g] = self.wait_replies(1, chat_id=LEADERS)
        self.assertEqual(g["params"]["text"], GROUP_TEXT)
        self.assertEqual(g["params"]["parse_mode"], "HTML")
        self.assertEqual(buttons(g["params"]["reply_markup"]), GROUP_BUTTONS)
        # Subscribers: callback buttons, their language.
        [ru] = self.wait_replies(1, chat_id=501)
        self.assertEqual(ru["params"]["text"], GROUP_TEXT)
        self.assertEqual(buttons(ru["params"]["reply_markup"]),
                         [("💰 Помочь деньгами", "pl:1:m"),
                          ("📦 Принести вещи", "pl:1:g"),
                          ("🙋 Стать волонтёром", "pl:1:t")])
        [en] = self.wait_replies(1, chat_id=502)
        self.assertIn("💰 <b>Money</b> — goal 50" + NBSP + "000", en["params"]
                      ["text"])
        self.assertIn("<i>Action #1</i>", en["params"]["text"])
        self.assertEqual(buttons(en["params"]["reply_markup"])[0],
                         ("💰 Donate money", "pl:1:m"))
        self.settled()
        self.assertEqual(self.replies(chat_id=503), [])
        self.assertEqual(self.replies(chat_id=504), [])
        # What is stored: the action, its needs, and every posted copy with
        # the message id Telegram gave it.
        self.assertEqual(self.bot.query(
            "SELECT author_id, title, direction, place, goal_kopecks,"
            " volunteers_needed, status FROM actions"),
            [(ORGANISER, "<b>Акция & «сбор»</b>", "социальное",
              "ул. Ленина, 12 & двор", 5000000, 10, "open")])
        self.assertEqual(self.bot.query(
            "SELECT item, unit, quantity FROM needs ORDER BY position"),
            [("тёплые одеяла", "шт", 20), ("крупа", "кг", 50)])
        copies = self.bot.query(
            "SELECT an.chat_id, an.message_id = o.message_id, o.ref_type"
            " FROM announcements an LEFT JOIN outbox o ON o.id = an.outbox_id"
            " ORDER BY an.id")
        self.assertEqual(copies, [(LEADERS, 1, "announcement"),
                                  (501, 1, "announcement"),
                                  (502, 1, "announcement"),
                                  (ORGANISER, None, None)])
        # The organiser's preview became their copy: numbered, with pledge
        # buttons (an edit, not a new message).
        mine = [m for m in self.fake.messages(ORGANISER)
                if m["message_id"] == self.message_id(preview)][0]
        self.assertIn("Акция №1", mine["text"])
        self.assertEqual(buttons(mine["reply_markup"])[0],
                         ("💰 Помочь деньгами", "pl:1:m"))
        # 501 blocks the bot; a pledge comes: every other copy is edited,
        # 501's is left alone.
        self.fake.queue([self.fake.my_chat_member(501, new_status="kicked")])
        wait_until(lambda: self.bot.query(
            "SELECT blocked FROM users WHERE id = 501") == [(1,)],
            what="501 blocked")
        n = self.say(600, "/pledge 1 250")
        self.wait_reply(600, "Спасибо, записал", n)
        self.settled()
        want = "обещано 250" + NBSP + "₽"
        self.assertIn(want, self.group_copy(1)["text"])
        self.assertIn("pledged 250" + NBSP + "₽", self.group_copy(1, 502)
                      ["text"])
        self.assertNotIn(want, self.group_copy(1, 501)["text"])
        self.assertEqual([s for s in self.fake.sent(method="editMessageText")
                          if s["params"]["chat_id"] == 501], [])

    def test_restart_in_the_middle(self):
        self.bot.start()
        n = self.say(ORGANISER, "/announce", "Субботник в парке",
                     "Убираем парк после зимы.")
        self.wait_reply(ORGANISER, "Шаг 3", n)
        self.bot.stop()
        self.assertEqual(self.conversation(ORGANISER),
                         ("announce", "direction"))
        self.bot.start()
        self.say(ORGANISER, "Туризм", "без даты", "Центральный парк", "нет",
                 "нет", "15")
        preview = self.wait_reply(ORGANISER, "📣", n)
        text = preview["params"]["text"]
        self.assertIn("📣 <b>Субботник в парке</b>\n🏷 туризм\n"
                      "🗓 без даты — сбор идёт постоянно\n"
                      "📍 Центральный парк\n\nУбираем парк после зимы.\n\n"
                      "🙋 <b>Волонтёры</b> — нужно 15: записались 0, пришли 0",
                      text)
        self.assertNotIn("Деньги", text)
        self.assertNotIn("Вещи", text)
        self.bot.stop()
        self.bot.start()
        n = self.press(ORGANISER, "an:pub", self.message_id(preview))
        self.wait_reply(ORGANISER, "Опубликовано", n)
        [g] = self.wait_replies(1, chat_id=LEADERS)
        self.assertEqual(buttons(g["params"]["reply_markup"]),
                         [("🙋 Стать волонтёром",
                           "https://t.me/%s?start=p1t" % BOT)])
        self.assertEqual(self.bot.query(
            "SELECT starts_at, goal_kopecks, volunteers_needed FROM actions"),
            [(None, None, 15)])

    def test_cancel(self):
        self.bot.start()
        n = self.say(ORGANISER, "/announce", "Концерт")
        step2 = self.wait_reply(ORGANISER, "Шаг 2", n)
        n = self.say(ORGANISER, "/cancel")
        self.wait_reply(ORGANISER, "отменил", n)
        self.assertIsNone(self.conversation(ORGANISER))
        # Text after cancelling is not taken as an answer.
        n = self.say(ORGANISER, "Описание концерта")
        self.wait_reply(ORGANISER, "Я бот добрых дел", n)
        # A button of the cancelled wizard: a short notice, no error.
        self.fake.press(ORGANISER, "an:d:0", self.message_id(step2))
        self.callback_answer("устарела")
        # Cancel from the preview's button.
        preview_since = self.say(ORGANISER, "/announce", "Концерт", "Песни",
                                 "культура", "нет", "нет", "нет", "нет", "нет")
        preview = self.wait_reply(ORGANISER, "📣", preview_since)
        n = self.press(ORGANISER, "an:x", self.message_id(preview))
        self.wait_reply(ORGANISER, "не опубликовано", n)
        self.fake.press(ORGANISER, "an:pub", self.message_id(preview))
        self.callback_answer("устарела")
        time.sleep(0.5)
        self.assertEqual(self.bot.query("SELECT count(*) FROM actions"), [(0,)])
        self.assertEqual(self.replies(chat_id=LEADERS), [])

    def test_invalid_answers_at_each_step(self):
        self.bot.start()
        self.wait_reply(ORGANISER, "Шаг 1", self.say(ORGANISER, "/announce"))
        cases = [
            # (step, wrong answer, what the reply says), then a right one.
            ("title", "Т" * 121, "Название длиннее 120 знаков (сейчас 121)"),
            ("title", "   ", "Название не может быть пустым"),
            ("title", "Праздник двора", None),
            ("description", "д" * 3001,
             "Описание длиннее 3000 знаков (сейчас 3001)"),
            ("description", "Весёлый праздник для всех соседей.", None),
            ("direction", "рыбалка", "Такого направления нет. Выберите кнопкой"
             " или напишите одно из: культура, спорт, социальное"),
            ("direction", "КУЛЬТУРА", None),
            ("when", "31.02 10:00", "например"),
            ("when", "01.01.2020 10:00", "например"),
            ("when", "завтра", "Во сколько начало?"),
            ("when", "когда-нибудь", "Если даты нет"),
            ("when", "завтра 15:00", None),
            ("place", "м" * 201, "Место длиннее 200 знаков (сейчас 201)"),
            ("place", "Двор дома 5", None),
            ("goal", "много", "например: 500"),
            ("goal", "-5", "Цель — от 1 до 100"),
            ("goal", "10.5555", "Цель — от 1 до 100"),
            ("goal", "200 000 000", "Цель — от 1 до 100"),
            ("goal", "1 500,50 руб", None),
            ("goods", "одеяла", "Строка 1 («одеяла»)"),
            ("goods", "мыло 5 шт\nшампунь", "Строка 2 («шампунь»)"),
            ("goods", "мыло 5\nМЫЛО 3", "«МЫЛО» в списке дважды"),
            ("goods", "\n".join("вещь %d — 1 шт" % i for i in range(16)),
             "не больше 15"),
            ("goods", "мыло — 5 шт\n\n• полотенца 10", None),
            ("volunteers", "много", "Напишите число волонтёров от 1 до 10000"),
            ("volunteers", "10-15", "от 1 до 10000"),
            ("volunteers", "100000", "от 1 до 10000"),
            ("volunteers", "12 человек", None),
        ]
        seen = self.count(ORGANISER)
        for step, answer, says in cases:
            self.assertEqual(self.conversation(ORGANISER), ("announce", step),
                             answer)
            n = self.say(ORGANISER, answer)
            r = wait_until(lambda: self.texts(ORGANISER)[n:] or None,
                           what="an answer to %r" % answer[:30])
            if says is not None:
                self.assertIn(says, r[0], answer[:40])
                wait_until(lambda: self.conversation(ORGANISER) ==
                           ("announce", step), what="same step")
            else:
                wait_until(lambda: self.conversation(ORGANISER) !=
                           ("announce", step), what="next step")
        self.assertEqual(self.conversation(ORGANISER), ("announce", "preview"))
        self.assertGreater(self.count(ORGANISER), seen)
        preview = self.replies(chat_id=ORGANISER)[-1]["params"]["text"]
        self.assertIn("📣 <b>Праздник двора</b>\n🏷 культура\n", preview)
        self.assertIn("💰 <b>Деньги</b> — цель 1" + NBSP + "500,50" + NBSP +
                      "₽", preview)
        self.assertIn("• мыло: 5 шт", preview)
        self.assertIn("• полотенца: 10 —", preview)
        self.assertIn("нужно 12:", preview)

    def test_photo_is_the_poster_and_a_file_asks_for_text(self):
        self.bot.start()
        n = self.say(ORGANISER, "/announce")
        self.wait_reply(ORGANISER, "Шаг 1", n)
        upd = self.fake.message(ORGANISER, "x")
        del upd["message"]["text"]
        upd["message"]["document"] = {"file_id": "d1", "file_unique_id": "u2",
                                      "file_name": "plan.pdf"}
        self.fake.queue([upd])
        r = self.wait_reply(ORGANISER, "ответьте текстом", n)
        self.assertIn("Пожалуйста, ответьте текстом.\nКак называется акция?",
                      r["params"]["text"])
        self.assertEqual(self.conversation(ORGANISER), ("announce", "title"))
        # A photo is the poster (issue 18): kept, and the step asked again.
        upd = self.fake.message(ORGANISER, "x")
        del upd["message"]["text"]
        upd["message"]["photo"] = [{"file_id": "p1", "file_unique_id": "u1",
                                    "width": 10, "height": 10}]
        self.fake.queue([upd])
        r = self.wait_reply(ORGANISER, "Афиша есть 📷", n)
        self.assertIn("Как называется акция?", r["params"]["text"])
        self.assertEqual(self.conversation(ORGANISER), ("announce", "title"))
        [(draft,)] = self.bot.query("SELECT draft FROM conversations")
        self.assertEqual(json.loads(draft)["poster"], "p1")

    def test_non_organiser_refused(self):
        self.bot.start()
        n = self.say(777, "/announce")
        r = self.wait_reply(777, "только организаторам", n)
        self.assertIn("/announce", r["params"]["text"])
        self.assertIsNone(self.conversation(777))
        # Nor can a citizen press the wizard's buttons.
        self.fake.press(777, "an:pub", self.message_id(r))
        self.callback_answer("не для вас")
        # Nor edit or close.
        n = self.say(777, "/edit 1", "/close 1")
        self.wait_reply(777, "/close", n)
        self.assertEqual(self.bot.query("SELECT count(*) FROM actions"), [(0,)])

    def test_skip_buttons_change_from_preview_and_no_group(self):
        # No leaders' group.
        self.bot.config.pop("leaders_chat_id", None)
        with open(self.bot.config_path, "w") as f:
            json.dump(self.bot.config, f, ensure_ascii=False)
        self.bot.start()
        n = self.say(ORGANISER, "/announce", "Фестиваль двора",
                     "Песни, игры, чай.", "культура")
        ask = self.wait_reply(ORGANISER, "Шаг 4", n)
        for step in range(4, 9):
            (label, data), back = buttons(ask["params"]["reply_markup"])
            self.assertEqual(back, ("← Назад", "an:b:%d" % (step - 1)))
            self.assertEqual(data, "an:s:%d" % (step - 1))
            self.assertEqual(label, "Без даты" if step == 4 else
                             "Пропустить")
            self.press(ORGANISER, data, self.message_id(ask))
            if step < 8:
                ask = self.wait_reply(ORGANISER, "Шаг %d" % (step + 1), n)
        preview = self.wait_reply(ORGANISER, "📣", n)
        # An earlier question's skip button does not skip anything now.
        self.fake.press(ORGANISER, "an:s:4", self.message_id(ask))
        self.callback_answer("устарела")
        self.assertEqual(preview["params"]["text"],
                         "📣 <b>Фестиваль двора</b>\n🏷 культура\n"
                         "🗓 без даты — сбор идёт постоянно\n\n"
                         "Песни, игры, чай.\n")
        # Change the title from the preview, then back to the preview.
        n = self.press(ORGANISER, "an:chg", self.message_id(preview))
        menu = self.wait_reply(ORGANISER, "Что изменить?", n)
        self.assertEqual(buttons(menu["params"]["reply_markup"])[-1],
                         ("← К объявлению", "an:pv"))
        self.press(ORGANISER, "an:f:0", self.message_id(menu))
        self.wait_reply(ORGANISER, "Как называется акция?", n)
        self.say(ORGANISER, "Фестиваль соседей")
        preview = self.wait_reply(ORGANISER, "📣 <b>Фестиваль соседей</b>", n)
        n = self.press(ORGANISER, "an:pub", self.message_id(preview))
        done = self.wait_reply(ORGANISER, "Опубликовано", n)["params"]["text"]
        self.assertIn("Группа руководителей ещё не назначена", done)
        self.assertIn("подписчикам направления: 0", done)
        # It asks for nothing: no pledge buttons anywhere.
        self.settled()
        mine = [m for m in self.fake.messages(ORGANISER)
                if m["message_id"] == self.message_id(preview)][0]
        self.assertIn("Акция №1", mine["text"])
        self.assertIsNone(mine.get("reply_markup"))
        n = self.say(5, "/pledge 1 500")
        self.wait_reply(5, "не нужны пожертвования через бота", n)


class ActionsRoleRevoked(ActionsCase):
    def test_revoked_in_the_middle_of_announce_is_told_and_leaves(self):
        # Maria, an organiser, is at step 2 of /announce when an admin
        # revokes her role; her next answer is refused by the router (the
        # flow table's role), with a sentence that says the role is gone,
        # and the conversation is cleared.
        self.prepare(users=[(701, "Мария", "ru", "organiser", 0),
                            (ORGANISER, "Иван", "ru", "citizen", 0)])
        self.bot.start()
        n = self.say(701, "/announce")
        self.wait_reply(701, "Шаг 1", n)
        self.say(701, "Тёплые вещи для приюта")
        self.wait_reply(701, "Шаг 2", n)
        self.assertEqual(self.conversation(701), ("announce", "description"))
        a = self.say(ORGANISER, "/revoke 701")
        self.wait_reply(ORGANISER, "больше не организатор", a)
        n = self.count(701)
        self.say(701, "Собираем тёплые вещи для приюта «Надежда».")
        refusal = self.wait_reply(701, "больше нет роли организатора", n)
        self.assertIn("начатое командой /announce не продолжить: разговор "
                      "закрыт", refusal["params"]["text"])
        self.assertIsNone(self.conversation(701))
        self.assertEqual(self.bot.query(
            "SELECT count(*) FROM conversations WHERE user_id = 701"), [(0,)])
        self.assertEqual(self.bot.query("SELECT count(*) FROM actions"),
                         [(0,)])
        # Her next words are no longer part of any flow: no second refusal.
        n = self.count(701)
        self.say(701, "хочу помочь")
        self.wait_replies(n + 1, chat_id=701)
        self.assertNotIn("больше нет роли", self.texts(701)[-1])

    def test_revoked_presses_a_button_of_the_flow(self):
        # The same, when the next thing she does is press the direction
        # button under step 3: the button is refused and the flow ends.
        self.prepare(users=[(701, "Мария", "ru", "organiser", 0),
                            (ORGANISER, "Иван", "ru", "citizen", 0)])
        self.bot.start()
        n = self.say(701, "/announce", "Тёплые вещи для приюта",
                     "Собираем тёплые вещи для приюта «Надежда».")
        step3 = self.wait_reply(701, "Шаг 3", n)
        self.assertEqual(self.conversation(701), ("announce", "direction"))
        a = self.say(ORGANISER, "/revoke 701")
        self.wait_reply(ORGANISER, "больше не организатор", a)
        n = self.press(701, "an:d:2", self.message_id(step3))
        self.callback_answer("Эта кнопка не для вас")
        self.wait_reply(701, "больше нет роли организатора", n)
        self.assertIsNone(self.conversation(701))


class ActionsProgress(ActionsCase):
    config = {"leaders_chat_id": LEADERS,
              "limits": {"pledges_per_min": 1000}}

    def test_burst_of_200_pledges_costs_a_few_edits(self):
        self.bot.start()
        aid = self.announce()
        [g] = self.wait_replies(1, chat_id=LEADERS)
        self.settled()
        ups = []
        total = 0
        for i in range(200):
            kop = (i + 1) * 100 + (i % 100)
            total += kop
            amount = "%d,%02d" % (kop // 100, kop % 100)
            ups.append(self.fake.message(10000 + i, "/pledge %d %s" % (aid,
                                                                     amount)))
        blankets = 0
        for i in range(20):
            ups.append(self.fake.message(20000 + i, "/pledge %d %d одеял" % (
                aid, i % 3 + 1)))
            blankets += i % 3 + 1
        for i in range(7):
            ups.append(self.fake.message(30000 + i, "/pledge %d время" % aid))
        t0 = time.time()
        self.fake.queue(ups)
        wait_until(lambda: self.bot.query("SELECT count(*) FROM pledges")
                   == [(227,)], what="227 pledges")
        took = time.time() - t0
        want = "обещано %s ▰" % rub(total)
        final = self.wait_group_text(aid, want)
        self.settled()
        final = self.group_copy(aid)
        self.assertIn("• тёплые одеяла: 20 шт — обещано %d, получено 0" %
                      blankets, final["text"])
        self.assertIn("записались 7, пришли 0", final["text"])
        self.assertIn("получено 0" + NBSP + "₽", final["text"])
        self.assertEqual(self.bot.query(
            "SELECT sum(amount) FROM pledges WHERE kind = 'money'"), [(total,)])
        # One edit per run of the job at most, and the runs during the
        # burst are few.
        print("\n  227 pledges in %.1f s: %d edits of the group's copy" % (
            took, final["edits"]))
        self.assertGreaterEqual(final["edits"], 1)
        self.assertLessEqual(final["edits"], 3 + int(took / 2))
        # The private copy of the author follows too.
        mine = [m for m in self.fake.messages(ORGANISER)
                if m["text"].startswith("📣")]
        self.assertIn(want, mine[0]["text"])


class ActionsEditClose(ActionsCase):
    config = {"leaders_chat_id": LEADERS}

    def test_edit_updates_published_messages(self):
        self.prepare(users=[(2, "Ольга", "ru", "organiser", 0)])
        self.bot.start()
        aid = self.announce()
        self.wait_replies(1, chat_id=LEADERS)
        n = self.say(50, "/pledge %d 5 одеял" % aid)
        self.wait_reply(50, "Спасибо, записал", n)
        # Another organiser may not edit it.
        n = self.say(2, "/edit %d" % aid)
        self.wait_reply(2, "Изменять акцию №1 могут её автор, организаторы её"
                        " организации и администраторы.", n)
        n = self.say(ORGANISER, "/edit", "/edit 99")
        self.wait_reply(ORGANISER, "например: /edit 12", n)
        self.wait_reply(ORGANISER, "Акции №99 нет", n)
        n = self.say(ORGANISER, "/edit %d" % aid)
        menu = self.wait_reply(ORGANISER, "Что изменить в акции №1", n)
        self.assertEqual(buttons(menu["params"]["reply_markup"])[0],
                         ("Название", "ae:1:0"))
        # The title, through the wizard's own validator.
        self.press(ORGANISER, "ae:1:0", self.message_id(menu))
        self.wait_reply(ORGANISER, "Как называется акция?", n)
        self.assertEqual(self.conversation(ORGANISER), ("edit", "title"))
        self.say(ORGANISER, "Т" * 130)
        self.wait_reply(ORGANISER, "Название длиннее 120", n)
        self.say(ORGANISER, "Тёплые вещи & одеяла")
        self.wait_reply(ORGANISER, "Готово: акция №1 обновлена", n)
        self.assertIsNone(self.conversation(ORGANISER))
        self.wait_group_text(aid, "📣 Тёплые вещи & одеяла\n")
        # The date: removed with the button.
        self.press(ORGANISER, "ae:1:3", self.message_id(menu))
        ask = self.wait_reply(ORGANISER, "Когда?", n)
        self.assertEqual(buttons(ask["params"]["reply_markup"]),
                         [("Без даты", "an:s:3")])
        self.press(ORGANISER, "an:s:3", self.message_id(ask))
        self.wait_group_text(aid, "🗓 без даты — сбор идёт постоянно")
        # The goods: blankets have a pledge, so they stay when dropped.
        n = self.press(ORGANISER, "ae:1:6", self.message_id(menu))
        self.wait_reply(ORGANISER, "Какие вещи нужны?", n)
        self.say(ORGANISER, "крупа 60 кг\nмыло 10 шт")
        r = self.wait_reply(ORGANISER, "Готово", n)["params"]["text"]
        self.assertIn("На «тёплые одеяла» уже есть обещания", r)
        self.wait_group_text(aid, "• крупа: 60 кг — обещано 0, получено 0\n"
                             "• мыло: 10 шт — обещано 0, получено 0\n"
                             "• тёплые одеяла: 20 шт — обещано 5, получено 0")
        # The goal, the volunteers.
        n = self.press(ORGANISER, "ae:1:5", self.message_id(menu))
        self.wait_reply(ORGANISER, "Сколько денег", n)
        self.say(ORGANISER, "75 000")
        self.wait_reply(ORGANISER, "Готово", n)
        n = self.press(ORGANISER, "ae:1:7", self.message_id(menu))
        ask = self.wait_reply(ORGANISER, "Сколько нужно волонтёров", n)
        self.assertEqual(buttons(ask["params"]["reply_markup"]),
                         [("Убрать", "an:s:7")])
        self.press(ORGANISER, "an:s:7", self.message_id(ask))
        self.wait_reply(ORGANISER, "Готово", n)
        final = self.wait_group_text(aid, "цель 75" + NBSP + "000")
        self.settled()
        final = self.group_copy(aid)
        self.assertNotIn("Волонтёры", final["text"])
        self.assertEqual([b[0] for b in buttons(final["reply_markup"])],
                         ["💰 Помочь деньгами", "📦 Принести вещи"])
        self.assertEqual(self.bot.query(
            "SELECT title, starts_at, goal_kopecks, volunteers_needed"
            " FROM actions"), [("Тёплые вещи & одеяла", None, 7500000, None)])
        self.assertEqual(self.bot.query(
            "SELECT item, quantity FROM needs ORDER BY position"),
            [("крупа", 60), ("мыло", 10), ("тёплые одеяла", 20)])
        # The blankets pledge kept its need.
        self.assertEqual(self.bot.query(
            "SELECT n.item FROM pledges p JOIN needs n ON n.id = p.need_id"),
            [("тёплые одеяла",)])

    def test_close_updates_and_reports(self):
        self.bot.start()
        aid = self.announce()
        self.wait_replies(1, chat_id=LEADERS)
        n50 = self.say(50, "/pledge %d 1 500" % aid, first_name="Пётр",
                       last_name="Сидоров")
        self.wait_reply(50, "Спасибо, записал", n50)
        n = self.say(ORGANISER, "/received 1")
        self.wait_reply(ORGANISER, "отмечено полученным", n)
        n = self.say(ORGANISER, "/close %d" % aid)
        self.wait_reply(ORGANISER, "Напишите коротко, чем она закончилась", n)
        self.assertEqual(self.conversation(ORGANISER), ("close", "result"))
        self.say(ORGANISER, "р" * 1001)
        self.wait_reply(ORGANISER, "Итог длиннее 1000 знаков", n)
        self.say(ORGANISER, "Собрали <всё>, спасибо!")
        n = self.publish_close(n)
        done = self.wait_reply(ORGANISER, "завершена", n)["params"]["text"]
        self.assertIn("Итоги ушли в группу руководителей", done)
        summary = self.wait_reply(LEADERS, "🏁")["params"]["text"]
        self.assertEqual(summary,
                         "🏁 <b>Акция №1 завершена</b>\n«Тёплые вещи для "
                         "приюта»\nИтог: Собрали &lt;всё&gt;, спасибо!\n\n"
                         "💰 <b>Деньги</b> — цель 50" + NBSP + "000" + NBSP +
                         "₽\nобещано 1" + NBSP + "500" + NBSP + "₽ "
                         "▱▱▱▱▱▱▱▱▱▱ 3%\nполучено 1" + NBSP + "500" + NBSP +
                         "₽ ▱▱▱▱▱▱▱▱▱▱ 3%\n📦 <b>Вещи</b>\n"
                         "• тёплые одеяла: 20 шт — обещано 0, получено 0\n"
                         "• крупа: 50 кг — обещано 0, получено 0\n"
                         "🙋 <b>Волонтёры</b> — нужно 10: записались 0, "
                         "пришли 0\n\nПомогли: 1. Спасибо каждому!")
        # The announcement shows the end and has no buttons any more.
        g = self.wait_group_text(aid, "✅ Акция завершена.\nИтог: Собрали "
                                 "<всё>, спасибо!")
        self.settled()
        g = self.group_copy(aid)
        self.assertIsNone(g.get("reply_markup"))
        # Pledging stops, politely, by command, deep link and button.
        n = self.say(60, "/pledge %d 500" % aid, "/start p%dm" % aid)
        self.wait_reply(60, "уже завершена — спасибо, что хотели помочь", n)
        self.wait_reply(60, "уже завершена", n + 1)
        r = self.replies(chat_id=60)[-1]
        self.fake.press(60, "pl:%d:m" % aid, self.message_id(r))
        self.callback_answer("Эта акция уже завершена")
        self.fake.press(60, "pl:999:m", self.message_id(r))
        self.callback_answer("Этой акции больше нет")
        # Closing again, editing a closed action.
        n = self.say(ORGANISER, "/close %d" % aid, "/edit %d" % aid)
        self.wait_reply(ORGANISER, "Акция №1 уже завершена.", n)
        self.wait_reply(ORGANISER, "её нельзя изменить", n)
        self.assertEqual(self.bot.query(
            "SELECT status, result FROM actions"),
            [("closed", "Собрали <всё>, спасибо!")])

    def test_close_in_the_group_and_without_result(self):
        self.bot.start()
        a1 = self.announce(title="Первая")
        a2 = self.announce(title="Вторая")
        self.wait_replies(2, chat_id=LEADERS)
        # In the group: the preview goes to the organiser's private chat,
        # nothing to the group until it is published.
        mine = self.count(ORGANISER)
        n = self.say(ORGANISER, "/close@%s %d Всё собрали" % (BOT, a1),
                     chat_id=LEADERS, chat_type="supergroup")
        self.wait_reply(LEADERS, "показал вам в личном чате", n)
        preview = self.close_preview(mine)["params"]["text"]
        self.assertIn("Итог: Всё собрали", preview)
        self.assertNotIn("Итог: Всё собрали", "\n".join(self.texts(LEADERS)))
        self.publish_close(mine)
        self.wait_reply(LEADERS, "Итог: Всё собрали", n)
        n = self.say(ORGANISER, "/close %d" % a2)
        self.wait_reply(ORGANISER, "Напишите коротко", n)
        self.say(ORGANISER, "-")
        n = self.publish_close(n)
        self.wait_reply(ORGANISER, "Акция №2 завершена", n)
        self.wait_reply(LEADERS, "🏁 <b>Акция №2 завершена</b>\n«Вторая»\n\n")
        self.assertEqual(self.bot.query(
            "SELECT id, status, result FROM actions ORDER BY id"),
            [(1, "closed", "Всё собрали"), (2, "closed", None)])


class ActionsMigratedGroup(ActionsCase):
    """The configured leaders' group became a supergroup before this
    database learnt of it through bot_state: announcements and closing
    reports go to the supergroup at once, not to the old id for a 400."""

    SUPERGROUP = -1009876543210

    def test_announcement_and_report_follow_the_migration(self):
        self.prepare()
        self.write_db("INSERT INTO chats(id, type, title, active, migrated_to,"
                      " created_at, updated_at) VALUES (?, 'group',"
                      " 'Совет НКО', 0, ?, 0, 0)", LEADERS, self.SUPERGROUP)
        self.fake.chat(LEADERS, migrate_to=self.SUPERGROUP)
        self.bot.start()
        aid = self.announce()
        self.wait_group_text(aid, "Акция №%d" % aid, chat_id=self.SUPERGROUP)
        n = self.say(ORGANISER, "/close %d Всё собрали" % aid)
        n = self.publish_close(n)
        self.wait_reply(ORGANISER, "завершена", n)
        self.wait_reply(self.SUPERGROUP, "🏁")
        self.assertEqual(
            [s["status"] for s in self.fake.sent()
             if s["params"].get("chat_id") == LEADERS], [],
            "nothing is sent to the group's old id")


class ActionsBrowse(ActionsCase):
    def seed(self):
        """Ten open actions (sport and social) and a closed one, made in the
        database before start."""
        self.prepare()
        now = int(time.time() * 1000)
        for i in range(1, 12):
            self.write_db(
                "INSERT INTO actions(author_id, title, description, direction,"
                " goal_kopecks, status, created_at, updated_at)"
                " VALUES (1, ?, 'Описание', ?, ?, ?, ?, ?)",
                "Акция <%d>" % i, "спорт" if i % 2 else "социальное",
                100000 * i, "closed" if i == 11 else "open", now, now)

    def test_list_pages_filter_and_open(self):
        self.seed()
        self.bot.start()
        n = self.say(70, "/actions")
        r = self.wait_reply(70, "Открытые акции", n)
        text = r["params"]["text"]
        self.assertTrue(text.startswith("<b>Открытые акции</b> (10):\n\n"
                                        "<b>№10</b> Акция &lt;10&gt;\n"), text)
        self.assertNotIn("№11", text)
        self.assertNotIn("№2</b>", text)
        # Both totals, as wherever progress is shown.
        self.assertIn("💰 получено 0" + NBSP + "₽, обещано 0" + NBSP +
                      "₽ из 10" + NBSP + "000" + NBSP + "₽\n", text)
        b = buttons(r["params"]["reply_markup"])
        self.assertEqual(b[0], ("№10 · Акция <10>", "ac:v:10"))
        self.assertEqual(len(b), 9)
        self.assertEqual(b[-1], ("Дальше →", "ac:p:8:-1"))
        n2 = self.press(70, "ac:p:8:-1", self.message_id(r))
        wait_until(lambda: [m for m in self.fake.messages(70)
                            if m["message_id"] == self.message_id(r)
                            and "№1 Акция <1>" in m["text"]], what="page 2")
        page = [m for m in self.fake.messages(70)
                if m["message_id"] == self.message_id(r)][0]
        self.assertEqual([x[1] for x in buttons(page["reply_markup"])],
                         ["ac:v:2", "ac:v:1", "ac:p:0:-1"])
        # Open one from the list.
        self.press(70, "ac:v:3", self.message_id(r))
        one = self.wait_reply(70, "<i>Акция №3</i>", n2)
        self.assertTrue(one["params"]["text"].startswith(
            "📣 <b>Акция &lt;3&gt;</b>\n🏷 спорт\n"))
        self.assertEqual(buttons(one["params"]["reply_markup"]),
                         [("💰 Помочь деньгами", "pl:3:m")])
        # Filter by direction, any case; unknown direction.
        n = self.say(70, "/actions Социальное", "/actions рыбалка")
        r = self.wait_reply(70, "Открытые акции — социальное</b> (5)", n)
        self.assertNotIn("Дальше", json.dumps(r["params"]["reply_markup"],
                                              ensure_ascii=False))
        self.wait_reply(70, "Такого направления нет. Направления: культура",
                        n)
        # /action, deep link, closed one, bad ones.
        n = self.say(70, "/action 4", "/start a5", "/action 11", "/action",
                     "/action 99")
        self.wait_reply(70, "<i>Акция №4</i>", n)
        self.wait_reply(70, "<i>Акция №5</i>", n)
        closed = self.wait_reply(70, "<i>Акция №11</i>", n)
        self.assertIn("✅ <b>Акция завершена.</b>", closed["params"]["text"])
        self.assertIsNone(closed["params"].get("reply_markup"))
        self.wait_reply(70, "например: /action 12", n)
        self.wait_reply(70, "Акции №99 нет", n)

    def test_in_the_group_buttons_are_links(self):
        self.seed()
        self.bot.start()
        n = self.say(70, "/actions@%s" % BOT, chat_id=LEADERS,
                     chat_type="supergroup")
        r = self.wait_reply(LEADERS, "Открытые акции", n)
        b = buttons(r["params"]["reply_markup"])
        self.assertEqual(b[0], ("№10 · Акция <10>",
                                "https://t.me/%s?start=a10" % BOT))
        self.assertEqual(len(b), 8)  # no paging in a group
        n = self.say(70, "/action 3", chat_id=LEADERS, chat_type="supergroup")
        r = self.wait_reply(LEADERS, "<i>Акция №3</i>", n)
        self.assertEqual(buttons(r["params"]["reply_markup"]),
                         [("💰 Помочь деньгами",
                           "https://t.me/%s?start=p3m" % BOT)])
        # Stale or forged list buttons get a short answer.
        self.fake.press(70, "ac:p:xx", self.message_id(r))
        self.callback_answer("устарела")
        self.fake.press(70, "ac:v:999", self.message_id(r))
        self.callback_answer("Этой акции больше нет")
