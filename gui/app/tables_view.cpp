#include "gui/app/tables_view.h"

#include <map>

#include <QHBoxLayout>
#include <QHeaderView>
#include <QSplitter>
#include <QTreeWidget>

namespace ol::gui {

TablesView::TablesView(QWidget* parent) : QWidget(parent) {
  auto* h = new QHBoxLayout(this);
  auto* split = new QSplitter(this);
  namespaces_ = new QTreeWidget(split);
  namespaces_->setHeaderLabels({"namespace"});
  entries_ = new QTreeWidget(split);
  entries_->setHeaderLabels({"entry (as ip / bridge print it)", "created by", "command"});
  entries_->header()->setSectionResizeMode(QHeaderView::Interactive);
  entries_->setColumnWidth(0, 430);
  entries_->setColumnWidth(1, 270);
  QFont mono("DejaVu Sans Mono");
  mono.setPointSizeF(8.5);
  entries_->setFont(mono);
  split->setStretchFactor(1, 4);
  h->addWidget(split);
  connect(namespaces_, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem* item) {
    if (item && item->data(0, Qt::UserRole).isValid()) show_namespace(item->data(0, Qt::UserRole).toString().toStdString());
  });
}

void TablesView::set_picture(const ClusterPicture& pic) {
  pic_ = pic;
  namespaces_->clear();
  std::map<std::string, QTreeWidgetItem*> nodes;
  for (const auto& ns : pic_.namespaces) {
    QTreeWidgetItem*& node = nodes[ns.node];
    if (!node) node = new QTreeWidgetItem(namespaces_, {QString::fromStdString(ns.node)});
    QTreeWidgetItem* item = ns.is_pod ? new QTreeWidgetItem(node, {QString::fromStdString("pod " + ns.name)}) : node;
    item->setData(0, Qt::UserRole, QString::fromStdString(ns.name));
  }
  namespaces_->expandAll();
  // Open on the first node that has pods (the switch namespace is the least interesting).
  for (const auto& ns : pic_.namespaces)
    if (ns.is_pod) return show_namespace(ns.node);
  if (!pic_.namespaces.empty()) show_namespace(pic_.namespaces.front().name);
}

void TablesView::show_namespace(const std::string& name) {
  entries_->clear();
  const NamespacePicture* ns = pic_.find(name);
  if (!ns) return;
  for (const auto& t : ns->tables) {
    auto* title = new QTreeWidgetItem(entries_, {QString::fromStdString(t.title + "  (netns " + name + ")")});
    QFont f = title->font(0);
    f.setBold(true);
    title->setFont(0, f);
    for (const auto& r : t.rows) {
      auto* item = new QTreeWidgetItem(title, {QString::fromStdString(r.text), QString::fromStdString(r.component),
                                               QString::fromStdString(r.command)});
      item->setToolTip(2, QString::fromStdString(r.command));
    }
  }
  entries_->expandAll();
}

}  // namespace ol::gui
