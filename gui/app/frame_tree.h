// A frame as a tree, as Wireshark's details pane shows it: the frame under a title (with the bytes
// an encapsulation puts in front of the pod's packet, and the MTU that leaves the pods), each header
// (outer brown, inner blue), each field with its byte offset, length and value.
#pragma once
#include <string>

#include "models/kernel/trace_event.h"

class QTreeWidget;
class QWidget;

namespace ol::gui {

// Columns: frame / header / field, offset, bytes, value. Does nothing for a step without bytes.
void add_frame(QTreeWidget* tree, const std::string& title, const TraceEvent& e, int underlay_mtu);
QTreeWidget* new_frame_tree(QWidget* parent);

}  // namespace ol::gui
