#pragma once
#include <stddef.h>
#include <sys/types.h>

// glibc functions that Swift's Glibc module does not import (they need _GNU_SOURCE or
// headers outside its module map), passed through unchanged. Errors come back as the
// C functions return them: -1 and errno.

int boxlab_pipe2(int fds[2], int flags);
// accept4(2); the address is a struct sockaddr of `*length` bytes, the length a socklen_t.
int boxlab_accept4(int fd, void *address, unsigned int *length, int flags);
ssize_t boxlab_getxattr(const char *path, const char *name, void *value, size_t size);
ssize_t boxlab_listxattr(const char *path, char *list, size_t size);
int boxlab_renameat_noreplace(int olddirfd, const char *oldpath, int newdirfd, const char *newpath);
int boxlab_setxattr(const char *path, const char *name, const void *value, size_t size, int flags);
int boxlab_fsetxattr(int fd, const char *name, const void *value, size_t size, int flags);
ssize_t boxlab_getdents64(int fd, void *buffer, size_t size);
int boxlab_pivot_root(const char *new_root, const char *put_old);
int boxlab_unshare(int flags);
int boxlab_setns(int fd, int nstype);
// openat2(2) with its struct open_how spelled out (glibc 2.36 has no wrapper).
int boxlab_openat2(int dirfd, const char *path, int flags, unsigned int mode, unsigned long long resolve);
// statfs(2)'s f_type alone: struct statfs is in a header outside the Glibc module.
int boxlab_statfs_type(const char *path, long *type);
// flock(2): Swift's Glibc module takes the name for the `struct flock` of fcntl locks.
int boxlab_flock(int fd, int operation);
