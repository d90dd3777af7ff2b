"""Issue 18, as organisers and citizens would meet it: an action says who
runs it and how to reach them (the organisation's phone and link, or the
organiser's Telegram when they allow it with /contact), and carries payment
details that a money pledge's confirmation shows; an unmarked pledge's
closing message says whom to write to."""

import time

from lib.actionkit import LEADERS, NBSP, ORGANISER, ActionsCase, buttons
from lib.daemon import wait_until

PHONE = "+7 914 555-01-02"
LINK = "https://dobroe-serdce.example"


class ReachCase(ActionsCase):
    def seed_org(self, member=ORGANISER):
        """«Доброе сердце» with a phone and a site; `member` acts for it."""
        now = int(time.time() * 1000)
        oid = self.write_db(
            "INSERT INTO orgs(name, name_key, phone, link, directions,"
            " created_at) VALUES ('Доброе сердце', 'доброе сердце', ?, ?,"
            " 'социальное', ?)", PHONE, LINK, now)
        self.write_db("INSERT INTO users(id, first_name, language, role,"
                      " created_at, updated_at, subscribe_asked)"
                      " VALUES (?, 'Иван', 'ru', 'organiser', ?, ?, 1)"
                      " ON CONFLICT(id) DO NOTHING", member, now, now)
        self.write_db("INSERT INTO org_members(org_id, user_id)"
                      " VALUES (?, ?)", oid, member)
        return oid


class OrganiserReachable(ReachCase):
    def test_org_contacts_and_payment_details(self):
        self.prepare()
        self.seed_org()
        self.bot.start()
        aid = self.announce()
        g = self.wait_group_text(aid, "📞 Связь:")
        self.assertIn("🏢 Доброе сердце\n📞 Связь: ☎ %s · %s\n" % (PHONE, LINK),
                      g["text"])
        # Before payment details: the confirmation says whom to ask.
        n = self.say(50, "/pledge %d 500" % aid, first_name="Пётр")
        r = self.wait_reply(50, "Спасибо, записал", n)["params"]["text"]
        self.assertIn("Как передать деньги — спросите организаторов: ☎ %s · "
                      "%s" % (PHONE, LINK), r)
        # The organiser adds payment details with /edit.
        n = self.say(ORGANISER, "/edit %d" % aid)
        menu = self.wait_reply(ORGANISER, "Что изменить", n)
        [data] = [d for t, d in buttons(menu["params"]["reply_markup"])
                  if t == "Реквизиты"]
        n = self.press(ORGANISER, data, self.message_id(menu))
        self.wait_reply(ORGANISER, "Как перевести деньги?", n)
        self.say(ORGANISER, "СБП: +7 914 555-01-02 (Сбербанк), получатель "
                 "Иван П. <фонд>")
        self.wait_reply(ORGANISER, "акция №%d обновлена" % aid, n)
        self.assertEqual(self.bot.query(
            "SELECT payment FROM actions WHERE id = ?", aid),
            [("СБП: +7 914 555-01-02 (Сбербанк), получатель Иван П. <фонд>",)])
        n = self.say(51, "/pledge %d 1 000" % aid, first_name="Оля")
        r = self.wait_reply(51, "Спасибо, записал", n)["params"]["text"]
        self.assertIn("💳 Как перевести: СБП: +7 914 555-01-02 (Сбербанк), "
                      "получатель Иван П. &lt;фонд&gt;", r)
        self.assertNotIn("спросите организаторов", r)
        # Goods pledges do not get payment details.
        n = self.say(52, "/pledge %d 2 одеяла" % aid, first_name="Вера")
        r = self.wait_reply(52, "Спасибо, записал", n)["params"]["text"]
        self.assertNotIn("Как перевести", r)
        # An unmarked pledge's closing message says whom to write to.
        n = self.say(ORGANISER, "/close %d Спасибо" % aid)
        n = self.publish_close(n)
        self.wait_reply(ORGANISER, "завершена", n)
        missed = self.wait_reply(50, "Организаторы не отметили получение")
        self.assertIn("напишите организаторам — они отметят. Связь с ними: "
                      "☎ %s · %s." % (PHONE, LINK), missed["params"]["text"])

    def test_the_wizard_preview_suggests_payment_details(self):
        self.prepare()
        self.bot.start()
        n = self.say(ORGANISER, "/announce", "Сбор на лечение", "Описание.",
                     "социальное", "нет", "нет", "100 000", "нет", "нет")
        self.wait_reply(ORGANISER, "Реквизиты для перевода можно добавить: "
                        "«Изменить» → «Реквизиты»", n)


