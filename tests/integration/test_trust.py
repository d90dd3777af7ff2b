"""Trust and recognition against the fake Bot API: the closing report with
and without a photo reaches the leaders' group and every contributor once
(thanks for help that came, a kind word without thanks for help that did
not); the public /report names people only as they allowed; pledges lapse
on a fake clock after one reminder with «уже передал(а)» and «не смогу»;
volunteers' attendance with hours; /my's totals and the forwardable record
of good deeds."""

import json
import os
import time

from lib.actionkit import LEADERS, NBSP, ORGANISER, ActionsCase, buttons, rub
from lib.daemon import Daemon, wait_until

DAY = 86400
PHOTO = "AgACAgIAAxkBAAIBbWdQ_the_big_one"


def photo_message(fake, user, caption=None, **kw):
    """A private message with a photo (two sizes, the largest last)."""
    upd = fake.message(user, "x", **kw)
    msg = upd["message"]
    del msg["text"]
    msg["photo"] = [
        {"file_id": "small_one", "file_unique_id": "s1", "width": 90,
         "height": 60, "file_size": 1000},
        {"file_id": PHOTO, "file_unique_id": "b1", "width": 1280,
         "height": 960, "file_size": 90000}]
    if caption is not None:
        msg["caption"] = caption
    return upd


class TrustCase(ActionsCase):
    def pledge(self, user, aid, what, **kw):
        """A quick pledge by someone who lets their name be shown."""
        return super().pledge(user, aid, what, show_name=True, **kw)

    def receive(self, pid, extra=""):
        n = self.say(ORGANISER, ("/received %d %s" % (pid, extra)).strip())
        self.wait_reply(ORGANISER, "№%d отмечено полученным" % pid, n)

    def sent_to(self, chat_id, method):
        return [s for s in self.fake.sent(method=method)
                if s["status"] == 200 and s["params"].get("chat_id") == chat_id]

    def closing_texts(self, chat_id, title):
        """What chat_id got about the action's end: captions and texts."""
        out = [s["params"].get("caption", "") for s in
               self.sent_to(chat_id, "sendPhoto")]
        out += [s["params"]["text"] for s in
                self.sent_to(chat_id, "sendMessage")
                if "«%s» заверш" % title in s["params"]["text"] or
                "Итоги акции" in s["params"]["text"]]
        return out


