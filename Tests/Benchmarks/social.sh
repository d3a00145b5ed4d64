#!/usr/bin/env bash
# Social feed benchmark (issue 4). Seeds 100k accounts, 1M statuses and a follow graph in which
# one account has 100k followers (generated straight into the database below, with the same
# rows the server would write: home feed entries fanned out for ordinary authors, none for the
# big one, which home timelines pull at read time). Then wrk -t2 -c64 on loopback measures:
#   home timeline (20 statuses) of an ordinary account, of a follower of the big account,
#   the public timeline, and status creation by the big account; then /health with a bearer
#   token, the floor any authenticated request pays on these cores.
# Prints req/s, p50 and p99 for each against the targets. Needs: apt-get install wrk.
# Usage: bash Tests/Benchmarks/social.sh [seconds per run]
# SOCIAL_BENCH_DIR=/some/dir keeps the generated data there and reuses it on the next run.
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${1:-10}
WORK=${SOCIAL_BENCH_DIR:-$(mktemp -d /tmp/veritas-social-bench.XXXXXX)}
mkdir -p "$WORK"
cleanup() {
  [ -n "${VERITAS_PID:-}" ] && kill "$VERITAS_PID" 2>/dev/null || true
  [ -n "${SOCIAL_BENCH_DIR:-}" ] || rm -rf "$WORK"
}
trap cleanup EXIT

swift build -c release --product veritas >/dev/null
VERITAS=$(swift build -c release --show-bin-path)/veritas
export VERITAS_MEDIA_DIR="$WORK/media" VERITAS_CONFIG="$PWD/Config/veritas.json" VERITAS_LOG_LEVEL=error VERITAS_BCRYPT_COST=4
PORT=18082
BASE="http://127.0.0.1:$PORT"

if [ -f "$VERITAS_MEDIA_DIR/generated" ]; then
  echo "Reusing the data generated in $WORK"
else
echo "Creating the measured accounts, then generating 100k accounts and 1M statuses..."
rm -rf "$VERITAS_MEDIA_DIR"
for name in star ordinary fan; do
  "$VERITAS" users add "$name" --email "$name@example.com" --password bench-password >/dev/null
done
START=$(date +%s)
python3 - "$VERITAS_MEDIA_DIR/veritas.sqlite" <<'PY'
import random, sqlite3, sys, time

random.seed(4)
db = sqlite3.connect(sys.argv[1])
db.execute("PRAGMA journal_mode = WAL")
db.execute("PRAGMA synchronous = OFF")
ids = {name: id for id, name in db.execute("SELECT id, username FROM account")}
star, ordinary, fan = ids["star"], ids["ordinary"], ids["fan"]
ACCOUNTS, STATUSES, STAR_STATUSES, FOLLOWING = 100_000, 1_000_000, 2_000, 8
now_ms = int(time.time() * 1000)

