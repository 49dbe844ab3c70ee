// libxml2's parser and SAX2 interface. Debian builds libxml2 with ICU,
// whose headers clash with the ICU that Foundation brings; sovscan uses no
// encoding handler, so the headers are read without ICU's.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/SAX2.h>
