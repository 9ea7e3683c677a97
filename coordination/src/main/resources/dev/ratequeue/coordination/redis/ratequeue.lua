-- RateQueue: the grant decision for every JVM sharing one Redis. One call = one batch of ops
-- from one JVM for one resource, then a dispatch of the queue. Same decision as
-- LocalResourceLimiter (see its header); this comment says what is particular to Redis.
--
-- Clock: redis.call('TIME') only, so JVM clock skew cannot move a decision. All times are
-- microseconds since the epoch; they exceed 14 significant digits, so they are never written with
-- tostring() or '..': they go to redis.call as Lua numbers, which Redis prints exactly ('%.17g'),
-- or through string.format('%.0f') where a whole number is wanted.
--
-- Keys (all share the hash tag {<ns>:<resource>}, so the script is valid on Redis Cluster):
--   KEYS[1] res  hash  the resource itself: its limits, its state and counts of the sets below, in
--                      one hash, so that one HMGET reads everything a common call decides on.
--                      limits: rn rp rb (requests count, period us, burst), ln lp lb (load),
--                      cc (concurrency), ad (adaptive: floor,decrease,increase), mw (max-wait us),
--                      mh (max-hold us), pr, fp; v (version) is
--                      present once the limits are, and only an absent v means "not seeded";
--                      lo (where the limits come from: 'live' once set by an update, 'config'
--                      when seeded from a JVM's configuration; see "Precedence"), vb (the
--                      version before a reset, so versions only grow);
--                      about: what this hash is (also keeps it a hash table: see "Cost")
--                      state: tr tl (GCRA theoretical arrival times), pu (paused until), seq,
--                      af (an adaptive rate's factor,us of its last cut),
--                      arm (last wake sent), sec (the second, as TIME gives it), cg cx (grants this
--                      second, and their load beyond one per grant: a grant of load 1, the usual,
--                      changes one field), pg pl (grants and load, last second); a missing field
--                      reads as 0 (as '' for arm)
--                      counts: qn (members of q), lf (members of l), je (no later than the earliest
--                      expiry in j), le (no later than the earliest expiry in l); '-' for an empty
--                      set, absent for unknown: see "Counts" below for why each can only err safely
--                      Deleting this key resets the limiter (the next call seeds the limits again
--                      and counts the sets); an update rewrites only the limit fields.
--   KEYS[2] q    zset  waiting calls; score -priority (higher priority first), member
--                      '<seq 15 digits>|<waiter id>|<load>|<deadline us>' (equal scores sort by
--                      member, so the zero-padded sequence makes FIFO within a priority)
--   KEYS[3] w    hash  waiter id -> 'Q|<member>' while queued, 'G|<start us>|<load>' once granted to a
--                      JVM that has not acknowledged it yet (the durable copy of a pub/sub grant)
--   KEYS[4] l    zset  leases: waiter id -> hard expiry (max-hold), only with a concurrency limit
--   KEYS[5] j    zset  client (JVM) id -> heartbeat expiry; a client past it is purged with its
--                      waiters and leases, which is what makes kill -9 leak nothing
--   KEYS[6] qs   hash  c<priority> / l<priority>: waiting count and load per priority
-- Waiter ids are '<client id>.<n>', so the owner of any waiter or lease is known from its id.
--
-- ARGV: client id, lease ttl us, lookahead us (>= 0), channel prefix, resource, then ops of four
-- fields each: code, id, a, b.
--   S seed limits (a = encoded): see "Precedence"  U update limits (a = encoded), set live
--   V reset: forget the limits (every JVM seeds its configuration again on its next call)
--   H heartbeat                                    E enqueue (id, a = load, b = priority)
--   T try (id, a = load, b = priority)             C cancel (id)
--   R release lease (id)                           D reconcile (id, a = load delta)
--   P pause (a = duration us)                      O resume
--   A ack a grant received by message (id)         K check a waiter (id)
--   L read limits (b of the reply = origin)        N snapshot
--   B hold back (a = 'r' or 'l', b = delay us)       Y overloaded (an adaptive rate is cut)
-- Reply: { wake delay us or -1, limits version (a string), tuples of four: type, id, a, b ... }
--   G granted (a = delay us, b = start us: an integer if it is now, else a '%.0f' string)
--   X refused, max-wait (a = predicted us, b = limit)
--   F try refused (a = us before the rates or a pause allow any call, 0 if they do now)
--   Z waiter unknown   L limits (a = encoded)   N snapshot (a = encoded)
--   H live clients (a)   M limits missing (the caller seeds them and calls again)
--   S a seed that did not simply store its limits (a = 'replaced' or 'live', b = the stored limits)
-- Grants for other JVMs are published on '<channel prefix><client>' as
--   '<resource> G <id> <delay> <start> ...' and a wake-up for a blocked head as '<resource> W - <delay> 0'.
--
-- Cost: an uncontended acquire is one call of this script, so the script's Redis time is the floor
-- of the coordinator's latency, and the common path is written for it. What things cost, in
-- instructions per EVALSHA counted by callgrind inside evalShaCommand (Redis 7.0, one two-core
-- VM, about 5k instructions per us there; instruction counts are exact where INFO commandstats'
-- usec_per_call moves by 20% from run to run on a shared machine):
--   entering and leaving this script with 6 keys and 9 arguments      19k
--   a redis.call of a trivial command (ZCARD of nothing, ECHO)        1.8k
--   each element of a command's reply (parsed into Lua values)        ~1.3k (HMGET: 5.5k + 1.4k
--                                                                     per field, 1.25k if absent)
--   tonumber() of a stored number: glibc strtod, twice                 1.8-2.6k, more digits more
--     (lua_isnumber, then lua_tonumber); arithmetic on it (s + 0)      0.9k: strtod once
--   string.format() of a time                                         4-6k
--   a Lua number passed to redis.call (Redis prints it, '%.17g')      2.4k
--   a table                                                           1k, and a realloc at each
--                                                                     power of two it grows to
--   a string comparison (Lua strings are interned)                    < 0.2k
-- Every `local function` is a new closure on every call (Redis wraps the script in a function),
-- with one more object for each local it captures, and all of it is garbage to collect. Hence,
-- while keeping the decisions exactly those of a plain reading:
--   * the common call runs three commands: TIME, one HMGET, one HSET (with a concurrency limit,
--     also the ZADD of its lease and the ZREM of a release); the queue length, the lease count
--     and the times at which dead clients or expired leases may be found are kept in the hash
--     ("Counts"), so nothing else is asked of Redis until something waits, expires or dies;
--   * admitting a call, its earliest start and the lease count are written out where used, and
--     the only functions (out, unqueue) capture no local;
--   * limits and state are one hash, read by one HMGET of the 16 fields a request or concurrency
--     limit needs (a load limit reads its three more, max-wait is read by a call that is to wait:
--     a field costs about as much absent as present, and the reply's table is reallocated at 17);
--     the state is converted only by a call whose ops or queue need it; the counters roll to
--     this second once, up front, found by comparing strings; only fields whose value changed
--     are written back, in one HSET;
--   * that hash is kept a hash table (by its long 'about' field): as a listpack, the encoding
--     Redis gives a small hash, every field looked up is a scan of the whole hash, which made the
--     17-field HMGET 3.8 us and the HSET 1.2 us, against 1.5 and 0.5 as a hash table;
--   * nothing is converted or formatted that the path taken does not use: limits, ttl, lookahead
--     and priority where used, the version returned as stored, times passed to Redis as numbers
--     (not formatted in Lua), a burst or a count of '0' recognised as a string, the load of a
--     grant kept as its excess over one (cx), so a grant of load 1 writes no load field;
--     constant arguments are strings;
--   * a stored number, or an argument, is converted by the arithmetic that uses it (s + 0, a / b),
--     not by tonumber(), wherever it cannot be absent or malformed (written by this script or by
--     RedisResourceLimiter); tonumber() stays where nil is a possible answer;
--   * the reply is made with room for one tuple, so it does not grow on the usual call.

-- Precedence (S, U, V). Limits set live (U: an operator, the admin API) win over every JVM's
-- configuration until a reset (V) forgets them. Limits seeded from a configuration (S) are
-- replaced by the next JVM that starts with a different one, so a redeploy with a new file takes
-- effect: the newest start wins. A seed that finds equal limits changes nothing (not even the
-- version, so running JVMs read nothing again). Each JVM seeds once (and again only when the limits
-- are missing), so none of this is on the common path: there the first loop below only compares
-- op codes, as before.

local format, max, min, huge = string.format, math.max, math.min, math.huge
local res_key, q_key, w_key, l_key, j_key, qs_key = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]
-- ttl and lookahead stay strings until a path needs them: an uncontended grant needs neither.
local me, ttl, lookahead, channel, resource = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]

