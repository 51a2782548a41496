// The contactless link the chip benchmarks assume: 424 kbit/s, 9 bits per byte on air, 3 framing bytes
// each way per APDU and 5 ms turnaround (a typical PN532-class reader with an ePassport).
#pragma once

#include <cstddef>
#include <cstdio>

namespace portti::bench {

constexpr double kBitRate = 424000.0;
constexpr double kBitsPerByte = 9.0;
constexpr double kFramingBytes = 3.0;
constexpr double kTurnaroundMs = 5.0;

/// Milliseconds on the link for `apdus` exchanges carrying `bytes` in total.
inline double linkMs(std::size_t apdus, std::size_t bytes) {
  const double airBytes = static_cast<double>(bytes) + 2.0 * kFramingBytes * static_cast<double>(apdus);
  return airBytes * kBitsPerByte / kBitRate * 1000.0 + kTurnaroundMs * static_cast<double>(apdus);
}

/// One line naming the model, so every printed figure says what it assumed.
inline void printLinkModel() {
  std::printf("link model: %.0f kbit/s, %.0f bits/byte, %.0f framing bytes/frame, %.1f ms turnaround/APDU\n",
              kBitRate / 1000, kBitsPerByte, kFramingBytes, kTurnaroundMs);
}

}  // namespace portti::bench
