#define _GNU_SOURCE
#include "sandbox.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <unistd.h>

static char sandbox_error[512];
static int sandbox_entered;

const char *boxlab_sandbox_error(void) { return sandbox_error[0] ? sandbox_error : NULL; }
int boxlab_sandbox_entered(void) { return sandbox_entered; }

static const int sandbox_flags = CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWUTS | CLONE_NEWIPC;
static const char *const kinds[] = {"net", "uts", "ipc", "mnt"}; // mnt last: setns(mnt) resets the root

static int fail(const char *call, const char *arg) {
    int saved = errno;
    snprintf(sandbox_error, sizeof sandbox_error, "%s(%s) failed: %s (%s)", call, arg, strerrorname_np(saved) ? strerrorname_np(saved) : "?", strerror(saved));
    return -1;
}

static int make_root_private(void) {
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0) return fail("mount", "NULL, \"/\", NULL, MS_REC|MS_PRIVATE, NULL");
    return 0;
}

static int enter_new(void) {
    if (unshare(sandbox_flags) != 0) return fail("unshare", "CLONE_NEWNS|CLONE_NEWNET|CLONE_NEWUTS|CLONE_NEWIPC");
    return make_root_private();
}

static int bind_namespace(const char *source, const char *dir, const char *kind) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, kind);
    return mount(source, path, NULL, MS_BIND, NULL);
}

// Persisting a mount namespace means bind-mounting its nsfs file in a namespace that
// outlives it: the host's. A single-threaded process may setns back and forth, so the
// binding needs no helper process (util-linux's unshare forks one instead).
//
// The kernel binds a mount namespace only into an older one, and on Linux 6.18 "older"
// compares namespace ids handed out from per-CPU batches: when this sandbox is nested in
// another one (the test suite), a namespace made on one CPU can get a smaller id than its
// parent and be refused with EINVAL. Making it again on each CPU in turn finds one whose
// batch is past the parent's.
static int persist(const char *dir) {
    int host_mnt = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);
    if (host_mnt < 0) return fail("open", "\"/proc/self/ns/mnt\"");
    int result = 0;
    cpu_set_t original;
    int pinned = 0;
    if (unshare(CLONE_NEWNET | CLONE_NEWUTS | CLONE_NEWIPC) != 0) { result = fail("unshare", "CLONE_NEWNET|CLONE_NEWUTS|CLONE_NEWIPC"); goto out; }
    for (size_t i = 0; i < 3; i++) {
        char source[64];
        snprintf(source, sizeof source, "/proc/self/ns/%s", kinds[i]);
        if (bind_namespace(source, dir, kinds[i]) != 0) { result = fail("mount", kinds[i]); goto out; }
    }
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    if (sched_getaffinity(0, sizeof original, &original) == 0) pinned = 1;
    for (long attempt = -1; attempt < cpus; attempt++) {
        if (attempt >= 0) {
            if (!pinned) break;
            cpu_set_t one;
            CPU_ZERO(&one);
            CPU_SET((int)attempt, &one);
            if (sched_setaffinity(0, sizeof one, &one) != 0) continue;
        }
        if (unshare(CLONE_NEWNS) != 0) { result = fail("unshare", "CLONE_NEWNS"); break; }
        if (make_root_private() != 0) { result = -1; break; }
        int own_mnt = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);
        if (own_mnt < 0) { result = fail("open", "\"/proc/self/ns/mnt\""); break; }
        char source[64];
        snprintf(source, sizeof source, "/proc/self/fd/%d", own_mnt);
        if (setns(host_mnt, CLONE_NEWNS) != 0) { result = fail("setns", "host mnt, CLONE_NEWNS"); close(own_mnt); break; }
        int bound = bind_namespace(source, dir, "mnt");
        int saved = errno;
        if (bound == 0 && setns(own_mnt, CLONE_NEWNS) != 0) { result = fail("setns", "sandbox mnt, CLONE_NEWNS"); close(own_mnt); break; }
        close(own_mnt);
        if (bound == 0) { result = 0; sandbox_error[0] = 0; break; }
        errno = saved;
        result = fail("mount", "sandbox mnt namespace");
        if (saved != EINVAL) break;
    }
    if (pinned) sched_setaffinity(0, sizeof original, &original);
out:
    close(host_mnt);
    return result;
}

static int join(const char *dir) {
    char path[4096];
    int fds[4];
    for (size_t i = 0; i < 4; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, kinds[i]);
        fds[i] = open(path, O_RDONLY | O_CLOEXEC);
        if (fds[i] < 0) { int r = fail("open", path); while (i--) close(fds[i]); return r; }
    }
    int result = 0;
    static const int types[] = {CLONE_NEWNET, CLONE_NEWUTS, CLONE_NEWIPC, CLONE_NEWNS};
    for (size_t i = 0; i < 4 && result == 0; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, kinds[i]);
        if (setns(fds[i], types[i]) != 0) result = fail("setns", path);
    }
    for (size_t i = 0; i < 4; i++) close(fds[i]);
    return result;
}

__attribute__((constructor)) static void boxlab_sandbox_enter(void) {
    const char *request = getenv("BOXLAB_SANDBOX");
    if (!request) return;
    char value[4096];
    snprintf(value, sizeof value, "%s", request);
    unsetenv("BOXLAB_SANDBOX");
    char cwd[4096];
    int have_cwd = getcwd(cwd, sizeof cwd) != NULL;
    int result;
    if (strcmp(value, "private") == 0) result = enter_new();
    else if (strncmp(value, "create:", 7) == 0) result = persist(value + 7);
    else if (strncmp(value, "join:", 5) == 0) result = join(value + 5);
    else { snprintf(sandbox_error, sizeof sandbox_error, "BOXLAB_SANDBOX=%s: expected private, create:DIR or join:DIR", value); return; }
    if (result != 0) return;
    // setns(CLONE_NEWNS) moved the root and cwd to the namespace's root; go back to where we were.
    if (have_cwd && chdir(cwd) != 0 && chdir("/") != 0) { fail("chdir", cwd); return; }
    sandbox_entered = 1;
}

int boxlab_end_with_parent(pid_t parent) {
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) return -1;
    // The parent may have died before the call: then nobody would send the signal.
    return getppid() == parent ? 0 : -1;
}
