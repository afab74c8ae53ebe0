// The binary forms on their own: EventBody values at the edges of their ranges, the Envelope round
// trip, determinism, and the negative space — truncated, random, mistyped and out-of-range bytes
// must come back as kCorruption, never as a crash or a wrong value.
//
// Bad buffers are built with the generated FlatBuffers types, which only codec tests may use.
#include <array>
#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <flatbuffers/flatbuffers.h>

#include "codec/flatbuffer_codec.h"
#include "domain/event.h"
#include "events_generated.h"
#include "support/seq.h"

namespace capledger::codec {
namespace {

using domain::Date;
using domain::Money;
using domain::Month;
using namespace capledger::domain::seq_literals;
using std::chrono::day;
using std::chrono::month;
using std::chrono::year;

Date D(int y, unsigned m, unsigned d) { return Date{year(y), month(m), day(d)}; }
Month M(int y, unsigned m) { return Month{year(y), month(m)}; }

domain::ResidentRef Resident(std::uint8_t fill, Date birth, domain::Sex sex) {
  domain::ResidentRef r;
  r.pseudonym.bytes.fill(fill);
  r.birth_date = birth;
  r.sex = sex;
  return r;
}

domain::Rulebook MinimalRulebook() {
  domain::Rulebook rb;
  rb.id = "KoK-2023";
  rb.title = "Krav- och kvalitetsbok 2023";
  rb.decision = "22RS1";
  rb.valid_from = D(2023, 1, 1);
  rb.valid_until = D(2024, 1, 1);
  rb.retro_window_months = 12;
  rb.capitation = {{0, Money::FromOre(360000)}, {6, Money::FromOre(170000)}};
  return rb;
}

// One value of every event type, several at the edges of what the domain allows.
std::vector<domain::EventBody> OneOfEach() {
  std::vector<domain::EventBody> bodies;
  bodies.push_back(domain::ResidentRegistered{Resident(0x11, D(1800, 1, 1), domain::Sex::kMale), D(2999, 12, 31),
                                              9999, domain::RegistrationReason::kMovedIn});
  bodies.push_back(domain::ResidentMovedOut{Resident(0x00, D(1970, 1, 1), domain::Sex::kFemale), D(1970, 1, 1)});
  bodies.push_back(domain::ResidentDied{Resident(0xff, D(1969, 12, 31), domain::Sex::kMale), D(2024, 2, 29)});
  bodies.push_back(domain::ResidentRelocated{Resident(0x42, D(2000, 2, 29), domain::Sex::kFemale), D(2024, 3, 1), 0});
  bodies.push_back(domain::PatientListed{Resident(0x01, D(1958, 5, 31), domain::Sex::kMale), "VC-A", D(2024, 3, 15),
                                         domain::ListingReason::kTransfer});
  bodies.push_back(domain::PatientUnlisted{Resident(0x02, D(1958, 5, 31), domain::Sex::kMale),
                                           "VC-0123456789-0123456789-0123456", D(2024, 4, 1),
                                           domain::UnlistingReason::kOther});
  bodies.push_back(domain::ClinicRegistered{"VC-B", "Vårdcentralen \"Norr\"\n", domain::Operator::kPrivate, 114,
                                            2'147'483'647, D(2020, 1, 1)});
  bodies.push_back(domain::ClinicChanged{"VC-B", D(2021, 1, 1), "", domain::Operator::kRegion, 0, 0});
  bodies.push_back(domain::ClinicClosed{"VC-B", D(2030, 1, 1)});
  bodies.push_back(domain::RulebookPublished{MinimalRulebook()});
  bodies.push_back(domain::CniReported{"VC-A", D(2025, 1, 1), "SCB-2025-03", 1'000'000'000,
                                       domain::CniHits{1'000'000'000, 0, 1, 2, 3, 4, 5}, 0});
  bodies.push_back(domain::PerformanceReported{"VC-A", M(1800, 1), M(2999, 12), 1000});
  bodies.push_back(domain::VisitsReported{"VC-A", M(2024, 2), domain::VisitCounts{0, 1, 2, 1'000'000'000}});
  bodies.push_back(domain::EventRetracted{"l1", ""});
  bodies.push_back(domain::LedgerEntry{.entry_id = "E-2024-03-000001",
                                       .run = M(2024, 3),
                                       .clinic = "VC-A",
                                       .period = M(2024, 1),
                                       .component = domain::Component::kDistanceSupplement,
                                       .kind = domain::EntryKind::kAdjustment,
                                       .amount = Money::FromOre(INT64_MIN),
                                       .known_at_seq = domain::Seq(UINT64_MAX),
                                       .rulebook = "KoK-2024",
                                       .adjusts = {"E-2024-01-000001", "E-2024-02-000001"},
                                       .debit = "expense:halsoval:distance_supplement",
                                       .credit = "payable:VC-A"});
  bodies.push_back(domain::PayoutRun{M(2024, 3), 0_seq, "KoK-2024", 0, Money::FromOre(INT64_MAX),
                                     {{"VC-A", M(2023, 1), domain::Component::kMissions, Money::FromOre(-1)}}});
  bodies.push_back(domain::MissionUndertaken{"VC-A", "lakarmedverkan-sabo", D(2025, 2, 1), 1'000'000'000});
  bodies.push_back(domain::MissionEnded{"VC-0123456789-0123456789-0123456", std::string(32, 'z'), D(2999, 12, 31)});
  // 1,000,000,000,000.00 SEK: the largest frame the decoders take.
  bodies.push_back(domain::BudgetFrameSet{2999, Money::FromOre(100'000'000'000'000), "24RF0123"});
  bodies.push_back(domain::FollowUpPublished{1800, M(2999, 12), domain::Seq(UINT64_MAX), std::string(64, 'f')});
  return bodies;
}

TEST_CASE("one body of every type, at the edges of its ranges, decodes to the value that was encoded") {
  const auto bodies = OneOfEach();
  REQUIRE(bodies.size() == static_cast<std::size_t>(domain::kEventTypeCount));
  for (std::size_t i = 0; i < bodies.size(); ++i) {
    CAPTURE(i);
    CHECK(bodies[i].index() == i);
    const std::string bytes = EncodeBody(bodies[i]);
    auto decoded = DecodeBody(bytes);
    REQUIRE_MESSAGE(decoded, decoded.error().message);
    CHECK(*decoded == bodies[i]);
    CHECK(EncodeBody(*decoded) == bytes);
  }
}

TEST_CASE("a clinic change keeps an absent optional apart from a zero or empty one") {
  domain::ClinicChanged none{"VC-A", D(2024, 6, 1), std::nullopt, std::nullopt, std::nullopt, std::nullopt};
  domain::ClinicChanged zeros{"VC-A", D(2024, 6, 1), std::string(), domain::Operator::kRegion, 0, 0};
  auto a = DecodeBody(EncodeBody(none));
  auto b = DecodeBody(EncodeBody(zeros));
  REQUIRE(a);
  REQUIRE(b);
  CHECK(std::get<domain::ClinicChanged>(*a) == none);
  CHECK(std::get<domain::ClinicChanged>(*b) == zeros);
  CHECK(EncodeBody(none) != EncodeBody(zeros));
}

TEST_CASE("a rulebook keeps each optional component present or absent, zero amounts included") {
  domain::Rulebook full = MinimalRulebook();
  full.performance_per_year = Money::Zero();
  full.visits = domain::VisitRates{Money::FromOre(1), Money::FromOre(2), Money::FromOre(3), Money::FromOre(4)};
  full.start_grant = domain::StartGrant{Money::FromOre(120'000'000), 12};
  full.cni_supplement = domain::CniSupplement{6, Money::Zero()};
  full.distance_supplement = std::vector<domain::DistanceBand>{{250, Money::FromOre(20000)}, {500, Money::Zero()}};
  for (int leave_out = -1; leave_out < 5; ++leave_out) {
    domain::Rulebook rb = full;
    if (leave_out == 0) rb.performance_per_year.reset();
    if (leave_out == 1) rb.visits.reset();
    if (leave_out == 2) rb.start_grant.reset();
    if (leave_out == 3) rb.cni_supplement.reset();
    if (leave_out == 4) rb.distance_supplement.reset();
    CAPTURE(leave_out);
    auto decoded = DecodeBody(EncodeBody(domain::RulebookPublished{rb}));
    REQUIRE(decoded);
    CHECK(std::get<domain::RulebookPublished>(*decoded).rulebook == rb);
  }
}

TEST_CASE("encoding is deterministic across calls, interleaved with other encodings") {
  const auto bodies = OneOfEach();
  std::vector<std::string> first;
  for (const auto& body : bodies) first.push_back(EncodeBody(body));
  for (std::size_t i = bodies.size(); i-- > 0;) CHECK(EncodeBody(bodies[i]) == first[i]);
}

TEST_CASE("a body stored at an odd address decodes the same") {
  const std::string bytes = EncodeBody(OneOfEach()[4]);
  std::string shifted = "x" + bytes;
  auto decoded = DecodeBody(std::string_view(shifted).substr(1));
  REQUIRE(decoded);
  CHECK(*decoded == OneOfEach()[4]);
}

// ---- The negative space of DecodeBody --------------------------------------------------------

void CheckCorrupt(std::string_view bytes) {
  auto decoded = DecodeBody(bytes);
  REQUIRE_FALSE(decoded);
  CHECK(decoded.error().code == ErrorCode::kCorruption);
}

std::string Finished(flatbuffers::FlatBufferBuilder& fbb) {
  return std::string(reinterpret_cast<const char*>(fbb.GetBufferPointer()), fbb.GetSize());
}

// An EventBody of `type` whose table is a ClinicClosed.
std::string ClinicClosedAs(fb::Event type) {
  flatbuffers::FlatBufferBuilder fbb;
  const auto clinic = fbb.CreateString("VC-A");
  const auto table = fb::CreateClinicClosed(fbb, clinic, domain::DaysSinceEpoch(D(2030, 1, 1)));
  fbb.Finish(fb::CreateEventBody(fbb, type, table.Union()));
  return Finished(fbb);
}

std::string PatientListedBody(std::int32_t effective_days, std::uint8_t reason, std::int32_t birth_days,
                              std::uint8_t sex) {
  flatbuffers::FlatBufferBuilder fbb;
  const auto clinic = fbb.CreateString("VC-A");
  const fb::ResidentRef ref(fb::Pseudonym(), birth_days, sex);
  const auto table = fb::CreatePatientListed(fbb, &ref, clinic, effective_days, static_cast<fb::ListingReason>(reason));
  fbb.Finish(fb::CreateEventBody(fbb, fb::Event::PatientListed, table.Union()));
  return Finished(fbb);
}

TEST_CASE("the hand-built ClinicClosed and PatientListed bodies are valid when their type and values are") {
  auto closed = DecodeBody(ClinicClosedAs(fb::Event::ClinicClosed));
  REQUIRE(closed);
  CHECK(std::get<domain::ClinicClosed>(*closed) == domain::ClinicClosed{"VC-A", D(2030, 1, 1)});
  CHECK(DecodeBody(PatientListedBody(19'797, 4, 0, 1)));  // 2024-03-15, transfer, born 1970-01-01, male
}

// A FlatBuffer may end in alignment padding that nothing points into: cutting only that off leaves
// the same value. Every cut into bytes that are used is corruption.
TEST_CASE("every truncation of every valid body is corruption unless it cuts off only padding") {
  for (const auto& body : OneOfEach()) {
    const std::string bytes = EncodeBody(body);
    std::size_t padding_cuts = 0;
    for (std::size_t size = 0; size < bytes.size(); ++size) {
      CAPTURE(size);
      auto decoded = DecodeBody(std::string_view(bytes).substr(0, size));
      if (decoded) {
        CHECK(*decoded == body);
        CHECK(bytes.substr(size).find_first_not_of('\0') == std::string::npos);
        ++padding_cuts;
        continue;
      }
      CHECK(decoded.error().code == ErrorCode::kCorruption);
    }
    CHECK(padding_cuts < 8);
  }
}

TEST_CASE("a body whose union type names another table is corruption") {
  for (fb::Event type : {fb::Event::PatientListed, fb::Event::ResidentRegistered, fb::Event::RulebookPublished,
                         fb::Event::CniReported, fb::Event::VisitsReported, fb::Event::LedgerEntry,
                         fb::Event::PayoutRun, fb::Event::EventRetracted, fb::Event::MissionUndertaken,
                         fb::Event::BudgetFrameSet, fb::Event::FollowUpPublished}) {
    CAPTURE(static_cast<int>(type));
    CheckCorrupt(ClinicClosedAs(type));
  }
}

TEST_CASE("a body with no union type, an unknown one, or no table is corruption") {
  CheckCorrupt(ClinicClosedAs(fb::Event::NONE));
  CheckCorrupt(ClinicClosedAs(static_cast<fb::Event>(21)));  // FollowUpPublished (20) is the last
  CheckCorrupt(ClinicClosedAs(static_cast<fb::Event>(255)));
  flatbuffers::FlatBufferBuilder fbb;
  fbb.Finish(fb::CreateEventBody(fbb, fb::Event::ClinicClosed, 0));
  CheckCorrupt(Finished(fbb));
}

TEST_CASE("an enum value or sex out of range is corruption") {
  CheckCorrupt(PatientListedBody(19'797, 5, 0, 1));    // ListingReason has 5 values, 0-4
  CheckCorrupt(PatientListedBody(19'797, 255, 0, 1));
  CheckCorrupt(PatientListedBody(19'797, 0, 0, 2));    // sex is 0 or 1
}

TEST_CASE("a date outside the years 1800-2999 is corruption") {
  // 1800-01-01 is day -62'091 and 2999-12-31 day 376'199 since 1970-01-01.
  CHECK(domain::DaysSinceEpoch(D(1800, 1, 1)) == -62'091);
  CHECK(domain::DaysSinceEpoch(D(2999, 12, 31)) == 376'199);
  CHECK(DecodeBody(PatientListedBody(376'199, 0, -62'091, 0)));
  CheckCorrupt(PatientListedBody(376'200, 0, 0, 0));    // effective 3000-01-01
  CheckCorrupt(PatientListedBody(19'797, 0, -62'092, 0));  // born 1799-12-31
  CheckCorrupt(PatientListedBody(INT32_MIN, 0, 0, 0));
}

TEST_CASE("a month ordinal outside the years 1800-2999 is corruption") {
  auto body = [](std::int32_t month_ordinal) {
    flatbuffers::FlatBufferBuilder fbb;
    const auto clinic = fbb.CreateString("VC-A");
    const auto counts = fb::CreateVisitCounts(fbb, 1, 2, 3, 4);
    fbb.Finish(fb::CreateEventBody(fbb, fb::Event::VisitsReported,
                                   fb::CreateVisitsReported(fbb, clinic, month_ordinal, counts).Union()));
    return Finished(fbb);
  };
  CHECK(DecodeBody(body(1800 * 12)));           // 1800-01
  CHECK(DecodeBody(body(2999 * 12 + 11)));      // 2999-12
  CheckCorrupt(body(1800 * 12 - 1));            // 1799-12
  CheckCorrupt(body(3000 * 12));                // 3000-01
  CheckCorrupt(body(-1));
}

TEST_CASE("a missing required string or table is corruption") {
  flatbuffers::FlatBufferBuilder fbb;
  fbb.Finish(fb::CreateEventBody(fbb, fb::Event::ClinicClosed, fb::CreateClinicClosed(fbb, 0, 0).Union()));
  CheckCorrupt(Finished(fbb));
  fbb.Clear();
  const auto clinic = fbb.CreateString("VC-A");
  fbb.Finish(fb::CreateEventBody(fbb, fb::Event::VisitsReported,
                                 fb::CreateVisitsReported(fbb, clinic, 2024 * 12, 0).Union()));
  CheckCorrupt(Finished(fbb));  // no counts
  fbb.Clear();
  fbb.Finish(fb::CreateEventBody(fbb, fb::Event::RulebookPublished, fb::CreateRulebookPublished(fbb, 0).Union()));
  CheckCorrupt(Finished(fbb));  // no rulebook
}

TEST_CASE("values the domain relies on are checked: counts, population, clinic ids, ids and text") {
  auto cni = [](std::int64_t population, std::int64_t hit, std::string_view clinic) {
    flatbuffers::FlatBufferBuilder fbb;
    const auto c = fbb.CreateString(clinic.data(), clinic.size());
    const auto vintage = fbb.CreateString("SCB-2025-03");
    const auto hits = fb::CreateCniHits(fbb, hit, 0, 0, 0, 0, 0, 0);
    fbb.Finish(fb::CreateEventBody(fbb, fb::Event::CniReported,
                                   fb::CreateCniReported(fbb, c, 0, vintage, population, hits).Union()));
    return Finished(fbb);
  };
  CHECK(DecodeBody(cni(1, 0, "VC-A")));
  CheckCorrupt(cni(0, 0, "VC-A"));                  // CNI divides by the population
  CheckCorrupt(cni(1'000'000'001, 0, "VC-A"));
  CheckCorrupt(cni(1, -1, "VC-A"));
  CheckCorrupt(cni(1, 1'000'000'001, "VC-A"));
  CheckCorrupt(cni(1, 0, "vc-a"));                  // not [A-Z0-9-]
  CheckCorrupt(cni(1, 0, std::string_view("VC\0A", 4)));  // a NUL inside
  auto retracted = [](std::string_view target, std::string_view reason) {
    flatbuffers::FlatBufferBuilder fbb;
    const auto t = fbb.CreateString(target.data(), target.size());
    const auto r = fbb.CreateString(reason.data(), reason.size());
    fbb.Finish(fb::CreateEventBody(fbb, fb::Event::EventRetracted, fb::CreateEventRetracted(fbb, t, r).Union()));
    return Finished(fbb);
  };
  CHECK(DecodeBody(retracted("l1", "fel")));
  CheckCorrupt(retracted("", "fel"));
  CheckCorrupt(retracted(std::string(129, 'x'), "fel"));
  CheckCorrupt(retracted("l\n1", "fel"));
  CheckCorrupt(retracted("l1", "\xff"));            // not UTF-8
  CheckCorrupt(retracted("l1", "\xed\xa0\x80"));    // a UTF-16 surrogate
}

TEST_CASE("a rulebook that breaks the rulebook rules is corruption") {
  auto encoded = [](const domain::Rulebook& rb) { return EncodeBody(domain::RulebookPublished{rb}); };
  domain::Rulebook rb = MinimalRulebook();
  CHECK(DecodeBody(encoded(rb)));
  rb.start_grant = domain::StartGrant{Money::FromOre(100), 0};  // paid in 0 parts
  CheckCorrupt(encoded(rb));
  rb = MinimalRulebook();
  rb.capitation[0].min_age = 1;  // bands must start at 0
  CheckCorrupt(encoded(rb));
  rb = MinimalRulebook();
  rb.valid_until = rb.valid_from;
  CheckCorrupt(encoded(rb));
  rb = MinimalRulebook();
  rb.capitation[1].amount_per_year = Money::FromOre(-1);
  CheckCorrupt(encoded(rb));
  rb = MinimalRulebook();
  rb.capitation.clear();
  for (int age = 0; age <= 64; ++age) rb.capitation.push_back({age, Money::Zero()});  // 65 bands
  CheckCorrupt(encoded(rb));
}

TEST_CASE("a mission undertaken keeps absent units apart from units, and a frame keeps its year and amount") {
  const domain::MissionUndertaken none{"VC-A", "asyl", D(2025, 1, 1), std::nullopt};
  const domain::MissionUndertaken one{"VC-A", "asyl", D(2025, 1, 1), 1};
  auto a = DecodeBody(EncodeBody(none));
  auto b = DecodeBody(EncodeBody(one));
  REQUIRE(a);
  REQUIRE(b);
  CHECK(std::get<domain::MissionUndertaken>(*a) == none);
  CHECK(std::get<domain::MissionUndertaken>(*b) == one);
  const domain::BudgetFrameSet frame{1800, Money::Zero(), "x"};
  auto c = DecodeBody(EncodeBody(frame));
  REQUIRE(c);
  CHECK(std::get<domain::BudgetFrameSet>(*c) == frame);
}

TEST_CASE("a rulebook keeps its missions: a base one without basis or amount, optional ones with theirs") {
  domain::Rulebook rb = MinimalRulebook();
  using domain::MissionBasis;
  using domain::MissionKind;
  rb.missions = {{"bvc", "Barnhälsovård", MissionKind::kBase, MissionBasis::kFixed, Money::Zero(), {}, {}},
                 {"sabo", "Läkarmedverkan", MissionKind::kOptional, MissionBasis::kPerUnit, Money::FromOre(540000), {}, {}},
                 {"barn-0-6", "Barn", MissionKind::kOptional, MissionBasis::kPerListed, Money::Zero(), 0, 6},
                 {"aldre", "Äldre", MissionKind::kOptional, MissionBasis::kPerListed, Money::FromOre(1), 75, {}},
                 {"asyl", "Asylhälsa", MissionKind::kOptional, MissionBasis::kFixed, Money::FromOre(2500000), {}, {}}};
  const std::string bytes = EncodeBody(domain::RulebookPublished{rb});
  auto decoded = DecodeBody(bytes);
  REQUIRE_MESSAGE(decoded, decoded.error().message);
  CHECK(std::get<domain::RulebookPublished>(*decoded).rulebook == rb);
  CHECK(EncodeBody(*decoded) == bytes);
}

// A RulebookPublished body of MinimalRulebook's values with one mission built field by field.
std::string RulebookWithMission(std::string_view id, fb::MissionKind kind, flatbuffers::Optional<fb::MissionBasis> basis,
                                flatbuffers::Optional<std::int64_t> amount,
                                flatbuffers::Optional<std::int32_t> min_age = flatbuffers::nullopt) {
  flatbuffers::FlatBufferBuilder fbb;
  const auto rb_id = fbb.CreateString("KoK-2023");
  const auto title = fbb.CreateString("Krav- och kvalitetsbok 2023");
  const auto decision = fbb.CreateString("22RS1");
  const std::vector<flatbuffers::Offset<fb::AgeBand>> bands = {fb::CreateAgeBand(fbb, 0, 360000)};
  const auto capitation = fbb.CreateVector(bands);
  const auto mission_id = fbb.CreateString(id.data(), id.size());
  const auto mission_title = fbb.CreateString("M");
  const std::vector<flatbuffers::Offset<fb::Mission>> missions = {
      fb::CreateMission(fbb, mission_id, mission_title, kind, basis, amount, min_age)};
  const auto mission_vector = fbb.CreateVector(missions);
  const auto rulebook = fb::CreateRulebook(
      fbb, rb_id, title, decision, domain::DaysSinceEpoch(D(2023, 1, 1)), domain::DaysSinceEpoch(D(2024, 1, 1)),
      fb::SnapshotRule::LastDayOfMonth, 12, capitation, flatbuffers::nullopt, 0, 0, 0, 0, 0, flatbuffers::nullopt, 0,
      mission_vector);
  fbb.Finish(fb::CreateEventBody(fbb, fb::Event::RulebookPublished, fb::CreateRulebookPublished(fbb, rulebook).Union()));
  return Finished(fbb);
}

TEST_CASE("a mission that breaks the mission rules is corruption") {
  const auto nobasis = flatbuffers::Optional<fb::MissionBasis>();
  const auto noamount = flatbuffers::Optional<std::int64_t>();
  CHECK(DecodeBody(RulebookWithMission("bvc", fb::MissionKind::Base, nobasis, noamount)));
  CHECK(DecodeBody(RulebookWithMission("sabo", fb::MissionKind::Optional, fb::MissionBasis::PerUnit, 540000)));
  // A base mission with an amount, a basis or an age limit.
  CheckCorrupt(RulebookWithMission("bvc", fb::MissionKind::Base, nobasis, 100));
  CheckCorrupt(RulebookWithMission("bvc", fb::MissionKind::Base, fb::MissionBasis::Fixed, noamount));
  CheckCorrupt(RulebookWithMission("bvc", fb::MissionKind::Base, nobasis, noamount, 0));
  // An optional mission without its basis or amount, or with a negative amount.
  CheckCorrupt(RulebookWithMission("sabo", fb::MissionKind::Optional, nobasis, 540000));
  CheckCorrupt(RulebookWithMission("sabo", fb::MissionKind::Optional, fb::MissionBasis::PerUnit, noamount));
  CheckCorrupt(RulebookWithMission("sabo", fb::MissionKind::Optional, fb::MissionBasis::PerUnit, -1));
  // An age limit on a fixed mission; a kind or basis out of range; an id that is no mission id.
  CheckCorrupt(RulebookWithMission("asyl", fb::MissionKind::Optional, fb::MissionBasis::Fixed, 1, 65));
  CheckCorrupt(RulebookWithMission("bvc", static_cast<fb::MissionKind>(2), nobasis, noamount));
  CheckCorrupt(RulebookWithMission("sabo", fb::MissionKind::Optional, static_cast<fb::MissionBasis>(3), 1));
  CheckCorrupt(RulebookWithMission("BVC", fb::MissionKind::Base, nobasis, noamount));
}

TEST_CASE("units, mission ids, years and frame amounts out of range are corruption") {
  auto undertaken = [](std::string_view mission, flatbuffers::Optional<std::int64_t> units) {
    flatbuffers::FlatBufferBuilder fbb;
    const auto clinic = fbb.CreateString("VC-A");
    const auto m = mission.empty() ? flatbuffers::Offset<flatbuffers::String>()
                                   : fbb.CreateString(mission.data(), mission.size());
    fbb.Finish(fb::CreateEventBody(fbb, fb::Event::MissionUndertaken,
                                   fb::CreateMissionUndertaken(fbb, clinic, m, 20'000, units).Union()));
    return Finished(fbb);
  };
  CHECK(DecodeBody(undertaken("sabo", 1)));
  CHECK(DecodeBody(undertaken("sabo", 1'000'000'000)));
  CheckCorrupt(undertaken("sabo", 0));
  CheckCorrupt(undertaken("sabo", -1));
  CheckCorrupt(undertaken("sabo", 1'000'000'001));
  CheckCorrupt(undertaken("Sabo", 1));
  CheckCorrupt(undertaken("", 1));  // no mission string at all
  auto frame = [](std::int32_t year, std::int64_t amount) {
    flatbuffers::FlatBufferBuilder fbb;
    const auto decision = fbb.CreateString("24RF0123");
    fbb.Finish(fb::CreateEventBody(fbb, fb::Event::BudgetFrameSet,
                                   fb::CreateBudgetFrameSet(fbb, year, amount, decision).Union()));
    return Finished(fbb);
  };
  CHECK(DecodeBody(frame(1800, 0)));
  CHECK(DecodeBody(frame(2999, 100'000'000'000'000)));
  CheckCorrupt(frame(1799, 0));
  CheckCorrupt(frame(3000, 0));
  CheckCorrupt(frame(25, 0));
  CheckCorrupt(frame(2025, -1));
  CheckCorrupt(frame(2025, 100'000'000'000'001));
}

TEST_CASE("random bytes and random damage to valid bodies give corruption or a value that re-encodes") {
  const std::uint64_t seed = std::random_device{}();
  MESSAGE("seed " << seed);
  std::mt19937_64 random(seed);
  const auto bodies = OneOfEach();
  for (int round = 0; round < 20'000; ++round) {
    std::string bytes;
    if (round % 2 == 0) {
      bytes.resize(random() % 200);
      for (char& c : bytes) c = static_cast<char>(random());
    } else {
      bytes = EncodeBody(bodies[random() % bodies.size()]);
      for (int flips = 1 + static_cast<int>(random() % 4); flips > 0; --flips) {
        bytes[random() % bytes.size()] ^= static_cast<char>(1u << (random() % 8));
      }
    }
    auto decoded = DecodeBody(bytes);
    if (!decoded) {
      CHECK(decoded.error().code == ErrorCode::kCorruption);
      continue;
    }
    auto again = DecodeBody(EncodeBody(*decoded));
    REQUIRE(again);
    CHECK(*again == *decoded);
  }
}

// ---- Envelopes ----------------------------------------------------------------------------------

EnvelopeFields SampleFields(const std::string& body) {
  EnvelopeFields f;
  f.seq = 1234_seq;
  f.recorded_at_us = 1'712'296'800'000'123;
  f.type = static_cast<std::uint8_t>(domain::EventType::kPatientListed);
  f.source = "1177-listning";
  f.id = "l-000001";
  for (std::size_t i = 0; i < 32; ++i) {
    f.prev_hash[i] = static_cast<std::uint8_t>(i);
    f.hash[i] = static_cast<std::uint8_t>(255 - i);
  }
  f.body = body;
  return f;
}

void CheckSameFields(const EnvelopeFields& a, const EnvelopeFields& b) {
  CHECK(a.seq == b.seq);
  CHECK(a.recorded_at_us == b.recorded_at_us);
  CHECK(a.type == b.type);
  CHECK(a.source == b.source);
  CHECK(a.id == b.id);
  CHECK(a.prev_hash == b.prev_hash);
  CHECK(a.hash == b.hash);
  CHECK(a.body == b.body);
}

TEST_CASE("an envelope round-trips every field and re-encodes to the same bytes") {
  const std::string body = EncodeBody(OneOfEach()[4]);
  const EnvelopeFields fields = SampleFields(body);
  const std::string bytes = EncodeEnvelope(fields);
  CHECK(EncodeEnvelope(fields) == bytes);
  auto decoded = DecodeEnvelope(bytes);
  REQUIRE_MESSAGE(decoded, decoded.error().message);
  CheckSameFields(*decoded, fields);
  CHECK(EncodeEnvelope(*decoded) == bytes);
  auto inner = DecodeBody(decoded->body);
  REQUIRE(inner);
  CHECK(*inner == OneOfEach()[4]);
}

TEST_CASE("an envelope with an empty source, negative time and the zero hash of seq 1 round-trips") {
  const std::string body = EncodeBody(OneOfEach()[0]);
  EnvelopeFields fields = SampleFields(body);
  fields.seq = 1_seq;
  fields.recorded_at_us = -1;
  fields.source = "";
  fields.prev_hash = {};
  fields.type = 1;
  const std::string bytes = EncodeEnvelope(fields);  // the decoded views point into it
  auto decoded = DecodeEnvelope(bytes);
  REQUIRE(decoded);
  CheckSameFields(*decoded, fields);
}

TEST_CASE("the body inside an encoded envelope is 8-byte aligned within it") {
  for (const auto& value : OneOfEach()) {
    const std::string body = EncodeBody(value);
    const std::string bytes = EncodeEnvelope(SampleFields(body));
    auto decoded = DecodeEnvelope(bytes);
    REQUIRE(decoded);
    CHECK((decoded->body.data() - bytes.data()) % 8 == 0);
  }
}

TEST_CASE("every truncation of an envelope is corruption unless it cuts off only padding") {
  const std::string body = EncodeBody(OneOfEach()[9]);
  const std::string bytes = EncodeEnvelope(SampleFields(body));
  for (std::size_t size = 0; size < bytes.size(); ++size) {
    CAPTURE(size);
    auto decoded = DecodeEnvelope(std::string_view(bytes).substr(0, size));
    if (decoded) {
      CheckSameFields(*decoded, SampleFields(body));
      CHECK(bytes.substr(size).find_first_not_of('\0') == std::string::npos);
      CHECK(bytes.size() - size < 8);
      continue;
    }
    CHECK(decoded.error().code == ErrorCode::kCorruption);
  }
}

std::string RawEnvelope(std::size_t prev_hash_size, std::size_t hash_size, std::string_view body,
                        std::uint8_t type, std::string_view id) {
  flatbuffers::FlatBufferBuilder fbb;
  const std::vector<std::uint8_t> prev(prev_hash_size, 7);
  const std::vector<std::uint8_t> hash(hash_size, 9);
  const auto source = fbb.CreateString("navet");
  const auto id_offset = fbb.CreateString(id.data(), id.size());
  const auto prev_offset = fbb.CreateVector(prev);
  const auto hash_offset = fbb.CreateVector(hash);
  const auto body_offset = fbb.CreateVector(reinterpret_cast<const std::uint8_t*>(body.data()), body.size());
  fbb.Finish(fb::CreateEnvelope(fbb, 1, 0, type, source, id_offset, prev_offset, hash_offset, body_offset));
  return Finished(fbb);
}

TEST_CASE("an envelope with a hash that is not 32 bytes, an empty body, a bad type or id is corruption") {
  const std::string body = EncodeBody(OneOfEach()[0]);
  CHECK(DecodeEnvelope(RawEnvelope(32, 32, body, 1, "r1")));
  for (const std::string& bad : {RawEnvelope(31, 32, body, 1, "r1"), RawEnvelope(32, 33, body, 1, "r1"),
                                 RawEnvelope(0, 32, body, 1, "r1"), RawEnvelope(32, 32, "", 1, "r1"),
                                 RawEnvelope(32, 32, body, 0, "r1"), RawEnvelope(32, 32, body, 21, "r1"),
                                 RawEnvelope(32, 32, body, 1, ""), RawEnvelope(32, 32, body, 1, "r\x01")}) {
    auto decoded = DecodeEnvelope(bad);
    REQUIRE_FALSE(decoded);
    CHECK(decoded.error().code == ErrorCode::kCorruption);
  }
}

TEST_CASE("random bytes given as an envelope are corruption or decode to fields that re-encode") {
  const std::uint64_t seed = std::random_device{}();
  MESSAGE("seed " << seed);
  std::mt19937_64 random(seed);
  const std::string body = EncodeBody(OneOfEach()[6]);
  const std::string valid = EncodeEnvelope(SampleFields(body));
  for (int round = 0; round < 20'000; ++round) {
    std::string bytes = valid;
    if (round % 2 == 0) {
      bytes.resize(random() % 300);
      for (char& c : bytes) c = static_cast<char>(random());
    } else {
      bytes[random() % bytes.size()] ^= static_cast<char>(1u << (random() % 8));
    }
    auto decoded = DecodeEnvelope(bytes);
    if (!decoded) {
      CHECK(decoded.error().code == ErrorCode::kCorruption);
      continue;
    }
    const std::string encoded = EncodeEnvelope(*decoded);
    auto again = DecodeEnvelope(encoded);
    REQUIRE(again);
    CheckSameFields(*again, *decoded);
    auto inner = DecodeBody(decoded->body);
    if (!inner) CHECK(inner.error().code == ErrorCode::kCorruption);
  }
}

}  // namespace
}  // namespace capledger::codec
