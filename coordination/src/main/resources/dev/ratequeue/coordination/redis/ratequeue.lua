-- RateQueue: the grant decision for every JVM sharing one Redis. One call = one batch of ops
-- from one JVM for one resource, then a dispatch of the queue. Same decision as
-- LocalResourceLimiter (see its header); this comment says what is particular to Redis.
--
-- Clock: redis.call('TIME') only, so JVM clock skew cannot move a decision. All times are
-- microseconds since the epoch; they exceed 14 significant digits, so they are written with
-- string.format('%.3f') / '%.0f', never tostring().
--
-- Keys (all share the hash tag {<ns>:<resource>}, so the script is valid on Redis Cluster):
--   KEYS[1] cfg  hash  limits: rn rp rb (requests count, period us, burst), ln lp lb (load),
--                      cc (concurrency), mw (max-wait us), mh (max-hold us), pr, fp, v (version)
--   KEYS[2] st   hash  tr tl (GCRA theoretical arrival times), pu (paused until), seq,
--                      arm (last wake sent), sec cg cl pg pl (grants and load, this/last second)
--   KEYS[3] q    zset  waiting calls; score -priority (higher priority first), member
--                      '<seq 15 digits>|<waiter id>|<load>|<deadline us>' (equal scores sort by
--                      member, so the zero-padded sequence makes FIFO within a priority)
--   KEYS[4] w    hash  waiter id -> 'Q|<member>' while queued, 'G|<start us>|<load>' once granted to a
--                      JVM that has not acknowledged it yet (the durable copy of a pub/sub grant)
--   KEYS[5] l    zset  leases: waiter id -> hard expiry (max-hold), only with a concurrency limit
--   KEYS[6] j    zset  client (JVM) id -> heartbeat expiry; a client past it is purged with its
--                      waiters and leases, which is what makes kill -9 leak nothing
--   KEYS[7] qs   hash  c<priority> / l<priority>: waiting count and load per priority
-- Waiter ids are '<client id>.<n>', so the owner of any waiter or lease is known from its id.
--
-- ARGV: client id, lease ttl us, lookahead us, channel prefix, resource, then ops of four
-- fields each: code, id, a, b.
--   S seed cfg (a = encoded limits) only if none   U update cfg (a = encoded limits)
--   H heartbeat                                    E enqueue (id, a = load, b = priority)
--   T try (id, a = load, b = priority)             C cancel (id)
--   R release lease (id)                           D reconcile (id, a = load delta)
--   P pause (a = duration us)                      O resume
--   A ack a grant received by message (id)         K check a waiter (id)
--   L read cfg                                     N snapshot
-- Reply: { wake delay us or -1, cfg version, tuples of four: type, id, a, b ... }
--   G granted (a = delay us, b = start us)  X refused, max-wait (a = predicted us, b = limit)
--   F try refused   Z waiter unknown   L cfg (a = encoded)   N snapshot (a = encoded)
--   H live clients (a)   M cfg missing (the caller seeds it and calls again)
-- Grants for other JVMs are published on '<channel prefix><client>' as
--   '<resource> G <id> <delay> <start> ...' and a wake-up for a blocked head as '<resource> W - <delay> 0'.

local cfg_key, st_key, q_key, w_key, l_key, j_key, qs_key =
  KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7]
local me, ttl, lookahead, channel, resource =
  ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4], ARGV[5]

