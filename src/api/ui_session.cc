#include "api/ui_session.h"

#include <algorithm>
#include <array>
#include <cstdint>

#include <fmt/format.h>

#include "common/crypto.h"

namespace capledger::api {
namespace {

std::string KeyOf(std::string_view session_id) { return crypto::Hex(crypto::Sha256Of(session_id)); }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::optional<SignedIn> UiSessions::SignIn(std::string_view token) {
  auto holder = tokens_.Find(token);
  if (!holder) return std::nullopt;
  SignedIn signed_in{RandomHex(), UiSession{*holder, RandomHex()}};
  const SteadyTime now = clock_.SteadyNow();
  std::lock_guard lock(mutex_);
  SweepLocked(now);
  if (live_.size() >= kSessionsMax) {
    auto oldest = std::min_element(live_.begin(), live_.end(),
                                   [](const auto& a, const auto& b) { return a.second.used < b.second.used; });
    live_.erase(oldest);
  }
  live_.emplace(KeyOf(signed_in.session_id), Live{signed_in.session, now, now});
  return signed_in;
}

std::optional<UiSession> UiSessions::Find(std::string_view session_id) {
  const std::string key = KeyOf(session_id);
  const SteadyTime now = clock_.SteadyNow();
  std::lock_guard lock(mutex_);
  auto it = live_.find(key);
  if (it == live_.end()) return std::nullopt;
  if (Ended(it->second, now)) {
    live_.erase(it);
    return std::nullopt;
  }
  it->second.used = now;
  return it->second.session;
}

void UiSessions::SignOut(std::string_view session_id) {
  const std::string key = KeyOf(session_id);
  std::lock_guard lock(mutex_);
  live_.erase(key);
}

std::size_t UiSessions::size() const {
  std::lock_guard lock(mutex_);
  return live_.size();
}

bool UiSessions::Ended(const Live& live, SteadyTime now) const {
  return now - live.used >= kSessionIdle || now - live.started >= kSessionLifetime;
}

void UiSessions::SweepLocked(SteadyTime now) {
  std::erase_if(live_, [&](const auto& entry) { return Ended(entry.second, now); });
}

std::string RandomHex() {
  std::array<std::uint8_t, 32> bytes{};
  crypto::RandomBytes(bytes);
  return crypto::Hex(bytes);
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char difference = 0;
  for (std::size_t i = 0; i < a.size(); ++i) difference |= static_cast<unsigned char>(a[i] ^ b[i]);
  return difference == 0;
}

bool FormTokenMatches(const UiSession& session, std::string_view presented) {
  return ConstantTimeEquals(session.form_token, presented);
}

std::optional<std::string_view> CookieValue(std::string_view cookie_header, std::string_view name) {
  while (!cookie_header.empty()) {
    const std::size_t end = std::min(cookie_header.find(';'), cookie_header.size());
    const std::string_view pair = Trim(cookie_header.substr(0, end));
    cookie_header.remove_prefix(std::min(end + 1, cookie_header.size()));
    const std::size_t eq = pair.find('=');
    if (eq == std::string_view::npos || Trim(pair.substr(0, eq)) != name) continue;
    std::string_view value = Trim(pair.substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
    return value;
  }
  return std::nullopt;
}

std::string SessionCookieHeader(std::string_view session_id) {
  return fmt::format("{}={}; Path=/ui; HttpOnly; SameSite=Strict", kSessionCookie, session_id);
}

std::string ClearedSessionCookieHeader() {
  return fmt::format("{}=; Path=/ui; HttpOnly; SameSite=Strict; Max-Age=0", kSessionCookie);
}

}  // namespace capledger::api
