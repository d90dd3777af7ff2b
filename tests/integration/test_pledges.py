"""Pledges against the fake Bot API: one-shot /pledge of money, goods and
time; the guided flow from deep links and buttons; anonymous pledges;
withdrawing, receiving and the thank-you; a redelivered update; fifty
citizens at once; and every refusal."""

import json
import re
import time

from lib.actionkit import (BOT, LEADERS, NBSP, ORGANISER, ActionsCase,
                           buttons, rub)
from lib.daemon import wait_until


def pledge_amounts(case):
    return case.bot.query("SELECT user_id, kind, amount, anonymous, status"
                          " FROM pledges ORDER BY id")


class PledgesOneShot(ActionsCase):
    def test_money_goods_and_time(self):
        self.bot.start()
        aid = self.announce()
        forms = [("500", 50000), ("1500.50", 150050), ("1 500", 150000),
                 ("1 500,50", 150050), ("1500 руб", 150000),
                 ("1500₽", 150000), ("1500р", 150000),
                 ("1" + NBSP + "000", 100000)]
        for i, (typed, _) in enumerate(forms):
            self.say(101 + i, "/pledge %d %s" % (aid, typed),
                     first_name="Мария", last_name="Иванова")
        for i, (typed, kop) in enumerate(forms):
            r = self.wait_reply(101 + i, "Спасибо, записал")["params"]["text"]
            self.assertIn("для акции «Тёплые вещи для приюта»: %s." % rub(kop),
                          r)
            # Never asked: «аноним» until they answer, once.
            self.assertIn("вы пока — «аноним». Показывать ваше имя?", r)
            self.assertIn("<b>Сейчас у акции</b>", r)
        self.assertEqual(sorted(a for u, k, a, _, _ in pledge_amounts(self)),
                         sorted(k for _, k in forms))
        # Goods, matched against the needs; time, in either language.
        n = self.say(120, "/pledge %d 5 одеял" % aid, "/pledge %d крупы 3 кг"
                     % aid, "/pledge %d время" % aid, "/pledge %d волонтёр" %
                     aid)
        r = self.wait_reply(120, "тёплые одеяла, 5 шт", n)["params"]["text"]
        self.assertIn("🗓 Когда: 30 ноября 2030 (сб), 15:00", r)
        self.assertIn("📍 Куда прийти: ул. Ленина, 12", r)
        self.wait_reply(120, "крупа, 3 кг", n)
        self.wait_reply(120, "для акции «Тёплые вещи для приюта»: волонтёр.",
                        n)
        self.wait_reply(120, "Вы уже записаны волонтёром", n)
        n = self.say(121, "/pledge %d time анонимно" % aid)
        r = self.wait_reply(121, "Спасибо, записал", n)["params"]["text"]
        self.assertIn("Вы помогаете анонимно", r)
        self.assertIn("записались 2, пришли 0", r)
        rows = self.bot.query(
            "SELECT p.user_id, p.kind, n.item, p.amount, p.anonymous"
            " FROM pledges p LEFT JOIN needs n ON n.id = p.need_id"
            " WHERE p.user_id >= 120 ORDER BY p.id")
        # 120 never answered the question: anonymous.
        self.assertEqual(rows, [(120, "goods", "тёплые одеяла", 5, 1),
                                (120, "goods", "крупа", 3, 1),
                                (120, "time", None, 1, 1),
                                (121, "time", None, 1, 1)])
        self.assertEqual(self.bot.query(
            "SELECT count(DISTINCT update_id) FROM pledges"), [(12,)])


