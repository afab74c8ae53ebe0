#include <doctest/doctest.h>

#include <fmt/format.h>

#include "store/line_ingester.h"
#include "store/store_fixture.h"
#include "support/personnummer.h"
#include "support/seq.h"

namespace capledger::testing {
namespace {

std::string ListingLine(int n, const std::string& clinic = "VC-A") {
  return fmt::format(R"({{"type":"PatientListed","id":"l-{}","personnummer":"{}","clinic":"{}",)"
                     R"("effective":"2024-03-15","reason":"choice"}})",
                     n, MakePersonnummer(1980, 1, 1 + n % 28, n % 1000), clinic);
}

store::IngestCounts IngestLines(store::EventStore& s, const std::vector<std::string>& lines, std::size_t batch,
                                std::vector<std::uint64_t>* acks = nullptr) {
  auto secret = TestSecret();
  codec::JsonLineDecoder decoder(secret.bytes());
  store::LineIngester ingester(s, decoder, store::IngestOptions{"test.jsonl", std::nullopt, batch});
  if (acks) ingester.on_commit = [acks](const store::IngestCounts& c) { acks->push_back(c.committed_lines); };
  for (const auto& line : lines) REQUIRE(ingester.AddLine(line).has_value());
  REQUIRE(ingester.Flush().has_value());
  return ingester.counts();
}

TEST_CASE("ingesting lines stores the valid ones and keeps the rejected ones with their line numbers") {
  TempDir dir;
  FakeClock clock(FromMicros(kTestNowUs));
  auto secret = TestSecret();
  auto s = OpenForTest(dir.path(), secret, clock);
  const std::vector<std::string> lines = {ListingLine(1), "{not json", "", ListingLine(2),
                                          R"({"type":"Nope","id":"x"})"};
  const store::IngestCounts counts = IngestLines(*s, lines, 2);
  CHECK(counts.lines == 4);  // the blank line is not counted
  CHECK(counts.stored == 2);
  CHECK(counts.rejected == 2);
  CHECK(counts.committed_lines == 5);
  std::vector<std::string> rejects;
  REQUIRE(s->ScanRejects([&](const std::string& json) { rejects.push_back(json); }).has_value());
  REQUIRE(rejects.size() == 2);
  CHECK(rejects[0].find(R"("line":2,"source":"test.jsonl","code":"malformed_json")") != std::string::npos);
  CHECK(rejects[1].find(R"("line":5,"source":"test.jsonl","code":"unknown_type")") != std::string::npos);
}

TEST_CASE("ingesting the same lines twice reports every line as a duplicate the second time") {
  TempDir dir;
  FakeClock clock(FromMicros(kTestNowUs));
  auto secret = TestSecret();
  auto s = OpenForTest(dir.path(), secret, clock);
  std::vector<std::string> lines;
  for (int i = 0; i < 25; ++i) lines.push_back(ListingLine(i));
  CHECK(IngestLines(*s, lines, 7).stored == 25);
  const store::IngestCounts again = IngestLines(*s, lines, 7);
  CHECK(again.stored == 0);
  CHECK(again.duplicate == 25);
  CHECK(s->head().seq == 25_seq);
}

TEST_CASE("each durable batch acknowledges the input line it reached, in order") {
  TempDir dir;
  FakeClock clock(FromMicros(kTestNowUs));
  auto secret = TestSecret();
  auto s = OpenForTest(dir.path(), secret, clock);
  std::vector<std::string> lines;
  for (int i = 0; i < 10; ++i) lines.push_back(ListingLine(i));
  std::vector<std::uint64_t> acks;
  IngestLines(*s, lines, 4, &acks);
  // Batches of 4 lines: lines 1-4, 5-8, 9-10.
  CHECK(acks == std::vector<std::uint64_t>{4, 8, 10});
}

}  // namespace
}  // namespace capledger::testing
