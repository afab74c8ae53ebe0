#include <pwd.h>
#include <unistd.h>

#include <fmt/format.h>

#include "app/commands.h"
#include "app/store_access.h"
#include "codec/seq_format.h"
#include "domain/personnummer.h"
#include "domain/pseudonym.h"
#include "ledger/known_at.h"
#include "present/json_log.h"
#include "projection/explain.h"
#include "projection/replay.h"
#include "store/lookup_log.h"

namespace capledger::app {

namespace {

using projection::ExplainedFact;

// The resident asked for: a pseudonym as given, or a personnummer's pseudonym under the region
// secret (`by_personnummer` is then set).
Result<domain::Pseudonym> ResidentPseudonym(const CommandContext& context, const std::string& text,
                                            bool& by_personnummer) {
  by_personnummer = false;
  if (text.size() == 32) {
    if (auto pseudonym = domain::ParsePseudonym(text)) return *pseudonym;
  }
  auto pnr = domain::ParsePersonnummer(text);
  if (!pnr) return Fail(ErrorCode::kInvalidArgument, "--resident: neither a pseudonym nor a valid personnummer: " +
                                                         pnr.error().message);
  auto secret = ResolveSecret(context.config);
  if (!secret) return tl::unexpected(secret.error());
  by_personnummer = true;
  domain::Pseudonymizer pseudonymizer(secret->bytes());
  return pseudonymizer.Of(*pnr);
}

// Who runs this command, for the record of resident lookups.
std::string CommandUser() {
  const passwd* user = ::getpwuid(::geteuid());
  return fmt::format("cli {}", user != nullptr ? user->pw_name : std::to_string(::geteuid()));
}

std::string FactLine(const store::EventStore& store, const ExplainedFact& f) {
  const present::FactEvent event = present::DescribeFactEvent(store, domain::Seq(f.fact.seq));
  const std::string effective = domain::FormatDate(domain::DateFromDays(f.fact.effective));
  return fmt::format("  seq {:>8}  {}  {:<20} {:<10} {:<15} id {}{}\n", f.fact.seq, effective, event.type,
                     event.clinic.value_or(""), present::UseName(f.use), event.id,
                     f.decisive ? "   <- placed here" : "");
}

std::string Render(const store::EventStore& store, const projection::ResidentExplanation& e, bool json) {
  if (json) return present::ExplainJson(store, e);
  std::string facts;
  for (const auto& fact : e.facts) facts += FactLine(store, fact);
  return fmt::format("resident {} (born {}, {})\nmonth {}, snapshot {} under {}, known at seq {}\n{}: {}\n"
                     "{}events (effective order):\n{}",
                     e.pseudonym.ToHex(), domain::FormatDate(e.birth_date), domain::Name(e.sex),
                     domain::FormatMonth(e.month), domain::FormatDate(e.snapshot), e.rulebook_id, e.known_at_seq,
                     e.counted ? "COUNTED" : "NOT COUNTED", e.why,
                     e.band >= 0 ? fmt::format("capitation band {} (from age)\n", e.band) : "", facts);
}

}  // namespace

int RunExplain(const CommandContext& context, const ExplainArgs& args) {
  auto month = domain::ParseMonth(args.month);
  if (!month) return Refuse(context, Error{ErrorCode::kInvalidArgument, "--month: " + month.error().message});
  bool by_personnummer = false;
  auto pseudonym = ResidentPseudonym(context, args.resident, by_personnummer);
  if (!pseudonym) return Refuse(context, pseudonym.error());
  // A personnummer's pseudonym is only meaningful under the store's own secret: opening with the
  // secret refuses another one (kSecretMismatch), as payout does, instead of answering "not found".
  auto store = OpenStore(context, by_personnummer ? Access::kReadWithSecret : Access::kRead);
  if (!store) return Refuse(context, store.error());
  auto known_at = ResolveKnownAt(**store, args.known_at);
  if (!known_at) return Refuse(context, known_at.error());
  auto projection = LoadForQuery(**store);
  if (!projection) return Refuse(context, projection.error());
  auto explanation = projection::ExplainResident(*projection, *pseudonym, *month, known_at->seq);
  if (by_personnummer) {
    const bool found = explanation || explanation.error().code != ErrorCode::kNotFound;
    const store::ResidentLookup lookup{context.clock->Now(), CommandUser(), "cli", *pseudonym, found};
    if (auto recorded = store::RecordResidentLookup(context.config.data_dir, lookup); !recorded) {
      return Refuse(context, recorded.error());
    }
  }
  if (!explanation) return Refuse(context, explanation.error());
  const std::string out = Render(**store, *explanation, context.json);
  std::fwrite(out.data(), 1, out.size(), stdout);
  return kExitOk;
}

int RunLookups(const CommandContext& context) {
  const auto& dir = context.config.data_dir;
  if (!std::filesystem::exists(dir / "CURRENT")) {
    return Refuse(context, Error{ErrorCode::kNotFound, fmt::format("no store in {}", dir.string())});
  }
  auto scanned = store::ScanResidentLookups(dir, [&](std::string_view line) {
    std::fwrite(line.data(), 1, line.size(), stdout);
    std::fputc('\n', stdout);
  });
  if (!scanned && scanned.error().code == ErrorCode::kNotFound) {
    std::fprintf(stderr, "capledger: %s\n", scanned.error().message.c_str());
    return kExitOk;
  }
  if (!scanned) return Refuse(context, scanned.error());
  return kExitOk;
}

}  // namespace capledger::app