class OrganiserTelegram(ReachCase):
    def test_contact_on_and_off(self):
        self.prepare(users=[(7, "Ольга", "ru", "organiser", 0),
                            (8, "Пётр", "ru", "organiser", 0)])
        self.bot.start()
        me = {"username": "olga_helps", "first_name": "Ольга"}
        n = self.say(7, "/contact", **me)
        self.wait_reply(7, "Сейчас в ваших акциях нет ссылки на вас", n)
        n = self.say(7, "/contact да", **me)
        self.wait_reply(7, "теперь есть ссылка на вас в Telegram — "
                        "@olga_helps", n)
        aid = self.announce(user=7, goods="нет", volunteers="нет", **me)
        g = self.wait_group_text(aid, "📞 Связь: @olga_helps\n")
        self.assertNotIn("☎", g["text"])
        n = self.say(50, "/pledge %d 300" % aid, first_name="Пётр")
        r = self.wait_reply(50, "Спасибо, записал", n)["params"]["text"]
        self.assertIn("Как передать деньги — спросите организаторов: "
                      "@olga_helps", r)
        n = self.say(7, "/contact нет", **me)
        self.wait_reply(7, "ссылки на ваш Telegram в акциях больше нет", n)
        n = self.say(50, "/action %d" % aid, first_name="Пётр")
        r = self.wait_reply(50, "Акция №%d" % aid, n)["params"]["text"]
        self.assertNotIn("olga_helps", r)
        # No username: nothing to show, and the bot says what to do.
        n = self.say(8, "/contact да", first_name="Пётр")
        self.wait_reply(8, "нет имени пользователя (@username)", n)
        self.assertEqual(self.bot.query(
            "SELECT id, contact_public FROM users WHERE id IN (7, 8)"
            " ORDER BY id"), [(7, 0), (8, 0)])


class ChangesReachPeople(ReachCase):
    def edit_field(self, aid, label, value):
        n = self.say(ORGANISER, "/edit %d" % aid)
        menu = self.wait_reply(ORGANISER, "Что изменить", n)
        [data] = [d for t, d in buttons(menu["params"]["reply_markup"])
                  if t == label]
        n = self.press(ORGANISER, data, self.message_id(menu))
        self.wait_reply(ORGANISER, "?", n)
        n = self.count(ORGANISER)
        self.say(ORGANISER, value)
        return self.wait_reply(ORGANISER, "акция №%d обновлена" % aid,
                               n)["params"]["text"]

    def moved(self, uid):
        return [t for t in self.texts(uid) if "переносится" in t or
                "новое место" in t]

    def test_date_and_place_changes_reach_who_pledged(self):
        self.prepare()
        self.bot.start()
        aid = self.announce()
        for uid, what in ((50, "500"), (50, "2 одеяла"), (51, "время"),
                          (52, "3 одеяла"), (53, "700")):
            n = self.say(uid, "/pledge %d %s" % (aid, what),
                         first_name="Гость%d" % uid)
            self.wait_reply(uid, "Спасибо, записал", n)
        [(p52,)] = self.bot.query("SELECT id FROM pledges WHERE user_id = 52")
        [(p53,)] = self.bot.query("SELECT id FROM pledges WHERE user_id = 53")
        n = self.say(ORGANISER, "/received %d" % p52)
        self.wait_reply(ORGANISER, "отмечено полученным", n)
        n = self.say(53, "/unpledge %d" % p53)
        self.wait_reply(53, "отменено", n)
        # A new title tells nobody.
        done = self.edit_field(aid, "Название", "Тёплые вещи и крупа")
        self.assertNotIn("написал всем", done)
        # A new date: one message to each person still to keep a pledge.
        done = self.edit_field(aid, "Дата и время", "15.12.2030 11:00")
        self.assertIn("Об изменении я написал всем, кто обещал помощь: 2.",
                      done)
        for uid in (50, 51):
            [m] = self.moved(uid)
            self.assertRegex(m, r"^🗓 <b>Акция «Тёплые вещи и крупа» "
                             r"переносится</b>\nБыло: 30 ноября[^\n]*15:00\n"
                             r"Стало: 15 декабря[^\n]*11:00\n")
        for uid in (52, 53):
            self.assertEqual(self.moved(uid), [])
        # A new place, with the old and the new.
        done = self.edit_field(aid, "Место", "ул. Кирова, 8, приют")
        self.assertIn("всем, кто обещал помощь: 2.", done)
        m = [t for t in self.texts(51) if "новое место" in t]
        self.assertEqual(len(m), 1)
        self.assertIn("Было: ул. Ленина, 12\nСтало: ул. Кирова, 8, приют", m[0])
        # The same date again changes nothing and tells nobody.
        done = self.edit_field(aid, "Место", "ул. Кирова, 8, приют")
        self.assertNotIn("написал всем", done)
        self.assertEqual(len(self.moved(50)), 2)

    def test_quotes_inside_quotes_become_low_ones(self):
        """Issue 18: a title with «…» inside a text's «…» reads „…“."""
        self.prepare()
        self.seed_org()
        self.bot.start()
        aid = self.announce(title="Сбор для приюта «Надежда»")
        n = self.say(50, "/pledge %d время" % aid, first_name="Гость")
        self.wait_reply(50, "Спасибо, записал", n)
        n = self.say(60, "/org Доброе сердце", first_name="Аня")
        card = self.wait_reply(60, "🏢", n)["params"]["text"]
        self.assertIn("«Сбор для приюта „Надежда“» — /action %d" % aid, card)
        n = self.say(ORGANISER, "/edit %d" % aid)
        menu = self.wait_reply(ORGANISER, "Что изменить", n)
        self.assertIn("«Сбор для приюта „Надежда“»", menu["params"]["text"])
        self.edit_field(aid, "Дата и время", "15.12.2030 11:00")
        [m] = self.moved(50)
        self.assertIn("Акция «Сбор для приюта „Надежда“» переносится", m)
        for t in (card, menu["params"]["text"], m):
            self.assertNotIn("«Надежда»", t)