class PledgesRefusals(ActionsCase):
    config = {"leaders_chat_id": LEADERS, "limits": {"pledges_per_min": 3}}

    def test_every_refusal(self):
        self.bot.start()
        aid = self.announce()
        socks = self.announce(title="Носки детям", goal="нет",
                              goods="носки детские 10\nноски взрослые 10",
                              volunteers="нет")
        gone = self.announce(title="Прошлая акция")
        n = self.say(ORGANISER, "/close %d Спасибо всем" % gone)
        n = self.publish_close(n)
        self.wait_reply(ORGANISER, "завершена", n)
        u = 130
        cases = [
            ("/pledge", "Как пообещать помощь:\n/pledge 12 500"),
            ("/pledge abc", "Как пообещать помощь"),
            ("/pledge 99 500", "Акции №99 нет. Открытые акции — /actions"),
            ("/pledge %d 0" % aid, "Сумма должна быть больше нуля"),
            ("/pledge %d -5" % aid, "Как написать: /pledge %d 500" % aid),
            ("/pledge %d 10.5555" % aid, "Как написать: /pledge %d 500" % aid),
            ("/pledge %d 20 000 000" % aid, "Эта сумма больше допустимой"),
            ("/pledge %d 20 000 000" % aid, "Самое большое обещание здесь"
             " — 10" + NBSP + "000" + NBSP + "000" + NBSP + "₽."),
            # Issue 18: a full stop before the ceiling, «например» once.
            ("/pledge %d 20 000 000" % aid, "15 000. Самое большое"),
            ("/pledge %d 20 000 000" % aid,
             lambda r: r["params"]["text"].lower().count("например") == 1),
            ("/pledge %d 5 гречки" % aid,
             "В акции «Тёплые вещи для приюта» нет «гречки». Нужно:\n"
             "• тёплые одеяла — 20 шт\n• крупа — 50 кг\n"
             "Например: /pledge %d 5 тёплые одеяла" % aid),
            ("/pledge %d одеяла" % aid, "Сколько вы принесёте? Нужно: "
             "тёплые одеяла, 20 шт. Напишите число перед названием"),
            ("/pledge %d 0 одеял" % aid, "Количество должно быть больше нуля"),
            ("/pledge %d 500" % socks, "Акция «Носки детям» не собирает "
             "деньги. Ей нужно: вещи (/pledge %d 5 носки детские)." % socks),
            ("/pledge %d время" % socks, "не собирает волонтёров"),
            ("/pledge %d 3 носки" % socks, "«носки» подходит к нескольким "
             "вещам. Напишите точнее"),
            ("/pledge %d 500" % gone, "Акция «Прошлая акция» уже завершена"
             " — спасибо, что хотели помочь!"),
        ]
        for text, says in cases:
            n = self.say(u, text)
            r = self.wait_reply(u, says, n)
            self.assertEqual(self.count(u), n + 1, text)
        self.assertEqual(self.bot.query("SELECT count(*) FROM pledges"), [(0,)])
        # At most three a minute, then a clear word.
        n = self.say(u, "/pledge %d 100" % aid, "/pledge %d 200" % aid,
                     "/pledge %d 1 одеяло" % aid, "/pledge %d 300" % aid)
        self.wait_reply(u, "Слишком много обещаний за минуту (можно не "
                        "больше 3)", n)
        self.assertEqual(self.bot.query(
            "SELECT count(*) FROM pledges WHERE user_id = ?", u), [(3,)])
        # Taking one back does not make room.
        n = self.say(u, "/unpledge 1", "/pledge %d 400" % aid)
        self.wait_reply(u, "Обещание №1 отменено", n)
        self.wait_reply(u, "Слишком много обещаний", n)
        # In a group: only in private.
        n = self.say(u, "/pledge %d 500" % aid, chat_id=LEADERS,
                     chat_type="supergroup")
        self.wait_reply(LEADERS, "работает в личном чате", n)
        # Withdrawing: usage, someone else's, twice.
        n = self.say(131, "/unpledge", "/unpledge 2", "/unpledge x")
        self.wait_reply(131, "Напишите номер обещания, например: /unpledge 15",
                        n)
        self.wait_reply(131, "Обещания №2 у вас нет", n)
        n = self.say(u, "/unpledge 1")
        self.wait_reply(u, "Обещание №1 уже отменено", n)
        # Organisers' commands: not for citizens.
        n = self.say(u, "/received 2", "/pledges %d" % aid)
        self.wait_reply(u, "Команда /received доступна только организаторам",
                        n)
        self.wait_reply(u, "Команда /pledges доступна только организаторам",
                        n)
        self.assertEqual(self.bot.query(
            "SELECT status FROM pledges WHERE id = 2"), [("pledged",)])


