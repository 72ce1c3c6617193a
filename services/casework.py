"""Let caseworkers handle a report from their partner chat: claim, resolve, forward.

Every use case runs in one unit of work, top to bottom: it checks who acts where
(`refusal`), applies the workflow action (a report that changed meanwhile gives `Conflict`)
and queues what the resident and the partner chats must hear; the handlers turn the results
into alerts, edited notifications and prompts. Typed texts are in `services.casework_texts`.

Longer than 300 lines because every caseworker action lives here, with the one check of
who may act where (`checked`) they all share.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from reports.kinds import ActorKind, CaseRole
from reports.models import Report, ReportStatus
from reports.records import Actor
from reports.workflow import CaseAction, CaseConflict, allowed_actions, handover
from services.chain import Chain
from services.container import Services
from services.ports import Badge, ResidentNews
from services.scheduling import Scheduler
from storage.uow import Work


@dataclass(frozen=True)
class Caseworker:
    """Someone acting on a report: a Telegram user (id, first name) in a chat."""

    user_id: int
    name: str
    chat_id: int

    def actor(self, partner_id: str | None) -> Actor:
        """Describe the caseworker for the audit trail, as acting for a partner."""
        return Actor(ActorKind.CASEWORKER, self.user_id, self.name, partner_id)


class Refusal(StrEnum):
    """Why someone may not do what they tried; nothing was changed."""

    UNKNOWN = "unknown"
    """No such report, or data that names no closing text or partner."""
    NOT_HERE = "not_here"
    """Another chat, another report's message, or a for-information copy."""
    NOT_CASEWORKER = "not_caseworker"
    """A member of the partner's chat who is not one of its caseworkers."""


@dataclass(frozen=True)
class Refused:
    """The caseworker may not act on this report here."""

    reason: Refusal
    partner_id: str | None = None
    """The partner whose caseworkers may act (with NOT_CASEWORKER)."""


@dataclass(frozen=True)
class Conflict:
    """The report changed meanwhile; the action no longer fits its status."""

    report: Report
    claimed_by_other: bool = False
    """Someone else has claimed it (their name is the report's `claimed_by_name`)."""


class TextFor(StrEnum):
    """What a caseworker is asked to type (the values are stored with the prompt)."""

    ASK = "ask"
    NOT_OURS = "not_ours"
    RESOLVE = "resolve"


_TEXT_ACTIONS = {
    TextFor.ASK: CaseAction.ASK_RESIDENT,
    TextFor.NOT_OURS: CaseAction.NOT_OURS,
    TextFor.RESOLVE: CaseAction.RESOLVE,
}


@dataclass(frozen=True)
class Purpose:
    """What a caseworker's typed text is for: a question, a reason, a closing text."""

    text_for: TextFor
    closing_id: str = ""
    """The standard closing text that the typed text explains (a reason it needs)."""

    @property
    def action(self) -> CaseAction:
        """Return the workflow action the text completes."""
        return _TEXT_ACTIONS[self.text_for]

    def stored(self) -> str:
        """Return the purpose as stored with its prompt: "ask", "resolve:<closing id>"."""
        return f"{self.text_for.value}:{self.closing_id}" if self.closing_id else self.text_for

    @classmethod
    def parse(cls, stored: str | None) -> Purpose:
        """Return a stored purpose; anything unknown is a question to the resident."""
        name, _, closing_id = (stored or "").partition(":")
        try:
            return cls(TextFor(name), closing_id)
        except ValueError:
            return cls(TextFor.ASK)


@dataclass(frozen=True)
class TextWanted:
    """Nothing changed yet: the caseworker may go on by typing a text for this purpose."""

    report: Report
    purpose: Purpose


@dataclass(frozen=True)
class Done:
    """The action was carried out; `report` is as it now is."""

    report: Report
    notifications: tuple[int, ...] = ()
    """The report's lead notifications in the caseworker's chat (message ids), to refresh."""


@dataclass(frozen=True)
class Forwarded:
    """The report has a new lead partner, whose chat gets a fresh notification."""

    before: Report
    """The report as the forwarding chat knew it (its notification keeps showing that)."""
    report: Report
    to: str


Checked = Report | Refused | Conflict


async def refusal(
    chain: Chain, work: Work, report: Report, who: Caseworker, message_id: int | None
) -> Refused | None:
    """Return why this person may not act on this report in this chat; None when they may.

    A caseworker acts in the lead partner's own chat, or in the coordinator's chat (always,
    and for a rejected report only there); when the partner lists its caseworkers, only they
    may. With `message_id` (the pressed or answered message) that message must belong to the
    report and not be a for-information copy, which never acts.
    """
    if message_id is not None:
        belongs = await work.cases.message(who.chat_id, message_id, report.id)
        if belongs is None or belongs.report_id != report.id or belongs.role is CaseRole.INFORM:
            return Refused(Refusal.NOT_HERE)
    links = await work.cases.links()
    if who.chat_id not in chain.acting_chats(report, links):
        return Refused(Refusal.NOT_HERE)
    partner = chain.config.partner(chain.partner_of_chat(who.chat_id, links) or "")
    if partner is not None and not partner.may_act(who.user_id):
        return Refused(Refusal.NOT_CASEWORKER, partner.id)
    return None


def conflict(report: Report, who: Caseworker) -> Conflict:
    """Say why an action came too late for the report as it now is."""
    taken = report.status is ReportStatus.IN_PROGRESS and report.claimed_by != who.user_id
    return Conflict(report, claimed_by_other=taken)


