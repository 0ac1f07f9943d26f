#!/usr/bin/env bash
# The one test command: installs what the tests need, builds once, checks that
# no model change lacks a migration, runs every test project against SQLite
# and a throwaway PostgreSQL cluster, and ends with `N passed, N failed`.
# See docs/testing.md.
set -euo pipefail
cd "$(dirname "$0")"
root=$PWD

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export MSBUILDTERMINALLOGGER=off

results=$root/.test-results
rm -rf "$results"
mkdir -p "$results"

. scripts/postgres.sh
trap pg_cluster_stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

problems=()

# Runs a command quietly; on failure shows its output and returns its status.
quiet() {
    local log=$1; shift
    if "$@" >"$log" 2>&1 </dev/null; then return 0; else
        local rc=$?
        cat "$log" >&2
        return "$rc"
    fi
}

summary() {
    local trx=("$results"/*.trx)
    for p in "${problems[@]}"; do echo "FAILED: $p"; done
    if [[ -e ${trx[0]} ]]; then
        scripts/trx-summary.sh "${trx[@]}"
    else
        echo "0 passed, 0 failed"
    fi
}

scripts/ensure-deps.sh

quiet "$results/tool-restore.log" dotnet tool restore

if [[ -z ${PROSERV_CHROMIUM:-} && -x /usr/bin/chromium ]]; then
    export PROSERV_CHROMIUM=/usr/bin/chromium
fi

# Build once; everything after runs with --no-build.
if ! dotnet build ProServ.slnx -c Debug -nologo -v quiet -clp:ErrorsOnly >"$results/build.log" 2>&1 </dev/null; then
    grep -E ': error ' "$results/build.log" | sort -u >&2 || cat "$results/build.log" >&2
    problems+=("dotnet build ProServ.slnx")
    summary
    exit 1
fi

# The house style (.editorconfig) is checked by the build (EnforceCodeStyleInBuild) and, for what the build
# does not see (whitespace, using order), by dotnet format. Fix with `dotnet format ProServ.slnx`.
if ! dotnet format ProServ.slnx --verify-no-changes --no-restore >"$results/format.log" 2>&1 </dev/null; then
    grep -E ': (error|warning) ' "$results/format.log" | sort -u | head -n 50 >&2 || cat "$results/format.log" >&2
    problems+=("dotnet format --verify-no-changes: files differ from the house style (run: dotnet format ProServ.slnx)")
fi

# MSBuild and compiler servers outlive the build; a CI job should not leave
# processes behind.
if [[ ${CI:-} == true ]]; then
    dotnet build-server shutdown >/dev/null 2>&1 || true
fi

pg_cluster_start

# A model change without a migration fails the run. Each provider gets its
# own configuration so the app registers that provider's context. The two
# checks run one after the other: dotnet ef copies its build host into the
# startup project's bin folder, and two at once race on those files.
for ctx in SqliteProServDbContext PostgresProServDbContext; do
    if ! grep -rqsE "class[[:space:]]+$ctx\b" src/ProServ.Core --include='*.cs'; then
        echo "notice: $ctx not found in src/ProServ.Core; migration check skipped"
        continue
    fi
    case $ctx in
        Sqlite*) provider=sqlite; conn="Data Source=$results/ef-check.db" ;;
        Postgres*) provider=postgres; conn=$PROSERV_TEST_POSTGRES ;;
    esac
    if ! Database__Provider=$provider ConnectionStrings__Default=$conn \
        dotnet ef migrations has-pending-model-changes --project src/ProServ.Core \
        --startup-project src/ProServ.Web --context "$ctx" --no-build \
        >"$results/ef-$ctx.log" 2>&1 </dev/null; then
        cat "$results/ef-$ctx.log" >&2
        if grep -q 'Changes have been made to the model' "$results/ef-$ctx.log"; then
            problems+=("migration check: $ctx has model changes with no migration (dotnet ef migrations add <Name> --context $ctx ...)")
        else
            problems+=("migration check: dotnet ef could not check $ctx (output above)")
        fi
    fi
done

for proj in tests/*/*.csproj; do
    name=$(basename "$proj" .csproj)
    rc=0
    dotnet test "$proj" --no-build -c Debug --nologo \
        --logger "trx;LogFileName=$name.trx" --results-directory "$results" \
        >"$results/$name.log" 2>&1 </dev/null || rc=$?
    if [[ ! -f $results/$name.trx ]]; then
        cat "$results/$name.log" >&2
        problems+=("$name produced no test results (crashed?); see .test-results/$name.log")
    elif [[ $rc -ne 0 ]] && scripts/trx-summary.sh "$results/$name.trx" >/dev/null; then
        tail -n 40 "$results/$name.log" >&2
        problems+=("$name: dotnet test exited $rc; see .test-results/$name.log")
    fi
done

status=0
summary || status=1
[[ ${#problems[@]} -eq 0 ]] || status=1
exit "$status"
