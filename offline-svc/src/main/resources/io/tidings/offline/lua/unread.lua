-- Returns a user's unread counts as {conversation key, count, ...}.
--
-- KEYS: 1 unread (hash)

return redis.call('HGETALL', KEYS[1])
