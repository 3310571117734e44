#define _GNU_SOURCE
#include "sandbox.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <poll.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef OPEN_TREE_CLONE
#define OPEN_TREE_CLONE 1
#endif
#ifndef MOVE_MOUNT_F_EMPTY_PATH
#define MOVE_MOUNT_F_EMPTY_PATH 0x00000004
#endif
#ifndef MOUNT_ATTR_RDONLY
#define MOUNT_ATTR_RDONLY 0x00000001
#define MOUNT_ATTR_NOSUID 0x00000002
#define MOUNT_ATTR_NODEV 0x00000004
#define MOUNT_ATTR_IDMAP 0x00100000
#endif

struct boxlab_mount_attr {
    uint64_t attr_set;
    uint64_t attr_clr;
    uint64_t propagation;
    uint64_t userns_fd;
};

static char sandbox_error[512];
static int sandbox_entered;

const char *boxlab_sandbox_error(void) { return sandbox_error[0] ? sandbox_error : NULL; }
int boxlab_sandbox_entered(void) { return sandbox_entered; }

static int fail(const char *call, const char *arg) {
    int saved = errno;
    snprintf(sandbox_error, sizeof sandbox_error, "%s(%s) failed: %s (%s)", call, arg, strerrorname_np(saved) ? strerrorname_np(saved) : "?", strerror(saved));
    errno = saved;
    return -1;
}

static int make_root_private(void) {
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0) return fail("mount", "NULL, \"/\", NULL, MS_REC|MS_PRIVATE, NULL");
    return 0;
}

static int open_tree_clone(const char *path, unsigned flags) {
    return (int)syscall(SYS_open_tree, AT_FDCWD, path, OPEN_TREE_CLONE | O_CLOEXEC | flags);
}

static int move_mount_to(int fd, const char *target) {
    return (int)syscall(SYS_move_mount, fd, "", AT_FDCWD, target, MOVE_MOUNT_F_EMPTY_PATH);
}

static int mount_setattr_at(int dirfd, const char *path, unsigned flags, struct boxlab_mount_attr *attr) {
    return (int)syscall(SYS_mount_setattr, dirfd, path, flags, attr, sizeof *attr);
}

/// mkdir -p, each missing directory with `mode`.
static int make_directories(const char *path, mode_t mode) {
    char built[4096];
    size_t length = strlen(path);
    if (length >= sizeof built) { errno = ENAMETOOLONG; return -1; }
    memcpy(built, path, length + 1);
    for (size_t i = 1; i <= length; i++) {
        if (built[i] != '/' && built[i] != 0) continue;
        char saved = built[i];
        built[i] = 0;
        if (mkdir(built, mode) != 0 && errno != EEXIST) return -1;
        built[i] = saved;
    }
    return 0;
}

/// Splits a ':'-separated list in place; returns how many entries fit in `entries`.
static size_t split_list(char *list, char **entries, size_t capacity) {
    size_t count = 0;
    for (char *next = list; next && *next && count < capacity;) {
        char *colon = strchr(next, ':');
        if (colon) *colon = 0;
        if (*next) entries[count++] = next;
        next = colon ? colon + 1 : NULL;
    }
    return count;
}

// ---------------------------------------------------------------------------------------
// The trusted flavour: new mount, network, UTS and IPC namespaces with the host's root.

static const int trusted_flags = CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWUTS | CLONE_NEWIPC;

static int enter_trusted(void) {
    if (unshare(trusted_flags) != 0) return fail("unshare", "CLONE_NEWNS|CLONE_NEWNET|CLONE_NEWUTS|CLONE_NEWIPC");
    return make_root_private();
}

/// One attempt at making a namespace "on each CPU in turn" (see persist_trusted): attempt
/// -1 runs wherever the process is, then attempt N pinned to CPU N. Returns 0 to make the
/// attempt, 1 to skip it (that CPU is not ours), -1 when there is nothing left to try.
static int pin_attempt(long attempt, int pinned) {
    if (attempt < 0) return 0;
    if (!pinned) return -1;
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET((int)attempt, &one);
    return sched_setaffinity(0, sizeof one, &one) == 0 ? 0 : 1;
}

static const char *const trusted_kinds[] = {"net", "uts", "ipc", "mnt"}; // mnt last: setns(mnt) resets the root
static const int trusted_types[] = {CLONE_NEWNET, CLONE_NEWUTS, CLONE_NEWIPC, CLONE_NEWNS};

static int bind_namespace(const char *source, const char *dir, const char *kind) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, kind);
    return mount(source, path, NULL, MS_BIND, NULL);
}

