"""The baseline: a bare python-telegram-bot bot that echoes texts and answers presses.

It does the least a bot can do per update with the same library and the same local Bot API:
one `sendMessage` per text (with an inline button, so a press can follow), one
`answerCallbackQuery` plus one `sendMessage` per press. bench/updates.py runs it beside Meldbot.

    TELEGRAM_BOT_TOKEN=... TELEGRAM_API_BASE_URL=http://127.0.0.1:PORT/bot python -m bench.echo_bot

With `BENCH_ECHO_REQUEST=aiohttp` it makes its calls through Meldbot's HTTP client
(bot/request.py) instead of PTB's own (httpx): the same floor with Meldbot's transport.
"""

from __future__ import annotations

import logging
import os

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, ContextTypes, MessageHandler, filters

BUTTON = InlineKeyboardMarkup([[InlineKeyboardButton("Again", callback_data="again")]])


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Send the text back with a button."""
    assert update.effective_message is not None and update.effective_chat is not None
    await context.bot.send_message(
        update.effective_chat.id, update.effective_message.text or "?", reply_markup=BUTTON
    )


async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer the press and say so."""
    query = update.callback_query
    assert query is not None and update.effective_chat is not None
    await query.answer()
    await context.bot.send_message(update.effective_chat.id, "Pressed", reply_markup=BUTTON)


def main() -> None:
    """Poll the Bot API named by the environment until stopped."""
    logging.basicConfig(level=logging.WARNING)
    base = os.environ["TELEGRAM_API_BASE_URL"]
    builder = (
        Application.builder()
        .token(os.environ["TELEGRAM_BOT_TOKEN"])
        .base_url(base)
        .base_file_url(base.replace("/bot", "/file/bot"))
        .concurrent_updates(64)
    )
    if os.environ.get("BENCH_ECHO_REQUEST") == "aiohttp":
        from bot.request import AiohttpRequest

        builder = builder.request(AiohttpRequest(connection_pool_size=256)).get_updates_request(
            AiohttpRequest(connection_pool_size=1)
        )
    application = builder.build()
    application.add_handler(MessageHandler(filters.TEXT, echo))
    application.add_handler(CallbackQueryHandler(pressed))

    async def announce(_: Application) -> None:  # type: ignore[type-arg]
        print("echo bot is polling", flush=True)

    application.post_init = announce
    application.run_polling(poll_interval=0.0, timeout=10, drop_pending_updates=False)


if __name__ == "__main__":
    main()
