#include "faults/fault_fs.h"

#include <signal.h>
#include <unistd.h>

#include <charconv>
#include <functional>
#include <utility>

namespace capledger::faults {
namespace {

using rocksdb::IODebugContext;
using rocksdb::IOOptions;
using rocksdb::IOStatus;
using rocksdb::Slice;

IOStatus Injected(std::string_view what) { return IOStatus::IOError("injected " + std::string(what)); }

class FaultWritableFile final : public rocksdb::FSWritableFileOwnerWrapper {
 public:
  FaultWritableFile(std::unique_ptr<rocksdb::FSWritableFile>&& file, std::string name, FaultFileSystem& fs)
      : FSWritableFileOwnerWrapper(std::move(file)), name_(std::move(name)), fs_(fs) {}

  IOStatus Append(const Slice& data, const IOOptions& options, IODebugContext* dbg) override {
    return Write(data, [&](const Slice& part) { return target()->Append(part, options, dbg); });
  }
  IOStatus Append(const Slice& data, const IOOptions& options, const rocksdb::DataVerificationInfo& info,
                  IODebugContext* dbg) override {
    return Write(data, [&](const Slice& part) {
      // A short write's half has no checksum of its own: it is written unverified.
      return part.size() == data.size() ? target()->Append(part, options, info, dbg) : target()->Append(part, options, dbg);
    });
  }
  IOStatus PositionedAppend(const Slice& data, uint64_t offset, const IOOptions& options, IODebugContext* dbg) override {
    return Write(data, [&](const Slice& part) { return target()->PositionedAppend(part, offset, options, dbg); });
  }
  IOStatus PositionedAppend(const Slice& data, uint64_t offset, const IOOptions& options,
                            const rocksdb::DataVerificationInfo& info, IODebugContext* dbg) override {
    return Write(data, [&](const Slice& part) {
      return part.size() == data.size() ? target()->PositionedAppend(part, offset, options, info, dbg)
                                        : target()->PositionedAppend(part, offset, options, dbg);
    });
  }
  IOStatus Sync(const IOOptions& options, IODebugContext* dbg) override {
    return SyncWith([&] { return target()->Sync(options, dbg); });
  }
  IOStatus Fsync(const IOOptions& options, IODebugContext* dbg) override {
    return SyncWith([&] { return target()->Fsync(options, dbg); });
  }

 private:
  IOStatus Write(const Slice& data, const std::function<IOStatus(const Slice&)>& write) {
    bool short_write = false;
    if (fs_.FailWrite(&short_write)) {
      if (!short_write) return Injected("write error");
      const Slice half(data.data(), data.size() / 2);
      if (write(half).ok()) fs_.Wrote(name_, half.size());
      return Injected("short write");
    }
    IOStatus s = write(data);
    if (s.ok()) fs_.Wrote(name_, data.size());
    return s;
  }
  IOStatus SyncWith(const std::function<IOStatus()>& sync) {
    if (fs_.FailSync()) return Injected("sync error");
    IOStatus s = sync();
    if (s.ok()) fs_.Synced(name_);
    return s;
  }

  const std::string name_;
  FaultFileSystem& fs_;
};

class FaultRandomAccessFile final : public rocksdb::FSRandomAccessFileOwnerWrapper {
 public:
  FaultRandomAccessFile(std::unique_ptr<rocksdb::FSRandomAccessFile>&& file, FaultFileSystem& fs)
      : FSRandomAccessFileOwnerWrapper(std::move(file)), fs_(fs) {}

  IOStatus Read(uint64_t offset, size_t n, const IOOptions& options, Slice* result, char* scratch,
                IODebugContext* dbg) const override {
    if (fs_.FailRead()) return Injected("read error");
    return target()->Read(offset, n, options, result, scratch, dbg);
  }
  IOStatus MultiRead(rocksdb::FSReadRequest* reqs, size_t num_reqs, const IOOptions& options,
                     IODebugContext* dbg) override {
    if (fs_.FailRead()) {
      for (size_t i = 0; i < num_reqs; ++i) reqs[i].status = Injected("read error");
      return Injected("read error");
    }
    return target()->MultiRead(reqs, num_reqs, options, dbg);
  }