// A trusted session (where the kernel cannot hold the boundary) is persisted by
// bind-mounting its nsfs files in the host's mount namespace. A single-threaded process
// may setns back and forth, so the binding needs no helper process.
//
// The kernel binds a mount namespace only into an older one, and on Linux 6.18 "older"
// compares namespace ids handed out from per-CPU batches: when this sandbox is nested in
// another one (the test suite), a namespace made on one CPU can get a smaller id than its
// parent and be refused with EINVAL. Making it again on each CPU in turn finds one whose
// batch is past the parent's.
static int persist_trusted(const char *dir) {
    int host_mnt = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);
    if (host_mnt < 0) return fail("open", "\"/proc/self/ns/mnt\"");
    int result = 0;
    cpu_set_t original;
    int pinned = 0;
    if (unshare(CLONE_NEWNET | CLONE_NEWUTS | CLONE_NEWIPC) != 0) { result = fail("unshare", "CLONE_NEWNET|CLONE_NEWUTS|CLONE_NEWIPC"); goto out; }
    for (size_t i = 0; i < 3; i++) {
        char source[64];
        snprintf(source, sizeof source, "/proc/self/ns/%s", trusted_kinds[i]);
        if (bind_namespace(source, dir, trusted_kinds[i]) != 0) { result = fail("mount", trusted_kinds[i]); goto out; }
    }
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    if (sched_getaffinity(0, sizeof original, &original) == 0) pinned = 1;
    for (long attempt = -1; attempt < cpus; attempt++) {
        int pin = pin_attempt(attempt, pinned);
        if (pin < 0) break;
        if (pin > 0) continue;
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

static int join_trusted(const char *dir) {
    char path[4096];
    int fds[4];
    for (size_t i = 0; i < 4; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, trusted_kinds[i]);
        fds[i] = open(path, O_RDONLY | O_CLOEXEC);
        if (fds[i] < 0) { int r = fail("open", path); while (i--) close(fds[i]); return r; }
    }
    int result = 0;
    for (size_t i = 0; i < 4 && result == 0; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, trusted_kinds[i]);
        if (setns(fds[i], trusted_types[i]) != 0) result = fail("setns", path);
    }
    for (size_t i = 0; i < 4; i++) close(fds[i]);
    return result;
}

// ---------------------------------------------------------------------------------------
// The boundary: a user namespace whose root is an unprivileged block of host ids, owning
// new mount, network, UTS, IPC and PID namespaces.

static const char *const kinds[] = {"user", "net", "uts", "ipc", "cgroup", "pid", "mnt"}; // user first, mnt last
static const int kind_types[] = {CLONE_NEWUSER, CLONE_NEWNET, CLONE_NEWUTS, CLONE_NEWIPC, CLONE_NEWCGROUP, CLONE_NEWPID, CLONE_NEWNS};
enum { kind_count = 7 };

struct view_request {
    char *keep[8];        // writable host directories, idmapped to the sandbox's root
    char *keep_at[8];     // where each is attached: the same path, or SOURCE=TARGET's target
    size_t keep_count;
    char *cgroups[16];    // delegated cgroup directories (chowned by the supervisor)
    size_t cgroup_count;
    char *enter[16];      // the cgroups the sandbox's processes are in once its namespaces
    size_t enter_count;   // exist: those, or (v2) a leaf below
    char *show[8];        // host directories shown read-only even below /tmp, /run or /dev
    size_t show_count;
};

// Device nodes of the host the sandbox's /dev gets, bind-mounted: a root without
// CAP_MKNOD in the initial user namespace cannot make them.
static const char *const devices[] = {"null", "zero", "full", "random", "urandom", "tty"};
enum { device_count = 6 };

/// Moves process `pid` (0: the calling thread, the process's only one) into each of
/// `directories` that is not `already[i]` (where it is). Only the calling thread moving
/// itself through v1's `tasks` skips the kernel's global lock, whose writer waits for an
/// RCU grace period (8 ms measured): a pid, or a whole process through cgroup.procs, takes it.
static int join_cgroups(char *const *directories, size_t count, pid_t pid, char *const *already) {
    char number[16];
    snprintf(number, sizeof number, "%d", pid);
    for (size_t i = 0; i < count; i++) {
        if (already && strcmp(directories[i], already[i]) == 0) continue;
        char procs[4096];
        snprintf(procs, sizeof procs, "%s/tasks", directories[i]);
        int fd = open(procs, O_WRONLY | O_CLOEXEC);
        if (fd < 0 && errno == ENOENT) {
            snprintf(procs, sizeof procs, "%s/cgroup.procs", directories[i]);
            fd = open(procs, O_WRONLY | O_CLOEXEC);
        }
        if (fd < 0) return fail("open", procs);
        ssize_t written = write(fd, number, strlen(number));
        close(fd);
        if (written != (ssize_t)strlen(number)) return fail("write", procs);
    }
    return 0;
}

