"""Name what is wrong with the configuration."""

from __future__ import annotations


class ConfigError(Exception):
    """The configuration cannot be used; each problem names its key."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("Configuration problem:\n" + "\n".join(f"  - {p}" for p in problems))
