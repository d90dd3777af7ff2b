"""Reminders of pledged time and goods on a fake clock (the daemon's wall
clock is shifted through $DOBROBOT_CLOCK_OFFSET_FILE): they fire at the
right moments, once, move with an edited date, vanish when the action
closes or the pledge is withdrawn; and the weekly digest for the leaders'
group."""

import datetime
import os
import sqlite3
import time
import zoneinfo

from lib.daemon import BotTestCase, Daemon, wait_until

TZ = zoneinfo.ZoneInfo("Asia/Yakutsk")  # the daemon's default time zone
LEADERS = -1009876543
NBSP = "\u00a0"
JOB_S = 5  # the reminders job runs every 5 s
DIGEST_S = 2  # the digest job every 2 s


def local(ts):
    return datetime.datetime.fromtimestamp(ts, TZ)


def evening_before(ts):
    d = local(ts) - datetime.timedelta(days=1)
    return int(d.replace(hour=18, minute=0, second=0).timestamp())


def day_at(days_ahead, hour, minute=0):
    """Unix seconds of hh:mm local time `days_ahead` days from today."""
    d = datetime.datetime.now(TZ) + datetime.timedelta(days=days_ahead)
    return int(d.replace(hour=hour, minute=minute, second=0,
                         microsecond=0).timestamp())


class ClockCase(BotTestCase):
    def setUp(self):
        super().setUp()
        self.offset_path = os.path.join(self.tmp.name, "clock-offset")
        self.set_clock(None)
        self.bot = Daemon(self.tmp.name, self.fake.base_url, self.config,
                          env={"DOBROBOT_CLOCK_OFFSET_FILE": self.offset_path})
        r = self.bot.run_cli("migrate", "--config", self.bot.config_path)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.con = sqlite3.connect(self.bot.db_path, timeout=10,
                                   isolation_level=None)

    def tearDown(self):
        self.con.close()
        super().tearDown()

    def set_clock(self, unix_s):
        """Makes the daemon's wall clock read unix_s now (None: real time)."""
        off = 0 if unix_s is None else int(unix_s - time.time())
        with open(self.offset_path + ".tmp", "w") as f:
            f.write("%d\n" % off)
        os.replace(self.offset_path + ".tmp", self.offset_path)

    def sql(self, sql, *args):
        cur = self.con.execute(sql, args)
        return cur.lastrowid

    def user(self, uid, lang="ru", name="Иван"):
        now = int(time.time() * 1000)
        self.sql("INSERT INTO users(id, first_name, language, created_at,"
                 " updated_at, subscribe_asked) VALUES (?, ?, ?, ?, ?, 1)",
                 uid, name, lang, now, now)
        self.sql("INSERT INTO chats(id, type, created_at, updated_at)"
                 " VALUES (?, 'private', ?, ?)", uid, now, now)

    def action(self, title, starts_at, place="ул. Ленина, 5", goal=None,
               volunteers=None, created_ms=None, status="open"):
        now = created_ms or int(time.time() * 1000)
        return self.sql(
            "INSERT INTO actions(author_id, title, description, direction,"
            " starts_at, place, goal_kopecks, volunteers_needed, status,"
            " created_at, updated_at, closed_at)"
            " VALUES (1, ?, 'описание', 'социальное', ?, ?, ?, ?, ?, ?, ?, ?)",
            title, starts_at, place, goal, volunteers, status, now, now,
            now if status == "closed" else None)

    def need(self, action, item, unit, qty, pos=0):
        return self.sql("INSERT INTO needs(action_id, position, item, unit,"
                        " quantity) VALUES (?, ?, ?, ?, ?)",
                        action, pos, item, unit, qty)

    def pledge(self, action, user, kind, amount=1, need=None,
               status="pledged", created_ms=None, received=None):
        now = created_ms or int(time.time() * 1000)
        return self.sql(
            "INSERT INTO pledges(action_id, user_id, kind, need_id, amount,"
            " status, received_amount, received_at, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            action, user, kind, need, amount, status, received,
            now if status == "received" else None, now, now)

    def reminder_rows(self, pledge=None):
        q = ("SELECT ref_id, coalesce_key, not_before, state FROM outbox"
             " WHERE ref_type = 'reminder'")
        if pledge is not None:
            q += " AND ref_id = %d" % pledge
        return self.bot.query(q + " ORDER BY id")

    def texts(self, chat_id):
        return [s["params"]["text"] for s in self.replies(chat_id=chat_id)]


