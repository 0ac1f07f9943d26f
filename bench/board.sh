#!/usr/bin/env bash
# The PS board benchmark (issue 5): generates the data set on SQLite and on a throwaway PostgreSQL cluster, then prints the
# medians of board render (the service call, and the real board page's HTML), filtered full-text search and card move side by side.
#   bench/board.sh [--issues 100000] [--labels 1000] [--boards 50] [--runs 30]
# Needs the .NET SDK and PostgreSQL's server binaries (scripts/ensure-deps.sh installs them).
set -euo pipefail
cd "$(dirname "$0")/.."

issues=100000 labels=1000 boards=50 runs=30
while [[ $# -gt 0 ]]; do
    case $1 in
        --issues) issues=$2; shift 2 ;;
        --labels) labels=$2; shift 2 ;;
        --boards) boards=$2; shift 2 ;;
        --runs) runs=$2; shift 2 ;;
        *) echo "usage: $0 [--issues N] [--labels N] [--boards N] [--runs N]" >&2; exit 2 ;;
    esac
done

dotnet build bench/ProServ.Bench -c Release -v q -nologo >/dev/null
bench=(dotnet bench/ProServ.Bench/bin/Release/net10.0/ProServ.Bench.dll)

work=$(mktemp -d "${TMPDIR:-/tmp}/proserv-bench.XXXXXX")
. scripts/postgres.sh
cleanup() { pg_cluster_stop; rm -rf "$work"; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

run() { # provider connection
    echo "== $1: seeding $issues issues, $labels labels, $boards boards" >&2
    "${bench[@]}" seed --provider "$1" --connection "$2" --issues "$issues" --labels "$labels" --boards "$boards" >&2
    echo "== $1: measuring ($runs runs each)" >&2
    "${bench[@]}" measure --provider "$1" --connection "$2" --runs "$runs" | grep '^RESULT'
}

sqlite=$(run sqlite "Data Source=$work/bench.db")
pg_cluster_start
postgres=$(run postgres "${PROSERV_TEST_POSTGRES/Database=postgres/Database=proserv_bench}")

field() { sed -E "s/.* $2=([^ ]+).*/\1/" <<<"$1"; }
echo
echo "PS board benchmark: $issues issues, $labels labels, $boards boards; medians over $runs runs (p90 in brackets); $(nproc) cores, load average $(cut -d" " -f1-3 /proc/loadavg) at the end"
printf '%-42s %20s %20s %10s\n' "" "PostgreSQL" "SQLite" "goal"
printf '%-42s %20s %20s %10s\n' "board render ($(field "$postgres" board_cards) cards), ms" \
    "$(field "$postgres" board_ms) ($(field "$postgres" board_p90_ms))" "$(field "$sqlite" board_ms) ($(field "$sqlite" board_p90_ms))" "< 150"
printf '%-42s %20s %20s %10s\n' "board page HTML ($(field "$postgres" html_cards) cards, $(field "$postgres" html_kb) KB), ms" \
    "$(field "$postgres" html_ms) ($(field "$postgres" html_p90_ms))" "$(field "$sqlite" html_ms) ($(field "$sqlite" html_p90_ms))" "< 150"
printf '%-42s %20s %20s %10s\n' "filtered full-text search, ms" \
    "$(field "$postgres" search_ms) ($(field "$postgres" search_p90_ms))" "$(field "$sqlite" search_ms) ($(field "$sqlite" search_p90_ms))" "< 100"
printf '%-42s %20s %20s %10s\n' "card move (commit), ms" \
    "$(field "$postgres" move_ms) ($(field "$postgres" move_p90_ms))" "$(field "$sqlite" move_ms) ($(field "$sqlite" move_p90_ms))" "< 20"
