#define _GNU_SOURCE
#include "gnu.h"

#include <dirent.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sched.h>
#include <stdio.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/xattr.h>
#include <unistd.h>

int boxlab_pipe2(int fds[2], int flags) { return pipe2(fds, flags); }
int boxlab_accept4(int fd, void *address, unsigned int *length, int flags) { return accept4(fd, (struct sockaddr *)address, (socklen_t *)length, flags); }
ssize_t boxlab_getxattr(const char *path, const char *name, void *value, size_t size) { return getxattr(path, name, value, size); }
ssize_t boxlab_listxattr(const char *path, char *list, size_t size) { return listxattr(path, list, size); }
int boxlab_setxattr(const char *path, const char *name, const void *value, size_t size, int flags) { return setxattr(path, name, value, size, flags); }
int boxlab_fsetxattr(int fd, const char *name, const void *value, size_t size, int flags) { return fsetxattr(fd, name, value, size, flags); }
ssize_t boxlab_getdents64(int fd, void *buffer, size_t size) { return getdents64(fd, buffer, size); }
int boxlab_renameat_noreplace(int olddirfd, const char *oldpath, int newdirfd, const char *newpath) { return renameat2(olddirfd, oldpath, newdirfd, newpath, RENAME_NOREPLACE); }
int boxlab_pivot_root(const char *new_root, const char *put_old) { return (int)syscall(SYS_pivot_root, new_root, put_old); }
int boxlab_unshare(int flags) { return unshare(flags); }
int boxlab_setns(int fd, int nstype) { return setns(fd, nstype); }
int boxlab_openat2(int dirfd, const char *path, int flags, unsigned int mode, unsigned long long resolve) {
    struct open_how how = {.flags = (unsigned long long)(unsigned int)flags, .mode = mode, .resolve = resolve};
    return (int)syscall(SYS_openat2, dirfd, path, &how, sizeof how);
}
int boxlab_statfs_type(const char *path, long *type) {
    struct statfs buffer;
    int result = statfs(path, &buffer);
    if (result == 0) *type = (long)buffer.f_type;
    return result;
}
int boxlab_flock(int fd, int operation) { return flock(fd, operation); }