 private:
  FaultFileSystem& fs_;
};

class FaultSequentialFile final : public rocksdb::FSSequentialFileOwnerWrapper {
 public:
  FaultSequentialFile(std::unique_ptr<rocksdb::FSSequentialFile>&& file, FaultFileSystem& fs)
      : FSSequentialFileOwnerWrapper(std::move(file)), fs_(fs) {}

  IOStatus Read(size_t n, const IOOptions& options, Slice* result, char* scratch, IODebugContext* dbg) override {
    if (fs_.FailRead()) return Injected("read error");
    return target()->Read(n, options, result, scratch, dbg);
  }
  IOStatus PositionedRead(uint64_t offset, size_t n, const IOOptions& options, Slice* result, char* scratch,
                          IODebugContext* dbg) override {
    if (fs_.FailRead()) return Injected("read error");
    return target()->PositionedRead(offset, n, options, result, scratch, dbg);
  }

 private:
  FaultFileSystem& fs_;
};

}  // namespace

std::optional<FaultPlan> ParseFaultPlan(std::string_view text) {
  if (text == "count") return FaultPlan{};
  constexpr std::string_view kBySignal = "@usr2";
  if (text.ends_with(kBySignal)) {
    auto plan = ParseFaultPlan(text.substr(0, text.size() - kBySignal.size()));
    if (plan) plan->armed_by_signal = true;
    return plan;
  }
  const std::size_t colon = text.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  const std::string_view name = text.substr(0, colon);
  std::string_view number = text.substr(colon + 1);
  FaultPlan plan;
  if (!number.empty() && number.back() == '+') {
    plan.sticky = true;
    number.remove_suffix(1);
  }
  const auto [end, error] = std::from_chars(number.data(), number.data() + number.size(), plan.at);
  if (error != std::errc{} || end != number.data() + number.size() || plan.at == 0) return std::nullopt;
  if (name == "write_error") {
    plan.kind = FaultKind::kWriteError;
  } else if (name == "short_write") {
    plan.kind = FaultKind::kShortWrite;
  } else if (name == "sync_error") {
    plan.kind = FaultKind::kSyncError;
  } else if (name == "read_error") {
    plan.kind = FaultKind::kReadError;
  } else if (name == "power_loss") {
    plan.kind = FaultKind::kPowerLoss;
  } else {
    return std::nullopt;
  }
  return plan;
}

FaultFileSystem::FaultFileSystem(const std::shared_ptr<rocksdb::FileSystem>& base, const FaultPlan& plan)
    : FileSystemWrapper(base), plan_(plan), armed_(!plan.armed_by_signal) {}

bool FaultFileSystem::Strikes(FaultKind kind, std::uint64_t number) {
  if (plan_.kind != kind) return false;
  const bool strikes = plan_.sticky ? number >= plan_.at : number == plan_.at;
  if (strikes) ++counts_.injected;
  return strikes;
}

bool FaultFileSystem::FailWrite(bool* short_write) {
  *short_write = false;
  if (!armed_.load()) return false;
  const std::uint64_t number = ++counts_.writes;
  *short_write = Strikes(FaultKind::kShortWrite, number);
  return *short_write || Strikes(FaultKind::kWriteError, number);
}

bool FaultFileSystem::FailSync() {
  if (!armed_.load()) return false;
  const std::uint64_t number = ++counts_.syncs;
  if (Strikes(FaultKind::kPowerLoss, number)) LosePower();
  return Strikes(FaultKind::kSyncError, number);
}

bool FaultFileSystem::FailRead() { return armed_.load() && Strikes(FaultKind::kReadError, ++counts_.reads); }

void FaultFileSystem::Wrote(const std::string& fname, std::uint64_t bytes) {
  std::lock_guard lock(mutex_);
  written_[fname].size += bytes;
}

void FaultFileSystem::Synced(const std::string& fname) {
  std::lock_guard lock(mutex_);
  Written& file = written_[fname];
  file.synced = file.size;
}

void FaultFileSystem::CutToSynced() {
  std::lock_guard lock(mutex_);
  for (const auto& [name, file] : written_) {
    if (file.size > file.synced) [[maybe_unused]] const int cut = ::truncate(name.c_str(), static_cast<off_t>(file.synced));
  }
}

void FaultFileSystem::LosePower() {
  CutToSynced();
  mutex_.lock();  // held until the process is gone: no write lands after the cut
  ::kill(::getpid(), SIGKILL);
  for (;;) ::pause();
}

rocksdb::IOStatus FaultFileSystem::NewWritableFile(const std::string& fname, const rocksdb::FileOptions& options,
                                                   std::unique_ptr<rocksdb::FSWritableFile>* result,
                                                   rocksdb::IODebugContext* dbg) {
  std::unique_ptr<rocksdb::FSWritableFile> file;
  IOStatus s = target()->NewWritableFile(fname, options, &file, dbg);
  if (!s.ok()) return s;
  {
    std::lock_guard lock(mutex_);
    written_[fname] = Written{};  // created empty: nothing of it is durable yet
  }
  *result = std::make_unique<FaultWritableFile>(std::move(file), fname, *this);
  return s;
}

rocksdb::IOStatus FaultFileSystem::ReopenWritableFile(const std::string& fname, const rocksdb::FileOptions& options,
                                                      std::unique_ptr<rocksdb::FSWritableFile>* result,
                                                      rocksdb::IODebugContext* dbg) {
  std::unique_ptr<rocksdb::FSWritableFile> file;
  IOStatus s = target()->ReopenWritableFile(fname, options, &file, dbg);
  if (!s.ok()) return s;
  std::uint64_t size = 0;
  if (!target()->GetFileSize(fname, IOOptions(), &size, dbg).ok()) size = 0;
  {
    std::lock_guard lock(mutex_);
    written_.try_emplace(fname, Written{size, size});  // what was there is taken as durable
  }
  *result = std::make_unique<FaultWritableFile>(std::move(file), fname, *this);
  return s;
}

rocksdb::IOStatus FaultFileSystem::ReuseWritableFile(const std::string& fname, const std::string& old_fname,
                                                     const rocksdb::FileOptions& options,
                                                     std::unique_ptr<rocksdb::FSWritableFile>* result,
                                                     rocksdb::IODebugContext* dbg) {
  std::unique_ptr<rocksdb::FSWritableFile> file;
  IOStatus s = target()->ReuseWritableFile(fname, old_fname, options, &file, dbg);
  if (!s.ok()) return s;
  {
    std::lock_guard lock(mutex_);
    written_.erase(old_fname);
    written_[fname] = Written{};
  }
  *result = std::make_unique<FaultWritableFile>(std::move(file), fname, *this);
  return s;
}

rocksdb::IOStatus FaultFileSystem::NewRandomAccessFile(const std::string& fname, const rocksdb::FileOptions& options,
                                                       std::unique_ptr<rocksdb::FSRandomAccessFile>* result,
                                                       rocksdb::IODebugContext* dbg) {
  std::unique_ptr<rocksdb::FSRandomAccessFile> file;
  IOStatus s = target()->NewRandomAccessFile(fname, options, &file, dbg);
  if (s.ok()) *result = std::make_unique<FaultRandomAccessFile>(std::move(file), *this);
  return s;
}

rocksdb::IOStatus FaultFileSystem::NewSequentialFile(const std::string& fname, const rocksdb::FileOptions& options,
                                                     std::unique_ptr<rocksdb::FSSequentialFile>* result,
                                                     rocksdb::IODebugContext* dbg) {
  std::unique_ptr<rocksdb::FSSequentialFile> file;
  IOStatus s = target()->NewSequentialFile(fname, options, &file, dbg);
  if (s.ok()) *result = std::make_unique<FaultSequentialFile>(std::move(file), *this);
  return s;
}

rocksdb::IOStatus FaultFileSystem::RenameFile(const std::string& src, const std::string& target_name,
                                              const rocksdb::IOOptions& options, rocksdb::IODebugContext* dbg) {
  IOStatus s = target()->RenameFile(src, target_name, options, dbg);
  if (s.ok()) {
    std::lock_guard lock(mutex_);
    auto it = written_.find(src);
    if (it != written_.end()) {
      written_[target_name] = it->second;
      written_.erase(src);
    }
  }
  return s;
}

rocksdb::IOStatus FaultFileSystem::DeleteFile(const std::string& fname, const rocksdb::IOOptions& options,
                                              rocksdb::IODebugContext* dbg) {
  IOStatus s = target()->DeleteFile(fname, options, dbg);
  if (s.ok()) {
    std::lock_guard lock(mutex_);
    written_.erase(fname);
  }
  return s;
}

}  // namespace capledger::faults
