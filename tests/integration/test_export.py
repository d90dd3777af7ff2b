"""Exports against the fake Bot API: /export sends the organiser a CSV
document that a real CSV reader (Python's csv module, ';', after the BOM)
reads back equal to the database — names with quotes, semicolons, newlines
and formula starters included, named only as each contributor allowed;
`dobrobot export` writes the same bytes, JSON, and a whole period's pledges
across actions."""

import csv
import datetime
import io
import json
import re
import subprocess
import zoneinfo

from lib.actionkit import LEADERS, ORGANISER, ActionsCase
from lib.daemon import dobrobot_bin, wait_until

TZ = zoneinfo.ZoneInfo("Asia/Yakutsk")  # the daemon's default time zone
BOM = "\ufeff"
HEADER = ["№ обещания", "Дата", "№ акции", "Акция", "Участник", "Вид помощи",
          "Что", "Обещано", "Получено", "Ед.", "Статус", "Дата получения",
          "Организация"]
KIND = {"money": "деньги", "goods": "вещи", "time": "время"}
STATUS = {"pledged": "ждём", "received": "получено", "withdrawn": "отменено",
          "lapsed": "не пришло"}
# Contributors whose names a spreadsheet could misread.
PEOPLE = [
    (601, 'Иван "Ваня"', "Петров", "1500,50"),
    (602, "Ольга; Мария", None, "5 одеял"),
    (603, "Анна\nБелова", None, "время"),
    (604, '=HYPERLINK("http://evil.example";"клик")', None, "700"),
    (605, "-Пётр", "+Сидоров", "300"),
    (606, "@admin", None, "2000 анонимно"),
    (607, "Мария", "Иванова", "3 кг крупы"),
]


def local(ms, fmt):
    return datetime.datetime.fromtimestamp(ms / 1000, TZ).strftime(fmt)


def rubles(k):
    return "%d,%02d" % divmod(k, 100)


def guarded(s):
    return "'" + s if s[:1] in ("=", "+", "-", "@", "\t", "\r") else s


class ExportCase(ActionsCase):
    def pledge(self, user, aid, what, first, last=None):
        """A quick pledge by someone who lets their name be shown."""
        return super().pledge(user, aid, what, show_name=True,
                              first_name=first, last_name=last)

    def populate(self):
        aid = self.announce(title='Сбор "Тепло"; зима')
        ids = {}
        for uid, first, last, what in PEOPLE:
            ids[uid] = self.pledge(uid, aid, what, first, last)
        for pid, extra in ((ids[601], "1000"), (ids[602], "4"),
                           (ids[603], "3"), (ids[606], "")):
            n = self.say(ORGANISER, ("/received %d %s" % (pid, extra)).strip())
            self.wait_reply(ORGANISER, "№%d отмечено полученным" % pid, n)
        n = self.say(605, "/unpledge %d" % ids[605])
        self.wait_reply(605, "отменено", n)
        return aid, ids

    def expected(self, where="p.action_id = ?", *args):
        """The CSV rows the database says there should be."""
        rows = self.bot.query(
            "SELECT p.id, p.created_at, p.action_id, a.title, p.anonymous,"
            " p.display_name, p.kind, n.item, n.unit, p.amount,"
            " p.received_amount, p.status, p.received_at, o.name"
            " FROM pledges p JOIN actions a ON a.id = p.action_id"
            " LEFT JOIN orgs o ON o.id = a.org_id"
            " LEFT JOIN needs n ON n.id = p.need_id WHERE " + where +
            " ORDER BY p.id", *args)
        out = []
        for (pid, created, aid, title, anon, name, kind, item, unit, amount,
             got, status, got_at, org) in rows:
            came = status == "received"
            if kind == "money":
                what, promised = "", rubles(amount)
                received = rubles(got or amount) if came else ""
                unit = "руб."
            elif kind == "goods":
                what, promised = item, str(amount)
                received = str(got or amount) if came else ""
                unit = unit or ""
            else:
                what, promised, unit = "волонтёр", "", "ч"
                received = str(got) if came and got else ""
            out.append([str(pid), local(created, "%d.%m.%Y %H:%M"), str(aid),
                        guarded(title), guarded("аноним" if anon else name),
                        KIND[kind], guarded(what), promised, received, unit,
                        STATUS[status],
                        local(got_at, "%d.%m.%Y %H:%M") if came else "",
                        guarded(org or "")])
        return out

    def cli(self, *args):
        """`dobrobot export` with its raw stdout bytes."""
        return subprocess.run(
            [dobrobot_bin(), "export", "--config", self.bot.config_path,
             *args], env=self.bot.env(), capture_output=True, timeout=30)


