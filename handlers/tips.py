"""Send one prevention tip after a report, and the neighbourhood digest to subscribers.

`tips_after_report` after a report is committed (out of the quiet hours) the resident gets
one tip of the report's category from `[tips.<category>]`, queued in the commit transaction
under the dedupe key `tip:<report>`. `/tips` subscribes the resident to the digest of the wijk
of their latest report (or one they pick from the wijk list); every `digest_every` the sweep
queues a digest of that wijk's reports in the period: counts per category and how many were
resolved, never a single report's details or location, with a tip. `/tips uit` (or
`/tips off`) unsubscribes. Both are proactive: /stop and the quiet hours apply.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatType
from telegram.ext import ContextTypes

from handlers.common import close_question, one_at_a_time, send
from handlers.proactive import queue_proactive, stop_row
from handlers.services import Services, language_of, services
from handlers.texts import Html, T, plain, t
from reports.models import Language, Report
from reports.survey import pick_tip, tip_key
from storage.database import Session
from storage.digests import Subscription, WijkCounts

log = logging.getLogger(__name__)

TIP_KIND = "tip.report"
DIGEST_KIND = "digest.wijk"
WIJK_DATA = re.compile(r"tw:(?P<code>WK\d{6})")
OFF_WORDS = frozenset({"uit", "off"})
FALLBACK_CATEGORY = "overig"

Step = Callable[[Session, Report], Awaitable[Report]]


class Tips:
    """Schedule tips after reports, keep subscriptions and queue the digests that fell due."""

    def __init__(self, svc: Services) -> None:
        self.svc = svc
        self.config = svc.config
        self.zone = svc.config.municipality.zone

    # --- the tip after a report ------------------------------------------------------------

    async def schedule_tip(self, session: Session, report: Report) -> bool:
        """Queue one tip for the report's category; False when there is none or no one to tell."""
        language = report.language
        tip = pick_tip(self.config.tips_for(report.category_id, language), report.id)
        if tip is None or not report.user_id:
            return False
        due = self.config.schedule.tips_after_report.after(report.created_at, self.zone)
        text = t(
            T.R_TIP,
            language,
            reference=report.reference,
            category=self.category_name(report.category_id, language),
            tip=tip,
        )
        markup = InlineKeyboardMarkup([stop_row(language)])
        row = await queue_proactive(
            self.svc,
            session,
            user_id=report.user_id,
            kind=TIP_KIND,
            params={"text": text, "parse_mode": "HTML", "reply_markup": markup.to_dict()},
            due=due,
            now=report.created_at,
            report_id=report.id,
            dedupe_key=tip_key(report.id),
        )
        return row is not None

    # --- subscriptions ---------------------------------------------------------------------

    async def subscribe(self, user_id: int, wijk_code: str, language: Language) -> str:
        """Subscribe a resident to a wijk's digest; return what to tell them."""
        now = self.svc.clock.now()
        first = self.config.schedule.digest_every.after(now, self.zone)
        await self.svc.digests.subscribe(user_id, wijk_code, now, first)
        log.info("a resident subscribed to the digest of %s", wijk_code)
        return t(
            T.TIPS_SUBSCRIBED,
            language,
            wijk=self.wijk_name(wijk_code),
            date=f"{first.astimezone(self.zone):%d-%m-%Y}",
        )

    def wijk_keyboard(self) -> InlineKeyboardMarkup:
        """List the wijken to subscribe to, two to a row."""
        buttons = [
            InlineKeyboardButton(w.short_name, callback_data=f"tw:{w.code}")
            for w in self.svc.locations.neighbourhoods.wijken()
        ]
        return InlineKeyboardMarkup([buttons[i : i + 2] for i in range(0, len(buttons), 2)])

    # --- digests ---------------------------------------------------------------------------

    async def send_due_digests(self) -> int:
        """Queue the digest of every subscription that fell due; return how many were queued."""
        now = self.svc.clock.now()
        queued = 0
        for due in await self.svc.digests.due(now):
            next_at = self.config.schedule.digest_every.after(due.next_at, self.zone)
            language = await self.svc.residents.language(due.user_id) or Language.NL

            async def queue(session: Session, due: Subscription, counts: WijkCounts) -> None:
                await self.queue_digest(session, due, counts, language)  # noqa: B023

            if await self.svc.digests.deliver(due, next_at, queue):
                queued += 1
        if queued:
            self.svc.wake_sender()
        return queued

    async def queue_digest(
        self, session: Session, due: Subscription, counts: WijkCounts, language: Language
    ) -> None:
        """Queue one digest: counts per category and resolved ones, never a report's details."""
        lines = "\n".join(
            t(T.R_DIGEST_LINE, language, category=self.category_name(c, language), count=n)
            for c, n in counts.per_category.items()
        ) or t(T.R_DIGEST_NONE, language)
        busiest = next(iter(counts.per_category), FALLBACK_CATEGORY)
        tips = self.config.tips_for(busiest, language) or self.config.tips_for(
            FALLBACK_CATEGORY, language
        )
        until = due.next_at.astimezone(self.zone)
        text = t(
            T.R_DIGEST,
            language,
            wijk=self.wijk_name(due.wijk_code),
            since=f"{due.since.astimezone(self.zone):%d-%m-%Y}",
            until=f"{until:%d-%m-%Y}",
            lines=Html(lines),
            resolved=counts.resolved,
            total=counts.total,
            tip=pick_tip(tips, int(until.timestamp())) or "-",
        )
        markup = InlineKeyboardMarkup([stop_row(language)])
        now = self.svc.clock.now()
        await queue_proactive(
            self.svc,
            session,
            user_id=due.user_id,
            kind=DIGEST_KIND,
            params={"text": text, "parse_mode": "HTML", "reply_markup": markup.to_dict()},
            due=now,
            now=now,
            dedupe_key=f"digest:{due.user_id}:{until:%Y%m%dT%H%M%S}",
        )

    # --- rendering -------------------------------------------------------------------------

    def category_name(self, category_id: str, language: Language) -> str:
        """Return a category's name in a language."""
        category = self.config.category(category_id)
        return category.name(language) if category else category_id

    def wijk_name(self, code: str) -> str:
        """Return the short name residents know a wijk by."""
        wijk = self.svc.locations.neighbourhoods.wijk(code)
        return wijk.short_name if wijk else code


