"""Read deployment settings from the environment or a .env file."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from config.errors import BaseUrlError, ConfigError

DEFAULT_API_BASE_URL = "https://api.telegram.org/bot"
_TOKEN = re.compile(r"^\d{1,20}:[A-Za-z0-9_-]{1,100}$")
_LINK_CODE = re.compile(r"^\S{8,128}$")
_WEBHOOK_SECRET = re.compile(r"^[A-Za-z0-9_-]{16,256}$")
_LISTEN = re.compile(r"^(?P<host>[^\s:]+|\[[0-9a-fA-F:]+\]):(?P<port>\d{1,5})$")
BOTFATHER_HELP = (
    "Set TELEGRAM_BOT_TOKEN (in the environment or in a .env file). To get a token, open "
    "Telegram, talk to @BotFather, send /newbot and follow the steps; it answers with a token "
    "like 123456789:AAE-xxxxxxxx."
)


class Settings(BaseSettings):
    """Deployment settings: token, Bot API host, database, override file, partner link code."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=True
    )

    telegram_bot_token: SecretStr = Field(alias="TELEGRAM_BOT_TOKEN")
    telegram_api_base_url: str = Field(default=DEFAULT_API_BASE_URL, alias="TELEGRAM_API_BASE_URL")
    meldbot_db: Path = Field(default=Path("data/meldbot.sqlite3"), alias="MELDBOT_DB")
    meldbot_config: Path | None = Field(default=None, alias="MELDBOT_CONFIG")
    meldbot_link_code: SecretStr | None = Field(default=None, alias="MELDBOT_LINK_CODE")
    meldbot_db_max_mb: float | None = Field(default=None, gt=0, alias="MELDBOT_DB_MAX_MB")
    meldbot_webhook_url: str | None = Field(default=None, alias="MELDBOT_WEBHOOK_URL")
    meldbot_webhook_secret: SecretStr | None = Field(default=None, alias="MELDBOT_WEBHOOK_SECRET")
    meldbot_webhook_listen: str = Field(default="127.0.0.1:8080", alias="MELDBOT_WEBHOOK_LISTEN")

    @field_validator("telegram_bot_token")
    @classmethod
    def _token_shape(cls, value: SecretStr) -> SecretStr:
        if not _TOKEN.match(value.get_secret_value()):
            raise ValueError("does not look like a Bot API token (digits, a colon, then letters)")
        return value

    @field_validator("telegram_api_base_url")
    @classmethod
    def _base_url_shape(cls, value: str) -> str:
        problem = base_url_problem(value)
        if problem:
            raise ValueError(problem)
        return value

    @field_validator("meldbot_config")
    @classmethod
    def _config_exists(cls, value: Path | None) -> Path | None:
        if value is not None and not value.is_file():
            raise ValueError(f"no such file: {value}")
        return value

    @field_validator("meldbot_link_code")
    @classmethod
    def _link_code_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value():
            return None  # an empty MELDBOT_LINK_CODE= means: no linking by command
        if not _LINK_CODE.match(value.get_secret_value()):
            raise ValueError("must be at least 8 characters without spaces")
        return value

    @field_validator("meldbot_webhook_url")
    @classmethod
    def _webhook_url_shape(cls, value: str | None) -> str | None:
        if not value:
            return None  # empty: long polling
        parts = urlsplit(value)
        if parts.scheme != "https" or not parts.hostname or any(c.isspace() for c in value):
            raise ValueError("must be the https URL Telegram posts updates to")
        return value

    @field_validator("meldbot_webhook_secret")
    @classmethod
    def _webhook_secret_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value():
            return None
        if not _WEBHOOK_SECRET.match(value.get_secret_value()):
            raise ValueError("must be 16 to 256 characters: letters, digits, _ and -")
        return value

    @field_validator("meldbot_webhook_listen")
    @classmethod
    def _listen_shape(cls, value: str) -> str:
        found = _LISTEN.match(value)
        if found is None or not 0 < int(found["port"]) < 65536:
            raise ValueError("must be host:port, such as 127.0.0.1:8080")
        return value

    @model_validator(mode="after")
    def _webhook_needs_a_secret(self) -> Settings:
        if self.meldbot_webhook_url and self.meldbot_webhook_secret is None:
            raise ValueError(
                "MELDBOT_WEBHOOK_SECRET is required with MELDBOT_WEBHOOK_URL: Telegram sends it"
                " with every update, so nobody else can post updates to the bot"
            )
        return self

    @property
    def webhook(self) -> Webhook | None:
        """Return where updates come in when Telegram posts them (webhook mode), else None."""
        if not self.meldbot_webhook_url or self.meldbot_webhook_secret is None:
            return None
        found = _LISTEN.match(self.meldbot_webhook_listen)
        assert found is not None
        return Webhook(
            url=self.meldbot_webhook_url,
            secret=self.meldbot_webhook_secret.get_secret_value(),
            host=found["host"].strip("[]"),
            port=int(found["port"]),
        )

    @property
    def token(self) -> str:
        return self.telegram_bot_token.get_secret_value()

    @property
    def link_code(self) -> str | None:
        """Return the code partner groups link with (`/koppel <partner-id> <code>`), if set."""
        return self.meldbot_link_code.get_secret_value() if self.meldbot_link_code else None

    @property
    def database_max_bytes(self) -> int | None:
        """Return how large the database file may grow (MELDBOT_DB_MAX_MB), if limited."""
        if self.meldbot_db_max_mb is None:
            return None
        return int(self.meldbot_db_max_mb * 1024 * 1024)

    @property
    def file_base_url(self) -> str:
        """Derive the Bot API file URL from the base URL (…/bot → …/file/bot)."""
        return file_base_url(self.telegram_api_base_url)


