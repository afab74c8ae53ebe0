// What this machine charges to make memory addressable, the floor under a fresh process's load
// at Sweden scale (issue 13). A fresh process must make its whole state addressable before it
// answers; the state of a Sweden-size projection is 1.2-1.5 GB. Measures, for --mib MiB, the
// median of --runs:
//   fresh, huge pages  anonymous memory, madvise(MADV_HUGEPAGE) (as capledger's heap, see
//                      common/huge_pages.h), first write to every 4 KiB
//   fresh, 4 KiB pages the same without the advice
//   page cache, mapped a file already in the page cache, mmap'd and read (a checkpoint file read
//                      in place would cost this)
//   copy, warm         memcpy between buffers already touched (what the copy itself costs)
//
//   build/release/benchmarks/memory_bench [--mib 1024] [--runs 5] [--dir /tmp]
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <string>

#include "bench_util.h"

namespace capledger::bench {
namespace {

constexpr std::size_t kPage = 4096;

// Seconds to map `bytes` of fresh anonymous memory and write one byte of every page.
double FreshTouch(std::size_t bytes, bool huge) {
  const auto start = SteadyClock::now();
  void* mapped = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (mapped == MAP_FAILED) return -1;
  if (huge) madvise(mapped, bytes, MADV_HUGEPAGE);
  auto* p = static_cast<volatile char*>(mapped);
  for (std::size_t i = 0; i < bytes; i += kPage) p[i] = 1;
  const double seconds = MillisSince(start) / 1000;
  munmap(mapped, bytes);
  return seconds;
}

// Seconds to map the file `path` (in the page cache) and read one byte of every page.
double MappedRead(const std::string& path, std::size_t bytes) {
  const int fd = open(path.c_str(), O_RDONLY);
  if (fd < 0) return -1;
  const auto start = SteadyClock::now();
  void* mapped = mmap(nullptr, bytes, PROT_READ, MAP_PRIVATE, fd, 0);
  close(fd);
  if (mapped == MAP_FAILED) return -1;
  const auto* p = static_cast<const volatile char*>(mapped);
  long sum = 0;
  for (std::size_t i = 0; i < bytes; i += kPage) sum += p[i];
  const double seconds = MillisSince(start) / 1000;
  munmap(mapped, bytes);
  return sum >= 0 ? seconds : -1;
}

// Writes `bytes` to a new file at `path` and reads it back once, so that its pages are cached.
bool CachedFile(const std::string& path, std::size_t bytes) {
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0) return false;
  std::string block(1 << 20, 'x');
  for (std::size_t done = 0; done < bytes; done += block.size()) {
    if (write(fd, block.data(), block.size()) != static_cast<ssize_t>(block.size())) {
      close(fd);
      return false;
    }
  }
  close(fd);
  return MappedRead(path, bytes) >= 0;
}

// The 1, 5 and 15 minute load averages, as /proc/loadavg gives them.
std::string LoadAverage() {
  std::FILE* f = std::fopen("/proc/loadavg", "r");
  if (f == nullptr) return "?";
  double one = 0, five = 0, fifteen = 0;
  const int read = std::fscanf(f, "%lf %lf %lf", &one, &five, &fifteen);
  std::fclose(f);
  if (read != 3) return "?";
  char text[64];
  std::snprintf(text, sizeof text, "%.2f %.2f %.2f", one, five, fifteen);
  return text;
}

double WarmCopy(std::string& from, std::string& to) {
  const auto start = SteadyClock::now();
  std::memcpy(to.data(), from.data(), from.size());
  return MillisSince(start) / 1000;
}

void Print(const char* what, std::vector<double> seconds, std::size_t bytes) {
  std::sort(seconds.begin(), seconds.end());
  const double median = seconds[seconds.size() / 2];
  std::printf("%-20s median %7.3f s  %6.2f GB/s  (runs %.3f .. %.3f s)\n", what, median,
              static_cast<double>(bytes) / median / 1e9, seconds.front(), seconds.back());
}

}  // namespace
}  // namespace capledger::bench

int main(int argc, char** argv) {
  using namespace capledger::bench;
  const Args args(argc, argv, {"--mib", "--runs", "--dir"}, {});
  const auto mib = static_cast<std::size_t>(args.Number("--mib", 1024));
  const int runs = static_cast<int>(args.Number("--runs", 5));
  const std::size_t bytes = mib << 20;
  const std::string file = (std::filesystem::path(args.Get("--dir", "/tmp")) / "capledger-memory-bench").string();
  if (!CachedFile(file, bytes)) {
    std::fprintf(stderr, "memory_bench: cannot write %s\n", file.c_str());
    return 1;
  }
  std::string from(bytes, 'a');
  std::string to(bytes, 'b');
  std::vector<double> huge, small, mapped, copy;
  for (int run = 0; run < runs; ++run) {
    huge.push_back(FreshTouch(bytes, true));
    small.push_back(FreshTouch(bytes, false));
    mapped.push_back(MappedRead(file, bytes));
    copy.push_back(WarmCopy(from, to));
  }
  std::filesystem::remove(file);
  std::printf("memory_bench: %zu MiB, %d runs, load %s\n", mib, runs, LoadAverage().c_str());
  Print("fresh, huge pages", huge, bytes);
  Print("fresh, 4 KiB pages", small, bytes);
  Print("page cache, mapped", mapped, bytes);
  Print("copy, warm", copy, bytes);
  return 0;
}
