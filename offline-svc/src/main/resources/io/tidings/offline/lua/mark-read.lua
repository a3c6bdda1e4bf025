-- Clears the unread count of one conversation and lowers the user's total by it.
--
-- KEYS: 1 unread (hash), 2 unread-total (string)
-- ARGV: 1 conversation key
-- Returns the count that was cleared.

local count = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0')
if count > 0 then
  redis.call('HDEL', KEYS[1], ARGV[1])
  if redis.call('DECRBY', KEYS[2], count) <= 0 then
    redis.call('DEL', KEYS[2])
  end
end
return count