@dataclass(frozen=True)
class Webhook:
    """Webhook mode: the public URL Telegram posts to, its secret, and where to listen."""

    url: str
    secret: str
    host: str
    port: int

    @property
    def path(self) -> str:
        """Return the path Telegram posts to (the URL's path, / when it has none)."""
        return urlsplit(self.url).path or "/"


def base_url_problem(value: str) -> str | None:
    """Say what is wrong with a Bot API base URL, or return None when it is usable."""
    example = "such as https://api.telegram.org/bot"
    if any(char.isspace() for char in value):
        return f"must not contain spaces; give an http(s) URL {example}"
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return f"must be an http(s) URL with a host, {example}"
    try:
        parts.port  # noqa: B018 - reading it checks that the port is a number in range
    except ValueError:
        return f"has an invalid port; give an http(s) URL {example}"
    if parts.query or parts.fragment:
        return "must not carry a query or fragment"
    if not parts.path.endswith("/bot"):
        return (
            "must end in /bot, without a slash after it: the token is appended to it "
            "(https://api.telegram.org/bot)"
        )
    return None


def file_base_url(base_url: str) -> str:
    """Return the file download base for a Bot API base URL in python-telegram-bot's form."""
    parts = urlsplit(base_url)
    path = parts.path.rstrip("/")
    head, _, last = path.rpartition("/")
    file_path = f"{head}/file/{last}" if last else "/file/bot"
    return urlunsplit((parts.scheme, parts.netloc, file_path, "", ""))


def load_settings(env_file: Path | None = Path(".env")) -> Settings:
    """Load settings, or raise ConfigError naming each wrong key and how to fix it."""
    try:
        return Settings(_env_file=env_file)
    except ValidationError as exc:
        problems: list[str] = []
        keys: set[str] = set()
        given: object = None
        for error in exc.errors():
            key = ".".join(str(p) for p in error["loc"]) or "settings"
            keys.add(key)
            given = error.get("input")
            if error["type"] == "missing" and key == "TELEGRAM_BOT_TOKEN":
                problems.append(f"TELEGRAM_BOT_TOKEN is missing. {BOTFATHER_HELP}")
            else:
                problems.append(f"{key}: {error['msg'].removeprefix('Value error, ')}")
        if keys == {"TELEGRAM_API_BASE_URL"}:
            raise BaseUrlError(given, problems) from None
        raise ConfigError(problems) from None
