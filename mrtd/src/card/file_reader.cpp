#include "portti/mrtd/card/file_reader.hpp"

#include <algorithm>
#include <optional>

#include "portti/mrtd/error.hpp"
#include "portti/mrtd/sm/secure_messaging.hpp"
#include "portti/mrtd/tlv.hpp"

namespace portti::mrtd {

namespace {
/// Read sizes to fall back to when a chip refuses a size (QUIRKS.md: some fail above 160 bytes).
constexpr std::size_t kStepDownLadder[] = {224, 160, 128, 64, 32, 16};
/// A TLV header is at most 3 tag bytes and 5 length bytes.
constexpr std::size_t kMaxHeader = 8;

std::size_t lengthFieldSize(std::size_t n) { return encodeLength(n).size(); }

/// Total length (header + value) of the first TLV in `head`, or nullopt when more bytes are needed.
/// Throws for headers no LDS file has (indefinite length, more than 4 length bytes).
std::optional<std::size_t> tlvTotalLength(ByteView head, const std::string& step) {
  std::size_t pos = 0;
  if (head.empty()) return std::nullopt;
  if ((head[pos++] & 0x1F) == 0x1F) {
    do {
      if (pos >= head.size()) return std::nullopt;
      if (pos >= 3) throw Error(ErrorArea::File, step, "file starts with a tag longer than 3 bytes");
    } while (head[pos++] & 0x80);
  }
  if (pos >= head.size()) return std::nullopt;
  const std::uint8_t first = head[pos++];
  if (first < 0x80) return pos + first;
  if (first == 0x80) throw Error(ErrorArea::File, step, "file starts with an indefinite length");
  const std::size_t n = first & 0x7F;
  if (n > 4) throw Error(ErrorArea::File, step, "file length field of " + std::to_string(n) + " bytes");
  if (pos + n > head.size()) return std::nullopt;
  std::size_t length = 0;
  for (std::size_t i = 0; i < n; ++i) length = length << 8 | head[pos++];
  return pos + length;
}

/// Largest n with 1 + len(n) + n <= ne: data bytes a DO'53' of at most ne bytes can hold.
std::size_t wrappedCapacity(std::size_t ne) {
  std::size_t n = ne > 2 ? ne - 2 : 0;
  while (n > 0 && 1 + lengthFieldSize(n) + n > ne) --n;
  return n;
}

std::string hex4(std::uint16_t s) { return describeStatus(s); }
}  // namespace

FileReadStats& FileReadStats::operator+=(const FileReadStats& o) {
  apdus += o.apdus;
  bytesSent += o.bytesSent;
  bytesReceived += o.bytesReceived;
  milliseconds += o.milliseconds;
  return *this;
}

std::size_t ReadBudget::largestRead(bool extended) const {
  if (extended && !wire.extendedLength) extended = false;
  const std::size_t wireData = wire.maxResponseBytes > 2 ? wire.maxResponseBytes - 2 : 0;
  const std::size_t limit = std::min<std::size_t>(wireData, extended ? 65536 : 256);
  if (!responseOverhead) return limit;
  // n + overhead(n) grows with n: binary search for the largest n that fits.
  std::size_t lo = 0, hi = limit;
  while (lo < hi) {
    const std::size_t mid = (lo + hi + 1) / 2;
    if (mid + responseOverhead(mid) <= limit) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

FileReader::FileReader(ApduChannel& channel, ReadBudget budget, const CountingChannel* wireCounter)
    : channel_(channel), budget_(std::move(budget)), wireCounter_(wireCounter) {
  maxShort_ = budget_.largestRead(false);
  chunkLimit_ = std::max(maxShort_, budget_.largestRead(true));
}

FileReader::FileReader(ApduChannel& channel) : FileReader(channel, ReadBudget{channel.limits(), {}}) {}

ResponseApdu FileReader::exchange(const CommandApdu& command) {
  ResponseApdu r = channel_.transmit(command);
  if (!wireCounter_) {
    ++own_.apdus;
    own_.bytesSent += command.encode().size();
    own_.bytesReceived += r.data.size() + 2;
  }
  return r;
}

std::uint16_t FileReader::selectStatus(const LdsFile& file) {
  CommandApdu c{0x00, 0xA4, 0x02, 0x0C, {static_cast<std::uint8_t>(file.fid >> 8),
                                         static_cast<std::uint8_t>(file.fid & 0xFF)}, 0};
  return exchange(c).sw;
}

void FileReader::select(const LdsFile& file) {
  const std::string step = std::string("SELECT ") + file.name;
  const std::uint16_t s = selectStatus(file);
  switch (s) {
    case sw::kOk: return;
    case sw::kFileNotFound: throw Error(ErrorArea::File, step, "file not found");
    case sw::kSecurityNotSatisfied: throw Error(ErrorArea::Access, step, "access denied (EAC required?)");
    case sw::kSmDataObjectsMissing:
    case sw::kSmDataObjectsIncorrect:
      throw Error(ErrorArea::SecureMessaging, step, "chip rejected secure messaging: " + hex4(s));
    default: throw Error(ErrorArea::File, step, "chip answered " + hex4(s));
  }
}

void FileReader::setChunkLimit(std::size_t limit) {
  chunkLimit_ = std::min(limit, std::max(maxShort_, budget_.largestRead(true)));
}

bool FileReader::stepDownAfterRefusal() {
  const std::size_t smaller = stepDown(chunkLimit_);
  if (smaller == 0) return false;
  chunkLimit_ = smaller;
  return true;
}

std::size_t FileReader::stepDown(std::size_t ne) const {
  if (ne > 256) return maxShort_;  // extended refused: short reads
  for (std::size_t size : kStepDownLadder)
    if (size < ne && size <= maxShort_) return size;
  return 0;
}

FileReader::Chunk FileReader::readChunk(const std::string& name, std::size_t offset, std::size_t want) {
  const std::string step = "READ BINARY " + name;
  bool retried6C = false;
  std::size_t exactNe = 0;  // 0: none; else the Ne a 6Cxx asked for
  for (;;) {
    const bool odd = offset > 0x7FFF;  // B0 carries 15 bits of offset; beyond, B1 with DO'54'
    std::size_t ne = 0;
    std::size_t asked = 0;  // data bytes wanted from this command
    CommandApdu c;
    if (!odd) {
      asked = std::min(want, chunkLimit_);
      if (exactNe) asked = std::min(asked, exactNe);
      ne = asked;
      c = CommandApdu{0x00, 0xB0, static_cast<std::uint8_t>(offset >> 8), static_cast<std::uint8_t>(offset & 0xFF),
                      {}, ne};
    } else {
      asked = std::min(want, wrappedCapacity(chunkLimit_));
      ne = 1 + lengthFieldSize(asked) + asked;
      if (exactNe) ne = std::min(ne, exactNe);
      Bytes off;
      for (std::size_t v = offset; v != 0; v >>= 8) off.insert(off.begin(), static_cast<std::uint8_t>(v & 0xFF));
      c = CommandApdu{0x00, 0xB1, 0x00, 0x00, encodeTlv(0x54, off), ne};
    }
    if (asked == 0) throw Error(ErrorArea::File, step, "no read size left that the chip accepts");
    const ResponseApdu r = exchange(c);
    switch (r.sw) {
      case sw::kOk:
      case sw::kEndOfFileWarning: {
        if (r.data.size() > ne)
          throw Error(ErrorArea::File, step,
                      "chip returned " + std::to_string(r.data.size()) + " bytes, asked for " + std::to_string(ne));
        Chunk chunk;
        chunk.endOfFile = r.sw == sw::kEndOfFileWarning;
        if (odd) {
          try {
            const Tlv wrapped = decodeOne(r.data);
            if (wrapped.tag != 0x53) throw Error(ErrorArea::File, step, "B1 response not in DO'53'");
            chunk.data.assign(wrapped.value.begin(), wrapped.value.end());
          } catch (const Error& e) {
            if (e.area() == ErrorArea::File) throw;
            throw Error(ErrorArea::File, step, std::string("malformed DO'53' in the B1 response: ") + e.what());
          }
        } else {
          chunk.data = r.data;
        }
        if (chunk.data.size() > want)
          throw Error(ErrorArea::File, step,
                      "chip returned " + std::to_string(chunk.data.size()) + " bytes, asked for " + std::to_string(want));
        return chunk;
      }
      case sw::kWrongLength:
      case sw::kWrongP1P2: {
        // 6B00 is only a size problem when we asked for "everything" (Le=00 or extended);
        // otherwise the offset is past the end of the file.
        const bool sizeProblem = r.sw == sw::kWrongLength || ne >= 256;
        if (!sizeProblem)
          throw Error(ErrorArea::File, step,
                      "offset " + std::to_string(offset) + " is past the end of the file (" + hex4(r.sw) + ")");
        const std::size_t smaller = stepDown(std::min(ne, chunkLimit_));
        if (smaller == 0)
          throw Error(ErrorArea::File, step, "chip refused every read size down to " + std::to_string(ne) +
                                                 " bytes (" + hex4(r.sw) + ")");
        chunkLimit_ = smaller;  // remembered for the rest of the session
        exactNe = 0;
        continue;
      }
      case sw::kFileNotFound: throw Error(ErrorArea::File, step, "file not found");
      case sw::kSecurityNotSatisfied: throw Error(ErrorArea::Access, step, "access denied (EAC required?)");
      case sw::kSmDataObjectsMissing:
      case sw::kSmDataObjectsIncorrect:
        throw Error(ErrorArea::SecureMessaging, step, "chip rejected secure messaging: " + hex4(r.sw));
      default:
        if (r.sw1() == 0x6C && !retried6C) {  // wrong Le: SW2 is the exact length (00 = 256)
          retried6C = true;
          exactNe = r.sw2() == 0 ? 256 : r.sw2();
          continue;
        }
        throw Error(ErrorArea::File, step, "chip answered " + hex4(r.sw) + " at offset " + std::to_string(offset));
    }
  }
}

Bytes FileReader::readSelected(const std::string& name) {
  const std::string step = "READ BINARY " + name;
  Bytes out;
  std::optional<std::size_t> total;
  bool endOfFile = false;
  // The header first: a few bytes, more if the length field is long.
  while (!total) {
    if (endOfFile)
      throw Error(ErrorArea::File, step, "file of " + std::to_string(out.size()) + " bytes ends inside its TLV header");
    const std::size_t want = out.empty() ? headerProbe_ : kMaxHeader - out.size();
    if (want == 0) throw Error(ErrorArea::File, step, "no TLV header in the first bytes of the file");
    Chunk chunk = readChunk(name, out.size(), want);
    if (chunk.data.empty()) throw Error(ErrorArea::File, step, "chip returned no data at offset " + std::to_string(out.size()));
    out.insert(out.end(), chunk.data.begin(), chunk.data.end());
    endOfFile = chunk.endOfFile;
    total = tlvTotalLength(out, step);
  }
  if (out.size() > *total) out.resize(*total);  // the probe read past a tiny file's end (bytes after its TLV)
  while (out.size() < *total) {
    if (endOfFile)
      throw Error(ErrorArea::File, step, "file ends after " + std::to_string(out.size()) +
                                             " bytes but its length field says " + std::to_string(*total));
    Chunk chunk = readChunk(name, out.size(), *total - out.size());
    if (chunk.data.empty()) throw Error(ErrorArea::File, step, "chip returned no data at offset " + std::to_string(out.size()));
    out.insert(out.end(), chunk.data.begin(), chunk.data.end());
    endOfFile = chunk.endOfFile;
  }
  return out;
}

FileReader::Result FileReader::read(const LdsFile& file) {
  const auto start = std::chrono::steady_clock::now();
  const ChannelCounters before = wireCounter_ ? wireCounter_->counters() : ChannelCounters{};
  const FileReadStats ownBefore = own_;
  Result result;
  try {
    select(file);
    result.bytes = readSelected(file.name);
  } catch (const UnprotectedStatusError&) {
    throw;  // the caller may re-authenticate and go on
  } catch (const Error& e) {
    if (e.area() != ErrorArea::SecureMessaging) throw;
    throw Error(ErrorArea::SecureMessaging, std::string("reading ") + file.name,
                e.detail() + " (" + e.step() + "; the secure messaging session has ended)");
  }
  if (wireCounter_) {
    const ChannelCounters& after = wireCounter_->counters();
    result.stats.apdus = after.apdus - before.apdus;
    result.stats.bytesSent = after.bytesSent - before.bytesSent;
    result.stats.bytesReceived = after.bytesReceived - before.bytesReceived;
  } else {
    result.stats.apdus = own_.apdus - ownBefore.apdus;
    result.stats.bytesSent = own_.bytesSent - ownBefore.bytesSent;
    result.stats.bytesReceived = own_.bytesReceived - ownBefore.bytesReceived;
  }
  result.stats.milliseconds =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace portti::mrtd
