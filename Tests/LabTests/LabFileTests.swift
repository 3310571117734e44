import Foundation
import Lab
import Testing

private let file = "labs/01-basics.md"

/// Four lines, so the first line of a body appended to it is line 5.
private let header = """
---
id: 01-basics
title: Basics
---

"""

/// Five lines, the last one blank.
private let step1 = """
## Step 1: Go
```run
mkdir x
```


"""

private func failure(_ text: String, file: String = file) -> LabFileError? {
    do {
        _ = try LabParser.parse(text, file: file)
        return nil
    } catch {
        return error
    }
}

@Suite("Lab files")
struct LabFileTests {
    // MARK: A realistic lab

    static let overlayLab = #"""
    ---
    id: 02-overlayfs
    title: "OverlayFS: the union filesystem behind images"
    summary: Build an overlay mount by hand and watch copy-up happen.
    requires: [root, overlay]
    minutes: 20
    ---
    # OverlayFS

    Container images are stacks of read-only layers. The kernel joins them
    with **overlayfs**. On your own machine you would type:

    ```console
    # mount -t overlay overlay -o lowerdir=lower,upperdir=upper,workdir=work merged

    # ls merged
    ```



    Examples like the one above are `console` blocks: BoxLab never runs them.

    ## Step 1: Make the layers

    Overlayfs needs a read-only lower layer and a writable upper one.

    ```run
    # The lower layer is what an image ships.
    mkdir -p lower upper work merged

    echo "I'm from lower" > lower/in_both.txt
    echo "I'm from upper" > upper/in_both.txt
    ```

    ```expect
    dir lower
      dir upper
    ```

    ```hint

    `mkdir -p` creates several directories at once.

    ```

    ## Step 2: Mount the union

    ~~~~text
    ```run
    this is an example of a block, not a block
    ```
    ~~~~

    The kernel presents lower and upper as one tree at merged.

    ```run
    mount -t overlay overlay \
        -o lowerdir=lower,upperdir=upper,workdir=work \
        merged
    ```

    ```sh
    findmnt merged
    cat /proc/self/mountinfo
    ```

    ```expect
    mount merged fstype=overlay lowerdir=lower upperdir=upper
    file merged/in_both.txt == "I'm from upper"
    ```

    ```note
    Ask who wins when both layers have the file.
    ```

    ```hint
    Three directories go into the options.
    ```

    ```hint
    lowerdir, upperdir, workdir.
    ```

    ## Cleanup

    Nothing to clean: the sandbox goes away with the session.
    """#

    private func line(_ text: String, _ number: Int) -> SourceLine {
        SourceLine(text: text, location: SourceLocation(file: "labs/02-overlayfs.md", line: number))
    }

    @Test func realisticLabFrontMatterAndIntroduction() throws {
        let lab = try LabParser.parse(Self.overlayLab, file: "labs/02-overlayfs.md")
        #expect(lab.id == "02-overlayfs")
        #expect(lab.title == "OverlayFS: the union filesystem behind images")
        #expect(lab.summary == "Build an overlay mount by hand and watch copy-up happen.")
        #expect(lab.requires == ["root", "overlay"])
        #expect(lab.minutes == 20)
        #expect(lab.file == "labs/02-overlayfs.md")
        #expect(lab.steps.map(\.number) == [1, 2])
        #expect(lab.steps.map(\.title) == ["Make the layers", "Mount the union"])
        // The console example's `#` prompts are not headings, its blank line is kept
        // verbatim, and the three blank lines after it collapse to one.
        #expect(lab.introduction == """
            # OverlayFS

            Container images are stacks of read-only layers. The kernel joins them
            with **overlayfs**. On your own machine you would type:

            ```console
            # mount -t overlay overlay -o lowerdir=lower,upperdir=upper,workdir=work merged

            # ls merged
            ```

            Examples like the one above are `console` blocks: BoxLab never runs them.
            """)
    }

    @Test func realisticLabFirstStep() throws {
        let step = try LabParser.parse(Self.overlayLab, file: "labs/02-overlayfs.md").steps[0]
        #expect(step.location == SourceLocation(file: "labs/02-overlayfs.md", line: 23))
        #expect(step.prose == "Overlayfs needs a read-only lower layer and a writable upper one.")
        #expect(step.blocks.map(\.kind) == [.run, .expect, .hint])
        #expect(step.blocks.map(\.location.line) == [27, 35, 40])

        let run = step.actions[0]
        #expect(run.lines == [
            line("mkdir -p lower upper work merged", 29),
            line(#"echo "I'm from lower" > lower/in_both.txt"#, 31),
            line(#"echo "I'm from upper" > upper/in_both.txt"#, 32),
        ])
        #expect(run.text == """
            # The lower layer is what an image ships.
            mkdir -p lower upper work merged

