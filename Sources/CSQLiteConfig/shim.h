#ifndef CSQLITECONFIG_SHIM_H
#define CSQLITECONFIG_SHIM_H

#include <sqlite3.h>

/// Turns off SQLite's memory statistics, which every allocation of every connection updates under one global mutex:
/// with connections used on several threads at once (an ingest's snapshots and its writer), they waited for it.
/// `sqlite3_config` is variadic, which Swift cannot call. Returns SQLITE_MISUSE once SQLite is initialized (a
/// connection was opened), when it changes nothing.
static inline int csqlite_disable_memory_statistics(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

#endif
