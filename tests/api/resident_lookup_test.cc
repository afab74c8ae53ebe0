// Finding a resident by personnummer: a role of its own, every lookup recorded, a rate limit.
// Auditors see and ask by pseudonym only, so a trace's pseudonyms and explain's birth dates
// cannot be turned into identities by guessing numbers.
#include <fstream>

#include "api/api_fixture.h"
#include "domain/pseudonym.h"
#include "support/personnummer.h"

namespace capledger::testing {
namespace {

// A resident of VC-B known by personnummer: born 1985-06-15, serial 123 (odd: male).
const std::string kPnr = MakePersonnummer(1985, 6, 15, 123);

domain::Pseudonym PseudonymOf(const std::string& pnr) {
  domain::Pseudonymizer pseudonymizer(TestSecret().bytes());
  return pseudonymizer.Of(*domain::ParsePersonnummer(pnr));
}

// The world of api_fixture.h, and the resident above registered and listed at VC-B.
void AddResidentByNumber(store::EventStore& store) {
  domain::ResidentRef resident{PseudonymOf(kPnr), Day(1985, 6, 15), domain::Sex::kMale};
  std::vector<store::AppendRequest> requests(2);
  requests[0].event = {"pnr-1", "test", domain::ResidentRegistered{resident, Day(2023, 1, 1), 1880,
                                                                   domain::RegistrationReason::kInitial}};
  requests[1].event = {"pnr-2", "test", domain::PatientListed{resident, "VC-B", Day(2023, 1, 1),
                                                              domain::ListingReason::kChoice}};
  REQUIRE(store.Append(requests).has_value());
}

std::vector<std::string> RecordedLookups(const std::filesystem::path& dir) {
  std::vector<std::string> lines;
  std::ifstream in(dir / "resident-lookups.jsonl");
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::string Explain(const std::string& resident) { return "/v1/explain?resident=" + resident + "&month=2024-03"; }

TEST_CASE("an auditor asking by personnummer is refused and nothing is recorded; by pseudonym it is answered") {
  ApiFixture f(AddResidentByNumber);
  auto refused = f.Get(Explain(kPnr), kAuditorToken);
  REQUIRE(refused);
  CHECK(refused->status == 403);
  CHECK(refused->body.find("resident_lookup role") != std::string::npos);
  auto operator_refused = f.Get(Explain(kPnr), kOperatorToken);
  REQUIRE(operator_refused);
  CHECK(operator_refused->status == 403);
  CHECK(RecordedLookups(f.dir()).empty());
  auto by_pseudonym = f.Get(Explain(PseudonymOf(kPnr).ToHex()), kAuditorToken);
  REQUIRE(by_pseudonym);
  CHECK(by_pseudonym->status == 200);
  CHECK(RecordedLookups(f.dir()).empty());  // a pseudonym identifies no one: nothing to record
}

TEST_CASE("a resident_lookup token finds a resident by personnummer, and the lookup is recorded first") {
  ApiFixture f(AddResidentByNumber);
  auto found = f.Get(Explain(kPnr), kLookupToken);
  REQUIRE(found);
  CHECK(found->status == 200);
  CHECK(found->body.find(PseudonymOf(kPnr).ToHex()) != std::string::npos);
  CHECK(found->body.find(R"("counted": true, "clinic": "VC-B")") != std::string::npos);
  CHECK(found->body.find(kPnr) == std::string::npos);  // the number itself is never answered
  // A number that is valid but nobody's: not found, and recorded all the same.
  const std::string stranger = MakePersonnummer(1985, 6, 15, 125);
  auto missing = f.Get(Explain(stranger), kLookupToken);
  REQUIRE(missing);
  CHECK(missing->status == 404);
  const auto lines = RecordedLookups(f.dir());
  REQUIRE(lines.size() == 2);
  // The fixture's clock: 2024-05-01T12:00:00Z.
  CHECK(lines[0] == R"({"at": "2024-05-01T12:00:00.000000Z", "who": "anna.svensson", "via": "api", "pseudonym": ")" +
                        PseudonymOf(kPnr).ToHex() + R"(", "found": true})");
  CHECK(lines[1].find(R"("pseudonym": ")" + PseudonymOf(stranger).ToHex() + R"(", "found": false})") !=
        std::string::npos);
  for (const auto& line : lines) CHECK(line.find(kPnr.substr(0, 8)) == std::string::npos);
}

TEST_CASE("lookups beyond the burst are 429 with Retry-After, and come back at 30 an hour") {
  ApiFixture f(AddResidentByNumber);
  for (int i = 0; i < 10; ++i) {
    auto allowed = f.Get(Explain(kPnr), kLookupToken);
    REQUIRE(allowed);
    REQUIRE(allowed->status == 200);
  }
  auto limited = f.Get(Explain(kPnr), kLookupToken);
  REQUIRE(limited);
  CHECK(limited->status == 429);
  CHECK(limited->body.find(R"("code": "rate_limited")") != std::string::npos);
  // 30 an hour: one every 3600 / 30 = 120 s, and the bucket is empty.
  CHECK(limited->get_header_value("Retry-After") == "120");
  CHECK(RecordedLookups(f.dir()).size() == 10);  // a refused lookup looked nothing up
  f.clock().Advance(std::chrono::seconds(119));
  CHECK(f.Get(Explain(kPnr), kLookupToken)->status == 429);
  f.clock().Advance(std::chrono::seconds(1));
  CHECK(f.Get(Explain(kPnr), kLookupToken)->status == 200);
  CHECK(f.Get(Explain(kPnr), kLookupToken)->status == 429);
  // Pseudonyms are not limited: they identify no one.
  CHECK(f.Get(Explain(PseudonymOf(kPnr).ToHex()), kLookupToken)->status == 200);
}

TEST_CASE("a lookup that cannot be recorded is not answered") {
  ApiFixture f(AddResidentByNumber);
  std::filesystem::create_directory(f.dir() / "resident-lookups.jsonl");  // in the record's way
  auto unrecorded = f.Get(Explain(kPnr), kLookupToken);
  REQUIRE(unrecorded);
  CHECK(unrecorded->status == 503);  // the record's write failed (io_error): nothing was answered
  CHECK(unrecorded->body.find(PseudonymOf(kPnr).ToHex()) == std::string::npos);
  CHECK(unrecorded->body.find("counted") == std::string::npos);
}

}  // namespace
}  // namespace capledger::testing