/// Phase 1, as host root in a first mount namespace of its own: the host made read-only
/// (and nosuid) recursively, then fresh writable places mounted over it. Because this
/// namespace is owned by the initial user namespace, the one the sandbox copies from it is
/// less privileged and the kernel locks these flags and mounts there (MNT_LOCK_READONLY,
/// MNT_LOCKED): root in the sandbox cannot remount them read-write or unmount them.
static int build_view(struct view_request *request, int *keep_fds) {
    if (unshare(CLONE_NEWNS) != 0) return fail("unshare", "CLONE_NEWNS");
    if (make_root_private() != 0) return -1;
    // Clones taken before the host turns read-only keep their own, writable flags.
    int device_fds[device_count];
    for (size_t i = 0; i < device_count; i++) {
        char path[64];
        snprintf(path, sizeof path, "/dev/%s", devices[i]);
        device_fds[i] = open_tree_clone(path, 0);
        if (device_fds[i] < 0) return fail("open_tree", path);
    }
    for (size_t i = 0; i < request->keep_count; i++) {
        keep_fds[i] = open_tree_clone(request->keep[i], 0);
        if (keep_fds[i] < 0) return fail("open_tree", request->keep[i]);
    }
    int cgroup_fds[16];
    for (size_t i = 0; i < request->cgroup_count; i++) {
        cgroup_fds[i] = open_tree_clone(request->cgroups[i], 0);
        if (cgroup_fds[i] < 0) return fail("open_tree", request->cgroups[i]);
    }
    // nodev too: no device node of the host's filesystems opens inside, only the six bound
    // above, whose clones keep their own flags.
    struct boxlab_mount_attr readonly = {.attr_set = MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV};
    if (mount_setattr_at(AT_FDCWD, "/", AT_RECURSIVE, &readonly) != 0) return fail("mount_setattr", "\"/\", AT_RECURSIVE, MOUNT_ATTR_RDONLY|MOUNT_ATTR_NOSUID|MOUNT_ATTR_NODEV");
    // A proc mounted in a user namespace must be no less restricted than one already
    // visible there: the host's /proc stays writable (its files check their own
    // permissions: machine-wide sysctls refuse a root that is not the host's), and the
    // sandbox's own proc covers it.
    struct boxlab_mount_attr writable = {.attr_clr = MOUNT_ATTR_RDONLY};
    if (mount_setattr_at(AT_FDCWD, "/proc", AT_RECURSIVE, &writable) != 0) return fail("mount_setattr", "\"/proc\", AT_RECURSIVE, clear MOUNT_ATTR_RDONLY");
    // Clones taken now are read-only like the rest of the view.
    int show_fds[8];
    for (size_t i = 0; i < request->show_count; i++) {
        show_fds[i] = open_tree_clone(request->show[i], AT_RECURSIVE);
        if (show_fds[i] < 0) return fail("open_tree", request->show[i]);
    }
    char owner[64];
    snprintf(owner, sizeof owner, "uid=%d,gid=%d", BOXLAB_SANDBOX_ROOT, BOXLAB_SANDBOX_ROOT);
    struct { const char *target; const char *mode; } places[] = {{"/tmp", "1777"}, {"/run", "0755"}, {"/dev", "0755"}};
    for (size_t i = 0; i < 3; i++) {
        char data[128];
        snprintf(data, sizeof data, "mode=%s,%s", places[i].mode, owner);
        unsigned long flags = MS_NOSUID | (strcmp(places[i].target, "/dev") == 0 ? MS_NOEXEC : MS_NODEV);
        if (mount("boxlab", places[i].target, "tmpfs", flags, data) != 0) return fail("mount tmpfs", places[i].target);
    }
    if (make_directories("/run/netns", 0755) != 0) return fail("mkdir", "/run/netns");
    if (chown("/run/netns", BOXLAB_SANDBOX_ROOT, BOXLAB_SANDBOX_ROOT) != 0) return fail("chown", "/run/netns");
    for (size_t i = 0; i < device_count; i++) {
        char path[64];
        snprintf(path, sizeof path, "/dev/%s", devices[i]);
        int made = open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0666);
        if (made < 0) return fail("create", path);
        close(made);
        if (move_mount_to(device_fds[i], path) != 0) return fail("move_mount", path);
        close(device_fds[i]);
    }
    static const char *const dirs[] = {"/dev/pts", "/dev/shm"};
    for (size_t i = 0; i < 2; i++)
        if (mkdir(dirs[i], 0755) != 0) return fail("mkdir", dirs[i]);
    if (mount("boxlab-shm", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777") != 0) return fail("mount tmpfs", "/dev/shm");
    static const char *const links[][2] = {{"pts/ptmx", "/dev/ptmx"}, {"/proc/self/fd", "/dev/fd"}, {"/proc/self/fd/0", "/dev/stdin"},
                                           {"/proc/self/fd/1", "/dev/stdout"}, {"/proc/self/fd/2", "/dev/stderr"}};
    for (size_t i = 0; i < 5; i++)
        if (symlink(links[i][0], links[i][1]) != 0) return fail("symlink", links[i][1]);
    for (size_t i = 0; i < request->cgroup_count; i++) {
        if (move_mount_to(cgroup_fds[i], request->cgroups[i]) != 0) return fail("move_mount", request->cgroups[i]);
        close(cgroup_fds[i]);
    }
    // The kept directories' mount points, where a fresh tmpfs covered them.
    for (size_t i = 0; i < request->keep_count; i++)
        if (make_directories(request->keep_at[i], 0755) != 0) return fail("mkdir", request->keep_at[i]);
    for (size_t i = 0; i < request->show_count; i++) {
        if (make_directories(request->show[i], 0755) != 0) return fail("mkdir", request->show[i]);
        if (move_mount_to(show_fds[i], request->show[i]) != 0) return fail("move_mount", request->show[i]);
        close(show_fds[i]);
    }
    return 0;
}

static int hand_over_entry(const char *path, const struct stat *status, int type, struct FTW *where) {
    (void)status; (void)type; (void)where;
    return lchown(path, BOXLAB_SANDBOX_ROOT, BOXLAB_SANDBOX_ROOT);
}

/// Where a kept directory's filesystem has no idmapped mounts (tmpfs before Linux 6.3, so
/// /run on Debian 12's kernel: mount_setattr says EINVAL), the directory is delegated
/// instead: its files are handed to the sandbox's root, as rootless Podman's storage is
/// owned by its mapped user. They are BoxLab's own files (the run and state directories).
/// The walk goes through the writable clone (`clone`, taken before the view turned
/// read-only), by its /proc/self/fd name; the trailing "/." resolves that magic link (nftw
/// drops a trailing slash, and with FTW_PHYS would stop at the link itself).
static int hand_over(int clone) {
    char directory[64];
    snprintf(directory, sizeof directory, "/proc/self/fd/%d/.", clone);
    return nftw(directory, hand_over_entry, 16, FTW_PHYS) == 0 ? 0 : -1;
}

/// uid_map and gid_map of a child in a new user namespace, written by this process (host
/// root: CAP_SETUID and CAP_SETGID in the parent namespace), as runc's and rootless Podman's
/// helpers write them from outside.
static int write_maps(pid_t child) {
    char path[64], map[64];
    snprintf(map, sizeof map, "0 %d %d\n", BOXLAB_SANDBOX_ROOT, BOXLAB_SANDBOX_IDS);
    static const char *const files[] = {"uid_map", "gid_map"};
    for (size_t i = 0; i < 2; i++) {
        snprintf(path, sizeof path, "/proc/%d/%s", child, files[i]);
        int fd = open(path, O_WRONLY | O_CLOEXEC);
        if (fd < 0) return fail("open", path);
        ssize_t written = write(fd, map, strlen(map));
        close(fd);
        if (written != (ssize_t)strlen(map)) return fail("write", path);
    }
    return 0;
}

/// A user namespace with the sandbox's maps, for idmapping the kept directories before the
/// sandbox's own namespaces are copied from the view (an idmapped mount takes a copy of the
/// maps, not the namespace). clone() makes it for a child that need never run; it shares
/// this process's memory (CLONE_VM: no page tables copied) and only waits for `*hold` to be
/// closed. Returns the namespace's descriptor, or -1.
static char maker_stack[16384] __attribute__((aligned(16)));
static int maker_pipe[2];

/// The child's whole life: raw reads and the exit, nothing of the C library's state, which
/// it shares with its parent.
static int hold_namespace(void *unused) {
    (void)unused;
    char byte;
    close(maker_pipe[1]);
    while (read(maker_pipe[0], &byte, 1) > 0) {}
    _exit(0);
}

static int make_user_namespace(int *hold) {
    if (pipe2(maker_pipe, O_CLOEXEC) != 0) return fail("pipe2", "");
    pid_t maker = clone(hold_namespace, maker_stack + sizeof maker_stack, CLONE_NEWUSER | CLONE_VM | SIGCHLD, NULL);
    close(maker_pipe[0]);
    if (maker < 0) { close(maker_pipe[1]); return fail("clone", "CLONE_NEWUSER|CLONE_VM"); }
    *hold = maker_pipe[1];
    if (write_maps(maker) != 0) return -1;
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/ns/user", maker);
    int userns = open(path, O_RDONLY | O_CLOEXEC);
    return userns >= 0 ? userns : fail("open", path);
}

/// The kept directories' clones, taken before the view turned read-only, attached where
/// they were and idmapped to the sandbox's ids: files host root owns there appear owned by
/// the sandbox's root, and what the sandbox writes lands as host uid 0.
static int attach_kept(struct view_request *request, int *keep_fds, int userns) {
    for (size_t i = 0; i < request->keep_count; i++) {
        struct boxlab_mount_attr idmap = {.attr_set = MOUNT_ATTR_IDMAP, .userns_fd = (uint64_t)userns};
        if (mount_setattr_at(keep_fds[i], "", AT_EMPTY_PATH, &idmap) != 0 && (errno != EINVAL || hand_over(keep_fds[i]) != 0)) return fail("mount_setattr MOUNT_ATTR_IDMAP", request->keep[i]);
        if (move_mount_to(keep_fds[i], request->keep_at[i]) != 0) return fail("move_mount", request->keep_at[i]);
        close(keep_fds[i]);
    }
    return 0;
}

/// Takes on the sandbox's root (uid and gid 0 inside, the host's BOXLAB_SANDBOX_ROOT) and
/// drops the host's supplementary groups, which would otherwise still open root-group files.
static int become_root(void) {
    if (setresgid(0, 0, 0) != 0) return fail("setresgid", "0, 0, 0");
    if (setgroups(0, NULL) != 0) return fail("setgroups", "0, NULL");
    if (setresuid(0, 0, 0) != 0) return fail("setresuid", "0, 0, 0");
    // Changing the effective uid made the process non-dumpable, and the /proc files of a
    // non-dumpable process (and of the children it forks, until they exec) belong to the
    // root of the user namespace its memory was made in: the host's. Then the sandbox's
    // root could not write a child's uid_map (`unshare --user --map-root-user`).
    if (prctl(PR_SET_DUMPABLE, 1) != 0) return fail("prctl", "PR_SET_DUMPABLE, 1");
    return 0;
}

/// The sandbox's own /proc, with runc's masked paths covered.
static int mount_proc(void) {
    if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) != 0) return fail("mount", "proc on /proc");
    static const char *const masked_files[] = {"/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list",
                                               "/proc/timer_stats", "/proc/sched_debug", "/proc/sysrq-trigger"};
    for (size_t i = 0; i < sizeof masked_files / sizeof *masked_files; i++) {
        if (access(masked_files[i], F_OK) != 0) continue;
        if (mount("/dev/null", masked_files[i], NULL, MS_BIND, NULL) != 0) return fail("mount --bind /dev/null", masked_files[i]);
    }
    static const char *const masked_dirs[] = {"/proc/acpi", "/proc/scsi"};
    for (size_t i = 0; i < 2; i++) {
        if (access(masked_dirs[i], F_OK) != 0) continue;
        if (mount("boxlab-masked", masked_dirs[i], "tmpfs", MS_RDONLY, NULL) != 0) return fail("mount tmpfs", masked_dirs[i]);
    }
    return 0;
}

