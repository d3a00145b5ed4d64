#!/usr/bin/env bash
# Podcast benchmark (issue 5), in one run:
#   1. audio ingest of a generated 30-minute source (loudness pass + AAC HLS + M4A enclosure),
#      in × realtime, against the ffmpeg CLI doing the same work (an ebur128 pass, then one
#      encode to AAC HLS and an M4A with the gain applied);
#   2. the feed endpoint of a show with 1,000 episodes, public and private, with wrk.
# Needs: apt-get install wrk. Usage: bash Tests/Benchmarks/podcast.sh [seconds per wrk run] [connections]
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${1:-10}
CONNECTIONS=${2:-16}
WORK=$(mktemp -d /tmp/veritas-podcast-bench.XXXXXX)
cleanup() {
  [ -n "${VERITAS_PID:-}" ] && kill "$VERITAS_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

swift build -c release --product veritas >/dev/null
VERITAS=$(swift build -c release --show-bin-path)/veritas
export VERITAS_MEDIA_DIR="$WORK/media" VERITAS_CONFIG="$PWD/Config/veritas.json" VERITAS_LOG_LEVEL=error VERITAS_BCRYPT_COST=4
PORT=18083
BASE="http://127.0.0.1:$PORT"

echo "Generating a 30-minute source (a voice-like tone over pink noise, mono 44.1 kHz)..."
ffmpeg -nostdin -v error -y -f lavfi -i "sine=frequency=180:duration=1800,volume=-18dB" \
  -f lavfi -i "anoisesrc=d=1800:c=pink:a=0.05" -filter_complex amix=inputs=2 -ac 1 -ar 44100 "$WORK/talk.wav"
"$VERITAS" plans add premium --name Premium --price 9.99 >/dev/null
"$VERITAS" shows add pod --title Pod --kind podcast --free >/dev/null
"$VERITAS" shows publish pod >/dev/null

seconds() { python3 -c 'import sys; print(f"{float(sys.argv[1]):.1f}")' "$1"; }
START=$(date +%s.%N)
"$VERITAS" ingest "$WORK/talk.wav" --show pod --title "Episode 1" --publish >/dev/null
VERITAS_WALL=$(python3 -c "import sys; print($(date +%s.%N) - $START)")

START=$(date +%s.%N)
GAIN=$(ffmpeg -nostdin -nostats -i "$WORK/talk.wav" -af ebur128=peak=true -f null - 2>&1 |
  awk '/Summary:/ { s=1 } s && $1 == "I:" { print -16 - $2; exit }')
mkdir -p "$WORK/ffmpeg"
ffmpeg -nostdin -v error -y -i "$WORK/talk.wav" -af "volume=${GAIN}dB" -c:a aac -b:a 64k -f hls -hls_time 6 \
  -hls_playlist_type vod -hls_segment_filename "$WORK/ffmpeg/s%05d.ts" "$WORK/ffmpeg/index.m3u8" \
  -af "volume=${GAIN}dB" -c:a aac -b:a 64k -movflags +faststart "$WORK/ffmpeg/enclosure.m4a"
FFMPEG_WALL=$(python3 -c "import sys; print($(date +%s.%N) - $START)")

echo "Copying the episode into 999 more (hard links) for the feed..."
python3 - "$VERITAS_MEDIA_DIR" <<'PY'
import os, sqlite3, sys, time
media = sys.argv[1]
db = sqlite3.connect(os.path.join(media, "veritas.sqlite"))
show = db.execute("SELECT id FROM show WHERE slug = 'pod'").fetchone()[0]
asset = db.execute("SELECT a.* FROM asset a JOIN episode e ON e.assetID = a.id WHERE e.showID = ?", (show,)).fetchone()
columns = [c[1] for c in db.execute("PRAGMA table_info(asset)")]
episode_columns = [c[1] for c in db.execute("PRAGMA table_info(episode)")]
episode = dict(zip(episode_columns, db.execute("SELECT * FROM episode WHERE showID = ?", (show,)).fetchone()))
base = int(time.time() * 1000) << 16
for n in range(2, 1001):
    row = dict(zip(columns, asset))
    source = row["id"]
    row["id"] = str(base + 2 * n)
    db.execute(f"INSERT INTO asset ({','.join(columns)}) VALUES ({','.join('?' * len(columns))})", [row[c] for c in columns])
    os.makedirs(os.path.join(media, "assets", row["id"]))
    for name in os.listdir(os.path.join(media, "assets", source)):
        path = os.path.join(media, "assets", source, name)
        if os.path.isfile(path):
            os.link(path, os.path.join(media, "assets", row["id"], name))
    copy = dict(episode, id=str(base + 2 * n + 1), assetID=row["id"], number=n, title=f"Episode {n} & more")
    db.execute(f"INSERT INTO episode ({','.join(episode_columns)}) VALUES ({','.join('?' * len(episode_columns))})",
               [copy[c] for c in episode_columns])
db.commit()
PY
"$VERITAS" users add listener --email listener@example.com --password bench-password >/dev/null
"$VERITAS" subscriptions grant listener --plan premium --days 30 >/dev/null

# Another server on the port would answer instead of ours, with other data.
! curl -s -o /dev/null "http://127.0.0.1:$PORT/health" || { echo "port $PORT is taken"; exit 1; }
VERITAS_PORT=$PORT "$VERITAS" serve >/dev/null 2>&1 &
VERITAS_PID=$!
for _ in $(seq 50); do curl -sf "$BASE/health" >/dev/null && break; sleep 0.2; done
APP=$(curl -s -X POST "$BASE/api/v1/apps" -d client_name=bench)
CLIENT_ID=$(echo "$APP" | python3 -c 'import json,sys; print(json.load(sys.stdin)["client_id"])')
CLIENT_SECRET=$(echo "$APP" | python3 -c 'import json,sys; print(json.load(sys.stdin)["client_secret"])')
TOKEN=$(curl -s -X POST "$BASE/oauth/token" -d grant_type=password -d "client_id=$CLIENT_ID" -d "client_secret=$CLIENT_SECRET" \
  -d username=listener -d password=bench-password | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
# A private feed of the same show: the token and the live entitlement checked on every request.
PRIVATE=$(curl -s -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/shows/pod/feed" | python3 -c 'import json,sys; print(json.load(sys.stdin)["rss_url"])')
ITEMS=$(curl -s "$BASE/podcasts/pod/feed.xml" | grep -c "<item>")
[ "$ITEMS" = 1000 ] || { echo "the feed has $ITEMS items, not 1000"; exit 1; }
BYTES=$(curl -s "$BASE/podcasts/pod/feed.xml" | wc -c)
GZIP_BYTES=$(curl -s -H "Accept-Encoding: gzip" "$BASE/podcasts/pod/feed.xml" | wc -c)
GZIP_ITEMS=$(curl -s --compressed "$PRIVATE" | grep -c "<item>")
[ "$GZIP_ITEMS" = 1000 ] || { echo "the gzipped private feed has $GZIP_ITEMS items, not 1000"; exit 1; }

declare -A RPS P50 P99
ms() { awk '{ v=$1; if (v ~ /us$/) { sub(/us/,"",v); v/=1000 } else if (v ~ /ms$/) { sub(/ms/,"",v) } else if (v ~ /s$/) { sub(/s/,"",v); v*=1000 } printf "%.2f", v }'; }
bench() { # NAME URL [wrk options...]
  local name=$1 url=$2 out
  shift 2
  curl -sf -o /dev/null "$url" || { echo "$name: $url does not answer 200"; exit 1; }
  out=$(wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency "$@" "$url")
  RPS[$name]=$(echo "$out" | awk '/Requests\/sec/ { print $2 }')
  P50[$name]=$(echo "$out" | awk '$1 == "50%" { print $2 }' | ms)
  P99[$name]=$(echo "$out" | awk '$1 == "99%" { print $2 }' | ms)
}
# Podcast apps ask for gzip (Apple Podcasts, Overcast, Pocket Casts and AntennaPod all do).
bench feed_public "$BASE/podcasts/pod/feed.xml"
bench feed_private "$PRIVATE"
bench feed_public_gzip "$BASE/podcasts/pod/feed.xml" -H "Accept-Encoding: gzip"
bench feed_private_gzip "$PRIVATE" -H "Accept-Encoding: gzip"

echo
echo "audio ingest of 30 minutes (1800 s):"
echo "  veritas  $(seconds "$VERITAS_WALL") s   $(python3 -c "print(f'{1800 / $VERITAS_WALL:.0f}')")× realtime   target >= 100"
echo "  ffmpeg   $(seconds "$FFMPEG_WALL") s   $(python3 -c "print(f'{1800 / $FFMPEG_WALL:.0f}')")× realtime (ebur128 pass + one AAC encode to HLS and M4A)"
echo "  ratio veritas / ffmpeg speed: $(python3 -c "print(f'{$FFMPEG_WALL / $VERITAS_WALL:.2f}')")"
echo
echo "feed of 1,000 episodes ($BYTES bytes, $GZIP_BYTES gzipped); wrk -t2 -c$CONNECTIONS -d${DURATION}s on loopback"
printf '%-18s %10s %10s %10s\n' run "req/s" "p50 (ms)" "p99 (ms)"
for name in feed_public feed_private feed_public_gzip feed_private_gzip; do
  printf '%-18s %10s %10s %10s\n' "$name" "${RPS[$name]}" "${P50[$name]}" "${P99[$name]}"
done
echo "target: p99 < 10 ms"
