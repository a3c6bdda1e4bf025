-- Shared by sync.lua and ack.lua, which run with this text in front of their own.

-- Stores max(stored cursor, cursor) as the device's acked cursor. The cursor is clamped to the
-- highest sync time the user has been given, so a cursor from the future cannot make a later
-- Sync from the stored cursor skip entries that do not exist yet.
-- Returns the stored cursor before the call.
local function ack_cursor(inbox, last_sync, cursors, device_id, cursor, ttl)
  local stored = tonumber(redis.call('HGET', cursors, device_id) or '0')
  local highest = tonumber(redis.call('GET', last_sync) or '0')
  local top = redis.call('ZRANGE', inbox, -1, -1, 'WITHSCORES')
  if top[2] then highest = math.max(highest, tonumber(top[2])) end
  local acked = math.min(cursor, highest)
  if acked > stored then
    redis.call('HSET', cursors, device_id, string.format('%d', acked))
  end
  if redis.call('EXISTS', cursors) == 1 then
    redis.call('PEXPIRE', cursors, ttl)
  end
  return stored
end
