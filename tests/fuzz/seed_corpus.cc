// Writes the seed corpus of the fuzz targets: one Envelope per event type (envelope_fuzz) and the
// JSON line the writer makes of each (json_line_fuzz, in the writer's resident form).
//
//   fuzz_seed_corpus DIR     creates DIR/envelope_fuzz/<type>.bin and DIR/json_line_fuzz/<type>.json
//
// The checked-in tests/fuzz/corpus/ was made with it; the hand-written input-form lines there
// (personnummer, not pseudonym) are kept beside them.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "codec/flatbuffer_codec.h"
#include "codec/json_writer.h"
#include "domain/event.h"

namespace {

using namespace capledger;
using domain::Date;
using domain::Money;
using domain::Month;

Date D(int y, unsigned m, unsigned d) { return Date{std::chrono::year(y), std::chrono::month(m), std::chrono::day(d)}; }
Month M(int y, unsigned m) { return Month{std::chrono::year(y), std::chrono::month(m)}; }

domain::ResidentRef Resident(std::uint8_t fill) {
  domain::ResidentRef r;
  r.pseudonym.bytes.fill(fill);
  r.birth_date = D(1958, 5, 31);
  r.sex = domain::Sex::kMale;
  return r;
}

domain::Rulebook FullRulebook() {
  domain::Rulebook rb;
  rb.id = "KoK-2025";
  rb.title = "Krav- och kvalitetsbok Hälsoval Örebro län 2025";
  rb.decision = "24RS2584";
  rb.provenance = domain::Provenance{"regionfullmäktige", D(2025, 6, 17), "KoK-2024"};
  rb.valid_from = D(2025, 1, 1);
  rb.valid_until = D(2026, 1, 1);
  rb.retro_window_months = 12;
  rb.capitation = {{0, Money::FromOre(372600)}, {6, Money::FromOre(175950)}, {85, Money::FromOre(900000)}};
  rb.performance_per_year = Money::FromOre(19200);
  rb.visits = domain::VisitRates{Money::FromOre(113850), Money::FromOre(71500), Money::FromOre(71500),
                                 Money::FromOre(165000)};
  rb.start_grant = domain::StartGrant{Money::FromOre(120'000'000), 12};
  rb.cni_supplement = domain::CniSupplement{6, Money::FromOre(45000)};
  rb.distance_supplement = std::vector<domain::DistanceBand>{{250, Money::FromOre(20000)}, {500, Money::FromOre(40000)}};
  domain::Mission base;
  base.id = "mottagning";
  base.title = "Mottagningsverksamhet";
  rb.missions = {base,
                 {"bvc", "Barnhälsovård", domain::MissionKind::kOptional, domain::MissionBasis::kPerListed,
                  Money::FromOre(120000), 0, 6},
                 {"jour", "Jour", domain::MissionKind::kOptional, domain::MissionBasis::kFixed, Money::FromOre(2500000),
                  std::nullopt, std::nullopt}};
  return rb;
}

std::vector<domain::EventBody> Samples() {
  using namespace domain;
  return {ResidentRegistered{Resident(1), D(2023, 1, 1), 1880, RegistrationReason::kInitial},
          ResidentMovedOut{Resident(2), D(2024, 6, 30)},
          ResidentDied{Resident(3), D(2024, 7, 1)},
          ResidentRelocated{Resident(4), D(2024, 8, 1), 114},
          PatientListed{Resident(5), "VC-A", D(2024, 3, 15), ListingReason::kChoice},
          PatientUnlisted{Resident(6), "VC-A", D(2024, 4, 1), UnlistingReason::kMoved},
          ClinicRegistered{"VC-A", "Vårdcentralen Provbacken", Operator::kRegion, 1880, 425, D(2020, 1, 1)},
          ClinicChanged{"VC-A", D(2024, 6, 1), "Nya namnet", Operator::kPrivate, 70, 9000},
          ClinicClosed{"VC-A", D(2030, 1, 1)},
          RulebookPublished{FullRulebook()},
          CniReported{"VC-A", D(2025, 1, 1), "SCB-2025-03", 2000, CniHits{120, 300, 80, 40, 150, 200, 60}, 9386},
          PerformanceReported{"VC-A", M(2024, 1), M(2024, 12), 875},
          VisitsReported{"VC-A", M(2024, 2), VisitCounts{1, 2, 3, 4}},
          EventRetracted{"l1", "fel klinik"},
          LedgerEntry{.entry_id = "E-2024-03-000017",
                      .run = M(2024, 3),
                      .clinic = "VC-A",
                      .period = M(2024, 1),
                      .component = Component::kCapitation,
                      .kind = EntryKind::kAdjustment,
                      .amount = Money::FromOre(-123450),
                      .known_at_seq = domain::Seq(1234),
                      .rulebook = "KoK-2024",
                      .adjusts = {"E-2024-01-000003"},
                      .debit = "expense:halsoval:capitation",
                      .credit = "payable:VC-A"},
          PayoutRun{M(2024, 3), domain::Seq(1234), "KoK-2024", 17, Money::FromOre(12345678),
                    {{"VC-B", M(2023, 1), Component::kVisits, Money::FromOre(-71500)}}},
          MissionUndertaken{"VC-A", "lakarmedverkan-sabo", D(2025, 1, 1), 3},
          MissionEnded{"VC-A", "bvc", D(2025, 7, 1)},
          BudgetFrameSet{2025, Money::FromOre(110'000'000'000), "24RF812"},
          FollowUpPublished{2025, M(2025, 12), domain::Seq(4321), std::string(64, '0')}};
}

bool WriteFile(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  return static_cast<bool>(out);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: fuzz_seed_corpus DIR\n");
    return 2;
  }
  const std::filesystem::path dir = argv[1];
  std::filesystem::create_directories(dir / "envelope_fuzz");
  std::filesystem::create_directories(dir / "json_line_fuzz");
  std::uint64_t seq = 0;
  for (const domain::EventBody& body : Samples()) {
    const std::string name(domain::EventTypeName(domain::TypeOf(body)));
    const domain::Event event{domain::EventId::Made("seed-" + name), "seed", body};
    const std::string body_bytes = codec::EncodeBody(body);
    codec::EnvelopeFields fields;
    fields.seq = domain::Seq(++seq);
    fields.recorded_at_us = 1'712'296'800'000'000 + static_cast<std::int64_t>(seq);
    fields.type = static_cast<std::uint8_t>(domain::TypeOf(body));
    fields.source = event.source;
    fields.id = event.id;
    fields.hash.fill(static_cast<std::uint8_t>(seq));
    fields.body = body_bytes;
    if (!WriteFile(dir / "envelope_fuzz" / (name + ".bin"), codec::EncodeEnvelope(fields)) ||
        !WriteFile(dir / "json_line_fuzz" / (name + ".json"), codec::EventToJson(event, nullptr))) {
      std::fprintf(stderr, "cannot write the corpus in %s\n", dir.c_str());
      return 1;
    }
  }
  return 0;
}