            echo "I'm from lower" > lower/in_both.txt
            echo "I'm from upper" > upper/in_both.txt
            """)
        #expect(step.expectations == [line("dir lower", 36), line("dir upper", 37)])
        #expect(step.hints == ["`mkdir -p` creates several directories at once."])
        #expect(step.notes == [])
    }

    @Test func realisticLabSecondStep() throws {
        let step = try LabParser.parse(Self.overlayLab, file: "labs/02-overlayfs.md").steps[1]
        #expect(step.location.line == 46)
        // The ```run inside the ~~~~text example is an example; a later non-step
        // heading is part of the last step's text.
        #expect(step.prose == """
            ~~~~text
            ```run
            this is an example of a block, not a block
            ```
            ~~~~

            The kernel presents lower and upper as one tree at merged.

            ## Cleanup

            Nothing to clean: the sandbox goes away with the session.
            """)
        #expect(step.blocks.map(\.kind) == [.run, .sh, .expect, .note, .hint, .hint])
        #expect(step.actions.map(\.kind) == [.run, .sh])
        #expect(step.actions[0].lines == [
            line("mount -t overlay overlay -o lowerdir=lower,upperdir=upper,workdir=work merged", 57),
        ])
        #expect(step.actions[1].lines == [line("findmnt merged", 63), line("cat /proc/self/mountinfo", 64)])
        #expect(step.actions[1].text == "findmnt merged\ncat /proc/self/mountinfo")
        #expect(step.expectations == [
            line("mount merged fstype=overlay lowerdir=lower upperdir=upper", 68),
            line(#"file merged/in_both.txt == "I'm from upper""#, 69),
        ])
        #expect(step.notes == ["Ask who wins when both layers have the file."])
        #expect(step.hints == ["Three directories go into the options.", "lowerdir, upperdir, workdir."])
    }

    @Test func realisticLabCommandsAreShellWords() throws {
        let lab = try LabParser.parse(Self.overlayLab, file: "labs/02-overlayfs.md")
        for step in lab.steps {
            for block in step.actions where block.kind == .run {
                for command in block.lines {
                    #expect(throws: Never.self, "\(command.location)") { try ShellWords.parse(command.text) }
                }
            }
        }
    }

    // MARK: Front matter

    @Test func frontMatterValues() throws {
        let lab = try LabParser.parse("""
            ---

