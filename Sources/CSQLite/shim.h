#include <sqlite3.h>

/// Sets SQLite up for a process whose connections are each used by one
/// thread at a time (GRDB serialises every access to a connection): no
/// mutex per connection, and no global memory statistics, whose mutex every
/// allocation takes. sqlite3_config is variadic, which Swift cannot call,
/// and must run before SQLite initialises; it fails with SQLITE_MISUSE after.
static inline int sovscan_sqlite_configure(void) {
    int code = sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
    if (code != SQLITE_OK) return code;
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}
