"""Errors the fake answers with, in Telegram's own words."""

from __future__ import annotations


class ApiError(Exception):
    """A Bot API error response: HTTP status, description and optional retry_after."""

    def __init__(self, status: int, description: str, *, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after


def bad_request(reason: str) -> ApiError:
    """Return a 400 error with Telegram's "Bad Request: " prefix."""
    return ApiError(400, f"Bad Request: {reason}")


def forbidden(reason: str) -> ApiError:
    """Return a 403 error with Telegram's "Forbidden: " prefix."""
    return ApiError(403, f"Forbidden: {reason}")


def too_many_requests(retry_after: int) -> ApiError:
    """Return a 429 error carrying retry_after like Telegram's flood control."""
    return ApiError(429, f"Too Many Requests: retry after {retry_after}", retry_after=retry_after)


def no_behaviour(method: str) -> ApiError:
    """Return the refusal for a valid method that the fake does not implement."""
    return bad_request(f"fake has no behaviour for {method}")
