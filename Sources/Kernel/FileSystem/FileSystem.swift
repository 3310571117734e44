/// Files, directories, links, device nodes and extended attributes, by path.
///
/// Each function makes the system calls the matching shell command makes, one funnel call
/// each, so that a trace of them reads like strace's.
public enum FileSystem {}
