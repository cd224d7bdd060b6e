#include "gui/app/tables_view.h"

#include <map>

#include <QAction>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>
#include <QSplitter>
#include <QTreeWidget>

namespace ol::gui {

TablesView::TablesView(QWidget* parent) : QWidget(parent) {
  auto* v = new QVBoxLayout(this);
  auto* bar = new QHBoxLayout;
  edits_ = new QLabel(this);
  edits_->setWordWrap(true);
  reset_ = new QPushButton("Reset (undo the what-if edits)", this);
  bar->addWidget(edits_, 1);
  bar->addWidget(reset_);
  v->addLayout(bar);
  auto* h = new QHBoxLayout;
  v->addLayout(h, 1);
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
  entries_->setContextMenuPolicy(Qt::ActionsContextMenu);
  auto* del = new QAction("What if this entry were gone? Delete it and walk again", entries_);
  connect(del, &QAction::triggered, this, [this] { request_delete(entries_->currentItem()); });
  entries_->addAction(del);
  auto* change = new QAction("What if this entry were different? Edit its command and walk again", entries_);
  connect(change, &QAction::triggered, this, [this] { request_change(entries_->currentItem()); });
  entries_->addAction(change);
  entries_->installEventFilter(this);
  connect(reset_, &QPushButton::clicked, this, [this] { Q_EMIT reset_requested(); });
  set_edits({});
}

bool TablesView::eventFilter(QObject* watched, QEvent* e) {
  if (watched == entries_ && e->type() == QEvent::KeyPress && static_cast<QKeyEvent*>(e)->key() == Qt::Key_Delete) {
    request_delete(entries_->currentItem());
    return true;
  }
  return QWidget::eventFilter(watched, e);
}

bool TablesView::request_delete(QTreeWidgetItem* row) {
  if (!row || !row->data(0, Qt::UserRole).isValid()) return false;
  Q_EMIT delete_requested(row->data(0, Qt::UserRole).toString());
  return true;
}

bool TablesView::request_change(QTreeWidgetItem* row) {
  if (!row || !row->data(0, Qt::UserRole + 1).isValid()) return false;
  Q_EMIT change_requested(row->data(0, Qt::UserRole + 1).toString());
  return true;
}

void TablesView::set_edits(const std::vector<std::string>& edits) {
  QString text = "What if: select a route, neighbour or FDB entry and press Delete (or change it from its context menu) to see "
                 "where the packet stops.";
  if (!edits.empty()) {
    text = "What-if edits in force (the walk is made after them):";
    for (const auto& e : edits) text += "\n    " + QString::fromStdString(e);
  }
  edits_->setText(text);
  reset_->setEnabled(!edits.empty());
}

QTreeWidgetItem* TablesView::find_row(const std::string& table, const std::string& prefix) const {
  for (int i = 0; i < entries_->topLevelItemCount(); ++i) {
    QTreeWidgetItem* title = entries_->topLevelItem(i);
    if (!title->text(0).startsWith(QString::fromStdString(table + "  ("))) continue;
    for (int k = 0; k < title->childCount(); ++k)
      if (title->child(k)->text(0).startsWith(QString::fromStdString(prefix))) return title->child(k);
  }
  return nullptr;
}

void TablesView::set_picture(const ClusterPicture& pic) {
  const std::string keep = shown_;
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
  if (pic_.find(keep)) return show_namespace(keep);  // a what-if stays where it was made
  // Open on the first node that has pods (the switch namespace is the least interesting).
  for (const auto& ns : pic_.namespaces)
    if (ns.is_pod) return show_namespace(ns.node);
  if (!pic_.namespaces.empty()) show_namespace(pic_.namespaces.front().name);
}

void TablesView::show_namespace(const std::string& name) {
  entries_->clear();
  const NamespacePicture* ns = pic_.find(name);
  if (!ns) return;
  shown_ = name;
  for (const auto& t : ns->tables) {
    auto* title = new QTreeWidgetItem(entries_, {QString::fromStdString(t.title + "  (netns " + name + ")")});
    QFont f = title->font(0);
    f.setBold(true);
    title->setFont(0, f);
    for (const auto& r : t.rows) {
      auto* item = new QTreeWidgetItem(title, {QString::fromStdString(r.text), QString::fromStdString(r.component),
                                               QString::fromStdString(r.command)});
      item->setToolTip(2, QString::fromStdString(r.command));
      if (auto del = delete_command(name, t.title, r.text)) item->setData(0, Qt::UserRole, QString::fromStdString(*del));
      if (auto ch = change_command(name, t.title, r.text)) item->setData(0, Qt::UserRole + 1, QString::fromStdString(*ch));
    }
  }
  entries_->expandAll();
}

}  // namespace ol::gui
