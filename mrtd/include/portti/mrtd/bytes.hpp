// Byte buffers, views and hex helpers shared by every part of mrtd.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace portti::mrtd {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

/// Parses hex digits, ignoring spaces, tabs and newlines; throws std::invalid_argument otherwise.
Bytes fromHex(std::string_view hex);

/// Upper-case hex without separators.
std::string toHex(ByteView bytes);

/// Concatenates any number of byte views.
Bytes concat(std::initializer_list<ByteView> parts);

/// A byte buffer for keys and other secrets: wiped when it is destroyed or reassigned.
class SecretBytes {
 public:
  SecretBytes() = default;
  explicit SecretBytes(ByteView bytes) : data_(bytes.begin(), bytes.end()) {}
  explicit SecretBytes(Bytes&& bytes) : data_(std::move(bytes)) {}
  SecretBytes(const SecretBytes& other) : data_(other.data_) {}
  SecretBytes(SecretBytes&& other) noexcept : data_(std::move(other.data_)) {}
  SecretBytes& operator=(const SecretBytes& other);
  SecretBytes& operator=(SecretBytes&& other) noexcept;
  ~SecretBytes();

  ByteView view() const { return data_; }
  const std::uint8_t* data() const { return data_.data(); }
  std::size_t size() const { return data_.size(); }
  bool empty() const { return data_.empty(); }
  std::uint8_t operator[](std::size_t i) const { return data_[i]; }

 private:
  void wipe();
  Bytes data_;
};

}  // namespace portti::mrtd
