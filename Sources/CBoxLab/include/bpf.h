#pragma once
#include <stdint.h>

// bpf(2) for the two commands a container runtime needs, with union bpf_attr filled in C
// (its layout is the kernel header's). Errors come back as the call returns them: -1 and errno.

// BPF_PROG_LOAD: `count` 8-byte instructions of program type `type`; the verifier's log,
// when it refuses them, goes to `log` (NUL-terminated, `log_size` bytes at most).
int boxlab_bpf_prog_load(uint32_t type, const void *instructions, uint32_t count, const char *license,
                         const char *name, char *log, uint32_t log_size);

// BPF_PROG_ATTACH: the program `program` on `target` (a cgroup directory) for `attach_type`.
int boxlab_bpf_prog_attach(int target, int program, uint32_t attach_type, uint32_t flags);

// sizeof(union bpf_attr), bpf(2)'s third argument, for the trace.
extern const unsigned int boxlab_bpf_attr_size;
