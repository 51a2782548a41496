// Officer call-outs (issue 8 item 6: a clear path to a human officer at every step). The kiosk's
// "Call an officer" button opens a call; it stays open until a technician or officer clears it.
// Each call goes to every channel: the kiosk's own lights here, a site's staff system (pager
// gateway, officers' console) through one more OfficerCallChannel. A call holds the screen and the
// random transaction id, never personal data.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

namespace portti::hw {
class IndicatorLights;
}

namespace portti::firmware {

class AuditLog;
class RecentErrors;

struct OfficerCall {
  std::string id;             ///< random
  std::string screen;         ///< the kiosk's state when called ("live_capture", "idle")
  std::string transactionId;  ///< the transaction in progress (random), empty when none
  std::chrono::system_clock::time_point at{};
  std::vector<std::string> forwardedTo;  ///< the channels that took it
};

/// Where a call-out goes: the one interface a site implements to forward call-outs to its staff.
class OfficerCallChannel {
 public:
  virtual ~OfficerCallChannel() = default;
  /// A short name for diagnostics ("indicator lights", "staff pager").
  virtual std::string name() const = 0;
  /// A call was opened / cleared. Throws when it cannot be passed on (the desk records why and the
  /// call stays open). Called with the desk's lock held: return quickly, queue slow work.
  virtual void opened(const OfficerCall& call) = 0;
  virtual void cleared(const OfficerCall& call) = 0;
};

/// The kiosk's own channel: the lamps show Attention while any call is open, and what they showed
/// before once none is.
class IndicatorLightsChannel : public OfficerCallChannel {
 public:
  explicit IndicatorLightsChannel(hw::IndicatorLights& lights) : lights_(lights) {}
  std::string name() const override { return "indicator lights"; }
  void opened(const OfficerCall& call) override;
  void cleared(const OfficerCall& call) override;

 private:
  hw::IndicatorLights& lights_;
  std::mutex mutex_;
  int open_ = 0;
  int before_ = 0;  // hw::Signal shown before the first open call
};

/// The open calls of one kiosk. Thread-safe.
class OfficerDesk {
 public:
  /// "officer_called" / "officer_call_cleared" with the call: the daemon publishes it to the UI.
  using Listener = std::function<void(const std::string& event, const OfficerCall& call)>;

  /// `audit` and `errors` may be null (tests); every open and clear is audited when given. A call
  /// never fails for want of an audit record or a channel: those failures go to `errors`.
  OfficerDesk(AuditLog* audit, RecentErrors* errors);
  void addChannel(std::unique_ptr<OfficerCallChannel> channel);
  void setListener(Listener listener);

  /// Opens a call, or returns the open one (pressing again is the same call-out); `isNew` says.
  struct Raised {
    OfficerCall call;
    bool isNew = false;
  };
  Raised call(const std::string& screen, const std::string& transactionId);
  /// Closes a call; nullopt when no open call has that id.
  std::optional<OfficerCall> clear(const std::string& id);
  std::vector<OfficerCall> open() const;
  /// The open calls for diagnostics: id, at, screen, transaction, forwarded_to.
  Poco::JSON::Array::Ptr json() const;

 private:
  void audit(const std::string& event, const OfficerCall& call);
  AuditLog* audit_;
  RecentErrors* errors_;
  mutable std::mutex mutex_;
  std::vector<std::unique_ptr<OfficerCallChannel>> channels_;
  std::vector<OfficerCall> open_;
  Listener listener_;
};

/// JSON of one call (what the technician sees; no personal data).
Poco::JSON::Object::Ptr officerCallJson(const OfficerCall& call);

}  // namespace portti::firmware
