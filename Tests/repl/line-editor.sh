#!/bin/sh
# Drives LineEditor as a person would, under tmux, and through a pipe.
# Builds a throwaway package in a temp dir from copies of LineEditor.swift,
# interrupt.[ch] and the CReadline module, so it works while other targets don't.
# Usage: Tests/repl/line-editor.sh   (needs tmux; exits non-zero on failure)
set -eu
repo=$(cd "$(dirname "$0")/../.." && pwd)
dir=$(mktemp -d /tmp/line-editor-test.XXXXXX)
session=line-editor-test-$$
trap 'tmux kill-session -t "$session" 2>/dev/null || true; rm -rf "$dir" "/tmp/$(echo "$dir" | tr / _)"_*' EXIT

mkdir -p "$dir/Sources/CReadline" "$dir/Sources/CBoxLab/include" "$dir/Sources/t"
cp "$repo"/Sources/CReadline/* "$dir/Sources/CReadline/"
cp "$repo/Sources/CBoxLab/interrupt.c" "$dir/Sources/CBoxLab/"
cp "$repo/Sources/CBoxLab/include/interrupt.h" "$dir/Sources/CBoxLab/include/"
echo '#include "interrupt.h"' >"$dir/Sources/CBoxLab/include/CBoxLab.h"
cp "$repo/Sources/boxlab/REPL/LineEditor.swift" "$dir/Sources/t/"
cat >"$dir/Package.swift" <<'EOF'
// swift-tools-version:6.0
import PackageDescription
let package = Package(name: "t", targets: [
    .target(name: "CBoxLab"),
    .systemLibrary(name: "CReadline", pkgConfig: nil),
    .executableTarget(name: "t", dependencies: ["CBoxLab", "CReadline"]),
], swiftLanguageModes: [.v6])
EOF
cat >"$dir/Sources/t/main.swift" <<'EOF'
let words = ["apple", "apricot", "banana", "bin/", "boot/"]
let args = CommandLine.arguments
let editor = LineEditor(historyFile: args.count > 1 ? args[1] : nil) { request in
    words.filter { $0.hasPrefix(request.word) }
}
loop: while true {
    switch editor.read(prompt: "box> ") {
    case .line(let line): print("got [\(line)]"); editor.remember(line)
    case .interrupted: print("got interrupted")
    case .endOfInput: print("got EOF"); break loop
    }
}
EOF
(cd "$dir" && swift build -Xswiftc -warnings-as-errors >"$dir/build.log" 2>&1) || { cat "$dir/build.log"; exit 1; }
program="$dir/.build/debug/t"
history="$dir/state/history"

fail=0
expect() {  # expect WHAT TEXT: TEXT must be a line of the screen/output
    if printf '%s\n' "$2" | grep -qxF -- "$1"; then echo "ok   $1"
    else echo "FAIL expected line: $1"; printf '%s\n' "$2" | sed 's/^/     | /'; fail=1; fi
}
keys() { tmux send-keys -t "$session" "$@"; sleep 0.3; }
screen() { tmux capture-pane -p -t "$session" | sed 's/ *$//'; }
start() {
    tmux new-session -d -s "$session" -x 100 -y 30 "$program $history; echo exit \$?; sleep 60"
    sleep 0.5
}

start
keys 'hello world' Enter
keys 'ban' Tab; keys Enter              # unique candidate: completed, space appended
keys 'b' Tab; keys Tab                  # several: listed
keys 'o' Tab; keys Enter                # directory: no space appended
keys 'half typed' Left Left; keys C-c   # Ctrl-C mid-line
keys C-d
s=$(screen)
expect 'box> hello world' "$s"
expect 'got [hello world]' "$s"
expect 'got [banana ]' "$s"
expect 'banana  bin/    boot/' "$s"
expect 'got [boot/]' "$s"
expect 'box> half typed^C' "$s"
expect 'got interrupted' "$s"
expect 'got EOF' "$s"
expect 'exit 0' "$s"
tmux kill-session -t "$session"

start                                   # history survives a restart
keys Up; keys Up; keys Enter; keys C-d
expect 'got [banana ]' "$(screen)"
tmux kill-session -t "$session"
expect 'boot/' "$(cat "$history")"

out=$(printf 'a\nb' | "$program")       # pipe: prompt printed, input not echoed
expect 'box> got [a]' "$out"
expect 'box> got [b]' "$out"
expect 'box> got EOF' "$out"

exit $fail
