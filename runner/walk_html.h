// A walk as one self-contained HTML page to hand out: the summary, the mode's workflow, the
// user/kernel lanes with every crossing (inline SVG), then every step — where it ran, its stage,
// its verdict, the table it consulted as it stood then with the matched row marked, and, where the
// step builds or strips a header, the frame field by field with byte offsets. No scripts, no
// external files: it opens in any browser and prints as it shows.
#pragma once
#include <string>

#include "runner/walk_recording.h"

namespace ol::runner {

// `scenario`: the scenario's name and file, for the title.
std::string walk_html(const WalkRecording& w, const std::string& scenario);

}  // namespace ol::runner
