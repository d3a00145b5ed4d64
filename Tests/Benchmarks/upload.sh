#!/usr/bin/env bash
# Upload benchmark (issue 6), in one run:
#   1. upload throughput over loopback (MB/s) for one PATCH of a large file, and the server's peak
#      resident memory during it above its idle size (sampled every 50 ms from /proc);
#   2. time to playable: from the final PATCH of a generated 1080p source (20 minutes) to the
#      first successful ffmpeg read of the master playlist through the playback URL, against the
#      time to full completion of the same ingest.
# Usage: bash Tests/Benchmarks/upload.sh [minutes of source] [MiB to upload]
# A generated source is kept in $UPLOAD_BENCH_SOURCE_DIR (default /tmp/veritas-upload-bench-src).
set -euo pipefail
cd "$(dirname "$0")/../.."
MINUTES=${1:-20}
UPLOAD_MIB=${2:-2048}
SOURCE_DIR=${UPLOAD_BENCH_SOURCE_DIR:-/tmp/veritas-upload-bench-src}
WORK=$(mktemp -d /tmp/veritas-upload-bench.XXXXXX)
cleanup() {
  [ -n "${VERITAS_PID:-}" ] && kill "$VERITAS_PID" 2>/dev/null || true
  [ -n "${SAMPLER_PID:-}" ] && kill "$SAMPLER_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

swift build -c release --product veritas >/dev/null
VERITAS=$(swift build -c release --show-bin-path)/veritas
export VERITAS_MEDIA_DIR="$WORK/media" VERITAS_CONFIG="$PWD/Config/veritas.json" VERITAS_LOG_LEVEL=error VERITAS_BCRYPT_COST=4
PORT=18086
BASE="http://127.0.0.1:$PORT"
mkdir -p "$SOURCE_DIR"
SOURCE="$SOURCE_DIR/source-${MINUTES}min-1080p.mp4"
if [ ! -s "$SOURCE" ]; then
  echo "Generating a ${MINUTES}-minute 1080p30 source (kept in $SOURCE_DIR)..."
  ffmpeg -nostdin -v error -y -f lavfi -i "testsrc2=size=1920x1080:rate=30:duration=$((MINUTES * 60))" \
    -f lavfi -i "sine=frequency=440:duration=$((MINUTES * 60))" -c:v libx264 -preset ultrafast -b:v 8M \
    -c:a aac -shortest -f mp4 "$SOURCE.part"
  mv "$SOURCE.part" "$SOURCE"
fi
BULK="$SOURCE_DIR/random-${UPLOAD_MIB}MiB.bin"
[ -s "$BULK" ] || head -c "$((UPLOAD_MIB * 1024 * 1024))" /dev/urandom >"$BULK"

"$VERITAS" users add bench --email bench@example.com --password bench-password --admin >/dev/null
"$VERITAS" shows add bench --title Bench --free >/dev/null
"$VERITAS" shows publish bench >/dev/null
# Another server on the port would answer instead of ours, with other data.
! curl -s -o /dev/null "http://127.0.0.1:$PORT/health" || { echo "port $PORT is taken"; exit 1; }
VERITAS_PORT=$PORT "$VERITAS" serve >/dev/null 2>&1 &
VERITAS_PID=$!
for _ in $(seq 50); do curl -sf "$BASE/health" >/dev/null && break; sleep 0.2; done
APP=$(curl -s -X POST "$BASE/api/v1/apps" -d client_name=bench -d scopes="read admin:write")
CLIENT_ID=$(echo "$APP" | python3 -c 'import json,sys; print(json.load(sys.stdin)["client_id"])')
CLIENT_SECRET=$(echo "$APP" | python3 -c 'import json,sys; print(json.load(sys.stdin)["client_secret"])')
TOKEN=$(curl -s -X POST "$BASE/oauth/token" -d grant_type=password -d "client_id=$CLIENT_ID" \
  -d "client_secret=$CLIENT_SECRET" -d username=bench -d password=bench-password |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
TUS=(-H "Authorization: Bearer $TOKEN" -H "Tus-Resumable: 1.0.0")
b64() { printf %s "$1" | base64 -w0; }
create() { # length title → upload URL
  curl -s -D - -o /dev/null -X POST "$BASE/api/v1/uploads" "${TUS[@]}" -H "Upload-Length: $1" \
    -H "Upload-Metadata: show $(b64 bench),title $(b64 "$2"),publish $(b64 true)" | awk 'tolower($1) == "location:" { print $2 }' | tr -d '\r'
}
now() { date +%s.%N; }
elapsed() { python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.2f}')" "$1" "$2"; }
rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$VERITAS_PID/status"; }

# 1. One PATCH of the whole bulk file; the upload is declared one byte longer so it never
#    completes (random bytes are not media), then terminated.
SIZE=$(stat -c %s "$BULK")
URL=$(create $((SIZE + 1)) "Bulk")
IDLE=$(rss_kib)
(peak=0; while true; do r=$(rss_kib); [ "$r" -gt "$peak" ] && peak=$r && echo "$peak" >"$WORK/peak"; sleep 0.05; done) &
SAMPLER_PID=$!
START=$(now)
curl -s -o /dev/null -X PATCH "$URL" "${TUS[@]}" -H "Upload-Offset: 0" -H "Content-Type: application/offset+octet-stream" -T "$BULK"
END=$(now)
kill "$SAMPLER_PID"; SAMPLER_PID=""
OFFSET=$(curl -s -I "$URL" "${TUS[@]}" | awk 'tolower($1) == "upload-offset:" { print $2 }' | tr -d '\r')
curl -s -o /dev/null -X DELETE "$URL" "${TUS[@]}"
SECONDS_TAKEN=$(elapsed "$START" "$END")
PEAK=$(cat "$WORK/peak")

# 2. The source in two PATCHes; the clock starts with the final one.
SIZE=$(stat -c %s "$SOURCE")
URL=$(create "$SIZE" "Benchmark")
HEAD_BYTES=$((SIZE - 1048576))
head -c "$HEAD_BYTES" "$SOURCE" | curl -s -o /dev/null -X PATCH "$URL" "${TUS[@]}" -H "Upload-Offset: 0" \
  -H "Content-Type: application/offset+octet-stream" -T -
START=$(now)
HEADERS=$(tail -c +$((HEAD_BYTES + 1)) "$SOURCE" | curl -s -D - -o /dev/null -X PATCH "$URL" "${TUS[@]}" \
  -H "Upload-Offset: $HEAD_BYTES" -H "Content-Type: application/offset+octet-stream" -T -)
EPISODE=$(echo "$HEADERS" | awk 'tolower($1) == "veritas-episode-id:" { print $2 }' | tr -d '\r')
ASSET=$(echo "$HEADERS" | awk 'tolower($1) == "veritas-asset-id:" { print $2 }' | tr -d '\r')
while true; do
  HLS=$(curl -s -X POST "$BASE/api/v1/episodes/$EPISODE/playback" -H "Authorization: Bearer $TOKEN" |
    python3 -c 'import json,sys; print(json.load(sys.stdin).get("hls_url", ""))')
  if [ -n "$HLS" ] && ffmpeg -nostdin -v error -i "$HLS" -t 1 -f null - 2>/dev/null; then break; fi
  sleep 0.1
done
PLAYABLE=$(now)
while [ "$(curl -s "$BASE/api/v1/assets/$ASSET" -H "Authorization: Bearer $TOKEN" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])')" != "ready" ]; do sleep 1; done
DONE=$(now)

echo
echo "Uploads and progressive publishing (release build, 2 cores)"
python3 - "$UPLOAD_MIB" "$SECONDS_TAKEN" "$OFFSET" "$SIZE" "$IDLE" "$PEAK" \
  "$(elapsed "$START" "$PLAYABLE")" "$(elapsed "$START" "$DONE")" "$MINUTES" <<'PY'
import sys
mib, seconds, offset, _, idle, peak, playable, done, minutes = sys.argv[1:]
mib, seconds, playable, done, minutes = int(mib), float(seconds), float(playable), float(done), int(minutes)
print(f"  upload: {mib} MiB in one PATCH in {seconds:.2f} s = {mib * 1.048576 / seconds:.0f} MB/s (target >= 200); "
      f"stored offset {offset} bytes")
print(f"  server memory: idle {int(idle) / 1024:.0f} MiB, peak during the upload {int(peak) / 1024:.0f} MiB, "
      f"+{(int(peak) - int(idle)) / 1024:.0f} MiB (target < 100)")
print(f"  {minutes}-minute 1080p source: playable {playable:.1f} s after the final PATCH (target <= 10), "
      f"complete after {done:.1f} s ({minutes * 60 / done:.2f}x realtime); playable/complete = {playable / done:.3f}")
PY
