#!/bin/bash
# Converts every dump of the shared SVN conformance corpus with --verify and prints a table.
# usage: bench/conformance.sh [CORPUS_DIR]   (default ../shared/corpus/svn relative to the repo)
# Exit status 0 only when every dump converts and verifies.
# Columns: commits/merges written; chkmerges = merge commits in reposurgeon's output (.chk);
# verify = refs matching `svn export`; samecount = refs whose reachable commit count equals
# reposurgeon's, out of the refs both produce.
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
corpus=$(readlink -f "${1:-$here/../shared/corpus/svn}")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dotnet build -c Release -v q -nologo "$here/src/ProServ.Cli" -o "$work/bin" > "$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
proserv="$work/bin/proserv"

# Dumps that are not standard layout get a layout that says what they are.
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
# branches created at the top level next to trunk
match ^(?!branches/|tags/)([^/]+)/
  branch \1
end match
RULES
cat > "$work/swap.rules" <<'RULES'
# several projects, each with its own trunk/branches/tags, all in one git repository
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

printf '%-22s %-6s %-4s %7s %6s %9s %5s %-8s %-10s %s\n' dump result rc commits merges chkmerges refs verify samecount options
fail=0; n=0; ok=0
for dump in "$corpus"/*.svn; do
  name=$(basename "$dump" .svn)
  if [[ -n ${ONLY:-} && " $ONLY " != *" $name "* ]]; then continue; fi
  n=$((n+1))
  opts=$(options_for "$name")
  out="$work/$name.git"
  # shellcheck disable=SC2086
  "$proserv" migrate svn "$dump" --out "$out" --verify --keep-deleted --report "$work/$name.json" $opts > "$work/$name.log" 2>&1
  rc=$?
  read -r commits merges refs verify counts <<<"$(python3 - "$work/$name.json" "$out" "$corpus/MANIFEST.json" "$name" <<'PY'
import json, subprocess, sys
try:
    r = json.load(open(sys.argv[1]))
except Exception:
    print("- - - - -"); sys.exit()
v = r.get("verify") or []
bad = sum(1 for x in v if not x["match"])
# Commits reachable from each ref compared with reposurgeon's (main is its master).
chk = json.load(open(sys.argv[3])).get(sys.argv[4], {}).get("refs", {})
same = compared = 0
for ref in r["refs"]:
    name = ref["ref"].replace("refs/heads/main", "refs/heads/master")
    if name not in chk:
        continue
    n = int(subprocess.run(["git", "-C", sys.argv[2], "rev-list", "--count", ref["ref"]], capture_output=True, text=True).stdout or 0)
    compared += 1
    same += n == chk[name]["reachable_commits"]
print(r["commits"], r["merges"], len(r["refs"]), f"{len(v)-bad}/{len(v)}", f"{same}/{compared}")
PY
)"
  chk=$(python3 -c "import json,sys; m=json.load(open('$corpus/MANIFEST.json')); print(sum(1 for c in m.get('$name',{}).get('commits',[]) if len(c['parents'])>1))")
  if [[ $rc -eq 0 ]]; then result=PASS; ok=$((ok+1)); else result=FAIL; fail=1; fi
  printf '%-22s %-6s %-4s %7s %6s %9s %5s %-8s %-10s %s\n' "$name" "$result" "$rc" "$commits" "$merges" "$chk" "$refs" "$verify" "$counts" "${opts/$work\//}"
  if [[ $rc -ne 0 ]]; then sed 's/^/    /' "$work/$name.log" | head -5; fi
done
echo "$ok/$n dumps converted and verified"
exit $fail
