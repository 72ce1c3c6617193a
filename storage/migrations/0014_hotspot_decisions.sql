-- What the coordinator decided about a hotspot (services/hotspots.py `decide_hotspot`):
-- 'seen', then possibly 'joint' (the partners involved were asked to act together) or
-- 'dismissed' (not relevant, with a reason). Kept with the hotspot as its history.
ALTER TABLE hotspots ADD COLUMN decision TEXT CHECK (decision IN ('seen', 'joint', 'dismissed'));
ALTER TABLE hotspots ADD COLUMN decided_at TEXT;
ALTER TABLE hotspots ADD COLUMN reason TEXT;

-- A buurt and category found "not relevant": no hotspot messages about it until `until`
-- (`[hotspots] suppress_days`), also when it ends and comes back meanwhile.
CREATE TABLE hotspot_suppressions (
    buurt_code  TEXT NOT NULL,
    category_id TEXT NOT NULL,
    until       TEXT NOT NULL,
    reason      TEXT NOT NULL,
    PRIMARY KEY (buurt_code, category_id)
) STRICT;
