"""`dobrobot import-orgs`: the council's list of NGOs, as Russian Excel
saves it (BOM, ";", CRLF, Russian headers, a services cell of several
lines in quotes), goes into the orgs table; refused rows are reported with
their line numbers and skipped while the good ones are stored; importing a
changed list (here as LibreOffice writes it: ",", LF, English headers)
updates the same organisations instead of adding them again; files that
cannot be imported are refused whole with exit status 2."""

import os

from lib.daemon import BotTestCase

BOM = "\ufeff"

# Line numbers on the right: the record starts there.
COUNCIL = "\r\n".join([
    "Название;Описание;Услуги;Телефон;Адрес;Сайт;Направления;ИНН",  # 1
    "Приют «Надежда»;Помогаем бездомным животным;\"Передержка собак",  # 2
    "Стерилизация",
    "  Поиск хозяев  \";+7 914 123-45-67;ул. Ленина, 5;nadezhda-priut.ru;"
    "социальное;1434031363",
    "\"Спортклуб \"\"Берег\"\"\";;Секция плавания;8 (41641) 2-34-56;;"
    "@bereg_club;Спорт, туризм;",  # 5
    "Клуб «Память»;Поисковый отряд;;2-34-56;-;нет;патриотическое;",  # 6
    "Центр «Опора»;Психологическая помощь;\"Консультации",  # 7
    "",
    "Группы поддержки\";+7 (924) 000-11-22, 2-11-33;пр. Мира, 1;"
    "https://opora.example.org;\"психология; социальное\";",
    "Без номера;Номер перепутали;;abc;;;;",  # 10
    "ПРИЮТ  «надежда»;Дубль;;2-34-56;;;;",  # 11
    "",  # 12: an empty line
    ";;;;;;;",  # 13: what spreadsheets leave at the end
    "",
])

# The same organisations a month later, from LibreOffice: the shelter has a
# new phone and services separated by ";" (the file's delimiter is ","),
# the club's name is written in another case. Description, address and
# link are not in this file: they keep what the first import stored.
CHANGED = "\n".join([
    "NAME,Phone,Services,Directions",
    "приют «надежда»,+7 914 999-00-00,\"Передержка собак; Стерилизация\","
    "\"социальное, психология\"",
    "\"Спортклуб \"\"Берег\"\"\",8 (41641) 2-34-56,Секция плавания,спорт",
    "КЛУБ «ПАМЯТЬ»,2-34-57,,патриотическое",
    "Центр «Опора»,2-11-33,Консультации,психология",
    "",
])