class PledgesWithCare(ReachCase):
    def pledges_of(self, uid):
        return self.bot.query("SELECT kind, amount FROM pledges WHERE"
                              " user_id = ? ORDER BY id", uid)

    def test_over_pledge_is_taken_and_told_what_is_still_needed(self):
        self.prepare()
        self.bot.start()
        aid = self.announce()
        n = self.say(60, "/pledge %d 51 тёплые одеяла" % aid,
                     first_name="Нина")
        r = self.wait_reply(60, "Спасибо, записал", n)["params"]["text"]
        self.assertIn("ℹ️ «тёплые одеяла»: нужно 20 шт, обещано уже 51 — "
                      "этого хватает.", r)
        self.assertIn("Ещё нужно: крупа — ещё 50 кг; деньги — ещё 50" +
                      NBSP + "000" + NBSP + "₽; волонтёры — ещё 10.", r)
        self.assertEqual(self.pledges_of(60), [("goods", 51)])
        # Within the need: no such word.
        n = self.say(61, "/pledge %d 5 кг крупы" % aid, first_name="Лев")
        r = self.wait_reply(61, "Спасибо, записал", n)["params"]["text"]
        self.assertNotIn("ℹ️", r)

    def test_the_same_pledge_twice_asks_first(self):
        self.prepare()
        self.bot.start()
        aid = self.announce()
        n = self.say(62, "/pledge %d 500" % aid, first_name="Оля")
        self.wait_reply(62, "Спасибо, записал", n)
        [(first,)] = self.bot.query("SELECT id FROM pledges")
        n = self.say(62, "/pledge %d 500" % aid, first_name="Оля")
        ask = self.wait_reply(62, "Добавить ещё или это повтор?", n)
        self.assertEqual(ask["params"]["text"],
                         "Вы только что обещали то же самое для акции «Тёплые "
                         "вещи для приюта»: №%d — 500" % first + NBSP +
                         "₽.\nДобавить ещё или это повтор?")
        self.assertEqual(self.pledges_of(62), [("money", 50000)])
        got = buttons(ask["params"]["reply_markup"])
        self.assertEqual([t for t, _ in got], ["➕ Добавить ещё", "Это повтор"])
        n = self.press(62, "pd:no", self.message_id(ask), first_name="Оля")
        self.wait_reply(62, "оставил одно обещание", n)
        self.assertEqual(self.pledges_of(62), [("money", 50000)])
        # Asked again, and this time it is one more.
        n = self.say(62, "/pledge %d 500" % aid, first_name="Оля")
        ask = self.wait_reply(62, "это повтор?", n)
        add = [d for t, d in buttons(ask["params"]["reply_markup"])
               if t == "➕ Добавить ещё"][0]
        n = self.press(62, add, self.message_id(ask), first_name="Оля")
        self.wait_reply(62, "Спасибо, записал", n)
        self.assertEqual(self.pledges_of(62), [("money", 50000),
                                               ("money", 50000)])
        # A different sum is no repeat; a forged button is refused.
        n = self.say(62, "/pledge %d 700" % aid, first_name="Оля")
        self.wait_reply(62, "Спасибо, записал", n)
        self.fake.press(62, "pd:%d:m:0:999999999999:0" % aid,
                        self.message_id(ask))
        self.callback_answer("Эта кнопка устарела")
        self.assertEqual(len(self.pledges_of(62)), 3)


