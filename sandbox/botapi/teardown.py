"""Decide whether a test left the fake Bot API in a state that should fail it."""

from __future__ import annotations

from .server import FakeBotApi


def problems(api: FakeBotApi) -> list[str]:
    """Return unexpected refusals, expected refusals that never came and unanswered presses."""
    found: list[str] = []
    met: set[str] = set()
    for refusal in api.refusals:
        matches = [e for e in api.expected_refusals if e in refusal]
        met.update(matches)
        if not matches:
            found.append(f"refused: {refusal}")
    found.extend(
        f"expected a refusal containing {e!r}, but none came"
        for e in api.expected_refusals
        if e not in met
    )
    found.extend(
        f"button press {query_id} was never answered with answerCallbackQuery"
        for query_id in api.unanswered_callbacks()
    )
    return found
