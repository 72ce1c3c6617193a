"""Pass a resident's answer to a caseworker's question on to the partner chat, without names."""

from __future__ import annotations

from telegram import Message

from handlers.chain import Chain
from handlers.chain_view import PARTNER_LANGUAGE
from handlers.services import Services
from handlers.texts import T, t
from reports.kinds import ActorKind
from reports.models import Report, ReportStatus
from reports.workflow import CaseAction
from storage.cases import Actor, CaseConflict, add_case_message
from storage.database import Session

MAX_ANSWER_CHARS = 2000
RESIDENT = Actor(ActorKind.RESIDENT)


async def relay_answer(svc: Services, user_id: int, message: Message) -> Report | None:
    """Relay the text as the answer to the resident's open question; None when there is none."""
    reports = await svc.reports.list_for_user(user_id)
    waiting = [r for r in reports if r.status is ReportStatus.WAITING_FOR_RESIDENT]
    if not waiting or not message.text:
        return None
    report = waiting[0]
    answer = message.text.strip()[:MAX_ANSWER_CHARS]
    chain = Chain(svc)
    now = svc.clock.now()
    leads = await svc.cases.messages(report.id, ["lead"])
    target = leads[-1] if leads else None

    async def relay(session: Session, updated: Report) -> None:
        if target is None:
            return
        partner_id, chat_id, message_id = target
        text = t(T.P_RELAYED_ANSWER, PARTNER_LANGUAGE, reference=updated.reference, text=answer)
        row = await chain.tell_chat(
            session, updated, chat_id, text, now, kind="relay.answer", reply_to_message=message_id
        )
        if row is not None:
            await add_case_message(
                session, updated.id, partner_id, "answer", chat_id, now, outbox_id=row
            )

    try:
        updated = await svc.cases.act(
            report.id, CaseAction.RESIDENT_ANSWERED, RESIDENT, now, after=relay
        )
    except CaseConflict:
        return None
    svc.wake_sender()
    return updated