class TrustClosing(TrustCase):
    def contributors(self, aid):
        """201: money and goods, both received; 202: money that never
        came; 203: took it back; 204: a volunteer who came for 4 hours;
        205: blocked the bot after pledging; 206: anonymous, received."""
        p1 = self.pledge(201, aid, "1500", first_name="Мария",
                         last_name="Иванова")
        p2 = self.pledge(201, aid, "5 одеял", first_name="Мария",
                         last_name="Иванова")
        self.pledge(202, aid, "700", first_name="Олег")
        p3 = self.pledge(203, aid, "300", first_name="Ира")
        n = self.say(203, "/unpledge %d" % p3)
        self.wait_reply(203, "отменено", n)
        p4 = self.pledge(204, aid, "время", first_name="Анна")
        self.pledge(205, aid, "900", first_name="Глеб")
        p6 = self.pledge(206, aid, "2000 анонимно", first_name="Тайна")
        self.receive(p1)
        self.receive(p2)
        self.receive(p4, "4")
        self.receive(p6)
        self.write_db("UPDATE users SET blocked = 1 WHERE id = 205")

    def test_close_with_photo_reaches_group_and_everyone_once(self):
        self.bot.start()
        aid = self.announce()
        self.contributors(aid)
        n = self.say(ORGANISER, "/close %d" % aid)
        ask = self.wait_reply(ORGANISER, "Напишите коротко", n)
        self.assertIn("фото с подписью", ask["params"]["text"])
        self.fake.queue([photo_message(
            self.fake, ORGANISER,
            "Передали 40 одеял в приют «Надежда» <спасибо>")])
        n = self.publish_close(n)
        done = self.wait_reply(ORGANISER, "Акция №%d завершена" % aid, n)
        self.assertIn("Итоги ушли в группу руководителей", done["params"]
                      ["text"])
        self.assertIn("получат лично те, кто обещал помощь: 4",
                      done["params"]["text"])
        self.settled()
        # The group: one photo whose caption is the summary.
        [g] = self.sent_to(LEADERS, "sendPhoto")
        self.assertEqual(g["params"]["photo"], PHOTO)
        cap = g["params"]["caption"]
        self.assertTrue(cap.startswith("🏁 <b>Акция №%d завершена</b>" % aid))
        self.assertIn("Итог: Передали 40 одеял в приют «Надежда» "
                      "&lt;спасибо&gt;", cap)
        # 1 500 + 700 + 900 (Глеб's, still awaited) + 2 000.
        self.assertIn("обещано 5" + NBSP + "100" + NBSP + "₽", cap)
        self.assertIn("получено 3" + NBSP + "500" + NBSP + "₽", cap)
        self.assertIn("тёплые одеяла: 20 шт — обещано 5, получено 5", cap)
        self.assertIn("записались 1, пришли 1", cap)
        self.assertEqual([s for s in self.sent_to(LEADERS, "sendMessage")
                          if "🏁" in s["params"]["text"]], [])
        # Each contributor once, with the photo and a caption that fits.
        for uid in (201, 202, 204, 206):
            photos = self.sent_to(uid, "sendPhoto")
            self.assertEqual(len(photos), 1, uid)
            self.assertEqual(photos[0]["params"]["photo"], PHOTO)
            self.assertEqual(len(self.closing_texts(uid, "Тёплые вещи для "
                                                    "приюта")), 1, uid)
        maria = self.sent_to(201, "sendPhoto")[0]["params"]["caption"]
        self.assertTrue(maria.startswith("🙏 <b>Мария, спасибо!</b> Акция "
                                         "«Тёплые вещи для приюта» "
                                         "завершена."), maria)
        self.assertIn("Ваш вклад: 1" + NBSP + "500" + NBSP + "₽; тёплые "
                      "одеяла, 5 шт.", maria)
        # Помогли: those whose help arrived (Мария, Анна, the anonymous
        # donor), not everyone who promised.
        self.assertIn("Помогли: 3.", maria)
        self.assertIn("Помогли: 3. Спасибо каждому!", cap)
        anna = self.sent_to(204, "sendPhoto")[0]["params"]["caption"]
        self.assertIn("Ваш вклад: волонтёр, 4 ч.", anna)
        # Help that never came is not thanked for.
        oleg = self.sent_to(202, "sendPhoto")[0]["params"]["caption"]
        self.assertTrue(oleg.startswith("<b>Акция «Тёплые вещи для приюта» "
                                        "завершена</b>"), oleg)
        self.assertIn("Организаторы не отметили получение: 700" + NBSP +
                      "₽.", oleg)
        self.assertNotIn("не дошло", oleg)
        self.assertNotIn("спасибо", oleg.replace("&lt;спасибо&gt;", ""))
        self.assertNotIn("Ваш вклад", oleg)
        # Who took it back, and who blocked the bot: nothing.
        for uid in (203, 205):
            self.assertEqual(self.sent_to(uid, "sendPhoto"), [], uid)
            self.assertEqual(self.closing_texts(uid, "Тёплые вещи для "
                                                "приюта"), [], uid)
        self.assertEqual(self.bot.query(
            "SELECT status, result, result_photo FROM actions WHERE id = ?",
            aid), [("closed", "Передали 40 одеял в приют «Надежда» "
                    "<спасибо>", PHOTO)])

    def test_close_without_photo_and_with_a_long_report(self):
        self.bot.start()
        a1 = self.announce(title="Первая")
        a2 = self.announce(title="Вторая")
        self.contributors(a1)
        p = self.pledge(201, a2, "100", first_name="Мария",
                        last_name="Иванова")
        self.receive(p)
        # Without a photo: messages, to the group and to each person once.
        n = self.say(ORGANISER, "/close %d" % a1)
        self.wait_reply(ORGANISER, "Напишите коротко", n)
        self.say(ORGANISER, "Всё передали")
        n = self.publish_close(n)
        self.wait_reply(ORGANISER, "Акция №%d завершена" % a1, n)
        self.settled()
        self.wait_reply(LEADERS, "🏁 <b>Акция №%d завершена</b>" % a1)
        for uid in (201, 202, 204, 206):
            got = self.closing_texts(uid, "Первая")
            self.assertEqual(len(got), 1, (uid, got))
            self.assertIn("Итог: Всё передали", got[0])
            self.assertEqual(self.sent_to(uid, "sendPhoto"), [])
        for uid in (203, 205):
            self.assertEqual(self.closing_texts(uid, "Первая"), [])
        # A photo first, then a result too long for a caption: the photo
        # with a short caption, then the whole text.
        n = self.say(ORGANISER, "/close %d" % a2)
        self.wait_reply(ORGANISER, "Напишите коротко", n)
        self.fake.queue([photo_message(self.fake, ORGANISER)])
        self.wait_reply(ORGANISER, "Фото есть", n)
        self.assertEqual(self.conversation(ORGANISER), ("close", "result"))
        long_result = "Спасибо всем! " + "очень " * 140
        self.say(ORGANISER, long_result)
        n = self.publish_close(n)
        self.wait_reply(ORGANISER, "Акция №%d завершена" % a2, n)
        self.settled()
        [photo] = [s for s in self.sent_to(201, "sendPhoto")]
        self.assertEqual(photo["params"]["caption"],
                         "🙏 <b>Спасибо!</b> Акция «Вторая» завершена — итоги "
                         "ниже.")
        after = [s for s in self.sent_to(201, "sendMessage")
                 if s["seq"] > photo["seq"]]
        self.assertTrue(after[0]["params"]["text"].startswith(
            "🙏 <b>Мария, спасибо!</b> Акция «Вторая» завершена."))
        self.assertIn("очень очень", after[0]["params"]["text"])
        [gp] = self.sent_to(LEADERS, "sendPhoto")
        self.assertEqual(gp["params"]["caption"],
                         "🏁 <b>Акция №%d завершена</b> — итоги ниже." % a2)
        # Nobody else pledged to the second action.
        self.assertEqual(self.sent_to(202, "sendPhoto"), [])


