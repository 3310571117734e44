// Umbrella header of the C target: code that must not be Swift (signal handlers,
// the process before the Swift runtime starts threads, the child between fork and exec).
#include "interrupt.h"
#include "sandbox.h"
#include "child_spawn.h"
#include "gnu.h"
#include "launch.h"
#include "bpf.h"
#include "packet.h"
