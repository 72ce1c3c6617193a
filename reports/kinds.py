"""Name the kinds of things the chain records: outbox rows, case messages and actors.

The values are stored in SQLite (outbox.kind, case_messages.role, report_events.actor), so a
member's value never changes; add members instead. Proactive kinds start with one of the
prefixes in `reports.schedule` ("followup.", "survey.", "tip.", "digest.") so that /stop, quiet
hours and the grace period apply to them.
"""

from __future__ import annotations

from enum import StrEnum


class OutboxKind(StrEnum):
    """Why a row is in the outbox."""

    NOTIFICATION_LEAD = "notification.lead"
    NOTIFICATION_INFORM = "notification.inform"
    RESIDENT_UPDATE = "resident.update"
    CONFIRMATION = "resident.confirmation"
    RELAY_ANSWER = "relay.answer"
    RELAY_FOLLOWUP_ONGOING = "relay.followup.ongoing"
    RELAY_FOLLOWUP_SOLVED = "relay.followup.solved"
    RELAY_FOLLOWUP_ADDITION = "relay.followup.addition"
    RELAY_FOLLOWUP_PHOTO = "relay.followup.photo"
    RELAY_REOPENED = "relay.survey.reopen"
    REMINDER = "case.reminder"
    ESCALATION = "case.escalation"
    UNREACHABLE = "unreachable"
    FOLLOWUP_QUESTION = "followup.question"
    SURVEY_QUESTION = "survey.question"
    TIP = "tip.report"
    DIGEST = "digest.wijk"
    PANEL_QUESTION = "panel.question"
    """The panel's question of a round to one member (proactive)."""
    PANEL_OFFER = "panel.offer"
    """The one offer to join the panel, after a resident's report (proactive)."""
    PANEL_REBUURT = "panel.rebuurt"
    """Asks a member to choose their buurt again after a boundary update (proactive)."""
    CO_REPORTERS = "case.coreporters"
    """Edits "+N residents" into a report's lead notification (rate-limited)."""
    HOTSPOT = "hotspot.signal"
    ERASURE_EDIT = "erasure.edit"
    """Empties a partner chat's message about a report whose resident had their data erased."""
    ERASURE_DELETE = "erasure.delete"
    """Deletes such a message (Telegram allows it for 48 hours after it was sent)."""

    def attachment(self, method: str) -> str:
        """Return the kind of a pin or photo sent with a notification."""
        return f"{self.value}.{method}"


class CaseRole(StrEnum):
    """What a message in a partner chat is to its report."""

    LEAD = "lead"
    INFORM = "inform"
    PROMPT = "prompt"
    ANSWER = "answer"
    FOLLOWUP = "followup"
    SURVEY = "survey"
    VIEW = "view"
    """A report's details shown in the coordinator's chat (/melding): kept only for erasure."""


class ActorKind(StrEnum):
    """Who changed a report, in its audit trail."""

    SYSTEM = "system"
    RESIDENT = "resident"
    CASEWORKER = "caseworker"
    COORDINATOR = "coordinator"


class CaseNote(StrEnum):
    """Something recorded in a report's audit trail that does not change its status."""

    REMINDER = "reminder"
    ESCALATION = "escalation"
    UNDELIVERABLE = "undeliverable"
    HELD = "held"
    """No chat could take the report's notification (no group linked): it waits for one."""
    RELEASED = "released"
    """A held report went out once a group was linked."""
    DELIVERY_UNCERTAIN = "delivery_uncertain"
    """A message about the report may have arrived twice: sent again, marked, after no answer."""
    ERASED = "erased"