class Reminders(ClockCase):
    def test_fire_at_the_right_times_once(self):
        start = day_at(3, 15)  # in three days at 15:00 local
        for u in (700, 701, 702, 703):
            self.user(u)
        self.user(704, lang="en", name="Ann")
        act = self.action("Субботник в приюте «Надежда»", start)
        blankets = self.need(act, "тёплые одеяла", "шт", 20)
        p_time = self.pledge(act, 700, "time")
        p_goods = self.pledge(act, 701, "goods", 5, need=blankets)
        self.pledge(act, 702, "money", 150000)            # no reminder
        self.pledge(act, 703, "time", status="withdrawn")  # no reminder
        p_en = self.pledge(act, 704, "time")
        # A pledge for an action in 5 hours: the evening is past already.
        soon = self.action("Концерт", int(time.time()) + 5 * 3600)
        p_soon = self.pledge(soon, 702, "time")
        self.bot.start()

        eve, two_h = evening_before(start), start - 7200
        wait_until(lambda: len(self.reminder_rows()) == 6, what="6 reminders")
        self.assertEqual(self.reminder_rows(p_time), [
            (p_time, "remind:%d:day:%d" % (p_time, eve), eve * 1000, "pending"),
            (p_time, "remind:%d:2h:%d" % (p_time, two_h), two_h * 1000,
             "pending")])
        self.assertEqual(self.reminder_rows(p_goods), [
            (p_goods, "remind:%d:day:%d" % (p_goods, eve), eve * 1000,
             "pending")])
        soon_start = self.bot.query("SELECT starts_at FROM actions WHERE id = ?",
                                    soon)[0][0]
        self.assertEqual([r[1] for r in self.reminder_rows(p_soon)],
                         ["remind:%d:2h:%d" % (p_soon, soon_start - 7200)])
        time.sleep(0.5)
        self.assertEqual(self.replies(), [])  # nothing is due yet

        # Two hours before the concert.
        self.set_clock(soon_start - 7200 + 2)
        [c] = self.wait_replies(1, chat_id=702)
        self.assertIn("<b>Скоро начало:</b> <b>Концерт</b>", c["params"]["text"])

        # The evening before the clean-up, 18:00 local.
        self.set_clock(eve + 2)
        wait_until(lambda: len(self.replies()) >= 4, what="evening reminders")
        [t700] = self.replies(chat_id=700)
        text = t700["params"]["text"]
        self.assertIn("Вы записались помочь: <b>Субботник в приюте «Надежда»</b>",
                      text)
        self.assertIn("15:00", text)
        self.assertIn("ул. Ленина, 5", text)
        [btn] = [b for row in t700["params"]["reply_markup"]["inline_keyboard"]
                 for b in row]
        self.assertEqual((btn["text"], btn["callback_data"]),
                         ("Не смогу прийти", "rm:w:%d" % p_time))
        [t701] = self.replies(chat_id=701)
        self.assertIn("Вы обещали принести для акции", t701["params"]["text"])
        self.assertIn("тёплые одеяла — 5 шт", t701["params"]["text"])
        self.assertIn("Куда: ул. Ленина, 5", t701["params"]["text"])
        self.assertEqual(t701["params"]["reply_markup"]["inline_keyboard"][0][0]
                         ["text"], "Не смогу принести")
        [t704] = self.replies(chat_id=704)
        self.assertIn("You signed up to help", t704["params"]["text"])
        self.assertEqual(len(self.replies(chat_id=702)), 1)  # money: none
        self.assertEqual(self.replies(chat_id=703), [])

        # Two hours before.
        self.set_clock(two_h + 2)
        wait_until(lambda: len(self.replies(chat_id=700)) == 2,
                   what="the two-hour reminder")
        self.assertIn("Скоро начало", self.texts(700)[1])
        self.assertEqual(len(self.replies(chat_id=701)), 1)  # goods: evening only
        wait_until(lambda: len(self.replies(chat_id=704)) == 2, what="704")
        self.assertIn("Starting soon", self.texts(704)[1])

        # A restart sends nothing again, and nothing new is made.
        self.bot.stop()
        self.bot.start()
        time.sleep(1.5)
        self.assertEqual(len(self.replies(chat_id=700)), 2)
        self.assertEqual(len(self.replies(chat_id=701)), 1)
        self.assertEqual(self.bot.query(
            "SELECT state, count(*) FROM outbox WHERE ref_type = 'reminder'"
            " GROUP BY state"), [("sent", 6)])

    def test_edited_date_moves_them(self):
        start = day_at(3, 15)
        self.user(710)
        act = self.action("Сбор вещей", start)
        p = self.pledge(act, 710, "time")
        self.bot.start()
        wait_until(lambda: len(self.reminder_rows(p)) == 2, what="reminders")
        ids = [r[0] for r in self.bot.query(
            "SELECT id FROM outbox WHERE ref_type = 'reminder' ORDER BY id")]
        # The organiser moves the action a day later, to 11:30.
        new_start = day_at(4, 11, 30)
        self.sql("UPDATE actions SET starts_at = ?, version = version + 1"
                 " WHERE id = ?", new_start, act)
        new_eve, new_2h = evening_before(new_start), new_start - 7200
        wait_until(lambda: self.reminder_rows(p) == [
            (p, "remind:%d:day:%d" % (p, new_eve), new_eve * 1000, "pending"),
            (p, "remind:%d:2h:%d" % (p, new_2h), new_2h * 1000, "pending")],
            timeout=JOB_S * 3, what="moved reminders")
        # The same rows moved, none added.
        self.assertEqual([r[0] for r in self.bot.query(
            "SELECT id FROM outbox WHERE ref_type = 'reminder' ORDER BY id")],
            ids)
        # At the old time nothing comes; at the new one, the new date.
        self.set_clock(evening_before(start) + 2)
        time.sleep(1.5)
        self.assertEqual(self.replies(chat_id=710), [])
        self.set_clock(new_eve + 2)
        [r] = self.wait_replies(1, chat_id=710)
        self.assertIn("11:30", r["params"]["text"])
        # Moved once more after the evening reminder went out: the sent
        # one stays sent, and the new date gets its own.
        newer = new_start + 3600
        self.sql("UPDATE actions SET starts_at = ? WHERE id = ?", newer, act)
        wait_until(lambda: [x[1] for x in self.reminder_rows(p)
                            if x[3] == "pending"] == [
            "remind:%d:2h:%d" % (p, newer - 7200)], timeout=JOB_S * 3,
            what="the two-hour one moved")
        # The evening of the new date is the same evening: not sent again.
        self.assertEqual([x[3] for x in self.reminder_rows(p)
                          if ":day:" in x[1]], ["sent"])

    def test_closing_or_withdrawing_cancels_them(self):
        start = day_at(3, 15)
        for u in (720, 721, 722):
            self.user(u)
        act = self.action("Ремонт в приюте", start)
        other = self.action("Турнир", start)
        p1 = self.pledge(act, 720, "time")
        p2 = self.pledge(act, 721, "time")
        p3 = self.pledge(other, 722, "time")
        self.bot.start()
        wait_until(lambda: len(self.reminder_rows()) == 6, what="reminders")
        # The evening reminder of the second action comes, and 722 presses
        # «Не смогу прийти».
        self.set_clock(evening_before(start) + 2)
        [r] = self.wait_replies(1, chat_id=722)
        mid = r["response"]["result"]["message_id"]
        self.fake.press(722, "rm:w:%d" % p3, mid)
        wait_until(lambda: self.bot.query(
            "SELECT status FROM pledges WHERE id = ?", p3) == [("withdrawn",)],
            what="withdrawn")
        edit = self.fake.wait_sent(method="editMessageText")[0]
        self.assertIn("я отменил ваше обещание для акции <b>Турнир</b>",
                      edit["params"]["text"])
        self.assertEqual([x[3] for x in self.reminder_rows(p3)],
                         ["sent", "cancelled"])
        # The organiser hears of it, to find someone else.
        told = self.fake.wait_sent(
            lambda s: s["params"].get("chat_id") == 1 and "не сможет" in
            s["params"].get("text", ""), method="sendMessage")
        self.assertEqual(len(told), 1)
        self.assertIn("не сможет прийти на акцию №%d «Турнир» — обещание "
                      "№%d отменено. Волонтёров записано: 0." % (other, p3),
                      told[0]["params"]["text"])
        # Pressing again (or someone else's button) changes nothing.
        self.fake.press(722, "rm:w:%d" % p3, mid)
        self.fake.press(722, "rm:w:%d" % p1, mid)
        wait_until(lambda: len([a for a in self.fake.sent(
            method="answerCallbackQuery") if "уже отменено" in
            a["params"].get("text", "")]) == 2, what="refusals")
        self.assertEqual(self.bot.query(
            "SELECT status FROM pledges WHERE id = ?", p1), [("pledged",)])
        # The first action closes: its waiting reminders go.
        self.sql("UPDATE actions SET status = 'closed', closed_at = ?"
                 " WHERE id = ?", int(time.time() * 1000), act)
        wait_until(lambda: [x[3] for x in self.reminder_rows(p1)] ==
                   ["sent", "cancelled"] and
                   [x[3] for x in self.reminder_rows(p2)] ==
                   ["sent", "cancelled"], timeout=JOB_S * 3,
                   what="cancelled reminders")
        self.set_clock(start - 7200 + 2)
        time.sleep(1.5)
        self.assertEqual(len(self.replies(chat_id=720)), 1)
        self.assertEqual(len(self.replies(chat_id=721)), 1)
        self.assertEqual(len(self.replies(chat_id=722)), 1)
        self.assertEqual(len([s for s in self.replies(chat_id=1)
                              if "не сможет" in s["params"]["text"]]), 1)