class TrustClosePreview(TrustCase):
    def test_close_shows_a_preview_warns_and_takes_a_late_photo(self):
        self.bot.start()
        aid = self.announce()
        p1 = self.pledge(201, aid, "1500", first_name="Мария")
        p2 = self.pledge(202, aid, "700", first_name="Олег")
        self.pledge(207, aid, "3 одеяла", first_name="Вера")
        self.pledge(208, aid, "время", first_name="Анна")
        self.receive(p1)
        n = self.say(ORGANISER, "/close %d" % aid)
        self.wait_reply(ORGANISER, "Напишите коротко", n)
        self.say(ORGANISER, "Передали вещи в приют")
        preview = self.close_preview(n)
        text = preview["params"]["text"]
        self.assertIn("Проверьте итог акции №%d</b> — пока ничего не "
                      "отправлено" % aid, text)
        self.assertIn("Итог: Передали вещи в приют", text)
        self.assertIn("Лично итоги получат все, кто обещал помощь: 4, из них "
                      "с благодарностью — те, чья помощь отмечена "
                      "полученной: 1.", text)
        self.assertIn("⚠️ 3 обещания не отмечены полученными — отметить "
                      "сейчас?", text)
        labels = [t for t, _ in buttons(preview["params"]["reply_markup"])]
        self.assertEqual(labels, ["☑️ Отметить полученные", "✅ Опубликовать",
                                  "✏️ Изменить", "Отмена"])
        # Nothing went out yet.
        time.sleep(1)
        self.assertEqual(self.bot.query(
            "SELECT status FROM actions WHERE id = ?", aid), [("open",)])
        self.assertFalse([t for t in self.texts(LEADERS) if "🏁" in t])
        self.assertEqual(self.closing_texts(201, "Тёплые вещи для приюта"),
                         [])
        # Marking what came, from the preview.
        n = self.press(ORGANISER, "cl:mark:%d" % aid,
                       self.message_id(preview))
        marks = self.wait_reply(ORGANISER, "Не отмечены полученными (3)", n)
        got = buttons(marks["params"]["reply_markup"])
        self.assertIn(("№%d получено: Олег, 700 ₽" % p2, "cl:r:%d" % p2),
                      [(t.replace(NBSP, " "), d) for t, d in got])
        n = self.press(ORGANISER, "cl:r:%d" % p2, self.message_id(marks))
        self.wait_reply(ORGANISER, "№%d отмечено полученным" % p2, n)
        self.wait_reply(202, "Олег, спасибо")
        # A photo after the text is taken: the preview again, with it.
        n = self.count(ORGANISER)
        self.fake.queue([photo_message(self.fake, ORGANISER)])
        again = self.close_preview(n)["params"]["text"]
        self.assertIn("📷 С фото.", again)
        self.assertIn("Итог: Передали вещи в приют", again)
        self.assertIn("⚠️ 2 обещания не отмечены полученными", again)
        self.assertIn("полученной: 2.", again)
        self.assertEqual(self.conversation(ORGANISER), ("close", "confirm"))
        # «Изменить»: a new text, the photo stays.
        n = self.press(ORGANISER, "cl:edit:%d" % aid, self.message_id(
            self.close_preview(n)))
        self.wait_reply(ORGANISER, "Напишите итог заново", n)
        self.say(ORGANISER, "Передали 40 одеял")
        third = self.close_preview(n)
        self.assertIn("Итог: Передали 40 одеял", third["params"]["text"])
        self.assertIn("📷 С фото.", third["params"]["text"])
        # «Отмена»: nothing sent, the action stays open; the old preview's
        # «Опубликовать» no longer works.
        n = self.press(ORGANISER, "cl:no", self.message_id(third))
        self.wait_reply(ORGANISER, "ничего не отправил — акция №%d остаётся "
                        "открытой" % aid, n)
        self.assertIsNone(self.conversation(ORGANISER))
        self.fake.press(ORGANISER, "cl:pub:%d" % aid, self.message_id(third))
        self.callback_answer("Эта кнопка устарела")
        time.sleep(1)
        self.assertEqual(self.bot.query(
            "SELECT status FROM actions WHERE id = ?", aid), [("open",)])
        # Published at last: «Помогли» counts those whose help came.
        n = self.say(ORGANISER, "/close %d Всё передали" % aid)
        n = self.publish_close(n)
        self.wait_reply(ORGANISER, "Акция №%d завершена" % aid, n)
        self.settled()
        group = [t for t in self.texts(LEADERS) if "🏁" in t]
        self.assertEqual(len(group), 1)
        self.assertIn("Помогли: 2. Спасибо каждому!", group[0])
        [vera] = self.closing_texts(207, "Тёплые вещи для приюта")
        self.assertIn("Организаторы не отметили получение: тёплые одеяла, "
                      "3 шт.", vera)
        self.assertNotIn("не дошло", vera)
        [maria] = self.closing_texts(201, "Тёплые вещи для приюта")
        self.assertIn("Мария, спасибо!", maria)


