#define _GNU_SOURCE
#include "bpf.h"

#include <linux/bpf.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

int boxlab_bpf_prog_load(uint32_t type, const void *instructions, uint32_t count, const char *license,
                         const char *name, char *log, uint32_t log_size) {
    union bpf_attr attr;
    memset(&attr, 0, sizeof attr);
    attr.prog_type = type;
    attr.insns = (uint64_t)(uintptr_t)instructions;
    attr.insn_cnt = count;
    attr.license = (uint64_t)(uintptr_t)license;
    if (log && log_size > 0) {
        log[0] = 0;
        attr.log_buf = (uint64_t)(uintptr_t)log;
        attr.log_size = log_size;
        attr.log_level = 1;
    }
    strncpy(attr.prog_name, name, sizeof attr.prog_name - 1);
    return (int)syscall(SYS_bpf, BPF_PROG_LOAD, &attr, sizeof attr);
}

int boxlab_bpf_prog_attach(int target, int program, uint32_t attach_type, uint32_t flags) {
    union bpf_attr attr;
    memset(&attr, 0, sizeof attr);
    attr.target_fd = (uint32_t)target;
    attr.attach_bpf_fd = (uint32_t)program;
    attr.attach_type = attach_type;
    attr.attach_flags = flags;
    return (int)syscall(SYS_bpf, BPF_PROG_ATTACH, &attr, sizeof attr);
}

const unsigned int boxlab_bpf_attr_size = sizeof(union bpf_attr);
