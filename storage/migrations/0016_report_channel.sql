-- Where a report came in: NULL for a resident's Telegram chat, "open311:<client name>" for a
-- service request posted through the Open311 GeoReport v2 endpoint (services/open311.py).
-- Such a report has no resident (user_id and chat_id NULL): no confirmation, follow-ups or
-- survey; partners see which client sent it.
ALTER TABLE reports ADD COLUMN channel TEXT;
