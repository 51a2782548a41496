// Reading elementary files from a chip (ICAO Doc 9303-10 3.x, ISO/IEC 7816-4 READ BINARY): SELECT by
// file identifier, a first short read to learn the TLV length, then the rest in the largest chunks
// the chip, the link and secure messaging allow. Chips differ (QUIRKS.md "Read sizes"): the reader
// steps down on 6700 / 6B00-to-Le=00, retries 6Cxx with the exact Le, accepts 6282 for the final
// block, and remembers the read size that worked for the rest of the session.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

#include "portti/mrtd/bytes.hpp"
#include "portti/mrtd/card/channel.hpp"
#include "portti/mrtd/card/lds_files.hpp"

namespace portti::mrtd {

/// What reading one file cost, counted on the wire (below secure messaging when a CountingChannel
/// is given).
struct FileReadStats {
  std::size_t apdus = 0;
  std::size_t bytesSent = 0;
  std::size_t bytesReceived = 0;
  double milliseconds = 0;

  FileReadStats& operator+=(const FileReadStats& other);
};

/// The sizes a read must respect: the link's limits and the bytes secure messaging adds.
struct ReadBudget {
  ChannelLimits wire;
  /// Bytes protection adds around n bytes of plain response data (SecureMessaging::responseOverhead);
  /// empty on a plain channel.
  std::function<std::size_t(std::size_t)> responseOverhead;

  /// The largest plain Ne whose (protected) response fits the link: short form (response data at
  /// most 256 bytes) or, when the link allows it, extended form.
  std::size_t largestRead(bool extended) const;
};

/// Reads files over a channel (a plain one, or a secure channel after BAC / PACE). One reader per
/// session: the read size that worked is remembered across files.
class FileReader {
 public:
  /// `budget`: sizes for this session. `wireCounter`: counts the traffic below secure messaging
  /// for the stats (without it the reader counts its own plain commands).
  FileReader(ApduChannel& channel, ReadBudget budget, const CountingChannel* wireCounter = nullptr);
  /// A plain channel: the budget is its limits.
  explicit FileReader(ApduChannel& channel);

  /// SELECT the file (P1=02 P2=0C) and return the status word (9000, 6A82, 6982, ...). Throws only
  /// on transport or secure-messaging failures.
  std::uint16_t selectStatus(const LdsFile& file);
  /// SELECT; 6A82 -> Error{File, "SELECT DG5", "file not found"}, 6982 -> Error{Access, ...,
  /// "access denied (EAC required?)"}, others -> Error{File} with the status word.
  void select(const LdsFile& file);
  /// Reads the currently selected file whole (as long as its first TLV says). `name` is for messages.
  Bytes readSelected(const std::string& name);

  struct Result {
    Bytes bytes;  ///< exactly as read, never re-encoded
    FileReadStats stats;
  };
  /// SELECT and read one file, with its stats.
  Result read(const LdsFile& file);

  /// The plain Ne used for the next chunk (after any step-down).
  std::size_t chunkLimit() const { return chunkLimit_; }
  /// Carries a size learnt earlier in the session over (e.g. to a reader on a re-established
  /// secure channel); never above what the budget allows.
  void setChunkLimit(std::size_t limit);
  /// After the chip refused the current size in a way the reader could not see (it dropped secure
  /// messaging): the next smaller size. False when none is left.
  bool stepDownAfterRefusal();
  /// Bytes of the first read (tag + length); 4 as in Doc 9303-11 Appendix D.4.
  void setHeaderProbe(std::size_t bytes) { headerProbe_ = bytes; }

 private:
  struct Chunk {
    Bytes data;
    bool endOfFile = false;
  };
  Chunk readChunk(const std::string& name, std::size_t offset, std::size_t want);
  ResponseApdu exchange(const CommandApdu& command);
  /// A smaller Ne after the chip refused `ne`, or 0 when there is none left.
  std::size_t stepDown(std::size_t ne) const;

  ApduChannel& channel_;
  ReadBudget budget_;
  const CountingChannel* wireCounter_;
  std::size_t maxShort_;
  std::size_t chunkLimit_;
  std::size_t headerProbe_ = 4;
  FileReadStats own_;  // when there is no wire counter
};

}  // namespace portti::mrtd
