"""Organisations against the fake Bot API: an admin adds one in the /addorg
conversation (refusals included) and edits it, a non-admin is refused, an
organiser of two organisations announces for the second and every view
names it, /orgs by direction, following an organisation brings its next
announcement and only its, and an organisation's organisers share its
pledges and exports while others do not see them."""

import json
import re
import time

from lib.actionkit import ORGANISER, ActionsCase, buttons
from lib.daemon import wait_until

ORGANISER_2 = 300   # an organiser who acts for two organisations
STRANGER = 301      # an organiser of no organisation
CITIZEN = 600


class OrgsCase(ActionsCase):
    def add_org(self, name, directions="", phone=None, services=None):
        """An organisation written straight into the database."""
        now = int(time.time() * 1000)
        key = re.sub(r"\s+", " ", name.lower().replace("ё", "е")).strip()
        return self.write_db(
            "INSERT INTO orgs(name, name_key, services, phone, directions,"
            " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            name, key, services, phone, directions, now, now)

    def markup(self, reply):
        return json.dumps(reply["params"].get("reply_markup"),
                          ensure_ascii=False)

    def announce_for(self, user, org_id, title, direction="социальное"):
        """/announce by an organiser of several organisations, for org_id;
        returns the action's id."""
        since = self.say(user, "/announce")
        ask = self.wait_reply(user, "От имени какой организации", since)
        self.assertIn("an:o:%d" % org_id, self.markup(ask))
        since = self.press(user, "an:o:%d" % org_id, self.message_id(ask))
        self.wait_reply(user, "Шаг 1 из 8", since)
        since = self.say(user, title, "Описание акции.", direction,
                         "без даты", "-", "-", "-", "5")
        preview = self.wait_reply(user, lambda r: "an:pub" in self.markup(r),
                                  since)
        since = self.press(user, "an:pub", self.message_id(preview))
        done = self.wait_reply(user, "Опубликовано", since)
        return int(re.search(r"Акция №(\d+)", done["params"]["text"]).group(1))


class AddOrg(OrgsCase):
    def test_added_by_conversation_and_edited(self):
        self.prepare(users=[(ORGANISER, "Иван", "ru", "citizen", 0)])
        self.bot.start()
        n = self.say(ORGANISER, "/addorg")
        self.assertIn("Шаг 1 из 7", self.wait_reply(ORGANISER, "Шаг 1", n)
                      ["params"]["text"])
        self.assertEqual(self.conversation(ORGANISER), ("org", "name"))
        n = self.say(ORGANISER, "Я")
        self.wait_reply(ORGANISER, "Название слишком короткое", n)
        n = self.say(ORGANISER, "Приют <«Надежда»>",
                     "Временный приют для женщин с детьми",
                     "временное проживание\n\n  консультации юриста \n"
                     "помощь вещами")
        self.wait_reply(ORGANISER, "Телефон", n)
        # A typo does not restart the conversation: it says why and waits.
        n = self.say(ORGANISER, "abc")
        bad = self.wait_reply(ORGANISER, "Не понимаю номер «abc»", n)
        self.assertIn("+7 914 123-45-67", bad["params"]["text"])
        self.assertEqual(self.conversation(ORGANISER), ("org", "phone"))
        n = self.say(ORGANISER, "+7 914 123-45-67, 8 (41641) 2-34-56", "-")
        self.wait_reply(ORGANISER, "Сайт", n)
        n = self.say(ORGANISER, "javascript:alert(1)")
        self.wait_reply(ORGANISER, "не похоже на ссылку", n)
        n = self.say(ORGANISER, "@nadezhda_priut", "социальное, Вело")
        self.wait_reply(ORGANISER, "Не знаю направления «Вело»", n)
        n = self.say(ORGANISER, "Психология; социальное")
        preview = self.wait_reply(ORGANISER, "Так организация будет", n)
        text = preview["params"]["text"]
        self.assertIn("🏢 <b>Приют &lt;«Надежда»&gt;</b>", text)
        self.assertIn("• временное проживание\n• консультации юриста\n"
                      "• помощь вещами", text)
        self.assertIn("🏷 социальное, психология", text)
        self.assertIn("☎ +7 914 123-45-67, 8 (41641) 2-34-56 · "
                      "🔗 https://t.me/nadezhda_priut", text)
        self.assertIn("oa:save", self.markup(preview))
        self.assertEqual(self.bot.query("SELECT count(*) FROM orgs"), [(0,)])
        n = self.press(ORGANISER, "oa:save", self.message_id(preview))
        saved = self.wait_reply(ORGANISER, "в справочнике под №", n)
        oid = int(re.search(r"№(\d+)", saved["params"]["text"]).group(1))
        self.assertEqual(self.bot.query(
            "SELECT name, description, services, phone, address, link,"
            " directions FROM orgs WHERE id = ?", oid),
            [("Приют <«Надежда»>", "Временный приют для женщин с детьми",
              "временное проживание\nконсультации юриста\nпомощь вещами",
              "+7 914 123-45-67, 8 (41641) 2-34-56", None,
              "https://t.me/nadezhda_priut", "социальное\nпсихология")])
        self.assertIsNone(self.conversation(ORGANISER))

        # The same name again, in other letters, is the same organisation.
        n = self.say(ORGANISER, "/addorg", "приют  <«НАДЕЖДА»>")
        self.wait_reply(ORGANISER, "уже есть — №%d" % oid, n)
        self.assertEqual(self.conversation(ORGANISER), ("org", "name"))
        self.say(ORGANISER, "/cancel")

        # /editorg: the card with a button per field; the phone changes.
        n = self.say(ORGANISER, "/editorg %d" % oid)
        card = self.wait_reply(ORGANISER, "Так организация будет", n)
        n = self.press(ORGANISER, "oa:f:3", self.message_id(card))
        self.wait_reply(ORGANISER, "Телефон", n)
        n = self.say(ORGANISER, "2-34-56")
        card = self.wait_reply(ORGANISER, "Так организация будет", n)
        self.assertIn("☎ 2-34-56", card["params"]["text"])
        n = self.press(ORGANISER, "oa:save", self.message_id(card))
        self.wait_reply(ORGANISER, "изменения", n)
        self.assertEqual(self.bot.query(
            "SELECT phone, link FROM orgs WHERE id = ?", oid),
            [("2-34-56", "https://t.me/nadezhda_priut")])
        self.assertEqual(self.bot.query("SELECT count(*) FROM orgs"), [(1,)])

    def test_non_admin_is_refused(self):
        self.prepare(users=[(CITIZEN, "Оля", "ru", "citizen", 0),
                            (STRANGER, "Пётр", "ru", "organiser", 0)])
        self.bot.start()
        for who in (CITIZEN, STRANGER):
            n = self.say(who, "/addorg", "Приют «Надежда»")
            self.wait_reply(who, "только администраторам", n)
            self.assertIsNone(self.conversation(who))
        # A stale admin button pressed by someone else changes nothing.
        oid = self.add_org("Приют «Надежда»")
        n = self.press(STRANGER, "oa:e:%d" % oid, 1)
        self.callback_answer("не для вас")
        self.assertEqual(self.bot.query("SELECT count(*) FROM orgs"), [(1,)])
        self.assertIsNone(self.conversation(STRANGER))


class OrganiserOfTwo(OrgsCase):
    def test_announces_for_the_second_and_every_view_names_it(self):
        self.prepare(users=[(ORGANISER, "Иван", "ru", "citizen", 0),
                            (ORGANISER_2, "Мария", "ru", "citizen", 0),
                            (310, "Ольга", "ru", "citizen", 0),
                            (STRANGER, "Пётр", "ru", "organiser", 0),
                            (CITIZEN, "Оля", "ru", "citizen", 0)])
        first = self.add_org("Общество инвалидов", "социальное")
        second = self.add_org("Приют «Надежда»", "социальное")
        self.bot.start()
        # Admins attach her: by number, and by a part of the name.
        n = self.say(ORGANISER, "/grant %d %d" % (ORGANISER_2, first))
        self.wait_reply(ORGANISER, "организатор организации «Общество "
                        "инвалидов»", n)
        n = self.say(ORGANISER, "/grant %d надежда" % ORGANISER_2)
        # Issue 18: no «от» before a name in quotes, nested quotes „…“.
        self.wait_reply(ORGANISER, "организатор организации «Приют "
                        "„Надежда“»", n)
        n = self.say(ORGANISER, "/grant %d Сириус" % ORGANISER_2)
        self.wait_reply(ORGANISER, "Не знаю организации «Сириус»", n)
        self.assertEqual(self.bot.query(
            "SELECT org_id FROM org_members WHERE user_id = ? ORDER BY 1",
            ORGANISER_2), [(first,), (second,)])
        self.assertEqual(self.bot.query(
            "SELECT role FROM users WHERE id = ?", ORGANISER_2),
            [("organiser",)])
        n = self.say(ORGANISER, "/organisers")
        self.wait_reply(ORGANISER, "«Общество инвалидов», «Приют «Надежда»»",
                        n)
        # Typing instead of choosing is answered, not taken for a title.
        since = self.say(ORGANISER_2, "/announce", "Тёплые вещи")
        self.wait_reply(ORGANISER_2, "Выберите организацию кнопкой", since)
        self.say(ORGANISER_2, "/cancel")

        aid = self.announce_for(ORGANISER_2, second, "Тёплые вещи")
        self.assertEqual(self.bot.query(
            "SELECT org_id FROM actions WHERE id = ?", aid), [(second,)])
        self.wait_group_text(aid, "🏢 Приют «Надежда»")
        n = self.say(CITIZEN, "/action %d" % aid)
        self.wait_reply(CITIZEN, "🏢 Приют «Надежда»", n)
        n = self.say(CITIZEN, "/report %d" % aid)
        self.wait_reply(CITIZEN, "🏢 Проводит: Приют «Надежда»", n)
        # The organisation's card lists it among its open actions.
        n = self.say(CITIZEN, "/org %d" % second)
        card = self.wait_reply(CITIZEN, "Открытые акции", n)
        self.assertIn("«Тёплые вещи» — /action %d" % aid,
                      card["params"]["text"])
        # Her colleague at the shelter may mark her action's pledges;
        # an organiser of another organisation may not even see them.
        self.say(CITIZEN, "/pledge %d время" % aid)
        wait_until(lambda: self.bot.query(
            "SELECT count(*) FROM pledges WHERE action_id = ?", aid) == [(1,)],
            what="the volunteer's pledge")
        n = self.say(ORGANISER, "/grant %d %d" % (310, second))
        self.wait_reply(ORGANISER, "организатор организации", n)
        n = self.say(310, "/pledges %d" % aid)
        self.wait_reply(310, "Обещания по акции №%d" % aid, n)
        n = self.say(STRANGER, "/pledges %d" % aid)
        self.wait_reply(STRANGER, "с их номерами и состоянием видят", n)
        pid = self.bot.query("SELECT id FROM pledges WHERE action_id = ?",
                             aid)[0][0]
        n = self.say(STRANGER, "/received %d 3" % pid)
        self.wait_reply(STRANGER, "с их номерами и состоянием видят", n)
        n = self.say(STRANGER, "/export %d" % aid)
        self.wait_reply(STRANGER, "с их номерами и состоянием видят", n)
        self.assertEqual(self.bot.query(
            "SELECT status FROM pledges WHERE id = ?", pid), [("pledged",)])
        # Without a number: everything open at her organisations.
        n = self.say(ORGANISER_2, "/pledges")
        listing = self.wait_reply(ORGANISER_2, "открытых акций", n)
        self.assertIn("Приют «Надежда»</b> — открытых акций: 1",
                      listing["params"]["text"])
        self.assertIn("Обещания по акции №%d" % aid, listing["params"]["text"])
        since = len(self.fake.sent(method="sendDocument"))
        self.say(ORGANISER_2, "/export")
        doc = self.fake.wait_sent(lambda s: True, method="sendDocument",
                                  since=since)[0]
        self.assertIn("открытым акциям ваших организаций",
                      doc["params"]["caption"])
        # Revoking one membership keeps the role; revoking the role ends
        # every membership.
        n = self.say(ORGANISER, "/revoke %d %d" % (ORGANISER_2, first))
        self.wait_reply(ORGANISER, "больше не представляет", n)
        self.assertEqual(self.bot.query(
            "SELECT org_id FROM org_members WHERE user_id = ?", ORGANISER_2),
            [(second,)])
        n = self.say(ORGANISER, "/revoke %d" % ORGANISER_2)
        self.wait_reply(ORGANISER, "больше не организатор", n)
        self.assertEqual(self.bot.query(
            "SELECT count(*) FROM org_members WHERE user_id = ?",
            ORGANISER_2), [(0,)])


class Directory(OrgsCase):
    def test_orgs_by_direction(self):
        self.prepare(users=[(CITIZEN, "Оля", "ru", "citizen", 0)])
        shelter = self.add_org("Приют «Надежда»", "социальное\nпсихология",
                               phone="+7 914 123-45-67",
                               services="временное проживание\nюрист")
        club = self.add_org("Клуб «Старт»", "спорт")
        self.add_org("Общество слепых", "")
        self.bot.start()
        n = self.say(CITIZEN, "/orgs")
        text = self.wait_reply(CITIZEN, "Организации города", n)["params"]["text"]
        self.assertIn("— 3", text)
        social = text.index("<b>социальное</b>")
        sport = text.index("<b>спорт</b>")
        psych = text.index("<b>психология</b>")
        other = text.index("<b>Без направления</b>")
        # In the configured order: культура, спорт, социальное, ...,
        # психология; an organisation of two directions under both.
        self.assertLess(sport, social)
        self.assertLess(social, psych)
        self.assertLess(psych, other)
        self.assertNotIn("<b>культура</b>", text)
        self.assertIn("Клуб «Старт»", text[sport:social])
        self.assertIn("Приют «Надежда»", text[social:psych])
        self.assertIn("Приют «Надежда»", text[psych:other])
        self.assertNotIn("Надежда", text[sport:social])
        self.assertIn("Общество слепых", text[other:])
        self.assertIn("Услуги: временное проживание; юрист", text)
        self.assertIn("☎ +7 914 123-45-67", text)
        self.assertIn("start=o%d" % shelter, text)
        n = self.say(CITIZEN, "/orgs Спорт")
        text = self.wait_reply(CITIZEN, "Организации: спорт", n)["params"]["text"]
        self.assertIn("Клуб «Старт»", text)
        self.assertNotIn("Надежда", text)
        n = self.say(CITIZEN, "/orgs вело")
        self.wait_reply(CITIZEN, "Не знаю направления «вело»", n)
        # The deep link opens the card, with the follow button.
        n = self.say(CITIZEN, "/start o%d" % club)
        card = self.wait_reply(CITIZEN, "Клуб «Старт»", n)
        self.assertIn(("🔔 Следить за новыми акциями", "og:f:%d" % club),
                      buttons(card["params"]["reply_markup"]))

    def test_empty_directory_says_how_to_fill_it(self):
        self.prepare(users=[(CITIZEN, "Оля", "ru", "citizen", 0)])
        self.bot.start()
        n = self.say(CITIZEN, "/orgs")
        self.wait_reply(CITIZEN, "import-orgs", n)


class Following(OrgsCase):
    def test_follower_gets_the_next_announcement_of_that_org_only(self):
        self.prepare(users=[(ORGANISER, "Иван", "ru", "citizen", 0),
                            (ORGANISER_2, "Мария", "ru", "organiser", 0),
                            (CITIZEN, "Оля", "ru", "citizen", 0)])
        shelter = self.add_org("Приют «Надежда»", "социальное")
        club = self.add_org("Клуб «Старт»", "спорт")
        for org in (shelter, club):
            self.write_db("INSERT INTO org_members(org_id, user_id)"
                          " VALUES (?, ?)", org, ORGANISER_2)
        self.bot.start()
        n = self.say(CITIZEN, "/org %d" % shelter)
        card = self.wait_reply(CITIZEN, "Приют «Надежда»", n)
        self.press(CITIZEN, "og:f:%d" % shelter, self.message_id(card))
        self.callback_answer("пришлю анонс")
        self.assertEqual(self.bot.query(
            "SELECT org_id FROM org_followers WHERE user_id = ?", CITIZEN),
            [(shelter,)])
        # The card now offers to stop.
        def unfollow_shown():
            m = [x for x in self.fake.messages(CITIZEN)
                 if "og:f:%d" % shelter in json.dumps(x.get("reply_markup"))]
            return m and "Больше не следить" in json.dumps(
                m[-1].get("reply_markup"), ensure_ascii=False)
        wait_until(unfollow_shown, what="the card's button flipped")
        # /subscribe shows directions and organisations, ✅ on hers.
        n = self.say(CITIZEN, "/subscribe")
        menu = self.wait_reply(CITIZEN, "Анонсы новых акций", n)
        labels = [t for t, _ in buttons(menu["params"]["reply_markup"])]
        self.assertIn("✅ 🏢 Приют «Надежда»", labels)
        self.assertIn("🏢 Клуб «Старт»", labels)

        before = self.count(CITIZEN)
        other = self.announce_for(ORGANISER_2, club, "Забег", "спорт")
        mine = self.announce_for(ORGANISER_2, shelter, "Тёплые вещи")
        got = self.wait_reply(CITIZEN, "Тёплые вещи", before)
        self.assertIn("🏢 Приют «Надежда»", got["params"]["text"])
        self.settled()
        self.assertEqual([t for t in self.texts(CITIZEN)[before:]
                          if "Забег" in t], [])
        self.assertEqual(self.bot.query(
            "SELECT count(*) FROM announcements WHERE chat_id = ?", CITIZEN),
            [(1,)])
        self.assertEqual(self.bot.query(
            "SELECT action_id FROM announcements WHERE chat_id = ?", CITIZEN),
            [(mine,)])
        self.assertNotEqual(other, mine)
        # /unsubscribe stops that too.
        n = self.say(CITIZEN, "/unsubscribe")
        self.wait_reply(CITIZEN, "больше не буду", n)
        self.assertEqual(self.bot.query(
            "SELECT count(*) FROM org_followers WHERE user_id = ?", CITIZEN),
            [(0,)])