POSTER = "AgACAgIAAxkBAAIBbWdQ_poster"


def photo_update(fake, user, caption=None):
    """A private message with a photo (two sizes, the largest last)."""
    upd = fake.message(user, "x")
    msg = upd["message"]
    del msg["text"]
    msg["photo"] = [
        {"file_id": "small_poster", "file_unique_id": "s1", "width": 90,
         "height": 60, "file_size": 1000},
        {"file_id": POSTER, "file_unique_id": "b1", "width": 1280,
         "height": 960, "file_size": 90000}]
    if caption is not None:
        msg["caption"] = caption
    return upd


class Posters(ReachCase):
    def wizard(self, title, description, photo_caption=None):
        """/announce with a poster sent after the title (or as the title's
        caption); returns the new action's id."""
        f = self.fake
        since = self.count(ORGANISER)
        ups = [f.message(ORGANISER, "/announce")]
        if photo_caption is None:
            ups += [f.message(ORGANISER, title), photo_update(f, ORGANISER)]
        else:
            ups += [photo_update(f, ORGANISER, photo_caption)]
        ups += [f.message(ORGANISER, t) for t in (
            description, "социальное", "нет", "нет", "50 000", "нет", "нет")]
        f.queue(ups)
        preview = self.wait_reply(ORGANISER, lambda r: "an:pub" in str(
            r["params"].get("reply_markup")), since)
        head = self.texts(ORGANISER)[-2]
        self.assertIn("📷 С афишей", head)
        n = self.press(ORGANISER, "an:pub", self.message_id(preview))
        done = self.wait_reply(ORGANISER, "Опубликовано", n)["params"]["text"]
        import re
        return int(re.search(r"Акция №(\d+)", done).group(1)), since

    def sent_to(self, chat_id, method):
        return [s for s in self.fake.sent(method=method)
                if s["params"].get("chat_id") == chat_id]

    def test_poster_with_caption_and_live_progress(self):
        self.prepare()
        self.bot.start()
        aid, since = self.wizard("Тёплые вещи", "Собираем одеяла.")
        self.assertIn("Афиша есть 📷 — она будет в объявлении.",
                      "\n".join(self.texts(ORGANISER)[since:]))
        self.assertEqual(self.bot.query(
            "SELECT poster_file_id FROM actions WHERE id = ?", aid),
            [(POSTER,)])
        self.settled()
        [photo] = self.sent_to(LEADERS, "sendPhoto")
        self.assertEqual(photo["status"], 200)
        self.assertEqual(photo["params"]["photo"], POSTER)
        self.assertTrue(photo["params"]["caption"].startswith(
            "📣 <b>Тёплые вещи</b>"))
        self.assertIn("Акция №%d" % aid, photo["params"]["caption"])
        self.assertEqual([s for s in self.sent_to(LEADERS, "sendMessage")
                          if "Акция №%d" % aid in s["params"]["text"]], [])
        self.assertEqual(self.bot.query(
            "SELECT caption FROM announcements WHERE chat_id = ?", LEADERS),
            [(1,)])
        # A pledge: the caption is edited, not a text.
        n = self.say(50, "/pledge %d 500" % aid, first_name="Пётр")
        self.wait_reply(50, "Спасибо, записал", n)
        self.wait_group_text(aid, "обещано 500" + NBSP + "₽")
        self.settled()
        edits = self.sent_to(LEADERS, "editMessageCaption")
        self.assertTrue(edits)
        self.assertTrue(all(e["status"] == 200 for e in edits), edits)
        self.assertEqual(self.sent_to(LEADERS, "editMessageText"), [])
        m = self.group_copy(aid)
        self.assertEqual(m["kind"], "photo")

    def test_poster_then_text_when_too_long_for_a_caption(self):
        self.prepare()
        self.bot.start()
        long = "Очень подробное описание акции. " * 50
        aid, _ = self.wizard("Длинная акция", long,
                             photo_caption="Длинная акция")
        self.settled()
        [photo] = self.sent_to(LEADERS, "sendPhoto")
        self.assertEqual(photo["params"]["caption"],
                         "📣 <b>Длинная акция</b>")
        texts = [s for s in self.sent_to(LEADERS, "sendMessage")
                 if "Акция №%d" % aid in s["params"]["text"]]
        self.assertEqual(len(texts), 1)
        self.assertGreater(texts[0]["seq"], photo["seq"])
        self.assertIn(long.strip()[:200], texts[0]["params"]["text"])
        n = self.say(50, "/pledge %d 700" % aid, first_name="Пётр")
        self.wait_reply(50, "Спасибо, записал", n)
        self.wait_group_text(aid, "обещано 700" + NBSP + "₽")
        self.settled()
        self.assertEqual(self.sent_to(LEADERS, "editMessageCaption"), [])
        self.assertTrue(all(e["status"] == 200 for e in
                            self.sent_to(LEADERS, "editMessageText")))