def snowflake(ms, seq):
    """IDGenerator's layout: milliseconds above a 16-bit sequence (which carries into them)."""
    return ((ms + seq // 65536) << 16) | (seq % 65536)

def iso(ms):
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(ms / 1000)) + ".%03d" % (ms % 1000)

accounts = [str(snowflake(now_ms - 40 * 86400_000, n)) for n in range(ACCOUNTS)]
db.executemany(
    "INSERT INTO account (id, username, email, displayName, passwordHash, role, isSuspended, createdAt) "
    "VALUES (?, ?, ?, ?, '*', 'user', 0, ?)",
    ((id, f"user{n}", f"user{n}@bench.invalid", f"User {n}", iso(now_ms - 40 * 86400_000)) for n, id in enumerate(accounts)))

# Every generated account follows the star and FOLLOWING random others; "ordinary" follows
# FOLLOWING random accounts but not the star; "fan" follows the star and FOLLOWING others.
follows, next_follow = [], 1
def follow(follower, followed):
    global next_follow
    follows.append((next_follow, follower, followed, iso(now_ms - 30 * 86400_000)))
    next_follow += 1
for account in accounts:
    follow(account, star)
    for other in set(random.sample(accounts, FOLLOWING)) - {account}:
        follow(account, other)
for other in random.sample(accounts, FOLLOWING):
    follow(ordinary, other)
    follow(fan, other)
follow(fan, star)
db.executemany("INSERT INTO follow (id, followerID, followedID, createdAt) VALUES (?, ?, ?, ?)", follows)

# 1M statuses over the last 30 days, time-ordered ids; the star wrote STAR_STATUSES of them.
start_ms = now_ms - 30 * 86400_000
step = (now_ms - start_ms) // STATUSES
visibilities = ["public"] * 18 + ["unlisted", "private"]
def statuses():
    for n in range(STATUSES):
        ms = start_ms + n * step
        author = star if n % (STATUSES // STAR_STATUSES) == 0 else random.choice(accounts)
        yield (snowflake(ms, n % 65536), author, f"Status number {n} #bench{n % 100}", random.choice(visibilities), iso(ms))
db.executemany(
    "INSERT INTO status (id, accountID, text, visibility, createdAt) VALUES (?, ?, ?, ?, ?)", statuses())
db.execute("INSERT INTO statusTag (tag, statusID) SELECT 'bench' || (CAST(substr(text, 15) AS INTEGER) % 100), id FROM status")
# Fan-out on write for everyone but the star (pulled at read time), plus each author's own row.
db.execute(
    "INSERT INTO homeFeed (accountID, statusID, authorID) "
    "SELECT f.followerID, s.id, s.accountID FROM status s JOIN follow f ON f.followedID = s.accountID WHERE s.accountID != ?",
    (star,))
db.execute("INSERT OR IGNORE INTO homeFeed (accountID, statusID, authorID) SELECT accountID, id, accountID FROM status")
db.execute("""UPDATE account SET
    followersCount = (SELECT count(*) FROM follow WHERE followedID = account.id),
    followingCount = (SELECT count(*) FROM follow WHERE followerID = account.id),
    statusesCount = (SELECT count(*) FROM status WHERE accountID = account.id),
    fanOutOnRead = (id = ?)""", (star,))
db.commit()
rows = {table: db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in ["account", "status", "follow", "homeFeed"]}
print("generated:", ", ".join(f"{count:,} {table}" for table, count in rows.items()))
db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
PY
echo "seeded in $(($(date +%s) - START)) s"
touch "$VERITAS_MEDIA_DIR/generated"
fi

# Another server on the port would answer instead of ours, with other data.
! curl -s -o /dev/null "http://127.0.0.1:$PORT/health" || { echo "port $PORT is taken"; exit 1; }
VERITAS_RATE_LIMITS=off VERITAS_PORT=$PORT "$VERITAS" serve >/dev/null 2>&1 &
VERITAS_PID=$!
for _ in $(seq 100); do curl -sf "$BASE/health" >/dev/null && break; sleep 0.2; done
APP=$(curl -s -X POST "$BASE/api/v1/apps" -d client_name=bench -d scopes="read write")
CLIENT_ID=$(echo "$APP" | python3 -c 'import json,sys; print(json.load(sys.stdin)["client_id"])')
CLIENT_SECRET=$(echo "$APP" | python3 -c 'import json,sys; print(json.load(sys.stdin)["client_secret"])')
token() {
  curl -s -X POST "$BASE/oauth/token" -d grant_type=password -d "client_id=$CLIENT_ID" -d "client_secret=$CLIENT_SECRET" \
    -d "username=$1" -d password=bench-password -d scope="read write" | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])'
}
STAR=$(token star) ORDINARY=$(token ordinary) FAN=$(token fan)

cat >"$WORK/post.lua" <<LUA
wrk.method = "POST"
wrk.body = "status=A+benchmark+truth+from+the+star+%23bench"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Authorization"] = "Bearer $STAR"
LUA

declare -A RPS P50 P99
ms() { awk '{ v=$1; if (v ~ /us$/) { sub(/us/,"",v); v/=1000 } else if (v ~ /ms$/) { sub(/ms/,"",v) } else if (v ~ /s$/) { sub(/s/,"",v); v*=1000 } printf "%.2f", v }'; }
bench() { # NAME URL [wrk options...]
  local name=$1 url=$2 out
  shift 2
  out=$(wrk -t2 -c64 -d"${DURATION}s" --latency "$@" "$url")
  if echo "$out" | grep -q "Non-2xx"; then echo "$name: non-2xx answers"; echo "$out"; exit 1; fi
  RPS[$name]=$(echo "$out" | awk '/Requests\/sec/ { print $2 }')
  P50[$name]=$(echo "$out" | awk '$1 == "50%" { print $2 }' | ms)
  P99[$name]=$(echo "$out" | awk '$1 == "99%" { print $2 }' | ms)
}
check() { curl -sf -o /dev/null -H "Authorization: Bearer $2" "$1" || { echo "$1 does not answer 200"; exit 1; }; }
check "$BASE/api/v1/timelines/home" "$ORDINARY"
check "$BASE/api/v1/timelines/home" "$FAN"
echo "home of the fan holds $(curl -s -H "Authorization: Bearer $FAN" "$BASE/api/v1/timelines/home" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))') statuses"

bench home_ordinary "$BASE/api/v1/timelines/home" -H "Authorization: Bearer $ORDINARY"
bench home_big_follower "$BASE/api/v1/timelines/home" -H "Authorization: Bearer $FAN"
bench public "$BASE/api/v1/timelines/public"
bench create_by_big "$BASE/api/v1/statuses" -s "$WORK/post.lua"
# The floor: the cheapest authenticated request (the bearer lookup, one read, 15 bytes back)
# through the same server on the same cores.
bench health_floor "$BASE/health" -H "Authorization: Bearer $ORDINARY"

echo
echo "wrk -t2 -c64 -d${DURATION}s on loopback, 100k accounts, 1M statuses, one account with 100k followers"
printf '%-20s %10s %10s %10s %12s\n' run "req/s" "p50 (ms)" "p99 (ms)" "target p99"
for name in home_ordinary home_big_follower public create_by_big health_floor; do
  case $name in home_*) target="< 20 ms" ;; create_by_big) target="< 50 ms" ;; *) target="-" ;; esac
  printf '%-20s %10s %10s %10s %12s\n' "$name" "${RPS[$name]}" "${P50[$name]}" "${P99[$name]}" "$target"
done