local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local reply = { -1, 0 }
local function out(kind, id, a, b)
  reply[#reply + 1] = kind
  reply[#reply + 1] = id
  reply[#reply + 1] = a
  reply[#reply + 1] = b
end

local CFG_FIELDS = { 'rn', 'rp', 'rb', 'ln', 'lp', 'lb', 'cc', 'mw', 'mh', 'pr', 'fp' }
local function write_cfg(encoded)
  local version = tonumber(redis.call('HGET', cfg_key, 'v') or 0)
  local args = { 'v', version + 1 }
  for k, v in string.gmatch(encoded, '([a-z]+)=([^;]*)') do
    args[#args + 1] = k
    args[#args + 1] = v
  end
  redis.call('DEL', cfg_key)
  redis.call('HSET', cfg_key, unpack(args))
end
local function encode_cfg()
  local values = redis.call('HMGET', cfg_key, unpack(CFG_FIELDS))
  local parts = {}
  for i, k in ipairs(CFG_FIELDS) do
    if values[i] then parts[#parts + 1] = k .. '=' .. values[i] end
  end
  return table.concat(parts, ';')
end

-- Seeding and updates come first, so a batch that seeds is decided under its own limits.
for i = 6, #ARGV, 4 do
  local code = ARGV[i]
  if code == 'S' then
    if redis.call('EXISTS', cfg_key) == 0 then write_cfg(ARGV[i + 2]) end
  elseif code == 'U' then
    write_cfg(ARGV[i + 2])
  end
end

local c = redis.call('HMGET', cfg_key, 'rn', 'rp', 'rb', 'ln', 'lp', 'lb', 'cc', 'mw', 'mh', 'v')
if not c[10] then
  out('M', '', 0, 0)
  return reply
end
reply[2] = tonumber(c[10])
local rt = c[1] and (tonumber(c[2]) / tonumber(c[1])) or nil   -- us per request
local r_tau = rt and (tonumber(c[3] or 0) * rt) or 0
local lt = c[4] and (tonumber(c[5]) / tonumber(c[4])) or nil   -- us per load unit
local l_tau = lt and (tonumber(c[6] or 0) * lt) or 0
local cc = tonumber(c[7] or 0)
local max_wait = tonumber(c[8] or 0)
local max_hold = tonumber(c[9] or 600000000)

local s = redis.call('HMGET', st_key, 'tr', 'tl', 'pu', 'sec', 'cg', 'cl', 'pg', 'pl', 'arm')
local tat_r = tonumber(s[1] or 0)
local tat_l = tonumber(s[2] or 0)
local paused_until = tonumber(s[3] or 0)
local sec, cur_g, cur_l, prev_g, prev_l =
  tonumber(s[4] or 0), tonumber(s[5] or 0), tonumber(s[6] or 0), tonumber(s[7] or 0), tonumber(s[8] or 0)
local armed = s[9] or ''
local state_changed = false

local function roll_second()
  local this_sec = math.floor(now / 1000000)
  if this_sec ~= sec then
    if this_sec == sec + 1 then prev_g, prev_l = cur_g, cur_l else prev_g, prev_l = 0, 0 end
    cur_g, cur_l, sec = 0, 0, this_sec
    state_changed = true
  end
end

-- Scores are -priority. Redis 7 returns the score of priority 0 as '0', 6.2 as '-0': negating
-- either must give 0, never -0, which Lua prints as '-0' into the per-priority counter names.
local function priority_of(score)
  return 0 - tonumber(score)
end

local function owner(id)
  return string.match(id, '^(.*)%.')
end

local function in_flight()
  if cc <= 0 then return 0 end
  return redis.call('ZCARD', l_key)
end

-- The earliest start allowed by the rates and the pause (concurrency is checked apart).
local function earliest_start()
  local start = now
  if paused_until > start then start = paused_until end
  if rt and tat_r - r_tau > start then start = tat_r - r_tau end
  if lt and tat_l - l_tau > start then start = tat_l - l_tau end
  return start
end

local function admit(id, load, start)
  if rt then tat_r = math.max(tat_r, start) + rt end
  if lt then tat_l = math.max(tat_l, start) + load * lt end
  roll_second()
  cur_g = cur_g + 1
  cur_l = cur_l + load
  state_changed = true
  if cc > 0 then redis.call('ZADD', l_key, string.format('%.0f', start + max_hold), id) end
end

local function waiting_adjust(priority, count, load)
  redis.call('HINCRBY', qs_key, 'c' .. priority, count)
  local left = redis.call('HINCRBY', qs_key, 'l' .. priority, load)
  if count < 0 and tonumber(redis.call('HGET', qs_key, 'c' .. priority)) <= 0 then
    redis.call('HDEL', qs_key, 'c' .. priority, 'l' .. priority)
  end
  return left
end

-- Waiting calls, counted once per script call and kept up to date here, so that the common case
-- (nobody waits) costs no command per operation.
local queue_length = 0

local function waiting_at_or_above(priority)
  if queue_length == 0 then return 0 end
  return redis.call('ZCOUNT', q_key, '-inf', -priority)
end

local function unqueue(member, priority)
  local _, _, id, load = string.find(member, '^%d+|([^|]+)|(%d+)|')
  redis.call('ZREM', q_key, member)
  waiting_adjust(priority, -1, 0 - tonumber(load))
  queue_length = queue_length - 1
  return id
end

-- Calls a JVM has not heart-beaten for are gone: their waiters and leases go with them.
local function purge_dead_clients()
  local dead = redis.call('ZRANGEBYSCORE', j_key, '-inf', now, 'LIMIT', 0, 4)
  for _, client in ipairs(dead) do
    local prefix = client .. '.'
    local members = redis.call('ZRANGE', q_key, 0, -1, 'WITHSCORES')
    for k = 1, #members, 2 do
      if string.find(members[k], '|' .. prefix, 1, true) then
        local id = unqueue(members[k], priority_of(members[k + 1]))
        redis.call('HDEL', w_key, id)
      end
    end
    local leases = redis.call('ZRANGE', l_key, 0, -1)
    for _, id in ipairs(leases) do
      if string.sub(id, 1, #prefix) == prefix then
        redis.call('ZREM', l_key, id)
        redis.call('HDEL', w_key, id)
      end
    end
    redis.call('ZREM', j_key, client)
  end
end

-- Predicted wait of a call entering the queue behind everyone of its priority or higher.
local function predicted_wait(priority)
  local wait = paused_until - now
  local limit = 'p'
  local ahead = waiting_at_or_above(priority)
  if rt then
    local w = tat_r - r_tau - now + ahead * rt
    if w >= wait then wait, limit = w, 'r' end
  end
  if lt then
    local ahead_load = 0
    local sums = redis.call('HGETALL', qs_key)
    for k = 1, #sums, 2 do
      local kind, p = string.sub(sums[k], 1, 1), tonumber(string.sub(sums[k], 2))
      if kind == 'l' and p >= priority then ahead_load = ahead_load + tonumber(sums[k + 1]) end
    end
    local w = tat_l - l_tau - now + ahead_load * lt
    if w >= wait then wait, limit = w, 'l' end
  end
  if wait < 0 then wait = 0 end
  return wait, limit
end

local published = {}
local function grant_to(id, load, delay, start)
  local client = owner(id)
  if client == me then
    out('G', id, delay, string.format('%.0f', start))
  else
    redis.call('HSET', w_key, id, 'G|' .. string.format('%.0f', start) .. '|' .. load)
    local msg = published[client] or resource
    published[client] = msg .. ' G ' .. id .. ' ' .. string.format('%.0f', delay) .. ' ' .. string.format('%.0f', start)
  end
end

queue_length = redis.call('ZCARD', q_key)
purge_dead_clients()
if cc > 0 then redis.call('ZREMRANGEBYSCORE', l_key, '-inf', now) end


for i = 6, #ARGV, 4 do
  local code, id, a, b = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3]
  if code == 'E' or code == 'T' then
    local load, priority = tonumber(a), tonumber(b)
    local nobody_ahead = waiting_at_or_above(priority) == 0
    local start = earliest_start()
    local slot_free = cc <= 0 or in_flight() < cc
    if code == 'T' then
      if nobody_ahead and slot_free and start <= now then
        admit(id, load, now)
        out('G', id, 0, string.format('%.0f', now))
      else
        out('F', id, 0, 0)
      end
    elseif nobody_ahead and slot_free and start <= now + lookahead then
      -- Nobody of this priority or higher waits and the call fits: it never enters the queue.
      admit(id, load, start)
      out('G', id, start - now, string.format('%.0f', start))
    elseif redis.call('HEXISTS', w_key, id) == 0 then
      local wait, limit = predicted_wait(priority)
      if wait > max_wait then
        out('X', id, wait, limit)
      else
        local seq = redis.call('HINCRBY', st_key, 'seq', 1)
        local member = string.format('%015.0f', seq) .. '|' .. id .. '|' .. load .. '|' ..
          string.format('%.0f', now + max_wait)
        redis.call('ZADD', q_key, -priority, member)
        redis.call('HSET', w_key, id, 'Q|' .. member)
        waiting_adjust(priority, 1, load)
        queue_length = queue_length + 1
      end
    end
  elseif code == 'C' then
    local rec = redis.call('HGET', w_key, id)
    if rec and string.sub(rec, 1, 1) == 'Q' then
      local member = string.sub(rec, 3)
      local score = redis.call('ZSCORE', q_key, member)
      if score then unqueue(member, priority_of(score)) end
    elseif rec then
      -- Granted but never collected: the call will not be made, so its turn is refunded.
      local load = tonumber(string.match(rec, '^G|%d+|(%d+)$') or 0)
      if rt then tat_r = tat_r - rt end
      if lt then tat_l = tat_l - load * lt end
      state_changed = true
    end
    redis.call('HDEL', w_key, id)
    if cc > 0 then redis.call('ZREM', l_key, id) end
  elseif code == 'R' then
    if cc > 0 then redis.call('ZREM', l_key, id) end
  elseif code == 'D' then
    local delta = tonumber(a)
    if lt then tat_l = tat_l + delta * lt end
    roll_second()
    cur_l = cur_l + delta
    state_changed = true
  elseif code == 'P' then
    local until_ = now + tonumber(a)
    if until_ > paused_until then paused_until = until_; state_changed = true end
  elseif code == 'O' then
    paused_until = 0
    state_changed = true
  elseif code == 'H' then
    redis.call('ZADD', j_key, string.format('%.0f', now + ttl), me)
    out('H', id, redis.call('ZCOUNT', j_key, now, '+inf'), 0)
  elseif code == 'A' then
    redis.call('HDEL', w_key, id)
  elseif code == 'K' then
    local rec = redis.call('HGET', w_key, id)
    if not rec then
      out('Z', id, 0, 0)
    elseif string.sub(rec, 1, 1) == 'G' then
      local start = tonumber(string.match(rec, '^G|(%d+)|'))
      out('G', id, math.max(0, start - now), string.format('%.0f', start))
      redis.call('HDEL', w_key, id)
    end
  elseif code == 'L' then
    out('L', id, encode_cfg(), 0)
  elseif code == 'N' then
    roll_second()
    local waiting = redis.call('HGETALL', qs_key)
    local depth = {}
    for k = 1, #waiting, 2 do
      if string.sub(waiting[k], 1, 1) == 'c' then depth[#depth + 1] = string.sub(waiting[k], 2) .. ':' .. waiting[k + 1] end
    end
    local paused_for = paused_until - now
    if paused_for < 0 then paused_for = 0 end
    out('N', id, 'q=' .. table.concat(depth, ',') .. ';f=' .. in_flight() .. ';g=' .. prev_g .. ';l=' .. prev_l ..
      ';p=' .. string.format('%.0f', paused_for) .. ';c=' .. redis.call('ZCOUNT', j_key, now, '+inf'), 0)
  end
end

-- Dispatch: grant from the head while the head can start within the lookahead.
local blocked, wake_at, head_owner = nil, nil, nil
local granted = 0
while granted < 256 and queue_length > 0 do
  local head = redis.call('ZRANGE', q_key, 0, 0, 'WITHSCORES')
  if #head == 0 then break end
  local member, priority = head[1], priority_of(head[2])
  local _, _, id, load, deadline = string.find(member, '^%d+|([^|]+)|(%d+)|(%d+)$')
  load, deadline = tonumber(load), tonumber(deadline)
  if deadline < now then
    -- Past its max-wait: its JVM has failed it already (or is gone); it must not block the queue.
    unqueue(member, priority)
    redis.call('HDEL', w_key, id)
  else
    head_owner = owner(id)
    if cc > 0 and in_flight() >= cc then
      blocked = 'c'
      local lease = redis.call('ZRANGE', l_key, 0, 0, 'WITHSCORES')
      local client = redis.call('ZRANGE', j_key, 0, 0, 'WITHSCORES')
      wake_at = now + ttl
      if lease[2] then wake_at = math.min(wake_at, tonumber(lease[2])) end
      if client[2] then wake_at = math.min(wake_at, tonumber(client[2])) end
      break
    end
    local start = earliest_start()
    if start > now + lookahead then
      -- Come back when half the lookahead is used up: each call then grants half a lookahead of
      -- turns, and a call that comes late by less than that still grants every turn on time.
      blocked = 't'
      wake_at = start - lookahead / 2
      break
    end
    unqueue(member, priority)
    admit(id, load, start)
    grant_to(id, load, start - now, start)
    granted = granted + 1
  end
end

if blocked then
  local delay = math.max(0, wake_at - now)
  if head_owner == me then
    reply[1] = delay
  else
    -- Only the JVM that owns the head needs to come back at its turn; tell it once per turn.
    local arm = head_owner .. '@' .. string.format('%.0f', wake_at)
    if arm ~= armed then
      redis.call('HSET', st_key, 'arm', arm)
      local msg = published[head_owner] or resource
      published[head_owner] = msg .. ' W - ' .. string.format('%.0f', delay) .. ' 0'
    end
  end
end

for client, msg in pairs(published) do
  redis.call('PUBLISH', channel .. client, msg)
end

if state_changed then
  redis.call('HSET', st_key, 'tr', string.format('%.3f', tat_r), 'tl', string.format('%.3f', tat_l),
    'pu', string.format('%.0f', paused_until), 'sec', sec, 'cg', cur_g, 'cl', cur_l, 'pg', prev_g, 'pl', prev_l)
end
return reply
