#!/bin/bash
# Benchmarks `proserv migrate svn` against the peer converters on a generated history.
# usage: bench/svn.sh SIZE [--with-git-svn] [--seed N] [--rounds N] [--compare-build TREE]
#   SIZE       number of revisions for ../shared/bench/gen_svn_dump.py
#   --compare-build  also time proserv built from another checkout (e.g. a worktree of an older
#              commit: git worktree add /tmp/old COMMIT), interleaved with this one's rounds
#   --rounds   run every tool N times, interleaved, and keep each tool's best time
#              (default 3 below 10,000 revisions, else 1)
# Generated repositories are cached in ${BENCH_CACHE:-/tmp/proserv-bench}/SIZE-seedN
# (svnadmin load of 30,000 revisions takes minutes). Everything is timed in this one
# invocation, one tool after the other, and reported as ratios (machines are noisy).
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
shared=$(readlink -f "$here/../shared/bench")
size=${1:?usage: bench/svn.sh SIZE [--with-git-svn] [--seed N]}; shift
with_git_svn=0; seed=; rounds=; compare=
while [[ $# -gt 0 ]]; do
  case $1 in
    --with-git-svn) with_git_svn=1 ;;
    --seed) seed=$2; shift ;;
    --rounds) rounds=$2; shift ;;
    --compare-build) compare=$(readlink -f "$2"); shift ;;
  esac; shift
done
[[ -z $seed ]] && { if [[ $size -ge 30000 ]]; then seed=11; else seed=7; fi; }
[[ -z $rounds ]] && { if [[ $size -ge 10000 ]]; then rounds=1; else rounds=3; fi; }
cache=${BENCH_CACHE:-/tmp/proserv-bench}/$size-seed$seed
mkdir -p "$cache"
if [[ ! -f $cache/ready ]]; then
  echo "generating $size revisions (seed $seed) into $cache ..." >&2
  python3 "$shared/gen_svn_dump.py" "$size" --seed "$seed" > "$cache/gen.dump"
  rm -rf "$cache/repo"; svnadmin create "$cache/repo"
  svnadmin load -q "$cache/repo" < "$cache/gen.dump"
  svnadmin dump -q "$cache/repo" > "$cache/repo.dump"
  rm -f "$cache/gen.dump"; touch "$cache/ready"
fi
repo=$cache/repo; dump=$cache/repo.dump
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
# Published as the command is installed for real migrations: native (AOT) when a C toolchain is
# there (clang, or Debian's clang-N), else ReadyToRun. See the README.
cc=$(command -v clang || ls /usr/bin/clang-[0-9]* 2> /dev/null | sort -V | tail -1)
build=native
if [[ -z $cc ]] || ! dotnet publish -c Release -r linux-x64 -p:PublishAot=true -p:CppCompilerAndLinker="$(basename "$cc")" -v q -nologo \
    "$here/src/ProServ.Cli" -o "$work/bin" > "$work/build.log" 2>&1; then
  build=readytorun
  dotnet publish -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -v q -nologo "$here/src/ProServ.Cli" -o "$work/bin" > "$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
fi
if [[ -n $compare ]]; then
  # The other build is published the same way as this one, so the two compare like for like.
  if [[ $build == native ]]; then
    dotnet publish -c Release -r linux-x64 -p:PublishAot=true -p:CppCompilerAndLinker="$(basename "$cc")" -v q -nologo \
      "$compare/src/ProServ.Cli" -o "$work/bin-compare" > "$work/build-compare.log" 2>&1 || { cat "$work/build-compare.log"; exit 1; }
  else
    dotnet publish -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -v q -nologo "$compare/src/ProServ.Cli" -o "$work/bin-compare" > "$work/build-compare.log" 2>&1 || { cat "$work/build-compare.log"; exit 1; }
  fi
fi

# Same inputs as ../shared/bench/peers.sh.
svn log -q "file://$repo" | awk -F'|' '/^r[0-9]/ {gsub(/ /,"",$2); print $2}' | sort -u |
  while read -r u; do echo "$u = $u <$u@example.com>"; done > "$work/authors.txt"
cat > "$work/rules" <<'RULES'
create repository out
end repository

match /trunk/
  repository out
  branch main
end match

match /branches/([^/]+)/
  repository out
  branch \1
end match

match /tags/([^/]+)/
  repository out
  branch refs/tags/\1
end match
RULES

