-- Appends one entry to one user's inbox, idempotent by message id.
--
-- KEYS: 1 inbox (zset), 2 entries (hash), 3 last-sync (string), 4 conversation (zset),
--       5 unread (hash), 6 unread-total (string), 7 removed (zset)
-- ARGV: 1 message id, 2 serialized InboxEntry, 3 caller's clock in ms, 4 retention cutoff in ms
--       (entries with a lower sync time are expired), 5 conversation cap, 6 key TTL in ms,
--       7 '1' when the entry counts as unread, 8 conversation key, 9 maximum entries trimmed
--       by retention in this call, 10 maximum ids kept in the removed set
-- Returns {sync time, previous sync time or 0, 1 if duplicate else 0, unread total,
--          entries evicted by the cap, entries trimmed by retention}

local inbox, entries, last_sync, conversation = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local unread, unread_total, removed = KEYS[5], KEYS[6], KEYS[7]
local message_id = ARGV[1]
local cap = tonumber(ARGV[5])
local ttl = ARGV[6]

local function unread_total_now()
  return tonumber(redis.call('GET', unread_total) or '0')
end

-- Sync time of the entry just below score (exclusive), or 0.
local function sync_time_before(score)
  local below = redis.call('ZREVRANGEBYSCORE', inbox, '(' .. string.format('%d', score), '-inf',
    'WITHSCORES', 'LIMIT', 0, 1)
  if below[2] then return tonumber(below[2]) end
  return 0
end

local function newest_sync_time()
  local top = redis.call('ZRANGE', inbox, -1, -1, 'WITHSCORES')
  if top[2] then return tonumber(top[2]) end
  return 0
end

-- The sync time is max(caller clock, Redis clock, last given + 1, newest in the inbox + 1), so it
-- never repeats and never goes backwards for this user. The last-sync key alone suffices while
-- Redis keeps every write. The newest inbox score covers a last-sync key that was lost on its
-- own (expired or deleted). The two clocks cover writes lost in a crash, unless the lost sync
-- times were ahead of the clock (see "Remaining risk after a Redis crash" in docs/inbox.md).
local function allocate_sync_time(newest)
  local time = redis.call('TIME')
  local redis_now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
  local last = tonumber(redis.call('GET', last_sync) or '0')
  return math.max(tonumber(ARGV[3]), redis_now, last + 1, newest + 1)
end

-- A repeated append of a message id returns the first append's sync time and changes nothing,
-- also when the cap has evicted the entry since.
local existing = redis.call('ZSCORE', inbox, message_id) or redis.call('ZSCORE', removed, message_id)
if existing then
  local first = tonumber(existing)
  return {first, sync_time_before(first), 1, unread_total_now(), 0, 0}
end

local sync_time = allocate_sync_time(newest_sync_time())
redis.call('SET', last_sync, string.format('%d', sync_time), 'PX', ttl)
redis.call('ZADD', inbox, sync_time, message_id)
redis.call('HSET', entries, message_id, ARGV[2])
redis.call('ZADD', conversation, sync_time, message_id)

-- Per-conversation cap: evict this conversation's oldest entries only. The conversation set
-- may still contain entries that retention trimmed from the inbox, so those are dropped first.
redis.call('ZREMRANGEBYSCORE', conversation, '-inf', '(' .. ARGV[4])
local evicted = 0
local over = redis.call('ZCARD', conversation) - cap
if over > 0 then
  local oldest = redis.call('ZPOPMIN', conversation, over)
  for i = 1, #oldest, 2 do
    local id, score = oldest[i], oldest[i + 1]
    if redis.call('ZREM', inbox, id) == 1 then
      redis.call('HDEL', entries, id)
      redis.call('ZADD', removed, score, id)
      evicted = evicted + 1
    end
  end
end
if redis.call('EXISTS', removed) == 1 then
  redis.call('ZREMRANGEBYSCORE', removed, '-inf', '(' .. ARGV[4])
  redis.call('ZREMRANGEBYRANK', removed, 0, -(tonumber(ARGV[10]) + 1))
  redis.call('PEXPIRE', removed, ttl)
end

-- Retention: trim expired entries of every conversation, a bounded number per call.
local expired = redis.call('ZRANGEBYSCORE', inbox, '-inf', '(' .. ARGV[4], 'LIMIT', 0, tonumber(ARGV[9]))
if #expired > 0 then
  redis.call('ZREM', inbox, unpack(expired))
  redis.call('HDEL', entries, unpack(expired))
end

if ARGV[7] == '1' then
  redis.call('HINCRBY', unread, ARGV[8], 1)
  redis.call('INCR', unread_total)
  redis.call('PEXPIRE', unread, ttl)
  redis.call('PEXPIRE', unread_total, ttl)
end

redis.call('PEXPIRE', inbox, ttl)
redis.call('PEXPIRE', entries, ttl)
redis.call('PEXPIRE', conversation, ttl)

-- Read after the cap and retention ran, so the previous entry is one that a Sync can return.
return {sync_time, sync_time_before(sync_time), 0, unread_total_now(), evicted, #expired}
