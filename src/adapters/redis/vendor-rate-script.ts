/**
 * Takes tokens from one vendor's bucket in Redis, atomically, in one round trip: a hash
 * {tokens, at} refilled from Redis's own clock (TIME), so processes on machines whose clocks
 * disagree still share one rate. ARGV: rate per second, capacity (the burst), need (what the call
 * must have), want (need plus what the process may keep for its next calls).
 *
 * Grants nothing and answers the wait in ms while the bucket has fewer than `need` (or, for a call
 * larger than the burst, fewer than a full bucket); otherwise grants between `need` and `want`,
 * running the bucket into debt for a call larger than the burst. The key expires once it would
 * have refilled anyway, so idle vendors leave nothing behind.
 * Returns {granted, waitMs}. TIME before a write needs Redis >= 5 (scripts replicated by their
 * effects); herald's dedup already needs 7.
 */
export const TAKE_VENDOR_TOKENS = `
local rate = tonumber(ARGV[1])
local capacity = tonumber(ARGV[2])
local need = tonumber(ARGV[3])
local want = tonumber(ARGV[4])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + tonumber(time[2]) / 1000
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or capacity
local at = tonumber(state[2]) or now
tokens = math.min(capacity, tokens + math.max(0, now - at) * rate / 1000)
local needed = math.min(need, capacity)
local granted = 0
local waitMs = 0
if tokens >= needed then
  granted = math.max(need, math.min(want, math.floor(tokens)))
  tokens = tokens - granted
else
  waitMs = math.ceil((needed - tokens) * 1000 / rate)
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil((capacity - tokens) * 1000 / rate) + 1000)
return {granted, waitMs}`;
