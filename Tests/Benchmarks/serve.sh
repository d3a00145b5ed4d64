#!/usr/bin/env bash
# Serving benchmark (issue 3): wrk on loopback against the same 6 s 1080p segment and the same
# media playlist, in one run:
#   (a) Veritas through a token-checked playback URL,
#   (b) nginx serving the file statically (sendfile on),
#   (c) nginx with secure_link checking an md5 + expiry.
# Prints req/s, p99 latency and MB/s for each, the ratios a/b and a/c, and Veritas's peak RSS.
# Needs: apt-get install nginx wrk. Usage: bash Tests/Benchmarks/serve.sh [seconds per run]
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${1:-10}
WORK=$(mktemp -d /tmp/veritas-serve-bench.XXXXXX)
chmod 755 "$WORK" # nginx workers run unprivileged and must read the media
cleanup() {
  [ -n "${VERITAS_PID:-}" ] && kill "$VERITAS_PID" 2>/dev/null || true
  [ -f "$WORK/nginx.pid" ] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

swift build -c release --product veritas >/dev/null
VERITAS=$(swift build -c release --show-bin-path)/veritas
export VERITAS_MEDIA_DIR="$WORK/media" VERITAS_CONFIG="$PWD/Config/veritas.json" VERITAS_LOG_LEVEL=error VERITAS_BCRYPT_COST=4

echo "Preparing a 1080p episode, a subscriber and both servers..."
ffmpeg -nostdin -v error -y -f lavfi -i "testsrc2=size=1920x1080:rate=30:duration=12" \
  -f lavfi -i "sine=frequency=440:sample_rate=48000:duration=12" -c:v libx264 -preset fast -crf 16 -pix_fmt yuv420p \
  -c:a aac -shortest "$WORK/source.mp4"
"$VERITAS" plans add premium --name Premium --price 9.99 >/dev/null
"$VERITAS" shows add bench --title Bench --plan premium >/dev/null
"$VERITAS" shows publish bench >/dev/null
"$VERITAS" ingest "$WORK/source.mp4" --show bench --title Bench --publish >/dev/null
"$VERITAS" users add viewer --email viewer@example.com --password bench-password >/dev/null
"$VERITAS" subscriptions grant viewer --plan premium --days 30 >/dev/null
EPISODE=$("$VERITAS" episodes list --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
ASSET=$("$VERITAS" episodes list --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["asset_id"])')
# Veritas keeps its media owner-only; nginx's workers run as another user and must read it.
chmod -R a+rX "$VERITAS_MEDIA_DIR"

# Another server on the port would answer instead of ours, with other data.
! curl -s -o /dev/null "http://127.0.0.1:18080/health" || { echo "port 18080 is taken"; exit 1; }
VERITAS_PORT=18080 "$VERITAS" serve >/dev/null 2>&1 &
VERITAS_PID=$!
for _ in $(seq 50); do curl -sf http://127.0.0.1:18080/health >/dev/null && break; sleep 0.2; done
APP=$(curl -s -X POST http://127.0.0.1:18080/api/v1/apps -d client_name=bench)
CLIENT_ID=$(echo "$APP" | python3 -c 'import json,sys; print(json.load(sys.stdin)["client_id"])')
CLIENT_SECRET=$(echo "$APP" | python3 -c 'import json,sys; print(json.load(sys.stdin)["client_secret"])')
TOKEN=$(curl -s -X POST http://127.0.0.1:18080/oauth/token -d grant_type=password -d "client_id=$CLIENT_ID" \
  -d "client_secret=$CLIENT_SECRET" -d username=viewer -d password=bench-password |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
PLAYBACK=$(curl -s -X POST -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:18080/api/v1/episodes/$EPISODE/playback")
HLS=$(echo "$PLAYBACK" | python3 -c 'import json,sys; print(json.load(sys.stdin).get("hls_url", ""))')
[ -n "$HLS" ] || { echo "no hls_url in the playback answer: $PLAYBACK"; exit 1; }
ROOT=${HLS%master.m3u8}

SECRET=bench-secret
EXPIRES=$(($(date +%s) + 3600))
secure_args() { # URI → md5/expires query for nginx secure_link
  local md5
  md5=$(printf '%s' "$EXPIRES$1 $SECRET" | openssl md5 -binary | openssl base64 | tr +/ -_ | tr -d =)
  echo "md5=$md5&expires=$EXPIRES"
}
mkdir -p "$WORK/nginx/logs"
cat >"$WORK/nginx.conf" <<NGINX
worker_processes 2;
pid $WORK/nginx.pid;
error_log $WORK/nginx/logs/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  types { video/mp2t ts; application/vnd.apple.mpegurl m3u8; }
  server {
    listen 127.0.0.1:18081;
    location /static/ { alias $VERITAS_MEDIA_DIR/assets/; }
    location /secure/ {
      secure_link \$arg_md5,\$arg_expires;
      secure_link_md5 "\$secure_link_expires\$uri $SECRET";
      if (\$secure_link = "") { return 403; }
      if (\$secure_link = "0") { return 410; }
      alias $VERITAS_MEDIA_DIR/assets/;
    }
  }
}
NGINX
nginx -p "$WORK/nginx" -c "$WORK/nginx.conf"
sleep 0.5

# bench NAME URL: wrk -t2 -c64, records req/s, p99 (ms) and MB/s.
declare -A RPS P99 MBS
bench() {
  local name=$1 url=$2 out
  [ "$name" = veritas_floor ] || curl -sf -o /dev/null "$url" || { echo "$name: $url does not answer 200"; exit 1; }
  wrk -t2 -c64 -d2s "$url" >/dev/null # warm-up, the same for every server
  out=$(wrk -t2 -c64 -d"${DURATION}s" --latency "$url")
  RPS[$name]=$(echo "$out" | awk '/Requests\/sec/ { print $2 }')
  P99[$name]=$(echo "$out" | awk '$1 == "99%" { v=$2; if (v ~ /us$/) { sub(/us/,"",v); v/=1000 } else if (v ~ /ms$/) { sub(/ms/,"",v) } else if (v ~ /s$/) { sub(/s/,"",v); v*=1000 } print v }')
  MBS[$name]=$(echo "$out" | awk '/Transfer\/sec/ { v=$2; if (v ~ /GB/) { sub(/GB/,"",v); v*=1024 } else if (v ~ /MB/) { sub(/MB/,"",v) } else if (v ~ /KB/) { sub(/KB/,"",v); v/=1024 } print v }')
}

# The preparation's files go to disk now rather than during the first measured run.
sync
PEAK_RSS=0
watch_rss() { while kill -0 "$VERITAS_PID" 2>/dev/null; do
  rss=$(ps -o rss= -p "$VERITAS_PID" 2>/dev/null || echo 0); [ "${rss:-0}" -gt "$PEAK_RSS" ] && PEAK_RSS=$rss && echo "$PEAK_RSS" >"$WORK/rss"
  sleep 0.2; done; }
watch_rss &
WATCHER=$!

SEGMENT="$ASSET/1080p/s00000.ts"
PLAYLIST="$ASSET/1080p/index.m3u8"
bench veritas_segment "${ROOT}1080p/s00000.ts"
bench nginx_segment "http://127.0.0.1:18081/static/$SEGMENT"
bench nginx_secure_segment "http://127.0.0.1:18081/secure/$SEGMENT?$(secure_args "/secure/$SEGMENT")"
bench veritas_playlist "${ROOT}1080p/index.m3u8"
bench nginx_playlist "http://127.0.0.1:18081/static/$PLAYLIST"
bench nginx_secure_playlist "http://127.0.0.1:18081/secure/$PLAYLIST?$(secure_args "/secure/$PLAYLIST")"
# The framework's floor: the cheapest answer Veritas gives (a 404 through router and middleware).
bench veritas_floor "http://127.0.0.1:18080/no-such-route"
kill "$WATCHER" 2>/dev/null || true

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
echo
echo "segment: $(stat -c %s "$VERITAS_MEDIA_DIR/assets/$SEGMENT") bytes; wrk -t2 -c64 -d${DURATION}s on loopback"
printf '%-24s %12s %10s %10s\n' run "req/s" "p99 (ms)" "MB/s"
for name in veritas_segment nginx_segment nginx_secure_segment veritas_playlist nginx_playlist nginx_secure_playlist veritas_floor; do
  printf '%-24s %12s %10s %10s\n' "$name" "${RPS[$name]}" "${P99[$name]}" "${MBS[$name]}"
done
echo
echo "segment  a/b (veritas / nginx static):      $(ratio "${RPS[veritas_segment]}" "${RPS[nginx_segment]}")   target >= 0.9"
echo "segment  a/c (veritas / nginx secure_link): $(ratio "${RPS[veritas_segment]}" "${RPS[nginx_secure_segment]}")   target >= 1.0"
echo "playlist a/b (veritas / nginx static):      $(ratio "${RPS[veritas_playlist]}" "${RPS[nginx_playlist]}")   target >= 0.5"
echo "playlist a/c (veritas / nginx secure_link): $(ratio "${RPS[veritas_playlist]}" "${RPS[nginx_secure_playlist]}")"
echo "floor    (a 404 from veritas / nginx static playlist): $(ratio "${RPS[veritas_floor]}" "${RPS[nginx_playlist]}")"
echo "veritas peak RSS: $(( $(cat "$WORK/rss" 2>/dev/null || echo 0) / 1024 )) MB   target < 150"