local t = redis.call('TIME')
local now = t[1] * 1000000 + t[2]   -- strings converted by the arithmetic: see "Cost"
-- Made with room for one tuple, the usual reply; replied counts what is used, and the end cuts the
-- rest off (Redis reads a table up to its first nil). out takes both rather than capturing them.
local reply, replied = { -1, 0, false, false, false, false }, 2
local function out(reply, n, kind, id, a, b)
  reply[n + 1], reply[n + 2], reply[n + 3], reply[n + 4] = kind, id, a, b
  return n + 4
end

-- Seeding and updates come first, so a batch that seeds is decided under its own limits. The same
-- pass notes whether any op needs the state (a lone release, ack or heartbeat does not), and
-- whether the counts kept in the hash are to be taken again from the sets they count (a heartbeat,
-- a seed or an update: see "Counts" below).
-- Limits and state share one hash, so an update rewrites the limit fields only: the ones the new
-- limits leave out are deleted (an absent field is what "no such limit" means), the state stays.
-- Only the fields limits are made of are taken, so an encoded value can never overwrite state.
-- 'about' tells an operator what the hash is; being longer than hash-max-listpack-value (64 bytes
-- by default) it also keeps the hash a hash table, not a listpack: see "Cost".
local needs_state, recount = false, false
for i = 6, #ARGV, 4 do
  local code = ARGV[i]
  if code == 'U' or code == 'S' then
    local version = redis.call('HGET', res_key, 'v')
    local limit_fields = { 'rn', 'rp', 'rb', 'ln', 'lp', 'lb', 'cc', 'ad', 'mw', 'mh', 'pr', 'fp' }
    local given = {}
    for k, v in string.gmatch(ARGV[i + 2], '([a-z]+)=([^;]*)') do
      given[k] = v
    end
    local write = code == 'U' or not version
    if not write then
      -- A seed over stored limits: kept if set live or equal, replaced if configured otherwise.
      local stored = redis.call('HMGET', res_key, 'lo', unpack(limit_fields))
      local parts, differs = {}, false
      for k, field in ipairs(limit_fields) do
        if stored[k + 1] then parts[#parts + 1] = field .. '=' .. stored[k + 1] end
        if (stored[k + 1] or nil) ~= given[field] then differs = true end   -- absent: false from HMGET
      end
      if stored[1] == 'live' then
        replied = out(reply, replied, 'S', ARGV[i + 1], 'live', table.concat(parts, ';'))
      elseif differs then
        replied = out(reply, replied, 'S', ARGV[i + 1], 'replaced', table.concat(parts, ';'))
        write = true
      end
    end
    if write then
      local about = 'RateQueue resource: limits rn rp rb ln lp lb cc ad mw mh pr fp, their version v and ' ..
        'origin lo, the limiter state and counts of its sets; written and read by ratequeue.lua only'
      local base = version or redis.call('HGET', res_key, 'vb')
      local args, n, gone = { 'v', (tonumber(base) or 0) + 1, 'about', about,
        'lo', code == 'U' and 'live' or 'config' }, 6, {}
      for _, k in ipairs(limit_fields) do
        if given[k] then
          args[n + 1], args[n + 2], n = k, given[k], n + 2
        else
          gone[#gone + 1] = k
        end
      end
      if #gone > 0 then redis.call('HDEL', res_key, unpack(gone)) end
      redis.call('HSET', res_key, unpack(args))
      -- A seed: the hash was lost (or never was) while the sets may not be, so what it derived
      -- from them is unknown: counted again (recount) or marked unknown (absent = due now). An
      -- update may set a concurrency limit where lf and le were not kept: the same for l.
      if version then redis.call('HDEL', res_key, 'le') else redis.call('HDEL', res_key, 'je', 'le') end
      recount = true
    end
  elseif code == 'H' then
    recount = true
  elseif code == 'E' or code == 'T' or code == 'C' or code == 'D' or code == 'P' or code == 'O'
      or code == 'N' or code == 'B' or code == 'Y' then
    needs_state = true
  elseif code == 'V' then   -- last: an acquire never compares against it
    -- Reset: the limits go (the state stays), so the next call of every JVM finds them missing and
    -- seeds its configuration; the first to do so wins, as at a first start.
    local version = redis.call('HGET', res_key, 'v')
    if version then
      redis.call('HSET', res_key, 'vb', version)
      redis.call('HDEL', res_key, 'v', 'lo', 'rn', 'rp', 'rb', 'ln', 'lp', 'lb', 'cc', 'ad', 'mw', 'mh', 'pr', 'fp')
    end
  end
end

-- Limits and state in one read: what a call may need with request and concurrency limits (c), and
-- whether there is a load limit (ln), whose own fields only then take a second read. Every field
-- asked for costs about as much absent as present (see "Cost"), and a reply of 16 fields one
-- reallocation less than one of 20. max-wait is read by the first call that is to wait.
local c = redis.call('HMGET', res_key, 'rn', 'rp', 'rb', 'ln', 'cc', 'v',
  'tr', 'pu', 'sec', 'cg', 'cx', 'qn', 'je', 'mh', 'lf', 'le', 'ad')
if not c[6] then
  out(reply, 2, 'M', '', 0, 0)
  return reply
end
reply[2] = c[6]   -- the version as stored: the caller parses it
local rt = c[1] and (c[2] / c[1]) or nil   -- us per request
local r_tau = (rt and c[3] and c[3] ~= '0') and c[3] * rt or 0   -- no burst: 0 unconverted
local cc = c[5] and c[5] + 0 or 0
local max_hold = c[14] or 600000000   -- strings, converted where used: most calls need neither
local lt, l_tau, tat_l_stored, max_wait = nil, 0, nil, nil
if c[4] then
  local f = redis.call('HMGET', res_key, 'lp', 'lb', 'tl')
  lt = f[1] / c[4]   -- us per load unit
  l_tau = (f[2] and f[2] ~= '0') and f[2] * lt or 0
  tat_l_stored = f[3]
end

-- An adaptive rate (ad = 'floor,decrease,increase per second', see AdaptiveRate): the configured
-- rates are a ceiling the fleet runs at a shared factor of, kept as af = 'factor,us of its last
-- cut' and grown back from there on the fly, so nothing is written while no refusal comes. The
-- intervals (and with them the bursts' tolerances) are the configured ones divided by the factor.
local adaptive, factor, cut_at, factor_written = nil, 1, nil, nil
if c[17] then
  local fl, dc, inc = string.match(c[17], '^([^,]+),([^,]+),([^,]+)$')
  adaptive = { fl + 0, dc + 0, inc + 0 }
  local af = redis.call('HGET', res_key, 'af')
  if af then
    local f0, t0 = string.match(af, '^([^,]+),([^,]+)$')
    cut_at = t0 + 0
    factor = min(1, f0 + adaptive[3] * (now - cut_at) / 1000000)
  end
  if factor < 1 then
    if rt then rt, r_tau = rt / factor, r_tau / factor end
    if lt then lt, l_tau = lt / factor, l_tau / factor end
  end
end

-- Counts. The hash keeps how many calls wait (qn = ZCARD of q), so that the common case (nobody
-- waits) costs no command at all for the queue. Every ZADD and ZREM of q below adds what it
-- returns (what really changed) to queue_length, which is written back if it moved. They can
-- still disagree if a key is lost alone (eviction, an operator's DEL) or a script call fails
-- half-way; each way is either harmless or repaired:
--   * qn too high (q lost or emptied behind our back): every decision that depends on who waits
--     asks q itself (ZCOUNT, the dispatch's ZRANGE) once qn > 0, so it only costs those
--     commands, and the first dispatch that finds q empty sets it right;
--   * qn too low (the hash lost and seeded again while q survived, a failed call): calls would be
--     granted past the waiting ones until it is right again, which every seed and every
--     heartbeat (each JVM's, every lease-ttl/3) does by counting q (ZCARD), and so does any call
--     whose count goes below zero.
-- The hash also keeps a time no later than the earliest heartbeat expiry in j (je), so the search
-- for dead clients runs only once one may be due (now >= je) instead of on every call. Too early
-- only costs a search that finds nobody (and sets je right again); too late would leave a dead
-- JVM's leases and waiters in place, so je is never later: a heartbeat's ZADD lowers it to its
-- own expiry if that is earlier, a search sets it to the earliest expiry left, and absent means
-- unknown, which is due now. '-' means j was empty (huge: nothing is due until a heartbeat).
-- Leases the same way: lf counts the members of l (every ZADD and ZREM of l adds what it returned,
-- and so does the sweep of expired leases), le is no later than the earliest lease expiry, so the
-- sweep (ZREMRANGEBYSCORE) runs only once a lease may have expired, and removes exactly what a
-- sweep on every call would have. A late le or a low lf would let more calls in than the
-- concurrency limit: le is never late (lowered by every ZADD, set exactly by every sweep, absent =
-- due now); lf can only be low after a script call failed half-way or something else wrote l,
-- and is counted again (ZCARD) by every seed and heartbeat, and at once if it goes below zero. An
-- early le costs a sweep that ends nothing; a high lf (l lost alone) holds calls back until a
-- sweep finds l empty or the next heartbeat counts it.
-- Without a concurrency limit lf and le are not kept (l can then only shrink, by a purge); the
-- update that sets one counts l again and forgets le.
local queue_length_read = c[12] and c[12] ~= '0' and c[12] + 0 or 0   -- '0': nobody, unconverted
local queue_length = recount and redis.call('ZCARD', q_key) or queue_length_read
local beats_due = c[13]
beats_due = not beats_due and 0 or beats_due == '-' and huge or beats_due + 0
local beats_due_read = beats_due
local leases_read = c[15] and c[15] ~= '0' and c[15] + 0 or 0
local leases = (recount and cc > 0) and redis.call('ZCARD', l_key) or leases_read
local lease_due = c[16]
lease_due = not lease_due and 0 or lease_due == '-' and huge or lease_due + 0
local lease_due_read = lease_due
needs_state = needs_state or queue_length > 0

-- State. The *_read copies tell the write-back at the end which fields changed. A rate that is not
-- limited never moves its arrival time, so its field is not even converted; a call that needs no
-- state converts none. prev_g / prev_l (pg pl) are only known if the second rolls here; a snapshot
-- reads them otherwise.
-- sec is kept as TIME gave the second, a string, so that "still this second" is a comparison of
-- two strings rather than a conversion; arm is read only by a dispatch that needs it.
local tat_r, tat_l, paused_until, cur_g, cur_x = 0, 0, 0, 0, 0
local sec = c[9] or '0'
local prev_g, prev_l, armed, armed_read
if needs_state then
  if rt and c[7] then tat_r = c[7] + 0 end
  if c[8] then paused_until = c[8] + 0 end
  if c[10] then cur_g = c[10] + 0 end
  if c[11] and c[11] ~= '0' then cur_x = c[11] + 0 end
  if lt and tat_l_stored then tat_l = tat_l_stored + 0 end
end
local tat_r_read, tat_l_read, paused_until_read, sec_read, cur_g_read, cur_x_read =
  tat_r, tat_l, paused_until, sec, cur_g, cur_x

-- Roll the per-second counters to this second, once, up front. Rolling depends only on the stored
-- counters and the time, and rolling again within the second changes nothing, so a grant or a
-- snapshot sees the same counters as if they rolled only for it (a call that grants nothing may
-- now store rolled counters, which is all).
if needs_state and sec ~= t[1] then
  if t[1] - sec == 1 then prev_g, prev_l = cur_g, cur_g + cur_x else prev_g, prev_l = 0, 0 end
  cur_g, cur_x, sec = 0, 0, t[1]
end

-- Scores are -priority. Redis 7 returns the score of priority 0 as '0', 6.2 as '-0': negating
-- either (0 - score, wherever a score is read) must give 0, never -0, which Lua prints
-- as '-0' into the per-priority counter names.

-- unqueue takes a waiting call off the queue (q) and its per-priority counts (qs) and returns its
-- id and how many members left q (1, or 0 if it was not there), which its caller counts off
-- queue_length. It captures no local: see "Cost".
local function unqueue(q_key, qs_key, member, priority)
  local _, _, id, load = string.find(member, '^%d+|([^|]+)|(%d+)|')
  local removed = redis.call('ZREM', q_key, member)
  redis.call('HINCRBY', qs_key, 'c' .. priority, '-1')
  redis.call('HINCRBY', qs_key, 'l' .. priority, 0 - load)
  if tonumber(redis.call('HGET', qs_key, 'c' .. priority)) <= 0 then
    redis.call('HDEL', qs_key, 'c' .. priority, 'l' .. priority)
  end
  return id, removed
end

-- Calls a JVM has not heart-beaten for are gone: their waiters and leases go with them.
-- (Numbers given to redis.call are printed with '%.17g' by Redis; constant strings cost nothing.)
-- Only four per call; the next earliest expiry, still past if more are dead, makes the next call
-- search again.
if now >= beats_due then
  local dead = redis.call('ZRANGEBYSCORE', j_key, '-inf', now, 'LIMIT', '0', '4')
  for d = 1, #dead do
    local client = dead[d]
    local prefix = client .. '.'
    local members = redis.call('ZRANGE', q_key, 0, -1, 'WITHSCORES')
    for k = 1, #members, 2 do
      if string.find(members[k], '|' .. prefix, 1, true) then
        local id, removed = unqueue(q_key, qs_key, members[k], 0 - members[k + 1])
        queue_length = queue_length - removed
        redis.call('HDEL', w_key, id)
      end
    end
    local held = redis.call('ZRANGE', l_key, 0, -1)
    for _, id in ipairs(held) do
      if string.sub(id, 1, #prefix) == prefix then
        leases = leases - redis.call('ZREM', l_key, id)   -- (not kept, nor written, if cc = 0)
        redis.call('HDEL', w_key, id)
      end
    end
    redis.call('ZREM', j_key, client)
  end
  local first = redis.call('ZRANGE', j_key, 0, 0, 'WITHSCORES')
  beats_due = first[2] and first[2] + 0 or huge
end
-- Leases past their max-hold end here, before anything counts the leases (in flight = what is
-- left). Every call that may find one does it, after the purge above: which leases a purge finds
-- decides which grant records (w) of a dead JVM's waiters it removes. Found empty, l also says
-- what lf is.
if cc > 0 and now >= lease_due then
  leases = leases - redis.call('ZREMRANGEBYSCORE', l_key, '-inf', now)
  local first = redis.call('ZRANGE', l_key, 0, 0, 'WITHSCORES')
  if first[2] then lease_due = first[2] + 0 else leases, lease_due = 0, huge end
end

-- Ops. A grant is "admit": move the arrival time(s) past the start, count the grant, take a lease.
-- It is written out here and in the dispatch below rather than shared as a function, as are the
-- earliest start and the lease count: see "Cost" above.
for i = 6, #ARGV, 4 do
  local code, id, a, b = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3]
  if code == 'E' or code == 'T' then
    -- (A count below zero: see below the ops.)
    if queue_length < 0 then queue_length = redis.call('ZCARD', q_key) end
    if leases < 0 and cc > 0 then leases = redis.call('ZCARD', l_key) end
    -- The priority matters only if someone waits (or the call is to wait).
    local load, priority = a + 0, queue_length > 0 and b + 0
    local nobody_ahead = not priority or redis.call('ZCOUNT', q_key, '-inf', -priority) == 0
    -- The earliest start allowed by the rates and the pause (concurrency is checked apart).
    local start = now
    if paused_until > start then start = paused_until end
    if rt and tat_r - r_tau > start then start = tat_r - r_tau end
    if lt and tat_l - l_tau > start then start = tat_l - l_tau end
    local slot_free = cc <= 0 or leases < cc
    if code == 'T' then
      if nobody_ahead and slot_free and start <= now then
        start = now
      else
        -- a: how long the rates or a pause allow no call at all, whoever asks (0 when they allow
        -- one now and the queue or the concurrency refused): the JVM refuses tries itself until then.
        replied = out(reply, replied, 'F', id, start > now and start - now or 0, 0)
        start = nil
      end
    elseif not (nobody_ahead and slot_free and (start <= now or start <= now + lookahead)) then
      -- Someone of this priority or higher waits, or the call does not fit: it queues.
      start = nil
      priority = b + 0
      if redis.call('HEXISTS', w_key, id) == 0 then
        -- Predicted wait of a call entering the queue behind everyone of its priority or higher.
        local wait, limit = paused_until - now, 'p'
        if rt then
          local ahead = queue_length == 0 and 0 or redis.call('ZCOUNT', q_key, '-inf', -priority)
          local w = tat_r - r_tau - now + ahead * rt
          if w >= wait then wait, limit = w, 'r' end
        end
        if lt then
          local ahead_load = 0
          local sums = redis.call('HGETALL', qs_key)
          for k = 1, #sums, 2 do
            local kind, p = string.sub(sums[k], 1, 1), tonumber(string.sub(sums[k], 2))
            if kind == 'l' and p >= priority then ahead_load = ahead_load + sums[k + 1] end
          end
          local w = tat_l - l_tau - now + ahead_load * lt
          if w >= wait then wait, limit = w, 'l' end
        end
        if wait < 0 then wait = 0 end
        max_wait = max_wait or (redis.call('HGET', res_key, 'mw') or 0) + 0
        if wait > max_wait then
          replied = out(reply, replied, 'X', id, wait, limit)
        else
          local seq = redis.call('HINCRBY', res_key, 'seq', 1)
          local member = format('%015.0f', seq) .. '|' .. id .. '|' .. load .. '|' ..
            format('%.0f', now + max_wait)
          queue_length = queue_length + redis.call('ZADD', q_key, -priority, member)
          redis.call('HSET', w_key, id, 'Q|' .. member)
          redis.call('HINCRBY', qs_key, 'c' .. priority, 1)
          redis.call('HINCRBY', qs_key, 'l' .. priority, load)
        end
      end
    end
    if start then
      -- Granted without entering the queue (a try, or nobody of this priority or higher waits
      -- and the call fits the lookahead): admit.
      if rt then tat_r = max(tat_r, start) + rt end
      if lt then tat_l = max(tat_l, start) + load * lt end
      cur_g = cur_g + 1
      if load ~= 1 then cur_x = cur_x + load - 1 end
      if cc > 0 then
        -- A whole number (start = now, the usual case) goes to Redis as a number, which prints it
        -- as '%.0f' would; a fraction is rounded by '%.0f' as always.
        local expiry = start + max_hold
        if expiry % 1 ~= 0 then expiry = format('%.0f', expiry) + 0 end
        leases = leases + redis.call('ZADD', l_key, expiry, id)
        if expiry < lease_due then lease_due = expiry end
      end
      -- now is a whole number, so it goes as an integer; another start as its '%.0f' string.
      replied = out(reply, replied, 'G', id, start - now, start == now and now or format('%.0f', start))
    end
  elseif code == 'C' then
    local rec = redis.call('HGET', w_key, id)
    if rec and string.sub(rec, 1, 1) == 'Q' then
      local member = string.sub(rec, 3)
      local score = redis.call('ZSCORE', q_key, member)
      if score then
        local _, removed = unqueue(q_key, qs_key, member, 0 - score)
        queue_length = queue_length - removed
      end
    elseif rec then
      -- Granted but never collected: the call will not be made, so its turn is refunded.
      local load = tonumber(string.match(rec, '^G|%d+|(%d+)$') or 0)
      if rt then tat_r = tat_r - rt end
      if lt then tat_l = tat_l - load * lt end
    end
    redis.call('HDEL', w_key, id)
    if cc > 0 then leases = leases - redis.call('ZREM', l_key, id) end
  elseif code == 'R' then
    if cc > 0 then leases = leases - redis.call('ZREM', l_key, id) end
  elseif code == 'D' then
    local delta = a + 0
    if lt then tat_l = tat_l + delta * lt end
    cur_x = cur_x + delta
  elseif code == 'P' then
    local until_ = now + a
    if until_ > paused_until then paused_until = until_ end
  elseif code == 'O' then
    paused_until = 0
  elseif code == 'H' then
    -- A later expiry for this JVM may leave beats_due early, never late.
    local expiry = now + ttl
    redis.call('ZADD', j_key, expiry, me)
    if expiry < beats_due then beats_due = expiry end
    replied = out(reply, replied, 'H', id, redis.call('ZCOUNT', j_key, now, '+inf'), 0)
  elseif code == 'B' then
    -- The upstream has no room for this rate for b us: nothing more of it before now + b (the
    -- tolerance added back, as admission subtracts it). A time before the limiter's own is ignored.
    local until_ = now + b
    if a == 'r' and rt then
      if until_ + r_tau > tat_r then tat_r = until_ + r_tau end
    elseif a == 'l' and lt then
      if until_ + l_tau > tat_l then tat_l = until_ + l_tau end
    end
  elseif code == 'Y' then
    -- An upstream refusal: one cut per cooldown for the whole fleet, the rest of this call (and the
    -- dispatch below) already at the new rate.
    if adaptive and (not cut_at or now - cut_at >= 1000000) then
      local cut = max(adaptive[1], factor * adaptive[2])
      if rt then rt, r_tau = rt * factor / cut, r_tau * factor / cut end
      if lt then lt, l_tau = lt * factor / cut, l_tau * factor / cut end
      factor, cut_at = cut, now
      factor_written = format('%.6f,%.0f', cut, now)
    end
  elseif code == 'A' then
    redis.call('HDEL', w_key, id)
  elseif code == 'K' then
    local rec = redis.call('HGET', w_key, id)
    if not rec then
      replied = out(reply, replied, 'Z', id, 0, 0)
    elseif string.sub(rec, 1, 1) == 'G' then
      local start = tonumber(string.match(rec, '^G|(%d+)|'))
      replied = out(reply, replied, 'G', id, max(0, start - now), format('%.0f', start))
      redis.call('HDEL', w_key, id)
    end
  elseif code == 'L' then
    local fields = { 'rn', 'rp', 'rb', 'ln', 'lp', 'lb', 'cc', 'ad', 'mw', 'mh', 'pr', 'fp' }
    local values = redis.call('HMGET', res_key, unpack(fields))
    local parts = {}
    for k, field in ipairs(fields) do
      if values[k] then parts[#parts + 1] = field .. '=' .. values[k] end
    end
    replied = out(reply, replied, 'L', id, table.concat(parts, ';'), redis.call('HGET', res_key, 'lo') or 'config')
  elseif code == 'N' then
    if not prev_g then
      local p = redis.call('HMGET', res_key, 'pg', 'pl')
      prev_g, prev_l = tonumber(p[1] or 0), tonumber(p[2] or 0)
    end
    local waiting = redis.call('HGETALL', qs_key)
    local depth = {}
    for k = 1, #waiting, 2 do
      if string.sub(waiting[k], 1, 1) == 'c' then depth[#depth + 1] = string.sub(waiting[k], 2) .. ':' .. waiting[k + 1] end
    end
    local paused_for = paused_until - now
    if paused_for < 0 then paused_for = 0 end
    local in_flight = cc > 0 and leases or 0
    replied = out(reply, replied, 'N', id, 'q=' .. table.concat(depth, ',') .. ';f=' .. in_flight .. ';g=' .. prev_g .. ';l=' .. prev_l ..
      ';p=' .. format('%.0f', paused_for) .. ';c=' .. redis.call('ZCOUNT', j_key, now, '+inf') ..
      ';a=' .. format('%.6f', factor), 0)
  end
end

-- A count below zero proves it was too low (something left a set the count did not know of):
-- count the set again now rather than at the next heartbeat (a grant above does the same).
if queue_length < 0 then queue_length = redis.call('ZCARD', q_key) end
if leases < 0 and cc > 0 then leases = redis.call('ZCARD', l_key) end

-- Dispatch: grant from the head while the head can start within the lookahead. Grants for other
-- JVMs are collected per JVM in `published`, one message each.
local blocked, wake_at, head_owner, published = nil, nil, nil, nil
local granted = 0
if queue_length > 0 then lookahead = lookahead + 0 end
while granted < 256 and queue_length > 0 do
  local head = redis.call('ZRANGE', q_key, 0, 0, 'WITHSCORES')
  if #head == 0 then
    queue_length = 0   -- counted too high: see "Counts"
    break
  end
  local member, priority = head[1], 0 - head[2]
  local _, _, id, load, deadline = string.find(member, '^%d+|([^|]+)|(%d+)|(%d+)$')
  load, deadline = load + 0, deadline + 0
  if deadline < now then
    -- Past its max-wait: its JVM has failed it already (or is gone); it must not block the queue.
    local _, removed = unqueue(q_key, qs_key, member, priority)
    queue_length = queue_length - removed
    redis.call('HDEL', w_key, id)
  else
    head_owner = string.match(id, '^(.*)%.')
    if cc > 0 and leases >= cc then
      blocked = 'c'
      -- Come back when a lease may end or a client may be dead, whichever is first. Either time
      -- may be earlier than the earliest expiry in its set: that wake only finds nothing to end,
      -- and sets it right.
      wake_at = min(now + ttl, beats_due, lease_due)
      break
    end
    local start = now
    if paused_until > start then start = paused_until end
    if rt and tat_r - r_tau > start then start = tat_r - r_tau end
    if lt and tat_l - l_tau > start then start = tat_l - l_tau end
    if start > now + lookahead then
      -- Come back when half the lookahead is used up: each call then grants half a lookahead of
      -- turns, and a call that comes late by less than that still grants every turn on time.
      blocked = 't'
      wake_at = start - lookahead / 2
      break
    end
    local _, removed = unqueue(q_key, qs_key, member, priority)
    queue_length = queue_length - removed
    -- admit, as for an op above
    if rt then tat_r = max(tat_r, start) + rt end
    if lt then tat_l = max(tat_l, start) + load * lt end
    cur_g = cur_g + 1
    if load ~= 1 then cur_x = cur_x + load - 1 end
    if cc > 0 then
      local expiry = start + max_hold
      if expiry % 1 ~= 0 then expiry = format('%.0f', expiry) + 0 end
      leases = leases + redis.call('ZADD', l_key, expiry, id)
      if expiry < lease_due then lease_due = expiry end
    end
    if head_owner == me then
      replied = out(reply, replied, 'G', id, start - now, format('%.0f', start))
    else
      redis.call('HSET', w_key, id, 'G|' .. format('%.0f', start) .. '|' .. load)
      published = published or {}
      published[head_owner] = (published[head_owner] or resource) ..
        ' G ' .. id .. ' ' .. format('%.0f', start - now) .. ' ' .. format('%.0f', start)
    end
    granted = granted + 1
  end
end

if blocked then
  local delay = max(0, wake_at - now)
  if head_owner == me then
    reply[1] = delay
  else
    -- Only the JVM that owns the head needs to come back at its turn; tell it once per turn.
    local arm = head_owner .. '@' .. format('%.0f', wake_at)
    if armed == nil then
      armed = redis.call('HGET', res_key, 'arm') or ''
      armed_read = armed
    end
    if arm ~= armed then
      armed = arm
      published = published or {}
      published[head_owner] = (published[head_owner] or resource) .. ' W - ' .. format('%.0f', delay) .. ' 0'
    end
  end
end

if published then
  for client, msg in pairs(published) do
    redis.call('PUBLISH', channel .. client, msg)
  end
end

-- Write back only the fields whose value changed: a grant moves the arrival time(s) and this
-- second's counters, the first call of a second also the second and last second's counters.
do
  -- Made with room for the fields a grant changes (tr cg, and tl cx with a load limit): appending
  -- to an empty table reallocates it at 1, 2 and 4 entries, which showed in the measurements.
  local w, n = { false, false, false, false, false, false }, 0
  if tat_r ~= tat_r_read then w[n + 1], w[n + 2], n = 'tr', tat_r, n + 2 end
  if tat_l ~= tat_l_read then w[n + 1], w[n + 2], n = 'tl', tat_l, n + 2 end
  if paused_until ~= paused_until_read then w[n + 1], w[n + 2], n = 'pu', paused_until, n + 2 end
  if sec ~= sec_read then
    w[n + 1], w[n + 2], w[n + 3], w[n + 4], w[n + 5], w[n + 6], n = 'sec', sec, 'pg', prev_g, 'pl', prev_l, n + 6
  end
  if cur_g ~= cur_g_read then w[n + 1], w[n + 2], n = 'cg', cur_g, n + 2 end
  if cur_x ~= cur_x_read then w[n + 1], w[n + 2], n = 'cx', cur_x, n + 2 end
  if armed ~= armed_read then w[n + 1], w[n + 2], n = 'arm', armed, n + 2 end
  if queue_length ~= queue_length_read then w[n + 1], w[n + 2], n = 'qn', queue_length, n + 2 end
  if beats_due ~= beats_due_read then
    w[n + 1], w[n + 2], n = 'je', beats_due == huge and '-' or format('%.0f', beats_due), n + 2
  end
  if leases ~= leases_read and cc > 0 then w[n + 1], w[n + 2], n = 'lf', leases, n + 2 end
  if lease_due ~= lease_due_read and cc > 0 then
    w[n + 1], w[n + 2], n = 'le', lease_due == huge and '-' or format('%.0f', lease_due), n + 2
  end
  if factor_written then w[n + 1], w[n + 2], n = 'af', factor_written, n + 2 end
  if n > 0 then redis.call('HSET', res_key, unpack(w, 1, n)) end
end
reply[replied + 1] = nil
return reply
