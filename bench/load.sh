#!/usr/bin/env bash
# The load benchmark (issue 15 §5): the real app (Release, Production environment) on SQLite and on a throwaway PostgreSQL
# cluster, seeded with a realistic data set, driven by an open-loop fixed-rate generator with the mixed load the attack
# probe measured (customers list, an engagement's page, the 1,200-card board, an issue search), then its capacity with wrk.
# Prints throughput, p50/p95/p99/max and errors per request kind, and the web process's memory every 10 s.
#   bench/load.sh [--duration 600] [--rate 200] [--wrk-seconds 30] [--only sqlite|postgres] [--issues 1200]
#                 [--customers 300] [--engagements 600] [--no-wrk] [--counters]
# --counters also records the runtime's counters (GC heap, allocation rate, thread pool queue, CPU) with dotnet-counters.
# GC settings pass through to the app, e.g. DOTNET_gcServer=0 bench/load.sh to compare workstation GC.
# Needs the .NET SDK, PostgreSQL's server binaries (scripts/ensure-deps.sh) and, for capacity, wrk (apt-get install wrk).
set -euo pipefail
cd "$(dirname "$0")/.."

duration=600 rate=200 wrk_seconds=30 only="" issues=1200 customers=300 engagements=600 use_wrk=1 counters=0
while [[ $# -gt 0 ]]; do
    case $1 in
        --duration) duration=$2; shift 2 ;;
        --rate) rate=$2; shift 2 ;;
        --wrk-seconds) wrk_seconds=$2; shift 2 ;;
        --only) only=$2; shift 2 ;;
        --issues) issues=$2; shift 2 ;;
        --customers) customers=$2; shift 2 ;;
        --engagements) engagements=$2; shift 2 ;;
        --no-wrk) use_wrk=0; shift ;;
        --counters) counters=1; shift ;;
        *) sed -n '2,11p' "$0" >&2; exit 2 ;;
    esac
done
if [[ $use_wrk -eq 1 ]] && ! command -v wrk >/dev/null; then
    if [[ $(id -u) -eq 0 ]]; then apt-get install -y -qq wrk >/dev/null 2>&1 || true; fi
    command -v wrk >/dev/null || { echo "load.sh: wrk is not installed (apt-get install wrk); capacity is skipped" >&2; use_wrk=0; }
fi
# The open-loop generator may hold many connections when the server falls behind.
ulimit -n 65536 2>/dev/null || true

