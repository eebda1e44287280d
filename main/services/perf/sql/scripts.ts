// Python sources run in the sandbox: EXPLAIN QUERY PLAN on a scratch database, and the index benchmark (synthetic
// rows, then interleaved timings each in a fresh process). Kept as strings so the bundle carries them.

/** stdin {ddl, sql, params} → {ddlErrors, rows} or {error}. Each DDL statement runs alone so one bad one is listed. */
export const EXPLAIN_PY = String.raw`
import json, sqlite3, sys
req = json.load(sys.stdin)
db = sqlite3.connect("scratch.db")
errors = []
for stmt in req["ddl"]:
    try:
        db.execute(stmt)
    except sqlite3.Error as e:
        errors.append({"sql": stmt, "error": str(e)})
try:
    rows = db.execute("EXPLAIN QUERY PLAN " + req["sql"], [None] * req["params"]).fetchall()
    print(json.dumps({"ddlErrors": errors, "rows": [[r[0], r[1], r[3]] for r in rows]}))
except sqlite3.Error as e:
    print(json.dumps({"ddlErrors": errors, "error": str(e)}))
`;

/** Times one query on one database: warm-up, calibrated batch ≥ 20 ms, prints seconds per call. */
export const TIMER_PY = String.raw`
import json, sqlite3, sys, time
db_path, sql, params, writes = sys.argv[1], sys.argv[2], json.loads(sys.argv[3]), sys.argv[4] == "1"
db = sqlite3.connect(db_path, isolation_level=None)
if writes:
    # One outer transaction that is never committed, and a savepoint rolled back per call: the data stays the same
    # for every call, and no call pays for a journal file's commit (which would drown the query's own cost).
    db.execute("BEGIN")
def call():
    if writes:
        db.execute("SAVEPOINT t")
    db.execute(sql, params).fetchall()
    if writes:
        db.execute("ROLLBACK TO t")
        db.execute("RELEASE t")
call()
loops = 1
while True:
    t0 = time.perf_counter()
    for _ in range(loops):
        call()
    dt = time.perf_counter() - t0
    if dt >= 0.02 or loops >= 1 << 20:
        break
    loops *= 2
print(json.dumps(dt / loops))
`;

/**
 * stdin {ddl, indexDdl, tables, fill, n, sql, params, repeats, seed, writes} → plans before/after and the paired
 * timings. Rows are a pure function of (table, column, row, seed) so a parameter can name an existing value.
 */