class WeeklyDigest(ClockCase):
    config = {"leaders_chat_id": LEADERS}

    def test_digest_once_a_week(self):
        # The next Monday of another ISO week, 10:00:30 local.
        today = datetime.datetime.now(TZ)
        monday = (today - datetime.timedelta(days=today.weekday()) +
                  datetime.timedelta(days=7)).replace(hour=10, minute=0,
                                                      second=30, microsecond=0)
        target = int(monday.timestamp())
        in_week = (target - 86400) * 1000  # a day before the digest
        old = (target - 10 * 86400) * 1000  # before the week
        for u in range(730, 736):
            self.user(u)
        self.sql("UPDATE users SET created_at = ?", in_week)
        self.sql("UPDATE users SET created_at = ? WHERE id IN (730, 731)", old)
        act = self.action("Тёплые вещи для приюта", target + 3 * 86400,
                          goal=5000000, volunteers=10, created_ms=in_week)
        blankets = self.need(act, "одеяла", "шт", 20, 0)
        grain = self.need(act, "крупа", "кг", 50, 1)
        self.action("Фестиваль", target - 3 * 86400, status="closed",
                    created_ms=old)
        self.sql("UPDATE actions SET closed_at = ? WHERE status = 'closed'",
                 in_week)
        self.pledge(act, 730, "money", 1250000, created_ms=in_week)
        self.pledge(act, 731, "money", 800000, status="received",
                    received=800000, created_ms=in_week)
        for u in (732, 733, 734):
            self.pledge(act, u, "time", created_ms=in_week)
        self.pledge(act, 735, "goods", 5, need=blankets, created_ms=in_week)
        self.pledge(act, 730, "goods", 10, need=grain, status="received",
                    received=10, created_ms=in_week)
        self.pledge(act, 731, "money", 100, status="withdrawn",
                    created_ms=in_week)
        self.sql("UPDATE pledges SET received_at = ? WHERE status = 'received'",
                 in_week)
        self.bot.start()
        # The first run only notes the week it started in.
        wait_until(lambda: self.bot.query(
            "SELECT value FROM bot_state WHERE key = 'digest_week'"),
            what="digest_week")
        self.set_clock(target)
        [d] = wait_until(lambda: self.replies(chat_id=LEADERS),
                         timeout=DIGEST_S * 3, what="the digest")
        text = d["params"]["text"]
        self.assertIn("<b>Неделя добрых дел</b>", text)
        self.assertIn("<b>Открытые акции: 1</b>", text)
        self.assertIn("• <b>Тёплые вещи для приюта</b> (социальное)", text)
        money = "20" + NBSP + "500" + NBSP + "₽ из 50" + NBSP + "000" + NBSP + "₽"
        self.assertIn(money, text)
        self.assertIn("41%", text)
        self.assertIn("(получено 8" + NBSP + "000" + NBSP + "₽)", text)
        self.assertIn("Волонтёры: 3 из 10", text)
        self.assertIn("одеяла: 5 из 20 шт; крупа: 10 из 50 кг", text)
        self.assertIn("<b>За неделю</b>", text)
        self.assertIn("Новых обещаний: 7 — деньгами 2, вещами 2, временем 3",
                      text)
        self.assertIn("Получено обещаний: 2, из них деньгами 8" + NBSP + "000",
                      text)
        self.assertIn("Пришло: крупа: 10 кг", text)
        self.assertIn("Записались волонтёрами: 3", text)
        self.assertIn("Новых людей в боте: 4", text)
        self.assertIn("Акций начато: 1, завершено: 1", text)
        iso = monday.isocalendar()
        self.assertEqual(self.bot.query(
            "SELECT value FROM bot_state WHERE key = 'digest_week'"),
            [("%d-W%02d" % (iso[0], iso[1]),)])
        # Later the same day and after a restart: still one.
        self.set_clock(target + 3600)
        self.bot.stop()
        self.bot.start()
        time.sleep(DIGEST_S + 1)
        self.assertEqual(len(self.replies(chat_id=LEADERS)), 1)
        # The next week brings the next one.
        self.set_clock(target + 7 * 86400)
        wait_until(lambda: len(self.replies(chat_id=LEADERS)) == 2,
                   timeout=DIGEST_S * 3, what="the next week's digest")

    def test_not_before_the_hour(self):
        today = datetime.datetime.now(TZ)
        monday = (today - datetime.timedelta(days=today.weekday()) +
                  datetime.timedelta(days=7)).replace(hour=9, minute=59,
                                                      second=0, microsecond=0)
        self.user(740)
        self.action("Акция", int(monday.timestamp()) + 86400)
        self.bot.start()
        wait_until(lambda: self.bot.query(
            "SELECT value FROM bot_state WHERE key = 'digest_week'"),
            what="digest_week")
        self.set_clock(int(monday.timestamp()))  # 09:59 on Monday
        time.sleep(DIGEST_S + 1)
        self.assertEqual(self.replies(chat_id=LEADERS), [])
        self.set_clock(int(monday.timestamp()) + 90)  # 10:00:30
        wait_until(lambda: self.replies(chat_id=LEADERS), timeout=DIGEST_S * 3,
                   what="the digest at 10:00")


class DigestDisabled(ClockCase):
    config = {"leaders_chat_id": LEADERS, "digest": {"enabled": False}}

    def test_disabled(self):
        today = datetime.datetime.now(TZ)
        monday = (today - datetime.timedelta(days=today.weekday()) +
                  datetime.timedelta(days=7)).replace(hour=10, minute=0,
                                                      second=30, microsecond=0)
        self.user(750)
        self.action("Акция", int(monday.timestamp()) + 86400)
        self.bot.start()
        self.set_clock(int(monday.timestamp()))
        time.sleep(DIGEST_S + 1)
        self.assertEqual(self.replies(chat_id=LEADERS), [])
