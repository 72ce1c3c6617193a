"""Guide a resident through a report; the next question always follows from the stored draft."""

from __future__ import annotations

import logging
import secrets
from datetime import datetime, timedelta

from telegram import CallbackQuery, Message, ReplyKeyboardRemove, Update, User
from telegram.ext import ContextTypes

from handlers import keyboards
from handlers.callbacks import Action, Button
from handlers.common import ReplyMarkup, close_question, replace_buttons, send
from handlers.proactive.followup import take_addition
from handlers.proactive.survey import take_comment
from handlers.relay import relay_answer
from handlers.services import Services, language_of, services
from handlers.summary import location_line, render_summary
from handlers.texts import Html, T, plain, t
from reports.locating import Choose, Found, NotFound, Outside, Resolution, Unavailable
from reports.models import Draft, Language, LocationSource, Step, Timing
from services.ports import Reporter
from services.reporting import submit_report
from storage.reports import StaleDraftError

log = logging.getLogger(__name__)

EXPECTATIONS = {
    Step.CATEGORY: T.EXPECT_CATEGORY,
    Step.LOCATION: T.EXPECT_LOCATION,
    Step.DESCRIPTION: T.EXPECT_DESCRIPTION,
    Step.PHOTOS: T.EXPECT_PHOTOS,
    Step.TIMING: T.EXPECT_TIMING,
    Step.CONTACT: T.EXPECT_CONTACT,
    Step.CONFIRM: T.EXPECT_CONFIRM,
}
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
}


TELEGRAM_SPLIT_CHARS = 4096
"""Telegram apps send a longer text as several messages of at most this many characters."""
SPLIT_WINDOW = timedelta(seconds=2)


def _continues_overflow(draft: Draft, sent_at: datetime) -> bool:
    """Return whether a text arrived right after an overlong one, as the rest of it."""
    if draft.overflow_at is None:
        return False
    return timedelta(0) <= sent_at - draft.overflow_at <= SPLIT_WINDOW


