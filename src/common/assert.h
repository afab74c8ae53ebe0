// LEDGER_ASSERT: a broken invariant is our own bug. It logs, flushes and aborts, in every build
// type. Never use it for input the program did not produce itself: that is an Error value.
#pragma once

namespace capledger::internal {
[[noreturn]] void AssertFailed(const char* expression, const char* file, int line);
}  // namespace capledger::internal

#define LEDGER_ASSERT(condition)                                              \
  do {                                                                        \
    if (!(condition)) [[unlikely]] {                                          \
      ::capledger::internal::AssertFailed(#condition, __FILE__, __LINE__);    \
    }                                                                         \
  } while (false)
