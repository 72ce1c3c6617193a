"""Send due outbox rows through the rate-limited bot and record what Telegram answered.

One dispatcher per bot. A loop claims due rows whenever it is woken: by `wake()` right after a
row was written (so immediate rows go out at once), by the job queue's tick (rows that fell due,
retries whose backoff ended) and by every finished send (the chat's next row). Rows go out
concurrently across chats and one at a time per chat (the claim guarantees that). Outcomes:

- accepted: sent, with the message id (the first one for an album);
- 429: due again after `retry_after` (the rate limiter already retried it a few times);
- 5xx, timeouts, network errors: retried with exponential backoff and jitter, capped, and
  failed after `RetryPolicy.max_attempts`;
- 400: failed at once ("message is not modified" counts as sent: the edit is already there);
- 403 or a migrated group: failed, and `on_unreachable(chat_id, reason)` is told once per chat
  until a send to that chat succeeds again.

As close to exactly once as the Bot API allows: the moment the rate limiter lets a call
through, `start_request` commits that it is on the wire, and the outcome is committed as soon
as the answer is in. A failure that leaves open whether Telegram stored the message (a time-out
or dropped connection after the request left, a 5xx: see `bot.resends.may_have_arrived`), and a
crash mid-request, make the row uncertain; its next copy carries a note in the reader's
language that it may repeat an earlier message (`bot.resends.ResendNotes`), with the same
buttons, and is counted. A 4xx answer or a request that never left is retried unmarked.

Times for retries are taken from the injected clock, so tests with a manual clock move it.
With a `SendPolicy`, proactive rows (follow-ups, surveys, tips, digests) wait out the quiet
hours and expire after the grace period; see `OutboxRepository.claim_due`.

Longer than 300 lines because the send loop, its outcome handling and the restart recovery
make one life cycle that reads best in one place.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import io
import logging
import random
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from telegram import (
    InputFile,
    InputMediaAnimation,
    InputMediaAudio,
    InputMediaDocument,
    InputMediaPhoto,
    InputMediaVideo,
    Message,
)
from telegram.error import (
    BadRequest,
    ChatMigrated,
    EndPointNotFound,
    Forbidden,
    InvalidToken,
    RetryAfter,
    TelegramError,
)
from telegram.ext import ExtBot, Job, JobQueue

from bot.ratelimit import PriorityRateLimiter, RateLimitArgs, retry_seconds
from bot.resends import ResendNotes, may_have_arrived
from bot.stopping import wait_event
from reports.clock import Clock
from reports.schedule import SendPolicy
from services.ports import GENERATED_PICTURE
from storage.delivery import creates_message
from storage.outbox import OutboxRepository, OutboxRow, Priority

log = logging.getLogger(__name__)

Unreachable = Callable[[int, str], Awaitable[None]]
Pictures = Callable[[str], Awaitable[bytes | None]]
"""Draw a generated picture by its name (`bot/pictures.py`); None when there is none."""
"""Told (chat_id, reason) when a chat refuses the bot: blocked, removed from a group, migrated."""

_PRIMITIVE = (str, int, float, bool)
_MEDIA: dict[str, type[Any]] = {
    "photo": InputMediaPhoto,
    "document": InputMediaDocument,
    "video": InputMediaVideo,
    "audio": InputMediaAudio,
    "animation": InputMediaAnimation,
}
_UPPER = re.compile(r"(?<!^)(?=[A-Z])")
ACTS_ON_MESSAGE = frozenset(
    {
        "editMessageText",
        "editMessageCaption",
        "editMessageMedia",
        "editMessageReplyMarkup",
        "deleteMessage",
    }
)
"""Methods whose `reply_to_row` names the message they change, not one they reply to."""


class _NotStarted(Exception):
    """The attempt could not be recorded as started, so its request was not made."""


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff for transient failures: base·2^(n-1) seconds, capped, with jitter."""

    base: float = 1.0
    cap: float = 900.0
    max_attempts: int = 15

    def delay(self, attempts: int, rng: random.Random) -> float:
        """Return the wait before the next try after `attempts` tries ("equal jitter")."""
        ceiling = min(self.cap, self.base * 2.0 ** max(attempts - 1, 0))
        return ceiling / 2 + rng.uniform(0, ceiling / 2)


