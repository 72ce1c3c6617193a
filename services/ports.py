"""Describe what the use cases need from the outside: rendered messages.

A use case decides *that* a partner chat or a resident is told something and queues it in its
transaction; *what* the message looks like (text, language, buttons and their callback data) is
the Telegram adapter's business. It implements `Messages`, and the composition root passes it in.
A resident reads their report's language; a partner chat reads the `language` the use case
passes: that of the partner whose chat it is (the coordinator's where it stands in).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Protocol

from config.localized import SurveyReason
from reports.models import Language, Report

GENERATED_PICTURE = "meldbot-picture:"
"""A sendPhoto row whose `photo` starts with this is drawn when it is sent (`bot/pictures.py`):
the outbox keeps JSON, not pictures. "meldbot-picture:hotspot:<id>" is a hotspot's map."""


@dataclass(frozen=True)
class Rendered:
    """One Bot API call ready to queue: its method and parameters (without chat_id)."""

    params: dict[str, Any]
    method: str = "sendMessage"


@dataclass(frozen=True)
class Reporter:
    """The resident as partners may see them, only when the resident agreed to be contacted."""

    user_id: int
    first_name: str
    username: str | None = None


@dataclass(frozen=True)
class Badge:
    """Why a partner chat gets a report's notification, shown above it."""

    stand_in_for: str | None = None
    """The partner whose chat is not linked, when the coordinator's chat gets its message."""
    forwarded_from: str | None = None
    rejected_by: str | None = None
    reason: str = ""
    informed_of: str | None = None
    """The lead partner, on a copy for a partner that is only informed."""
    extras: tuple[str, ...] = field(default_factory=tuple)


class ResidentNews(StrEnum):
    """What a reporter hears about the handling of their report."""

    CLAIMED = "claimed"
    FORWARDED = "forwarded"
    QUESTION = "question"
    RESOLVED = "resolved"
    PASSED_ON = "passed_on"
    """A held report went out now that a partner group is linked."""


@dataclass(frozen=True)
class Shown:
    """A message the resident has on screen: its id and its text as HTML."""

    message_id: int
    html: str


class ReportMessages(Protocol):
    """Render what a resident hears about their own report."""

    def confirmation(self, report: Report, *, held: bool = False) -> Rendered:
        """Render the confirmation of a stored report with its reference.

        A `held` report reached no partner group yet: the confirmation says it is saved and
        will be passed on as soon as the team is connected.
        """
        ...

    def confirmation_under(self, report: Report, summary: Shown, *, held: bool = False) -> Rendered:
        """Render the confirmation as an edit of the summary the resident confirmed: the
        summary stays, its buttons go, the confirmation comes under it (in its place when the
        two would not fit one message)."""
        ...


class ChainMessages(Protocol):
    """Render what partner chats and residents hear about a report's handling."""

    def notification(
        self, report: Report, badge: Badge, reporter: Reporter | None, language: Language
    ) -> Rendered:
        """Render a report's notification; with buttons for the lead, without for the informed."""
        ...

    def resident_news(self, report: Report, news: ResidentNews, **values: str) -> Rendered:
        """Render a message to the reporter about their report."""
        ...


class FollowupNews(StrEnum):
    """What a lead partner hears about a resident's answer to a follow-up."""

    ONGOING = "ongoing"
    SOLVED = "solved"


@dataclass(frozen=True)
class Digest:
    """One period of a wijk for a subscriber: counts only, never a report's details."""

    language: Language
    wijk: str
    """The wijk's short name."""
    since: datetime
    until: datetime
    per_category: Mapping[str, int]
    """Reports per category id, busiest first."""
    resolved: int
    tip: str | None


