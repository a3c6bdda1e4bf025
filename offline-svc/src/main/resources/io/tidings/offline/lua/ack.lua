-- Stores a device's acked cursor (see ack_cursor in cursor.lua).
--
-- KEYS: 1 inbox (zset), 2 last-sync (string), 3 cursors (hash)
-- ARGV: 1 device id, 2 cursor, 3 key TTL in ms
-- Returns the stored cursor before the call.

return ack_cursor(KEYS[1], KEYS[2], KEYS[3], ARGV[1], tonumber(ARGV[2]), ARGV[3])
