#!/usr/bin/env bash
# Ingest benchmark (issue 2): on one generated 60 s 1080p30 source, in one run, times
#   (a) veritas ingest (release build),
#   (b) the ffmpeg CLI making the same ladder in one process (filter_complex split),
#   (c) the ffmpeg CLI run once per rung, one after another (PeerTube's way),
# and an audio-only podcast ingest, then prints wall time, × realtime, peak RSS and the ratios.
# Usage: bash Tests/Benchmarks/ingest.sh [seconds]   (default 60)
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_LONG=${1:-60}
WORK=$(mktemp -d /tmp/veritas-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
PRESET=veryfast

swift build -c release --product veritas >/dev/null
VERITAS=$(swift build -c release --show-bin-path)/veritas

echo "Generating a ${SECONDS_LONG} s 1080p30 source and a 10-minute podcast..."
ffmpeg -nostdin -v error -y -f lavfi -i "testsrc2=size=1920x1080:rate=30:duration=$SECONDS_LONG" \
  -f lavfi -i "sine=frequency=440:beep_factor=4:sample_rate=48000:duration=$SECONDS_LONG" \
  -c:v libx264 -preset fast -crf 18 -pix_fmt yuv420p -c:a aac -b:a 192k -shortest "$WORK/source.mp4"
ffmpeg -nostdin -v error -y -f lavfi -i "sine=frequency=220:beep_factor=2:sample_rate=44100:duration=600" \
  -ac 1 "$WORK/podcast.wav"

# measure NAME COMMAND...: runs COMMAND under /usr/bin/time, records wall seconds and peak RSS (MB).
declare -A WALL RSS
measure() {
  local name=$1; shift
  /usr/bin/time -f "%e %M" -o "$WORK/$name.time" "$@" >"$WORK/$name.log" 2>&1 || { cat "$WORK/$name.log"; exit 1; }
  read -r wall kb <"$WORK/$name.time"
  WALL[$name]=$wall
  RSS[$name]=$((kb / 1024))
}

export VERITAS_MEDIA_DIR="$WORK/media" VERITAS_CONFIG="$PWD/Config/veritas.json"
"$VERITAS" shows add bench --title Bench >/dev/null
"$VERITAS" shows add pod --title Pod --kind podcast >/dev/null

measure veritas "$VERITAS" ingest "$WORK/source.mp4" --show bench --title Bench

# The same ladder as Config/veritas.json: 1080/720/480/360 at 5/3/1.2/0.7 Mb/s, AAC 128k,
# keyframes every 2 s, 6 s AES-128 MPEG-TS segments.
openssl rand 16 >"$WORK/key.bin"
printf 'key.bin\n%s\n' "$WORK/key.bin" >"$WORK/keyinfo"
RUNGS=("1920:1080:5000k" "1280:720:3000k" "854:480:1200k" "640:360:700k")
X264=(-c:v libx264 -preset "$PRESET" -pix_fmt yuv420p -force_key_frames "expr:gte(t,n_forced*2)" -sc_threshold 0)
HLS=(-f hls -hls_time 6 -hls_playlist_type vod -hls_key_info_file "$WORK/keyinfo")

split="[0:v]split=4[s0][s1][s2][s3]"
maps=()
for i in "${!RUNGS[@]}"; do
  IFS=: read -r w h rate <<<"${RUNGS[$i]}"
  split+=";[s$i]scale=$w:$h[v$i]"
  maps+=(-map "[v$i]" "-b:v:$i" "$rate" "-maxrate:v:$i" "$rate" "-bufsize:v:$i" "$((${rate%k} * 2))k")
done
mkdir -p "$WORK/one"
measure ffmpeg_one ffmpeg -nostdin -v error -y -i "$WORK/source.mp4" -filter_complex "$split" "${maps[@]}" \
  -map 0:a -c:a aac -b:a 128k -ac 2 "${X264[@]}" "${HLS[@]}" \
  -var_stream_map "v:0 v:1 v:2 v:3 a:0" -master_pl_name master.m3u8 "$WORK/one/%v.m3u8"

# (c): one ffmpeg per rung, each decoding the source again; the times add up, RSS is the largest.
WALL[ffmpeg_each]=0
RSS[ffmpeg_each]=0
for i in "${!RUNGS[@]}"; do
  IFS=: read -r w h rate <<<"${RUNGS[$i]}"
  mkdir -p "$WORK/each$i"
  measure "each$i" ffmpeg -nostdin -v error -y -i "$WORK/source.mp4" -vf "scale=$w:$h" -b:v "$rate" -maxrate "$rate" \
    -bufsize "$((${rate%k} * 2))k" "${X264[@]}" -c:a aac -b:a 128k -ac 2 "${HLS[@]}" "$WORK/each$i/index.m3u8"
  WALL[ffmpeg_each]=$(awk -v a="${WALL[ffmpeg_each]}" -v b="${WALL[each$i]}" 'BEGIN { print a + b }')
  ((RSS[each$i] > RSS[ffmpeg_each])) && RSS[ffmpeg_each]=${RSS[each$i]}
done

measure podcast "$VERITAS" ingest "$WORK/podcast.wav" --show pod --title Pod
mkdir -p "$WORK/podcast-ffmpeg"
measure podcast_ffmpeg ffmpeg -nostdin -v error -y -i "$WORK/podcast.wav" -c:a aac -b:a 64k \
  "${HLS[@]}" "$WORK/podcast-ffmpeg/index.m3u8"

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
speed() { awk -v d="$1" -v w="$2" 'BEGIN { printf "%.2f", d / w }'; }
echo
printf '%-34s %9s %10s %9s\n' "run" "wall (s)" "× realtime" "RSS (MB)"
for name in veritas ffmpeg_one ffmpeg_each; do
  printf '%-34s %9s %10s %9s\n' "$name (${SECONDS_LONG} s 1080p30)" "${WALL[$name]}" "$(speed "$SECONDS_LONG" "${WALL[$name]}")" "${RSS[$name]}"
done
for name in podcast podcast_ffmpeg; do
  printf '%-34s %9s %10s %9s\n' "$name (600 s mono)" "${WALL[$name]}" "$(speed 600 "${WALL[$name]}")" "${RSS[$name]}"
done
echo
echo "a/b (veritas / ffmpeg one process): $(ratio "${WALL[veritas]}" "${WALL[ffmpeg_one]}")   target <= 0.95"
echo "a/c (veritas / ffmpeg per rung):    $(ratio "${WALL[veritas]}" "${WALL[ffmpeg_each]}")   target <= 0.80"
echo "veritas peak RSS: ${RSS[veritas]} MB   target < 500"
echo "podcast ingest: $(speed 600 "${WALL[podcast]}")× realtime   target >= 100"
