// The challenge tab: one question at a time from the current walk (gui/core/challenge.h), its
// choices as buttons, right or wrong with the explanation, the score. The walk tab follows: before
// an answer it stands on the step before the one asked about, after it on that step.
#pragma once
#include <array>
#include <optional>

#include <QWidget>

#include "gui/core/challenge.h"

class QLabel;
class QPushButton;

namespace ol::gui {

class ChallengeView : public QWidget {
  Q_OBJECT
 public:
  explicit ChallengeView(QWidget* parent = nullptr);
  // A new round from this walk's questions (none: says so).
  void start(const runner::WalkRecording& walk);
  void choose(int choice);  // what a click on choice button `choice` does
  void next();
  const ChallengeRound* round() const { return round_ ? &*round_ : nullptr; }
  QPushButton* choice_button(int k) const { return choices_[std::size_t(k)]; }
  QPushButton* next_button() const { return next_; }
  QString question_text() const;
  QString feedback_text() const;
  QString score_text() const;

 Q_SIGNALS:
  void step_requested(int step);  // 0-based
  void new_round_requested();

 private:
  void show_question();
  std::optional<ChallengeRound> round_;
  QLabel *title_, *score_, *question_, *feedback_;
  std::array<QPushButton*, 4> choices_;
  QPushButton *next_, *restart_;
};

}  // namespace ol::gui
