#include "common/huge_pages.h"

#include <unistd.h>

#include <cstdlib>
#include <string>
#include <string_view>

namespace capledger {
namespace {

constexpr std::string_view kTunable = "glibc.malloc.hugetlb=1";

bool EnvContains(const char* name, std::string_view part) {
  const char* value = std::getenv(name);
  return value != nullptr && std::string_view(value).find(part) != std::string_view::npos;
}

}  // namespace

void ReexecWithHugePages(char** argv) {
  if (EnvContains("GLIBC_TUNABLES", "glibc.malloc.hugetlb")) return;
  if (std::getenv("CAPLEDGER_SMALL_PAGES") != nullptr) return;
  if (EnvContains("LD_PRELOAD", "vgpreload")) return;
  // The program's own file by its path (not /proc/self/exe, which would rename the process
  // "exe" for ps and pkill).
  std::string exe(4096, '\0');
  const ssize_t n = readlink("/proc/self/exe", exe.data(), exe.size() - 1);
  if (n <= 0) return;
  exe.resize(static_cast<std::size_t>(n));
  const char* before = std::getenv("GLIBC_TUNABLES");
  const std::string previous = before != nullptr ? before : "";
  const std::string tunables = previous.empty() ? std::string(kTunable) : previous + ":" + std::string(kTunable);
  if (setenv("GLIBC_TUNABLES", tunables.c_str(), 1) != 0) return;
  execv(exe.c_str(), argv);
  // Not executed: go on as before, with the environment as it was.
  if (before != nullptr) {
    setenv("GLIBC_TUNABLES", previous.c_str(), 1);
  } else {
    unsetenv("GLIBC_TUNABLES");
  }
}

}  // namespace capledger
