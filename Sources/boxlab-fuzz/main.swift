import FoundationEssentials
import Glibc
import Kernel
import LabFuzz

/// `boxlab-fuzz generate --seed N --count M DIR`: writes M random lab files into DIR for the
/// VM tier to run with `boxlab run`. It only writes them: performing random commands is for
/// the throwaway VM, never the machine that generates them.
let usage = "usage: boxlab-fuzz generate --seed N --count M DIR"

func fail(_ message: String) -> Never {
    StandardStream.error.write("boxlab-fuzz: \(message)\n\(usage)\n")
    exit(2)
}

var arguments = CommandLine.arguments.dropFirst()
guard arguments.popFirst() == "generate" else { fail("the one subcommand is generate") }
var seed: UInt64?, count: Int?, directory: String?
while let argument = arguments.popFirst() {
    switch argument {
    case "--seed":
        guard let value = arguments.popFirst().flatMap({ UInt64($0) }) else { fail("--seed takes a whole number") }
        seed = value
    case "--count":
        guard let value = arguments.popFirst().flatMap({ Int($0) }), (1...100_000).contains(value) else { fail("--count takes a number from 1 to 100000") }
        count = value
    default:
        guard directory == nil, !argument.hasPrefix("-") else { fail("unexpected '\(argument)'") }
        directory = argument
    }
}
guard let seed, let count, let directory else { fail("--seed, --count and DIR are all needed") }
do {
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
} catch {
    fail("cannot create \(directory): \(error)")
}
var fuzzer = LabFuzzer(seed: seed)
let width = String(count - 1).count
for index in 0..<count {
    let number = String(index)
    let id = String(repeating: "0", count: width - number.count) + number + "-fuzz-\(seed)"
    let path = directory + "/" + id + ".md"
    guard FileManager.default.createFile(atPath: path, contents: Data(fuzzer.labFile(id: id))) else { fail("cannot write \(path)") }
}
print("wrote \(count) lab files to \(directory) (seed \(seed))")
