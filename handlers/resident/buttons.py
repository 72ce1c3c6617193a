"""Apply the buttons of the report in progress, and send the report after "Send".

Each press is applied (stored) before it is answered: Telegram refuses answers to old
presses, and a press made while the bot was down must still take effect.
"""

from __future__ import annotations

import logging

from telegram import CallbackQuery, Message, Update

from handlers.common import close_question, note_closing, replace_buttons, shows_pressed_button
from handlers.naming import TIMING_TEXTS
from handlers.resident import keyboards
from handlers.resident.callbacks import Action, Button
from handlers.resident.conversation import Conversation
from handlers.texts import Html, T, plain, t
from reports.models import Draft, Language, LocationSource, StaleDraftError, Step, Timing
from services import followers
from services.followers import FollowOutcome
from services.ports import Reporter, Shown
from services.reporting import submit_report

log = logging.getLogger(__name__)

STEP_OF_ACTION = {
    Action.CATEGORY: Step.CATEGORY,
    Action.WIJK_LIST: Step.LOCATION,
    Action.WIJK: Step.LOCATION,
    Action.BUURT: Step.LOCATION,
    Action.PHOTOS_DONE: Step.PHOTOS,
    Action.TIMING: Step.TIMING,
    Action.CONTACT: Step.CONTACT,
    Action.CONFIRM: Step.CONFIRM,
    Action.CHANGE_MENU: Step.CONFIRM,
    Action.CHANGE_FIELD: Step.CONFIRM,
    Action.SAME: Step.DESCRIPTION,
    Action.NOT_SAME: Step.DESCRIPTION,
}


async def on_button(conv: Conversation, update: Update, button: Button) -> None:
    """Apply a draft button, after checking it belongs to the current draft and step."""
    query = update.callback_query
    assert query is not None
    draft = await conv.draft()
    lang = conv.language
    if draft is None or draft.token != button.token:
        await query.answer(plain(T.STALE_BUTTON, lang), show_alert=True)
        await close_question(query)
        return
    if button.action is Action.CANCEL:
        await close_question(query)
        await conv.cancel()
        await query.answer()
        return
    if STEP_OF_ACTION[button.action] is not draft.next_step():
        await query.answer(plain(T.STALE_BUTTON, lang), show_alert=True)
        return
    if not await apply_button(conv, query, draft, button):
        await query.answer(plain(T.UNKNOWN_BUTTON, lang), show_alert=True)


def answered_press(query: CallbackQuery, lang: Language) -> str | None:
    """Render the pressed question with the label of the pressed button under it."""
    message = query.message
    if not isinstance(message, Message) or message.reply_markup is None:
        return None
    labels = [
        button.text
        for row in message.reply_markup.inline_keyboard
        for button in row
        if button.callback_data == query.data
    ]
    return answered_text(query, labels[0], lang) if labels else None


def answered(conv: Conversation, question: T, answer: str) -> str:
    """Render an answered question with the answer under it."""
    lang = conv.language
    return t(T.CHOSEN, lang, question=Html(t(question, lang)), answer=answer)


