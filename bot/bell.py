"""Wake the outbox dispatcher when a use case queued something."""

from __future__ import annotations

from collections.abc import Callable


class Bell:
    """Wake the outbox dispatcher after something was queued (connected once it exists)."""

    def __init__(self) -> None:
        self._targets: list[Callable[[], None]] = []

    def connect(self, target: Callable[[], None]) -> None:
        """Ring this target too."""
        self._targets.append(target)

    def ring(self) -> None:
        """Wake every connected target."""
        for target in self._targets:
            target()
