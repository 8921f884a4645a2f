"""The Lua scripts that make each step of the protocol atomic in Redis (one script runs at a time).

Keys a script reaches through the prefix (``ARGV[1]`` where given) follow crawler.distributed.keys.
A script that finds the calling run no longer alive answers the error ``FENCED``: a worker that was
declared dead (its heartbeat key expired, its leases and outbox handed to others) can not take
requests or claim articles any more.
"""

from __future__ import annotations

FENCED = "FENCED"

_REQUEUE = """
local function requeue(queue, leases)
  local all = redis.call('HGETALL', leases)
  for i = 1, #all, 2 do
    local v = all[i + 1]
    local sp = string.find(v, ' ', 1, true)
    redis.call('ZADD', queue, tonumber(string.sub(v, 1, sp - 1)), string.sub(v, sp + 1))
  end
  redis.call('DEL', leases)
  return #all / 2
end
"""

# ARGV: prefix, new crawl id, run key, run JSON, heartbeat TTL, now. Joins the running crawl or,
# when there is none (or the last one is done), starts one: new id, empty dupefilter, not seeded.
OPEN_CRAWL = """
local p = ARGV[1]
local crawl = p .. ':crawl'
local id = redis.call('HGET', crawl, 'id')
local created = 0
if (not id) or redis.call('HGET', crawl, 'state') == 'done' then
  redis.call('DEL', crawl, p .. ':crawl:runs', p .. ':dupefilter')
  redis.call('HSET', crawl, 'id', ARGV[2], 'state', 'running', 'started', ARGV[6],
             'seeder', '', 'seeded', '0')
  id = ARGV[2]
  created = 1
end
local run = cjson.decode(ARGV[4])
run['crawl'] = id
redis.call('HSET', p .. ':runs', ARGV[3], cjson.encode(run))
redis.call('SET', p .. ':alive:' .. ARGV[3], '1', 'EX', tonumber(ARGV[5]))
redis.call('SADD', p .. ':crawl:runs', ARGV[3])
return {id, created}
"""

# ARGV: prefix, crawl id, run key. 1: seed now; 0: already seeded; 2: another live run is seeding;
# -1: that crawl is over. A seeder that died before finishing is replaced.
CLAIM_SEEDING = """
local crawl = ARGV[1] .. ':crawl'
if redis.call('HGET', crawl, 'id') ~= ARGV[2] then return -1 end
if redis.call('HGET', crawl, 'seeded') == '1' then return 0 end
local seeder = redis.call('HGET', crawl, 'seeder')
if seeder and seeder ~= '' and seeder ~= ARGV[3]
   and redis.call('EXISTS', ARGV[1] .. ':alive:' .. seeder) == 1 then return 2 end
redis.call('HSET', crawl, 'seeder', ARGV[3])
return 1
"""

# ARGV: prefix, crawl id.
MARK_SEEDED = """
local crawl = ARGV[1] .. ':crawl'
if redis.call('HGET', crawl, 'id') == ARGV[2] then redis.call('HSET', crawl, 'seeded', '1') end
return 1
"""

# KEYS: dupefilter, requests, alive key of the run. ARGV: fingerprint ('' for a request that is
# not filtered), score, encoded request. 1: queued; 0: seen before. The fingerprint and the request
# go in together: a worker that dies (or loses Redis) between the two must not leave a fingerprint
# whose request is in no queue, or the request, found again when its parent is crawled again, is
# dropped as seen and never crawled.
ENQUEUE = """
if redis.call('EXISTS', KEYS[3]) == 0 then return redis.error_reply('FENCED run is not alive') end
if ARGV[1] ~= '' and redis.call('SADD', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3])
return 1
"""

