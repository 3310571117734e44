#!/bin/bash
# Drives the real REPL as a person at a terminal would, under tmux: the prompt, Tab
# completion of commands and workspace paths, Ctrl-C cancelling a line and a running step,
# Enter performing a step, history kept across sessions, Ctrl-D leaving and taking the
# sandbox with it.
# Needs root and tmux; prints "N passed, M failed" and exits non-zero on a failure.
set -u
repo=$(cd "$(dirname "$0")/../.." && pwd)
base=$(mktemp -d /tmp/boxlab-test-tmux.XXXXXX)
# A tmux server of its own, whose socket goes with $base: no one's sessions are touched.
export TMUX_TMPDIR=$base
session=boxlab-repl-$$
export BOXLAB_RUN_DIR=$base/run BOXLAB_STATE_DIR=$base/state BOXLAB_LABS=$repo/labs
unset BOXLAB_SANDBOX_NS
trap 'tmux kill-session -t "$session" 2>/dev/null; "$repo/.build/debug/boxlab" reset >/dev/null 2>&1; rm -rf "$base"' EXIT
passed=0 failed=0

screen() { tmux capture-pane -p -t "$session"; }
# expect TEXT DESCRIPTION: waits up to 10 s for TEXT on the screen.
expect() {
    for _ in $(seq 100); do
        if screen | grep -qF -- "$1"; then passed=$((passed + 1)); return; fi
        sleep 0.1
    done
    failed=$((failed + 1))
    echo "FAIL: $2: '$1' not on screen:" >&2
    screen | tail -15 >&2
}
# expect_prompt DESCRIPTION: waits up to 10 s until the screen's last line is a bare prompt
# ("02-overlayfs 2/8>"), that is until readline has the terminal again: a key sent while a
# command still prints arrives in the line discipline's canonical mode, where Ctrl-D is no
# character and is lost.
expect_prompt() {
    for _ in $(seq 100); do
        if screen | sed '/^[[:space:]]*$/d' | tail -n 1 | grep -qE '^[0-9A-Za-z-]+ [0-9]+/[0-9]+>[[:space:]]*$'; then passed=$((passed + 1)); return; fi
        sleep 0.1
    done
    failed=$((failed + 1))
    echo "FAIL: $1: the prompt is not back:" >&2
    screen | tail -15 >&2
}
start() {
    tmux new-session -d -s "$session" -x 120 -y 50 \
        "env BOXLAB_RUN_DIR=$BOXLAB_RUN_DIR BOXLAB_STATE_DIR=$BOXLAB_STATE_DIR BOXLAB_LABS=$BOXLAB_LABS $repo/.build/debug/boxlab 02-overlayfs --restart; echo REPL-EXITED \$?; sleep 30"
}

start
expect "02-overlayfs 1/8>" "the prompt appears"
tmux send-keys -t "$session" Enter
expect "✓ merged is a directory" "Enter performs step 1 and checks it"
expect "02-overlayfs 2/8>" "the prompt moves to step 2"
tmux send-keys -t "$session" "cat lo" Tab
expect "02-overlayfs 2/8> cat lower/" "Tab completes a workspace directory"
tmux send-keys -t "$session" "in_b" Tab
expect "cat lower/in_both.txt" "Tab completes a file inside it"
tmux send-keys -t "$session" C-c
expect "cat lower/in_both.txt ^C" "Ctrl-C cancels the line"
tmux send-keys -t "$session" "hi" Tab Enter
expect "hint 1/2:" "Tab completes a REPL command"
tmux send-keys -t "$session" "cat lower/in_both.txt" Enter
expect "read(" "a typed command shows its system calls"
expect_prompt "the prompt comes back after the command"
tmux send-keys -t "$session" C-d
expect "REPL-EXITED 0" "Ctrl-D leaves cleanly"
if [ -e "$BOXLAB_RUN_DIR" ]; then failed=$((failed + 1)); echo "FAIL: $BOXLAB_RUN_DIR is left after the REPL ended" >&2; else passed=$((passed + 1)); fi
tmux kill-session -t "$session"

start
expect "02-overlayfs 1/8>" "the REPL starts again"
tmux send-keys -t "$session" Up
expect "02-overlayfs 1/8> cat lower/in_both.txt" "history survives a restart"
tmux send-keys -t "$session" C-u C-d
expect "REPL-EXITED 0" "Ctrl-D leaves again"
tmux kill-session -t "$session"

# Ctrl-C while a step runs: the program in the sh block gets it (it is in the terminal's
# foreground group), the step stops with what happened, and the REPL goes on.
mkdir -p "$base/labs"
cp "$repo"/labs/*.md "$base/labs/"
cat >"$base/labs/90-slow.md" <<'LAB'
---
id: 90-slow
title: A slow lab
---
## Step 1: Mount, then wait
```run
mkdir lower upper work merged
mount -t overlay overlay -o lowerdir=lower,upperdir=upper,workdir=work merged
```
```sh
sleep 60
```
```expect
mount merged fstype=overlay
```
LAB
BOXLAB_LABS=$base/labs
start_lab() {
    tmux new-session -d -s "$session" -x 120 -y 50 \
        "env BOXLAB_RUN_DIR=$BOXLAB_RUN_DIR BOXLAB_STATE_DIR=$BOXLAB_STATE_DIR BOXLAB_LABS=$BOXLAB_LABS $repo/.build/debug/boxlab $1 --restart; echo REPL-EXITED \$?; sleep 30"
}
start_lab 90-slow
expect "90-slow 1/1>" "the slow lab opens"
tmux send-keys -t "$session" Enter
expect "| sleep 60" "the step reaches its sh block"
sleep 0.5
tmux send-keys -t "$session" C-c
expect "sh block ended with killed by SIGINT" "Ctrl-C stops the running step and says how"
tmux send-keys -t "$session" "status" Enter
expect "lab 90-slow, step 1 of 1" "the REPL goes on after the interrupted step"
expect_prompt "the prompt comes back after status"
tmux send-keys -t "$session" C-d
expect "REPL-EXITED 0" "Ctrl-D leaves after an interrupted step"
if [ -e "$BOXLAB_RUN_DIR" ]; then failed=$((failed + 1)); echo "FAIL: $BOXLAB_RUN_DIR is left after the interrupted session" >&2; else passed=$((passed + 1)); fi

echo "repl-under-tmux: $passed passed, $failed failed"
[ "$failed" = 0 ]