static int mount_devpts(void) {
    if (mount("devpts", "/dev/pts", "devpts", MS_NOSUID | MS_NOEXEC, "newinstance,ptmxmode=0666,mode=0620") != 0) return fail("mount", "devpts on /dev/pts");
    return 0;
}

/// Ends this process as `status` (a wait status) ended its child.
static void mirror(int status) {
    if (WIFSIGNALED(status)) {
        signal(WTERMSIG(status), SIG_DFL);
        raise(WTERMSIG(status));
    }
    _exit(WIFEXITED(status) ? WEXITSTATUS(status) : 1);
}

/// True once `fd` (a pipe's read end whose writer is the parent) reports end of file.
static int parent_gone(int fd) {
    struct pollfd poller = {.fd = fd, .events = POLLIN};
    return poll(&poller, 1, 0) == 1;
}

/// The pid namespace's init: it starts once its parent has written its maps and takes on
/// the sandbox's root, then reaps what is orphaned inside (the worker's programs) until its
/// parent ends, which kills it, and the kernel then kills every process of the namespace.
static int init_main(void *pipe_ends) {
    int *start = pipe_ends;
    close(start[1]);
    char byte;
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || read(start[0], &byte, 1) != 1 || become_root() != 0) _exit(1);
    close(start[0]);
    sigset_t all, child;
    sigfillset(&all);
    sigprocmask(SIG_BLOCK, &all, NULL);
    sigemptyset(&child);
    sigaddset(&child, SIGCHLD);
    for (;;) {
        while (waitpid(-1, NULL, WNOHANG) > 0) {}
        sigwaitinfo(&child, NULL);
    }
}

