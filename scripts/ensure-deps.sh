#!/usr/bin/env bash
# Installs, through apt-get, the system packages the tests need when they are
# missing. Quiet when everything is present; runs `apt-get update` at most once.
set -euo pipefail

have_postgres() { compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null; }

missing=()
have_postgres || missing+=(postgresql)
command -v svn >/dev/null || missing+=(subversion)
command -v git >/dev/null || missing+=(git)
command -v chromium >/dev/null || missing+=(chromium)
# The E2E test of the TLS-terminating proxy set-up runs nginx with a certificate openssl makes.
[[ -x /usr/sbin/nginx ]] || missing+=(nginx)
command -v openssl >/dev/null || missing+=(openssl)
# Document conversion tests use LibreOffice when it is there; never required.
optional=()
command -v soffice >/dev/null || optional+=(libreoffice-writer-nogui)

[[ ${#missing[@]} -eq 0 && ${#optional[@]} -eq 0 ]] && exit 0

sudo=()
if [[ $(id -u) -ne 0 ]]; then
    if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
        sudo=(sudo -n)
    elif [[ ${#missing[@]} -gt 0 ]]; then
        echo "test.sh: missing system packages: ${missing[*]} (run as root or install them)" >&2
        exit 1
    else
        exit 0
    fi
fi

export DEBIAN_FRONTEND=noninteractive
log=$(mktemp)
trap 'rm -f "$log"' EXIT
apt=("${sudo[@]}" apt-get -y -q -o Dpkg::Use-Pty=0 --no-install-recommends)

if [[ ${#missing[@]} -gt 0 ]]; then
    echo "test.sh: installing ${missing[*]} ..." >&2
    if ! { "${sudo[@]}" apt-get update -q && "${apt[@]}" install "${missing[@]}"; } >"$log" 2>&1 </dev/null; then
        cat "$log" >&2
        echo "test.sh: could not install ${missing[*]}" >&2
        exit 1
    fi
    updated=1
fi

if [[ ${#optional[@]} -gt 0 ]]; then
    # Only try when the package lists know the package, so that a machine
    # without it does not pay for an `apt-get update` on every run.
    if [[ -n ${updated:-} ]] || apt-cache show "${optional[@]}" >/dev/null 2>&1; then
        "${apt[@]}" install "${optional[@]}" >"$log" 2>&1 </dev/null \
            || echo "test.sh: optional ${optional[*]} not installed; tests that need it will be skipped" >&2
    fi
fi
