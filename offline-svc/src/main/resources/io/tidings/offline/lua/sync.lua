-- Returns one page of a user's inbox after a cursor and acks that cursor for the device.
--
-- KEYS: 1 inbox (zset), 2 entries (hash), 3 last-sync (string), 4 cursors (hash)
-- ARGV: 1 device id, 2 cursor, 3 '1' to start from the device's stored cursor instead,
--       4 page size, 5 retention cutoff in ms, 6 key TTL in ms
-- Returns {cursor used, {id, sync time, ...} of up to page size + 1 entries, oldest first,
--          {serialized entry, ...} of those ids}

local inbox, entries, last_sync, cursors = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local device_id = ARGV[1]
local page_size = tonumber(ARGV[4])

local cursor = tonumber(ARGV[2])
local stored = ack_cursor(inbox, last_sync, cursors, device_id, cursor, ARGV[6])
if ARGV[3] == '1' then cursor = stored end

-- Entries below the retention cutoff are expired even before append.lua trims them.
local after = math.max(cursor, tonumber(ARGV[5]) - 1)
local rows = redis.call('ZRANGEBYSCORE', inbox, '(' .. string.format('%d', after), '+inf',
  'WITHSCORES', 'LIMIT', 0, page_size + 1)
local values = {}
if #rows > 0 then
  local ids = {}
  for i = 1, #rows, 2 do ids[#ids + 1] = rows[i] end
  values = redis.call('HMGET', entries, unpack(ids))
end
return {cursor, rows, values}
