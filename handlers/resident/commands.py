"""Answer the resident's commands and the buttons that are not part of a draft."""

from __future__ import annotations

from telegram import ReplyKeyboardRemove, Update
from telegram.ext import ContextTypes

from handlers.common import close_question, one_at_a_time, send
from handlers.presses import resident_press
from handlers.resident import buttons, keyboards
from handlers.resident.callbacks import Action, Button, decode
from handlers.resident.conversation import Conversation
from handlers.resident.summary import render_report_line
from handlers.services import services
from handlers.texts import T, plain, t
from reports.models import Language
from services.residents import choose_language, forget_resident
from services.residents import my_reports as my_reports_of


@one_at_a_time
async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Explain Meldbot, point to 112, and offer to report."""
    conv = await Conversation.of(update, context)
    svc = conv.svc
    text = t(T.WELCOME, conv.language, municipality=svc.config.municipality.name)
    await conv.say(text, keyboards.start_menu(conv.language))


@one_at_a_time
async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """List what the bot can do."""
    conv = await Conversation.of(update, context)
    await conv.say(t(T.HELP, conv.language))


@one_at_a_time
async def privacy(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Explain what is kept and who sees it."""
    conv = await Conversation.of(update, context)
    attribution = conv.svc.config.neighbourhoods.attribution
    await conv.say(t(T.PRIVACY, conv.language, attribution=attribution))


@one_at_a_time
async def language(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Offer Dutch and English."""
    conv = await Conversation.of(update, context)
    await conv.say(t(T.LANGUAGE_PROMPT, conv.language), keyboards.languages(conv.svc.languages))


@one_at_a_time
async def report(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Start a report or continue the one in progress."""
    conv = await Conversation.of(update, context)
    await conv.start()


@one_at_a_time
async def cancel(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Discard the draft."""
    conv = await Conversation.of(update, context)
    await conv.cancel()


async def _list_reports(conv: Conversation) -> None:
    reports = await my_reports_of(conv.svc, conv.user.id)
    if not reports:
        await conv.say(t(T.MY_REPORTS_EMPTY, conv.language), keyboards.new_report(conv.language))
        return
    lines = [t(T.MY_REPORTS_HEADER, conv.language)]
    lines += [
        # 👥: a report the resident follows as a co-reporter, not their own
        ("" if r.user_id == conv.user.id else "👥 ")
        + render_report_line(r, conv.language, conv.svc.config)
        for r in reports
    ]
    await conv.say("\n".join(lines))


@one_at_a_time
async def my_reports(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """List the resident's reports with their status."""
    await _list_reports(await Conversation.of(update, context))


@one_at_a_time
async def forget(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Ask whether to erase the resident's data."""
    conv = await Conversation.of(update, context)
    await conv.say(t(T.FORGET_PROMPT, conv.language), keyboards.forget(conv.language))


@one_at_a_time
async def button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer every button press: apply ours, refuse forged or foreign ones."""
    # Resident buttons only exist in the resident's own chat; anything else is forged.
    resident = await resident_press(update, context)
    if resident is None:
        return
    pressed = decode(resident.query.data)
    if pressed is None:
        await resident.refuse()
        return
    conv = await Conversation.of(update, context)
    if pressed.token:
        await buttons.on_button(conv, update, pressed)
        return
    await _global_button(update, context, conv, pressed)


async def _global_button(
    update: Update, context: ContextTypes.DEFAULT_TYPE, conv: Conversation, pressed: Button
) -> None:
    query = update.callback_query
    assert query is not None
    svc = services(context)
    if pressed.action is Action.NEW_REPORT:
        await conv.start()
        await query.answer()
    elif pressed.action is Action.MY_REPORTS:
        await query.answer()
        await _list_reports(conv)
    elif pressed.action is Action.LANGUAGE and pressed.value in svc.languages:
        chosen = Language(pressed.value)
        await choose_language(svc, conv.user.id, chosen)
        conv.language = chosen
        await query.answer()
        await close_question(query, t(T.LANGUAGE_SET, chosen))
    elif pressed.action is Action.FORGET and pressed.value == "yes":
        result = await forget_resident(svc, conv.user.id)
        await query.answer()
        await close_question(query)
        await send(
            context,
            conv.chat_id,
            t(T.FORGET_DONE, conv.language, count=result.reports_anonymised),
            ReplyKeyboardRemove(),
        )
    elif pressed.action is Action.FORGET and pressed.value == "no":
        await query.answer()
        await close_question(query, t(T.FORGET_KEPT, conv.language))
    else:
        await query.answer(plain(T.UNKNOWN_BUTTON, conv.language), show_alert=True)
