// Challenge mode, as Packet Tracer's simulation mode lets students predict: at chosen steps of a
// walk the student is asked what comes next — the table row the kernel will match, the device the
// packet leaves by, the outer destination address an encapsulation writes — from a few choices,
// then told whether it was right and why. Questions come from the walk itself, so every scenario
// and mode has its own: a route lookup on the sending node, flanneld's neighbour and FDB entries
// (vxlan), the forwarding device, the encapsulation's outer destination (udp, vxlan).
#pragma once
#include <string>
#include <vector>

#include "runner/walk_recording.h"

namespace ol::gui {

struct Challenge {
  int step = 0;                      // the step asked about (0-based); the walk is shown up to the one before
  std::string kind;                  // "table row", "next device", "outer destination"
  std::string question;
  std::vector<std::string> choices;  // in a fixed order
  int answer = 0;                    // index of the right choice
  std::string explanation;           // why, in the kernel's terms
};

// The walk's questions, in step order (request leg only). Deterministic for a walk.
std::vector<Challenge> make_challenges(const runner::WalkRecording& w);

// A round: one question after another, the score kept.
class ChallengeRound {
 public:
  explicit ChallengeRound(std::vector<Challenge> c) : questions_(std::move(c)) {}
  bool done() const { return current_ >= questions_.size(); }
  const Challenge& current() const { return questions_[current_]; }
  std::size_t index() const { return current_; }
  std::size_t size() const { return questions_.size(); }
  int score() const { return score_; }
  bool answered() const { return answered_; }
  // Scores `choice` for the current question (once); returns the feedback: right or wrong, the
  // right answer and the explanation.
  std::string answer(int choice);
  void next();  // to the next question (after an answer)

 private:
  std::vector<Challenge> questions_;
  std::size_t current_ = 0;
  int score_ = 0;
  bool answered_ = false;
  bool last_right_ = false;
};

}  // namespace ol::gui