class PledgesGuided(ActionsCase):
    def test_deep_links_and_buttons(self):
        self.bot.start()
        aid = self.announce()
        # Money from the group's link, anonymously.
        n = self.say(201, "/start p%dm" % aid, first_name="Анна",
                     last_name="Каренина")
        ask = self.wait_reply(201, "Сколько рублей вы готовы пожертвовать", n)
        self.assertEqual(buttons(ask["params"]["reply_markup"]),
                         [(rub(30000), "pf:a:30000"),
                          (rub(50000), "pf:a:50000"),
                          (rub(100000), "pf:a:100000"),
                          (rub(300000), "pf:a:300000")])
        self.assertEqual(self.conversation(201), ("pledge", "amount"))
        self.say(201, "сколько не жалко", first_name="Анна",
                 last_name="Каренина")
        self.wait_reply(201, "Не понимаю сумму", n)
        self.say(201, "700", first_name="Анна", last_name="Каренина")
        name = self.wait_reply(201, "Как показать вас в списке помощников", n)
        self.assertEqual(buttons(name["params"]["reply_markup"]),
                         [("👤 Анна К.", "pf:v:1"), ("🕶 Анонимно", "pf:v:0")])
        self.press(201, "pf:v:0", self.message_id(name), first_name="Анна",
                   last_name="Каренина")
        r = self.wait_reply(201, "Спасибо, записал", n)["params"]["text"]
        self.assertIn("для акции «Тёплые вещи для приюта»: 700" + NBSP + "₽.",
                      r)
        self.assertIn("Вы помогаете анонимно", r)
        self.assertIsNone(self.conversation(201))
        # The finished flow's buttons are stale.
        self.fake.press(201, "pf:v:1", self.message_id(name))
        self.callback_answer("устарела")

        # Goods: which good, how many, with the name.
        n = self.say(202, "/start p%dg" % aid, first_name="Борис")
        ask = self.wait_reply(202, "Что вы принесёте", n)
        b = buttons(ask["params"]["reply_markup"])
        self.assertEqual([x[0] for x in b], ["тёплые одеяла (20)",
                                             "крупа (50)"])
        self.press(202, b[1][1], self.message_id(ask), first_name="Борис")
        self.wait_reply(202, "Сколько вы принесёте? Нужно: крупа, 50 кг; "
                        "уже обещано 0", n)
        self.say(202, "ноль", first_name="Борис")
        self.wait_reply(202, "Напишите количество числом от 1 до 1000000", n)
        self.say(202, "3 кг", first_name="Борис")
        name = self.wait_reply(202, "Как показать вас", n)
        self.press(202, "pf:v:1", self.message_id(name), first_name="Борис")
        r = self.wait_reply(202, "Спасибо, записал", n)["params"]["text"]
        self.assertIn("крупа, 3 кг", r)
        self.assertIn("В списке помощников вы — «Борис»", r)

        # Time; the daemon restarts before the last answer.
        n = self.say(203, "/start p%dt" % aid, first_name="Вера")
        name = self.wait_reply(203, "Как показать вас", n)
        self.bot.stop()
        self.bot.start()
        self.press(203, "pf:v:1", self.message_id(name), first_name="Вера")
        self.wait_reply(203, "для акции «Тёплые вещи для приюта»: волонтёр.", n)

        # No kind in the link: asked first; typed answers work too.
        n = self.say(204, "/start p%d" % aid)
        kind = self.wait_reply(204, "Как вы хотите помочь акции", n)
        self.assertEqual(buttons(kind["params"]["reply_markup"]),
                         [("💰 Деньгами", "pf:k:m"), ("📦 Вещами", "pf:k:g"),
                          ("🙋 Своим временем", "pf:k:t")])
        self.press(204, "pf:k:m", self.message_id(kind))
        ask = self.wait_reply(204, "Сколько рублей", n)
        self.press(204, "pf:a:50000", self.message_id(ask))
        self.wait_reply(204, "Как показать вас", n)
        self.say(204, "Анонимно")
        self.wait_reply(204, "Вы помогаете анонимно", n)

        # The button of a copy in a private chat.
        n = self.say(205, "/action %d" % aid, first_name="Галина")
        card = self.wait_reply(205, "<i>Акция №%d</i>" % aid, n)
        self.press(205, "pl:%d:g" % aid, self.message_id(card))
        self.wait_reply(205, "Что вы принесёте", n)
        self.say(205, "одеяла", first_name="Галина")
        self.wait_reply(205, "Сколько вы принесёте? Нужно: тёплые одеяла", n)
        self.say(205, "2", first_name="Галина")
        self.wait_reply(205, "Как показать вас", n)
        # The good and its quantity in one answer skip a question.
        n2 = self.say(208, "/start p%dg" % aid)
        self.wait_reply(208, "Что вы принесёте", n2)
        self.say(208, "4 кг крупы")
        self.wait_reply(208, "Как показать вас", n2)
        self.say(208, "анонимно")
        self.wait_reply(208, "крупа, 4 кг", n2)
        self.say(205, "с именем", first_name="Галина")
        self.wait_reply(205, "«Галина»", n)

        # /cancel leaves the flow; its buttons go stale.
        n = self.say(206, "/start p%dm" % aid)
        ask = self.wait_reply(206, "Сколько рублей", n)
        self.say(206, "/cancel")
        self.wait_reply(206, "отменил", n)
        self.fake.press(206, "pf:a:50000", self.message_id(ask))
        self.callback_answer("устарела")
        # Bad links.
        n = self.say(207, "/start p", "/start p99m", "/start pxx")
        self.wait_reply(207, "Как пообещать помощь", n)
        self.wait_reply(207, "Акции №99 нет", n)
        wait_until(lambda: self.count(207) >= n + 3, what="three answers")

        self.assertEqual(self.bot.query(
            "SELECT user_id, kind, amount, anonymous, display_name"
            " FROM pledges ORDER BY user_id"),
            [(201, "money", 70000, 1, "Анна К."),
             (202, "goods", 3, 0, "Борис"),
             (203, "time", 1, 0, "Вера"),
             (204, "money", 50000, 1, "Иван"),
             (205, "goods", 2, 0, "Галина"),
             (208, "goods", 4, 1, "Иван")])
        self.assertEqual(self.bot.query("SELECT count(*) FROM conversations"),
                         [(0,)])

    def test_several_goods_in_one_answer(self):
        """Issue 18: at «Что вы принесёте», people write several lines at
        once; each becomes its own pledge line after the list is shown."""
        self.bot.start()
        aid = self.announce()
        for uid, text in ((210, "одеяла 20 шт, крупа 50 кг"),
                          (211, "одеяла - 20; крупа - 50 кг")):
            n = self.say(uid, "/start p%dg" % aid)
            self.wait_reply(uid, "Что вы принесёте", n)
            self.say(uid, text)
            read = self.wait_reply(uid, "Понял так", n)["params"]["text"]
            self.assertIn("• тёплые одеяла — 20 шт\n• крупа — 50 кг", read)
            # Nothing is recorded before the last question is answered.
            self.assertEqual(self.bot.query(
                "SELECT count(*) FROM pledges WHERE user_id = ?", uid), [(0,)])
            name = self.wait_reply(uid, "Как показать вас", n)
            self.press(uid, "pf:v:0", self.message_id(name))
            wait_until(lambda: len([t for t in self.texts(uid)
                                    if "Спасибо, записал" in t]) == 2,
                       what="two thanks")
            self.assertEqual(self.bot.query(
                "SELECT n.item, p.amount FROM pledges p JOIN needs n"
                " ON n.id = p.need_id WHERE p.user_id = ? ORDER BY p.id",
                uid), [("тёплые одеяла", 20), ("крупа", 50)])
            self.assertIsNone(self.conversation(uid))
        # A part that names nothing the action needs records nothing.
        n = self.say(212, "/start p%dg" % aid)
        self.wait_reply(212, "Что вы принесёте", n)
        self.say(212, "одеяла 2 шт, гвозди 5 кг")
        self.wait_reply(212, "гвозди", n)
        self.assertEqual(self.bot.query(
            "SELECT count(*) FROM pledges WHERE user_id = 212"), [(0,)])
        # Some parts with a quantity and some without: shown as read, and
        # asked again; nothing recorded.
        n = self.say(213, "/start p%dg" % aid)
        self.wait_reply(213, "Что вы принесёте", n)
        self.say(213, "одеяла, крупа 5 кг")
        t = self.wait_reply(213, "Не понял, одна это вещь или несколько",
                            n)["params"]["text"]
        self.assertIn("• одеяла\n• крупа 5 кг\n", t)
        self.assertIn("<i>тёплые одеяла 2 шт, крупа 5 кг</i>", t)
        self.assertEqual(self.conversation(213), ("pledge", "need"))
        self.say(213, "одеяла 1 шт; крупа 2 кг")
        self.wait_reply(213, "• тёплые одеяла — 1 шт\n• крупа — 2 кг", n)
        self.assertEqual(self.bot.query(
            "SELECT count(*) FROM pledges WHERE user_id = 213"), [(0,)])