declare -A secs rss rcs
measure() { # NAME CMD... : best wall seconds, its peak RSS (KB) via /usr/bin/time -v
  local name=$1; shift
  rm -rf "$work/out-$name"
  ( cd "$work" && /usr/bin/time -v -o "$work/$name.time" "$@" ) > "$work/$name.log" 2>&1
  local rc=$? t m
  t=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$work/$name.time")
  m=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/$name.time")
  if [[ -z ${secs[$name]:-} ]] || (( $(echo "$t < ${secs[$name]}" | bc -l) )); then secs[$name]=$t; rss[$name]=$m; fi
  [[ ${rcs[$name]:-0} -eq 0 ]] && rcs[$name]=$rc
}

sync
"$work/bin/proserv" migrate svn "$dump" --stream "$work/stream.fi" --authors "$work/authors.txt" > /dev/null
for ((round = 1; round <= rounds; round++)); do
  rm -rf "$work/proserv.git" "$work/proserv-repo.git" "$work/fi.git" "$work/out" "$work/reposurgeon-out"
  measure proserv "$work/bin/proserv" migrate svn "$dump" --out "$work/proserv.git" --authors "$work/authors.txt" --report "$work/report.json"
  if [[ -n $compare ]]; then
    rm -rf "$work/compare.git"
    measure proserv-compare "$work/bin-compare/proserv" migrate svn "$dump" --out "$work/compare.git" --authors "$work/authors.txt"
  fi
  measure proserv-repo "$work/bin/proserv" migrate svn "$repo" --out "$work/proserv-repo.git" --authors "$work/authors.txt"
  git init -q --bare "$work/fi.git"
  measure fast-import sh -c "git -C '$work/fi.git' fast-import --quiet < '$work/stream.fi'"
  rm -rf "$work/fi.git"; git init -q --bare "$work/fi.git"
  # The same options and environment proserv gives fast-import (--active-branches, glibc heap
  # trimming off, marks exported): the floor of this design as proserv runs it.
  measure fast-import-opts sh -c "MALLOC_TRIM_THRESHOLD_=268435456 MALLOC_TOP_PAD_=16777216 git -C '$work/fi.git' fast-import --quiet --done --force --active-branches=200 --depth=50 --export-marks='$work/fi.marks' < '$work/stream.fi'"
  command -v svn-all-fast-export > /dev/null && measure svn-all-fast-export svn-all-fast-export --rules "$work/rules" --identity-map "$work/authors.txt" "$repo"
  command -v reposurgeon > /dev/null && measure reposurgeon reposurgeon "read <$dump" "prefer git" "rebuild $work/reposurgeon-out"
done
rm -f "$work/stream.fi"
if ((with_git_svn)); then
  measure git-svn git svn clone -q --stdlayout --authors-file="$work/authors.txt" "file://$repo" "$work/git-svn-out"
fi

ours=${secs[proserv]}
echo "SVN -> Git benchmark: $size revisions (seed $seed), dump $(du -hL "$dump" | cut -f1), proserv published $build, $(nproc) cores, best of $rounds round(s), load average $(cut -d' ' -f1-3 /proc/loadavg)"
[[ -n $compare ]] && echo "--compare-build: $compare ($(git -C "$compare" log -1 --format='%h %s' 2> /dev/null | cut -c1-60))"
printf '%-28s %9s %12s %5s %14s\n' tool seconds "peak RSS MB" rc "proserv/tool"
for name in proserv proserv-compare proserv-repo fast-import fast-import-opts svn-all-fast-export reposurgeon git-svn; do
  [[ -n ${secs[$name]:-} ]] || continue
  label=$name
  case $name in
    proserv) label="proserv (dump file)" ;;
    proserv-compare) label="proserv, --compare-build" ;;
    proserv-repo) label="proserv (repository path)" ;;
    fast-import) label="git fast-import alone" ;;
    fast-import-opts) label="fast-import, proserv's opts" ;;
  esac
  printf '%-28s %9.2f %12.1f %5s %14.2f\n' "$label" "${secs[$name]}" "$(echo "${rss[$name]} / 1024" | bc -l)" "${rcs[$name]}" "$(echo "$ours / ${secs[$name]}" | bc -l)"
done
echo "commits: $(git -C "$work/proserv.git" rev-list --all | wc -l), refs: $(git -C "$work/proserv.git" for-each-ref | wc -l)"
python3 - "$work/report.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
print(f"proserv process alone (peak RSS above includes git fast-import): peak working set {r['peakMemoryMB']} MB, "
      f"retained managed heap after the last revision {r['retainedHeapMB']} MB, revision trees kept at once {r['keptTreesPeak']}")
print("proserv phases (s): " + ", ".join(f"{k} {v}" for k, v in r['phaseSeconds'].items()) + f"; proserv's own CPU {r['processorSeconds']} s")
PY