@dataclass(eq=False)
class _Flight:
    """One claimed row on its way; started once the rate limiter let its call through."""

    row: OutboxRow
    started: bool = False
    task: asyncio.Task[None] | None = field(default=None, repr=False)

    @property
    def resend(self) -> bool:
        """Return whether this copy follows one that may have arrived (so it is marked)."""
        return self.row.uncertain and creates_message(self.row.method)

    def start(self) -> None:
        """Note that the call is now on the wire."""
        self.started = True


class OutboxDispatcher:
    """Claim due outbox rows and send them: at once after `wake()`, else on every tick."""

    def __init__(
        self,
        bot: ExtBot[Any],
        outbox: OutboxRepository,
        clock: Clock,
        *,
        on_unreachable: Unreachable | None = None,
        retry: RetryPolicy | None = None,
        max_in_flight: int = 64,
        tick: float = 1.0,
        rng: random.Random | None = None,
        policy: SendPolicy | None = None,
        notes: ResendNotes | None = None,
        pictures: Pictures | None = None,
    ) -> None:
        if max_in_flight < 1:
            raise ValueError("max_in_flight must be at least 1")
        self._bot = bot
        self._outbox = outbox
        self._clock = clock
        self._on_unreachable = on_unreachable
        self._retry = retry or RetryPolicy()
        self._max_in_flight = max_in_flight
        self._tick = tick
        self._rng = rng or random.Random()
        self._policy = policy
        self._notes = notes or ResendNotes(outbox)
        self._pictures = pictures
        self._wakeup = asyncio.Event()
        self._flights: dict[int, _Flight] = {}
        self._reported: set[int] = set()
        self._loop_task: asyncio.Task[None] | None = None
        self._job: Job[Any] | None = None
        self._stopping = False

    async def _with_picture(
        self, method: str, params: dict[str, Any]
    ) -> tuple[str, dict[str, Any]]:
        """Draw a generated picture into a sendPhoto call; without one, send its caption."""
        photo = params.get("photo")
        if method != "sendPhoto" or not str(photo).startswith(GENERATED_PICTURE):
            return method, params
        drawn = None
        if self._pictures is not None:
            try:
                drawn = await self._pictures(str(photo))
            except Exception:  # a picture that cannot be drawn must not hold the message back
                log.exception("could not draw %s; sending the text without it", photo)
        if drawn is None:
            text = {k: v for k, v in params.items() if k not in ("photo", "caption")}
            return "sendMessage", {**text, "text": params.get("caption", "")}
        name = str(photo).removeprefix(GENERATED_PICTURE).replace(":", "-") + ".png"
        return method, {**params, "photo": InputFile(io.BytesIO(drawn), filename=name)}

    @property
    def in_flight(self) -> int:
        """Return how many rows are being sent right now."""
        return len(self._flights)

    async def start(self, job_queue: JobQueue[Any] | None = None) -> list[int]:
        """Recover rows a crash left sending, then start claiming; return the recovered ids.

        With a job queue, its repeating job is the tick; without one, the loop ticks itself.
        """
        if self._loop_task is not None:
            raise RuntimeError("the dispatcher is already running")
        recovered = await self._outbox.recover_interrupted(self._clock.now())
        if recovered.untried:
            log.info("sending %d outbox rows a stop left untried", len(recovered.untried))
        if recovered.interrupted:
            log.warning(
                "%d outbox rows were interrupted mid-request; sending them again as possible"
                " repeats",
                len(recovered.interrupted),
            )
        self._stopping = False
        self._loop_task = asyncio.create_task(self._run(), name="outbox-dispatcher")
        if job_queue is not None:
            self._job = job_queue.run_repeating(
                self._on_tick, interval=self._tick, first=self._tick, name="outbox-dispatch"
            )
        self.wake()
        return recovered.ids

    def wake(self) -> None:
        """Look for due rows now (call after writing rows that are due at once)."""
        self._wakeup.set()

    async def stop(self, timeout: float = 10.0) -> None:  # noqa: ASYNC109
        """Stop claiming, put back rows whose call had not started, and await the others.

        Calls still running after `timeout` seconds are cancelled; their rows are retried at
        the next start (they may have been delivered).
        """
        self._stopping = True
        if self._job is not None:
            self._job.schedule_removal()
            self._job = None
        self.wake()
        if self._loop_task is not None:
            await self._loop_task
            self._loop_task = None
        for flight in list(self._flights.values()):
            if not flight.started and flight.task is not None:
                flight.task.cancel()
        tasks = [f.task for f in self._flights.values() if f.task is not None]
        if tasks:
            _, late = await asyncio.wait(tasks, timeout=timeout)
            for task in late:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

    async def _on_tick(self, context: object) -> None:
        """Wake the loop on the job queue's tick."""
        self.wake()

    async def _run(self) -> None:
        """Claim and launch due rows each time the loop is woken, until stopped."""
        while not self._stopping:
            if self._job is None:
                await wait_event(self._wakeup, self._tick)
            else:
                await self._wakeup.wait()
            self._wakeup.clear()
            if self._stopping:
                return
            try:
                await self._launch_due()
            except Exception:
                log.exception("claiming outbox rows failed; trying again at the next tick")

    async def _launch_due(self) -> None:
        """Claim as many due rows as there is room for and start sending them."""
        room = self._max_in_flight - len(self._flights)
        if room <= 0:
            return
        now = self._clock.now()
        for row in await self._outbox.claim_due(now, room, policy=self._policy):
            flight = _Flight(row)
            self._flights[row.id] = flight
            flight.task = asyncio.create_task(self._fly(flight), name=f"outbox-{row.id}")

    async def _fly(self, flight: _Flight) -> None:
        """Send one row and record the outcome; on cancellation put the row back."""
        row = flight.row
        try:
            await self._deliver(flight)
        except asyncio.CancelledError:
            if flight.started:
                note = "stopped while sending; it may have been delivered already"
                now = self._clock.now()
                await self._outbox.retry_unknown(row.id, now, note, now)
            else:
                await self._outbox.release(row.id)
            raise
        except Exception:
            log.exception("outbox row %d: recording the outcome failed", row.id)
        finally:
            del self._flights[row.id]
            self.wake()

    async def _deliver(self, flight: _Flight) -> None:
        """Make the row's call and store what came of it."""
        row = flight.row
        params = request_params(row)
        if flight.resend:
            params = await self._notes.mark(row, params)
        limiter = self._bot.rate_limiter
        paced = isinstance(limiter, PriorityRateLimiter)

        async def begin() -> None:
            await self._begin(flight)

        # A reply (the reference after "Send") answers the resident's own action: like the
        # handlers' direct answers it may follow them at once, without the one-second pace.
        args = (
            RateLimitArgs(
                priority=row.priority, paced=row.priority != Priority.REPLY, on_start=begin
            )
            if paced
            else None
        )
        try:
            if not paced:
                await begin()
            method, params = await self._with_picture(row.method, params)
            result = await call_bot_api(self._bot, method, params, args)
        except _NotStarted as unrecorded:
            await self._transient(row, f"not sent: {unrecorded}", maybe_delivered=False)
        except RetryAfter as flood:
            wait = retry_seconds(flood.retry_after)
            await self._retry_at(row, wait, f"RetryAfter: {wait:g} s")
        except Forbidden as refused:
            await self._fail(row, _describe(refused))
            await self._unreachable(row.chat_id, refused.message)
        except ChatMigrated as moved:
            await self._fail(row, _describe(moved))
            await self._unreachable(row.chat_id, f"migrated to chat {moved.new_chat_id}")
        except BadRequest as bad:
            if "message is not modified" in bad.message.lower():
                await self._sent(row, _message_id(True, params))
            elif row.instead is not None:
                # (An edit of a message that is gone: what it said comes in a call of its own.)
                log.info("outbox row %d refused; its stand-in goes instead", row.id)
                await self._outbox.take_instead(row.id, _describe(bad), self._clock.now())
            else:
                await self._fail(row, _describe(bad))
        except (InvalidToken, EndPointNotFound) as wrong:
            await self._fail(row, _describe(wrong))
        except TelegramError as transient:
            await self._transient(row, _describe(transient), may_have_arrived(transient))
        except (TypeError, ValueError) as unusable:
            error = f"cannot call {row.method}: {type(unusable).__name__}"
            await self._fail(row, error, maybe_delivered=flight.started)
        except Exception as unexpected:
            log.exception("outbox row %d: the call failed unexpectedly", row.id)
            error = f"{type(unexpected).__name__} while calling {row.method}"
            await self._transient(row, error, maybe_delivered=flight.started)
        else:
            await self._sent(row, _message_id(result, params), _album_ids(result))

    async def _begin(self, flight: _Flight) -> None:
        """Commit that the row's request goes on the wire now; raise _NotStarted if not."""
        try:
            recorded = await self._outbox.start_request(
                flight.row.id, self._clock.now(), resend=flight.resend
            )
        except Exception as failed:
            raise _NotStarted(f"recording the attempt failed: {type(failed).__name__}") from failed
        if not recorded:
            raise _NotStarted("the row is no longer being sent")
        flight.start()

    async def _sent(
        self, row: OutboxRow, message_id: int | None, album_ids: list[int] | None = None
    ) -> None:
        """Record the delivery (with every message id of an album)."""
        await self._outbox.mark_sent(row.id, message_id, self._clock.now(), album_ids=album_ids)
        self._reported.discard(row.chat_id)

    async def _fail(self, row: OutboxRow, error: str, *, maybe_delivered: bool = False) -> None:
        """Give up on the row; log ids and the reason only."""
        log.warning("outbox row %d (%s, %s) failed: %s", row.id, row.kind, row.method, error)
        await self._outbox.mark_failed(
            row.id, error, self._clock.now(), maybe_delivered=maybe_delivered
        )

    async def _transient(self, row: OutboxRow, error: str, maybe_delivered: bool) -> None:
        """Retry after the backoff (as a possible repeat if it may have arrived), or give up."""
        if row.attempts >= self._retry.max_attempts:
            error = f"gave up after {row.attempts} attempts: {error}"
            await self._fail(row, error, maybe_delivered=maybe_delivered)
            return
        seconds = self._retry.delay(row.attempts, self._rng)
        if not (maybe_delivered and creates_message(row.method)):
            await self._retry_at(row, seconds, error)  # an edit repeated changes nothing
            return
        log.warning(
            "outbox row %d (%s, %s): no telling answer, it may have arrived; sending it again"
            " in %.1f s as a possible repeat: %s",
            row.id,
            row.kind,
            row.method,
            seconds,
            error,
        )
        now = self._clock.now()
        await self._outbox.retry_unknown(row.id, now + timedelta(seconds=seconds), error, now)

    async def _retry_at(self, row: OutboxRow, seconds: float, error: str) -> None:
        """Make the row due again in `seconds`."""
        log.info("outbox row %d retried in %.1f s: %s", row.id, seconds, error)
        at = self._clock.now() + timedelta(seconds=seconds)
        await self._outbox.reschedule(row.id, at, error)

    async def _unreachable(self, chat_id: int, reason: str) -> None:
        """Tell on_unreachable about the chat, once until it works again."""
        if chat_id in self._reported:
            return
        self._reported.add(chat_id)
        if self._on_unreachable is None:
            return
        try:
            await self._on_unreachable(chat_id, reason)
        except Exception:
            log.exception("on_unreachable failed for an outbox chat")


