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
mvn -B -q install -DskipTests -pl core -am
cd core
JAZZER_FUZZ=1 JAZZER_MAX_DURATION="$duration" mvn -B test -Dtest="${class}#${method}" -Dsurefire.failIfNoSpecifiedTests=false \
  -Djazzer.max_duration="$duration" 2>&1 | tee "target/fuzz-${method}.log" | grep -E 'exec/s|#[0-9]+|Tests run|FAIL|crash|Found' | tail -40