async def apply_button(
    conv: Conversation, query: CallbackQuery, draft: Draft, button: Button
) -> bool:
    """Apply one valid-looking button; return False when its value is unknown."""
    lang, token, config = conv.language, draft.token, conv.svc.config
    action, value = button.action, button.value
    if action is Action.CATEGORY:
        category = config.category(value)
        if category is None:
            return False
        # The category is asked on the reply keyboard (answers.on_text); this takes a press
        # on the inline buttons of a question asked before that (a draft begun earlier).
        draft.category_id = category.id
        await conv.save(draft)
        await query.answer()
        chosen = keyboards.category_label(category, lang)
        await close_question(query, answered(conv, T.ASK_CATEGORY, chosen))
        await conv.warn_if_urgent(draft)
        await conv.ask(draft)
    elif action is Action.WIJK_LIST:
        await query.answer()
        wijken = conv.svc.locations.neighbourhoods.wijken()
        await replace_buttons(query, t(T.ASK_WIJK, lang), keyboards.wijken(wijken, lang, token))
    elif action is Action.WIJK:
        wijk = conv.svc.locations.neighbourhoods.wijk(value)
        if wijk is None:
            return False
        await query.answer()
        buurten = conv.svc.locations.neighbourhoods.buurten(wijk.code)
        await replace_buttons(
            query,
            t(T.ASK_BUURT, lang, wijk=wijk.short_name),
            keyboards.buurten(buurten, lang, token),
        )
    elif action is Action.BUURT:
        found = conv.svc.locations.from_buurt(value, LocationSource.CHOSEN)
        if found is None:
            return False
        await close_question(query)
        await conv.apply_resolution(draft, found)
        await query.answer()
    elif action is Action.PHOTOS_DONE:
        draft.photos_done = True
        await conv.save(draft)
        await query.answer()
        await conv.ask_instead(query, draft, answered_press(query, lang))
    elif action is Action.TIMING:
        if value not in Timing.__members__.values():
            return False
        draft.timing = Timing(value)
        await conv.save(draft)
        await query.answer()
        answer = plain(TIMING_TEXTS[draft.timing], lang)
        await conv.ask_instead(query, draft, answered(conv, T.ASK_TIMING, answer))
    elif action is Action.CONTACT:
        if value not in ("yes", "no"):
            return False
        draft.contact_allowed = value == "yes"
        await conv.save(draft)
        await query.answer()
        answer = plain(T.CONTACT_YES if draft.contact_allowed else T.CONTACT_NO, lang)
        await conv.ask_instead(query, draft, answered(conv, T.ASK_CONTACT, answer))
    elif action is Action.CHANGE_MENU:
        await query.answer()
        await replace_buttons(query, t(T.ASK_CHANGE, lang), keyboards.change_menu(lang, token))
    elif action is Action.CHANGE_FIELD:
        if value not in {step.value for step, _ in keyboards.CHANGEABLE_STEPS}:
            return False
        draft.clear(Step(value))
        await conv.save(draft)
        await query.answer()
        await conv.ask_instead(query, draft, None)
    elif action is Action.CONFIRM:
        await confirm(conv, query, draft)
    elif action in (Action.SAME, Action.NOT_SAME):
        return await same_or_not(conv, query, draft, button)
    else:
        return False
    return True


async def same_or_not(
    conv: Conversation, query: CallbackQuery, draft: Draft, button: Button
) -> bool:
    """Follow the open report the resident recognised, or go on with a new report."""
    lang = conv.language
    if button.action is Action.NOT_SAME:
        await query.answer()
        answer = answered_text(query, plain(T.BTN_DUP_OTHER, lang), lang)
        await conv.ask_instead(query, draft, answer)
        return True
    if not button.value.isdigit():
        return False
    result = await followers.follow(conv.svc, draft, int(button.value))
    if result.outcome is FollowOutcome.GONE or result.report is None:
        await query.answer(plain(T.DUP_GONE, lang), show_alert=True)
        await close_question(query)
        await conv.ask(draft)
        return True
    await query.answer()
    await close_question(query, answered_text(query, result.report.reference, lang))
    await conv.say(t(T.DUP_FOLLOWING, lang, reference=result.report.reference))
    return True


def answered_text(query: CallbackQuery, answer: str, lang: Language) -> str | None:
    """Render the pressed message's text with the answer under it."""
    message = query.message
    if not isinstance(message, Message) or not message.text:
        return None
    return t(T.CHOSEN, lang, question=Html(message.text_html), answer=answer)


async def confirm(conv: Conversation, query: CallbackQuery, draft: Draft) -> None:
    """Commit the report, and only then give the resident its reference."""
    lang = conv.language
    try:
        reporter = (
            Reporter(conv.user.id, conv.user.first_name, conv.user.username)
            if draft.contact_allowed
            else None
        )
        summary = _summary_shown(query)
        report = await submit_report(conv.svc, draft, reporter, summary=summary)
    except StaleDraftError:
        await query.answer(plain(T.STALE_BUTTON, lang), show_alert=True)
        return
    except Exception:
        log.exception("committing the report of draft %s failed", draft.token)
        await query.answer()
        await conv.say(t(T.SAVE_FAILED, lang))
        return
    # The confirmation with the reference was queued in the report's own transaction: as the
    # edit that closes the summary when it was pressed there, else as a message of its own.
    await query.answer()
    if summary is None:
        await close_question(query)
    else:
        note_closing(query)  # the outbox's edit closes it
    log.info("report %s committed and routed to %s", report.reference, report.lead_partner)


def _summary_shown(query: CallbackQuery) -> Shown | None:
    """Return the summary whose Send was pressed, as it shows, if it still shows that button."""
    message = query.message
    if not isinstance(message, Message) or not message.text or not shows_pressed_button(query):
        return None
    return Shown(message.message_id, message.text_html)
