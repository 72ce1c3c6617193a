"""Let caseworkers type what a button cannot say, and pass questions and answers on.

A caseworker's reply to a report's notification is a question for the resident; a reply to a
prompt (the message a button made the bot send, recorded with `record_prompt`) completes what
the prompt asked for: a question, the reason a report is not the partner's, or a closing text.
The resident's answer to a question goes to the partner chat as a reply to the notification.
Names travel neither way.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from reports.kinds import CaseRole, OutboxKind
from reports.models import Report
from reports.records import RESIDENT
from reports.workflow import CaseAction, CaseConflict
from services.casework import (
    Casework,
    Conflict,
    Done,
    Purpose,
    Refused,
    TextFor,
    conflict,
    refusal,
)
from services.chain import Chain
from services.container import Services
from services.ports import Badge, ResidentNews
from storage.uow import Work

MAX_CASEWORKER_TEXT = 1000
MAX_ANSWER_CHARS = 2000


@dataclass(frozen=True)
class TooLong:
    """The typed text is longer than a caseworker's text may be; nothing changed."""

    length: int
    limit: int = MAX_CASEWORKER_TEXT


@dataclass(frozen=True)
class Asked:
    """The caseworker's question is on its way to the resident."""

    report: Report
    question: str
    notifications: tuple[int, ...] = ()
    """The report's lead notifications in the caseworker's chat (message ids), to refresh."""


Typed = Done | Asked | TooLong | Refused | Conflict


class CaseworkTexts(Casework):
    """The use cases of a caseworker typing in their chat."""

    async def record_prompt(self, report_id: int, purpose: Purpose, message_id: int) -> None:
        """Remember the prompt the bot sent in the chat, so that a reply to it completes it."""
        async with self.svc.uow() as work:
            report = await work.cases.get(report_id)
            if report is None:
                return
            await work.cases.add_message(
                report.id,
                report.lead_partner or "",
                CaseRole.PROMPT,
                self.who.chat_id,
                self.svc.clock.now(),
                message_id=message_id,
                action=purpose.stored(),
                user_id=self.who.user_id,
            )

    async def take_text(self, replied_to: int, text: str) -> Typed | None:
        """Carry out what a reply to one of the report's messages is for; None: not ours."""
        who = self.who
        text = text.strip()
        async with self.svc.uow() as work:
            belongs = await work.cases.message(who.chat_id, replied_to)
            report = None if belongs is None else await work.cases.get(belongs.report_id)
            if belongs is None or report is None:
                return None
            refused = await refusal(self.chain, work, report, who, replied_to)
            if refused is not None:
                return refused
            if len(text) > MAX_CASEWORKER_TEXT:
                return TooLong(len(text))
            if belongs.role is CaseRole.PROMPT:
                purpose = Purpose.parse(belongs.action)
            else:
                purpose = Purpose(TextFor.ASK)
            outcome = await self.complete(work, report, purpose, text)
            if isinstance(outcome, Conflict):
                return outcome
            leads = await work.cases.messages(report.id, [CaseRole.LEAD])
        shown = tuple(message_id for _, chat_id, message_id in leads if chat_id == who.chat_id)
        return replace(outcome, notifications=shown)

    # --- steps inside a unit of work ---------------------------------------------------------

    async def complete(
        self, work: Work, report: Report, purpose: Purpose, text: str
    ) -> Done | Asked | Conflict:
        """Do what the typed text was for."""
        if purpose.text_for is TextFor.ASK:
            return await self.asked(work, report, text)
        if purpose.text_for is TextFor.NOT_OURS:
            return await self.handed_back(work, report, text)
        closing = self.svc.config.closing_text(purpose.closing_id)
        full = f"{closing.text(report.language)}\n{text}" if closing else text
        return await self.resolved(work, report, full)

    async def asked(self, work: Work, report: Report, question: str) -> Asked | Conflict:
        """Pass the caseworker's question to the resident without names; wait for the answer."""
        who, now = self.who, self.svc.clock.now()
        try:
            waiting = await work.cases.act(
                report.id,
                CaseAction.ASK_RESIDENT,
                who.actor(report.lead_partner),
                now,
                detail="question",
            )
        except CaseConflict as late:
            return conflict(late.report, who)
        await self.chain.tell_resident(work, waiting, ResidentNews.QUESTION, now, question=question)
        return Asked(waiting, question)

    async def handed_back(self, work: Work, report: Report, reason: str) -> Done | Conflict:
        """Give the report back to the coordinator, whose chat gets it with the reason."""
        who, now = self.who, self.svc.clock.now()
        try:
            rejected = await work.cases.act(
                report.id,
                CaseAction.NOT_OURS,
                who.actor(report.lead_partner),
                now,
                changes={"claimed_by_name": who.name},
                detail=reason,
            )
        except CaseConflict as late:
            return conflict(late.report, who)
        coordinator = self.chain.coordinator
        badge = Badge(rejected_by=report.lead_partner or coordinator, reason=reason)
        back = rejected.model_copy(update={"lead_partner": coordinator})
        links = await work.cases.links()
        await self.chain.notify_lead(work, back, links, now, badge=badge)
        return Done(rejected)


async def relay_answer(svc: Services, user_id: int, text: str) -> Report | None:
    """Relay a resident's text as the answer to their open question; None when there is none.

    The report goes back to the caseworker (in progress) and the answer, without names, to
    the chat of its latest notification, as a reply to it.
    """
    if not text:
        return None
    answer = text.strip()[:MAX_ANSWER_CHARS]
    now = svc.clock.now()
    chain = Chain(svc.config, svc.messages)
    async with svc.uow() as work:
        report = await work.cases.awaiting_answer(user_id)
        if report is None:
            return None
        answered = await work.cases.act(report.id, CaseAction.RESIDENT_ANSWERED, RESIDENT, now)
        leads = await work.cases.messages(report.id, [CaseRole.LEAD])
        if leads:
            partner_id, chat_id, message_id = leads[-1]
            language = chain.chat_language(chat_id, await work.cases.links())
            row = await chain.tell_chat(
                work,
                answered,
                chat_id,
                svc.messages.relayed_answer(answered, answer, language),
                now,
                kind=OutboxKind.RELAY_ANSWER,
                reply_to_message=message_id,
            )
            if row is not None:
                await work.cases.add_message(
                    answered.id, partner_id, CaseRole.ANSWER, chat_id, now, outbox_id=row
                )
    return answered
