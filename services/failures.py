"""Say that the sender of the update being handled was shown that handling it failed.

The error handler (handlers/errors.py) calls `sender_was_told` after its notice reached them:
they were asked to try again, so the intake (bot/intake.py) does not handle the update again by
itself (which could act on it after what they did next).
"""

from __future__ import annotations

from storage.handling import current


def sender_was_told() -> None:
    """Mark the update being handled (if any) as one whose failure its sender saw."""
    handling = current()
    if handling is not None:
        handling.told = True
