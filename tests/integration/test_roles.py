"""Roles, the leaders' group and the command menus: /grant, /revoke,
/organisers, /setgroup, group migrations, the bot removed from the group,
and setMyCommands per scope and language."""

import json
import sqlite3
import time

from lib.daemon import BotTestCase, wait_until

ADMIN = 1
GROUP = -4001  # a basic group
SUPERGROUP = -1001234567890


def person(fake, user_id, first_name, username=None, language_code="ru"):
    u = {"id": user_id, "is_bot": False, "first_name": first_name}
    if username:
        u["username"] = username
    if language_code:
        u["language_code"] = language_code
    return u


class RolesBase(BotTestCase):
    def command_table(self):
        r = self.bot.run_cli("commands", "--config", self.bot.config_path)
        self.assertEqual(r.returncode, 0, r.stderr)
        return json.loads(r.stdout)

    def texts(self, chat_id):
        return [r["params"]["text"] for r in self.replies(chat_id=chat_id)]

    def role(self, user_id):
        rows = self.bot.query("SELECT role FROM users WHERE id = ?", user_id)
        return rows[0][0] if rows else None

    def menu_calls(self, since=0):
        out = []
        for s in self.fake.sent(since=since):
            if s["method"] in ("setMyCommands", "deleteMyCommands"):
                out.append(s)
        return out

    def expected(self, where, max_role):
        rank = {"citizen": 0, "organiser": 1, "admin": 2}
        return [c["name"] for c in self.command_table()["commands"]
                if where in c["where"] and rank[c["role"]] <= rank[max_role]]


