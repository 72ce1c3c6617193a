"""The bot token never reaches the log."""

from __future__ import annotations

import logging

import pytest

from bot.logs import RedactToken


def test_the_token_is_replaced_in_messages_and_arguments(caplog: pytest.LogCaptureFixture) -> None:
    token = "123456:AAE-secret"
    logger = logging.getLogger("test.redaction")
    logger.addFilter(RedactToken(token))
    with caplog.at_level(logging.INFO, logger="test.redaction"):
        logger.info("POST https://api.telegram.org/bot%s/getUpdates", token)
        logger.info("plain line without secrets")
    assert token not in caplog.text
    assert "bot<token>/getUpdates" in caplog.text
    assert "plain line without secrets" in caplog.text
