#ifndef CJEMALLOC_H
#define CJEMALLOC_H

/// Links jemalloc into the `archive` executable on Linux, where it takes the place of the C library's malloc for the
/// whole process (the Swift runtime, SQLite and libdeflate included), with the settings in `MallocConfiguration.c`.
/// Nothing is called through this module: the library finds jemalloc at run time (CMalloc) and works with either
/// allocator.

#endif
