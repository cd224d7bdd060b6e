// The scenario loader reaching into the datapath it should know nothing of.
#pragma once
#include "models/flannel/net_conf.h"
#include "models/kernel/world.h"
