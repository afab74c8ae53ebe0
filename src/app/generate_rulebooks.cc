// Finding and reading config/rulebooks/*.toml for the generated world.
#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <system_error>

#include <fmt/format.h>

#include "app/generate.h"
#include "codec/rulebook_codec.h"

namespace capledger::app {
namespace {

namespace fs = std::filesystem;

bool IsDirectory(const fs::path& path) {
  std::error_code error;
  return fs::is_directory(path, error);
}

// The places tried after an explicit --rulebooks, in order.
std::vector<fs::path> DefaultRulebookDirs() {
  std::vector<fs::path> dirs;
  if (const char* source = std::getenv("CAPLEDGER_SOURCE_DIR"); source != nullptr && *source != '\0') {
    dirs.push_back(fs::path(source) / "config" / "rulebooks");
  }
  dirs.push_back(fs::path("config") / "rulebooks");
  std::error_code error;
  const fs::path binary = fs::read_symlink("/proc/self/exe", error);
  if (!error) dirs.push_back(binary.parent_path() / ".." / ".." / "config" / "rulebooks");
  return dirs;
}

Result<std::string> ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in.good() && !in.eof()) return Fail(ErrorCode::kIoError, fmt::format("cannot read {}", path.string()));
  return text.str();
}

Result<std::vector<fs::path>> TomlFiles(const fs::path& dir) {
  std::vector<fs::path> files;
  std::error_code error;
  for (fs::directory_iterator it(dir, error), end; !error && it != end; it.increment(error)) {
    if (it->path().extension() == ".toml") files.push_back(it->path());
  }
  if (error) return Fail(ErrorCode::kIoError, fmt::format("cannot list {}: {}", dir.string(), error.message()));
  if (files.empty()) return Fail(ErrorCode::kNotFound, fmt::format("no *.toml rulebook in {}", dir.string()));
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

Result<std::filesystem::path> FindRulebookDir(const std::string& explicit_dir) {
  if (!explicit_dir.empty()) {
    if (IsDirectory(explicit_dir)) return fs::path(explicit_dir);
    return Fail(ErrorCode::kNotFound, fmt::format("--rulebooks {}: not a directory", explicit_dir));
  }
  for (const fs::path& dir : DefaultRulebookDirs()) {
    if (IsDirectory(dir)) return dir.lexically_normal();
  }
  return Fail(ErrorCode::kNotFound,
              "no rulebook directory: give --rulebooks DIR, set CAPLEDGER_SOURCE_DIR, or run from the source tree");
}

Result<std::vector<domain::Rulebook>> LoadRulebooks(const std::filesystem::path& dir) {
  auto files = TomlFiles(dir);
  if (!files) return tl::unexpected(files.error());
  std::vector<domain::Rulebook> rulebooks;
  for (const fs::path& file : *files) {
    auto text = ReadFile(file);
    if (!text) return tl::unexpected(text.error());
    auto rulebook = codec::ParseRulebookToml(*text);
    if (!rulebook) {
      return Fail(ErrorCode::kInvalidArgument, fmt::format("{}: field {}: {}", file.string(), rulebook.error().field,
                                                           rulebook.error().message));
    }
    rulebooks.push_back(std::move(*rulebook));
  }
  std::stable_sort(rulebooks.begin(), rulebooks.end(), [](const domain::Rulebook& a, const domain::Rulebook& b) {
    return a.valid_from < b.valid_from;
  });
  return rulebooks;
}

}  // namespace capledger::app
