// Reading a directory of rulebook TOML files for the generated world.
#include <algorithm>
#include <fstream>
#include <sstream>
#include <system_error>

#include <fmt/format.h>

#include "codec/rulebook_codec.h"
#include "worldgen/generate.h"

namespace capledger::worldgen {
namespace {

namespace fs = std::filesystem;

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

}  // namespace capledger::worldgen
