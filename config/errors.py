"""Name what is wrong with the configuration."""

from __future__ import annotations


class ConfigError(Exception):
    """The configuration cannot be used; each problem names its key."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("Configuration problem:\n" + "\n".join(f"  - {p}" for p in problems))


class BaseUrlError(ConfigError):
    """TELEGRAM_API_BASE_URL is malformed (and nothing else is wrong)."""

    def __init__(self, value: object, problems: list[str]) -> None:
        super().__init__(problems)
        self.value = value

    def line(self) -> str:
        """Return the problem on one line, with the value that was given."""
        why = "; ".join(p.removeprefix("TELEGRAM_API_BASE_URL: ") for p in self.problems)
        return f"TELEGRAM_API_BASE_URL {self.value!r} is malformed: it {why}"