class ProactiveMessages(Protocol):
    """Render what Meldbot sends residents on its own initiative, and what partners hear of it."""

    def followup_question(
        self, report: Report, number: int, reported_on: datetime | None = None
    ) -> Rendered:
        """Render the n-th "is it still going on?" question with its answer buttons, in the
        report's language; `reported_on` is when the asked resident reported (default: when
        the report was made; a co-reporter's is when they joined)."""
        ...

    def survey_question(self, report: Report) -> Rendered:
        """Render the first survey question ("were you satisfied?") with its buttons."""
        ...

    def tip(self, report: Report, tip: str) -> Rendered:
        """Render a prevention tip after a report."""
        ...

    def digest(self, digest: Digest) -> Rendered:
        """Render a subscriber's digest of their wijk."""
        ...

    def followup_news(
        self, report: Report, news: FollowupNews, language: Language, *, co_reporter: bool = False
    ) -> Rendered:
        """Render the lead partner's message about a follow-up answer (with the recurrences);
        `co_reporter` says it came from a co-reporter, not the resident who made the report."""
        ...

    def addition(
        self,
        report: Report,
        text: str,
        photo_file_id: str | None,
        language: Language,
        *,
        co_reporter: bool = False,
    ) -> Rendered:
        """Render the resident's addition for the partner chat: a text, or a photo with it."""
        ...

    def reopened(
        self, report: Report, reason: SurveyReason, language: Language, *, co_reporter: bool = False
    ) -> Rendered:
        """Render the lead partner's message that the resident reopened the report (new due)."""
        ...

    def panel_question(self, round_key: str, round_label: str, language: Language) -> Rendered:
        """Render a panel round's question ("how often do you feel unsafe?") with its buttons."""
        ...

    def panel_offer(self, language: Language) -> Rendered:
        """Render the one offer to join the neighbourhood panel, after a report."""
        ...

    def panel_rebuurt(self, buurt: str, language: Language) -> Rendered:
        """Render the request to choose one's buurt again after a boundary update."""
        ...


if TYPE_CHECKING:
    from services.hotspots import HotspotNotice


class EscalationMessages(Protocol):
    """Render what brings unclaimed reports and unreachable chats to someone's attention."""

    def reminder(self, report: Report, waited: timedelta, language: Language) -> Rendered:
        """Render the reminder in the lead partner's chat of a report unclaimed past due_at."""
        ...

    def escalation(
        self, report: Report, waited: timedelta, reminded_at: datetime, language: Language
    ) -> Rendered:
        """Render the coordinator's notice of a report still unclaimed after its reminder."""
        ...

    def unreachable(self, chat_id: int, reason: str, language: Language) -> Rendered:
        """Render the coordinator's notice that a partner chat refuses the bot."""
        ...

    def hotspot(self, notice: HotspotNotice, language: Language) -> Rendered:
        """Render the coordinator's message about a new, grown or ended hotspot (with the
        buttons to decide about a new or grown one)."""
        ...

    def hotspot_joint(self, notice: HotspotNotice, language: Language) -> Rendered:
        """Render the request to a partner's group to take a hotspot on together."""
        ...


class CaseworkMessages(Protocol):
    """Render what partner chats hear while caseworkers handle a report."""

    def relayed_answer(self, report: Report, answer: str, language: Language) -> Rendered:
        """Render the resident's answer to a caseworker's question, without names."""
        ...

    def duplicate_closing(self, reference: str, language: Language) -> str:
        """Say, as a closing text for residents, that their report joined an older one."""
        ...


class ErasureMessages(Protocol):
    """Render what replaces a partner chat's messages once the resident had their data erased."""

    def erased_notification(self, report: Report, language: Language, *, buttons: bool) -> Rendered:
        """Render the edit that empties a notification (`editMessageText`, without chat/id).

        The text keeps the reference, category, deadline and status, and says that the
        description, place, photos and name were removed; `buttons` keeps the actions the
        report still allows, so that an open report can still be handled.
        """
        ...

    def erased_message(self, report: Report, language: Language, *, caption: bool) -> Rendered:
        """Render the edit that empties a relayed text (or a photo's caption) about a report."""
        ...


class Messages(
    ReportMessages,
    ChainMessages,
    CaseworkMessages,
    ProactiveMessages,
    EscalationMessages,
    ErasureMessages,
    Protocol,
):
    """Everything the use cases render."""
