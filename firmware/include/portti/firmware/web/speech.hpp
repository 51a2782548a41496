// Spoken guidance from the kiosk's own loudspeaker (EN 301 549: a kiosk is closed functionality, so
// it speaks without the person's own assistive technology): espeak-ng, one utterance at a time.
#pragma once

#include <sys/types.h>

#include <mutex>
#include <string>
#include <vector>

namespace portti::firmware::web {

class Speech {
 public:
  /// `command` is the synthesiser and its leading arguments; the voice and the text follow.
  explicit Speech(std::vector<std::string> command = {"espeak-ng", "-s", "150"});
  ~Speech();
  /// Starts speaking `text` in `language` (en, fi or sv), cutting off what was being said.
  /// Returns an error message (unknown language, empty or too long text, no synthesiser), or "".
  std::string say(const std::string& language, const std::string& text);

 private:
  void stopLocked();
  std::vector<std::string> command_;
  std::mutex mutex_;
  pid_t child_ = -1;
};

}  // namespace portti::firmware::web