class OrgsImport(BotTestCase):
    def setUp(self):
        super().setUp()
        r = self.bot.run_cli("migrate", "--config", self.bot.config_path)
        self.assertEqual(r.returncode, 0, r.stderr)

    def write(self, name, text, encoding="utf-8"):
        path = os.path.join(self.tmp.name, name)
        with open(path, "w", encoding=encoding, newline="") as f:
            f.write(text)
        return path

    def run_import(self, *args):
        return self.bot.run_cli("import-orgs", *args, "--config",
                                self.bot.config_path)

    def orgs(self):
        return {r[1]: r for r in self.bot.query(
            "SELECT id, name, description, services, phone, address, link,"
            " directions, name_key FROM orgs ORDER BY id")}

    def test_import_then_update(self):
        path = self.write("council.csv", BOM + COUNCIL)
        r = self.run_import(path)
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertEqual(r.stdout, "imported 4 organisations: 4 new, "
                         "0 updated; 2 rows refused\n")
        err = r.stderr.splitlines()
        # The unknown column is named; each refused row has its line,
        # its column as the file names it and a sentence, without HTML.
        self.assertIn('dobrobot import-orgs: warning: columns ignored '
                      '(not known): "ИНН"', err)
        self.assertIn("line 10: Телефон: Не понимаю номер «abc». Напишите "
                      "цифрами, можно с +, скобками, дефисами и пробелами, "
                      "несколько номеров — через запятую, например: "
                      "+7 914 123-45-67 или 8 (41641) 2-34-56", err)
        self.assertIn("line 11: Название: «ПРИЮТ  «надежда»» уже есть в "
                      "строке 2: одна организация — одна строка.", err)
        self.assertEqual(len([e for e in err if e.startswith("line ")]), 2,
                         r.stderr)
        self.assertNotIn("<", r.stderr)
        self.assertNotIn("&", r.stderr)

        orgs = self.orgs()
        self.assertEqual(sorted(orgs), sorted([
            "Приют «Надежда»", 'Спортклуб "Берег"', "Клуб «Память»",
            "Центр «Опора»"]))
        _, _, desc, services, phone, address, link, directions, key = \
            orgs["Приют «Надежда»"]
        self.assertEqual(desc, "Помогаем бездомным животным")
        # One service a line, trimmed, CRLF of the quoted cell gone.
        self.assertEqual(services,
                         "Передержка собак\nСтерилизация\nПоиск хозяев")
        self.assertEqual(phone, "+7 914 123-45-67")
        self.assertEqual(address, "ул. Ленина, 5")
        self.assertEqual(link, "https://nadezhda-priut.ru")
        self.assertEqual(directions, "социальное")
        self.assertEqual(key, "приют «надежда»")
        bereg = orgs['Спортклуб "Берег"']
        self.assertEqual(bereg[2:8], (None, "Секция плавания",
                                      "8 (41641) 2-34-56", None,
                                      "https://t.me/bereg_club",
                                      "спорт\nтуризм"))
        # "-" and «нет» leave a cell empty, as they skip a step of /addorg.
        self.assertEqual(orgs["Клуб «Память»"][5:8],
                         (None, None, "патриотическое"))
        opora = orgs["Центр «Опора»"]
        self.assertEqual(opora[3], "Консультации\nГруппы поддержки")
        self.assertEqual(opora[4], "+7 (924) 000-11-22, 2-11-33")
        # Directions one per line, in the configured order.
        self.assertEqual(opora[7], "социальное\nпсихология")
        ids = {name: row[0] for name, row in orgs.items()}

        # The fixed list, again: updated in place, nothing added.
        path = self.write("council-2.csv", CHANGED)
        r = self.run_import(path)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertEqual(r.stdout, "imported 4 organisations: 0 new, "
                         "4 updated\n")
        self.assertEqual(r.stderr, "")
        self.assertEqual(self.bot.query("SELECT count(*) FROM orgs"), [(4,)])
        orgs = self.orgs()
        # The name is stored as the newest file writes it.
        self.assertIn("приют «надежда»", orgs)
        self.assertIn("КЛУБ «ПАМЯТЬ»", orgs)
        shelter = orgs["приют «надежда»"]
        self.assertEqual(shelter[0], ids["Приют «Надежда»"])
        self.assertEqual(shelter[4], "+7 914 999-00-00")
        self.assertEqual(shelter[3], "Передержка собак\nСтерилизация")
        self.assertEqual(shelter[7], "социальное\nпсихология")
        # Columns the file does not have are kept.
        self.assertEqual(shelter[2], "Помогаем бездомным животным")
        self.assertEqual(shelter[5:7], ("ул. Ленина, 5",
                                        "https://nadezhda-priut.ru"))
        self.assertEqual(orgs["КЛУБ «ПАМЯТЬ»"][0], ids["Клуб «Память»"])
        self.assertEqual(orgs["КЛУБ «ПАМЯТЬ»"][4], "2-34-57")
        self.assertEqual(orgs["Центр «Опора»"][3:5],
                         ("Консультации", "2-11-33"))
        self.assertEqual(sorted(r[0] for r in orgs.values()),
                         sorted(ids.values()))

    def test_files_refused_whole(self):
        def refused(args, says):
            r = self.run_import(*args)
            self.assertEqual(r.returncode, 2, (args, r.stdout, r.stderr))
            self.assertIn(says, r.stderr, args)
            self.assertEqual(r.stdout, "", args)
            self.assertEqual(self.bot.query("SELECT count(*) FROM orgs"),
                             [(0,)], args)

        missing = os.path.join(self.tmp.name, "nonexistent.csv")
        refused([missing], "dobrobot import-orgs: cannot open %s: No such "
                "file or directory" % missing)
        refused([], "which file?")
        refused([missing, missing], "one file at a time")
        refused(["--dry-run"], "unknown option")
        no_name = self.write("no-name.csv", BOM + "Организация;Телефон\r\n"
                             "Приют «Надежда»;2-34-56\r\n")
        refused([no_name], 'no-name.csv has no name column: its first line '
                'must name the columns, one of them "название" (or "name");'
                ' it has "Организация", "Телефон"')
        refused([self.write("empty.csv", BOM)], "empty.csv is empty")
        twice = self.write("twice.csv", "Название;name\nА;Б\n")
        refused([twice], "columns 1 and 2 both hold the name")
        # Plain "CSV" from Russian Excel is Windows-1251.
        cp1251 = self.write("cp1251.csv", "Название;Телефон\r\n"
                            "Приют;2-34-56\r\n", encoding="cp1251")
        refused([cp1251], "is not UTF-8 text")
        # A quote left open on line 3: not even the good line 2 is kept.
        broken = self.write("broken.csv", "Название;Услуги\nПриют;Корм\n"
                            "Берег;\"Плавание\nБег\n")
        refused([broken], "broken.csv: line 3: a quoted field is never "
                "closed")
        big = self.write("big.csv", "Название\n" + "x" * (10 << 20))
        refused([big], "larger than 10 MiB")

    def test_help(self):
        r = self.bot.run_cli("import-orgs", "--help")
        self.assertEqual(r.returncode, 0)
        self.assertTrue(r.stdout.startswith(
            "usage: dobrobot import-orgs FILE.csv"), r.stdout)
        r = self.bot.run_cli("help")
        self.assertIn("import-orgs", r.stdout)
