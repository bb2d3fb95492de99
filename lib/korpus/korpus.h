/* korpus: everything in one include. */
#ifndef KORPUS_H
#define KORPUS_H

#include "common.h"
#include "doc.h"
#include "io.h"
#include "utf8.h"

#endif
