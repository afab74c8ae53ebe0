// A RocksDB file system that injects storage faults deterministically, for the fault campaign
// (docs/reliability.md). It wraps the local file system and counts every data operation by kind;
// the plan names one kind and the operation number at which the fault strikes:
//
//   write_error:N   the Nth write (append) fails with an I/O error, writing nothing
//   short_write:N   the Nth write stores the first half of its bytes, then fails
//   sync_error:N    the Nth sync (Sync or Fsync of a file) fails; what it would have made
//                   durable is not reported durable
//   read_error:N    the Nth read fails with an I/O error
//   power_loss:N    at the Nth sync, before it happens, the power goes: every file written through
//                   this file system is cut back to what its last successful sync made durable
//                   (a file never synced to empty), and the process dies at once (SIGKILL)
//   count           no fault: on exit, prints the operations counted, so that a campaign can
//                   choose N within a command's run
//
// A plan ending in `@usr2` (`write_error:1+@usr2`) is armed by SIGUSR2: operations are counted,
// and faults strike, only from then on (for a service, once it has started).
//
// A fault that is not `:N+` strikes once and later operations succeed (a transient error); with
// `+` (`sync_error:7+`) every operation of the kind from the Nth on fails (a failing disk).
//
// With any fault planned, the process's end is a power loss too (CutToSynced at exit): what the
// command reported durable must have been synced, not merely written, to be there afterwards.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include <rocksdb/file_system.h>

namespace capledger::faults {

enum class FaultKind { kNone, kWriteError, kShortWrite, kSyncError, kReadError, kPowerLoss };

// What to inject: a kind and the operation at which it strikes (1-based).
struct FaultPlan {
  FaultKind kind = FaultKind::kNone;
  std::uint64_t at = 0;
  bool sticky = false;  // every later operation of the kind fails too
  bool armed_by_signal = false;  // counts and strikes only after SIGUSR2
};

// Parses "write_error:12", "sync_error:3+", "count"; nullopt names nothing it knows.
std::optional<FaultPlan> ParseFaultPlan(std::string_view text);

// Operations counted so far, and faults injected.
struct FaultCounts {
  std::atomic<std::uint64_t> writes{0};
  std::atomic<std::uint64_t> syncs{0};
  std::atomic<std::uint64_t> reads{0};
  std::atomic<std::uint64_t> injected{0};
};

class FaultFileSystem final : public rocksdb::FileSystemWrapper {
 public:
  FaultFileSystem(const std::shared_ptr<rocksdb::FileSystem>& base, const FaultPlan& plan);

  static const char* kClassName() { return "CapledgerFaultFileSystem"; }
  const char* Name() const override { return kClassName(); }

  rocksdb::IOStatus NewWritableFile(const std::string& fname, const rocksdb::FileOptions& options,
                                    std::unique_ptr<rocksdb::FSWritableFile>* result,
                                    rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus ReopenWritableFile(const std::string& fname, const rocksdb::FileOptions& options,
                                       std::unique_ptr<rocksdb::FSWritableFile>* result,
                                       rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus ReuseWritableFile(const std::string& fname, const std::string& old_fname,
                                      const rocksdb::FileOptions& options,
                                      std::unique_ptr<rocksdb::FSWritableFile>* result,
                                      rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus NewRandomAccessFile(const std::string& fname, const rocksdb::FileOptions& options,
                                        std::unique_ptr<rocksdb::FSRandomAccessFile>* result,
                                        rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus NewSequentialFile(const std::string& fname, const rocksdb::FileOptions& options,
                                      std::unique_ptr<rocksdb::FSSequentialFile>* result,
                                      rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus RenameFile(const std::string& src, const std::string& target, const rocksdb::IOOptions& options,
                               rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus DeleteFile(const std::string& fname, const rocksdb::IOOptions& options,
                               rocksdb::IODebugContext* dbg) override;

  // Called by the wrapped files. Each returns the fault to inject into this operation, if any.
  bool FailWrite(bool* short_write);
  bool FailSync();
  bool FailRead();
  // A file's bytes: `size` written so far, made durable up to `synced` by a successful sync.
  void Wrote(const std::string& fname, std::uint64_t bytes);
  void Synced(const std::string& fname);

  // Cuts every file written through this file system back to what its last successful sync made
  // durable (a file never synced to empty), as a power loss would.
  void CutToSynced();

  const FaultCounts& counts() const { return counts_; }
  const FaultPlan& plan() const { return plan_; }

  // From now on operations are counted and faults strike (async-signal-safe).
  void Arm() { armed_.store(true); }

 private:
  bool Strikes(FaultKind kind, std::uint64_t number);
  [[noreturn]] void LosePower();

  struct Written {
    std::uint64_t size = 0;
    std::uint64_t synced = 0;
  };
  const FaultPlan plan_;
  std::atomic<bool> armed_;
  FaultCounts counts_;
  std::mutex mutex_;
  std::map<std::string, Written> written_;  // guarded by mutex_
};

}  // namespace capledger::faults