class PledgesNamesAndReceipts(ActionsCase):
    def test_anonymous_everywhere_withdraw_receive_thanks(self):
        self.bot.start()
        aid = self.announce()
        # Пётр lets his name be shown when his first quick pledge asks.
        petr = dict(first_name="Пётр", last_name="Сидоров",
                    username="petya_s")
        n = self.say(301, "/pledge %d 500" % aid, **petr)
        self.show_my_name(301, self.wait_reply(301, "Спасибо, записал", n))
        n = self.say(301, "/pledge %d 3 одеяла" % aid,
                     "/pledge %d время" % aid, **petr)
        self.wait_reply(301, "волонтёр.", n)
        n = self.say(302, "/pledge %d 1 000 анонимно" % aid, first_name="Ира",
                     username="ira_secret")
        self.wait_reply(302, "Спасибо, записал", n)

        # The organiser's list: names or «аноним», never usernames or ids.
        n = self.say(ORGANISER, "/pledges %d" % aid)
        lst = self.wait_reply(ORGANISER, "Обещания по акции №1", n)
        text = lst["params"]["text"]
        self.assertIn("№1 · Пётр С. — 500" + NBSP + "₽ — ждём\n", text)
        self.assertIn("№2 · Пётр С. — тёплые одеяла, 3 шт — ждём\n", text)
        self.assertIn("№3 · Пётр С. — волонтёр — ждём\n", text)
        self.assertIn("№4 · аноним — 1" + NBSP + "000" + NBSP + "₽ — ждём\n",
                      text)
        self.assertIn("обещано 1" + NBSP + "500" + NBSP + "₽", text)
        for secret in ("petya", "ira_secret", "Ира", "302", "301"):
            self.assertNotIn(secret, text)

        # /my: the pledges, a button for each, nothing given yet.
        n = self.say(301, "/my")
        my = self.wait_reply(301, "Ваши добрые дела", n)
        t = my["params"]["text"]
        self.assertIn("<b>Ваши добрые дела</b>\n⏳ Обещано: 500" + NBSP +
                      "₽; вещи — 1 раз; волонтёром — 1 раз\nПока ничего не "
                      "передано", t)
        self.assertIn("№2 · «Тёплые вещи для приюта» — тёплые одеяла, 3 шт — "
                      "ждём", t)
        self.assertEqual(buttons(my["params"]["reply_markup"]),
                         [("Отменить №3", "my:w:3"), ("Отменить №2", "my:w:2"),
                          ("Отменить №1", "my:w:1")])
        # Withdraw the goods with the button: asked first (issue 18), then
        # the list is edited.
        self.press(301, "my:w:2", self.message_id(my), first_name="Пётр",
                   last_name="Сидоров")
        ask = wait_until(lambda: [m for m in self.fake.messages(301)
                                  if m["message_id"] == self.message_id(my)
                                  and "?" in m["text"]], what="asked")[0]
        self.assertEqual(ask["text"], "Отменить обещание №2 для акции «Тёплые "
                         "вещи для приюта»: тёплые одеяла, 3 шт?")
        self.assertEqual(buttons(ask["reply_markup"]),
                         [("Да, отменить", "my:y:2"), ("Нет, оставить", "my:n")])
        self.assertEqual(self.bot.query(
            "SELECT status FROM pledges WHERE id = 2"), [("pledged",)])
        self.press(301, "my:y:2", self.message_id(my), first_name="Пётр",
                   last_name="Сидоров")
        self.callback_answer("Обещание №2 отменено")
        wait_until(lambda: [m for m in self.fake.messages(301)
                            if m["message_id"] == self.message_id(my) and
                            "отменено" in m["text"]], what="/my edited")
        edited = [m for m in self.fake.messages(301)
                  if m["message_id"] == self.message_id(my)][0]
        self.assertEqual([b[1] for b in buttons(edited["reply_markup"])],
                         ["my:w:3", "my:w:1"])
        # Someone else's pledge cannot be withdrawn.
        n = self.say(302, "/unpledge 1", first_name="Ира")
        self.wait_reply(302, "Обещания №1 у вас нет", n)

        # Receiving: what actually came, and the thank-you.
        n = self.say(ORGANISER, "/received 1 700")
        r = self.wait_reply(ORGANISER, "отмечено полученным", n)
        self.assertEqual(r["params"]["text"],
                         "✅ Обещание №1 отмечено полученным: Пётр С., 500" +
                         NBSP + "₽ → пришло 700" + NBSP + "₽. Я поблагодарил "
                         "участника.")
        thanks = self.wait_reply(301, "🙏 Пётр, спасибо!")["params"]["text"]
        self.assertEqual(thanks, "🙏 Пётр, спасибо! Организаторы акции «Тёплые "
                         "вещи для приюта» получили ваше пожертвование: 700" +
                         NBSP + "₽. Ваш вклад в добрые дела — /my")
        n = self.say(ORGANISER, "/received 4")
        r = self.wait_reply(ORGANISER, "отмечено полученным", n)
        self.assertIn("№4 отмечено полученным: аноним, 1" + NBSP + "000", r
                      ["params"]["text"])
        self.wait_reply(302, "🙏 Ира, спасибо!")
        n = self.say(ORGANISER, "/received 3 4")
        self.wait_reply(ORGANISER, "волонтёр → 4 ч", n)
        self.wait_reply(301, "спасибо, что пришли помочь акции «Тёплые вещи "
                        "для приюта»!")
        # The refusals of receiving.
        n = self.say(ORGANISER, "/received 1", "/received 2", "/received 99",
                     "/received", "/received 3 x")
        self.wait_reply(ORGANISER, "Обещание №1 уже отмечено полученным: "
                        "получено ✅ (пришло 700" + NBSP + "₽)", n)
        self.wait_reply(ORGANISER, "Обещание №2 отменено его автором", n)
        self.wait_reply(ORGANISER, "Обещания №99 нет", n)
        self.wait_reply(ORGANISER, "например: /received 15 или /received 15 "
                        "700", n)
        self.wait_reply(ORGANISER, "Обещание №3 уже отмечено", n)
        n = self.say(301, "/pledge %d 100" % aid)
        self.wait_reply(301, "Обещание №5", n)
        # («сто» is a number now: issue 18 reads number words.)
        n = self.say(ORGANISER, "/received 5 много", "/received 5 0")
        self.wait_reply(ORGANISER, "Как написать: /received 5 700", n)
        wait_until(lambda: self.count(ORGANISER) >= n + 2, what="2 answers")
        # A received pledge cannot be withdrawn.
        n = self.say(301, "/unpledge 1")
        self.wait_reply(301, "уже получено организаторами — его нельзя "
                        "отменить", n)

        # The record of good deeds.
        n = self.say(301, "/my")
        t = self.wait_reply(301, "Ваши добрые дела", n)["params"]["text"]
        self.assertIn("✅ Передано: 700" + NBSP + "₽; волонтёром — 1 раз (4 ч)"
                      "\n⏳ Обещано: 100" + NBSP + "₽\n❤️ Акций, которым вы "
                      "помогли: 1. Спасибо!", t)
        self.assertIn("— волонтёр — пришёл(ла) ✅ (4 ч)", t)
        # The group sees both totals.
        self.settled()
        g = self.group_copy(aid)["text"]
        self.assertIn("обещано 1" + NBSP + "800" + NBSP + "₽", g)
        self.assertIn("получено 1" + NBSP + "700" + NBSP + "₽", g)
        self.assertIn("• тёплые одеяла: 20 шт — обещано 0, получено 0", g)
        self.assertIn("записались 1, пришли 1", g)
        for secret in ("petya", "ira_secret", "Пётр", "Ира"):
            self.assertNotIn(secret, g)