export const VERIFY_PY = String.raw`
import json, shutil, sqlite3, subprocess, sys, zlib, random
req = json.load(sys.stdin)
n, seed = req["n"], req["seed"]
LOW = ("status", "state", "type", "kind", "role", "category", "level", "country", "lang", "language", "currency",
       "tier", "plan", "priority", "gender", "region", "color", "colour", "flag", "active", "deleted", "enabled")
UNIQUE = ("email", "username", "uuid", "token", "slug", "handle", "sku", "url", "login", "code", "key")
def mix(x):
    x = (x ^ (x >> 16)) * 0x45D9F3B & 0xFFFFFFFF
    x = (x ^ (x >> 16)) * 0x45D9F3B & 0xFFFFFFFF
    return x ^ (x >> 16)
def generator(table, col, rows):
    name, kind = col["name"].lower(), col["kind"]
    salt = zlib.crc32(("%s.%s.%d" % (table, name, seed)).encode())
    h = lambda i: mix((i * 2654435761 + salt) & 0xFFFFFFFF)
    if col["primaryKey"] and kind == "integer":
        return lambda i: i + 1
    if col.get("references"):
        parents = max(1, rows // 10)  # about ten children per parent
        return lambda i: h(i) % parents + 1
    if col["unique"] or any(name == u or name.endswith("_" + u) for u in UNIQUE):
        perm = lambda i: (i * 1000003 + salt) % max(rows, 1)  # a bijection on 0..rows-1: distinct, not sorted
        if kind in ("integer", "real"):
            return perm
        return lambda i: "%s%08d@example.test" % (name, perm(i)) if "mail" in name else "%s-%08d" % (name, perm(i))
    if kind == "boolean":
        return lambda i: h(i) % 2
    if any(name == w or name.endswith("_" + w) or name.startswith("is_") for w in LOW):
        return (lambda i: h(i) % 5) if kind == "integer" else (lambda i: "%s_%d" % (name, h(i) % 5))
    if kind == "datetime":
        return lambda i: "2025-%02d-%02dT%02d:%02d:00" % (h(i) % 12 + 1, h(i) % 28 + 1, h(i) % 24, h(i) % 60)
    if kind == "integer":
        return lambda i: h(i) % max(rows, 1)
    if kind == "real":
        return lambda i: (h(i) % 1000000) / 100.0
    if kind == "blob":
        return lambda i: h(i).to_bytes(4, "little")
    return lambda i: "%s %d" % (name, h(i) % max(rows, 1))
quote = lambda name: '"%s"' % name.replace('"', '""')
tables = {t["name"]: t for t in req["tables"]}
gens = {}
db = sqlite3.connect("before.db")
ddl_errors = []
creates = [s for s in req["ddl"] if s.upper().startswith("CREATE TABLE")]
indexes = [s for s in req["ddl"] if not s.upper().startswith("CREATE TABLE")]
for stmt in creates:
    try:
        db.execute(stmt)
    except sqlite3.Error as e:
        ddl_errors.append({"sql": stmt, "error": str(e)})
for name in req["fill"]:
    t = tables[name]
    gs = [generator(name, c, n) for c in t["columns"]]
    gens[name] = {c["name"]: g for c, g in zip(t["columns"], gs)}
    marks = ",".join("?" * len(gs))
    cols = ",".join(quote(c["name"]) for c in t["columns"])
    db.executemany("INSERT OR IGNORE INTO %s (%s) VALUES (%s)" % (quote(name), cols, marks), ([g(i) for g in gs] for i in range(n)))
db.commit()
for stmt in indexes:
    try:
        db.execute(stmt)
    except sqlite3.Error as e:
        ddl_errors.append({"sql": stmt, "error": str(e)})
db.commit()
db.close()
shutil.copyfile("before.db", "after.db")
after = sqlite3.connect("after.db")
try:
    after.execute(req["indexDdl"])
    after.commit()
except sqlite3.Error as e:
    print(json.dumps({"error": "the proposed index failed: %s" % e}))
    sys.exit(0)
after.close()
def params_for(r):
    rng = random.Random(seed * 7919 + r)
    out = []
    for p in req["params"]:
        g = p and gens.get(p["table"], {}).get(p["column"])
        out.append(g(rng.randrange(n)) if g else 1)
    return out
def plan(path, params):
    c = sqlite3.connect(path)
    rows = c.execute("EXPLAIN QUERY PLAN " + req["sql"], params).fetchall()
    c.close()
    return [[r[0], r[1], r[3]] for r in rows]
def timed(path, params):
    out = subprocess.run([sys.executable, "-I", "timer.py", path, req["sql"], json.dumps(params), "1" if req["writes"] else "0"],
                         capture_output=True, text=True)
    if out.returncode != 0:
        print(json.dumps({"error": "the timed query failed: " + (out.stderr.strip().splitlines() or ["?"])[-1]}))
        sys.exit(0)
    return float(out.stdout.strip())
before, after_t = [], []
try:
    plans = {"before": plan("before.db", params_for(0)), "after": plan("after.db", params_for(0))}
except sqlite3.Error as e:
    print(json.dumps({"error": "the query failed: %s" % e}))
    sys.exit(0)
for r in range(req["repeats"]):
    ps = params_for(r)
    # Alternate which version goes first so a drift of the machine does not favour one side.
    if r % 2 == 0:
        b = timed("before.db", ps); a = timed("after.db", ps)
    else:
        a = timed("after.db", ps); b = timed("before.db", ps)
    before.append(b); after_t.append(a)
print(json.dumps({"ddlErrors": ddl_errors, "planBefore": plans["before"], "planAfter": plans["after"], "beforeSec": before, "afterSec": after_t}))
`;
