#!/bin/bash
# Converts every dump of the shared SVN conformance corpus with --verify and prints a table.
# usage: bench/conformance.sh [CORPUS_DIR]   (default ../shared/corpus/svn relative to the repo)
# Exit status 0 only when every dump converts and verifies.
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

printf '%-22s %-6s %-4s %7s %6s %6s %9s %-8s %s\n' dump result rc commits merges refs chkmerges verify options
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
  read -r commits merges refs verify <<<"$(python3 - "$work/$name.json" <<'PY'
import json, sys
try:
    r = json.load(open(sys.argv[1]))
except Exception:
    print("- - - -"); sys.exit()
v = r.get("verify") or []
bad = sum(1 for x in v if not x["match"])
print(r["commits"], r["merges"], len(r["refs"]), f"{len(v)-bad}/{len(v)}")
PY
)"
  chk=$(python3 -c "import json,sys; m=json.load(open('$corpus/MANIFEST.json')); print(sum(1 for c in m.get('$name',{}).get('commits',[]) if len(c['parents'])>1))")
  if [[ $rc -eq 0 ]]; then result=PASS; ok=$((ok+1)); else result=FAIL; fail=1; fi
  printf '%-22s %-6s %-4s %7s %6s %6s %9s %-8s %s\n' "$name" "$result" "$rc" "$commits" "$merges" "$refs" "$chk" "$verify" "${opts/$work\//}"
  if [[ $rc -ne 0 ]]; then sed 's/^/    /' "$work/$name.log" | head -5; fi
done
echo "$ok/$n dumps converted and verified"
exit $fail