class Grant(RolesBase):
    def setUp(self):
        super().setUp()
        self.bot.start()
        # The admin and Maria have talked to the bot in private; Maria has
        # also written in the group.
        self.say(ADMIN, "/start", 1, first_name="Админ")
        self.say(501, "/start", 1, first_name="Мария", username="maria_k")

    def test_grant_by_reply_in_group_then_revoke_by_username(self):
        maria_msg = {"message_id": 41, "date": int(time.time()),
                     "chat": {"id": GROUP, "type": "group", "title": "НКО"},
                     "from": person(self.fake, 501, "Мария", "maria_k"),
                     "text": "Я из фонда «Добро»"}
        since = self.fake.sent()[-1]["seq"]
        [text] = self.say(ADMIN, "/grant", 1, chat_id=GROUP,
                          chat_type="group", reply_to=maria_msg)
        self.assertIn("Готово", text)
        self.assertIn("<b>Мария</b> @maria_k (id 501)", text)
        self.assertIn("теперь организатор", text)
        self.assertEqual(self.role(501), "organiser")
        self.assertEqual(self.bot.query(
            "SELECT user_id, role, changed_by FROM role_log"),
            [(501, "organiser", ADMIN)])
        self.assertIn("role: user 501 is now organiser (changed by 1)",
                      self.bot.log())
        # Maria hears about it, in private.
        [notice] = self.wait_replies(2, chat_id=501)[1:]
        self.assertIn("Вам выдана роль организатора",
                      notice["params"]["text"])
        # Her own menu: the organisers' private commands, ru and en.
        calls = wait_until(lambda: (lambda c: c if len(c) >= 2 else None)(
            [c for c in self.menu_calls(since)
             if c["params"].get("scope", {}).get("chat_id") == 501]),
            what="her menu")
        self.assertEqual([c["method"] for c in calls],
                         ["setMyCommands", "setMyCommands"])
        self.assertNotIn("language_code", calls[0]["params"])
        self.assertEqual(calls[1]["params"]["language_code"], "en")
        names = [c["command"] for c in calls[0]["params"]["commands"]]
        self.assertEqual(names, self.expected("private", "organiser"))
        self.assertNotIn("grant", names)
        ru = {c["command"]: c["description"]
              for c in calls[0]["params"]["commands"]}
        en = {c["command"]: c["description"]
              for c in calls[1]["params"]["commands"]}
        self.assertEqual(ru["help"], "список команд")
        self.assertEqual(en["help"], "list of commands")
        # /help shows her the organisers' commands now.
        [help_text] = self.say(501, "/help", 1, username="maria_k")
        for name in self.expected("private", "organiser"):
            self.assertIn("/" + name, help_text)

        since = self.fake.sent()[-1]["seq"]
        [text] = self.say(ADMIN, "/revoke @MARIA_K", 1)
        self.assertIn("больше не организатор", text)
        self.assertEqual(self.role(501), "citizen")
        self.assertEqual(self.bot.query(
            "SELECT user_id, role, changed_by FROM role_log ORDER BY id"),
            [(501, "organiser", ADMIN), (501, "citizen", ADMIN)])
        texts = [r["params"]["text"] for r in self.wait_replies(4, chat_id=501)]
        self.assertIn("Роль организатора у вас снята", texts[3])
        calls = wait_until(lambda: (lambda c: c if len(c) >= 2 else None)(
            [c for c in self.menu_calls(since)
             if c["params"].get("scope", {}).get("chat_id") == 501]),
            what="menu withdrawn")
        self.assertEqual([c["method"] for c in calls],
                         ["deleteMyCommands", "deleteMyCommands"])
        self.assertEqual(calls[1]["params"]["language_code"], "en")

    def test_grant_by_id_and_mistakes(self):
        texts = self.say(ADMIN, "/grant", 1)
        self.assertIn("Кому выдать роль организатора?", texts[0])
        [t] = self.say(ADMIN, "/grant @nobody_here", 1)
        self.assertIn("Я не знаю пользователя <code>@nobody_here</code>", t)
        [t] = self.say(ADMIN, "/grant 99999999999999999999999", 1)
        self.assertIn("Я не знаю пользователя", t)
        [t] = self.say(ADMIN, "/grant 777", 1)
        self.assertIn("<code>777</code>", t)
        [t] = self.say(ADMIN, "/grant 1", 1)
        self.assertIn("администратор бота", t)
        [t] = self.say(ADMIN, "/revoke 501", 1)
        self.assertIn("не организатор — снимать нечего", t)
        self.assertEqual(self.bot.query("SELECT count(*) FROM role_log"), [(0,)])
        [t] = self.say(ADMIN, "/grant 501", 1)
        self.assertIn("теперь организатор", t)
        [t] = self.say(ADMIN, "/grant @maria_k", 1)
        self.assertIn("уже организатор", t)
        self.assertEqual(self.bot.query("SELECT count(*) FROM role_log"), [(1,)])

    def test_reply_to_a_bot_or_to_a_stranger(self):
        bot_msg = {"message_id": 7, "date": int(time.time()),
                   "chat": {"id": GROUP, "type": "group", "title": "НКО"},
                   "from": {"id": 123456789, "is_bot": True,
                            "first_name": "Dobrobot"}, "text": "hi"}
        [t] = self.say(ADMIN, "/grant", 1, chat_id=GROUP, chat_type="group",
                       reply_to=bot_msg)
        self.assertIn("только человеку", t)
        # Someone who has only ever written in the group: recorded from the
        # reply, granted, and the admin learns the bot cannot write to them.
        stranger = {"message_id": 8, "date": int(time.time()),
                    "chat": {"id": GROUP, "type": "group", "title": "НКО"},
                    "from": person(self.fake, 602, "Олег"), "text": "привет"}
        [t] = self.say(ADMIN, "/grant", 1, chat_id=GROUP, chat_type="group",
                       reply_to=stranger)
        self.assertIn("теперь организатор", t)
        self.assertIn("ещё не писал мне в личные сообщения", t)
        self.assertEqual(self.role(602), "organiser")
        time.sleep(0.3)
        self.assertEqual(self.replies(chat_id=602), [])
        # No menu for a chat that does not exist yet; it comes with /start.
        self.assertEqual([c for c in self.menu_calls()
                          if c["params"].get("scope", {}).get("chat_id") == 602], [])

    def test_text_mention_of_a_person_without_username(self):
        self.fake.send_text(603, "/start", first_name="Без Ника")
        self.wait_replies(1, chat_id=603)
        mention = [{"type": "bot_command", "offset": 0, "length": 6},
                   {"type": "text_mention", "offset": 7, "length": 8,
                    "user": person(self.fake, 603, "Без Ника")}]
        [t] = self.say(ADMIN, "/grant Без Ника", 1, entities=mention)
        self.assertIn("теперь организатор", t)
        self.assertEqual(self.role(603), "organiser")

    def test_organisers_list_is_escaped(self):
        self.say(604, "/start", 1, first_name="<b>Вася</b> & Co",
                 username="vasya")
        self.say(ADMIN, "/grant @vasya", 1)
        self.say(ADMIN, "/grant 501", 1)
        [t] = self.say(ADMIN, "/organisers", 1)
        self.assertIn("<b>Организаторы</b> — 2:", t)
        self.assertIn("<b>&lt;b&gt;Вася&lt;/b&gt; &amp; Co</b> @vasya (id 604)", t)
        self.assertIn("<b>Мария</b> @maria_k (id 501)", t)
        self.assertIn("Администраторы (из файла настроек): 1", t)
        [r] = [r for r in self.replies(chat_id=ADMIN) if "Организаторы" in
               r["params"]["text"]]
        self.assertEqual(r["status"], 200, r["response"])

    def test_english_admin(self):
        self.say(ADMIN, "/grant", 1, language_code="en")
        [t] = self.say(ADMIN, "/grant 501", 1, language_code="en")
        self.assertIn("Done: <b>Мария</b> @maria_k (id 501) is now an organiser", t)
        [t] = self.say(ADMIN, "/organisers", 1, language_code="en")
        self.assertIn("<b>Organisers</b> — 1:", t)


