// The tables inspector: every namespace (grouped by node) and its links, addresses, routes,
// neighbours and FDB, each entry with the command and the component that created it.
#pragma once
#include <QWidget>

#include "gui/core/cluster_picture.h"

class QTreeWidget;

namespace ol::gui {

class TablesView : public QWidget {
  Q_OBJECT
 public:
  explicit TablesView(QWidget* parent = nullptr);
  void set_picture(const ClusterPicture& pic);
  void show_namespace(const std::string& name);
  QTreeWidget* entries() const { return entries_; }

 private:
  ClusterPicture pic_;
  QTreeWidget* namespaces_;
  QTreeWidget* entries_;
};

}  // namespace ol::gui
