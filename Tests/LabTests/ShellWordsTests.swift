import Lab
import Testing

@Suite("Shell words")
struct ShellWordsTests {
    private func failure(_ line: String) -> ShellWordsError? {
        do {
            _ = try ShellWords.parse(line)
            return nil
        } catch {
            return error
        }
    }

    @Test("splits on spaces and tabs", arguments: [
        ("mount -t overlay overlay -o lowerdir=lower,upperdir=upper,workdir=work merged",
         ["mount", "-t", "overlay", "overlay", "-o", "lowerdir=lower,upperdir=upper,workdir=work", "merged"]),
        ("  ls\t -l   dir  ", ["ls", "-l", "dir"]),
        ("", []),
        ("   ", []),
        ("ip link add veth0 type veth peer name veth1", ["ip", "link", "add", "veth0", "type", "veth", "peer", "name", "veth1"]),
    ])
    func splitting(line: String, words: [String]) throws {
        #expect(try ShellWords.parse(line) == CommandWords(words: words, redirections: []))
    }

    @Test("quotes, escapes and concatenation follow sh", arguments: [
        // Single quotes: everything literal, backslashes and dollars included.
        (#"echo 'a "b" \c $d'"#, ["echo", #"a "b" \c $d"#]),
        // Double quotes: a backslash escapes only " \ $ and backtick.
        (#"echo "a \" b \\ c \$ d \` e \x""#, ["echo", #"a " b \ c $ d ` e \x"#]),
        ("echo \"a\\\nb\"", ["echo", "ab"]),
        (#"echo "it's""#, ["echo", "it's"]),
        // Outside quotes: a backslash makes the next character literal.
        (#"echo a\ b \'c\' \"d\" \\"#, ["echo", "a b", "'c'", "\"d\"", "\\"]),
        ("echo a\\\nb", ["echo", "ab"]),
        (#"echo \* \| \; \& \> \$\(x\)"#, ["echo", "*", "|", ";", "&", ">", "$(x)"]),
        // Adjacent parts make one word.
        (#"echo a"b c"'d'\e"#, ["echo", "ab cde"]),
        (#"echo --opt="a b""#, ["echo", "--opt=a b"]),
        // An empty quoted string is a word of its own.
        (#"echo "" '' x"#, ["echo", "", "", "x"]),
        (#"echo ""x"#, ["echo", "x"]),
        // Globs and tildes are only characters once quoted.
        (#"echo '*' "?" '[a]' "~""#, ["echo", "*", "?", "[a]", "~"]),
        ("echo a~b x=~", ["echo", "a~b", "x=~"]),
        ("echo {} a=b !", ["echo", "{}", "a=b", "!"]),
        ("echo \"héllo wörld\" ünï", ["echo", "héllo wörld", "ünï"]),
    ])
    func quoting(line: String, words: [String]) throws {
        #expect(try ShellWords.parse(line).words == words)
    }

    @Test("a # at the start of a word starts a comment", arguments: [
        ("# only a comment", []),
        ("echo hi # a comment", ["echo", "hi"]),
        ("echo hi #a comment", ["echo", "hi"]),
        ("echo a#b", ["echo", "a#b"]),
        (##"echo "#x" '#y' \#z"##, ["echo", "#x", "#y", "#z"]),
        ("echo hi # it's | not ; parsed", ["echo", "hi"]),
    ])
    func comments(line: String, words: [String]) throws {
        #expect(try ShellWords.parse(line).words == words)
    }

    @Test("variables are kept for a later layer to expand", arguments: [
        ("echo $HOME ${USER}x", ["echo", "$HOME", "${USER}x"]),
        (#"echo "$A-${B}" '$C'"#, ["echo", "$A-${B}", "$C"]),
        ("echo $", ["echo", "$"]),
    ])
    func variables(line: String, words: [String]) throws {
        #expect(try ShellWords.parse(line).words == words)
    }

    @Test("redirections, spaced or attached", arguments: [
        (#"echo "I'm from upper" > upper/in_upper.txt"#, ["echo", "I'm from upper"], [Redirection(kind: .write, target: "upper/in_upper.txt")]),
        (#"printf 'a\nb\n' >> f"#, ["printf", #"a\nb\n"#], [Redirection(kind: .append, target: "f")]),
        ("echo hi>f", ["echo", "hi"], [Redirection(kind: .write, target: "f")]),
        ("echo hi>>f", ["echo", "hi"], [Redirection(kind: .append, target: "f")]),
        (">f echo hi", ["echo", "hi"], [Redirection(kind: .write, target: "f")]),
        ("echo hi 1>f", ["echo", "hi"], [Redirection(kind: .write, target: "f")]),
        ("echo hi 1>> f", ["echo", "hi"], [Redirection(kind: .append, target: "f")]),
        ("cat <in", ["cat"], [Redirection(kind: .input, target: "in")]),
        ("cat 0< in", ["cat"], [Redirection(kind: .input, target: "in")]),
        ("cat < in > out", ["cat"], [Redirection(kind: .input, target: "in"), Redirection(kind: .write, target: "out")]),
        (#"echo hi > "my file""#, ["echo", "hi"], [Redirection(kind: .write, target: "my file")]),
        ("echo 100M > memory.max", ["echo", "100M"], [Redirection(kind: .write, target: "memory.max")]),
        ("echo $$ > cgroup.procs", ["echo", "$$"], [Redirection(kind: .write, target: "cgroup.procs")]),
        ("echo x > $DIR/f", ["echo", "x"], [Redirection(kind: .write, target: "$DIR/f")]),
        // Only unquoted digits directly before the operator name a file descriptor.
        ("echo a1>f", ["echo", "a1"], [Redirection(kind: .write, target: "f")]),
        (#"echo "1">f"#, ["echo", "1"], [Redirection(kind: .write, target: "f")]),
        ("echo 2 > f", ["echo", "2"], [Redirection(kind: .write, target: "f")]),
        ("echo a>b>c", ["echo", "a"], [Redirection(kind: .write, target: "b"), Redirection(kind: .write, target: "c")]),
    ])
    func redirections(line: String, words: [String], redirections: [Redirection]) throws {
        #expect(try ShellWords.parse(line) == CommandWords(words: words, redirections: redirections))
    }

    @Test("what a shell would do and BoxLab does not is refused at its column", arguments: [
        ("ls | grep x", 4, "'|' is a pipe: BoxLab runs one command per line; use an sh block for shell features"),
        ("a || b", 3, "'||' runs a command only if the previous one failed: use an sh block for shell features"),
        ("mkdir a && cd a", 9, "'&&' runs a command only if the previous one succeeded: put each command on its own line, or use an sh block for shell features"),
        ("mkdir a; cd a", 8, "';' separates commands: put each command on its own line, or use an sh block for shell features"),
        ("sleep 10 & echo", 10, "'&' starts a program in the background only at the end of the line"),
        ("echo $(date)", 6, "'$(' is command substitution: use an sh block for shell features"),
        ("echo $((1 + 2))", 6, "'$(' is command substitution: use an sh block for shell features"),
        (#"echo "now: $(date)""#, 12, "'$(' is command substitution: use an sh block for shell features"),
        ("echo `date`", 6, "'`' is command substitution: use an sh block for shell features"),
        (#"echo "`date`""#, 7, "'`' is command substitution: use an sh block for shell features"),
        ("ls x 2>/dev/null", 6, "'2>' redirects file descriptor 2: BoxLab redirects only standard input and output; use an sh block for shell features"),
        ("ls x 2>&1", 6, "'2>' redirects file descriptor 2: BoxLab redirects only standard input and output; use an sh block for shell features"),
        ("cat 1<f", 5, "'1<' redirects file descriptor 1: BoxLab redirects only standard input and output; use an sh block for shell features"),
        ("ls x &>f", 6, "'&>' redirects standard output and error: use an sh block for shell features"),
        ("echo x >&2", 8, "'>&' duplicates a file descriptor: use an sh block for shell features"),
        ("cat <<EOF", 5, "'<<' is a here-document: use an sh block for shell features"),
        ("cat <>f", 5, "'<>' opens a file for reading and writing: use an sh block for shell features"),
        ("echo x >| f", 8, "'>|' overrides noclobber: write '>' instead"),
        ("(cd x)", 1, "'(' groups commands in a subshell: use an sh block for shell features"),
        ("ls *.txt", 4, "'*' is a file-name pattern a shell would expand: quote it to mean the character itself, or use an sh block for shell features"),
        ("ls file?", 8, "'?' is a file-name pattern a shell would expand: quote it to mean the character itself, or use an sh block for shell features"),
        ("cd ~/x", 4, "'~' is a home directory a shell would expand: write the path, or use an sh block for shell features"),
        ("echo a\nb", 7, "a newline separates commands: put each command on its own line"),
        ("echo 'abc", 6, "unterminated single quote: add the closing '"),
        (#"echo "abc"#, 6, "unterminated double quote: add the closing \""),
        (#"echo "a\"bc"#, 6, "unterminated double quote: add the closing \""),
        (#"echo abc\"#, 9, #"a backslash at the end of the line escapes nothing: remove it, or write '\\' for a backslash"#),
        ("echo hi >", 9, "'>' needs a file name after it"),
        ("echo hi >>  ", 9, "'>>' needs a file name after it"),
        ("echo hi > # a comment", 9, "'>' needs a file name after it"),
        ("echo hi > > f", 9, "'>' needs a file name after it"),
        (#"echo hi > """#, 9, "'>' needs a file name after it, not an empty string"),
        ("echo é | x", 8, "'|' is a pipe: BoxLab runs one command per line; use an sh block for shell features"),
    ])
    func refusals(line: String, column: Int, message: String) {
        #expect(failure(line) == ShellWordsError(column: column, message: message))
    }

    @Test func errorDescriptionNamesTheColumn() {
        #expect(failure("ls | wc")?.description == "column 4: '|' is a pipe: BoxLab runs one command per line; use an sh block for shell features")
    }

    @Test("$NAME, ${NAME} and $! expand outside single quotes; unset names are refused")
    func expansion() throws {
        let values: @Sendable (String) -> String? = { ["c1": "4242", "!": "77", "ws": "/tmp/a b"][$0] }
        #expect(try ShellWords.parse(#"nsenter -t $c1 -u hostname "box-${c1}" '$c1' $! \$c1 $ws"#, variables: values).words
                == ["nsenter", "-t", "4242", "-u", "hostname", "box-4242", "$c1", "77", "$c1", "/tmp/a b"])
        // Without variables (a lab file being loaded) the words stay as written.
        #expect(try ShellWords.parse("kill -9 $c1").words == ["kill", "-9", "$c1"])
        #expect(try ShellWords.parse("echo $ 5$").words == ["echo", "$", "5$"])
        do {
            _ = try ShellWords.parse("kill $c9", variables: values)
            Issue.record("an unset variable must be refused")
        } catch {
            #expect(error == ShellWordsError(column: 6, message: "$c9 is not set: set it with c9=VALUE (c9=$! names the last program started with '&')"))
        }
    }

    @Test("a & that ends the line starts the program in the background")
    func background() throws {
        #expect(try ShellWords.parse("unshare -n sleep 1000 &") == CommandWords(words: ["unshare", "-n", "sleep", "1000"], redirections: [], background: true))
        #expect(try ShellWords.parse("unshare -n sleep 1000 > log&  ") == CommandWords(words: ["unshare", "-n", "sleep", "1000"], redirections: [Redirection(kind: .write, target: "log")], background: true))
        #expect(try ShellWords.parse("echo '&'").background == false)
    }
}
