#!/usr/bin/env bash
# Fails when a package's line coverage in the aggregate JaCoCo report (written by `mvn verify` in
# tests/target/site/jacoco-aggregate) falls below its floor. The floors sit a few points under the
# figures measured when they were set, so that deleting the tests of a package fails the build
# while ordinary changes do not. Raise a floor when its package's coverage rises for good.
set -euo pipefail
cd "$(dirname "$0")/.."
report=tests/target/site/jacoco-aggregate/jacoco.csv
[[ -f "$report" ]] || { echo "check-coverage: $report is missing; run mvn verify first" >&2; exit 1; }

declare -A floor=(
  [dev.dnn.backend]=80 [dev.dnn.cpu]=65 [dev.dnn.cuda]=70 [dev.dnn.data]=85 [dev.dnn.init]=90
  [dev.dnn.io]=85 [dev.dnn.loss]=95 [dev.dnn.metrics]=90 [dev.dnn.nn]=85 [dev.dnn.optim]=75
  [dev.dnn.random]=95 [dev.dnn.tensor]=80 [dev.dnn.train]=90
  [dev.dnn.internal.io]=80 [dev.dnn.internal.nn]=90 [dev.dnn.internal.random]=95
)

# Columns: GROUP,PACKAGE,CLASS,INSTRUCTION_MISSED,INSTRUCTION_COVERED,BRANCH_MISSED,
# BRANCH_COVERED,LINE_MISSED,LINE_COVERED,...
declare -A missed covered
while IFS=, read -r _ package _ _ _ _ _ line_missed line_covered _; do
  [[ "$package" == PACKAGE ]] && continue
  missed[$package]=$(( ${missed[$package]:-0} + line_missed ))
  covered[$package]=$(( ${covered[$package]:-0} + line_covered ))
done < "$report"

status=0
for package in $(printf '%s\n' "${!floor[@]}" | sort); do
  total=$(( ${missed[$package]:-0} + ${covered[$package]:-0} ))
  if (( total == 0 )); then
    echo "check-coverage: $package has no lines in the report" >&2
    status=1
    continue
  fi
  percent=$(( 100 * ${covered[$package]} / total ))
  if (( percent < ${floor[$package]} )); then
    echo "check-coverage: $package line coverage ${percent}% is below its floor ${floor[$package]}%" >&2
    status=1
  else
    echo "coverage: $package ${percent}% (floor ${floor[$package]}%)"
  fi
done
exit $status
