// Three 400-byte durable writers on the same disk at once, each to its own file in the current folder:
//   append        write at the end + fdatasync (what the journal does);
//   overwrite     pwrite into a file whose 64 MiB were written with zeros first + fdatasync
//                 (a preallocated segment: no size or block-map change for fdatasync to commit);
//   overwrite-dsync  the same with O_DSYNC and no fdatasync call.
// If the slow syncs of all three land together and are as long, the stall is below the file system's
// metadata (the device or the host), and preallocating journal segments cannot shorten it.
// Usage: stalls SECONDS
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum { kinds = 3, lineBytes = 400, stallsMax = 4096 };
static const long preallocated = 64L << 20;
static const char *names[kinds] = {"append", "overwrite", "overwrite-dsync"};

typedef struct {
  int kind;
  double seconds;
  double *latencies;
  long count;
  double stallStarts[stallsMax];
  int stalls;
} Writer;

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

static double started;

static void *run(void *argument) {
  Writer *w = argument;
  char path[64], line[lineBytes];
  snprintf(path, sizeof path, "./.sync-stalls-%d.dat", w->kind);
  memset(line, 'x', lineBytes - 1);
  line[lineBytes - 1] = '\n';
  int fd = open(path, O_CREAT | O_TRUNC | O_WRONLY | (w->kind == 2 ? O_DSYNC : 0), 0600);
  if (fd < 0) { perror(path); exit(1); }
  if (w->kind > 0) {
    static char zeros[1 << 16];
    for (long at = 0; at < preallocated; at += sizeof zeros)
      if (pwrite(fd, zeros, sizeof zeros, at) != (ssize_t)sizeof zeros) { perror("pwrite"); exit(1); }
    if (fsync(fd) != 0) { perror("fsync"); exit(1); }
  }
  long capacity = 4000000, at = 0;
  w->latencies = malloc(capacity * sizeof(double));
  double end = started + w->seconds;
  while (now() < end && w->count < capacity) {
    double began = now();
    ssize_t written = w->kind == 0 ? write(fd, line, lineBytes) : pwrite(fd, line, lineBytes, at);
    if (written != lineBytes || (w->kind < 2 && fdatasync(fd) != 0)) { perror("write"); exit(1); }
    double ms = (now() - began) * 1000;
    w->latencies[w->count++] = ms;
    if (ms > 20 && w->stalls < stallsMax) w->stallStarts[w->stalls++] = began - started;
    at = at + lineBytes > preallocated - lineBytes ? 0 : at + lineBytes;
  }
  close(fd);
  unlink(path);
  return NULL;
}

static int ascending(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

int main(int argc, char **argv) {
  double seconds = argc > 1 ? atof(argv[1]) : 20;
  static Writer writers[kinds];
  pthread_t threads[kinds];
  started = now() + 1.5;  // after the preallocation
  for (int k = 0; k < kinds; k++) {
    writers[k] = (Writer){.kind = k, .seconds = seconds};
    pthread_create(&threads[k], NULL, run, &writers[k]);
  }
  for (int k = 0; k < kinds; k++) pthread_join(threads[k], NULL);
  printf("| writer | syncs | p50 ms | p99.9 ms | max ms | over 20 ms | over 50 ms | over 20 ms together with append |\n");
  printf("|---|---:|---:|---:|---:|---:|---:|---:|\n");
  for (int k = 0; k < kinds; k++) {
    Writer *w = &writers[k];
    if (w->count == 0) continue;
    int together = 0;
    for (int s = 0; s < w->stalls; s++)
      for (int a = 0; a < writers[0].stalls; a++)
        if (w->stallStarts[s] - writers[0].stallStarts[a] < 0.5 && writers[0].stallStarts[a] - w->stallStarts[s] < 0.5) {
          together++;
          break;
        }
    qsort(w->latencies, w->count, sizeof(double), ascending);
    long over50 = 0;
    for (long i = 0; i < w->count; i++) over50 += w->latencies[i] > 50;
    printf("| %s | %ld | %.3f | %.3f | %.1f | %d | %ld | %d |\n", names[k], w->count, w->latencies[w->count / 2],
           w->latencies[(long)(w->count * 0.999)], w->latencies[w->count - 1], w->stalls, over50, together);
  }
  return 0;
}