def request_params(row: OutboxRow) -> dict[str, Any]:
    """Return the row's Bot API parameters with its chat and resolved reply target.

    For a call that acts on a message (an edit or a deletion) the row it refers to names that
    message: its id, or for `deleteMessages` every id of its album, instead of a reply.
    """
    params = dict(row.params)
    params["chat_id"] = row.chat_id
    if row.reply_to_message_id is not None and row.method in ACTS_ON_MESSAGE:
        params.setdefault("message_id", row.reply_to_message_id)
    elif row.reply_to_message_id is not None and row.method == "deleteMessages":
        params.setdefault("message_ids", row.reply_to_album_ids or [row.reply_to_message_id])
    elif row.reply_to_message_id is not None:
        reply: dict[str, Any] = {
            "message_id": row.reply_to_message_id,
            "allow_sending_without_reply": True,
        }
        if row.reply_to_chat_id is not None and row.reply_to_chat_id != row.chat_id:
            reply["chat_id"] = row.reply_to_chat_id
        params["reply_parameters"] = reply
    return params


async def call_bot_api(
    bot: ExtBot[Any], method: str, params: dict[str, Any], limits: RateLimitArgs | None
) -> Any:
    """Call a Bot API method with rendered JSON parameters through PTB's typed method.

    `Bot.do_api_request` warns for methods PTB knows, so plain values (text, ids, parse mode)
    go to the typed method's own arguments and the rest (reply_markup, reply_parameters,
    entities) through `api_kwargs`, unchanged. Methods PTB does not know use do_api_request.
    """
    name = _UPPER.sub("_", method).lower()
    accepted = _typed_arguments(type(bot), name)
    if accepted is None:
        return await bot.do_api_request(method, api_kwargs=params, rate_limit_args=limits)
    typed: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    for key, value in params.items():
        if key == "media" and name == "send_media_group":
            typed[key] = [_input_media(item) for item in value]
        elif key in accepted and isinstance(value, (*_PRIMITIVE, InputFile)):
            typed[key] = value
        else:
            extra[key] = value
    call = getattr(bot, name)
    return await call(**typed, api_kwargs=extra or None, rate_limit_args=limits)


