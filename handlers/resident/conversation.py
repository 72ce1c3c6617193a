"""Guide a resident through a report; the next question always follows from the stored draft.

See report_flow.mmd for the conversation. The draft lives in SQLite (`services.drafting`);
this module asks its questions and reminds the resident what is expected. The answers are
taken in answers.py (typed text, pins, photos) and buttons.py (inline buttons).

A button answer costs two Bot API calls where it can: the press is answered, and its question
is turned into the next one in one edit (`ask_instead`), so the chat keeps each answer above
the question that followed it; a place comes back with the next question in one message. The
category is a key of the reply keyboard: the tap is the resident's message (the chat shows the
choice as theirs), answered with one call, the place question that brings its own keyboard.
"""

from __future__ import annotations

from telegram import (
    CallbackQuery,
    InlineKeyboardMarkup,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
    User,
)
from telegram.ext import ContextTypes

from handlers.common import ReplyMarkup, close_question, send, turn_question
from handlers.resident import keyboards
from handlers.resident.summary import duplicate_cards, location_line, render_summary
from handlers.services import Services, language_of, services
from handlers.texts import Html, T, plain, t
from reports.categories import Category
from reports.locating import Choose, Found, NotFound, Outside, Resolution, Unavailable
from reports.models import Draft, Language, Step
from services import followers
from services.drafting import Drafting

MAX_TURNED_CHARS = 4000
"""The longest HTML of an answered question with the next one that is put in one message
(Telegram takes 4096 characters of text; the HTML is never shorter than its text)."""

EXPECTATIONS = {
    Step.CATEGORY: T.EXPECT_CATEGORY,
    Step.LOCATION: T.EXPECT_LOCATION,
    Step.DESCRIPTION: T.EXPECT_DESCRIPTION,
    Step.PHOTOS: T.EXPECT_PHOTOS,
    Step.TIMING: T.EXPECT_TIMING,
    Step.CONTACT: T.EXPECT_CONTACT,
    Step.CONFIRM: T.EXPECT_CONFIRM,
}


