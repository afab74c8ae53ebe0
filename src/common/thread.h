// Every thread the program starts goes through StartThread, so that an exception escaping a
// thread's body is reported as the bug it is (where and what), not a silent std::terminate.
#pragma once

#include <exception>
#include <string>
#include <string_view>
#include <thread>
#include <utility>

namespace capledger {

namespace internal {
// Logs "thread <name>: uncaught exception: <what>", flushes and aborts, as LEDGER_ASSERT does.
[[noreturn]] void UncaughtInThread(std::string_view thread_name, const char* what);
}  // namespace internal

// Starts a std::thread that runs `body()`. `body` must not let an exception escape (no code in
// src/ throws; the libraries under it may, e.g. std::bad_alloc); if one does, the program stops
// through internal::UncaughtInThread naming `thread_name`. The caller joins the thread.
template <typename Body>
std::thread StartThread(std::string_view thread_name, Body&& body) {
  return std::thread([name = std::string(thread_name), body = std::forward<Body>(body)]() mutable {
    try {
      body();
    } catch (const std::exception& e) {
      internal::UncaughtInThread(name, e.what());
    } catch (...) {
      internal::UncaughtInThread(name, "not a std::exception");
    }
  });
}

}  // namespace capledger
