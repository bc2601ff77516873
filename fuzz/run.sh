#!/usr/bin/env bash
# Fuzzes one Jazzer target for real (not part of mvn verify, which replays the committed inputs).
#   fuzz/run.sh <TestClass> <method> [duration, default 10m]
#   e.g. fuzz/run.sh io.gatehouse.ip.IpFuzzTest ipLiteral 10m
# Findings are written as new inputs under core/src/test/resources/<package>/<Class>Inputs/<method>/;
# commit them: mvn verify then replays them as regression tests. The generated corpus stays in
# core/.cifuzz-corpus (not committed).
set -euo pipefail
cd "$(dirname "$0")/.."
class=${1:?test class, e.g. io.gatehouse.ip.IpFuzzTest}
method=${2:?fuzz test method, e.g. ipLiteral}
duration=${3:-10m}
[ "${FUZZ_SKIP_INSTALL:-}" = 1 ] || mvn -B -q install -DskipTests -pl core -am
cd core
mkdir -p target
JAZZER_FUZZ=1 mvn -B test -Dtest="${class}#${method}" -Dsurefire.failIfNoSpecifiedTests=false \
  -Djazzer.max_duration="$duration" > "target/fuzz-${method}.log" 2>&1 || true
# The summary: libFuzzer's last status line (executions, coverage) and any finding.
grep -E '^#[0-9]+[[:space:]]+DONE|== Java Exception|FuzzTestFindingException|Tests run:.*Fail' "target/fuzz-${method}.log" | tail -5