class TrustReport(TrustCase):
    def test_report_hides_what_must_be_hidden(self):
        self.bot.start()
        aid = self.announce()
        self.pledge(301, aid, "1500", first_name="Пётр", last_name="Сидоров",
                    username="petya_secret")
        p2 = self.pledge(302, aid, "5000 анонимно", first_name="Тайна",
                         last_name="Скрытная", username="hidden_one")
        p3 = self.pledge(303, aid, "3 одеяла", first_name="Ира")
        p4 = self.pledge(304, aid, "100", first_name="Отказник")
        self.pledge(305, aid, "время", first_name="Анна", last_name="Белова")
        n = self.say(304, "/unpledge %d" % p4)
        self.wait_reply(304, "отменено", n)
        self.receive(p2, "4000")
        self.receive(p3)
        n = self.say(400, "/report %d" % aid, first_name="Гость")
        r = self.wait_reply(400, "Отчёт по акции", n)["params"]["text"]
        self.assertTrue(r.startswith("📊 <b>Отчёт по акции №%d</b>\n«Тёплые "
                                     "вещи для приюта»\n🟢 Сбор идёт · 🗓 "
                                     % aid), r)
        self.assertIn("💰 <b>Деньги</b> — цель 50" + NBSP + "000" + NBSP +
                      "₽\n✅ получено: 4" + NBSP + "000" + NBSP + "₽ "
                      "▱▱▱▱▱▱▱▱▱▱ 8%\n⏳ обещано, ещё не получено: 1" + NBSP +
                      "500" + NBSP + "₽\n", r)
        self.assertIn("• тёплые одеяла — нужно 20 шт: получено 3, ждём ещё "
                      "0\n• крупа — нужно 50 кг: получено 0, ждём ещё 0\n", r)
        self.assertIn("🙋 <b>Волонтёры</b> — нужно 10: пришли 0, записаны ещё "
                      "1\n", r)
        self.assertIn("👥 <b>Помогают: 4</b> (уже передали помощь: 2)\n", r)
        self.assertIn("Пётр С. — 1" + NBSP + "500" + NBSP + "₽ ⏳\n", r)
        self.assertIn("аноним — 4" + NBSP + "000" + NBSP + "₽ ✅\n", r)
        self.assertIn("Ира — тёплые одеяла, 3 шт ✅\n", r)
        self.assertIn("Анна Б. — волонтёр ⏳\n", r)
        for hidden in ("Сидоров", "petya_secret", "Тайна", "Скрытная",
                       "hidden_one", "Отказник", "Белова", "301", "302",
                       "303"):
            self.assertNotIn(hidden, r)
        # In the group, and refusals.
        n = self.say(ORGANISER, "/report %d" % aid, chat_id=LEADERS,
                     chat_type="supergroup")
        g = self.wait_reply(LEADERS, "Отчёт по акции", n)["params"]["text"]
        self.assertNotIn("Тайна", g)
        n = self.say(400, "/report", "/report 99")
        self.wait_reply(400, "Напишите номер акции, например: /report 12", n)
        self.wait_reply(400, "Акции №99 нет", n)
        # Closed: the date and the result.
        n = self.say(ORGANISER, "/close %d Всё собрали" % aid)
        n = self.publish_close(n)
        self.wait_reply(ORGANISER, "завершена", n)
        n = self.say(400, "/report %d" % aid)
        r = self.wait_reply(400, "Отчёт по акции", n)["params"]["text"]
        self.assertRegex(r, r"✅ Акция завершена \d\d\.\d\d\.\d{4}\nИтог: "
                         r"Всё собрали\n")
        # Past tense, and «Помогли» are those whose help came.
        self.assertIn("👥 <b>Помогли: 2</b> (обещали помощь: 4)\n", r)
        self.assertNotIn("Помогают", r)
        self.assertNotIn("Помочь —", r)


