"""Issue 18 through the bot: dates, money and goods as people type them.
The wizard's date step («в субботу в 10», «завтра утром», «25 декабря» then
«10:00», a day gone this year asked about), /edit's date, /pledge with
«1,5 тыс», and a list of goods in one pledge. Dates are checked against
the bot's zone (Asia/Yakutsk) and today's date, so the test holds on any
day it runs."""

import json
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from lib.actionkit import NBSP, ORGANISER, ActionsCase, buttons, rub

YKT = ZoneInfo("Asia/Yakutsk")
MONTHS = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля",
          "августа", "сентября", "октября", "ноября", "декабря"]
WDAYS = ["пн", "вт", "ср", "чт", "пт", "сб", "вс"]


def today():
    return datetime.now(YKT).date()


def ru_day(d, weekday=True):
    """The day as when_format writes it: «5 декабря (сб)», with the year
    when it is not this one."""
    s = "%d %s" % (d.day, MONTHS[d.month - 1])
    if d.year != today().year:
        s += " %d" % d.year
    return s + (" (%s)" % WDAYS[d.weekday()] if weekday else "")


def epoch(d, hour, minute=0):
    return int(datetime(d.year, d.month, d.day, hour, minute,
                        tzinfo=YKT).timestamp())


def next_weekday(wday, after):
    """The first day after `after` that is weekday wday (0 Monday)."""
    ahead = (wday - after.weekday()) % 7 or 7
    return after + timedelta(days=ahead)