email=load-admin@proserv.test password="load benchmark administrator passphrase"
work=$(mktemp -d "${TMPDIR:-/tmp}/proserv-load.XXXXXX")
. scripts/postgres.sh
web_pid="" counters_pid=""
stop_web() {
    if [[ -n $counters_pid ]]; then kill $(pgrep -P "$counters_pid") "$counters_pid" 2>/dev/null || true; wait "$counters_pid" 2>/dev/null || true; counters_pid=""; fi
    if [[ -n $web_pid ]]; then kill "$web_pid" 2>/dev/null || true; wait "$web_pid" 2>/dev/null || true; web_pid=""; fi
}
cleanup() { stop_web; pg_cluster_stop; rm -rf "$work"; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

echo "== building (Release)" >&2
dotnet build bench/ProServ.Bench -c Release -v q -nologo >/dev/null
dotnet publish src/ProServ.Web -c Release -o "$work/web" -v q -nologo >/dev/null
bench=(dotnet bench/ProServ.Bench/bin/Release/net10.0/ProServ.Bench.dll)
[[ $counters -eq 1 ]] && dotnet tool restore >/dev/null

cat >"$work/mix.lua" <<'LUA'
-- The load benchmark's mix for wrk: the generator's paths in turn, with the signed-in session's cookie.
local paths, i, threads = {}, 0, {}
errors = 0 -- a global, so done() can read each thread's count with thread:get
function setup(thread) table.insert(threads, thread) end
function init(args)
  for line in io.lines(os.getenv("WRK_PATHS")) do paths[#paths + 1] = "/" .. line end
  local f = io.open(os.getenv("WRK_COOKIE")); wrk.headers["Cookie"] = f:read("*l"); f:close()
  wrk.headers["Accept"] = "text/html"
  wrk.headers["Accept-Encoding"] = "br, gzip"
end
function request()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
function response(status) if status ~= 200 then errors = errors + 1 end end
function done(summary, latency, requests)
  local e = 0
  for _, t in ipairs(threads) do e = e + t:get("errors") end
  io.write(string.format("WRK requests=%d seconds=%.1f rps=%.1f p50=%.1f p99=%.1f not200=%d socket_errors=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, e,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
LUA

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

start_web() { # provider connection
    port=$(free_port)
    (
        cd "$work/web"
        # Urls, not ASPNETCORE_URLS: appsettings.json sets Urls, which outranks the ASPNETCORE_ variables.
        export ASPNETCORE_ENVIRONMENT=Production Urls="http://127.0.0.1:$port" \
            Database__Provider="$1" ConnectionStrings__Default="$2" Admin__Email="$email" Admin__Password="$password" \
            Storage__DataDirectory="$work/files-$1" \
            Auth__MfaRequiredRoles= \
            Auth__SecureCookies=false # plain HTTP on loopback: TLS would end at the reverse proxy in front of it
        # (No MFA requirement: the benchmark's administrator signs in with a password only; the pages, not the
        # enrolment redirect, are what is measured.)
        exec dotnet ProServ.Web.dll
    ) >"$work/web-$1.log" 2>&1 &
    web_pid=$!
    for _ in $(seq 1 600); do
        if curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; then return 0; fi
        kill -0 "$web_pid" 2>/dev/null || { echo "load.sh: the app exited; its log:" >&2; cat "$work/web-$1.log" >&2; return 1; }
        sleep 0.5
    done
    echo "load.sh: the app did not answer /healthz within 300 s; its log:" >&2
    tail -30 "$work/web-$1.log" >&2
    return 1
}

run() { # provider connection
    echo "== $1: seeding $issues board issues, $customers customers, $engagements engagements" >&2
    "${bench[@]}" seed --provider "$1" --connection "$2" --issues "$issues" --labels 200 --boards 1 >&2
    "${bench[@]}" seed-tenants --provider "$1" --connection "$2" --customers "$customers" --engagements "$engagements" >&2
    start_web "$1" "$2"
    if [[ $counters -eq 1 ]]; then
        dotnet dotnet-counters collect -p "$web_pid" --refresh-interval 10 --format csv -o "$work/counters-$1.csv" \
            --counters System.Runtime >/dev/null 2>&1 &
        counters_pid=$!
    fi
    echo "== $1: $rate req/s for $duration s" >&2
    "${bench[@]}" load --provider "$1" --connection "$2" --url "http://127.0.0.1:$port" --email "$email" --password "$password" \
        --rate "$rate" --duration "$duration" --pid "$web_pid" --wrk-out "$work" --label "$1" | tee "$work/load-$1.txt" >&2
    if [[ $use_wrk -eq 1 ]]; then
        # Requests the generator gave up on may still be running in the app; let it finish them first.
        sleep 10
        echo "== $1: capacity with wrk for $wrk_seconds s (2 threads, 64 connections)" >&2
        WRK_PATHS="$work/paths.txt" WRK_COOKIE="$work/cookie.txt" \
            wrk -t2 -c64 -d"${wrk_seconds}s" --timeout 30s -s "$work/mix.lua" "http://127.0.0.1:$port/" | tee "$work/wrk-$1.txt" >&2 || true
    fi
    local board_path plain br
    board_path=$(grep -m1 '^board/' "$work/paths.txt")
    plain=$(curl -s -o /dev/null -w '%{size_download}' -H "Cookie: $(cat "$work/cookie.txt")" "http://127.0.0.1:$port/$board_path")
    br=$(curl -s -o /dev/null -w '%{size_download}' -H 'Accept-Encoding: br' -H "Cookie: $(cat "$work/cookie.txt")" "http://127.0.0.1:$port/$board_path")
    echo "board page: $plain bytes of HTML, $br bytes with Brotli" >>"$work/load-$1.txt"
    local rss
    rss=$(awk '/^VmRSS/ {print int($2/1024)}' "/proc/$web_pid/status" 2>/dev/null || echo "-")
    echo "RSS after the load and wrk: $rss MB" >>"$work/load-$1.txt"
    if [[ $counters -eq 1 && -n $counters_pid ]]; then
        # `dotnet dotnet-counters` runs the tool as a child process, and a background job ignores SIGINT: stop the child with
        # SIGTERM (the CSV is written as it goes), and with it the launcher.
        kill -TERM $(pgrep -P "$counters_pid") "$counters_pid" 2>/dev/null || true; wait "$counters_pid" 2>/dev/null || true; counters_pid=""
        # The counters that say whether memory is flat: first, highest and last sample of each.
        awk -F, 'NR > 1 && ($3 ~ /heap.size|working.set|gc-heap-size|working-set|allocat|committed/) {
                     k = $3; v = $NF + 0; if (!(k in first)) first[k] = v; if (v > max[k]) max[k] = v; last[k] = v }
                 END { for (k in first) printf "counter %s: first %.0f, max %.0f, last %.0f\n", k, first[k], max[k], last[k] }' \
            "$work/counters-$1.csv" >>"$work/load-$1.txt" 2>/dev/null || true
        cp "$work/counters-$1.csv" "${TMPDIR:-/tmp}/proserv-load-counters-$1.csv" 2>/dev/null || true
    fi
    stop_web
}

if [[ -z $only || $only == sqlite ]]; then
    run sqlite "Data Source=$work/load.db"
fi
if [[ -z $only || $only == postgres ]]; then
    pg_cluster_start
    run postgres "${PROSERV_TEST_POSTGRES/Database=postgres/Database=proserv_load}"
fi

echo
echo "ProServ load benchmark: $rate req/s open loop for $duration s, mix of customers list, engagement page, board page ($issues cards) and issue search;"
echo "$(nproc) cores, load average $(cut -d" " -f1-3 /proc/loadavg) at the end"
for p in sqlite postgres; do
    [[ -f $work/load-$p.txt ]] || continue
    echo
    echo "-- $p"
    grep -v '^RESULT' "$work/load-$p.txt" | grep -v '^load:' || true
    [[ -f $work/wrk-$p.txt ]] && { echo "capacity (wrk, same mix, 64 connections):"; grep -E '^WRK|Requests/sec' "$work/wrk-$p.txt"; }
done
