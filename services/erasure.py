"""Take a resident's data out of the partner chats when they have it erased (AVG art. 17).

Partner chats received the report's notification (with the resident's description, place and,
with consent, name), its pin and photos, and relayed messages (answers to questions, follow-up
additions); the coordinator's chat may also show it on request (/melding). The erasure queues,
in its own unit of work, outbox rows that clean them up, using the message ids Telegram
returned (`outbox.message_id`, every id of an album, `case_messages.message_id`):

1. first every text is emptied by an edit: a notification becomes the version without
   description, place, photos and reporter; a relayed text or a photo's caption says that it
   was erased. Telegram lets a bot edit its own messages at any age;
2. then every message is deleted (`deleteMessage`). Telegram refuses that for messages older
   than 48 hours: such a row fails with Telegram's reason, so the emptied text stays, and a pin
   or photo stays as it was (a bot can neither delete nor empty it).

The latest lead notification of a report that is still open is only emptied, not deleted, so
that its caseworkers keep their buttons and can still close the report. A message that is being
sent at this moment has no id yet: its clean-up rows name its outbox row instead, and the
dispatcher fills in the id once it is known (see `storage.outbox.OutgoingMessage`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from reports.kinds import CaseNote, OutboxKind
from reports.models import Language, Report
from reports.records import RESIDENT
from reports.workflow import FINAL_STATUSES
from services.ports import ErasureMessages, Rendered
from storage.outbox import OutgoingMessage, Priority
from storage.privacy import PartnerTrace
from storage.uow import Work

_NOTIFICATIONS = frozenset({OutboxKind.NOTIFICATION_LEAD, OutboxKind.NOTIFICATION_INFORM})


@dataclass(frozen=True)
class Cleanup:
    """How many partner-chat messages an erasure queued to empty and to delete."""

    emptied: int = 0
    deletions: int = 0


@dataclass(frozen=True)
class _Call:
    """One queued call on one partner-chat message."""

    trace: PartnerTrace
    rendered: Rendered
    kind: OutboxKind
    message_id: int | None


async def clean_partner_chats(
    work: Work,
    messages: ErasureMessages,
    traces: list[PartnerTrace],
    report_ids: list[int],
    now: datetime,
    chat_language: Callable[[int], Language],
) -> Cleanup:
    """Queue the edits and deletions of what partner chats hold of the erased reports.

    Runs after `storage.privacy.erase_resident` in the same unit of work, so the reports it
    renders are already anonymised. Every erased report gets an audit line.
    """
    reports: dict[int, Report] = {}
    for report_id in report_ids:
        report = await work.cases.get(report_id)
        if report is not None:
            reports[report_id] = report
            await work.cases.note(report_id, RESIDENT, CaseNote.ERASED.value, now)
    kept = _kept_leads(traces, reports)
    edits: list[_Call] = []
    deletions: list[_Call] = []
    for trace in traces:
        report = reports.get(trace.report_id)
        if report is None:
            continue
        keep = trace.outbox_id in kept
        edit = _emptied(messages, report, trace, keep=keep, language=chat_language(trace.chat_id))
        if edit is not None:
            edits.append(_Call(trace, edit, OutboxKind.ERASURE_EDIT, _first(trace)))
        if not keep:
            deletions.extend(_deletions(trace))
    for call in [*edits, *deletions]:
        await _queue(work, call, now)
    return Cleanup(emptied=len(edits), deletions=len(deletions))


def _kept_leads(traces: list[PartnerTrace], reports: dict[int, Report]) -> set[int]:
    """Return the outbox ids of the latest lead notification of every report still open."""
    latest: dict[int, int] = {}
    for trace in traces:
        row = trace.outbox_id
        if trace.kind == OutboxKind.NOTIFICATION_LEAD and trace.method == "sendMessage" and row:
            latest[trace.report_id] = max(latest.get(trace.report_id, 0), row)
    return {
        row
        for report_id, row in latest.items()
        if report_id in reports and reports[report_id].status not in FINAL_STATUSES
    }


def _emptied(
    messages: ErasureMessages,
    report: Report,
    trace: PartnerTrace,
    *,
    keep: bool,
    language: Language,
) -> Rendered | None:
    """Return the edit that empties the message, or None when it has no text to empty."""
    if trace.method == "sendMessage" and trace.kind in _NOTIFICATIONS:
        return messages.erased_notification(report, language, buttons=keep)
    if trace.method == "sendMessage":
        return messages.erased_message(report, language, caption=False)
    if trace.captioned and trace.method in {"sendPhoto", "sendDocument"}:
        return messages.erased_message(report, language, caption=True)
    return None  # a pin, a photo without caption or an album: only deletion removes it


def _deletions(trace: PartnerTrace) -> list[_Call]:
    """Return the deletion of every message of the trace (of its outbox row, while sending)."""
    kind = OutboxKind.ERASURE_DELETE
    if trace.message_ids:
        return [
            _Call(trace, Rendered({"message_id": message_id}, "deleteMessage"), kind, message_id)
            for message_id in trace.message_ids
        ]
    method = "deleteMessages" if trace.method == "sendMediaGroup" else "deleteMessage"
    return [_Call(trace, Rendered({}, method), kind, None)]


def _first(trace: PartnerTrace) -> int | None:
    """Return the id of the (first) message of a trace, None while it is being sent."""
    return trace.message_ids[0] if trace.message_ids else None


async def _queue(work: Work, call: _Call, now: datetime) -> None:
    """Queue one call on a partner-chat message, by its id or by the outbox row sending it."""
    params = dict(call.rendered.params)
    if call.message_id is not None:
        params["message_id"] = call.message_id
    await work.outbox.enqueue(
        OutgoingMessage(
            chat_id=call.trace.chat_id,
            method=call.rendered.method,
            params=params,
            priority=Priority.NOTIFICATION,
            due_at=now,
            kind=call.kind,
            report_id=call.trace.report_id,
            reply_to_row=None if call.message_id is not None else call.trace.outbox_id,
        ),
        now=now,
    )
