// Sessions of the auditor's pages (/ui/): a person signs in once with a bearer token, and the
// browser then carries a session cookie instead of the token.
//
// - The cookie is a session cookie (no Expires, no Max-Age): the browser forgets it when it
//   closes, so the sign-in lasts one browser session. It is HttpOnly (no script reads it) and
//   SameSite=Strict (no other site's page sends it), with Path=/ui.
// - A session id is 32 random bytes. The table keeps only its SHA-256, as TokenTable keeps
//   tokens, so a memory dump shows no live session.
// - Each session has its own form token (32 random bytes) against cross-site request forgery:
//   every state-changing form carries it, and the server compares it in constant time.
// - A session ends when the person signs out, after kSessionIdle without a request, or
//   kSessionLifetime after sign-in, whichever comes first. At most kSessionsMax live at once; a
//   sign-in beyond that ends the session used least recently.
#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "api/tokens.h"
#include "common/clock.h"

namespace capledger::api {

inline constexpr std::string_view kSessionCookie = "capledger_session";
inline constexpr std::chrono::seconds kSessionIdle = std::chrono::hours(2);
inline constexpr std::chrono::seconds kSessionLifetime = std::chrono::hours(12);
inline constexpr std::size_t kSessionsMax = 10'000;

// A live session as a request sees it: who signed in, and the form token their forms carry.
struct UiSession {
  TokenHolder holder;
  std::string form_token;  // 64 hex digits
};

// What a sign-in hands the browser: the cookie's value (64 hex digits) and the session.
struct SignedIn {
  std::string session_id;
  UiSession session;
};

// The live sessions. Thread-safe; the clock decides idle and lifetime ends.
class UiSessions {
 public:
  // Keeps references to `tokens` and `clock`, which must outlive the table.
  UiSessions(const TokenTable& tokens, const Clock& clock) : tokens_(tokens), clock_(clock) {}

  // Starts a session for the holder of `token`; nullopt if the token is in no table line.
  std::optional<SignedIn> SignIn(std::string_view token);

  // The session of a cookie's value, if it is live; marks it used now. An ended session is
  // forgotten here.
  std::optional<UiSession> Find(std::string_view session_id);

  // Ends the session of `session_id`, if there is one.
  void SignOut(std::string_view session_id);

  // The number of sessions kept (ended ones may linger until the next sign-in sweeps them).
  std::size_t size() const;

 private:
  struct Live {
    UiSession session;
    SteadyTime started;
    SteadyTime used;
  };
  bool Ended(const Live& live, SteadyTime now) const;
  void SweepLocked(SteadyTime now);

  const TokenTable& tokens_;
  const Clock& clock_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Live> live_;  // by the hex SHA-256 of the session id
};

// 32 random bytes as 64 hex digits: a session id, a form token, a sign-in form's one-time value.
std::string RandomHex();

// True if `a` equals `b`; the time taken depends on their lengths only, not on where they differ.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

// True if `presented` is the session's form token (constant time in the token's length).
bool FormTokenMatches(const UiSession& session, std::string_view presented);

// The value of cookie `name` in a Cookie header ("a=1; capledger_session=ab12"), if present.
std::optional<std::string_view> CookieValue(std::string_view cookie_header, std::string_view name);

// The Set-Cookie value that gives the browser `session_id` for this browser session.
std::string SessionCookieHeader(std::string_view session_id);

// The Set-Cookie value that makes the browser forget its session cookie.
std::string ClearedSessionCookieHeader();

}  // namespace capledger::api
