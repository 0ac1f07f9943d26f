# Throwaway PostgreSQL cluster for tests. Source this file, then call
# pg_cluster_start; it exports PROSERV_TEST_POSTGRES and registers nothing —
# the caller must call pg_cluster_stop from its EXIT trap.
#
# The cluster runs as an unprivileged user (PostgreSQL refuses root), in a
# temp dir, on a free 127.0.0.1 port, with trust auth and durability off:
# it only ever holds test data.

_pg_dir=""
_pg_user=""

_pg_bin() {
    local d
    d=$(compgen -G '/usr/lib/postgresql/*/bin' | sort -V | tail -n 1)
    [[ -n $d && -x $d/initdb ]] || { echo "postgres.sh: no PostgreSQL server binaries under /usr/lib/postgresql" >&2; return 1; }
    echo "$d"
}

_pg_as() {
    if [[ $(id -u) -eq 0 ]]; then runuser -u "$_pg_user" -- "$@"; else "$@"; fi
}

pg_cluster_start() {
    local bin port attempt
    bin=$(_pg_bin) || return 1
    if [[ $(id -u) -eq 0 ]]; then
        _pg_user=postgres
        id -u "$_pg_user" >/dev/null 2>&1 \
            || useradd --system --home-dir /var/lib/postgresql --no-create-home --shell /usr/sbin/nologin "$_pg_user"
    else
        _pg_user=$(id -un)
    fi
    _pg_dir=$(mktemp -d "${TMPDIR:-/tmp}/proserv-pg.XXXXXX")
    chmod 755 "$_pg_dir"
    [[ $(id -u) -eq 0 ]] && chown "$_pg_user" "$_pg_dir"

    if ! _pg_as "$bin/initdb" -D "$_pg_dir/data" -U proserv --auth=trust --no-locale -E UTF8 -N \
            >"$_pg_dir/initdb.log" 2>&1; then
        cat "$_pg_dir/initdb.log" >&2
        return 1
    fi

    # Pick a random high port nothing answers on; if another process takes it
    # before the server binds, the start fails and we try the next one.
    for attempt in 1 2 3 4 5 6 7 8; do
        port=$((20000 + RANDOM % 40000))
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then continue; fi
        if _pg_as "$bin/pg_ctl" -D "$_pg_dir/data" -l "$_pg_dir/server.log" -w -t 60 -s \
                -o "-c listen_addresses=127.0.0.1 -p $port -k $_pg_dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
                start >/dev/null 2>&1; then
            if "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" -t 30; then
                export PROSERV_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=proserv;Password=proserv;Database=postgres"
                return 0
            fi
        fi
        _pg_as "$bin/pg_ctl" -D "$_pg_dir/data" -m immediate -s stop >/dev/null 2>&1 || true
    done
    echo "postgres.sh: could not start PostgreSQL; server log:" >&2
    cat "$_pg_dir/server.log" >&2 2>/dev/null || true
    return 1
}

pg_cluster_stop() {
    [[ -n $_pg_dir ]] || return 0
    local bin
    if bin=$(_pg_bin 2>/dev/null) && [[ -f $_pg_dir/data/postmaster.pid ]]; then
        _pg_as "$bin/pg_ctl" -D "$_pg_dir/data" -m immediate -s stop >/dev/null 2>&1 || true
    fi
    rm -rf "$_pg_dir"
    _pg_dir=""
}
