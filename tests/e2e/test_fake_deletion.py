"""Self-tests of the fake Bot API's deletions: Telegram's 48-hour limit, and deleteMessages."""

from __future__ import annotations

import time

import pytest
from telegram.error import BadRequest

from sandbox.botapi import FakeBotApi
from tests.e2e.steps.bots import bot_for

pytestmark = pytest.mark.timeout(10)

GROUP = -1001
HOUR = 3600.0


def a_group_with_the_bot(api: FakeBotApi) -> int:
    """Create a group the bot is a plain member of."""
    group = api.group(GROUP, "Wijkagenten")
    api.add_bot_to_group(api.user(501, "Kees"), group)
    return group.id


def hours_later(api: FakeBotApi, hours: float) -> None:
    """Move the fake's clock on, as if hours had passed since the messages were sent."""
    api.world.clock = lambda: time.time() + hours * HOUR


async def test_a_bot_message_can_be_deleted_within_48_hours(bot_api: FakeBotApi) -> None:
    chat = a_group_with_the_bot(bot_api)
    async with bot_for(bot_api) as bot:
        sent = await bot.send_location(chat, 52.22, 6.89)
        hours_later(bot_api, 47)
        assert await bot.delete_message(chat, sent.message_id)
    assert bot_api.current(chat, sent.message_id) is None


async def test_an_older_message_is_refused_but_can_still_be_edited(bot_api: FakeBotApi) -> None:
    bot_api.expect_refusal("message can't be deleted")
    chat = a_group_with_the_bot(bot_api)
    async with bot_for(bot_api) as bot:
        sent = await bot.send_message(chat, "Melding met beschrijving")
        hours_later(bot_api, 48)
        with pytest.raises(BadRequest, match="can't be deleted"):
            await bot.delete_message(chat, sent.message_id)
        await bot.edit_message_text("Gewist", chat_id=chat, message_id=sent.message_id)
    current = bot_api.current(chat, sent.message_id)
    assert current is not None and current["text"] == "Gewist"


async def test_delete_messages_skips_unknown_ids_and_refuses_old_ones_whole(
    bot_api: FakeBotApi,
) -> None:
    bot_api.expect_refusal("message can't be deleted")
    chat = a_group_with_the_bot(bot_api)
    async with bot_for(bot_api) as bot:
        first = await bot.send_message(chat, "een")
        second = await bot.send_message(chat, "twee")
        assert await bot.delete_messages(chat, [first.message_id, 4242])
        assert bot_api.current(chat, first.message_id) is None
        hours_later(bot_api, 49)
        with pytest.raises(BadRequest, match="can't be deleted"):
            await bot.delete_messages(chat, [second.message_id])
    assert bot_api.current(chat, second.message_id) is not None
