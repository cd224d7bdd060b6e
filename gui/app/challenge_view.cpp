#include "gui/app/challenge_view.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace ol::gui {

ChallengeView::ChallengeView(QWidget* parent) : QWidget(parent) {
  auto* v = new QVBoxLayout(this);
  auto* top = new QHBoxLayout;
  title_ = new QLabel("<b>Challenge</b>: predict what the kernel does next. Walk a packet first, then start a round.", this);
  title_->setWordWrap(true);
  restart_ = new QPushButton("New round from the current walk", this);
  score_ = new QLabel(this);
  top->addWidget(title_, 1);
  top->addWidget(score_);
  top->addWidget(restart_);
  v->addLayout(top);
  question_ = new QLabel(this);
  question_->setWordWrap(true);
  QFont qf = question_->font();
  qf.setPointSizeF(13);
  qf.setBold(true);
  question_->setFont(qf);
  question_->setMinimumHeight(4 * QFontMetrics(qf).lineSpacing());  // the choices stay put from question to question
  question_->setAlignment(Qt::AlignLeft | Qt::AlignTop);
  v->addWidget(question_);
  QFont mono("DejaVu Sans Mono");
  mono.setPointSizeF(10.5);
  for (std::size_t k = 0; k < choices_.size(); ++k) {
    auto* b = choices_[k] = new QPushButton(this);
    b->setObjectName(QString("choice-%1").arg(k + 1));
    b->setFont(mono);
    b->setStyleSheet("text-align: left; padding: 8px;");
    QSizePolicy keep = b->sizePolicy();
    keep.setRetainSizeWhenHidden(true);  // fewer choices leave a gap: Next stays where it was
    b->setSizePolicy(keep);
    connect(b, &QPushButton::clicked, this, [this, k] { choose(int(k)); });
    v->addWidget(b);
  }
  feedback_ = new QLabel(this);
  feedback_->setWordWrap(true);
  QFont ff = feedback_->font();
  ff.setPointSizeF(11.5);
  feedback_->setFont(ff);
  v->addWidget(feedback_);
  next_ = new QPushButton("Next question ▶", this);
  next_->setObjectName("next-question");
  v->addWidget(next_, 0, Qt::AlignLeft);
  v->addStretch(1);
  connect(next_, &QPushButton::clicked, this, [this] { next(); });
  connect(restart_, &QPushButton::clicked, this, [this] { Q_EMIT new_round_requested(); });
  show_question();
}

QString ChallengeView::question_text() const { return question_->text(); }
QString ChallengeView::feedback_text() const { return feedback_->text(); }
QString ChallengeView::score_text() const { return score_->text(); }

void ChallengeView::start(const runner::WalkRecording& walk) {
  round_.emplace(make_challenges(walk));
  title_->setText(QString::fromStdString("<b>Challenge</b>: " + walk.from + " → " + walk.to + " in " + walk.mode +
                                         ". The walk tab shows the packet up to the step asked about."));
  show_question();
}

void ChallengeView::show_question() {
  feedback_->clear();
  const bool on = round_ && !round_->done();
  for (std::size_t k = 0; k < choices_.size(); ++k) {
    const bool used = on && k < round_->current().choices.size();
    choices_[k]->setVisible(used);
    choices_[k]->setEnabled(used);
    choices_[k]->setText(used ? QString::fromStdString(round_->current().choices[k]) : QString());
  }
  next_->setEnabled(false);
  if (!round_) {
    question_->setText("No round yet.");
    score_->clear();
    return;
  }
  score_->setText(QString("score %1 / %2").arg(round_->score()).arg(round_->size()));
  if (round_->size() == 0) return question_->setText("This walk has no decision on a node to ask about (both pods on one node?).");
  if (round_->done()) return question_->setText(QString("Done: %1 of %2 right.").arg(round_->score()).arg(round_->size()));
  const Challenge& c = round_->current();
  question_->setText(QString("Question %1 of %2 (%3): %4")
                         .arg(round_->index() + 1)
                         .arg(round_->size())
                         .arg(QString::fromStdString(c.kind))
                         .arg(QString::fromStdString(c.question)));
  Q_EMIT step_requested(std::max(0, c.step - 1));
}

void ChallengeView::choose(int choice) {
  if (!round_ || round_->done() || round_->answered()) return;
  const std::string text = round_->answer(choice);
  const bool right = choice == round_->current().answer;
  feedback_->setStyleSheet(right ? "color: #1d7a2a;" : "color: #b02020;");
  feedback_->setText(QString::fromStdString(text));
  for (std::size_t k = 0; k < choices_.size(); ++k) {
    choices_[k]->setEnabled(false);
    if (int(k) == round_->current().answer) choices_[k]->setStyleSheet("text-align: left; padding: 8px; background: #c8ecc8;");
    else if (int(k) == choice) choices_[k]->setStyleSheet("text-align: left; padding: 8px; background: #f4c4c4;");
  }
  score_->setText(QString("score %1 / %2").arg(round_->score()).arg(round_->size()));
  next_->setEnabled(true);
  Q_EMIT step_requested(round_->current().step);
}

void ChallengeView::next() {
  if (!round_ || !round_->answered()) return;
  for (auto* b : choices_) b->setStyleSheet("text-align: left; padding: 8px;");
  round_->next();
  show_question();
}

}  // namespace ol::gui
