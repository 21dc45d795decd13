#!/usr/bin/env bash
# Whole-process benchmark: builds synthetic APK-like apps with the project's
# fixture writers (examples/synth-app.rs), scans each with the release
# binary under /usr/bin/time -v, and compares with inflating every entry
# once with the same zip crate on the same cores (examples/inflate-only.rs).
# Then scans a batch of small apps in one invocation with --format jsonl.
#
#   benches/scan.sh                      # 1, 10, 50, 150 MB + 1,000-app batch
#   SIZES="1 10 50 150 500" benches/scan.sh
#   BATCH=0 benches/scan.sh              # no batch
#
# Inputs are cached in $BENCH_DIR (default target/bench-scan) and rebuilt
# only when missing. Results go to standard output.
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES=${SIZES:-"1 10 50 150"}
BATCH=${BATCH:-1000}
DIR=${BENCH_DIR:-target/bench-scan}
mkdir -p "$DIR"

cargo build --release --quiet --bin mastiff --example synth-app --example inflate-only
BIN=target/release
MASTIFF=$BIN/mastiff

# measure NAME CMD... : runs CMD under /usr/bin/time -v; sets WALL (s),
# USER_S, SYS_S and RSS_KB.
measure() {
    local log="$DIR/$1.time"
    shift
    local status=0
    /usr/bin/time -v -o "$log" "$@" >"$log.out" 2>"$log.err" || status=$?
    if [ "$status" -gt 1 ]; then
        echo "failed ($status): $*" >&2
        cat "$log.err" >&2
        exit 1
    fi
    WALL=$(awk -F': ' '/Elapsed \(wall clock\)/ {
        n = split($2, p, ":"); s = 0
        for (i = 1; i <= n; i++) s = s * 60 + p[i]
        print s }' "$log")
    USER_S=$(awk -F': ' '/User time/ {print $2}' "$log")
    SYS_S=$(awk -F': ' '/System time/ {print $2}' "$log")
    RSS_KB=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")
}

mbps() { awk -v b="$1" -v s="$2" 'BEGIN { printf "%.1f", (s > 0) ? b / 1e6 / s : 0 }'; }
mb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1e6 }'; }

echo "# mastiff scan benchmark, $(date -u +%Y-%m-%dT%H:%MZ)"
echo "# $(nproc) CPUs; $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "# load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| app | archive MB | inflated MB | entries | findings | scan s | scan MB/s | scan user+sys s | scan peak RSS MB | inflate-only s | inflate MB/s | inflate user+sys s | inflate peak RSS MB | scan / inflate (wall) | scan / inflate (CPU) |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
for size in $SIZES; do
    app="$DIR/synth-$size.apk"
    [ -s "$app" ] || $BIN/examples/synth-app app "$app" "$size" >/dev/null
    bytes=$(stat -c %s "$app")
    measure "inflate-$size" $BIN/examples/inflate-only "$app"
    inflated=$(sed -n 's/.* bytes, \([0-9]*\) inflated.*/\1/p' "$DIR/inflate-$size.time.out")
    i_wall=$WALL i_rss=$RSS_KB
    i_cpu=$(awk -v u="$USER_S" -v s="$SYS_S" 'BEGIN { printf "%.2f", u + s }')
    measure "scan-$size" $MASTIFF scan "$app" --format json -o "$DIR/scan-$size.json" -q
    read -r entries findings < <(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(r["scanned"][0]["entries"], len(r["findings"]))' "$DIR/scan-$size.json")
    cpu=$(awk -v u="$USER_S" -v s="$SYS_S" 'BEGIN { printf "%.2f", u + s }')
    ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1f×", a / b; else printf "–" }'; }
    echo "| $size MB | $(mb "$bytes") | $(mb "$inflated") | $entries | $findings | $WALL | $(mbps "$bytes" "$WALL") | $cpu | $((RSS_KB / 1024)) | $i_wall | $(mbps "$bytes" "$i_wall") | $i_cpu | $((i_rss / 1024)) | $(ratio "$WALL" "$i_wall") | $(ratio "$cpu" "$i_cpu") |"
done

if [ "$BATCH" -gt 0 ]; then
    batch="$DIR/batch-$BATCH"
    [ -d "$batch" ] || $BIN/examples/synth-app batch "$batch" "$BATCH" >/dev/null
    bytes=$(du -sb "$batch" | cut -f1)
    measure "batch-inflate" $BIN/examples/inflate-only "$batch"/*.apk
    i_wall=$WALL i_rss=$RSS_KB
    i_cpu=$(awk -v u="$USER_S" -v s="$SYS_S" 'BEGIN { printf "%.2f", u + s }')
    measure "batch-scan" $MASTIFF scan "$batch" --format jsonl -o "$DIR/batch.jsonl" -q
    lines=$(wc -l <"$DIR/batch.jsonl")
    cpu=$(awk -v u="$USER_S" -v s="$SYS_S" 'BEGIN { printf "%.2f", u + s }')
    echo
    echo "| batch | apps | MB | JSON lines | scan s | scan MB/s | scan user+sys s | CPU use | scan peak RSS MB | inflate-only s | inflate user+sys s | inflate peak RSS MB |"
    echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
    use=$(awk -v c="$cpu" -v w="$WALL" -v n="$(nproc)" 'BEGIN { printf "%.0f%% of %d CPUs", (w > 0) ? 100 * c / w / n : 0, n }')
    echo "| --format jsonl | $BATCH | $(mb "$bytes") | $lines | $WALL | $(mbps "$bytes" "$WALL") | $cpu | $use | $((RSS_KB / 1024)) | $i_wall | $i_cpu | $((i_rss / 1024)) |"
fi
echo
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