class FreeText(ReachCase):
    def test_wish_to_help_gets_the_open_actions(self):
        self.prepare()
        self.bot.start()
        aid = self.announce()
        n = self.say(70, "хочу помочь", first_name="Маша")
        r = self.wait_reply(70, "Спасибо, что хотите помочь!", n)
        t = r["params"]["text"]
        self.assertIn("<b>№%d</b> Тёплые вещи для приюта" % aid, t)
        self.assertIn("/subscribe", t)
        self.assertNotIn("Я понимаю команды", t)
        self.assertIn(("№%d · Тёплые вещи для приюта" % aid, "ac:v:%d" % aid),
                      buttons(r["params"]["reply_markup"]))
        n = self.say(70, "Как записаться волонтёром?", first_name="Маша")
        r = self.wait_reply(70, "Стать волонтёром просто", n)
        self.assertIn("«🙋 Стать волонтёром»", r["params"]["text"])
        # The list itself: one blank line between parts, never two.
        n = self.say(70, "/actions", first_name="Маша")
        t = self.wait_reply(70, "Открытые акции", n)["params"]["text"]
        self.assertNotIn("\n\n\n", t)
        self.assertIn("\n\nПодробнее и помочь", t)
        # Anything else: what the bot is for and where to start.
        n = self.say(70, "привет", first_name="Маша")
        r = self.wait_reply(70, "Я бот добрых дел", n)["params"]["text"]
        self.assertIn("Открытые акции — /actions", r)
        self.assertIn("/subscribe", r)


class CommandsWithWords(ReachCase):
    def test_subscribe_and_org_by_words(self):
        self.prepare()
        now = int(time.time() * 1000)
        for name in ("Приют «Надежда»", "Надежда на лучшее", "Доброе сердце"):
            self.write_db("INSERT INTO orgs(name, name_key, phone, directions,"
                          " created_at) VALUES (?, ?, '+7 900', "
                          "'социальное', ?)", name, name.lower(), now)
        self.bot.start()
        n = self.say(80, "/subscribe социальное", first_name="Ира")
        self.wait_reply(80, "Готово! Буду присылать анонсы: социальное.", n)
        self.assertEqual(self.bot.query(
            "SELECT direction FROM subscriptions WHERE user_id = 80"),
            [("социальное",)])
        n = self.say(80, "/subscribe Спорт", first_name="Ира")
        self.wait_reply(80, "анонсы: спорт, социальное", n)
        n = self.say(80, "/subscribe балет", first_name="Ира")
        r = self.wait_reply(80, "Направления «балет» нет", n)
        self.assertIn("Например: /subscribe", r["params"]["text"])
        # /org with words.
        n = self.say(80, "/org доброе сердце", first_name="Ира")
        self.wait_reply(80, "Доброе сердце", n)
        n = self.say(80, "/org Надежда", first_name="Ира")
        r = self.wait_reply(80, "Нашёл несколько организаций", n)
        self.assertIn("• Надежда на лучшее — /org", r["params"]["text"])
        self.assertIn("• Приют «Надежда» — /org", r["params"]["text"])
        n = self.say(80, "/org приют надежда", first_name="Ира")
        r = self.wait_reply(80, "не нашёл", n)
        n = self.say(80, "/org Приют «Надежда»", first_name="Ира")
        r = self.wait_reply(80, "+7 900", n)
        self.assertIn("Приют «Надежда»", r["params"]["text"])
        n = self.say(80, "/org 100%", first_name="Ира")
        self.wait_reply(80, "Какую организацию показать?", n)


