"""Guide a resident through a report; the next question always follows from the stored draft.

See report_flow.mmd for the conversation. The draft lives in SQLite (`services.drafting`);
this module asks its questions and reminds the resident what is expected. The answers are
taken in answers.py (typed text, pins, photos) and buttons.py (inline buttons).
"""

from __future__ import annotations

from telegram import ReplyKeyboardRemove, Update, User
from telegram.ext import ContextTypes

from handlers.common import ReplyMarkup, send
from handlers.resident import keyboards
from handlers.resident.summary import duplicate_cards, location_line, render_summary
from handlers.services import Services, language_of, services
from handlers.texts import T, plain, t
from reports.locating import Choose, Found, NotFound, Outside, Resolution, Unavailable
from reports.models import Draft, Language, Step
from services import followers
from services.drafting import Drafting

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
                t(T.ASK_PHOTOS, lang, count=rules.max_photos),
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
            await self.say(location_line(resolution.location, lang), ReplyKeyboardRemove())
            if not await self.offer_duplicates(draft):
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

    async def offer_duplicates(self, draft: Draft) -> bool:
        """Show open reports nearby of the same kind, if any ("already reported?")."""
        cards = await followers.nearby_open(self.svc, draft)
        if not cards:
            return False
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