class PledgesIntegrity(ActionsCase):
    def test_redelivered_update_makes_one_pledge(self):
        self.bot.start()
        aid = self.announce()
        upd = self.fake.message(401, "/pledge %d 500" % aid)
        [uid] = self.fake.queue([upd])
        self.wait_reply(401, "Спасибо, записал")
        self.bot.stop()
        # A week later the processed id is forgotten, and Telegram delivers
        # the same update again (the confirming poll never reached it).
        self.write_db("DELETE FROM processed_updates WHERE update_id = ?", uid)
        self.write_db("UPDATE bot_state SET value = ? WHERE key ="
                      " 'last_update_id'", str(uid - 1))
        # The stopped daemon's long poll may still be parked in the fake; a
        # poll of ours ends it (409) without confirming the id again.
        self.fake.call("getUpdates", {"offset": uid, "timeout": 0})
        self.fake.next_update_id(uid)
        self.fake.queue([self.fake.message(401, "/pledge %d 500" % aid)])
        self.bot.start()
        r = self.wait_reply(401, "Это обещание уже записано: №1")
        self.assertEqual(self.bot.query(
            "SELECT count(*), sum(amount), min(update_id) FROM pledges"),
            [(1, 50000, uid)])
        self.assertEqual(self.bot.query("SELECT count(*) FROM dead_letters"),
                         [(0,)])


