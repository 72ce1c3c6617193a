"""Take a panel member's answer to a round's question and the optional follow-up's cause.

An answer counts once per member and round (the member's row of the round moves from 'asked'
in the transaction that stores the answer), until `[panel] answer_days` after the round ended.
It is stored with round, buurt and wijk only: no user id, no time. After "often" or
"sometimes" the follow-up asks for a cause (a button, a typed text or skip), stored as
anonymously and apart from the answer.
"""

from __future__ import annotations

from enum import StrEnum

from reports.panel import MAX_TYPED_CAUSE, Cause, InvitationState, answer_open, round_of_key
from reports.survey import FeelsUnsafe
from services.container import Services
from storage import panel as store


class AnswerOutcome(StrEnum):
    """What became of a press on a panel question or its follow-up."""

    ASK_CAUSE = "ask_cause"
    """Stored; the member feels unsafe often or sometimes: the follow-up comes next."""
    THANKS = "thanks"
    """Stored; nothing more to ask."""
    TYPE_CAUSE = "type_cause"
    """They chose to type the cause: the next text is taken for it."""
    CLOSED = "closed"
    """Refused: the round's answers are closed."""
    STALE = "stale"
    """Refused: already answered, or not asked in that round."""
    NOT_MEMBER = "not_member"
    """Refused: not (or no longer) a member."""


async def answer(svc: Services, user_id: int, round_key: str, given: FeelsUnsafe) -> AnswerOutcome:
    """Store a member's answer to a round's question, anonymously; say what comes next."""
    now = svc.clock.now()
    config = svc.config
    asked = round_of_key(round_key, config.municipality.zone, config.panel.rounds_per_year)
    if asked is None:
        return AnswerOutcome.STALE
    if not answer_open(asked, now, config.panel.answer_days):
        return AnswerOutcome.CLOSED
    async with svc.uow() as work:
        found = await store.member(work.session, user_id)
        if found is None:
            return AnswerOutcome.NOT_MEMBER
        feels_unsafe = given is not FeelsUnsafe.NEVER
        after = InvitationState.CAUSE if feels_unsafe else InvitationState.DONE
        moved = await store.move(work.session, round_key, user_id, (InvitationState.ASKED,), after)
        if not moved:
            return AnswerOutcome.STALE
        await store.add_answer(
            work.session, round_key, found.buurt_code, found.wijk_code, given.value
        )
    return AnswerOutcome.ASK_CAUSE if feels_unsafe else AnswerOutcome.THANKS


async def give_cause(
    svc: Services, user_id: int, round_key: str, cause: Cause | None
) -> AnswerOutcome:
    """Store the cause a member picked (None: skipped; OTHER: they will type it)."""
    async with svc.uow() as work:
        found = await store.member(work.session, user_id)
        if found is None:
            return AnswerOutcome.NOT_MEMBER
        open_states = (InvitationState.CAUSE, InvitationState.CAUSE_TEXT)
        if cause is Cause.OTHER:
            moved = await store.move(
                work.session, round_key, user_id, open_states, InvitationState.CAUSE_TEXT
            )
            return AnswerOutcome.TYPE_CAUSE if moved else AnswerOutcome.STALE
        moved = await store.move(
            work.session, round_key, user_id, open_states, InvitationState.DONE
        )
        if not moved:
            return AnswerOutcome.STALE
        if cause is not None:
            await store.add_cause(
                work.session, round_key, found.buurt_code, found.wijk_code, cause.value
            )
    return AnswerOutcome.THANKS


class TypedOutcome(StrEnum):
    """What became of a text sent while a panel follow-up was open."""

    STORED = "stored"
    TOO_LONG = "too_long"


async def take_typed_cause(svc: Services, user_id: int, text: str) -> TypedOutcome | None:
    """Take a text as the cause the member chose to type; None when none is awaited."""
    found = await svc.panel.open_cause(user_id)
    if found is None or found[1] is not InvitationState.CAUSE_TEXT:
        return None
    if len(text) > MAX_TYPED_CAUSE:
        return TypedOutcome.TOO_LONG
    round_key = found[0]
    async with svc.uow() as work:
        member_now = await store.member(work.session, user_id)
        moved = await store.move(
            work.session,
            round_key,
            user_id,
            (InvitationState.CAUSE_TEXT,),
            InvitationState.DONE,
        )
        if member_now is None or not moved:
            return None
        await store.add_cause(
            work.session,
            round_key,
            member_now.buurt_code,
            member_now.wijk_code,
            Cause.OTHER.value,
            text,
        )
    return TypedOutcome.STORED
