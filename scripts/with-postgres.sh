#!/usr/bin/env bash
# Runs one command with a throwaway PostgreSQL cluster and
# PROSERV_TEST_POSTGRES set, e.g.
#   scripts/with-postgres.sh dotnet test tests/ProServ.Web.Tests
set -euo pipefail
[[ $# -gt 0 ]] || { echo "usage: $0 command [args...]" >&2; exit 2; }
. "$(dirname "$0")/postgres.sh"
trap pg_cluster_stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
pg_cluster_start
"$@"