class PledgesConcurrent(ActionsCase):
    config = {"leaders_chat_id": LEADERS}

    def test_fifty_citizens_at_once(self):
        self.bot.start()
        aid = self.announce()
        self.settled()
        ups, money, blankets, grain, volunteers = [], 0, 0, 0, 0
        for i in range(50):
            u = 5000 + i
            kop = 10000 + i * 137  # 100,00 ₽ .. with kopecks
            money += kop
            ups.append(self.fake.message(u, "/pledge %d %d,%02d" % (
                aid, kop // 100, kop % 100), first_name="Житель%d" % i))
            if i % 2 == 0:
                ups.append(self.fake.message(u, "/pledge %d %d одеял" % (
                    aid, i % 4 + 1)))
                blankets += i % 4 + 1
            if i % 5 == 0:
                ups.append(self.fake.message(u, "/pledge %d 2 кг крупы" % aid))
                grain += 2
            if i % 3 == 0:
                ups.append(self.fake.message(u, "/pledge %d время" % aid))
                volunteers += 1
        # Interleaved as they would arrive from fifty phones.
        ups.sort(key=lambda u: hash(u["message"]["text"]) % 7)
        self.fake.queue(ups)
        wait_until(lambda: self.bot.query("SELECT count(*) FROM pledges") ==
                   [(len(ups),)], what="%d pledges" % len(ups))
        for i in range(50):
            self.wait_reply(5000 + i, "Спасибо, записал")
        # The database.
        self.assertEqual(self.bot.query(
            "SELECT kind, sum(amount), count(*) FROM pledges GROUP BY kind"
            " ORDER BY kind"),
            [("goods", blankets + grain, 25 + 10), ("money", money, 50),
             ("time", volunteers, volunteers)])
        # /pledges.
        n = self.say(ORGANISER, "/pledges %d" % aid)
        text = self.wait_reply(ORGANISER, "Обещания по акции", n)[
            "params"]["text"]
        self.assertEqual(len(re.findall(r"^№\d+ · ", text, re.M)), len(ups))
        self.assertIn("обещано %s ▰" % rub(money), text)
        self.assertIn("• тёплые одеяла: 20 шт — обещано %d, получено 0" %
                      blankets, text)
        self.assertIn("• крупа: 50 кг — обещано %d, получено 0" % grain, text)
        self.assertIn("записались %d, пришли 0" % volunteers, text)
        # The announcement's final edit.
        self.settled()
        g = self.group_copy(aid)
        self.assertIn("обещано %s ▰" % rub(money), g["text"])
        self.assertIn("• тёплые одеяла: 20 шт — обещано %d, получено 0" %
                      blankets, g["text"])
        self.assertIn("• крупа: 50 кг — обещано %d, получено 0" % grain,
                      g["text"])
        self.assertIn("записались %d, пришли 0" % volunteers, g["text"])
        self.assertLessEqual(g["edits"], 4)