class HelpByRole(ReachCase):
    def test_organiser_help_starts_with_what_they_do_most(self):
        self.prepare(users=[(7, "Ольга", "ru", "organiser", 0)])
        self.bot.start()
        n = self.say(7, "/help", first_name="Ольга")
        t = self.wait_reply(7, "/announce", n)["params"]["text"]
        self.assertTrue(t.startswith("<b>Чаще всего</b>\n/announce — "), t)
        head, rest = t.split("<b>Остальные команды</b>")
        self.assertIn("\n/received — ", head)
        self.assertIn("\n/close — ", head)
        self.assertNotIn("/announce", rest)
        self.assertIn("/pledges", rest)
        self.assertNotIn("/setgroup", t)
        # The admin's /help names /setgroup, which works in the group.
        n = self.say(ORGANISER, "/help")
        t = self.wait_reply(ORGANISER, "/announce", n)["params"]["text"]
        self.assertIn("/setgroup — подключить группу руководителей", t)
        # A citizen's is as before.
        n = self.say(90, "/help", first_name="Гость")
        t = self.wait_reply(90, "/actions", n)["params"]["text"]
        self.assertTrue(t.startswith("<b>Команды</b>"), t)
        self.assertNotIn("/announce", t)


class MyConfirm(ReachCase):
    def test_take_back_asks_and_no_keeps_it(self):
        self.prepare()
        self.bot.start()
        aid = self.announce()
        n = self.say(95, "/pledge %d 300" % aid, first_name="Лиза")
        self.wait_reply(95, "Спасибо, записал", n)
        n = self.say(95, "/my", first_name="Лиза")
        my = self.wait_reply(95, "Ваши добрые дела", n)
        mid = self.message_id(my)
        self.press(95, "my:w:1", mid, first_name="Лиза")
        wait_until(lambda: [m for m in self.fake.messages(95) if
                            m["message_id"] == mid and "Отменить обещание №1"
                            in m["text"]], what="asked")
        self.press(95, "my:n", mid, first_name="Лиза")
        wait_until(lambda: [m for m in self.fake.messages(95) if
                            m["message_id"] == mid and "Ваши добрые дела"
                            in m["text"]], what="the list again")
        self.assertEqual(self.bot.query(
            "SELECT status FROM pledges WHERE id = 1"), [("pledged",)])


class WizardBack(ReachCase):
    def test_back_button_goes_to_the_previous_question(self):
        self.prepare()
        self.bot.start()
        n = self.say(ORGANISER, "/announce", "Концерт", "Старое описание")
        step3 = self.wait_reply(ORGANISER, "Шаг 3", n)
        self.assertIn(("← Назад", "an:b:2"),
                      buttons(step3["params"]["reply_markup"]))
        n = self.press(ORGANISER, "an:b:2", self.message_id(step3))
        r = self.wait_reply(ORGANISER, "Шаг 2", n)
        self.assertIn("Расскажите об акции", r["params"]["text"])
        self.assertIn(("← Назад", "an:b:1"),
                      buttons(r["params"]["reply_markup"]))
        self.assertEqual(self.conversation(ORGANISER),
                         ("announce", "description"))
        # The old button no longer works.
        self.fake.press(ORGANISER, "an:b:2", self.message_id(step3))
        self.callback_answer("устарела")
        n = self.say(ORGANISER, "Новое описание", "социальное", "нет", "нет",
                     "нет", "нет", "10")
        preview = self.wait_reply(ORGANISER, "📣", n)["params"]["text"]
        self.assertIn("Новое описание", preview)
        self.assertNotIn("Старое описание", preview)