class ClockActionsCase(TrustCase):
    """A daemon whose wall clock the test moves forward."""

    config = {"leaders_chat_id": LEADERS, "pledge_expiry_days": 3}

    def setUp(self):
        super().setUp()
        self.offset_path = os.path.join(self.tmp.name, "clock-offset")
        self.shift(0)
        self.bot = Daemon(self.tmp.name, self.fake.base_url, self.config,
                          env={"DOBROBOT_CLOCK_OFFSET_FILE": self.offset_path})

    def shift(self, seconds):
        with open(self.offset_path + ".tmp", "w") as f:
            f.write("%d\n" % seconds)
        os.replace(self.offset_path + ".tmp", self.offset_path)

    def status(self, pid):
        return self.bot.query("SELECT status FROM pledges WHERE id = ?",
                              pid)[0][0]


class TrustExpiry(ClockActionsCase):
    def test_reminder_claim_cant_and_lapse(self):
        self.bot.start()
        aid = self.announce(when="без даты")
        gave = self.pledge(401, aid, "500", first_name="Вера",
                           last_name="Ким")
        cant = self.pledge(402, aid, "2 одеяла", first_name="Лев")
        silent = self.pledge(403, aid, "время", first_name="Ян")
        done = self.pledge(404, aid, "800", first_name="Ада")
        self.receive(done)
        # Two days on nothing happens; a day before the lapse, a reminder.
        self.shift(DAY + 3600)
        time.sleep(6)
        self.assertEqual(self.bot.query(
            "SELECT count(*) FROM pledges WHERE reminded_at IS NOT NULL"),
            [(0,)])
        self.shift(2 * DAY + 60)
        r1 = self.wait_reply(401, "Напоминание об обещании", timeout=15)
        self.assertIn("вы обещали помочь акции «Тёплые вещи для приюта»: "
                      "500" + NBSP + "₽ (обещание №%d)" % gave,
                      r1["params"]["text"])
        self.assertEqual(buttons(r1["params"]["reply_markup"]),
                         [("✅ Уже передал(а)", "ex:c:%d" % gave),
                          ("🙅 Не смогу", "ex:w:%d" % gave)])
        r2 = self.wait_reply(402, "Напоминание об обещании")
        r3 = self.wait_reply(403, "вы записались волонтёром")
        self.assertEqual(buttons(r3["params"]["reply_markup"])[0],
                         ("✅ Уже помог(ла)", "ex:c:%d" % silent))
        # «Уже передал(а)»: the organiser hears, the pledge stays.
        n = self.count(ORGANISER)
        self.press(401, "ex:c:%d" % gave, self.message_id(r1))
        self.callback_answer("Сообщил организатору")
        told = self.wait_reply(ORGANISER, "📬", n)["params"]["text"]
        self.assertIn("Акция №%d «Тёплые вещи для приюта»: Вера К. — 500" %
                      aid + NBSP + "₽ (обещание №%d)." % gave, told)
        self.assertIn("/received %d" % gave, told)
        wait_until(lambda: any("я сообщил организатору" in m["text"].lower()
                               for m in self.fake.messages(401)),
                   what="the reminder edited")
        self.press(401, "ex:c:%d" % gave, self.message_id(r1))
        self.callback_answer("Я уже сообщил организатору")
        # «Не смогу»: withdrawn.
        self.press(402, "ex:w:%d" % cant, self.message_id(r2))
        self.callback_answer("Обещание отменено")
        wait_until(lambda: self.status(cant) == "withdrawn",
                   what="withdrawn")
        # Someone else's button does nothing.
        self.press(499, "ex:w:%d" % silent, self.message_id(r3))
        self.callback_answer("устарела")
        # Past the deadline and a day after the reminder: the silent one
        # lapses, the claimed and the received stay.
        self.shift(3 * DAY + 600)
        wait_until(lambda: self.status(silent) == "lapsed", timeout=15,
                   what="the silent pledge lapsed")
        self.assertEqual(self.status(gave), "pledged")
        self.assertEqual(self.status(done), "received")
        self.settled()
        self.wait_group_text(aid, "записались 0, пришли 0")
        # One reminder each, ever.
        time.sleep(6)
        for uid in (401, 402, 403):
            self.assertEqual(len([t for t in self.texts(uid)
                                  if "Напоминание" in t]), 1, uid)
        self.assertEqual(self.texts(404), [t for t in self.texts(404)
                                           if "Напоминание" not in t])
        # Organisers see it in /pledges.
        n = self.say(ORGANISER, "/pledges %d" % aid)
        p = self.wait_reply(ORGANISER, "Обещания по акции", n)["params"][
            "text"]
        self.assertIn("<s>№%d · Ян — волонтёр</s> — не пришло" % silent, p)
        # A lapsed pledge cannot be received; its buttons are closed.
        self.press(403, "ex:c:%d" % silent, self.message_id(r3))
        self.callback_answer("уже закрыто")


