-- What to send in a row's place when Telegram refuses its call for good (a 400 other than
-- "message is not modified"): JSON {"method": ..., "params": ...}. The reference after "Send"
-- is an edit of the summary the resident confirmed (one call instead of two); if that message
-- can no longer be edited (deleted, too old), the reference comes as a message of its own.
ALTER TABLE outbox ADD COLUMN instead TEXT;
