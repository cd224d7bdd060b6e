#include "gui/app/frame_tree.h"

#include <QHeaderView>
#include <QTreeWidget>

#include "models/wire/dissect.h"

namespace ol::gui {

QTreeWidget* new_frame_tree(QWidget* parent) {
  auto* t = new QTreeWidget(parent);
  t->setHeaderLabels({"frame / header / field", "offset", "bytes", "value"});
  t->header()->setSectionResizeMode(0, QHeaderView::Interactive);
  t->setColumnWidth(0, 230);
  t->setColumnWidth(1, 50);
  t->setColumnWidth(2, 45);
  QFont mono("DejaVu Sans Mono");
  mono.setPointSizeF(9);
  t->setFont(mono);
  return t;
}

void add_frame(QTreeWidget* tree, const std::string& title, const TraceEvent& e, int underlay_mtu) {
  if (e.frame.empty()) return;
  const auto rows = wire::dissect(e.frame, e.frame_at_l3);
  const std::size_t encap = wire::encapsulation_bytes(rows);
  std::string text = title + ": " + std::to_string(e.frame.size()) + " bytes";
  if (encap)
    text += " — " + std::to_string(encap) + " bytes of encapsulation in front of the pod's IP packet: the underlay's MTU " +
            std::to_string(underlay_mtu) + " leaves the pods " + std::to_string(underlay_mtu - int(encap));
  auto* top = new QTreeWidgetItem(tree, {QString::fromStdString(text)});
  top->setFirstColumnSpanned(true);
  top->setToolTip(0, QString::fromStdString(text));
  QFont f = top->font(0);
  f.setBold(true);
  top->setFont(0, f);
  QTreeWidgetItem* header = nullptr;
  for (const auto& r : rows) {
    const std::string name = r.field.empty() ? (encap ? (r.inner ? "inner " : "outer ") : "") + r.header : r.field;
    const QStringList cols = {QString::fromStdString(name), QString::number(r.offset), QString::number(r.length),
                              QString::fromStdString(r.value)};
    if (!r.field.empty() && header) {
      new QTreeWidgetItem(header, cols);
      continue;
    }
    header = new QTreeWidgetItem(top, cols);
    if (encap) header->setForeground(0, r.inner ? QColor(30, 90, 160) : QColor(170, 70, 0));
  }
}

}  // namespace ol::gui