@one_at_a_time
async def tips_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Subscribe to the digest of the resident's wijk after /tips; unsubscribe after /tips uit."""
    user, chat, message = update.effective_user, update.effective_chat, update.effective_message
    if user is None or chat is None or message is None:
        return
    svc = services(context)
    language = await language_of(svc, user)
    words = (message.text or "").split()[1:]
    if words and words[0].lower() in OFF_WORDS:
        stopped = await svc.digests.unsubscribe(user.id)
        await send(
            context, chat.id, t(T.TIPS_UNSUBSCRIBED if stopped else T.TIPS_NOT_SUBSCRIBED, language)
        )
        return
    tips = Tips(svc)
    wijk = await svc.digests.latest_wijk(user.id)
    if wijk is None:
        await send(context, chat.id, t(T.TIPS_ASK_WIJK, language), tips.wijk_keyboard())
        return
    await send(context, chat.id, await tips.subscribe(user.id, wijk, language))


@one_at_a_time
async def wijk_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Subscribe to the wijk the resident picked from the list."""
    query = update.callback_query
    chat = update.effective_chat
    assert query is not None
    svc = services(context)
    language = await language_of(svc, query.from_user)
    match = WIJK_DATA.fullmatch(query.data or "")
    known = match is not None and svc.locations.neighbourhoods.wijk(match["code"]) is not None
    private = chat is not None and chat.type == ChatType.PRIVATE and chat.id == query.from_user.id
    if match is None or not known or chat is None or not private:
        await query.answer(plain(T.UNKNOWN_BUTTON, language), show_alert=True)
        return
    tips = Tips(svc)
    await query.answer()
    question = Html(t(T.TIPS_ASK_WIJK, language))
    answer = tips.wijk_name(match["code"])
    await close_question(query, t(T.CHOSEN, language, question=question, answer=answer))
    await send(context, chat.id, await tips.subscribe(query.from_user.id, match["code"], language))


async def send_digests(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Queue the digests that fell due (the sweep)."""
    queued = await Tips(services(context)).send_due_digests()
    if queued:
        log.info("%d digests queued", queued)
