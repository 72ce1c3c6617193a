"""Self-tests of the fake Bot API, driven by a real python-telegram-bot Bot and Application."""

from __future__ import annotations

import asyncio
import datetime as dtm
import html
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import aiohttp
import pytest
from telegram import (
    BotCommand,
    BotCommandScopeChat,
    BotCommandScopeDefault,
    ForceReply,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputMediaPhoto,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from sandbox.botapi import (
    EntityParseError,
    FakeBotApi,
    RateLimits,
    load_spec,
    parse_html,
    problems,
)
from tests.e2e.steps.bots import bot_for

pytestmark = pytest.mark.timeout(10)

ANNA = 1001
Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove | ForceReply


@asynccontextmanager
async def running(app: Application[Any, Any, Any, Any, Any, Any]) -> AsyncIterator[None]:
    """Run a PTB Application with its manual lifecycle, long-polling the fake."""
    await app.initialize()
    await app.start()
    assert app.updater is not None
    await app.updater.start_polling(poll_interval=0.0, timeout=1)
    try:
        yield
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()


def application(api: FakeBotApi) -> Application[Any, Any, Any, Any, Any, Any]:
    """Build a PTB Application pointed at the fake."""
    builder = Application.builder().token(api.token)
    return builder.base_url(api.base_url).base_file_url(api.base_file_url).build()


async def raw_call(api: FakeBotApi, method: str, **params: Any) -> tuple[int, dict[str, Any]]:
    """POST a form like PTB does (strings raw, the rest JSON) and return status and body."""
    form = {k: v if isinstance(v, str) else json.dumps(v) for k, v in params.items()}
    async with (
        aiohttp.ClientSession() as session,
        session.post(f"{api.base_url}{api.token}/{method}", data=form) as response,
    ):
        body: dict[str, Any] = await response.json()
        return response.status, body


def started_user(api: FakeBotApi, user_id: int = ANNA) -> int:
    """Create a user who has written to the bot, so the bot may message them."""
    return api.user(user_id, started=True).id


# --- the real Application -------------------------------------------------------------------


async def test_a_command_reaches_a_command_handler_and_its_reply_is_observed(
    bot_api: FakeBotApi,
) -> None:
    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        name = html.escape(update.effective_user.first_name if update.effective_user else "")
        await update.effective_message.reply_html(f"Hallo <b>{name}</b>!")

    app = application(bot_api)
    app.add_handler(CommandHandler("start", start))
    anna = bot_api.user(ANNA, first_name="Anna <3")
    async with running(app):
        bot_api.send_command(anna, "/start")
        reply = await bot_api.wait_for_message(anna.id, timeout=2)
    assert reply.text == "Hallo Anna <3!"
    assert reply.html == "Hallo <b>Anna &lt;3</b>!"
    assert reply.entities == [{"type": "bold", "offset": 6, "length": 7}]


async def test_a_command_addressed_to_the_bot_by_name_in_a_group_reaches_it(
    bot_api: FakeBotApi,
) -> None:
    seen: list[str] = []

    async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        seen.append(update.effective_message.text or "")
        await update.effective_message.reply_text("Hulp")

    app = application(bot_api)
    app.add_handler(CommandHandler("help", help_command))
    anna = bot_api.user(ANNA)
    group = bot_api.group(-100200300, "Wijkteam")
    async with running(app):
        bot_api.add_bot_to_group(anna, group)
        bot_api.send_text(anna, "/help@meldbot_test_bot", chat=group)
        await bot_api.wait_for_message(group.id, contains="Hulp", timeout=2)
    assert seen == ["/help@meldbot_test_bot"]


async def test_each_update_reaches_the_application_exactly_once(bot_api: FakeBotApi) -> None:
    received: list[str] = []

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        received.append(update.effective_message.text or "")

    app = application(bot_api)
    app.add_handler(MessageHandler(filters.TEXT, echo))
    anna = bot_api.user(ANNA)
    async with running(app):
        for i in range(5):
            bot_api.send_text(anna, f"bericht {i}")
        await bot_api.wait_idle(quiet=0.1, timeout=2)
    assert received == [f"bericht {i}" for i in range(5)]
    ids = [u["update_id"] for u in bot_api.world.updates.dropped] + list(
        bot_api.world.updates.deliveries
    )
    assert all(bot_api.world.updates.deliveries[i] == 1 for i in ids)
    assert sorted(bot_api.world.updates.confirmed) == sorted(ids)


async def test_a_button_press_round_trip_is_answered_and_edits_the_message(
    bot_api: FakeBotApi,
) -> None:
    async def ask(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Ja", callback_data="confirm:1")]])
        await update.effective_message.reply_text("Klopt dit?", reply_markup=keyboard)

    async def confirm(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None
        await query.answer("Bedankt")
        await query.edit_message_text("Bevestigd")

    app = application(bot_api)
    app.add_handler(CommandHandler("melden", ask))
    app.add_handler(CallbackQueryHandler(confirm))
    anna = bot_api.user(ANNA)
    async with running(app):
        bot_api.send_command(anna, "/melden")
        question = await bot_api.wait_for_message(anna.id, timeout=2)
        assert question.buttons == [("Ja", "confirm:1")]
        query_id = bot_api.press(anna, question, text="Ja")
        edit = await bot_api.wait_for_message(anna.id, timeout=2)
    assert bot_api.answered(query_id) == {"text": "Bedankt"}
    assert edit.edited and edit.text == "Bevestigd" and edit.buttons == []
    current = bot_api.current(anna.id, question.message_id)
    assert current is not None and "reply_markup" not in current


# --- getUpdates semantics -------------------------------------------------------------------


async def test_get_updates_redelivers_until_a_higher_offset_confirms(bot_api: FakeBotApi) -> None:
    anna = bot_api.user(ANNA)
    bot_api.send_text(anna, "een")
    bot_api.send_text(anna, "twee")
    async with bot_for(bot_api) as bot:
        first = await bot.get_updates(timeout=0)
        again = await bot.get_updates(timeout=0)
        assert [u.update_id for u in again] == [u.update_id for u in first]
        rest = await bot.get_updates(offset=first[0].update_id + 1, timeout=0)
        assert [u.message.text for u in rest if u.message] == ["twee"]
        empty = await bot.get_updates(offset=first[-1].update_id + 1, timeout=0)
    assert empty == ()
    assert bot_api.world.updates.confirmed == [u.update_id for u in first]


async def test_limit_and_a_negative_offset_select_updates_like_telegram(
    bot_api: FakeBotApi,
) -> None:
    anna = bot_api.user(ANNA)
    for text in ("a", "b", "c", "d"):
        bot_api.send_text(anna, text)
    async with bot_for(bot_api) as bot:
        two = await bot.get_updates(limit=2, timeout=0)
        last = await bot.get_updates(offset=-1, timeout=0)
    assert [u.message.text for u in two if u.message] == ["a", "b"]
    assert [u.message.text for u in last if u.message] == ["d"]
    assert len(bot_api.world.updates.pending) == 1


async def test_a_long_poll_returns_as_soon_as_an_update_arrives(bot_api: FakeBotApi) -> None:
    anna = bot_api.user(ANNA)
    loop = asyncio.get_running_loop()
    async with bot_for(bot_api) as bot:
        loop.call_later(0.2, bot_api.send_text, anna, "hallo")
        started = loop.time()
        updates = await bot.get_updates(timeout=5)
    assert 0.1 < loop.time() - started < 1.5
    assert [u.message.text for u in updates if u.message] == ["hallo"]


async def test_a_long_poll_without_updates_returns_empty_after_its_timeout(
    bot_api: FakeBotApi,
) -> None:
    loop = asyncio.get_running_loop()
    async with bot_for(bot_api) as bot:
        started = loop.time()
        updates = await bot.get_updates(timeout=1)
    assert updates == ()
    assert 0.9 < loop.time() - started < 1.8


async def test_allowed_updates_filters_updates_created_afterwards(bot_api: FakeBotApi) -> None:
    anna = bot_api.user(ANNA)
    async with bot_for(bot_api) as bot:
        await bot.get_updates(timeout=0, allowed_updates=["callback_query"])
        bot_api.send_text(anna, "niet gewenst")
        updates = await bot.get_updates(timeout=0)
    assert updates == ()
    assert [u["message"]["text"] for u in bot_api.world.updates.dropped] == ["niet gewenst"]


# --- refusals -------------------------------------------------------------------------------


async def test_an_unknown_method_is_answered_not_found_and_recorded(bot_api: FakeBotApi) -> None:
    bot_api.expect_refusal("unknown method")
    status, body = await raw_call(bot_api, "sendTelepathy", chat_id=ANNA)
    assert (status, body) == (404, {"ok": False, "error_code": 404, "description": "Not Found"})


async def test_method_names_are_case_insensitive_like_telegram(bot_api: FakeBotApi) -> None:
    status, body = await raw_call(bot_api, "GETME")
    assert status == 200 and body["result"]["username"] == "meldbot_test_bot"


async def test_get_with_a_query_string_and_a_json_body_work_like_telegram(
    bot_api: FakeBotApi,
) -> None:
    chat_id = started_user(bot_api)
    url = f"{bot_api.base_url}{bot_api.token}"
    async with aiohttp.ClientSession() as session:
        async with session.get(f"{url}/sendMessage?chat_id={chat_id}&text=via+GET") as response:
            assert response.status == 200
        body = {"chat_id": chat_id, "text": "via JSON", "reply_markup": {"remove_keyboard": True}}
        async with session.post(f"{url}/sendMessage", json=body) as response:
            assert response.status == 200
    assert [m.text for m in bot_api.messages(chat_id)] == ["via GET", "via JSON"]


async def test_markdown_v2_is_refused_because_the_fake_cannot_check_it(
    bot_api: FakeBotApi,
) -> None:
    bot_api.expect_refusal("fake does not support parse_mode MarkdownV2")
    chat_id = started_user(bot_api)
    async with bot_for(bot_api) as bot:
        with pytest.raises(BadRequest):
            await bot.send_message(chat_id, "*vet*", parse_mode="MarkdownV2")


async def test_a_wrong_token_is_unauthorized(bot_api: FakeBotApi) -> None:
    async with (
        aiohttp.ClientSession() as session,
        session.post(f"{bot_api.base_url}999:WRONG/getMe") as response,
    ):
        body = await response.json()
    assert response.status == 401
    assert body == {"ok": False, "error_code": 401, "description": "Unauthorized"}


async def test_a_missing_required_parameter_is_refused(bot_api: FakeBotApi) -> None:
    bot_api.expect_refusal("chat_id is empty")
    status, body = await raw_call(bot_api, "sendMessage", text="hallo")
    assert status == 400
    assert body["description"].startswith("Bad Request: chat_id is empty")


async def test_an_unknown_parameter_is_refused(bot_api: FakeBotApi) -> None:
    bot_api.expect_refusal('unknown parameter "colour"')
    chat_id = started_user(bot_api)
    async with bot_for(bot_api) as bot:
        with pytest.raises(BadRequest, match="colour"):
            await bot.send_message(chat_id, "hallo", api_kwargs={"colour": "red"})


async def test_a_wrongly_typed_parameter_is_refused(bot_api: FakeBotApi) -> None:
    bot_api.expect_refusal("message_id must be of type Integer")
    status, _ = await raw_call(bot_api, "deleteMessage", chat_id=ANNA, message_id="twee")
    assert status == 400


async def test_text_longer_than_4096_characters_after_parsing_is_refused(
    bot_api: FakeBotApi,
) -> None:
    bot_api.expect_refusal("message is too long")
    chat_id = started_user(bot_api)
    async with bot_for(bot_api) as bot:
        await bot.send_message(chat_id, f"<b>{'x' * 4096}</b>", parse_mode="HTML")
        with pytest.raises(BadRequest, match="Message is too long"):
            await bot.send_message(chat_id, "x" * 4097)


async def test_text_that_is_only_whitespace_is_refused_as_empty(bot_api: FakeBotApi) -> None:
    bot_api.expect_refusal("message text is empty")
    chat_id = started_user(bot_api)
    async with bot_for(bot_api) as bot:
        with pytest.raises(BadRequest, match="Message text is empty"):
            await bot.send_message(chat_id, "<b> </b>\n", parse_mode="HTML")


async def test_unescaped_html_is_refused_with_telegrams_parse_error(bot_api: FakeBotApi) -> None:
    bot_api.expect_refusal("can't parse entities")
    chat_id = started_user(bot_api)
    async with bot_for(bot_api) as bot:
        with pytest.raises(BadRequest, match='unsupported start tag "" at byte offset 7'):
            await bot.send_message(chat_id, "Straat < 5 meter", parse_mode="HTML")
    assert bot_api.messages(chat_id) == []


async def test_correctly_escaped_user_text_is_accepted_and_shown_as_typed(
    bot_api: FakeBotApi,
) -> None:
    chat_id = started_user(bot_api)
    typed = 'Tegel <los> bij "De Ster" & café 🚲'
    async with bot_for(bot_api) as bot:
        await bot.send_message(chat_id, f"<i>{html.escape(typed)}</i>", parse_mode="HTML")
    (sent,) = bot_api.messages(chat_id)
    assert sent.text == typed
    assert sent.entities == [{"type": "italic", "offset": 0, "length": len(typed) + 1}]


async def test_a_bare_ampersand_is_delivered_but_recorded_as_lint(bot_api: FakeBotApi) -> None:
    bot_api.expect_refusal("unescaped '&'")
    chat_id = started_user(bot_api)
    async with bot_for(bot_api) as bot:
        await bot.send_message(chat_id, "Vraag & antwoord", parse_mode="HTML")
    assert bot_api.messages(chat_id)[0].text == "Vraag & antwoord"


async def test_callback_data_over_64_bytes_is_refused(bot_api: FakeBotApi) -> None:
    bot_api.expect_refusal("BUTTON_DATA_INVALID")
    chat_id = started_user(bot_api)
    euros = "€" * 22  # 22 characters but 66 bytes
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Kies", callback_data=euros)]])
    async with bot_for(bot_api) as bot:
        with pytest.raises(BadRequest, match=r"(?i)button_data_invalid"):
            await bot.send_message(chat_id, "Kies", reply_markup=keyboard)


async def test_each_reply_markup_type_is_accepted(bot_api: FakeBotApi) -> None:
    chat_id = started_user(bot_api)
    location = KeyboardButton("Deel locatie", request_location=True)
    markups: list[Markup] = [
        ReplyKeyboardMarkup([[location]], resize_keyboard=True),
        ReplyKeyboardRemove(),
        ForceReply(input_field_placeholder="Beschrijving"),
        InlineKeyboardMarkup([[InlineKeyboardButton("Site", url="https://www.enschede.nl")]]),
    ]
    async with bot_for(bot_api) as bot:
        await bot.send_message(chat_id, "keyboard", reply_markup=markups[0])
        assert bot_api.reply_keyboard(chat_id) == [["Deel locatie"]]
        for markup in markups[1:]:
            await bot.send_message(chat_id, "next", reply_markup=markup)
    assert bot_api.reply_keyboard(chat_id) is None
    assert bot_api.messages(chat_id)[-1].buttons == [("Site", "https://www.enschede.nl")]


async def test_a_text_button_in_an_inline_keyboard_is_refused(bot_api: FakeBotApi) -> None:
    bot_api.expect_refusal("Text buttons are unallowed in the inline keyboard")
    started_user(bot_api)
    markup = {"inline_keyboard": [[{"text": "Alleen tekst"}]]}
    status, _ = await raw_call(bot_api, "sendMessage", chat_id=ANNA, text="x", reply_markup=markup)
    assert status == 400


async def test_an_unknown_command_scope_type_is_refused(bot_api: FakeBotApi) -> None:
    bot_api.expect_refusal("unsupported BotCommandScope")
    commands = [{"command": "melden", "description": "Meld iets"}]
    status, _ = await raw_call(
        bot_api, "setMyCommands", commands=commands, scope={"type": "everyone"}
    )
    assert status == 400


async def test_an_invalid_bot_command_name_is_refused(bot_api: FakeBotApi) -> None:
    bot_api.expect_refusal("BOT_COMMAND_INVALID")
    async with bot_for(bot_api) as bot:
        with pytest.raises(BadRequest):
            await bot.set_my_commands([BotCommand("Melden", "Meld iets")])


async def test_a_valid_method_without_behaviour_is_refused_so_we_notice(
    bot_api: FakeBotApi,
) -> None:
    bot_api.expect_refusal("fake has no behaviour for pinChatMessage")
    chat_id = started_user(bot_api)
    async with bot_for(bot_api) as bot:
        with pytest.raises(BadRequest):
            await bot.pin_chat_message(chat_id, 1)


# --- behaviour ------------------------------------------------------------------------------


async def test_commands_are_stored_per_scope_and_language(bot_api: FakeBotApi) -> None:
    async with bot_for(bot_api) as bot:
        await bot.set_my_commands([BotCommand("melden", "Meld iets")], language_code="nl")
        await bot.set_my_commands([BotCommand("report", "Report")], language_code="en")
        scope = BotCommandScopeChat(ANNA)
        await bot.set_my_commands([BotCommand("partner", "Partner")], scope=scope)
        dutch = await bot.get_my_commands(language_code="nl")
        chat = await bot.get_my_commands(scope=scope)
        await bot.delete_my_commands(scope=BotCommandScopeDefault(), language_code="en")
        english = await bot.get_my_commands(language_code="en")
    assert [c.command for c in dutch] == ["melden"]
    assert [c.command for c in chat] == ["partner"]
    assert english == ()


async def test_editing_with_identical_content_is_refused_as_not_modified(
    bot_api: FakeBotApi,
) -> None:
    bot_api.expect_refusal("message is not modified")
    chat_id = started_user(bot_api)
    async with bot_for(bot_api) as bot:
        sent = await bot.send_message(chat_id, "<b>Status</b>", parse_mode="HTML")
        with pytest.raises(BadRequest, match="Message is not modified"):
            await sent.edit_text("<b>Status</b>", parse_mode="HTML")
        await sent.edit_text("Status")  # losing the bold is a change


async def test_editing_an_unknown_message_is_refused(bot_api: FakeBotApi) -> None:
    bot_api.expect_refusal("message to edit not found")
    chat_id = started_user(bot_api)
    async with bot_for(bot_api) as bot:
        with pytest.raises(BadRequest, match="Message to edit not found"):
            await bot.edit_message_text("nieuw", chat_id=chat_id, message_id=99)


async def test_answering_a_press_twice_is_refused_as_too_old(bot_api: FakeBotApi) -> None:
    bot_api.expect_refusal("query is too old")
    anna = bot_api.user(ANNA)
    query_id = bot_api.press_forged(anna, anna, 5, "oud")
    async with bot_for(bot_api) as bot:
        await bot.answer_callback_query(query_id)
        with pytest.raises(BadRequest, match="Query is too old"):
            await bot.answer_callback_query(query_id, text="nog een keer")


async def test_a_press_older_than_150_seconds_can_no_longer_be_answered() -> None:
    now = [1_800_000_000.0]
    api = FakeBotApi(clock=lambda: now[0])
    await api.start()
    try:
        anna = api.user(ANNA)
        query_id = api.press_forged(anna, anna, 1, "laat")
        now[0] += 151
        async with bot_for(api) as bot:
            with pytest.raises(BadRequest, match="Query is too old"):
                await bot.answer_callback_query(query_id)
    finally:
        await api.stop()
    assert api.answered(query_id) is None
    # The bot tried within reason: a press it could not answer in time is not held against it.
    assert api.unanswered_callbacks() == []


async def test_an_unanswered_press_makes_the_fixture_fail_the_test(bot_api: FakeBotApi) -> None:
    anna = bot_api.user(ANNA)
    query_id = bot_api.press_forged(anna, anna, 1, "vergeten")
    assert bot_api.unanswered_callbacks() == [query_id]
    assert problems(bot_api) == [
        f"button press {query_id} was never answered with answerCallbackQuery"
    ]
    bot_api.world.callbacks.clear()


async def test_an_expected_refusal_that_never_comes_is_reported(bot_api: FakeBotApi) -> None:
    bot_api.expect_refusal("message is too long")
    assert problems(bot_api) == [
        "expected a refusal containing 'message is too long', but none came"
    ]
    bot_api.expected_refusals.clear()


async def test_the_bot_cannot_start_a_conversation_or_write_to_a_blocking_user(
    bot_api: FakeBotApi,
) -> None:
    anna = bot_api.user(ANNA)
    async with bot_for(bot_api) as bot:
        with pytest.raises(Forbidden, match="can't initiate conversation"):
            await bot.send_message(anna.id, "hallo")
        bot_api.send_text(anna, "/start")
        await bot.send_message(anna.id, "welkom")
        bot_api.block(anna)
        with pytest.raises(Forbidden, match="blocked by the user"):
            await bot.send_message(anna.id, "nog iets")


async def test_privacy_mode_hides_plain_group_chatter_from_the_bot(bot_api: FakeBotApi) -> None:
    anna = bot_api.user(ANNA)
    group = bot_api.group(-4001, "Buurtpreventie")
    bot_api.send_text(anna, "voor de bot nog niet in de groep", chat=group)
    bot_api.add_bot_to_group(anna, group)
    chatter = bot_api.send_text(anna, "gewoon gepraat", chat=group)
    mention = bot_api.send_text(anna, "hee @meldbot_test_bot", chat=group)
    async with bot_for(bot_api) as bot:
        updates = await bot.get_updates(timeout=0)
        assert group.bot_status == "member"
        reply = await bot.send_message(group.id, "Ik luister mee")
    kinds = [u.my_chat_member is not None or (u.message and u.message.text) for u in updates]
    assert kinds == [True, None, "hee @meldbot_test_bot"]
    assert chatter in bot_api.world.undelivered
    answer = bot_api.send_text(anna, "antwoord", chat=group, reply_to=reply.message_id)
    assert answer not in bot_api.world.undelivered and mention not in bot_api.world.undelivered


async def test_photos_upload_download_and_album_round_trip(bot_api: FakeBotApi) -> None:
    anna = bot_api.user(ANNA)
    incoming = bot_api.send_photo(anna, caption="Losse tegel", content=b"\xff\xd8resident")
    async with bot_for(bot_api) as bot:
        file = await bot.get_file(incoming["photo"][-1]["file_id"])
        assert bytes(await file.download_as_bytearray()) == b"\xff\xd8resident"
        sent = await bot.send_photo(
            anna.id, photo=b"\xff\xd8bot", caption="<b>Ontvangen</b>", parse_mode="HTML"
        )
        album = await bot.send_media_group(
            anna.id,
            [InputMediaPhoto(incoming["photo"][-1]["file_id"]), InputMediaPhoto(b"\xff\xd8two")],
        )
    assert sent.caption == "Ontvangen" and len(sent.photo) == 3
    assert len({m.media_group_id for m in album}) == 1
    assert [m.kind for m in bot_api.messages(anna.id)] == ["photo", "photo", "photo"]


async def test_caption_keyboard_and_deletion_changes_are_observed(bot_api: FakeBotApi) -> None:
    chat_id = started_user(bot_api)
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Status", callback_data="status")]])
    async with bot_for(bot_api) as bot:
        photo = await bot.send_photo(chat_id, photo=b"\xff\xd8", caption="oud")
        await photo.edit_caption("<u>nieuw</u>", parse_mode="HTML", reply_markup=keyboard)
        await photo.edit_reply_markup(None)
        venue = await bot.send_venue(chat_id, 52.2, 6.9, title="Stadhuis", address="Langestraat")
        contact = await bot.send_contact(chat_id, phone_number="14053", first_name="Gemeente")
        await venue.delete()
        with pytest.raises(BadRequest, match="Message to delete not found"):
            await venue.delete()
    bot_api.expect_refusal("message to delete not found")
    methods = [(m.method, m.text, m.edited, m.buttons) for m in bot_api.messages(chat_id)]
    assert methods == [
        ("sendPhoto", "oud", False, []),
        ("editMessageCaption", "nieuw", True, [("Status", "status")]),
        ("editMessageReplyMarkup", "nieuw", True, []),
        ("sendVenue", "", False, []),
        ("sendContact", "", False, []),
    ]
    assert bot_api.current(chat_id, venue.message_id) is None
    assert contact.contact is not None and contact.contact.phone_number == "14053"


async def test_every_simulated_update_kind_parses_in_ptb(bot_api: FakeBotApi) -> None:
    anna = bot_api.user(ANNA)
    live = bot_api.send_location(anna, 52.2215, 6.8937, live_period=900)
    bot_api.edit_live_location(anna, live, 52.2220, 6.8940)
    text = bot_api.send_text(anna, "typfout")
    bot_api.edit_text(anna, text, "geen typfout")
    bot_api.send_venue(anna, 52.22, 6.89, "Stadhuis", "Langestraat 24")
    bot_api.send_photo(anna)
    for send in (
        bot_api.send_sticker,
        bot_api.send_voice,
        bot_api.send_video,
        bot_api.send_video_note,
        bot_api.send_audio,
        bot_api.send_document,
        bot_api.send_animation,
        bot_api.send_contact,
        bot_api.send_poll,
        bot_api.send_dice,
    ):
        send(anna)
    async with bot_for(bot_api) as bot:
        updates = await bot.get_updates(timeout=0)
    assert len(updates) == 16
    edited = [u.edited_message for u in updates if u.edited_message]
    assert edited[0].location is not None and edited[0].location.latitude == 52.2220
    assert edited[1].text == "geen typfout"
    assert updates[-1].message is not None and updates[-1].message.dice is not None


async def test_group_membership_and_chat_info_are_plausible(bot_api: FakeBotApi) -> None:
    anna = bot_api.user(ANNA)
    group = bot_api.group(-1001234567890, "Ketenpartners")
    bot_api.set_member_status(group, anna, "creator")
    bot_api.add_bot_to_group(anna, group, as_admin=True)
    async with bot_for(bot_api) as bot:
        member = await bot.get_chat_member(group.id, anna.id)
        admins = await bot.get_chat_administrators(group.id)
        chat = await bot.get_chat(group.id)
    assert member.status == "creator"
    assert {a.user.id for a in admins} == {anna.id, bot_api.bot_user["id"]}
    assert chat.type == "supergroup" and chat.title == "Ketenpartners"


# --- failures -------------------------------------------------------------------------------


async def test_a_429_with_retry_after_surfaces_as_retry_after(
    bot_api: FakeBotApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "true")
    chat_id = started_user(bot_api)
    bot_api.fail_next("sendMessage", status=429, retry_after=7)
    async with bot_for(bot_api) as bot:
        with pytest.raises(RetryAfter) as caught:
            await bot.send_message(chat_id, "hallo")
        await bot.send_message(chat_id, "tweede poging")
    assert caught.value.retry_after == dtm.timedelta(seconds=7)
    assert [m.text for m in bot_api.messages(chat_id)] == ["tweede poging"]


async def test_a_500_surfaces_as_a_network_error(bot_api: FakeBotApi) -> None:
    chat_id = started_user(bot_api)
    bot_api.fail_next("sendMessage", status=500)
    async with bot_for(bot_api) as bot:
        with pytest.raises(NetworkError, match="Internal Server Error"):
            await bot.send_message(chat_id, "hallo")


async def test_a_502_is_an_nginx_page_that_surfaces_as_a_network_error(
    bot_api: FakeBotApi,
) -> None:
    chat_id = started_user(bot_api)
    bot_api.fail_next("sendMessage", status=502)
    async with bot_for(bot_api) as bot:
        with pytest.raises(NetworkError, match="Bad Gateway"):
            await bot.send_message(chat_id, "hallo")


async def test_a_failure_after_effect_delivers_the_message_but_reports_an_error(
    bot_api: FakeBotApi,
) -> None:
    chat_id = started_user(bot_api)
    bot_api.fail_next("sendMessage", status=500, after_effect=True)
    async with bot_for(bot_api) as bot:
        with pytest.raises(NetworkError):
            await bot.send_message(chat_id, "dubbel?")
    assert [m.text for m in bot_api.messages(chat_id)] == ["dubbel?"]


async def test_a_failure_rate_is_reproducible_from_its_seed(
    bot_api: FakeBotApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "true")  # PTB warns when it builds RetryAfter otherwise
    chat_id = started_user(bot_api)

    async def outcomes() -> list[str]:
        bot_api.failure_rate(0.5, seed=42, methods=["sendMessage"])
        results = []
        async with bot_for(bot_api) as bot:
            for i in range(8):
                try:
                    await bot.send_message(chat_id, f"{i}")
                    results.append("ok")
                except (RetryAfter, NetworkError) as exc:
                    results.append(type(exc).__name__)
        return results

    first, second = await outcomes(), await outcomes()
    assert first == second and "ok" in first and len(set(first)) > 1


async def test_a_slow_method_times_out_in_ptb_but_is_still_performed(bot_api: FakeBotApi) -> None:
    chat_id = started_user(bot_api)
    bot_api.delay("sendMessage", 0.5)
    async with bot_for(bot_api) as bot:
        with pytest.raises(TimedOut):
            await bot.send_message(chat_id, "traag", read_timeout=0.1)
        sent = await bot_api.wait_for_message(chat_id, timeout=2)
    assert sent.text == "traag"


async def test_flood_control_answers_429_for_a_second_message_within_a_second(
    bot_api: FakeBotApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "true")
    chat_id = started_user(bot_api)
    bot_api.rate_limits(limits=RateLimits(private=(1, 1.0)))
    async with bot_for(bot_api) as bot:
        await bot.send_message(chat_id, "een")
        with pytest.raises(RetryAfter) as caught:
            await bot.send_message(chat_id, "twee")
    assert caught.value.retry_after == dtm.timedelta(seconds=1)
    assert bot_api.too_many_requests == 1


# --- observation ----------------------------------------------------------------------------


async def test_wait_for_message_consumes_each_message_once_and_filters(
    bot_api: FakeBotApi,
) -> None:
    chat_id = started_user(bot_api)
    async with bot_for(bot_api) as bot:
        for text in ("een", "twee", "drie"):
            await bot.send_message(chat_id, text)
    assert (await bot_api.wait_for_message(chat_id, contains="drie")).text == "drie"
    assert (await bot_api.wait_for_message(chat_id)).text == "een"
    assert (await bot_api.wait_for_message(chat_id)).text == "twee"
    with pytest.raises(AssertionError, match="no message"):
        await bot_api.wait_for_message(chat_id, timeout=0.1)


# --- the HTML parser ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        ("<b>vet <i>schuin</b></i>", 'Unmatched end tag at byte offset 16, expected "</i>"'),
        ("<b>open", 'Can\'t find end tag corresponding to start tag "b"'),
        ("regel<br>regel", 'Unsupported start tag "br" at byte offset 5'),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler"'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ('<a href="https://x.nl>link</a>', "Unclosed start tag at byte offset 0"),
        ("€ <", 'Unsupported start tag "" at byte offset 4'),
    ],
)
def test_html_that_telegram_rejects_is_rejected_with_its_reason(source: str, reason: str) -> None:
    with pytest.raises(EntityParseError) as caught:
        parse_html(source)
    assert reason in str(caught.value)


def test_html_entities_become_utf16_offsets_and_plain_text() -> None:
    parsed = parse_html(
        '🚲 <b>fiets</b> &lt;&#x41;&#66;&gt; <a href="https://x.nl/?a=1&amp;b=2">link</a> '
        '<blockquote expandable>citaat</blockquote> <pre><code class="language-py">x</code></pre>'
    )
    assert parsed.text == "🚲 fiets <AB> link citaat x"
    assert parsed.entities == [
        {"type": "bold", "offset": 3, "length": 5},
        {"type": "text_link", "offset": 14, "length": 4, "url": "https://x.nl/?a=1&b=2"},
        {"type": "expandable_blockquote", "offset": 19, "length": 6},
        {"type": "pre", "offset": 26, "length": 1, "language": "py"},
        {"type": "code", "offset": 26, "length": 1},
    ]
    assert parsed.lint == []


def test_the_spec_loads_with_methods_types_and_length_limits() -> None:
    spec = load_spec()
    send = spec.method("SENDMESSAGE")
    assert spec.version == "Bot API 10.0" and send is not None
    assert send.fields["text"].limit is not None and send.fields["text"].limit.high == 4096
    button = spec.types["InlineKeyboardButton"].fields["callback_data"]
    assert button.limit is not None and (button.limit.high, button.limit.unit) == (64, "bytes")