class Conversation:
    """One resident's exchange with the bot, around their draft."""

    def __init__(self, context: ContextTypes.DEFAULT_TYPE, user: User, chat_id: int) -> None:
        self.context = context
        self.svc: Services = services(context)
        self.drafting = Drafting(self.svc)
        self.user = user
        self.chat_id = chat_id
        self.language = Language.NL

    @classmethod
    async def of(cls, update: Update, context: ContextTypes.DEFAULT_TYPE) -> Conversation:
        """Return the conversation with the update's user in the update's chat."""
        user, chat = update.effective_user, update.effective_chat
        assert user is not None and chat is not None
        conversation = cls(context, user, chat.id)
        conversation.language = await language_of(conversation.svc, user)
        return conversation

    async def say(self, text: str, markup: ReplyMarkup | None = None) -> None:
        """Send the resident an HTML text."""
        await send(self.context, self.chat_id, text, markup)

    async def draft(self) -> Draft | None:
        """Return the resident's live draft; an expired one is erased and the resident told."""
        current = await self.drafting.current(self.user.id)
        if current.expired:
            minutes = self.svc.config.timings.draft_expiry_minutes
            await self.say(t(T.DRAFT_EXPIRED, self.language, count=minutes), ReplyKeyboardRemove())
        return current.draft

    async def save(self, draft: Draft) -> None:
        """Store the draft with the time of this answer."""
        await self.drafting.save(draft, self.language)

    async def start(self) -> None:
        """Start a new draft, or pick up the one in progress."""
        draft = await self.draft()
        if draft is not None:
            await self.say(t(T.RESUMING, self.language))
        else:
            draft = await self.drafting.start(self.user.id, self.chat_id, self.language)
        await self.ask(draft)

    async def cancel(self) -> None:
        """Discard the draft, if there is one."""
        existed = await self.drafting.cancel(self.user.id)
        text = T.CANCELLED if existed else T.NOTHING_TO_CANCEL
        await self.say(t(text, self.language), ReplyKeyboardRemove())

    async def ask(self, draft: Draft) -> None:
        """Ask the question the draft has no answer to yet."""
        await self.say(*await self.question(draft))

    async def ask_instead(self, query: CallbackQuery, draft: Draft, answer: str | None) -> None:
        """Turn the question whose button was pressed into the next one, in one edit.

        The message then shows the question with the answer given (`answer`: the text for
        it; None shows nothing of it) above the next question and its buttons. A next
        question that needs a reply keyboard (the location button) cannot be put into an
        edit: the answered question is closed and the next one sent, as is done when the
        message cannot be edited (too old, or no longer showing the pressed button).
        """
        text, markup = await self.question(draft)
        joined = text if answer is None else f"{answer}\n\n{text}"
        inline = markup if isinstance(markup, InlineKeyboardMarkup) else None
        if (
            inline is markup
            and len(joined) <= MAX_TURNED_CHARS
            and await turn_question(query, joined, inline)
        ):
            return
        await close_question(query, answer)
        await self.say(text, markup)

    async def question(self, draft: Draft) -> tuple[str, ReplyMarkup | None]:
        """Return the question the draft has no answer to yet, with its buttons."""
        lang, token = self.language, draft.token
        rules = self.svc.config.reports
        step = draft.next_step()
        if step is Step.CATEGORY:
            return t(T.ASK_CATEGORY, lang), keyboards.categories(self.svc.config.categories, lang)
        if step is Step.LOCATION:
            return t(T.ASK_LOCATION, lang), keyboards.location_request(lang)
        if step is Step.DESCRIPTION:
            text = t(
                T.ASK_DESCRIPTION,
                lang,
                min=rules.description_min_chars,
                max=rules.description_max_chars,
            )
            return text, None
        if step is Step.PHOTOS and rules.max_photos == 0:
            draft.photos_done = True
            await self.save(draft)
            return await self.question(draft)
        if step is Step.PHOTOS:
            return (
                t(T.ASK_PHOTOS, lang, count=rules.max_photos),
                keyboards.photos(lang, token, received=len(draft.photo_file_ids)),
            )
        if step is Step.TIMING:
            return t(T.ASK_TIMING, lang), keyboards.timing(lang, token)
        if step is Step.CONTACT:
            return t(T.ASK_CONTACT, lang), keyboards.contact(lang, token)
        text = render_summary(draft, lang, self.svc.config)
        return text, keyboards.summary(lang, token)

    async def choose_category(self, draft: Draft, category: Category) -> None:
        """Store the category tapped on the reply keyboard, point to 112 if it signals danger,
        and ask the next question.

        The next question is the place's (its keys replace the category keys) in one message;
        after a change from the summary it is the summary again, whose inline buttons cannot
        take the category keys away: a line with the new category does that first.
        """
        draft.category_id = category.id
        await self.save(draft)
        await self.warn_if_urgent(draft)
        text, markup = await self.question(draft)
        if markup is None or isinstance(markup, ReplyKeyboardMarkup):
            await self.say(text, markup or ReplyKeyboardRemove())
            return
        label = keyboards.category_label(category, self.language)
        field = Html(t(T.FIELD_CATEGORY, self.language))
        await self.say(
            t(T.CHOSEN, self.language, question=field, answer=label), ReplyKeyboardRemove()
        )
        await self.say(text, markup)

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
        if await self.drafting.needs_urgent_warning(draft, self.language):
            await self.point_to_112()

    async def point_to_112(self, text: T = T.URGENT) -> None:
        """Tell the resident to call 112 now, with a tap-to-call contact."""
        await self.say(t(text, self.language))
        await self.context.bot.send_contact(
            chat_id=self.chat_id,
            phone_number="112",
            first_name=plain(T.URGENT_CONTACT_NAME, self.language),
        )

    async def apply_resolution(self, draft: Draft, resolution: Resolution) -> None:
        """Store a found place, or say why it was not found and what to do instead."""
        lang, token = self.language, draft.token
        municipality = self.svc.config.municipality.name
        if isinstance(resolution, Found):
            draft.location = resolution.location
            await self.save(draft)
            line = location_line(resolution.location, lang)
            if await self.offer_duplicates(draft, line):
                return
            text, markup = await self.question(draft)
            if markup is None:  # the place and the next question in one message
                await self.say(f"{line}\n\n{text}", ReplyKeyboardRemove())
            else:
                await self.say(line, ReplyKeyboardRemove())
                await self.say(text, markup)
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

    async def offer_duplicates(self, draft: Draft, line: str) -> bool:
        """Show open reports nearby of the same kind, if any ("already reported?"), after the
        line that says which place was taken."""
        cards = await followers.nearby_open(self.svc, draft)
        if not cards:
            return False
        await self.say(line, ReplyKeyboardRemove())
        await self.say(
            duplicate_cards(self.svc, cards, self.language),
            keyboards.duplicates([c.report.id for c in cards], self.language, draft.token),
        )
        return True

    async def show_wijken(self, draft: Draft) -> None:
        """Offer the district list in a new message."""
        wijken = self.svc.locations.neighbourhoods.wijken()
        await self.say(
            t(T.ASK_WIJK, self.language), keyboards.wijken(wijken, self.language, draft.token)
        )