/// The sandbox's own namespaces, made by one clone(): a new user namespace (its maps written
/// here at once, so nothing waits for the child to be scheduled, 1-2 ms on a busy machine)
/// owning new mount, network, UTS, IPC, cgroup and PID namespaces. The cgroup namespace's
/// root is the delegated group this process joined (build_view): inside, /proc/PID/cgroup
/// shows paths below it, and the delegated directory's mount its root. The mount namespace is copied
/// from the view, so the kernel locks the view's flags and mounts there (MNT_LOCK_*,
/// MNT_LOCKED). The child is the pid namespace's init. Returns its pid, or -1.
static pid_t clone_init(void) {
    static char stack[16384] __attribute__((aligned(16)));
    int start[2];
    if (pipe2(start, O_CLOEXEC) != 0) return fail("pipe2", "");
    // Until the init has taken on the sandbox's root it has host root's ids: not dumpable
    // (set in this process, copied to the child), the sandbox's processes cannot trace it.
    // become_root makes this process dumpable again.
    if (prctl(PR_SET_DUMPABLE, 0) != 0) { close(start[0]); close(start[1]); return fail("prctl", "PR_SET_DUMPABLE, 0"); }
    pid_t init = clone(init_main, stack + sizeof stack, CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWCGROUP | CLONE_NEWPID | SIGCHLD, start);
    close(start[0]);
    if (init < 0) { close(start[1]); return fail("clone", "CLONE_NEWUSER|CLONE_NEWNS|CLONE_NEWNET|CLONE_NEWUTS|CLONE_NEWIPC|CLONE_NEWCGROUP|CLONE_NEWPID"); }
    int started = write_maps(init) == 0 && (write(start[1], "", 1) == 1 || fail("write", "the init's start") == 0);
    close(start[1]);
    if (started) return init;
    kill(init, SIGKILL);
    waitpid(init, NULL, 0);
    return -1;
}