class InputDates(ActionsCase):

    def wizard_to_date_step(self):
        n = self.say(ORGANISER, "/announce", "Субботник",
                     "Убираем двор приюта.", "социальное")
        self.wait_reply(ORGANISER, "Когда?", n)
        self.assertEqual(self.conversation(ORGANISER), ("announce", "when"))

    def starts_at(self, action_id):
        return self.bot.query("SELECT starts_at FROM actions WHERE id = ?",
                              action_id)[0][0]

    def edit_date(self, action_id, *texts):
        """Opens /edit's date question and sends texts, waiting for a reply
        to each; returns the replies' texts."""
        n = self.say(ORGANISER, "/edit %d" % action_id)
        menu = self.wait_reply(ORGANISER, "Что изменить", n)
        n = self.press(ORGANISER, "ae:%d:3" % action_id,
                       self.message_id(menu))
        self.wait_reply(ORGANISER, "Когда?", n)
        out = []
        for t in texts:
            n = self.say(ORGANISER, t)
            out.append(self.wait_reply(ORGANISER, lambda r: True, n))
        return out

    def test_wizard_date_step_speaks_like_people(self):
        self.prepare()
        self.bot.start()
        t0 = today()
        # «в субботу в 10»: the next Saturday, 10:00; the wizard goes on.
        self.wizard_to_date_step()
        n = self.say(ORGANISER, "в субботу в 10")
        self.wait_reply(ORGANISER, "Шаг 5 из 8", n)
        self.assertEqual(self.conversation(ORGANISER), ("announce", "place"))
        # Back to the date from the preview is long; a new wizard instead.
        self.say(ORGANISER, "/cancel")
        # «завтра утром»: 10:00, and the bot says it assumed the hour.
        self.wizard_to_date_step()
        n = self.say(ORGANISER, "завтра утром")
        r = self.wait_reply(ORGANISER, "Записал", n)["params"]["text"]
        tomorrow = t0 + timedelta(days=1)
        self.assertEqual(
            r, "🗓 Записал: %s, 10:00 — точное время не указано, поставил "
            "10:00. Если нужно другое, измените дату в конце («Изменить»)."
            % ru_day(tomorrow))
        self.wait_reply(ORGANISER, "Шаг 5 из 8", n)
        self.say(ORGANISER, "/cancel")
        # A day alone, then a time alone: one date, not two refusals.
        self.wizard_to_date_step()
        day = t0 + timedelta(days=20)
        n = self.say(ORGANISER, "%d %s" % (day.day, MONTHS[day.month - 1]))
        r = self.wait_reply(ORGANISER, "Записал день", n)
        self.assertEqual(r["params"]["text"],
                         "Записал день: %s. Во сколько начало? Например: "
                         "<i>10:00</i> или <i>в 10</i>." % ru_day(day))
        self.assertEqual(self.conversation(ORGANISER), ("announce", "when"))
        n = self.say(ORGANISER, "10:00")
        r = self.wait_reply(ORGANISER, "Записал", n)["params"]["text"]
        self.assertEqual(r, "🗓 Записал: %s, 10:00." % ru_day(day))
        self.wait_reply(ORGANISER, "Шаг 5 из 8", n)
        self.assertEqual(self.conversation(ORGANISER), ("announce", "place"))
        # The rest, to publication: the date is the one put together.
        n = self.say(ORGANISER, "-", "-", "-", "-")
        preview = self.wait_reply(ORGANISER, lambda r: "an:pub" in json.dumps(
            r["params"].get("reply_markup")), n)
        self.assertIn("🗓 %s, 10:00" % ru_day(day), preview["params"]["text"])
        n = self.press(ORGANISER, "an:pub", self.message_id(preview))
        self.wait_reply(ORGANISER, "Опубликовано", n)
        self.assertEqual(self.starts_at(1), epoch(day, 10))

    def test_edit_date_forms_and_a_day_gone_this_year(self):
        self.prepare()
        self.bot.start()
        aid = self.announce()
        t0 = today()
        # «20.12 10-00», «15/12 14:00»: dashes and slashes.
        d = date(t0.year, 12, 20)
        if d <= t0 + timedelta(days=1):
            d = date(t0.year + 1, 12, 20)
        typed = "20.12 10-00" if d.year == t0.year else "20.12.%d 10-00" % d.year
        r = self.edit_date(aid, typed)[0]["params"]["text"]
        self.assertIn("Готово: акция №%d обновлена" % aid, r)
        self.assertEqual(self.starts_at(aid), epoch(d, 10))
        d = t0 + timedelta(days=10)
        r = self.edit_date(aid, "%d/%d 14:00" % (d.day, d.month))[0]
        self.assertIn("Готово", r["params"]["text"])
        self.assertEqual(self.starts_at(aid), epoch(d, 14))
        # «в воскресенье в 11:00», «завтра в 10».
        self.edit_date(aid, "в воскресенье в 11:00")
        self.assertEqual(self.starts_at(aid),
                         epoch(next_weekday(6, t0), 11))
        self.edit_date(aid, "завтра в 10")
        self.assertEqual(self.starts_at(aid),
                         epoch(t0 + timedelta(days=1), 10))
        # A time first, then the day: «в 10», then «в субботу».
        r = self.edit_date(aid, "10 утра")[0]["params"]["text"]
        self.assertEqual(r, "Время — 10:00. А какого числа? Например: "
                         "<i>25.12</i> или <i>в субботу</i>.")
        n = self.say(ORGANISER, "в субботу")
        self.wait_reply(ORGANISER, "Готово", n)
        self.assertEqual(self.starts_at(aid), epoch(next_weekday(5, t0), 10))
        # Yesterday without a year: a question, not a silent next year.
        y = t0 - timedelta(days=1)
        before = self.starts_at(aid)
        r = self.edit_date(aid, "%d %s" % (y.day, MONTHS[y.month - 1]))[0]
        if y.year != t0.year:
            # 1 January: "31 декабря" is still ahead this year.
            self.assertIn("Записал день", r["params"]["text"])
            return
        meant = date(y.year + 1, y.month, y.day)
        self.assertEqual(r["params"]["text"],
                         "%s уже прошло. Вы имели в виду %s?" % (
                             ru_day(y, False), ru_day(meant, False)))
        self.assertEqual(buttons(r["params"]["reply_markup"]),
                         [("Да", "an:wy"), ("Нет", "an:wn")])
        self.assertEqual(self.starts_at(aid), before)
        n = self.press(ORGANISER, "an:wy", self.message_id(r))
        r = self.wait_reply(ORGANISER, "Записал день", n)["params"]["text"]
        self.assertIn(ru_day(meant), r)
        n = self.say(ORGANISER, "7 вечера")
        self.wait_reply(ORGANISER, "Готово", n)
        self.assertEqual(self.starts_at(aid), epoch(meant, 19))
        # «нет» forgets the question.
        r = self.edit_date(aid, "%d.%d 12:00" % (y.day, y.month))[0]
        self.assertIn("уже прошло", r["params"]["text"])
        n = self.say(ORGANISER, "нет")
        r = self.wait_reply(ORGANISER, "Напишите дату ещё раз", n)
        self.assertEqual(self.starts_at(aid), epoch(meant, 19))
        self.assertEqual(self.conversation(ORGANISER), ("edit", "when"))


