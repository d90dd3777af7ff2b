"""Reading the bot's inline keyboards, the same way in every test."""


def buttons(markup):
    """The buttons of an inline keyboard, row after row, as the dicts
    Telegram gets (text, callback_data or url)."""
    return [b for row in (markup or {}).get("inline_keyboard", [])
            for b in row]


def button_pairs(markup):
    """[(text, callback_data or url)] of an inline keyboard."""
    return [(b["text"], b.get("callback_data") or b.get("url"))
            for b in buttons(markup)]
