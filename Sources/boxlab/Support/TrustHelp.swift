import ArgumentParser

extension ArgumentHelp {
    /// `--trust`, the same on every command that takes `--host`.
    static let trust = ArgumentHelp(
        "With --host: trust a lab that is not one of BoxLab's own (installed with it), so its sh blocks and programs, machine-wide sysctls and pids reach this machine as root.",
        discussion: "BoxLab's own labs are trusted by where they are installed: the checkout's labs/ and /usr/share/boxlab/labs, not BOXLAB_LABS elsewhere. In the sandbox --trust changes nothing."
    )
}
