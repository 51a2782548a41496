#include "portti/firmware/officer_calls.hpp"

#include <algorithm>

#include "json_support.hpp"
#include "portti/firmware/audit_log.hpp"
#include "portti/firmware/diagnostics.hpp"
#include "portti/firmware/transaction.hpp"
#include "portti/hw/indicator_lights.hpp"

namespace portti::firmware {

void IndicatorLightsChannel::opened(const OfficerCall&) {
  std::lock_guard lock(mutex_);
  if (open_++ == 0) before_ = static_cast<int>(lights_.showing());
  lights_.show(hw::Signal::Attention);
  if (lights_.showing() != hw::Signal::Attention) throw std::runtime_error(lights_.status().lastError);
}

void IndicatorLightsChannel::cleared(const OfficerCall&) {
  std::lock_guard lock(mutex_);
  if (open_ > 0 && --open_ == 0) lights_.show(static_cast<hw::Signal>(before_));
}

Poco::JSON::Object::Ptr officerCallJson(const OfficerCall& call) {
  Poco::JSON::Object::Ptr o = newObject();
  o->set("id", call.id);
  o->set("at", isoTime(call.at));
  o->set("screen", call.screen);
  o->set("transaction_id", call.transactionId);
  Poco::JSON::Array::Ptr to = new Poco::JSON::Array;
  for (const auto& c : call.forwardedTo) to->add(c);
  o->set("forwarded_to", to);
  return o;
}

OfficerDesk::OfficerDesk(AuditLog* audit, RecentErrors* errors) : audit_(audit), errors_(errors) {}

void OfficerDesk::addChannel(std::unique_ptr<OfficerCallChannel> channel) {
  std::lock_guard lock(mutex_);
  channels_.push_back(std::move(channel));
}

void OfficerDesk::setListener(Listener listener) {
  std::lock_guard lock(mutex_);
  listener_ = std::move(listener);
}

void OfficerDesk::audit(const std::string& event, const OfficerCall& call) {
  if (!audit_) return;
  Poco::JSON::Object fields(Poco::JSON_PRESERVE_KEY_ORDER);
  fields.set("call", call.id);
  fields.set("screen", call.screen);
  fields.set("transaction", call.transactionId);
  try {
    audit_->append(event, fields);
  } catch (const std::exception& e) {
    if (errors_) errors_->add("audit", e.what());
  }
}

OfficerDesk::Raised OfficerDesk::call(const std::string& screen, const std::string& transactionId) {
  Listener listener;
  Raised raised;
  {
    std::lock_guard lock(mutex_);
    if (!open_.empty()) return {open_.back(), false};
    OfficerCall call{newTransactionId(), screen, transactionId, std::chrono::system_clock::now(), {}};
    for (const auto& channel : channels_) {
      try {
        channel->opened(call);
        call.forwardedTo.push_back(channel->name());
      } catch (const std::exception& e) {
        if (errors_) errors_->add("officer call", channel->name() + " did not take the call: " + e.what());
      }
    }
    open_.push_back(call);
    audit("officer_called", call);
    raised = {call, true};
    listener = listener_;
  }
  if (listener) listener("officer_called", raised.call);
  return raised;
}

std::optional<OfficerCall> OfficerDesk::clear(const std::string& id) {
  Listener listener;
  OfficerCall call;
  {
    std::lock_guard lock(mutex_);
    auto it = std::find_if(open_.begin(), open_.end(), [&](const OfficerCall& c) { return c.id == id; });
    if (it == open_.end()) return std::nullopt;
    call = *it;
    open_.erase(it);
    for (const auto& channel : channels_) {
      try {
        channel->cleared(call);
      } catch (const std::exception& e) {
        if (errors_) errors_->add("officer call", channel->name() + " did not take the clearing: " + e.what());
      }
    }
    audit("officer_call_cleared", call);
    listener = listener_;
  }
  if (listener) listener("officer_call_cleared", call);
  return call;
}

std::vector<OfficerCall> OfficerDesk::open() const {
  std::lock_guard lock(mutex_);
  return open_;
}

Poco::JSON::Array::Ptr OfficerDesk::json() const {
  Poco::JSON::Array::Ptr a = new Poco::JSON::Array;
  for (const auto& c : open()) a->add(officerCallJson(c));
  return a;
}

}  // namespace portti::firmware
