-- Every message id of an album, so that erasing a resident can delete each photo of it.
-- message_id keeps the first one; album_ids holds all of them in order (a JSON array), and stays
-- NULL for a call that produced one message. Telegram's message ids must never be computed
-- (the second photo of an album is not reliably message_id + 1): they are recorded as returned.
ALTER TABLE outbox ADD COLUMN album_ids TEXT
    CHECK (album_ids IS NULL OR (json_valid(album_ids) AND json_type(album_ids) = 'array'));