class Conversation:
    """One resident's exchange with the bot, around their draft."""

    def __init__(self, context: ContextTypes.DEFAULT_TYPE, user: User, chat_id: int) -> None:
        self.context = context
        self.svc: Services = services(context)
        self.user = user
        self.chat_id = chat_id
        self.language = Language.NL

    async def begin(self) -> Conversation:
        """Work out the resident's language."""
        self.language = await language_of(self.svc, self.user)
        return self

    @classmethod
    async def of(cls, update: Update, context: ContextTypes.DEFAULT_TYPE) -> Conversation:
        """Return the conversation with the update's user in the update's chat."""
        user, chat = update.effective_user, update.effective_chat
        assert user is not None and chat is not None
        return await cls(context, user, chat.id).begin()

    async def say(self, text: str, markup: ReplyMarkup | None = None) -> None:
        """Send the resident an HTML text."""
        await send(self.context, self.chat_id, text, markup)

    async def draft(self) -> Draft | None:
        """Return the resident's live draft; an expired one is erased and the resident told."""
        draft = await self.svc.drafts.get(self.user.id)
        if draft is None:
            return None
        minutes = self.svc.config.timings.draft_expiry_minutes
        if draft.updated_at + timedelta(minutes=minutes) <= self.svc.clock.now():
            if await self.svc.drafts.delete_if_unchanged(draft.user_id, draft.updated_at):
                await self.say(
                    t(T.DRAFT_EXPIRED, self.language, minutes=minutes), ReplyKeyboardRemove()
                )
            return None
        return draft

    async def save(self, draft: Draft) -> None:
        """Store the draft with the time of this answer."""
        draft.updated_at = self.svc.clock.now()
        draft.language = self.language
        await self.svc.drafts.save(draft)

    async def start(self) -> None:
        """Start a new draft, or pick up the one in progress."""
        draft = await self.draft()
        if draft is not None:
            await self.say(t(T.RESUMING, self.language))
            await self.ask(draft)
            return
        now = self.svc.clock.now()
        draft = Draft(
            user_id=self.user.id,
            chat_id=self.chat_id,
            token=secrets.token_hex(3),
            language=self.language,
            created_at=now,
            updated_at=now,
        )
        await self.save(draft)
        await self.ask(draft)

    async def ask(self, draft: Draft) -> None:
        """Ask the question the draft has no answer to yet."""
        lang, token = self.language, draft.token
        rules = self.svc.config.reports
        step = draft.next_step()
        if step is Step.CATEGORY:
            markup = keyboards.categories(self.svc.config.categories, lang, token)
            await self.say(t(T.ASK_CATEGORY, lang), markup)
        elif step is Step.LOCATION:
            await self.say(t(T.ASK_LOCATION, lang), keyboards.location_request(lang))
        elif step is Step.DESCRIPTION:
            text = t(
                T.ASK_DESCRIPTION,
                lang,
                min=rules.description_min_chars,
                max=rules.description_max_chars,
            )
            await self.say(text)
        elif step is Step.PHOTOS and rules.max_photos == 0:
            draft.photos_done = True
            await self.save(draft)
            await self.ask(draft)
        elif step is Step.PHOTOS:
            await self.say(
                t(T.ASK_PHOTOS, lang, max=rules.max_photos),
                keyboards.photos(lang, token, received=len(draft.photo_file_ids)),
            )
        elif step is Step.TIMING:
            await self.say(t(T.ASK_TIMING, lang), keyboards.timing(lang, token))
        elif step is Step.CONTACT:
            await self.say(t(T.ASK_CONTACT, lang), keyboards.contact(lang, token))
        else:
            text = render_summary(draft, lang, self.svc.config)
            await self.say(text, keyboards.summary(lang, token))

    async def remind(self, draft: Draft | None) -> None:
        """Say what is expected now, and ask it again."""
        lang = self.language
        if draft is None:
            await self.say(t(T.NO_DRAFT, lang), keyboards.new_report(lang))
            return
        rules = self.svc.config.reports
        expected = t(
            EXPECTATIONS[draft.next_step()],
            lang,
            min=rules.description_min_chars,
            max=rules.description_max_chars,
        )
        await self.say(expected)
        if draft.next_step() is not Step.DESCRIPTION:
            await self.ask(draft)

    async def warn_if_urgent(self, draft: Draft) -> None:
        """Point to 112 once per draft when the category or description signals danger."""
        if draft.urgent_warned:
            return
        category = self.svc.config.category(draft.category_id or "")
        if not self.svc.urgency.is_urgent(category, draft.description):
            return
        draft.urgent_warned = True
        await self.save(draft)
        await self.say(t(T.URGENT, self.language))
        await self.context.bot.send_contact(
            chat_id=self.chat_id,
            phone_number="112",
            first_name=plain(T.URGENT_CONTACT_NAME, self.language),
        )

    # --- answers in messages -------------------------------------------------------------

    async def on_text(self, message: Message) -> None:
        """Take a typed answer for the current step."""
        draft = await self.draft()
        text = message.text or ""
        if draft is None:
            relayed = await relay_answer(self.svc, self.user.id, message)
            if relayed is not None:
                await self.say(t(T.R_ANSWER_RELAYED, self.language, reference=relayed.reference))
                return
            if await self.add_to_report(message):
                return
            comment = await take_comment(self.svc, self.user.id, message, self.language)
            if comment is not None:
                await self.say(comment)
                return
            await self.remind(None)
            return
        if text.strip() == plain(T.BTN_CANCEL, self.language).strip():
            await self.cancel()
            return
        step = draft.next_step()
        if step is Step.LOCATION:
            if text.strip() == plain(T.BTN_CHOOSE_WIJK, self.language).strip():
                await self.show_wijken(draft)
                return
            await self.apply_resolution(draft, await self.svc.locations.from_text(text))
        elif step is Step.DESCRIPTION:
            await self.take_description(draft, text, message.date)
        else:
            await self.remind(draft)

    async def take_description(self, draft: Draft, text: str, sent_at: datetime) -> None:
        """Store a description within the configured length."""
        rules = self.svc.config.reports
        if _continues_overflow(draft, sent_at):
            # Telegram apps split a pasted text over 4096 characters into several messages;
            # the first part was already answered as too long, so the rest is not a new answer.
            draft.overflow_at = sent_at
            await self.save(draft)
            return
        cleaned = text.strip()
        length = len(cleaned)
        if length < rules.description_min_chars:
            msg = T.DESCRIPTION_TOO_SHORT
        elif length > rules.description_max_chars:
            msg = T.DESCRIPTION_TOO_LONG
            if len(text) >= TELEGRAM_SPLIT_CHARS:
                draft.overflow_at = sent_at
                await self.save(draft)
        else:
            draft.description = cleaned
            draft.overflow_at = None
            await self.save(draft)
            await self.warn_if_urgent(draft)
            await self.ask(draft)
            return
        limits = {"min": rules.description_min_chars, "max": rules.description_max_chars}
        await self.say(t(msg, self.language, length=length, **limits))

    async def on_location(self, message: Message) -> None:
        """Take a shared pin, venue or live location."""
        draft = await self.draft()
        if draft is None or draft.next_step() is not Step.LOCATION:
            await self.remind(draft)
            return
        if message.venue is not None:
            venue = message.venue
            label = f"{venue.title}, {venue.address}" if venue.address else venue.title
            resolution: Resolution = self.svc.locations.from_point(
                venue.location.latitude, venue.location.longitude, LocationSource.VENUE, label
            )
        elif message.location is not None:
            point = message.location
            source = LocationSource.LIVE if point.live_period else LocationSource.PIN
            resolution = self.svc.locations.from_point(point.latitude, point.longitude, source)
        else:
            await self.remind(draft)
            return
        await self.apply_resolution(draft, resolution)

    async def apply_resolution(self, draft: Draft, resolution: Resolution) -> None:
        """Store a found place, or say why it was not found and what to do instead."""
        lang, token = self.language, draft.token
        municipality = self.svc.config.municipality.name
        if isinstance(resolution, Found):
            draft.location = resolution.location
            await self.save(draft)
            await self.say(location_line(resolution.location, lang), ReplyKeyboardRemove())
            await self.ask(draft)
        elif isinstance(resolution, Choose):
            await self.say(
                t(T.LOCATION_AMBIGUOUS, lang, query=resolution.query),
                keyboards.buurten(resolution.candidates, lang, token),
            )
        elif isinstance(resolution, Outside):
            await self.say(
                t(T.LOCATION_OUTSIDE, lang, municipality=municipality),
                keyboards.choose_wijk_button(lang, token),
            )
        elif isinstance(resolution, NotFound):
            await self.say(
                t(T.LOCATION_NOT_FOUND, lang, query=resolution.query, municipality=municipality),
                keyboards.choose_wijk_button(lang, token),
            )
        elif isinstance(resolution, Unavailable):
            await self.say(
                t(T.GEOCODER_UNAVAILABLE, lang), keyboards.choose_wijk_button(lang, token)
            )

    async def show_wijken(self, draft: Draft) -> None:
        """Offer the district list in a new message."""
        wijken = self.svc.locations.neighbourhoods.wijken()
        await self.say(
            t(T.ASK_WIJK, self.language), keyboards.wijken(wijken, self.language, draft.token)
        )

    async def on_photo(self, message: Message) -> None:
        """Keep a photo's file id (not the photo) while photos are asked for."""
        draft = await self.draft()
        limit = self.svc.config.reports.max_photos
        if draft is None and await self.add_to_report(message):
            return
        if draft is None or draft.next_step() is not Step.PHOTOS:
            full = draft is not None and len(draft.photo_file_ids) >= limit
            if full:
                await self.say(t(T.PHOTOS_FULL, self.language, max=limit))
            await self.remind(draft)
            return
        largest = max(message.photo, key=lambda size: size.width * size.height)
        draft.photo_file_ids.append(largest.file_id)
        await self.take_caption(draft, message.caption)
        if len(draft.photo_file_ids) >= limit:
            draft.photos_done = True
            await self.save(draft)
            await self.ask(draft)
            return
        await self.save(draft)
        count = len(draft.photo_file_ids)
        await self.say(
            t(T.PHOTO_RECEIVED, self.language, count=count, max=limit),
            keyboards.photos(self.language, draft.token, received=count),
        )

    async def add_to_report(self, message: Message) -> bool:
        """Add a text or photo to the report whose follow-up asked for more; say so."""
        added = await take_addition(self.svc, self.user.id, message, self.language)
        if added is None:
            return False
        await self.say(added)
        return True

    async def take_caption(self, draft: Draft, caption: str | None) -> None:
        """Add a photo's caption to the description when it fits, and say what happened."""
        if not caption or not caption.strip():
            return
        extra = caption.strip()
        combined = f"{draft.description}\n{extra}" if draft.description else extra
        if len(combined) <= self.svc.config.reports.description_max_chars:
            draft.description = combined
            await self.say(t(T.CAPTION_ADDED, self.language))
        else:
            await self.say(t(T.CAPTION_TOO_LONG, self.language))

    async def cancel(self) -> None:
        """Discard the draft, if there is one."""
        existed = await self.svc.drafts.delete(self.user.id)
        text = T.CANCELLED if existed else T.NOTHING_TO_CANCEL
        await self.say(t(text, self.language), ReplyKeyboardRemove())

    # --- answers by buttons ---------------------------------------------------------------

    async def on_button(self, update: Update, button: Button) -> None:
        """Apply a draft button, after checking it belongs to the current draft and step."""
        query = update.callback_query
        assert query is not None
        draft = await self.draft()
        lang = self.language
        if draft is None or draft.token != button.token:
            await query.answer(plain(T.STALE_BUTTON, lang), show_alert=True)
            await close_question(query)
            return
        if button.action is Action.CANCEL:
            await query.answer()
            await close_question(query)
            await self.cancel()
            return
        if STEP_OF_ACTION[button.action] is not draft.next_step():
            await query.answer(plain(T.STALE_BUTTON, lang), show_alert=True)
            return
        if not await self.apply_button(query, draft, button):
            await query.answer(plain(T.UNKNOWN_BUTTON, lang), show_alert=True)

    def chosen(self, question: T, answer: str) -> str:
        """Render an answered question with the answer under it."""
        lang = self.language
        return t(T.CHOSEN, lang, question=Html(t(question, lang)), answer=answer)

    async def apply_button(self, query: CallbackQuery, draft: Draft, button: Button) -> bool:
        """Apply one valid-looking button; return False when its value is unknown."""
        lang, token, config = self.language, draft.token, self.svc.config
        action, value = button.action, button.value
        if action is Action.CATEGORY:
            category = config.category(value)
            if category is None:
                return False
            await query.answer()
            draft.category_id = category.id
            await self.save(draft)
            chosen = f"{category.emoji} {category.name(lang)}".strip()
            await close_question(query, self.chosen(T.ASK_CATEGORY, chosen))
            await self.warn_if_urgent(draft)
            await self.ask(draft)
        elif action is Action.WIJK_LIST:
            await query.answer()
            wijken = self.svc.locations.neighbourhoods.wijken()
            await replace_buttons(query, t(T.ASK_WIJK, lang), keyboards.wijken(wijken, lang, token))
        elif action is Action.WIJK:
            wijk = self.svc.locations.neighbourhoods.wijk(value)
            if wijk is None:
                return False
            await query.answer()
            buurten = self.svc.locations.neighbourhoods.buurten(wijk.code)
            await replace_buttons(
                query,
                t(T.ASK_BUURT, lang, wijk=wijk.short_name),
                keyboards.buurten(buurten, lang, token),
            )
        elif action is Action.BUURT:
            found = self.svc.locations.from_buurt(value, LocationSource.CHOSEN)
            if found is None:
                return False
            await query.answer()
            await close_question(query)
            await self.apply_resolution(draft, found)
        elif action is Action.PHOTOS_DONE:
            await query.answer()
            draft.photos_done = True
            await self.save(draft)
            await close_question(query)
            await self.ask(draft)
        elif action is Action.TIMING:
            if value not in Timing.__members__.values():
                return False
            await query.answer()
            draft.timing = Timing(value)
            await self.save(draft)
            answer = plain(keyboards.TIMING_TEXTS[draft.timing], lang)
            await close_question(query, self.chosen(T.ASK_TIMING, answer))
            await self.ask(draft)
        elif action is Action.CONTACT:
            if value not in ("yes", "no"):
                return False
            await query.answer()
            draft.contact_allowed = value == "yes"
            await self.save(draft)
            answer = plain(T.CONTACT_YES if draft.contact_allowed else T.CONTACT_NO, lang)
            await close_question(query, self.chosen(T.ASK_CONTACT, answer))
            await self.ask(draft)
        elif action is Action.CHANGE_MENU:
            await query.answer()
            await replace_buttons(query, t(T.ASK_CHANGE, lang), keyboards.change_menu(lang, token))
        elif action is Action.CHANGE_FIELD:
            if value not in {step.value for step, _ in keyboards.CHANGEABLE_STEPS}:
                return False
            await query.answer()
            draft.clear(Step(value))
            await self.save(draft)
            await close_question(query)
            await self.ask(draft)
        elif action is Action.CONFIRM:
            await self.confirm(query, draft)
        else:
            return False
        return True

    async def confirm(self, query: CallbackQuery, draft: Draft) -> None:
        """Commit the report, and only then give the resident its reference."""
        lang = self.language
        try:
            reporter = (
                Reporter(self.user.id, self.user.first_name, self.user.username)
                if draft.contact_allowed
                else None
            )
            report = await submit_report(self.svc, draft, reporter)
        except StaleDraftError:
            await query.answer(plain(T.STALE_BUTTON, lang), show_alert=True)
            return
        except Exception:
            log.exception("committing the report of draft %s failed", draft.token)
            await query.answer()
            await self.say(t(T.SAVE_FAILED, lang))
            return
        await query.answer()
        await close_question(query)
        log.info("report %s committed and routed to %s", report.reference, report.lead_partner)
        await self.say(t(T.CONFIRMED, lang, reference=report.reference), ReplyKeyboardRemove())
