#!/bin/bash
# SHA-256 of the fast-import stream (`proserv migrate svn --stream`) for every dump of the shared
# SVN corpus and for the 3,000-revision benchmark history: a restructuring of the engine must not
# change one byte of what it writes.
# usage: bench/stream-hashes.sh [--check | --record] [--src TREE] [--corpus DIR]
#   (none)     print the hashes
#   --check    compare with bench/stream-hashes/expected.txt; exit 1 on any difference
#   --record   write bench/stream-hashes/expected.txt
#   --src      build the CLI from another checkout (e.g. an old commit's worktree)
# The benchmark history is the one bench/svn.sh uses (gen_svn_dump.py 3000 --seed 7, loaded with
# svnadmin and dumped again), cached in ${BENCH_CACHE:-/tmp/proserv-bench}.
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
mode=print; src=$here; corpus=$(readlink -f "$here/../shared/corpus/svn")
while [[ $# -gt 0 ]]; do
  case $1 in
    --check) mode=check ;;
    --record) mode=record ;;
    --src) src=$(readlink -f "$2"); shift ;;
    --corpus) corpus=$(readlink -f "$2"); shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac; shift
done
shared=$(readlink -f "$here/../shared/bench")
expected=$here/bench/stream-hashes/expected.txt
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
dotnet build -c Release -v q -nologo "$src/src/ProServ.Cli" -o "$work/bin" > "$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
proserv="$work/bin/proserv"

# The same layouts as bench/conformance.sh gives the dumps that are not standard layout.
cat > "$work/toplevel.rules" <<'RULES'
match ^trunk/
  branch main
end match
match ^branches/([^/]+)/
  branch \1
end match
match ^tags/([^/]+)/
  tag \1
end match
match ^(?!branches/|tags/)([^/]+)/
  branch \1
end match
RULES
cat > "$work/swap.rules" <<'RULES'
match ^([^/]+)/trunk/
  branch \1
end match
match ^([^/]+)/branches/([^/]+)/
  branch \1-\2
end match
match ^([^/]+)/tags/([^/]+)/
  tag \1-\2
end match
match ^([^/]+)/(?!branches/|tags/)([^/]+)/
  branch \1-\2
end match
RULES
options_for() {
  case $1 in
    bad-author) echo "--layout root" ;;
    adventitious|emptybranch) echo "--rules $work/toplevel.rules" ;;
    swap) echo "--rules $work/swap.rules" ;;
    *) echo "" ;;
  esac
}

# hash NAME SOURCE OPTIONS...: one line "NAME sha256" (every stream file of a multi-repository
# layout in name order), or "NAME exit-N" when the conversion refuses the input.
hash() {
  local name=$1 source=$2; shift 2
  rm -f "$work"/stream.fi*
  if ! "$proserv" migrate svn "$source" --stream "$work/stream.fi" "$@" > "$work/run.log" 2>&1; then
    echo "$name exit-$?"
    return
  fi
  echo "$name $(find "$work" -maxdepth 1 -name 'stream.fi*' -printf '%f\n' | sort | while read -r f; do sha256sum < "$work/$f"; done | sha256sum | cut -c1-64)"
}

# The options that change the stream beyond the layout, all at once.
extra="--keep-deleted --empty-dirs --revision-trailer"
{
  for dump in "$corpus"/*.svn; do
    name=$(basename "$dump" .svn)
    # shellcheck disable=SC2046
    hash "$name" "$dump" $(options_for "$name")
    # shellcheck disable=SC2046,SC2086
    hash "$name+options" "$dump" $(options_for "$name") $extra
    hash "$name+no-gitignore" "$dump" $(options_for "$name") --no-gitignore
  done

  cache=${BENCH_CACHE:-/tmp/proserv-bench}/3000-seed7
  mkdir -p "$cache"
  if [[ ! -f $cache/ready ]]; then
    echo "generating 3000 revisions (seed 7) into $cache ..." >&2
    python3 "$shared/gen_svn_dump.py" 3000 --seed 7 > "$cache/gen.dump"
    rm -rf "$cache/repo"; svnadmin create "$cache/repo"
    svnadmin load -q "$cache/repo" < "$cache/gen.dump"
    svnadmin dump -q "$cache/repo" > "$cache/repo.dump"
    rm -f "$cache/gen.dump"; touch "$cache/ready"
  fi
  # Format 3 (deltas) takes the other text path of the engine.
  [[ -f $cache/repo-deltas.dump ]] || svnadmin dump -q --deltas "$cache/repo" > "$cache/repo-deltas.dump"
  svn log -q "file://$cache/repo" | awk -F'|' '/^r[0-9]/ {gsub(/ /,"",$2); print $2}' | sort -u |
    while read -r u; do echo "$u = $u <$u@example.com>"; done > "$work/authors.txt"
  hash bench-3000 "$cache/repo.dump" --authors "$work/authors.txt"
  # shellcheck disable=SC2086
  hash bench-3000+options "$cache/repo.dump" --authors "$work/authors.txt" $extra
  hash bench-3000-deltas "$cache/repo-deltas.dump" --authors "$work/authors.txt"
  hash bench-3000-repository "$cache/repo" --authors "$work/authors.txt"
} > "$work/hashes.txt"

case $mode in
  print) cat "$work/hashes.txt" ;;
  record) mkdir -p "$(dirname "$expected")"; cp "$work/hashes.txt" "$expected"; echo "recorded $(wc -l < "$expected") hashes in $expected" ;;
  check)
    if diff -u "$expected" "$work/hashes.txt"; then
      echo "all $(wc -l < "$expected") stream hashes unchanged"
    else
      echo "stream hashes differ from $expected (lines marked - are expected, + are this build's)" >&2
      exit 1
    fi ;;
esac
