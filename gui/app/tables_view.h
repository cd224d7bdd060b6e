// The tables inspector: every namespace (grouped by node) and its links, addresses, routes,
// neighbours and FDB, each entry with the command and the component that created it. What if: a
// route, neighbour or FDB row can be deleted (Delete key or the context menu); the window then
// walks again without it, until Reset.
#pragma once
#include <QWidget>

#include "gui/core/cluster_picture.h"

class QLabel;
class QPushButton;
class QTreeWidget;
class QTreeWidgetItem;

namespace ol::gui {

class TablesView : public QWidget {
  Q_OBJECT
 public:
  explicit TablesView(QWidget* parent = nullptr);
  void set_picture(const ClusterPicture& pic);
  void show_namespace(const std::string& name);
  QTreeWidget* entries() const { return entries_; }
  // The row of `ns`'s table whose text starts with `prefix` (tests, the challenge), or nullptr.
  QTreeWidgetItem* find_row(const std::string& table, const std::string& prefix) const;
  // Asks to delete a row (what Delete does on the current one): emits delete_requested with its
  // command; false when no single command removes that row.
  bool request_delete(QTreeWidgetItem* row);
  bool request_change(QTreeWidgetItem* row);  // emits change_requested with the row's replace command
  void set_edits(const std::vector<std::string>& edits);  // the list shown above the tables

 Q_SIGNALS:
  void delete_requested(const QString& command);
  void change_requested(const QString& command);  // the row's replace command, for the user to edit
  void reset_requested();

 private:
  bool eventFilter(QObject* watched, QEvent* e) override;
  ClusterPicture pic_;
  std::string shown_;
  QLabel* edits_;
  QPushButton* reset_;
  QTreeWidget* namespaces_;
  QTreeWidget* entries_;
};

}  // namespace ol::gui
