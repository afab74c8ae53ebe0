// Installs the fault-injecting file system (faults/fault_fs.h) as the RocksDB environment of every
// store, before main runs, when CAPLEDGER_FAULTS names a plan; at exit, cuts unsynced bytes (with a
// fault planned) and prints what it counted and injected to stderr ("fault_fs: ..."), for the
// campaign to read. Linked only into
// capledger-faulty, the command line built with it (tests/CMakeLists.txt).
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <memory>

#include <rocksdb/env.h>

#include "faults/fault_fs.h"
#include "store/process_env.h"

namespace capledger::faults {
namespace {

FaultFileSystem* g_fs = nullptr;

// At exit: with a fault planned the process's end is a power loss too; then the counts.
void AtExit() {
  if (g_fs->plan().kind != FaultKind::kNone) g_fs->CutToSynced();
  const FaultCounts& c = g_fs->counts();
  std::fprintf(stderr, "fault_fs: writes %llu, syncs %llu, reads %llu, injected %llu\n",
               static_cast<unsigned long long>(c.writes.load()), static_cast<unsigned long long>(c.syncs.load()),
               static_cast<unsigned long long>(c.reads.load()), static_cast<unsigned long long>(c.injected.load()));
}

bool Install() {
  const char* text = std::getenv("CAPLEDGER_FAULTS");
  if (text == nullptr || *text == '\0') return false;
  const auto plan = ParseFaultPlan(text);
  if (!plan) {
    std::fprintf(stderr, "fault_fs: CAPLEDGER_FAULTS=%s is no plan (KIND:N[+] or count)\n", text);
    std::_Exit(2);
  }
  // Never freed: every store of the process uses it until the process ends.
  auto fs = std::make_shared<FaultFileSystem>(rocksdb::FileSystem::Default(), *plan);
  g_fs = fs.get();
  if (plan->armed_by_signal) {
    struct sigaction action {};
    action.sa_handler = [](int) { g_fs->Arm(); };
    sigemptyset(&action.sa_mask);
    ::sigaction(SIGUSR2, &action, nullptr);
  }
  store::SetProcessEnv(rocksdb::NewCompositeEnv(fs).release());
  std::atexit(AtExit);
  return true;
}

[[maybe_unused]] const bool g_installed = Install();

}  // namespace
}  // namespace capledger::faults