/// A session's namespace files (those of the init) bound at DIR/user, net, uts, ipc,
/// cgroup, pid and mnt, in the host's mount namespace (the one this process is in), where `boxlab
/// shell` and `boxlab check` find them. Returns 0 or the errno of the bind that failed.
static int bind_namespaces(const char *dir, pid_t init) {
    for (size_t i = 0; i < kind_count; i++) {
        char source[64], target[4096];
        snprintf(source, sizeof source, "/proc/%d/ns/%s", init, kinds[i]);
        snprintf(target, sizeof target, "%s/%s", dir, kinds[i]);
        umount2(target, MNT_DETACH);  // an earlier attempt's
        if (mount(source, target, NULL, MS_BIND, NULL) != 0) {
            int saved = errno;
            fail("mount", target);
            return saved;
        }
    }
    return 0;
}

#ifndef NS_GET_MNTNS_ID
#define NS_GET_MNTNS_ID _IOR(0xb7, 0x5, uint64_t)
#endif

/// The id of the mount namespace `fd` names (Linux 6.9 and later), or 0.
static uint64_t mount_namespace_id(int fd) {
    uint64_t id = 0;
    return ioctl(fd, NS_GET_MNTNS_ID, &id) == 0 ? id : 0;
}

/// clone_init, and for a session (`persist_dir`) bind_namespaces from the host's mount
/// namespace (`host_mnt`; the clone is made in the view's, `view_mnt`). The kernel binds a
/// mount namespace only into an older one, and on Linux 6.18 the ids come from per-CPU
/// batches: nested in another sandbox (the test suite, the bench), a namespace made on a
/// CPU whose batch is behind the one its parent's id came from is "older" and refused
/// with EINVAL (a third of nested starts measured). The view was made on CPU `here`: when
/// its id is not past the host's, that batch is behind and the init is made on another CPU
/// (pinned there) first; otherwise wherever this process runs, and if the bind is still
/// refused, on each CPU in turn. Pinning for every start would keep this process off an
/// idle CPU on a busy machine.
static pid_t make_namespaces(const char *persist_dir, int host_mnt, int view_mnt, int here) {
    if (!persist_dir) return clone_init();
    uint64_t view_id = mount_namespace_id(view_mnt), host_id = mount_namespace_id(host_mnt);
    int behind = here >= 0 && view_id && host_id && view_id <= host_id;
    cpu_set_t original;
    int pinned = sched_getaffinity(0, sizeof original, &original) == 0;
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    pid_t made = -1;
    for (long attempt = -1; attempt < cpus; attempt++) {
        if (behind && (attempt < 0 || attempt == here)) continue;
        int pin = pin_attempt(attempt, pinned);
        if (pin < 0) break;
        if (pin > 0) continue;
        if (setns(view_mnt, CLONE_NEWNS) != 0) { fail("setns", "the view's mount namespace, CLONE_NEWNS"); break; }
        pid_t init = clone_init();
        if (init < 0) break;
        if (setns(host_mnt, CLONE_NEWNS) != 0) { fail("setns", "the host's mount namespace, CLONE_NEWNS"); kill(init, SIGKILL); waitpid(init, NULL, 0); break; }
        int bound = bind_namespaces(persist_dir, init);
        if (bound == 0) { made = init; sandbox_error[0] = 0; break; }
        kill(init, SIGKILL);
        waitpid(init, NULL, 0);
        if (bound != EINVAL) break;
    }
    if (pinned) sched_setaffinity(0, sizeof original, &original);
    return made;
}

