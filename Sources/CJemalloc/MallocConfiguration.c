#include "CJemalloc.h"

/*
 * jemalloc reads its settings from this symbol when the process starts (the MALLOC_CONF environment variable is
 * applied after it, so a user can still override them).
 *
 * One arena: with the default of four per core, each thread that allocates (the preparing threads, the writer, the
 * reader) keeps dirty pages of its own arena, and the ingest's peak memory was 18-20 MB higher than with glibc
 * at 10k-100k arrivals; with one it is 6-10 MB higher, at the same CPU (two cores contend little for one arena).
 */
const char *malloc_conf = "narenas:1";
