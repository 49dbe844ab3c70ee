// zlib's CRC-32, to check a workbook's parts as they are unpacked (ZIPFoundation
// on Linux checks them with a CRC-32 of its own written in Swift, several times slower).
#include <zlib.h>
