/* korpus: everything in one include. */
#ifndef KORPUS_H
#define KORPUS_H

#include "common.h"
#include "clean.h"
#include "csv.h"
#include "dedup.h"
#include "pack.h"
#include "stats.h"
#include "doc.h"
#include "import.h"
#include "io.h"
#include "norm.h"
#include "pipeline.h"
#include "split.h"
#include "tok.h"
#include "unglue.h"
#include "utf8.h"
#include "warc.h"
#include "pii.h"
#include "quality.h"
#include "langid.h"

#endif