# KEYS: requests, leases of the run, alive key of the run. ARGV: lease id.
# Pop the best request and lease it to the run in one step: it is never in neither place. A lease
# id already held answers its request again: the client retries a call whose reply was lost, and
# a second pop under that id would overwrite the first request's lease, losing the request.
LEASE = """
if redis.call('EXISTS', KEYS[3]) == 0 then return redis.error_reply('FENCED run is not alive') end
local held = redis.call('HGET', KEYS[2], ARGV[1])
if held then return string.sub(held, string.find(held, ' ', 1, true) + 1) end
local r = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #r == 0 then return false end
redis.call('ZREM', KEYS[1], r[1])
redis.call('HSET', KEYS[2], ARGV[1], r[2] .. ' ' .. r[1])
return r[1]
"""

# KEYS: requests, leases of the run. Every lease back to the queue (a clean stop).
RELEASE = _REQUEUE + """
return requeue(KEYS[1], KEYS[2])
"""

# ARGV: prefix, crawl id, may finish (1/0), now. Requeue the leases of runs that stopped
# heartbeating, then count the work left; with may finish and nothing left, the crawl is done.
# Returns {state, queued, leased, orphan outboxes, requeued now, seeded}.
STATUS = _REQUEUE + """
local p = ARGV[1]
local crawl = p .. ':crawl'
local queue = p .. ':requests'
if redis.call('HGET', crawl, 'id') ~= ARGV[2] then return {'over', 0, 0, 0, 0, 1} end
local reaped, leased, orphans = 0, 0, 0
for _, run in ipairs(redis.call('SMEMBERS', p .. ':crawl:runs')) do
  local lk = p .. ':leases:' .. run
  if redis.call('EXISTS', p .. ':alive:' .. run) == 0 then
    reaped = reaped + requeue(queue, lk)
  else
    leased = leased + redis.call('HLEN', lk)
  end
end
local boxes = redis.call('HGETALL', p .. ':outboxes')
for i = 1, #boxes, 2 do
  local owner = cjson.decode(boxes[i + 1])['owner']
  if redis.call('EXISTS', p .. ':alive:' .. owner) == 0
     and redis.call('HLEN', p .. ':outbox:' .. boxes[i]) > 0 then orphans = orphans + 1 end
end
local queued = redis.call('ZCARD', queue)
local seeded = redis.call('HGET', crawl, 'seeded') == '1'
local state = redis.call('HGET', crawl, 'state')
if state == 'running' and ARGV[3] == '1' and seeded and queued == 0 and leased == 0
   and orphans == 0 then
  redis.call('HSET', crawl, 'state', 'done', 'finished', ARGV[4])
  state = 'done'
end
return {state, queued, leased, orphans, reaped, seeded and 1 or 0}
"""

# KEYS: articles, outbox, alive key of the run, outboxes.
# ARGV: id, crawl id, content hash, article JSON, feed line, outbox key, outbox JSON.
# 1: claimed (emitted in the store, line in the run's outbox); 0: emitted already in this crawl,
# or unchanged since it was. The article JSON carries a token unique to the call: finding its own
# token, a retried call (reply lost) answers 1 again instead of dropping the item it claimed.
CLAIM = """
if redis.call('EXISTS', KEYS[3]) == 0 then return redis.error_reply('FENCED run is not alive') end
local meta = cjson.decode(ARGV[4])
local cur = redis.call('HGET', KEYS[1], ARGV[1])
if cur then
  local e = cjson.decode(cur)
  if e['claim'] == meta['claim'] then return 1 end
  if e['crawl'] == ARGV[2] or e['content_hash'] == ARGV[3] then return 0 end
  meta['first_seen'] = e['first_seen']
end
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(meta))
redis.call('HSET', KEYS[2], ARGV[1], ARGV[5])
redis.call('HSETNX', KEYS[4], ARGV[6], ARGV[7])
return 1
"""

# KEYS: outboxes, alive key of the run. ARGV: outbox key, run key, final path.
# 1: the run may rename its file into place (noted as committing); 0: it must not (it was declared
# dead and its outbox went to another run).
COMMIT_BEGIN = """
if redis.call('EXISTS', KEYS[2]) == 0 then return 0 end
local raw = redis.call('HGET', KEYS[1], ARGV[1])
if not raw then return 1 end
local meta = cjson.decode(raw)
if meta['owner'] ~= ARGV[2] then return 0 end
local c = meta['committing']
if type(c) ~= 'string' or c == '' then c = ARGV[3] else c = c .. '\\n' .. ARGV[3] end
meta['committing'] = c
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(meta))
return 1
"""

