// Shared set-up for store tests: a temporary directory, a fake clock, a fixed secret and
// events built directly as domain values.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include <doctest/doctest.h>

#include "common/region_secret.h"
#include "domain/event.h"
#include "domain/pseudonym.h"
#include "store/event_store.h"
#include "support/clinic_id.h"

namespace capledger::testing {

// A fresh directory under /tmp, removed when the fixture goes away.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "capledger-test-XXXXXX").string();
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    path_ = pattern;
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

inline RegionSecret TestSecret(char fill = 'a') {
  return *RegionSecret::FromHex(std::string(64, fill));
}

// 2024-05-01T12:00:00Z: 19844 days after the epoch (2024-05-01 is day 19844).
inline constexpr std::int64_t kTestNowUs = (19844LL * 86400 + 12 * 3600) * 1'000'000;

inline domain::ResidentRef Resident(std::uint8_t tag) {
  domain::ResidentRef r;
  r.pseudonym.bytes.fill(tag);
  r.birth_date = domain::Date{std::chrono::year(1980), std::chrono::March, std::chrono::day(tag % 28 + 1)};
  r.sex = tag % 2 ? domain::Sex::kMale : domain::Sex::kFemale;
  return r;
}

inline domain::Date Day(int y, unsigned m, unsigned d) {
  return domain::Date{std::chrono::year(y), std::chrono::month(m), std::chrono::day(d)};
}

inline store::AppendRequest Listing(std::string_view id, std::uint8_t resident, std::string_view clinic,
                                    domain::Date effective = Day(2024, 3, 15)) {
  store::AppendRequest request;
  request.event.id = EventIdOf(id);
  request.event.source = "1177-listning";
  request.event.body = domain::PatientListed{Resident(resident), ClinicIdOf(clinic), effective,
                                             domain::ListingReason::kChoice};
  request.origin = store::InputOrigin{"test", 1, "{raw}"};
  return request;
}

inline store::AppendRequest Retraction(std::string_view id, std::string_view target) {
  store::AppendRequest request;
  request.event.id = EventIdOf(id);
  request.event.body = domain::EventRetracted{EventIdOf(target), "sent by mistake"};
  request.origin = store::InputOrigin{"test", 1, "{raw}"};
  return request;
}

// Opens the store in `dir` for writing, failing the test if it does not open.
inline std::unique_ptr<store::EventStore> OpenForTest(const std::filesystem::path& dir, const RegionSecret& secret,
                                                      const Clock& clock) {
  auto opened = store::EventStore::Open(dir, &secret, clock);
  REQUIRE_MESSAGE(opened.has_value(), (opened ? "" : opened.error().message));
  return std::move(*opened);
}

}  // namespace capledger::testing
