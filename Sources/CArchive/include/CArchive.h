#pragma once
// libarchive's API, declared by its own headers. archive_loader.c defines each function
// that BoxLab calls and loads libarchive on first use, so that a BoxLab that touches no
// image does not pay for loading it (and libxml2 and ICU with it) at every start.
#include <archive.h>
#include <archive_entry.h>
