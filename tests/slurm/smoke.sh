#!/usr/bin/env bash
# tests/slurm/smoke.sh: check, on a running Slurm cluster (scripts/slurm-local
# start), what korpus's sharded builds rely on:
#   1. a 3-task job array runs, each task writes its own output and log, and
#      a job submitted with --dependency=afterok on the array runs after it;
#      all end COMPLETED with exit code 0:0;
#   2. when one task of an array fails (exit 3), that task ends FAILED with
#      ExitCode 3:0 and the afterok job does not stay pending: it is cancelled
#      (JobState CANCELLED, Reason DependencyNeverSatisfied) once the whole
#      array has ended, thanks to DependencyParameters=kill_invalid_depend.
# Jobs are waited for by polling squeue and read with scontrol, not with
# sbatch --wait (which exits 0 for a job cancelled before it ran).
# Exit 0 when all holds; 1 with a message otherwise (the job outputs are
# then kept for a look).
set -euo pipefail

dir=''            # the jobs' outputs and logs
passed=0
jobs=()           # every job submitted, to cancel on failure
array='' after='' # the current array's id and its afterok job's, set by submit
t0=$EPOCHREALTIME

fail() {
	echo "smoke: FAIL: $*" >&2
	[ -z "$dir" ] || echo "smoke: outputs kept in $dir" >&2
	[ ${#jobs[@]} -eq 0 ] || scancel "${jobs[@]}" 2>/dev/null || true
	echo "smoke: $passed passed, 1 failed"
	exit 1
}
ok() {
	passed=$((passed + 1))
	echo "smoke: ok: $*"
}
elapsed() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'; }

# submit VAR SBATCH-ARGS...: submit a job, set VAR to its id and remember it
# (to cancel it on failure).
submit() {
	local var=$1 id
	shift
	id=$(sbatch --parsable "$@") || fail "sbatch $* failed"
	jobs+=("$id")
	printf -v "$var" %s "$id"
}

# wait_jobs TIMEOUT ID...: poll every 0.2 s until none of the jobs (nor any
# task of an array) is pending, running or completing: squeue -j lists only
# those.  A failing squeue counts as "not yet", up to TIMEOUT seconds.
wait_jobs() {
	local timeout=$1 ids i out
	shift
	ids=$(IFS=,; echo "$*")
	for ((i = 0; i < timeout * 5; i++)); do
		if out=$(squeue -h -j "$ids" -o %T 2>/dev/null) && [ -z "$out" ]; then
			return 0
		fi
		sleep 0.2
	done
	fail "jobs $ids not done after $timeout s: $(squeue -h -r -j "$ids" -o '%i %T %r' | tr '\n' ';')"
}

# job_states ID: one line per job, or per task of an array ("ID_TASK"):
# "ID STATE REASON EXITCODE", sorted, from scontrol (which still knows a
# finished job for MinJobAge seconds).
job_states() {
	scontrol -o show job "$1" | awk '{
		split("", f)
		for (i = 1; i <= NF; i++) {
			eq = index($i, "=")
			if (eq) f[substr($i, 1, eq - 1)] = substr($i, eq + 1)
		}
		id = f["JobId"]
		if (f["ArrayTaskId"] != "") id = f["ArrayJobId"] "_" f["ArrayTaskId"]
		print id, f["JobState"], f["Reason"], f["ExitCode"]
	}' | sort
}

# expect_states ID EXPECTED: the job's job_states are exactly EXPECTED.
expect_states() {
	local got
	got=$(job_states "$1")
	[ "$got" = "$2" ] || fail "job $1: expected
$2
got
$got"
}

sinfo -h -o %T 2>/dev/null | grep -qE '^(idle|mixed|allocated)$' ||
	fail "no Slurm cluster with an idle node here (scripts/slurm-local start)"
dir=$(mktemp -d "${TMPDIR:-/tmp}/korpus-slurm-smoke.XXXXXX")

# 1. A 3-task array and a job that waits for it.
t=$EPOCHREALTIME
submit array --array=0-2 --job-name=korpus-smoke --output="$dir/%x-%A_%a.log" \
	--wrap "echo \$SLURM_ARRAY_TASK_ID > $dir/t\$SLURM_ARRAY_TASK_ID"
submit after --dependency=afterok:"$array" --job-name=korpus-smoke-after --output="$dir/%x-%j.log" \
	--wrap "cat $dir/t0 $dir/t1 $dir/t2 > $dir/all"
wait_jobs 60 "$array" "$after"
expect_states "$array" "${array}_0 COMPLETED None 0:0
${array}_1 COMPLETED None 0:0
${array}_2 COMPLETED None 0:0"
expect_states "$after" "$after COMPLETED None 0:0"
for i in 0 1 2; do
	[ -f "$dir/korpus-smoke-${array}_$i.log" ] || fail "no log $dir/korpus-smoke-${array}_$i.log"
	[ "$(cat "$dir/t$i" 2>/dev/null)" = "$i" ] || fail "task $i did not write $dir/t$i"
done
[ "$(cat "$dir/all" 2>/dev/null)" = "$(printf '0\n1\n2')" ] || fail "the afterok job did not see the 3 outputs"
ok "array $array (3 tasks) and afterok job $after COMPLETED in $(elapsed "$t") s"

# 2. An array whose task 1 fails, and an afterok job that can never run.
t=$EPOCHREALTIME
submit array --array=0-2 --job-name=korpus-smoke-fail --output="$dir/%x-%A_%a.log" \
	--wrap "[ \$SLURM_ARRAY_TASK_ID != 1 ] || exit 3"
submit after --dependency=afterok:"$array" --job-name=korpus-smoke-never --output="$dir/%x-%j.log" \
	--wrap "touch $dir/never"
wait_jobs 60 "$array" "$after"
expect_states "$array" "${array}_0 COMPLETED None 0:0
${array}_1 FAILED NonZeroExitCode 3:0
${array}_2 COMPLETED None 0:0"
expect_states "$after" "$after CANCELLED DependencyNeverSatisfied 0:0"
[ ! -e "$dir/never" ] || fail "the afterok job $after ran although task 1 failed"
ok "array $array: task 1 FAILED 3:0; afterok job $after CANCELLED (DependencyNeverSatisfied) after $(elapsed "$t") s"

rm -rf "$dir"
echo "smoke: $passed passed, 0 failed ($(elapsed "$t0") s)"
