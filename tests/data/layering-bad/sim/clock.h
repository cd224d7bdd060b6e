// A deliberately wrong tree for the layering test: the engine reaching up into the kernel model.
#pragma once
#include <cstdint>

#include "sim/time.h"
#include "models/kernel/netns.h"
