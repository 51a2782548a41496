// Small helpers the firmware's JSON answers share (diagnostics, the local API, results).
#pragma once

#include <Poco/DateTimeFormatter.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/Timestamp.h>

#include <chrono>
#include <string>
#include <vector>

namespace portti::firmware {

/// An object that keeps its keys in insertion order (stable, readable answers).
inline Poco::JSON::Object::Ptr newObject() { return new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER); }

/// A JSON array of strings, in order.
inline Poco::JSON::Array::Ptr stringArray(const std::vector<std::string>& items) {
  Poco::JSON::Array::Ptr a = new Poco::JSON::Array;
  for (const auto& s : items) a->add(s);
  return a;
}

/// UTC to the second: "2026-12-04T23:31:26Z".
inline std::string isoTime(std::chrono::system_clock::time_point t) {
  const auto us = std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
  return Poco::DateTimeFormatter::format(Poco::Timestamp(us), "%Y-%m-%dT%H:%M:%SZ");
}

}  // namespace portti::firmware