class InputMoneyAndGoods(ActionsCase):

    def pledges(self):
        return self.bot.query(
            "SELECT kind, need_id, amount FROM pledges ORDER BY id")

    def test_pledge_money_as_people_write_it(self):
        self.prepare()
        self.bot.start()
        aid = self.announce()
        # «1,5 тыс» was answered as if it were goods.
        n = self.say(50, "/pledge %d 1,5 тыс" % aid)
        r = self.wait_reply(50, "Спасибо, записал", n)["params"]["text"]
        self.assertIn(": %s." % rub(150000), r)
        self.assertEqual(self.pledges(), [("money", None, 150000)])
        for i, (typed, kopecks) in enumerate([
                ("50 тыс", 5000000), ("50к", 5000000),
                ("50 т.р.", 5000000), ("50.000", 5000000),
                ("две тысячи", 200000), ("пятьсот рублей", 50000)]):
            n = self.say(51 + i, "/pledge %d %s" % (aid, typed))
            r = self.wait_reply(51 + i, "Спасибо, записал", n)
            self.assertIn(": %s." % rub(kopecks), r["params"]["text"])
            self.assertEqual(self.pledges()[-1], ("money", None, kopecks))
        # A money attempt that is not understood: a money answer.
        n = self.say(60, "/pledge %d 5 рублей 50" % aid)
        r = self.wait_reply(60, lambda r: True, n)["params"]["text"]
        self.assertTrue(r.startswith("Не понимаю сумму"), r)
        self.assertNotIn("тёплые одеяла", r)
        # «1,500»: a question, not a guess.
        n = self.say(61, "/pledge %d 1,500" % aid)
        r = self.wait_reply(61, lambda r: True, n)["params"]["text"]
        self.assertIn("это тысячи или копейки?", r)
        self.assertEqual(len(self.pledges()), 7)

    def test_goods_lists_in_one_line(self):
        self.prepare()
        self.bot.start()
        # The wizard: «одеяла - 20 шт; крупа - 50 кг» is two needs.
        aid = self.announce(goods="одеяла - 20 шт; крупа - 50 кг")
        self.assertEqual(self.bot.query(
            "SELECT item, quantity, unit FROM needs WHERE action_id = ?"
            " ORDER BY position", aid),
            [("одеяла", 20, "шт"), ("крупа", 50, "кг")])
        needs = dict(self.bot.query(
            "SELECT item, id FROM needs WHERE action_id = ?", aid))
        # /pledge: «одеяла 20 шт, крупа 50 кг» is two pledges.
        n = self.say(50, "/pledge %d одеяла 5 шт, крупа 10 кг" % aid)
        self.wait_reply(50, lambda r: "Спасибо, записал" in
                        r["params"]["text"] and "крупа" in
                        r["params"]["text"], n)
        self.assertEqual(self.pledges(), [("goods", needs["одеяла"], 5),
                                          ("goods", needs["крупа"], 10)])
        # Nothing is recorded when a part names nothing needed.
        n = self.say(51, "/pledge %d одеяла - 2 шт; гречка - 3 кг" % aid)
        r = self.wait_reply(51, lambda r: True, n)["params"]["text"]
        self.assertIn("нет «гречка»", r)
        self.assertEqual(len(self.pledges()), 2)
        # Unsure («одеяла, подушки 20 шт»): the wizard shows its reading.
        n = self.say(ORGANISER, "/announce", "Сбор", "Собираем вещи.",
                     "социальное", "-", "-", "-")
        self.wait_reply(ORGANISER, "Какие вещи нужны?", n)
        n = self.say(ORGANISER, "одеяла, подушки 20 шт")
        ask = self.wait_reply(ORGANISER, "Понял список так", n)
        self.assertEqual(
            ask["params"]["text"],
            "Понял список так:\n• одеяла, подушки — 20 шт\nВерно? Если "
            "через запятую — разные вещи, нажмите «Нет» и напишите каждую "
            "на своей строке с количеством.")
        self.assertEqual(buttons(ask["params"]["reply_markup"]),
                         [("Да", "an:wy"), ("Нет", "an:wn")])
        n = self.press(ORGANISER, "an:wn", self.message_id(ask))
        self.wait_reply(ORGANISER, "Напишите список ещё раз", n)
        n = self.say(ORGANISER, "одеяла 10 шт, подушки 20 шт")
        self.wait_reply(ORGANISER, "Шаг 8 из 8", n)
        self.assertEqual(self.conversation(ORGANISER),
                         ("announce", "volunteers"))
