"""Renders what the fake Bot API saw as a readable chat transcript: who
wrote what, what the bot answered, what the group saw, edits as edits."""

import html
import re

TAG = re.compile(r"<[^>]+>")


def plain(text):
    """Telegram HTML to plain text, as a reader sees it."""
    text = re.sub(r"<a href=\"([^\"]*)\">([^<]*)</a>", r"\2", text or "")
    return html.unescape(TAG.sub("", text))


def buttons(markup):
    rows = (markup or {}).get("inline_keyboard") or []
    out = []
    for row in rows:
        out.append("  ".join("[%s]" % b.get("text", "?") for b in row))
    return out


def indent(text, prefix):
    return "\n".join(prefix + line if line else prefix.rstrip()
                     for line in text.split("\n"))


class Transcript:
    """Collects user actions (logged by the script) and bot output (read
    back from the fake server), then prints them in time order."""

    def __init__(self, fake, names, group_title):
        self.fake = fake
        self.names = names          # user id -> display name
        self.group_title = group_title
        self.events = []            # (t_ms, seq, text)
        self.seen = 0
        self.n = 0
        self.texts = {}             # (chat, message_id) -> last plain text
        self.markups = {}           # (chat, message_id) -> last buttons

    def _name(self, chat_id):
        if chat_id < 0:
            return "группа «%s»" % self.group_title
        return self.names.get(chat_id, str(chat_id))

    def user(self, t_ms, user_id, text, chat_id=None):
        where = "" if chat_id is None or chat_id == user_id else \
            " в группе «%s»" % self.group_title
        self.n += 1
        self.events.append((t_ms, -1, self.n, "👤 %s%s:\n%s" % (
            self.names.get(user_id, user_id), where, indent(text, "   "))))

    def server(self, t_ms, command, output):
        """A command the admin runs on the server, and what it printed."""
        self.n += 1
        self.events.append((t_ms, -1, self.n, "🖥  на сервере:\n   $ %s\n%s" % (
            command, indent(output.rstrip(), "   "))))

    def note(self, t_ms, text):
        self.n += 1
        self.events.append((t_ms, -1, self.n, "── %s ──" % text))

    def collect(self):
        for s in self.fake.sent(since=self.seen):
            self.seen = max(self.seen, s["seq"])
            if s["status"] != 200 or s.get("fault") not in (None,):
                continue
            p = s["params"]
            m = s["method"]
            chat = p.get("chat_id")
            same_buttons = False
            if m == "sendMessage":
                body = plain(p.get("text", ""))
                head = "🤖 бот → %s:" % self._name(chat)
                mid = ((s.get("response") or {}).get("result") or {}).get("message_id")
                self.texts[(chat, mid)] = body
                self.markups[(chat, mid)] = buttons(p.get("reply_markup"))
            elif m == "editMessageText":
                body = plain(p.get("text", ""))
                key = (chat, p.get("message_id"))
                before = self.texts.get(key)
                self.texts[key] = body
                same_buttons = self.markups.get(key) == buttons(p.get("reply_markup"))
                self.markups[key] = buttons(p.get("reply_markup"))
                head = "✏️  бот правит своё сообщение (%s):" % self._name(chat)
                if before is not None:
                    # An edit shows only what changed.
                    old = before.split("\n")
                    changed = [l for l in body.split("\n") if l and l not in old]
                    body = "\n".join(changed) if changed else "(только кнопки)"
            elif m == "copyMessage":
                head = "🤖 бот → %s (пересылает сообщение организатора)" % \
                    self._name(chat)
                body = ""
            elif m == "sendDocument":
                doc = p.get("document") or {}
                head = "🤖 бот → %s: 📎 %s" % (self._name(chat),
                                                doc.get("filename", "файл"))
                body = plain(p.get("caption", ""))
            elif m == "sendPhoto":
                head = "🤖 бот → %s: 🖼 фото" % self._name(chat)
                body = plain(p.get("caption", ""))
            elif m == "answerCallbackQuery":
                if not p.get("text"):
                    continue
                head = "🤖 бот (всплывающая подсказка):"
                body = p["text"]
            else:
                continue
            lines = [head]
            if body:
                lines.append(indent(body, "   "))
            if not (m == "editMessageText" and same_buttons):
                for b in buttons(p.get("reply_markup")):
                    lines.append("   " + b)
            self.events.append((s["t_ms"], s["seq"], 0, "\n".join(lines)))

    def render(self):
        self.collect()
        out = []
        for _, _, _, text in sorted(self.events, key=lambda e: (e[0], e[1], e[2])):
            out.append(text)
        return "\n\n".join(out)