class Menus(RolesBase):
    def test_menus_per_scope_and_language(self):
        self.bot.start()
        self.say(ADMIN, "/start", 1)
        self.say(501, "/start", 1, username="m501")
        self.say(ADMIN, "/grant 501", 1)
        wait_until(lambda: len(self.fake.commands()) >= 8, what="8 lists")
        self.bot.stop()
        # At start everything is computed afresh from the database.
        self.fake.reset()
        self.bot.start()
        wait_until(lambda: len(self.fake.commands()) >= 8, what="8 lists")
        time.sleep(0.3)
        lists = {}
        for e in self.fake.commands():
            scope = e["scope"]
            k = (scope["type"], scope.get("chat_id"), e["language_code"])
            lists[k] = [c["command"] for c in e["commands"]]
        citizens_private = self.expected("private", "citizen")
        citizens_group = self.expected("group", "citizen")
        self.assertEqual(lists[("all_private_chats", None, "")], citizens_private)
        self.assertEqual(lists[("all_private_chats", None, "en")], citizens_private)
        self.assertEqual(lists[("all_group_chats", None, "")], citizens_group)
        self.assertEqual(lists[("all_group_chats", None, "en")], citizens_group)
        self.assertEqual(lists[("chat", 501, "")],
                         self.expected("private", "organiser"))
        self.assertEqual(lists[("chat", ADMIN, "en")],
                         self.expected("private", "admin"))
        self.assertIn("grant", lists[("chat", ADMIN, "")])
        self.assertIn("forgetme", citizens_private)
        self.assertNotIn("forgetme", citizens_group)
        self.assertNotIn("grant", citizens_private + citizens_group)
        self.assertEqual(len(lists), 8, sorted(lists))
        # Revoked while the bot was down (here: in the database): the next
        # start withdraws her list.
        self.bot.stop()
        con = sqlite3.connect(self.bot.db_path)
        con.execute("UPDATE users SET role = 'citizen' WHERE id = 501")
        con.commit()
        con.close()
        self.bot.start()
        wait_until(lambda: ("chat", 501) not in [
            (e["scope"]["type"], e["scope"].get("chat_id"))
            for e in self.fake.commands()], what="list withdrawn")
        self.assertEqual(self.bot.query(
            "SELECT value FROM bot_state WHERE key = 'menu_chats'"),
            [("[1]",)])

    def test_organiser_menu_after_first_start(self):
        self.bot.start()
        stranger = {"message_id": 8, "date": int(time.time()),
                    "chat": {"id": GROUP, "type": "group", "title": "НКО"},
                    "from": person(self.fake, 610, "Оля"), "text": "привет"}
        self.say(ADMIN, "/grant", 1, chat_id=GROUP, chat_type="group",
                 reply_to=stranger)
        since = self.fake.sent()[-1]["seq"]
        self.say(610, "/start", 1, first_name="Оля")
        calls = wait_until(lambda: (lambda c: c if len(c) >= 2 else None)(
            [c for c in self.menu_calls(since)
             if c["params"].get("scope", {}).get("chat_id") == 610]),
            what="her menu after /start")
        self.assertEqual(calls[0]["method"], "setMyCommands")