/// setns into the namespace files DIR/user, net, uts, ipc, cgroup, pid and mnt: the user namespace
/// first (then the sandbox's root is taken on), the mount namespace last.
static int join_namespaces(const char *dir) {
    char path[4096];
    int fds[kind_count];
    for (size_t i = 0; i < kind_count; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, kinds[i]);
        fds[i] = open(path, O_RDONLY | O_CLOEXEC);
        if (fds[i] < 0) { int r = fail("open", path); while (i--) close(fds[i]); return r; }
    }
    int result = 0;
    for (size_t i = 0; i < kind_count && result == 0; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, kinds[i]);
        if (setns(fds[i], kind_types[i]) != 0) result = fail("setns", path);
        else if (kind_types[i] == CLONE_NEWUSER) result = become_root();
    }
    for (size_t i = 0; i < kind_count; i++) close(fds[i]);
    return result;
}

/// join_namespaces for the namespaces of process `pid`.
static int join_namespaces_of(pid_t pid) {
    char dir[64];
    snprintf(dir, sizeof dir, "/proc/%d/ns", pid);
    return join_namespaces(dir);
}

/// The pid namespace needs a process 1 that is not the worker: signals with a default
/// action never reach a namespace's init (Ctrl-C would not end a batch run), and orphans
/// must be reaped. Its init is made with the namespaces (clone_init) or is the joined
/// session's. This process, which has joined the namespaces but stays outside the pid
/// namespace, forks the worker into it; the worker mounts the namespace's /proc and devpts
/// itself (`creating`) and returns into main. This process waits for it and ends as it
/// ended; the worker dies with this process.
static int start_worker(int creating) {
    int alive[2];
    if (pipe2(alive, O_CLOEXEC) != 0) return fail("pipe2", "");
    pid_t worker = fork();
    if (worker == 0) {
        close(alive[1]);
        if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || parent_gone(alive[0])) _exit(1);
        close(alive[0]);
        if (creating && (mount_proc() != 0 || mount_devpts() != 0)) {
            fprintf(stderr, "boxlab: cannot furnish the sandbox: %s\n", sandbox_error);
            _exit(1);
        }
        return 0;
    }
    close(alive[0]);
    if (worker < 0) {
        close(alive[1]);
        return fail("fork", "the sandbox's worker");
    }
    signal(SIGINT, SIG_IGN);
    signal(SIGQUIT, SIG_IGN);
    // The other children (the init, the user namespace's maker) are reaped on the way.
    int status;
    for (;;) {
        pid_t ended = waitpid(-1, &status, 0);
        if (ended == worker) break;
        if (ended < 0 && errno != EINTR) _exit(1);
    }
    mirror(status);
    return -1;
}

static int end_with(pid_t parent) {
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) return fail("prctl", "PR_SET_PDEATHSIG");
    if (getppid() != parent) { errno = ESRCH; return fail("getppid", "the supervisor has ended"); }
    return 0;
}

/// This process's mount namespace, as a descriptor.
static int open_own_mnt(void) {
    int fd = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);
    return fd >= 0 ? fd : fail("open", "\"/proc/self/ns/mnt\"");
}

static int enter_boundary(const char *persist_dir, struct view_request *request, pid_t supervisor) {
    if (supervisor > 0 && end_with(supervisor) != 0) return -1;
    int host_mnt = open_own_mnt();
    if (host_mnt < 0) return -1;
    // Where the view's mount namespace gets its id (see make_namespaces).
    int here = sched_getcpu();
    int keep_fds[8];
    int view_mnt = -1, hold = -1, userns = -1;
    pid_t init = -1;
    int joined = build_view(request, keep_fds) == 0 && (view_mnt = open_own_mnt()) >= 0
        && (userns = make_user_namespace(&hold)) >= 0 && attach_kept(request, keep_fds, userns) == 0
        // The sandbox's namespaces are made in its delegated groups (through the view's
        // writable binds of them), so they are its cgroup namespace's root and its groups
        // are made below them. The maker, which lives as long as this process, stays out.
        && join_cgroups(request->cgroups, request->cgroup_count, 0, NULL) == 0
        && (init = make_namespaces(persist_dir, host_mnt, view_mnt, here)) > 0
        // On v2 a group that hands controllers down holds no processes: the init and this
        // process (the worker's parent) go into the leaf below it, inside that root (on v1
        // they stay: the lists are the same).
        && request->enter_count == request->cgroup_count
        && join_cgroups(request->enter, request->enter_count, init, request->cgroups) == 0
        && join_cgroups(request->enter, request->enter_count, 0, request->cgroups) == 0
        && join_namespaces_of(init) == 0 && make_root_private() == 0;
    int unused[] = {host_mnt, userns, hold};
    for (size_t i = 0; i < sizeof unused / sizeof *unused; i++) if (unused[i] >= 0) close(unused[i]);
    // The view's mount namespace dies with its last reference, and the kernel then unmounts
    // its whole tree and waits for an RCU grace period (namespace_unlock), 4 ms measured,
    // while the worker starts: this process keeps it (`view_mnt`) until it ends with the
    // worker.
    if (joined && start_worker(1) == 0) {
        close(view_mnt);  // the worker
        return 0;
    }
    if (view_mnt >= 0) close(view_mnt);
    if (init > 0) { kill(init, SIGKILL); waitpid(init, NULL, 0); }
    return -1;
}