            id: 01-basics
            title: 'Basics: a start'
            summary: "One line."
            requires: root
            minutes: 5
            ---
            \(step1)
            """, file: file)
        #expect(lab.title == "Basics: a start")
        #expect(lab.summary == "One line.")
        #expect(lab.requires == ["root"])
        #expect(lab.minutes == 5)
        #expect(lab.introduction == "")
    }

    @Test func optionalKeysDefaultToEmpty() throws {
        let lab = try LabParser.parse(header + step1, file: file)
        #expect(lab.summary == "")
        #expect(lab.requires == [])
        #expect(lab.minutes == nil)
    }

    @Test("requires lists", arguments: [
        ("[]", []),
        ("[root]", ["root"]),
        ("[ root ,overlay,  'cgroups' ]", ["root", "overlay", "cgroups"]),
        ("cgroups", ["cgroups"]),
    ])
    func requiresLists(value: String, requires: [String]) throws {
        let text = "---\nid: 01-basics\ntitle: Basics\nrequires: \(value)\n---\n" + step1
        #expect(try LabParser.parse(text, file: file).requires == requires)
    }

    @Test func idIsCheckedOnlyAgainstAMarkdownFileName() throws {
        #expect(try LabParser.parse(header + step1, file: "/somewhere/else/01-basics.md").id == "01-basics")
        #expect(try LabParser.parse(header + step1, file: "<stdin>").id == "01-basics")
        #expect(try LabParser.parse(header + step1, file: "labs/01-basics.txt").id == "01-basics")
    }

    // MARK: Bodies

    @Test func runBlocksJoinContinuationsAndDropCommentsAndBlankLines() throws {
        let text = header + #"""
            ## Step 1: Go
            ```run
              mkdir a \
                  b\
            c

            # a comment that ends in a backslash \
            echo done \\
            echo "a \
              b" > f
            echo x \

            ls
            ```
            """#
        let lines = try LabParser.parse(text, file: file).steps[0].actions[0].lines
        #expect(lines == [
            SourceLine(text: "mkdir a bc", location: SourceLocation(file: file, line: 7)),
            SourceLine(text: #"echo done \\"#, location: SourceLocation(file: file, line: 12)),
            SourceLine(text: #"echo "a b" > f"#, location: SourceLocation(file: file, line: 13)),
            SourceLine(text: "echo x", location: SourceLocation(file: file, line: 15)),
            SourceLine(text: "ls", location: SourceLocation(file: file, line: 17)),
        ])
    }

    @Test func hintShAndNoteBlocksKeepTheirLines() throws {
        let text = header + """
            ## Step 1: Go
            ```sh
            # a comment the shell sees
            for i in 1 2; do
              echo $i
            done
            ```
            ```hint
            first line

            second line
            ```
            """
        let step = try LabParser.parse(text, file: file).steps[0]
        #expect(step.actions[0].lines.map(\.text) == ["# a comment the shell sees", "for i in 1 2; do", "  echo $i", "done"])
        #expect(step.actions[0].lines.map(\.location.line) == [7, 8, 9, 10])
        #expect(step.blocks[1].lines.map(\.text) == ["first line", "", "second line"])
        #expect(step.hints == ["first line\n\nsecond line"])
    }

    @Test func fencesFollowCommonMark() throws {
        let text = header + """
            ## Step 1: Go
            ````markdown
            ```run
            not a block
            ```
            ````
              ~~~run
              mkdir indented
                deeper
              ~~~~~
            ```expect
            dir x
            ```   
            Inline code such as ```run``` is not a fence.
            """
        let step = try LabParser.parse(text, file: file).steps[0]
        #expect(step.blocks.map(\.kind) == [.run, .expect])
        #expect(step.blocks[0].lines.map(\.text) == ["mkdir indented", "deeper"])
        #expect(step.blocks[0].text == "mkdir indented\n  deeper")
        #expect(step.prose == "````markdown\n```run\nnot a block\n```\n````\nInline code such as ```run``` is not a fence.")
    }

    @Test("examples in any other language stay lesson text", arguments: [
        "", "console", "text", "bash", "shell", "zsh", "csh", "ksh", "ash", "c", "h", "s", "go", "py", "js", "rs", "rb",
        "rust", "ruby", "ini", "dot", "node", "none", "nft", "json", "yaml", "toml", "diff", "sh-session", "console title",
    ])
    func otherLanguagesAreProse(language: String) throws {
        let text = header + step1 + "```\(language)\n$ run me\n```\n"
        let step = try LabParser.parse(text, file: file).steps[0]
        #expect(step.blocks.count == 1)
        #expect(step.prose == "```\(language)\n$ run me\n```")
    }

    @Test func headingsThatAreNotSteps() throws {
        let text = header + """
            ## Steps at a glance
            ## Step-by-step
            ## Stepping through
            ## Step 1: Go ##
            ```run
            ls
            ```
            """
        let lab = try LabParser.parse(text, file: file)
        #expect(lab.introduction == "## Steps at a glance\n## Step-by-step\n## Stepping through")
        #expect(lab.steps.map(\.title) == ["Go"])
    }

    @Test func stepTitleForms() throws {
        let text = header + """
              ## Step 1:Tight
            ```run
            ls
            ```
            ## Step   2 :   Spaced out   
            ```run
            ls
            ```
            ## Step 3: C# and F#
            ```run
            ls
            ```
            """
        #expect(try LabParser.parse(text, file: file).steps.map(\.title) == ["Tight", "Spaced out", "C# and F#"])
    }

    @Test func windowsLineEndingsNumberTheSame() throws {
        let unix = header + step1 + "Some prose.\n"
        let windows = unix.replacingOccurrences(of: "\n", with: "\r\n")
        #expect(try LabParser.parse(windows, file: file) == LabParser.parse(unix, file: file))
        #expect(failure("\u{FEFF}" + header + "## Step 1: Go\r\n```run\r\n```\r\n")?.description
            == "labs/01-basics.md:6: ```run block has no commands: add one or delete the block")
    }

    // MARK: Mistakes

    /// Each bad lab and the exact line the author sees.
    static let badLabs: [(String, String)] = [
        ("# Basics\n",
         "labs/01-basics.md:1: missing front matter: a lab file starts with a '---' line, then 'id:' and 'title:' lines, then another '---' line"),
        ("",
         "labs/01-basics.md:1: missing front matter: a lab file starts with a '---' line, then 'id:' and 'title:' lines, then another '---' line"),
        ("---\nid: 01-basics\ntitle: Basics\n# Basics\n",
         "labs/01-basics.md:1: unterminated front matter: add a '---' line after the last key"),
        ("---\nid: 01-basics\ntitle Basics\n---\n" + step1,
         "labs/01-basics.md:3: expected 'key: value' or the closing '---' in the front matter, found 'title Basics'"),
        ("---\nid:01-basics\ntitle: Basics\n---\n" + step1,
         "labs/01-basics.md:2: expected 'key: value' or the closing '---' in the front matter, found 'id:01-basics'"),
        ("---\nid: 01-basics\ntitle: Basics\nrequires: root\n  - overlay\n---\n" + step1,
         "labs/01-basics.md:5: lists are written on one line in the front matter: write 'requires: [root, overlay]'"),
        ("---\nid: 01-basics\ntitel: Basics\n---\n" + step1,
         "labs/01-basics.md:3: unknown front-matter key 'titel': did you mean 'title'?"),
        ("---\nid: 01-basics\ntitle: Basics\nminute: 5\n---\n" + step1,
         "labs/01-basics.md:4: unknown front-matter key 'minute': did you mean 'minutes'?"),
        ("---\nid: 01-basics\ntitle: Basics\nauthor: Ada\n---\n" + step1,
         "labs/01-basics.md:4: unknown front-matter key 'author': the keys are id, title, summary, requires, minutes"),
        ("---\nid: 01-basics\ntitle: Basics\ntitle: Basics again\n---\n" + step1,
         "labs/01-basics.md:4: duplicate front-matter key 'title': it is already set on line 3; keep one"),
        ("---\ntitle: Basics\n---\n" + step1,
         "labs/01-basics.md:3: missing 'id' in the front matter: add 'id: 01-basics' above this line"),
        ("---\nid: 01-basics\n---\n" + step1,
         "labs/01-basics.md:3: missing 'title' in the front matter: add 'title: …' above this line"),
        ("---\nid: 01-basics\ntitle: Basics\nsummary:\n---\n" + step1,
         "labs/01-basics.md:4: front-matter key 'summary' has no value: write 'summary: …' or remove the line"),
        ("---\nid: 01-basics\ntitle: Basics\nrequires:\n  - root\n---\n" + step1,
         "labs/01-basics.md:4: front-matter key 'requires' has no value: write 'requires: [root, overlay]' or remove the line"),
        ("---\nid: 01-basics\ntitle: Basics\nminutes: twenty\n---\n" + step1,
         "labs/01-basics.md:4: 'minutes' must be a positive whole number, found 'twenty'"),
        ("---\nid: 01-basics\ntitle: Basics\nminutes: 0\n---\n" + step1,
         "labs/01-basics.md:4: 'minutes' must be a positive whole number, found '0'"),
        ("---\nid: 01-basic\ntitle: Basics\n---\n" + step1,
         "labs/01-basics.md:2: id '01-basic' does not match the file name '01-basics.md': set 'id: 01-basics' or rename the file to '01-basic.md'"),
        ("---\nid: 01-basics\ntitle: Basics\nrequires: root overlay\n---\n" + step1,
         "labs/01-basics.md:4: 'requires' is one word or a list in brackets: write 'requires: [root, overlay]'"),
        ("---\nid: 01-basics\ntitle: Basics\nrequires: [root, overlay\n---\n" + step1,
         "labs/01-basics.md:4: the 'requires' list is not closed: end it with ']'"),
        ("---\nid: 01-basics\ntitle: Basics\nrequires: [root,, overlay]\n---\n" + step1,
         "labs/01-basics.md:4: the 'requires' list has an empty item: remove the extra comma"),
        ("---\nid: 01-basics\ntitle: Basics\nrequires: [root, warpdrive]\n---\n" + step1,
         "labs/01-basics.md:4: unknown requirement 'warpdrive': the requirements are root, overlay, cgroups"),
        ("---\nid: 01-basics\ntitle: Basics\nrequires: cgroup\n---\n" + step1,
         "labs/01-basics.md:4: unknown requirement 'cgroup': did you mean 'cgroups'? (the requirements are root, overlay, cgroups)"),
        ("---\nid: 01-basics\ntitle: Basics\nrequires: [root overlay]\n---\n" + step1,
         "labs/01-basics.md:4: 'requires' items are single words separated by commas, found 'root overlay'"),
        (header + "# Basics\n\nOnly an introduction.\n",
         "labs/01-basics.md:7: no steps: add a '## Step 1: Title' section with a ```run, ```sh or ```expect block"),
        (header + "## Step 1 Go\n```run\nls\n```\n",
         "labs/01-basics.md:5: a step heading must look like '## Step 1: Title', found '## Step 1 Go'"),
        (header + "### Step 1: Go\n",
         "labs/01-basics.md:5: a step heading must look like '## Step 1: Title', found '### Step 1: Go'"),
        (header + "# Step 1: Go\n",
         "labs/01-basics.md:5: a step heading must look like '## Step 1: Title', found '# Step 1: Go'"),
        (header + "##Step 1: Go\n",
         "labs/01-basics.md:5: a step heading must look like '## Step 1: Title', found '##Step 1: Go'"),
        (header + "## step 1: Go\n",
         "labs/01-basics.md:5: a step heading must look like '## Step 1: Title', found '## step 1: Go'"),
        (header + "## Step one: Go\n",
         "labs/01-basics.md:5: a step heading must look like '## Step 1: Title', found '## Step one: Go'"),
        (header + "## Step: Go\n",
         "labs/01-basics.md:5: a step heading must look like '## Step 1: Title', found '## Step: Go'"),
        (header + step1 + "## Step 2:\n",
         "labs/01-basics.md:10: step 2 has no title: write '## Step 2: Title'"),
        (header + step1 + "## Step 2: ##\n",
         "labs/01-basics.md:10: step 2 has no title: write '## Step 2: Title'"),
        (header + step1 + "## Step 3: Skipped one\n",
         "labs/01-basics.md:10: step 3 is out of order: expected step 2 here; write '## Step 2: Title'"),
        (header + "## Step 2: First\n",
         "labs/01-basics.md:5: step 2 is out of order: expected step 1 here; write '## Step 1: Title'"),
        (header + step1 + "## Step 1: Again\n",
         "labs/01-basics.md:10: step 1 is out of order: expected step 2 here; write '## Step 2: Title'"),
        (header + step1 + "```run\nls\n\n## Step 2: Next\n",
         "labs/01-basics.md:10: unterminated ```run block: close it with a ``` line"),
        (header + "~~~~console\n$ ls\n~~~\n" + step1,
         "labs/01-basics.md:5: unterminated ~~~~console block: close it with a ~~~~ line"),
        (header + step1 + "```\nexample\n",
         "labs/01-basics.md:10: unterminated ``` block: close it with a ``` line"),
        (header + "```run\nls\n```\n" + step1,
         "labs/01-basics.md:5: ```run block before the first step: put it under a '## Step 1: Title' heading, or use ```console for an example"),
        (header + "~~~expect\ndir x\n~~~\n" + step1,
         "labs/01-basics.md:5: ~~~expect block before the first step: put it under a '## Step 1: Title' heading, or use ~~~console for an example"),
        (header + step1 + "```rnu\nls\n```\n",
         "labs/01-basics.md:10: unknown block kind 'rnu': did you mean 'run'?"),
        (header + step1 + "```expcet\ndir x\n```\n",
         "labs/01-basics.md:10: unknown block kind 'expcet': did you mean 'expect'?"),
        (header + step1 + "```expected\ndir x\n```\n",
         "labs/01-basics.md:10: unknown block kind 'expected': did you mean 'expect'?"),
        (header + step1 + "```Run\nls\n```\n",
         "labs/01-basics.md:10: unknown block kind 'Run': did you mean 'run'?"),
        (header + step1 + "```hnit\nTry this.\n```\n",
         "labs/01-basics.md:10: unknown block kind 'hnit': did you mean 'hint'?"),
        (header + step1 + "```notes\nPause.\n```\n",
         "labs/01-basics.md:10: unknown block kind 'notes': did you mean 'note'?"),
        (header + step1 + "```shh\nls\n```\n",
         "labs/01-basics.md:10: unknown block kind 'shh': did you mean 'sh'?"),
        (header + "```rnu\nls\n```\n" + step1,
         "labs/01-basics.md:5: unknown block kind 'rnu': did you mean 'run'?"),
        (header + step1 + "```run as root\nls\n```\n",
         "labs/01-basics.md:10: unexpected 'as root' after ```run: the fence line of a run block is just ```run, or ```run cgroup-v1 or ```run cgroup-v2 or ```run sandbox or ```run host for one kind of machine or place"),
        (header + "## Step 1: Go\n```run\n```\n",
         "labs/01-basics.md:6: ```run block has no commands: add one or delete the block"),
        (header + "## Step 1: Go\n```run\n# only a comment\n\n```\n",
         "labs/01-basics.md:6: ```run block has no commands: add one or delete the block"),
        (header + step1 + "```expect\n\n```\n",
         "labs/01-basics.md:10: ```expect block has no expectations: add one or delete the block"),
        (header + step1 + "```hint\n   \n```\n",
         "labs/01-basics.md:10: ```hint block is empty: write the hint or delete the block"),
        (header + "## Step 1: Go\n~~~sh\n~~~\n",
         "labs/01-basics.md:6: ~~~sh block is empty: write the script or delete the block"),
        (header + step1 + "```note\n```\n",
         "labs/01-basics.md:10: ```note block is empty: write the note or delete the block"),
        (header + "## Step 1: Go\nOnly words.\n```hint\nThink.\n```\n" + "## Step 2: Next\n```run\nls\n```\n",
         "labs/01-basics.md:5: step 1 has nothing to do or check: add a ```run, ```sh or ```expect block"),
        (header + step1 + "## Step 2: Last\nNothing here.\n",
         "labs/01-basics.md:10: step 2 has nothing to do or check: add a ```run, ```sh or ```expect block"),
        (header + "## Step 1: Go\n```run\nmount -t tmpfs \\\n  tmpfs \\\n```\n",
         #"labs/01-basics.md:8: line continuation at the end of the ```run block: remove the trailing '\' or add the line it continues onto"#),
    ]

    @Test("a bad lab is reported as one FILE:LINE: message line", arguments: badLabs)
    func badLab(text: String, description: String) {
        let error = failure(text)
        #expect(error?.description == description)
        #expect(error?.description.contains("\n") == false)
    }

    @Test func errorLocationAndMessageAreSeparate() {
        let error = failure(header + "```rnu\nls\n```\n")
        #expect(error == LabFileError(location: SourceLocation(file: file, line: 5), message: "unknown block kind 'rnu': did you mean 'run'?"))
        #expect(error?.location.description == "labs/01-basics.md:5")
    }

    // MARK: Loading

    @Test func loadReadsAFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("labfile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("01-basics.md").path
        try (header + step1).write(toFile: path, atomically: true, encoding: .utf8)

        let lab = try LabParser.load(path: path)
        #expect(lab.file == path)
        #expect(lab.steps.first?.location == SourceLocation(file: path, line: 5))

        let misnamed = directory.appendingPathComponent("02-other.md").path
        try (header + step1).write(toFile: misnamed, atomically: true, encoding: .utf8)
        #expect(throws: LabFileError(location: SourceLocation(file: misnamed, line: 2), message: "id '01-basics' does not match the file name '02-other.md': set 'id: 02-other' or rename the file to '01-basics.md'")) {
            try LabParser.load(path: misnamed)
        }

        let binary = directory.appendingPathComponent("03-binary.md").path
        try Data([0xFF, 0xFE, 0x00, 0xC3]).write(to: URL(fileURLWithPath: binary))
        #expect(throws: LabFileError(location: SourceLocation(file: binary, line: 0), message: "cannot read: the file is not UTF-8 text")) {
            try LabParser.load(path: binary)
        }
    }

    @Test func unreadableFilesAreReportedWithoutALine() {
        #expect(throws: LabFileError(location: SourceLocation(file: "/nonexistent/01-x.md", line: 0), message: "cannot read: No such file or directory")) {
            try LabParser.load(path: "/nonexistent/01-x.md")
        }
        do {
            _ = try LabParser.load(path: "/tmp")
            Issue.record("a directory loaded as a lab")
        } catch {
            #expect(error.description == "/tmp: cannot read: Is a directory")
        }
    }

    /// Every lab shipped in labs/ must load, so a broken lesson fails the test suite
    /// rather than a learner's session.
    @Test func shippedLabsParse() throws {
        let labs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("labs")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: labs.path)) ?? []
        for name in names.sorted() where name.hasSuffix(".md") && name.first?.isNumber == true {
            #expect(throws: Never.self, "\(name)") { try LabParser.load(path: labs.appendingPathComponent(name).path) }
        }
    }
}
