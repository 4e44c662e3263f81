// diskfault: an LD_PRELOAD shim that makes the disk under one directory fail on command, the way
// SQLite's own tests inject I/O errors, so integration tests can watch `baomi serve` meet a full
// or failing disk (issue 16, I1: nothing half-written becomes visible).
//
//   BAOMI_DISKFAULT_PREFIX   only files whose path starts with this are affected (the data dir)
//   BAOMI_DISKFAULT_CONTROL  a file holding one line, re-read whenever it is replaced (rename):
//       off                          everything works
//       <ops> <errno> [after <n>]    <ops>: a comma-separated subset of write,sync,open;
//                                    <errno>: ENOSPC, EIO or EDQUOT; the first <n> matching calls
//                                    still succeed, every later one fails
//   e.g. "write,sync ENOSPC" (the disk is full), "sync EIO after 3" (the 4th fsync fails).
// The count starts when the line is replaced, so a test arms the fault at a moment of its choice
// ("from now on, let n calls succeed"): disk_fault_test.cc before a whole workload,
// disk_fault_midway_test.cc between two requests, sweeping n to land inside each commit.
// Counts of injected failures are written to <control>.count on each reload, for tests to check
// that the fault was actually hit. Test-only: never loaded by the product.
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

extern "C" {

enum { OP_WRITE = 1, OP_SYNC = 2, OP_OPEN = 4 };

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static ino_t control_ino;
static struct timespec control_mtime;
static int fault_ops;
static int fault_errno;
static long fault_after;
static long matching_calls;
static long injected;

static int parse_errno(const char* name) {
  if (strcmp(name, "ENOSPC") == 0) return ENOSPC;
  if (strcmp(name, "EIO") == 0) return EIO;
  if (strcmp(name, "EDQUOT") == 0) return EDQUOT;
  return EIO;
}

static void write_count(const char* control) {
  char path[4096];
  snprintf(path, sizeof path, "%s.count", control);
  FILE* f = fopen(path, "w");
  if (f == NULL) return;
  fprintf(f, "%ld\n", injected);
  fclose(f);
}

// Re-reads the control file when it was replaced. Called with mu held.
static void reload(void) {
  const char* control = getenv("BAOMI_DISKFAULT_CONTROL");
  struct stat st;
  if (control == NULL || stat(control, &st) != 0) {
    fault_ops = 0;
    return;
  }
  if (st.st_ino == control_ino && st.st_mtim.tv_sec == control_mtime.tv_sec &&
      st.st_mtim.tv_nsec == control_mtime.tv_nsec) {
    return;
  }
  write_count(control);  // the count of the episode that ends here
  control_ino = st.st_ino;
  control_mtime = st.st_mtim;
  fault_ops = 0;
  fault_after = 0;
  matching_calls = 0;
  injected = 0;
  FILE* f = fopen(control, "r");
  if (f == NULL) return;
  char ops[64] = "", err[32] = "", word[16] = "";
  long after = 0;
  int n = fscanf(f, "%63s %31s %15s %ld", ops, err, word, &after);
  fclose(f);
  if (n < 2 || strcmp(ops, "off") == 0) return;
  for (char* tok = strtok(ops, ","); tok != NULL; tok = strtok(NULL, ",")) {
    if (strcmp(tok, "write") == 0) fault_ops |= OP_WRITE;
    if (strcmp(tok, "sync") == 0) fault_ops |= OP_SYNC;
    if (strcmp(tok, "open") == 0) fault_ops |= OP_OPEN;
  }
  fault_errno = parse_errno(err);
  fault_after = (n == 4 && strcmp(word, "after") == 0) ? after : 0;
}

static int under_prefix(const char* path) {
  const char* prefix = getenv("BAOMI_DISKFAULT_PREFIX");
  return prefix != NULL && *prefix != '\0' && path != NULL &&
         strncmp(path, prefix, strlen(prefix)) == 0;
}

static int fd_under_prefix(int fd) {
  char link[64], path[4096];
  snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  ssize_t n = readlink(link, path, sizeof path - 1);
  if (n <= 0) return 0;
  path[n] = '\0';
  return under_prefix(path);
}

// 0 to let the call through, else the errno to fail it with.
static int should_fail(int op, int fd, const char* path) {
  if (getenv("BAOMI_DISKFAULT_CONTROL") == NULL) return 0;
  if (path != NULL ? !under_prefix(path) : !fd_under_prefix(fd)) return 0;
  int err = 0;
  pthread_mutex_lock(&mu);
  reload();
  if (fault_ops & op) {
    if (++matching_calls > fault_after) {
      err = fault_errno;
      ++injected;
    }
  }
  pthread_mutex_unlock(&mu);
  return err;
}

#define REAL(name) (reinterpret_cast<decltype(&name)>(dlsym(RTLD_NEXT, #name)))
#define FAIL_IF(op, fd, path)           \
  do {                                  \
    int e_ = should_fail(op, fd, path); \
    if (e_ != 0) {                      \
      errno = e_;                       \
      return -1;                        \
    }                                   \
  } while (0)

ssize_t write(int fd, const void* buf, size_t n) {
  FAIL_IF(OP_WRITE, fd, NULL);
  return REAL(write)(fd, buf, n);
}
ssize_t pwrite(int fd, const void* buf, size_t n, off_t off) {
  FAIL_IF(OP_WRITE, fd, NULL);
  return REAL(pwrite)(fd, buf, n, off);
}
ssize_t pwrite64(int fd, const void* buf, size_t n, off64_t off) {
  FAIL_IF(OP_WRITE, fd, NULL);
  return REAL(pwrite64)(fd, buf, n, off);
}
ssize_t writev(int fd, const struct iovec* iov, int cnt) {
  FAIL_IF(OP_WRITE, fd, NULL);
  return REAL(writev)(fd, iov, cnt);
}
int ftruncate(int fd, off_t len) {
  FAIL_IF(OP_WRITE, fd, NULL);
  return REAL(ftruncate)(fd, len);
}
int ftruncate64(int fd, off64_t len) {
  FAIL_IF(OP_WRITE, fd, NULL);
  return REAL(ftruncate64)(fd, len);
}
int fsync(int fd) {
  FAIL_IF(OP_SYNC, fd, NULL);
  return REAL(fsync)(fd);
}
int fdatasync(int fd) {
  FAIL_IF(OP_SYNC, fd, NULL);
  return REAL(fdatasync)(fd);
}

// Opens for writing (SQLite's journal, WAL and the files of a new instance) fail; reads don't.
static int opens_for_write(int flags) { return (flags & (O_WRONLY | O_RDWR | O_CREAT)) != 0; }

#define OPEN_BODY(real_call)                              \
  mode_t mode = 0;                                        \
  if (flags & (O_CREAT | O_TMPFILE)) {                    \
    va_list ap;                                           \
    va_start(ap, flags);                                  \
    mode = static_cast<mode_t>(va_arg(ap, int));          \
    va_end(ap);                                           \
  }                                                       \
  if (opens_for_write(flags)) FAIL_IF(OP_OPEN, -1, path); \
  return real_call;

int open(const char* path, int flags, ...) { OPEN_BODY(REAL(open)(path, flags, mode)) }
int open64(const char* path, int flags, ...) { OPEN_BODY(REAL(open64)(path, flags, mode)) }
int openat(int dirfd, const char* path, int flags, ...) {
  OPEN_BODY(REAL(openat)(dirfd, path, flags, mode))
}
int openat64(int dirfd, const char* path, int flags, ...) {
  OPEN_BODY(REAL(openat64)(dirfd, path, flags, mode))
}

}  // extern "C"