/// Joins a persisted boundary session. A process outside the cgroup namespace's root
/// would see its own cgroups as `/../..`: it first joins the session's groups (`cgroups`,
/// while it is still the host's root).
static int join_boundary(const char *dir, char *const *cgroups, size_t cgroup_count) {
    return join_cgroups(cgroups, cgroup_count, 0, NULL) == 0 && join_namespaces(dir) == 0 ? start_worker(0) : -1;
}

static void read_list(const char *variable, char **entries, size_t *count, size_t capacity) {
    static char storage[4][8192];
    static int used;
    const char *value = getenv(variable);
    *count = 0;
    if (!value || used >= 4) return;
    char *copy = storage[used++];
    snprintf(copy, sizeof storage[0], "%s", value);
    unsetenv(variable);
    *count = split_list(copy, entries, capacity);
}

__attribute__((constructor)) static void boxlab_sandbox_enter(void) {
    const char *request = getenv("BOXLAB_SANDBOX");
    if (!request) return;
    char value[4096];
    snprintf(value, sizeof value, "%s", request);
    unsetenv("BOXLAB_SANDBOX");
    struct view_request view = {0};
    read_list("BOXLAB_SANDBOX_KEEP", view.keep, &view.keep_count, 8);
    // SOURCE=TARGET: a directory attached elsewhere, where the sandbox's root can reach it
    // (the state directory below /root, mode 0700 and the host root's).
    for (size_t i = 0; i < view.keep_count; i++) {
        char *equals = strchr(view.keep[i], '=');
        view.keep_at[i] = equals ? equals + 1 : view.keep[i];
        if (equals) *equals = 0;
    }
    read_list("BOXLAB_SANDBOX_CGROUPS", view.cgroups, &view.cgroup_count, 16);
    read_list("BOXLAB_SANDBOX_ENTER_CGROUPS", view.enter, &view.enter_count, 16);
    read_list("BOXLAB_SANDBOX_SHOW", view.show, &view.show_count, 8);
    const char *worker = getenv("BOXLAB_WORKER");
    pid_t supervisor = worker ? (pid_t)atoi(worker) : 0;
    char cwd[4096];
    int have_cwd = getcwd(cwd, sizeof cwd) != NULL;
    int result;
    if (strcmp(value, "trusted") == 0) result = supervisor > 0 && end_with(supervisor) != 0 ? -1 : enter_trusted();
    else if (strncmp(value, "trusted-create:", 15) == 0) result = supervisor > 0 && end_with(supervisor) != 0 ? -1 : persist_trusted(value + 15);
    else if (strcmp(value, "private") == 0) result = enter_boundary(NULL, &view, supervisor);
    else if (strncmp(value, "create:", 7) == 0) result = enter_boundary(value + 7, &view, supervisor);
    else if (strncmp(value, "join:", 5) == 0) {
        // A boundary session keeps its user namespace's file too; a trusted one has none.
        char user[4096];
        snprintf(user, sizeof user, "%s/user", value + 5);
        result = access(user, F_OK) == 0 ? join_boundary(value + 5, view.cgroups, view.cgroup_count) : join_trusted(value + 5);
    }
    else { snprintf(sandbox_error, sizeof sandbox_error, "BOXLAB_SANDBOX=%s: expected trusted, trusted-create:DIR, private, create:DIR or join:DIR", value); return; }
    if (result != 0) return;
    // setns(CLONE_NEWNS) moved the root and cwd to the namespace's root; go back to where we were.
    if (have_cwd && chdir(cwd) != 0 && chdir("/") != 0) { fail("chdir", cwd); return; }
    sandbox_entered = 1;
}