def read_csv(text):
    assert text.startswith(BOM), text[:10]
    return list(csv.reader(io.StringIO(text[1:], newline=""), delimiter=";"))


class ExportDocument(ExportCase):
    def test_csv_document_reads_back_equal_to_the_database(self):
        self.bot.start()
        aid, ids = self.populate()
        n = self.count(ORGANISER)
        self.say(ORGANISER, "/export %d" % aid)
        [doc] = self.fake.wait_sent(method="sendDocument", timeout=20)
        self.assertEqual(doc["status"], 200)
        self.assertEqual(doc["params"]["chat_id"], ORGANISER)
        f = doc["params"]["document"]
        self.assertEqual(f["filename"], "dobrobot-action-%d.csv" % aid)
        self.assertIn("Обещания по акции №%d «Сбор &quot;Тепло&quot;; "
                      "зима»: 7." % aid, doc["params"]["caption"])
        content = f["content"]
        # Excel's rules: BOM, ';', CRLF; a newline inside a name stays
        # inside its quoted field.
        self.assertTrue(content.startswith(BOM + "№ обещания;Дата;"))
        self.assertTrue(content.endswith("\r\n"))
        self.assertEqual(content.count("\n"), content.count("\r\n") + 1)
        self.assertIn('"Анна\nБелова"', content)
        self.assertIn('"\'=HYPERLINK(""http://evil.example"";""клик"")"',
                      content)
        rows = read_csv(content)
        self.assertEqual(rows[0], HEADER)
        self.assertEqual(rows[1:], self.expected("p.action_id = ?", aid))
        by_id = {r[0]: r for r in rows[1:]}
        self.assertEqual(by_id[str(ids[601])][4], 'Иван "Ваня" П.')
        self.assertEqual(by_id[str(ids[601])][7:10], ["1500,50", "1000,00",
                                                      "руб."])
        self.assertEqual(by_id[str(ids[602])][4], "Ольга; Мария")
        self.assertEqual(by_id[str(ids[602])][6:10], ["тёплые одеяла", "5",
                                                      "4", "шт"])
        self.assertEqual(by_id[str(ids[603])][6:11], ["волонтёр", "", "3",
                                                      "ч", "получено"])
        self.assertEqual(by_id[str(ids[604])][4],
                         '\'=HYPERLINK("http://evil.example";"клик")')
        self.assertEqual(by_id[str(ids[605])][4], "'-Пётр +.")
        self.assertEqual(by_id[str(ids[605])][10], "отменено")
        self.assertEqual(by_id[str(ids[606])][4], "аноним")
        self.assertNotIn("@admin", content)
        self.assertEqual(by_id[str(ids[607])][10], "ждём")
        # Once sent, the outbox keeps no copy of the names.
        wait_until(lambda: self.bot.query(
            "SELECT state, payload FROM outbox WHERE kind = 'export'") == [
                ("sent", '{"_upload": "dropped once done"}')],
            what="the export's content dropped from the outbox")
        # The command line writes the very same bytes.
        r = self.cli("--action", str(aid))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout, content.encode())
        # Refusals.
        self.assertEqual(self.count(ORGANISER), n)
        empty = self.announce(title="Пустая")
        n = self.say(ORGANISER, "/export %d" % empty, "/export", "/export 99")
        self.wait_reply(ORGANISER, "пока нет обещаний — выгружать нечего", n)
        self.wait_reply(ORGANISER, "Напишите номер акции, например: /export "
                        "12", n)
        self.wait_reply(ORGANISER, "Акции №99 нет", n)
        n = self.say(601, "/export %d" % aid)
        self.wait_reply(601, "доступна только организаторам", n)
        n = self.say(ORGANISER, "/export %d" % aid, chat_id=LEADERS,
                     chat_type="supergroup")
        self.wait_reply(LEADERS, "в личном чате", n)
        self.assertEqual(len(self.fake.sent(method="sendDocument")), 1)