class LeadersGroup(RolesBase):
    def leaders(self):
        try:
            rows = self.bot.query(
                "SELECT value FROM bot_state WHERE key = 'leaders_chat_id'")
        except sqlite3.Error:
            return None  # not created yet
        return int(rows[0][0]) if rows else None

    def test_setgroup_only_by_admin_in_a_group(self):
        self.bot.start()
        [t] = self.say(700, "/setgroup", 1, chat_id=GROUP, chat_type="group")
        self.assertIn("только администраторам", t)
        self.assertIsNone(self.leaders())
        [t] = self.say(ADMIN, "/setgroup", 1)
        self.assertIn("работает только в группе", t)
        self.assertIsNone(self.leaders())
        [t] = self.say(ADMIN, "/setgroup", 1, chat_id=GROUP, chat_type="group",
                       chat_title="Руководители НКО")
        self.assertIn("эта группа — группа руководителей", t)
        self.assertEqual(self.leaders(), GROUP)
        self.assertEqual(self.bot.query(
            "SELECT id FROM chats WHERE is_leaders_group = 1"), [(GROUP,)])
        [t] = self.say(ADMIN, "/setgroup", 1, chat_id=GROUP, chat_type="group",
                       chat_title="Руководители НКО")
        self.assertIn("уже зарегистрирована", t)
        # Another group takes over; the old one is named (escaped).
        [t] = self.say(ADMIN, "/setgroup@dobro_test_bot", 1, chat_id=-4002,
                       chat_type="group", chat_title="Вторая <группа>")
        self.assertIn("Прежняя группа («Руководители НКО»)", t)
        self.assertEqual(self.leaders(), -4002)
        self.assertEqual(self.bot.query(
            "SELECT id FROM chats WHERE is_leaders_group = 1"), [(-4002,)])
        self.assertIn("leaders' group is now -4002 (was -4001), set by 1",
                      self.bot.log())
        # The leaders' group has the organisers' group commands in its menu
        # (when they are more than the citizens'); the old group loses them.
        organisers = self.expected("group", "organiser")
        if organisers != self.expected("group", "citizen"):
            def scopes():
                return {(e["scope"].get("chat_id"), e["language_code"]):
                        [c["command"] for c in e["commands"]]
                        for e in self.fake.commands()
                        if e["scope"]["type"] == "chat"}
            wait_until(lambda: (-4002, "en") in scopes() and
                       (GROUP, "en") not in scopes(), what="group menus")
            self.assertEqual(scopes()[(-4002, "")], organisers)

    def test_migration_service_message(self):
        self.bot.start()
        self.say(ADMIN, "/setgroup", 1, chat_id=GROUP, chat_type="group")
        upd = self.fake.message(ADMIN, "", chat_id=GROUP, chat_type="group")
        del upd["message"]["text"]
        upd["message"]["migrate_to_chat_id"] = SUPERGROUP
        self.fake.queue(upd)
        wait_until(lambda: self.leaders() == SUPERGROUP, what="moved")
        self.assertEqual(self.bot.query(
            "SELECT id, type, is_leaders_group, active FROM chats"
            " WHERE id IN (?, ?) ORDER BY id", SUPERGROUP, GROUP),
            [(SUPERGROUP, "supergroup", 1, 1), (GROUP, "group", 0, 0)])
        [t] = self.say(ADMIN, "/setgroup", 1, chat_id=SUPERGROUP,
                       chat_type="supergroup")
        self.assertIn("уже зарегистрирована", t)

    def test_migration_of_a_configured_group_by_service_message(self):
        self.bot.config["leaders_chat_id"] = GROUP
        with open(self.bot.config_path, "w") as f:
            json.dump(self.bot.config, f)
        self.bot.start()
        upd = self.fake.message(ADMIN, "", chat_id=SUPERGROUP,
                                chat_type="supergroup")
        del upd["message"]["text"]
        upd["message"]["migrate_from_chat_id"] = GROUP
        self.fake.queue(upd)
        wait_until(lambda: self.leaders() == SUPERGROUP, what="moved")

    def test_migration_learnt_from_a_400(self):
        self.bot.start()
        self.say(ADMIN, "/start", 1)
        self.fake.chat(GROUP, migrate_to=SUPERGROUP)
        # The confirmation to the old group gets 400 with
        # migrate_to_chat_id: the group moves and the message follows it.
        self.fake.send_text(ADMIN, "/setgroup", chat_id=GROUP, chat_type="group")
        [r] = self.wait_replies(1, chat_id=SUPERGROUP)
        self.assertIn("группа руководителей", r["params"]["text"])
        self.assertEqual(self.leaders(), SUPERGROUP)

    def test_configured_group_migrated_by_a_400(self):
        self.bot.config["leaders_chat_id"] = GROUP
        with open(self.bot.config_path, "w") as f:
            json.dump(self.bot.config, f)
        self.bot.start()
        self.fake.chat(GROUP, migrate_to=SUPERGROUP)
        self.fake.send_text(700, "/help", chat_id=GROUP, chat_type="group")
        self.wait_replies(1, chat_id=SUPERGROUP)
        # The configured id now leads to the supergroup.
        [t] = self.say(ADMIN, "/setgroup", 1, chat_id=SUPERGROUP,
                       chat_type="supergroup")
        self.assertIn("уже зарегистрирована", t)

    def test_removed_from_the_leaders_group(self):
        self.bot.start()
        self.say(ADMIN, "/start", 1)
        self.say(ADMIN, "/setgroup", 1, chat_id=GROUP, chat_type="group",
                 chat_title="Совет <НКО>")
        # Removed from some other group: nobody is bothered.
        self.fake.queue(self.fake.my_chat_member(
            800, chat_id=-4999, chat_type="group", new_status="left"))
        self.fake.queue(self.fake.my_chat_member(
            800, chat_id=GROUP, chat_type="group", chat_title="Совет <НКО>",
            first_name="Пётр & Ко", new_status="kicked"))
        [r] = self.wait_replies(2, chat_id=ADMIN)[1:]
        t = r["params"]["text"]
        self.assertIn("Меня удалили из группы руководителей «Совет &lt;НКО&gt;»", t)
        self.assertIn("<b>Пётр &amp; Ко</b> (id 800)", t)
        self.assertIn("/setgroup", t)
        time.sleep(0.3)
        self.assertEqual(len(self.replies(chat_id=ADMIN)), 2)
        self.assertEqual(self.bot.query(
            "SELECT active FROM chats WHERE id = ?", GROUP), [(0,)])
        # Added back: the same group works again, nothing to re-register.
        self.fake.queue(self.fake.my_chat_member(
            800, chat_id=GROUP, chat_type="group", old_status="left",
            new_status="member"))
        wait_until(lambda: self.bot.query(
            "SELECT active FROM chats WHERE id = ?", GROUP) == [(1,)],
            what="active again")
        self.assertEqual(self.leaders(), GROUP)