class EnglishReaders(ReachCase):
    config = {"leaders_chat_id": LEADERS,
              "directions": [{"ru": "социальное", "en": "social"},
                             "спорт"]}

    def test_english_wizard_and_directions(self):
        self.prepare()
        self.bot.start()
        en = {"language_code": "en"}
        n = self.say(ORGANISER, "/announce", "Winter clothes", "We collect.",
                     **en)
        step3 = self.wait_reply(ORGANISER, "Step 3", n)
        self.assertEqual([t for t, _ in buttons(step3["params"]
                                                ["reply_markup"])],
                         ["social", "спорт", "← Back"])
        # The label typed in English picks the direction; it is stored by
        # its Russian name.
        self.say(ORGANISER, "Social", **en)
        when = self.wait_reply(ORGANISER, "Step 4", n)["params"]["text"]
        self.say(ORGANISER, "нет", **en)
        place = self.wait_reply(ORGANISER, "Step 5", n)["params"]["text"]
        self.say(ORGANISER, "нет", "нет", **en)
        goods = self.wait_reply(ORGANISER, "Step 7", n)["params"]["text"]
        import re
        for t in (when, place, goods):
            self.assertIsNone(re.search("[А-Яа-яЁё]", t), t)
        self.say(ORGANISER, "нет", "10", **en)
        preview = self.wait_reply(ORGANISER, lambda r: "an:pub" in str(
            r["params"].get("reply_markup")), n)
        n = self.press(ORGANISER, "an:pub", self.message_id(preview), **en)
        self.wait_reply(ORGANISER, "Action #", n)
        self.assertEqual(self.bot.query("SELECT direction FROM actions"),
                         [("социальное",)])
        # /actions in English shows the label; «/actions social» works.
        n = self.say(91, "/actions social", first_name="Ann", **en)
        t = self.wait_reply(91, "Open actions", n)["params"]["text"]
        self.assertIn("Open actions — social", t)
        self.assertIn("🏷 social", t)
        n = self.say(92, "/actions социальное", first_name="Аня")
        t = self.wait_reply(92, "Открытые акции", n)["params"]["text"]
        self.assertIn("🏷 социальное", t)

    def test_english_labels_in_every_view(self):
        """Issue 18: the announcement's «🏷» line, /subscribe's summary,
        /orgs' headings and cards show an English reader the label."""
        self.prepare()
        self.seed_org()
        self.bot.start()
        aid = self.announce(direction="социальное")
        en = {"language_code": "en", "first_name": "Ann"}
        n = self.say(91, "/action %d" % aid, **en)
        t = self.wait_reply(91, "📣", n)["params"]["text"]
        self.assertIn("🏷 social\n", t)
        self.assertNotIn("социальное", t)
        n = self.say(92, "/action %d" % aid, first_name="Аня")
        t = self.wait_reply(92, "📣", n)["params"]["text"]
        self.assertIn("🏷 социальное\n", t)
        n = self.say(91, "/subscribe social", **en)
        t = self.wait_reply(91, "Done!", n)["params"]["text"]
        self.assertIn("announcements of: social.", t)
        n = self.say(91, "/orgs", **en)
        t = self.wait_reply(91, "Доброе сердце", n)["params"]["text"]
        self.assertIn("<b>social</b>", t)
        self.assertNotIn("социальное", t)
        n = self.say(91, "/org Доброе сердце", **en)
        t = self.wait_reply(91, "🏢", n)["params"]["text"]
        self.assertIn("🏷 social", t)
        self.assertNotIn("социальное", t)


class HostileWords(ReachCase):
    def test_long_and_odd_words_get_clear_answers(self):
        self.prepare()
        self.bot.start()
        cases = [
            ("/org " + "я" * 4000, "не нашёл"),
            ("/org %_\\", "не нашёл"),
            ("/subscribe " + "x" * 4000, "нет. Направления:"),
            ("/contact " + "да" * 2000, "Сейчас в ваших акциях нет ссылки"),
            ("хочу " + "помочь " * 500, "Сейчас открытых акций нет"),
        ]
        for text, says in cases:
            n = self.say(ORGANISER, text)
            r = self.wait_reply(ORGANISER, says, n)
            self.assertLess(len(r["params"]["text"]), 4096)
        for data in ("cl:r:abc", "cl:pub:1", "cl:zz:1", "pd:1:x:0:5:0",
                     "pd:1:m:0:5", "my:y:999", "my:w:-1", "an:b:99"):
            self.fake.press(ORGANISER, data, 1)
        time.sleep(1.5)
        self.assertEqual(self.bot.query("SELECT count(*) FROM dead_letters"),
                         [(0,)])
        self.assertTrue(self.bot.alive())
