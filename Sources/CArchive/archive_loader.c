#include "CArchive.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

// libarchive's soname on Debian 12 (package libarchive13, which libarchive-dev pulls in).
static const char *const soname = "libarchive.so.13";

static void *library(void) {
    static void *handle;
    if (!handle) {
        handle = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
        if (!handle) {
            fprintf(stderr, "boxlab: cannot load %s (%s): install it with scripts/setup (apt-get install libarchive13)\n", soname, dlerror());
            exit(1);
        }
    }
    return handle;
}

static void *symbol(const char *name) {
    void *found = dlsym(library(), name);
    if (!found) {
        fprintf(stderr, "boxlab: %s has no %s: install libarchive 3.6 or newer\n", soname, name);
        exit(1);
    }
    return found;
}

// Each function looks its namesake up once; the declarations come from archive.h, so the
// compiler checks every signature against libarchive's own.
#define FORWARD(type, name, parameters, arguments)                   \
    type name parameters {                                           \
        static type(*real) parameters;                               \
        if (!real) real = (type(*) parameters)symbol(#name);         \
        return real arguments;                                       \
    }
#define FORWARD_VOID(name, parameters, arguments)                    \
    void name parameters {                                           \
        static void(*real) parameters;                               \
        if (!real) real = (void(*) parameters)symbol(#name);         \
        real arguments;                                              \
    }

FORWARD(struct archive *, archive_read_new, (void), ())
FORWARD(int, archive_read_support_filter_all, (struct archive *a), (a))
FORWARD(int, archive_read_support_format_tar, (struct archive *a), (a))
FORWARD(int, archive_read_support_format_raw, (struct archive *a), (a))
FORWARD(int, archive_read_open_memory, (struct archive *a, const void *buffer, size_t size), (a, buffer, size))
FORWARD(int, archive_read_next_header, (struct archive *a, struct archive_entry **entry), (a, entry))
FORWARD(la_ssize_t, archive_read_data, (struct archive *a, void *buffer, size_t size), (a, buffer, size))
FORWARD(int, archive_read_free, (struct archive *a), (a))
FORWARD(struct archive *, archive_write_new, (void), ())
FORWARD(int, archive_write_add_filter_gzip, (struct archive *a), (a))
FORWARD(int, archive_write_set_filter_option, (struct archive *a, const char *m, const char *o, const char *v), (a, m, o, v))
FORWARD(int, archive_write_set_format_pax_restricted, (struct archive *a), (a))
FORWARD(int, archive_write_set_format_raw, (struct archive *a), (a))
FORWARD(int, archive_write_set_bytes_in_last_block, (struct archive *a, int bytes), (a, bytes))
FORWARD(int, archive_write_open2, (struct archive *a, void *context, archive_open_callback *open, archive_write_callback *write,
                                   archive_close_callback *close, archive_free_callback *free),
        (a, context, open, write, close, free))
FORWARD(int, archive_write_header, (struct archive *a, struct archive_entry *entry), (a, entry))
FORWARD(la_ssize_t, archive_write_data, (struct archive *a, const void *buffer, size_t size), (a, buffer, size))
FORWARD(int, archive_write_close, (struct archive *a), (a))
FORWARD(int, archive_write_free, (struct archive *a), (a))
FORWARD(int, archive_errno, (struct archive *a), (a))
FORWARD(const char *, archive_error_string, (struct archive *a), (a))

FORWARD(struct archive_entry *, archive_entry_new, (void), ())
FORWARD_VOID(archive_entry_free, (struct archive_entry *e), (e))
FORWARD(__LA_MODE_T, archive_entry_filetype, (struct archive_entry *e), (e))
FORWARD(__LA_MODE_T, archive_entry_perm, (struct archive_entry *e), (e))
FORWARD(la_int64_t, archive_entry_uid, (struct archive_entry *e), (e))
FORWARD(la_int64_t, archive_entry_gid, (struct archive_entry *e), (e))
FORWARD(const char *, archive_entry_pathname, (struct archive_entry *e), (e))
FORWARD(const char *, archive_entry_hardlink, (struct archive_entry *e), (e))
FORWARD(const char *, archive_entry_symlink, (struct archive_entry *e), (e))
FORWARD(dev_t, archive_entry_rdevmajor, (struct archive_entry *e), (e))
FORWARD(dev_t, archive_entry_rdevminor, (struct archive_entry *e), (e))
FORWARD_VOID(archive_entry_set_filetype, (struct archive_entry *e, unsigned int type), (e, type))
FORWARD_VOID(archive_entry_set_perm, (struct archive_entry *e, __LA_MODE_T mode), (e, mode))
FORWARD_VOID(archive_entry_set_uid, (struct archive_entry *e, la_int64_t uid), (e, uid))
FORWARD_VOID(archive_entry_set_gid, (struct archive_entry *e, la_int64_t gid), (e, gid))
FORWARD_VOID(archive_entry_set_mtime, (struct archive_entry *e, time_t seconds, long nanoseconds), (e, seconds, nanoseconds))
FORWARD_VOID(archive_entry_set_size, (struct archive_entry *e, la_int64_t size), (e, size))
FORWARD_VOID(archive_entry_set_pathname, (struct archive_entry *e, const char *path), (e, path))
FORWARD_VOID(archive_entry_set_hardlink, (struct archive_entry *e, const char *target), (e, target))
FORWARD_VOID(archive_entry_set_symlink, (struct archive_entry *e, const char *target), (e, target))
FORWARD_VOID(archive_entry_set_rdevmajor, (struct archive_entry *e, dev_t major), (e, major))
FORWARD_VOID(archive_entry_set_rdevminor, (struct archive_entry *e, dev_t minor), (e, minor))