# KEYS: outboxes, outbox. ARGV: outbox key, final path. After the lines of that file left the
# outbox: forget the file as committing; drop the outbox entry once empty.
COMMIT_END = """
local raw = redis.call('HGET', KEYS[1], ARGV[1])
if not raw then return 0 end
if redis.call('HLEN', KEYS[2]) == 0 then redis.call('HDEL', KEYS[1], ARGV[1]) return 1 end
local meta = cjson.decode(raw)
local kept = {}
for path in string.gmatch(type(meta['committing']) == 'string' and meta['committing'] or '',
                          '[^\\n]+') do
  if path ~= ARGV[2] then table.insert(kept, path) end
end
meta['committing'] = table.concat(kept, '\\n')
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(meta))
return 1
"""

# KEYS: outboxes, alive key of the adopter. ARGV: prefix, outbox key, adopter run key.
# Hand a dead run's non-empty outbox to the adopter; returns the outbox JSON as its dead owner
# left it (kept as 'adopted'). An outbox the adopter holds already answers that JSON again while
# lines are left in it: the client retried a call whose reply was lost (answering nothing would
# leave the lines to whoever adopts them once the adopter is gone, a crawl later), or writing
# them failed before.
ADOPT = """
local raw = redis.call('HGET', KEYS[1], ARGV[2])
if not raw then return false end
local meta = cjson.decode(raw)
local lines = ARGV[1] .. ':outbox:' .. ARGV[2]
if meta['owner'] == ARGV[3] then
  if meta['adopted'] and redis.call('HLEN', lines) > 0 then return meta['adopted'] end
  return false
end
if redis.call('EXISTS', ARGV[1] .. ':alive:' .. meta['owner']) == 1 then return false end
if redis.call('EXISTS', KEYS[2]) == 0 then return redis.error_reply('FENCED run is not alive') end
if redis.call('HLEN', lines) == 0 then
  redis.call('HDEL', KEYS[1], ARGV[2])
  return false
end
meta['adopted'] = nil
local left = cjson.encode(meta)
meta['adopted'] = left
meta['adopted_from'] = meta['owner']
meta['owner'] = ARGV[3]
meta['committing'] = ''
redis.call('HSET', KEYS[1], ARGV[2], cjson.encode(meta))
return left
"""

# KEYS: content (id -> signature), bands (band key -> ids). ARGV: id, packed signature, equal
# bins needed, band keys... The nearest earlier body at or above the threshold ({id, equal bins}),
# or, when there is none, the body is indexed in the same step (so two workers can not both pass
# near-identical bodies).
NEAR = """
local id, sig, need = ARGV[1], ARGV[2], tonumber(ARGV[3])
local checked = {}
local best, best_eq = nil, -1
for i = 4, #ARGV do
  local ids = redis.call('HGET', KEYS[2], ARGV[i])
  if ids then
    for other in string.gmatch(ids, '%S+') do
      if other ~= id and not checked[other] then
        checked[other] = true
        local s = redis.call('HGET', KEYS[1], other)
        if s and #s == #sig then
          local eq = 0
          for b = 1, #sig, 8 do
            if string.sub(sig, b, b + 7) == string.sub(s, b, b + 7) then eq = eq + 1 end
          end
          if eq >= need and eq > best_eq then best, best_eq = other, eq end
        end
      end
    end
  end
end
if best then return {best, best_eq} end
redis.call('HSET', KEYS[1], id, sig)
for i = 4, #ARGV do
  local ids = redis.call('HGET', KEYS[2], ARGV[i])
  if not ids then
    redis.call('HSET', KEYS[2], ARGV[i], id)
  elseif not string.find(' ' .. ids .. ' ', ' ' .. id .. ' ', 1, true) then
    redis.call('HSET', KEYS[2], ARGV[i], ids .. ' ' .. id)
  end
end
return false
"""