@functools.cache
def _typed_arguments(bot_type: type[Any], name: str) -> frozenset[str] | None:
    """Return the argument names of the bot's typed method, or None if there is none."""
    method = getattr(bot_type, name, None)
    if method is None or not inspect.iscoroutinefunction(method):
        return None
    names = set(inspect.signature(method).parameters) - {"self", "api_kwargs", "rate_limit_args"}
    return frozenset(names)


def _input_media(item: dict[str, Any]) -> Any:
    """Return the InputMedia object PTB wants for one rendered album item."""
    fields = dict(item)
    kind = fields.pop("type", None)
    media_type = _MEDIA.get(str(kind))
    if media_type is None:
        raise ValueError(f"unsupported media type {kind!r}")
    return media_type(**fields)


def _message_id(result: object, params: dict[str, Any]) -> int | None:
    """Return the id of the message a call produced (the first of an album, the edited one)."""
    if isinstance(result, Message):
        return result.message_id
    if isinstance(result, tuple | list) and result:
        return _message_id(result[0], params)
    if isinstance(result, dict) and isinstance(result.get("message_id"), int):
        return int(result["message_id"])
    edited = params.get("message_id")
    return edited if isinstance(edited, int) else None


def _album_ids(result: object) -> list[int] | None:
    """Return the id of every message an album produced; None for any other result."""
    if not isinstance(result, tuple | list) or not result:
        return None
    ids = [item.message_id for item in result if isinstance(item, Message)]
    return ids or None


def _describe(error: TelegramError) -> str:
    """Return an error as "Kind: Telegram's description" (Telegram never echoes our text)."""
    return f"{type(error).__name__}: {error.message}"
