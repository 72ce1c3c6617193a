"""Queue what Meldbot sends residents on its own initiative, and let them turn it off.

Follow-ups, surveys, tips and digests are proactive: bulk outbox rows whose kind starts with a
proactive prefix, moved past the quiet hours, expired after the grace period, and never queued
for a resident who turned them off (/stop) or blocked the bot.
"""

from __future__ import annotations

from datetime import datetime

from config.municipality import MunicipalityConfig
from services.ports import Rendered
from storage.outbox import OutgoingMessage, Priority
from storage.residents import proactive_off
from storage.uow import Work


async def queue_proactive(
    config: MunicipalityConfig,
    work: Work,
    *,
    user_id: int | None,
    kind: str,
    rendered: Rendered,
    due: datetime,
    now: datetime,
    report_id: int | None = None,
    dedupe_key: str | None = None,
) -> int | None:
    """Queue a proactive message to a resident's private chat; return its row id.

    Nothing is queued (None) for an erased resident, one who turned proactive messages off or
    blocked the bot, or when the dedupe key was used before. The message goes as bulk, at
    `due` moved past the quiet hours.
    """
    if not user_id or await proactive_off(work.session, user_id) is not None:
        return None
    policy = config.schedule.send_policy(config.municipality.zone)
    return await work.outbox.enqueue(
        OutgoingMessage(
            chat_id=user_id,  # a private chat's id is its user's id
            method=rendered.method,
            params=rendered.params,
            priority=Priority.BULK,
            due_at=policy.deliverable_at(due),
            kind=kind,
            report_id=report_id,
            dedupe_key=dedupe_key,
        ),
        now=now,
    )