class ExportCommandLine(ExportCase):
    def test_json_period_and_errors(self):
        self.bot.start()
        aid, ids = self.populate()
        other = self.announce(title="Вторая акция", goal="1000",
                              goods="нет", volunteers="нет")
        late = self.pledge(611, other, "250", "Зоя")
        # Move some pledges into 2024: one mid-year, one late on the last
        # day (--to is inclusive), one just after New Year (excluded).
        def at(y, mo, d, h, mi):
            return int(datetime.datetime(y, mo, d, h, mi, tzinfo=TZ)
                       .timestamp() * 1000)
        self.write_db("UPDATE pledges SET created_at = ? WHERE id = ?",
                      at(2024, 6, 15, 12, 0), ids[601])
        self.write_db("UPDATE pledges SET created_at = ? WHERE id = ?",
                      at(2024, 12, 31, 23, 30), late)
        self.write_db("UPDATE pledges SET created_at = ? WHERE id = ?",
                      at(2025, 1, 1, 0, 10), ids[602])
        r = self.cli("--from", "2024-01-01", "--to", "2024-12-31")
        self.assertEqual(r.returncode, 0, r.stderr)
        rows = read_csv(r.stdout.decode())
        self.assertEqual([row[0] for row in rows[1:]],
                         [str(ids[601]), str(late)])
        self.assertEqual(rows[1:], self.expected(
            "p.id IN (?, ?)", ids[601], late))
        self.assertEqual(rows[1][1], "15.06.2024 12:00")
        # JSON: kopecks, null for the anonymous, stored names of kinds.
        r = self.cli("--action=%d" % aid, "--format", "json")
        self.assertEqual(r.returncode, 0, r.stderr)
        doc = json.loads(r.stdout)
        self.assertEqual(doc["money_unit"], "kopecks")
        self.assertEqual(doc["filter"]["action_id"], aid)
        p = {x["id"]: x for x in doc["pledges"]}
        self.assertEqual(sorted(p), sorted(ids.values()))
        self.assertEqual((p[ids[601]]["promised"], p[ids[601]]["received"],
                          p[ids[601]]["kind"], p[ids[601]]["status"]),
                         (150050, 100000, "money", "received"))
        self.assertEqual(p[ids[601]]["created_at"], "2024-06-15T12:00:00+09:00")
        self.assertIsNone(p[ids[606]]["contributor"])
        self.assertEqual(p[ids[603]]["contributor"], "Анна\nБелова")
        self.assertEqual((p[ids[603]]["promised"], p[ids[603]]["received"]),
                         (1, 3))
        self.assertIsNone(p[ids[607]]["received_at"])
        self.assertEqual(p[ids[602]]["item"], "тёплые одеяла")
        # Everything, when nothing narrows it.
        r = self.cli()
        self.assertEqual(len(read_csv(r.stdout.decode())), 1 + len(ids) + 1)
        # Mistakes: usage errors exit 2, a missing action 1.
        for args, code, says in (
                (["--format", "xml"], 2, "--format is csv or json"),
                (["--from", "2024-02-30"], 2, "YYYY-MM-DD"),
                (["--from", "01.02.2024"], 2, "YYYY-MM-DD"),
                (["--from", "2024-05-01", "--to", "2024-04-01"], 2,
                 "--to is before --from"),
                (["--action", "x"], 2, "--action needs"),
                (["--action"], 2, "a value is missing after \"--action\""),
                (["--bogus"], 2, "unexpected argument"),
                (["--action", "999"], 1, "there is no such action")):
            r = self.cli(*args)
            self.assertEqual(r.returncode, code, (args, r.stderr))
            self.assertIn(says, r.stderr.decode(), args)
            self.assertEqual(r.stdout, b"", args)