class Casework:
    """The use cases of one caseworker acting in one chat."""

    def __init__(self, svc: Services, who: Caseworker) -> None:
        self.svc = svc
        self.who = who
        self.chain = Chain(svc.config, svc.messages)

    async def check(
        self, report_id: int, message_id: int | None, action: CaseAction | None = None
    ) -> Checked:
        """Return the report when the caseworker may act on it here and `action` fits it now."""
        async with self.svc.uow() as work:
            return await self.checked(work, report_id, message_id, action)

    async def claim(self, report_id: int, message_id: int | None) -> Done | Refused | Conflict:
        """Take the report: of two caseworkers pressing at once one wins; the resident is told."""
        who, now = self.who, self.svc.clock.now()
        async with self.svc.uow() as work:
            report = await self.checked(work, report_id, message_id)
            if not isinstance(report, Report):
                return report
            changes = {"claimed_by": who.user_id, "claimed_by_name": who.name, "claimed_at": now}
            try:
                claimed = await work.cases.act(
                    report.id,
                    CaseAction.CLAIM,
                    who.actor(report.lead_partner),
                    now,
                    changes=changes,
                )
            except CaseConflict as late:
                return conflict(late.report, who)
            await self.chain.tell_resident(work, claimed, ResidentNews.CLAIMED, now)
        return Done(claimed)

    async def resolve(
        self, report_id: int, message_id: int | None, closing_id: str
    ) -> Done | TextWanted | Refused | Conflict:
        """Resolve with a standard closing text; one that needs a reason asks for it first."""
        closing = self.svc.config.closing_text(closing_id)
        async with self.svc.uow() as work:
            report = await self.checked(work, report_id, message_id, CaseAction.RESOLVE)
            if not isinstance(report, Report):
                return report
            if closing is None:
                return Refused(Refusal.UNKNOWN)
            if closing.needs_reason:
                return TextWanted(report, Purpose(TextFor.RESOLVE, closing.id))
            return await self.resolved(work, report, closing.text(report.language))

    async def forward(
        self, report_id: int, message_id: int | None, partner_id: str
    ) -> Forwarded | Refused | Conflict:
        """Hand the report to another lead partner, with a new deadline and nobody's claim."""
        who, now = self.who, self.svc.clock.now()
        target = self.svc.config.partner(partner_id)
        async with self.svc.uow() as work:
            report = await self.checked(work, report_id, message_id)
            if not isinstance(report, Report):
                return report
            if target is None or target.id == report.lead_partner:
                return Refused(Refusal.UNKNOWN)
            due = self.chain.due_at(target.id, report.category_id, now)
            try:
                forwarded = await work.cases.act(
                    report.id,
                    CaseAction.FORWARD,
                    who.actor(report.lead_partner),
                    now,
                    changes={"lead_partner": target.id, **handover(due)},
                    detail=target.id,
                )
            except CaseConflict as late:
                return conflict(late.report, who)
            previous = report.lead_partner or self.chain.coordinator
            links = await work.cases.links()
            badge = Badge(forwarded_from=previous)
            if await self.chain.notify_lead(work, forwarded, links, now, badge=badge):
                await self.chain.tell_resident(work, forwarded, ResidentNews.FORWARDED, now)
        return Forwarded(report, forwarded, target.id)

    async def want_text(
        self, report_id: int, message_id: int | None, purpose: Purpose
    ) -> TextWanted | Refused | Conflict:
        """Let the caseworker type a text for the purpose, when it still fits the report."""
        if purpose.closing_id and self.svc.config.closing_text(purpose.closing_id) is None:
            return Refused(Refusal.UNKNOWN)
        async with self.svc.uow() as work:
            report = await self.checked(work, report_id, message_id, purpose.action)
        return report if not isinstance(report, Report) else TextWanted(report, purpose)

    # --- steps inside a unit of work ---------------------------------------------------------

    async def checked(
        self,
        work: Work,
        report_id: int,
        message_id: int | None,
        action: CaseAction | None = None,
    ) -> Checked:
        """Return the report when the caseworker may act on it here and `action` fits it now."""
        report = await work.cases.get(report_id)
        if report is None:
            return Refused(Refusal.UNKNOWN)
        refused = await refusal(self.chain, work, report, self.who, message_id)
        if refused is not None:
            return refused
        if action is not None and action not in allowed_actions(report.status):
            return conflict(report, self.who)
        return report

    async def resolved(
        self, work: Work, report: Report, closing: str, *, detail: str | None = None
    ) -> Done | Conflict:
        """Resolve the report with a closing text, tell the resident and schedule the survey
        (none for a report merged into another: `detail` then says which)."""
        who, now = self.who, self.svc.clock.now()
        changes: dict[str, object] = {"resolved_at": now, "closing_text": closing}
        if report.claimed_by is None:
            changes |= {"claimed_by": who.user_id, "claimed_by_name": who.name}
        try:
            resolved = await work.cases.act(
                report.id,
                CaseAction.RESOLVE,
                who.actor(report.lead_partner),
                now,
                changes=changes,
                detail=detail or closing,
            )
        except CaseConflict as late:
            return conflict(late.report, who)
        await self.chain.tell_resident(work, resolved, ResidentNews.RESOLVED, now, closing=closing)
        if detail is None:
            await Scheduler(self.svc.config, self.svc.messages).survey(work, resolved, now)
        return Done(resolved)