class TrustAttendance(TrustCase):
    def test_hours_and_the_record_of_good_deeds(self):
        self.bot.start()
        aid = self.announce()
        v1 = self.pledge(501, aid, "время", first_name="Костя",
                         last_name="Рыбин")
        v2 = self.pledge(502, aid, "время", first_name="Люда")
        v3 = self.pledge(503, aid, "время", first_name="Миша")
        v4 = self.pledge(504, aid, "время", first_name="Нина")
        m = self.pledge(501, aid, "1500", first_name="Костя",
                        last_name="Рыбин")
        g = self.pledge(501, aid, "3 одеяла", first_name="Костя",
                        last_name="Рыбин")
        # /received on a volunteer asks for the hours: a button.
        n = self.say(ORGANISER, "/received %d" % v1)
        ask = self.wait_reply(ORGANISER, "Сколько часов помогал(а) Костя Р.",
                              n)
        b = buttons(ask["params"]["reply_markup"])
        self.assertIn(("3 ч", "at:%d:3" % v1), b)
        self.assertIn(("Без часов", "at:%d:0" % v1), b)
        self.assertIn(("🙅 Не пришёл(ла)", "at:%d:n" % v1), b)
        self.assertEqual(self.status_of(v1), "pledged")
        n = self.press(ORGANISER, "at:%d:3" % v1, self.message_id(ask))
        self.wait_reply(ORGANISER, "волонтёр → 3 ч", n)
        self.wait_reply(501, "спасибо, что пришли помочь")
        # A typed number.
        n = self.say(ORGANISER, "/received %d" % v2)
        self.wait_reply(ORGANISER, "Сколько часов", n)
        self.assertEqual(self.conversation(ORGANISER),
                         ("attendance", "hours"))
        n = self.say(ORGANISER, "много")
        self.wait_reply(ORGANISER, "Напишите число часов от 1 до 1000", n)
        self.say(ORGANISER, "5 часов")
        self.wait_reply(ORGANISER, "волонтёр → 5 ч", n)
        self.assertIsNone(self.conversation(ORGANISER))
        # Did not come: the pledge lapses, nobody is thanked.
        n = self.say(ORGANISER, "/received %d" % v3)
        ask = self.wait_reply(ORGANISER, "Сколько часов", n)
        n = self.press(ORGANISER, "at:%d:n" % v3, self.message_id(ask))
        self.wait_reply(ORGANISER, "Отметил: Миша не пришёл(ла)", n)
        # Came, hours unknown; and the old one-step form.
        n = self.say(ORGANISER, "/received %d" % v4, "-")
        self.wait_reply(ORGANISER, "№%d отмечено полученным: Нина, волонтёр."
                        % v4, n)
        self.receive(m, "1000")
        self.receive(g)
        # A stale button after the answer.
        self.press(ORGANISER, "at:%d:2" % v1, self.message_id(ask))
        self.callback_answer("уже отмечено")
        self.assertEqual(self.bot.query(
            "SELECT id, status, received_amount FROM pledges WHERE kind ="
            " 'time' ORDER BY id"),
            [(v1, "received", 3), (v2, "received", 5), (v3, "lapsed", None),
             (v4, "received", None)])
        self.assertEqual([t for t in self.texts(503) if "спасибо" in t], [])
        # /my: the confirmed totals, and the book.
        n = self.say(501, "/my", first_name="Костя")
        my = self.wait_reply(501, "Ваши добрые дела", n)
        self.assertIn("✅ Передано: 1" + NBSP + "000" + NBSP + "₽; вещи — 1 "
                      "раз; волонтёром — 1 раз (3 ч)", my["params"]["text"])
        self.assertIn("❤️ Акций, которым вы помогли: 1.",
                      my["params"]["text"])
        self.assertIn(("📗 Моя книжка добрых дел", "bk"),
                      buttons(my["params"]["reply_markup"]))
        n = self.press(501, "bk", self.message_id(my), first_name="Костя")
        book = self.wait_reply(501, "Книжка добрых дел", n)
        t = book["params"]["text"]
        self.assertIsNone(book["params"].get("reply_markup"))
        self.assertTrue(t.startswith("📗 <b>Книжка добрых дел</b>\nКостя\n\n"),
                        t)
        self.assertRegex(t, r"• \d\d\.\d\d\.\d{4} — «Тёплые вещи для "
                         r"приюта»: волонтёр, 3 ч\n")
        self.assertIn("— «Тёплые вещи для приюта»: 1" + NBSP + "000" + NBSP +
                      "₽\n", t)
        self.assertIn("— «Тёплые вещи для приюта»: тёплые одеяла, 3 шт\n", t)
        self.assertIn("<b>Итого</b>\nАкций: 1\nПожертвовано: 1" + NBSP +
                      "000" + NBSP + "₽\nПередано вещей: тёплые одеяла, 3 "
                      "шт\nВолонтёром: 1 раз, 3 ч\n", t)
        self.assertIn("Помощь подтверждена организаторами акций. Выписка от",
                      t)
        self.callback_answer("его можно переслать")
        # Someone with nothing confirmed has no book button; a stale press
        # gets a kind word.
        n = self.say(503, "/my")
        my3 = self.wait_reply(503, "Ваши добрые дела", n)
        self.assertIsNone(my3["params"].get("reply_markup"))
        self.press(503, "bk", self.message_id(my3))
        self.callback_answer("В книжке пока пусто")

    def status_of(self, pid):
        return self.bot.query("SELECT status FROM pledges WHERE id = ?",
                              pid)[0][0]
