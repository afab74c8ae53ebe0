// Sessions of the auditor's pages: sign-in by token, idle and lifetime ends on a fake clock, the
// bound on live sessions, the form token, and reading the session cookie.
#include <doctest/doctest.h>

#include <chrono>
#include <set>
#include <string>

#include "api/ui_session.h"

namespace capledger::api {
namespace {

using std::chrono::hours;
using std::chrono::minutes;

TokenTable Tokens() {
  return *TokenTable::Parse("auditor aaaaaaaaaaaaaaaa1 ann\noperator bbbbbbbbbbbbbbbb2 olle\n");
}

bool IsHex64(std::string_view s) {
  return s.size() == 64 && s.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

TEST_CASE("a known token signs in; the session carries its role and a form token of its own") {
  const TokenTable tokens = Tokens();
  FakeClock clock(Timestamp{});
  UiSessions sessions(tokens, clock);
  auto ann = sessions.SignIn("aaaaaaaaaaaaaaaa1");
  auto olle = sessions.SignIn("bbbbbbbbbbbbbbbb2");
  REQUIRE(ann.has_value());
  REQUIRE(olle.has_value());
  CHECK(ann->session.holder.role == Role::kAuditor);
  CHECK(ann->session.holder.who == "ann");
  CHECK(olle->session.holder.role == Role::kOperator);
  CHECK(IsHex64(ann->session_id));
  CHECK(IsHex64(ann->session.form_token));
  CHECK(ann->session_id != olle->session_id);
  CHECK(ann->session.form_token != olle->session.form_token);
  CHECK(ann->session_id != ann->session.form_token);
  auto found = sessions.Find(ann->session_id);
  REQUIRE(found.has_value());
  CHECK(found->holder.who == "ann");
  CHECK(found->form_token == ann->session.form_token);
}

TEST_CASE("an unknown token does not sign in, and an unknown session id finds nothing") {
  const TokenTable tokens = Tokens();
  FakeClock clock(Timestamp{});
  UiSessions sessions(tokens, clock);
  CHECK_FALSE(sessions.SignIn("aaaaaaaaaaaaaaaa").has_value());
  CHECK_FALSE(sessions.SignIn("").has_value());
  CHECK(sessions.size() == 0);
  auto ann = sessions.SignIn("aaaaaaaaaaaaaaaa1");
  REQUIRE(ann.has_value());
  CHECK_FALSE(sessions.Find("").has_value());
  CHECK_FALSE(sessions.Find(ann->session.form_token).has_value());  // the form token is no session id
  CHECK_FALSE(sessions.Find(ann->session_id.substr(0, 63)).has_value());
}

TEST_CASE("a session ends after two idle hours, and each request keeps it alive") {
  const TokenTable tokens = Tokens();
  FakeClock clock(Timestamp{});
  UiSessions sessions(tokens, clock);
  auto ann = sessions.SignIn("aaaaaaaaaaaaaaaa1");
  REQUIRE(ann.has_value());
  clock.Advance(hours(2) - minutes(1));  // 1:59 idle: still live, and now used again
  CHECK(sessions.Find(ann->session_id).has_value());
  clock.Advance(hours(2) - minutes(1));  // 1:59 since that use (3:58 since sign-in)
  CHECK(sessions.Find(ann->session_id).has_value());
  clock.Advance(hours(2));  // exactly kSessionIdle since the last use
  CHECK_FALSE(sessions.Find(ann->session_id).has_value());
  CHECK_FALSE(sessions.Find(ann->session_id).has_value());  // and it stays ended
}

TEST_CASE("a session ends twelve hours after sign-in however busy it is") {
  const TokenTable tokens = Tokens();
  FakeClock clock(Timestamp{});
  UiSessions sessions(tokens, clock);
  auto ann = sessions.SignIn("aaaaaaaaaaaaaaaa1");
  REQUIRE(ann.has_value());
  // Used every hour: 11 uses, at 1 h .. 11 h after sign-in, all live.
  for (int h = 1; h <= 11; ++h) {
    clock.Advance(hours(1));
    CHECK(sessions.Find(ann->session_id).has_value());
  }
  clock.Advance(hours(1));  // 12 h = kSessionLifetime
  CHECK_FALSE(sessions.Find(ann->session_id).has_value());
}

TEST_CASE("signing out ends only that session") {
  const TokenTable tokens = Tokens();
  FakeClock clock(Timestamp{});
  UiSessions sessions(tokens, clock);
  auto first = sessions.SignIn("aaaaaaaaaaaaaaaa1");
  auto second = sessions.SignIn("aaaaaaaaaaaaaaaa1");  // the same person in a second browser
  REQUIRE(first.has_value());
  REQUIRE(second.has_value());
  sessions.SignOut(first->session_id);
  CHECK_FALSE(sessions.Find(first->session_id).has_value());
  CHECK(sessions.Find(second->session_id).has_value());
  sessions.SignOut("not a session");  // harmless
  CHECK(sessions.size() == 1);
}

TEST_CASE("at the bound, a sign-in ends the session used least recently") {
  const TokenTable tokens = Tokens();
  FakeClock clock(Timestamp{});
  UiSessions sessions(tokens, clock);
  auto oldest = sessions.SignIn("aaaaaaaaaaaaaaaa1");
  clock.Advance(std::chrono::seconds(1));
  auto kept = sessions.SignIn("aaaaaaaaaaaaaaaa1");
  REQUIRE(oldest.has_value());
  REQUIRE(kept.has_value());
  for (std::size_t i = 2; i < kSessionsMax; ++i) REQUIRE(sessions.SignIn("bbbbbbbbbbbbbbbb2").has_value());
  CHECK(sessions.size() == kSessionsMax);
  clock.Advance(std::chrono::seconds(1));
  CHECK(sessions.Find(kept->session_id).has_value());  // `kept` used now; `oldest` is least recent
  REQUIRE(sessions.SignIn("bbbbbbbbbbbbbbbb2").has_value());
  CHECK(sessions.size() == kSessionsMax);
  CHECK_FALSE(sessions.Find(oldest->session_id).has_value());
  CHECK(sessions.Find(kept->session_id).has_value());
}

TEST_CASE("a form token matches only itself") {
  const UiSession session{TokenHolder{Role::kOperator, "olle"}, std::string(64, 'a')};
  CHECK(FormTokenMatches(session, std::string(64, 'a')));
  CHECK_FALSE(FormTokenMatches(session, std::string(63, 'a') + "b"));
  CHECK_FALSE(FormTokenMatches(session, std::string(63, 'a')));
  CHECK_FALSE(FormTokenMatches(session, std::string(65, 'a')));
  CHECK_FALSE(FormTokenMatches(session, ""));
}

TEST_CASE("the session cookie is read from a Cookie header among others") {
  CHECK(CookieValue("capledger_session=ab12", kSessionCookie) == "ab12");
  CHECK(CookieValue("theme=dark; capledger_session=ab12; lang=sv", kSessionCookie) == "ab12");
  CHECK(CookieValue("theme=dark;capledger_session = \"ab12\" ", kSessionCookie) == "ab12");
  CHECK(CookieValue("xcapledger_session=zz; capledger_sessionx=yy", kSessionCookie) == std::nullopt);
  CHECK(CookieValue("", kSessionCookie) == std::nullopt);
  CHECK(CookieValue("capledger_session", kSessionCookie) == std::nullopt);  // no '='
  CHECK(CookieValue("capledger_session=", kSessionCookie) == "");
}

TEST_CASE("the cookie lasts the browser session, is hidden from scripts and from other sites") {
  const std::string set = SessionCookieHeader("ab12");
  CHECK(set == "capledger_session=ab12; Path=/ui; HttpOnly; SameSite=Strict");
  CHECK(set.find("Expires") == std::string::npos);
  CHECK(set.find("Max-Age") == std::string::npos);
  CHECK(ClearedSessionCookieHeader() == "capledger_session=; Path=/ui; HttpOnly; SameSite=Strict; Max-Age=0");
}

}  // namespace
}  // namespace capledger::api
