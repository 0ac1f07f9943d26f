#!/usr/bin/env bash
# Sums the <Counters> of TRX files and lists failed tests with the first line
# of their message. The last line printed is `N passed, N failed` (plus
# `, N skipped` when any were skipped). Exits 1 when any test failed.
#   scripts/trx-summary.sh .test-results/*.trx
set -euo pipefail
awk '
function attr(s, name,    m) {
    if (match(s, " " name "=\"[^\"]*\"")) {
        m = substr(s, RSTART + length(name) + 3, RLENGTH - length(name) - 4)
        return m
    }
    return ""
}
function unxml(s) {
    gsub(/&lt;/, "<", s); gsub(/&gt;/, ">", s); gsub(/&quot;/, "\"", s)
    gsub(/&apos;/, "\047", s); gsub(/&#x[dD];/, "", s); gsub(/&#x[aA];/, "\n", s)
    gsub(/&amp;/, "\\&", s)
    return s
}
BEGIN { RS = ">"; passed = failed = skipped = 0; current = "" }
/<Counters[ \t\n]/ {
    passed  += attr($0, "passed")
    failed  += attr($0, "failed") + attr($0, "error") + attr($0, "timeout") + attr($0, "aborted")
    # VSTest counts a skipped test as neither executed nor notExecuted.
    s = attr($0, "total") - attr($0, "executed")
    skipped += (s > 0) ? s : attr($0, "notExecuted")
}
/<UnitTestResult[ \t\n]/ {
    current = ""
    if (attr($0, "outcome") == "Failed") {
        current = unxml(attr($0, "testName"))
        names[++n] = current
    }
}
inmsg {
    if (current != "" && !(n in msgs)) {
        sub(/<\/Message$/, "", $0)
        sub(/^[ \t\n]+/, "", $0)
        m = unxml($0); sub(/\n.*/, "", m)
        msgs[n] = m
    }
    inmsg = 0
}
/<Message$/ { inmsg = 1 }
END {
    if (n > 0) {
        print "Failed tests:"
        for (i = 1; i <= n; i++) print "  " names[i] ((i in msgs) ? "\n      " msgs[i] : "")
    }
    line = passed " passed, " failed " failed"
    if (skipped > 0) line = line ", " skipped " skipped"
    print line
    exit (failed > 0) ? 1 : 0
}
' "$@"
