// The subcommands of `capledger` (DESIGN.md §4). Each returns the process exit code:
// 0 done, 1 a check failed, 2 refused or usage error, 3 ingest stored the good lines but
// rejected some. Results go to stdout, logs to stderr.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "app/config.h"
#include "common/clock.h"
#include "projection/projection.h"
#include "store/event_store.h"
#include "ledger/known_at.h"

namespace capledger::app {

using ledger::KnownAt;
using ledger::ResolveKnownAt;

inline constexpr int kExitOk = 0;
inline constexpr int kExitCheckFailed = 1;
inline constexpr int kExitRefused = 2;
inline constexpr int kExitRejectedLines = 3;

// The version the program states where a file format asks for one (SIE's #PROGRAM).
inline constexpr std::string_view kProgramVersion = "0.1";

// What every command gets: the resolved configuration and the global flags.
struct CommandContext {
  AppConfig config;
  bool json = false;                     // --json
  std::optional<Timestamp> recorded_at;  // --recorded-at, for appending commands
  const Clock* clock = nullptr;          // outlives the command
};

// ingest FILE|-: stores JSON Lines events; prints stored / duplicate / rejected counts.
int RunIngest(const CommandContext& context, const std::string& file);

// rulebook publish FILE.toml: validates the rulebook and appends a RulebookPublished.
int RunRulebookPublish(const CommandContext& context, const std::string& file);

// rulebook list [--known-at T|seq:N]: every rulebook known at K, with who decided it and when.
int RunRulebookList(const CommandContext& context, const std::string& known_at);

// log [--from-seq N] [--limit N]: stored events as JSON Lines.
int RunLog(const CommandContext& context, domain::Seq from_seq, std::uint64_t limit);

// verify: recomputes the hash chain; exit 1 naming the first bad seq.
int RunVerify(const CommandContext& context);

// rejects: rejected input, decrypted, one JSON line each.
int RunRejects(const CommandContext& context);

// recover [--accept-loss]: for a store whose log does not open (it lost acknowledged events, or its
// write-ahead log is damaged). Without --accept-loss says what is wrong and what recovery would do
// (exit 2); with it recovers (store/recover.h), prints what was lost and verifies (exit 1 if the
// recovered log does not verify). Exit 0 at once if the store opens whole.
int RunRecover(const CommandContext& context, bool accept_loss);

// backup --out DIR: a copy of the store, which may be open for writing by another process (serve),
// taken as a RocksDB checkpoint and verified by the hash chain (store/backup.h), in DIR/store,
// with DIR/backup.json (codec/backup_manifest.h) written last; built in DIR.partial and renamed.
// Prints the store, its head seq and hash and the events verified. Exit 2 if DIR exists or the
// copy does not verify.
int RunBackup(const CommandContext& context, const std::string& out_dir);

// restore --from DIR: verifies the backup's store copy, compares its head with backup.json and
// restores it into the data directory, which must hold no store (store::RestoreStore). Prints as
// backup does. Exit 2, naming the first bad seq and the problem, if the backup does not verify.
int RunRestore(const CommandContext& context, const std::string& from_dir);

// lookups: every recorded lookup of a resident by personnummer (explain with a personnummer, on
// the command line or by a resident_lookup token), oldest first, one JSON line each: at, who, via,
// pseudonym, found (store/lookup_log.h).
int RunLookups(const CommandContext& context);

// generate --preset P --years N --seed S [--residents N]: a synthetic world on stdout.
struct GenerateArgs {
  std::string preset;
  int years = 1;
  std::uint64_t seed = 1;
  std::int64_t residents = 0;  // 0: the preset's
};
int RunGenerate(const CommandContext& context, const GenerateArgs& args);

// report --month M [--known-at T|seq:N] [--clinic C]: every clinic's amounts for a month.
struct ReportArgs {
  std::string month;
  std::string known_at;  // empty: the head
  std::string clinic;    // empty: every clinic
};
int RunReport(const CommandContext& context, const ReportArgs& args);

// explain --resident PNR|PSEUDONYM --month M [--known-at T]: where the resident counted and why.
struct ExplainArgs {
  std::string resident;
  std::string month;
  std::string known_at;
};
int RunExplain(const CommandContext& context, const ExplainArgs& args);

// checkpoint: saves the projection state at the head, so later start-ups replay only the tail.
int RunCheckpoint(const CommandContext& context);

// payout --month M: books the run for M with its adjustments (DOMAIN.md §8), or shows the run
// already booked for M. Refusals (order, no rulebook) exit 2.
int RunPayout(const CommandContext& context, const std::string& month);

// entries [--month M] [--run M] [--clinic C]: booked entries.
struct EntriesArgs {
  std::string month;
  std::string run;
  std::string clinic;
};
int RunEntries(const CommandContext& context, const EntriesArgs& args);

// statement --run M [--clinic C]: what a run pays each clinic, this month and corrections.
int RunStatement(const CommandContext& context, const std::string& run, const std::string& clinic);

// runs: every completed payout run (present::RunsText, or RunsJson with --json).
int RunRuns(const CommandContext& context);

// trace ENTRY: the derivation of one entry; exit 1 if it does not reproduce.
int RunTrace(const CommandContext& context, const std::string& entry_id);

// dispute --clinic C --month M --known-at T1 --vs T2: the difference attributed to events.
struct DisputeArgs {
  std::string clinic;
  std::string month;
  std::string known_at;
  std::string vs;
};
int RunDispute(const CommandContext& context, const DisputeArgs& args);

// balance --account A [--known-at T]: an account's balance; with --account all, every account
// and the check that they sum to zero.
int RunBalance(const CommandContext& context, const std::string& account, const std::string& known_at);

// export-sie --month M: the run booked for M as an SIE 4 file (CP437) on stdout; exit 2 if the
// month has no run.
int RunExportSie(const CommandContext& context, const std::string& month);

// serve [--http ADDR] [--tokens FILE] (app/serve.h): runs until SIGTERM or SIGINT, then drains
// and exits 0; 2 if it cannot start.
struct ServeArgs;
int RunServe(const CommandContext& context, const ServeArgs& args);

// period --year Y --through M [--known-at T]: the year against the budget frame (DOMAIN.md §10).
// simulate --rulebook FILE --year Y [--known-at T]: what a draft rulebook would cost; appends nothing.
// annual-report --year Y [--known-at T]: fixed and variable compensation per clinic (DOMAIN.md §11).
struct FollowUpArgs {
  std::string year;
  std::string through;   // period
  std::string rulebook;  // simulate: the draft's TOML file
  std::string known_at;  // empty: the head
};
int RunPeriod(const CommandContext& context, const FollowUpArgs& args);
int RunSimulate(const CommandContext& context, const FollowUpArgs& args);
int RunAnnualReport(const CommandContext& context, const FollowUpArgs& args);

// publish: the public follow-up of --year through --through as known at --known-at (default the
// head), written into --out (DOMAIN.md §11): open-data/ (CSV, JSON, README), the pages' style and
// script, and manifest.json, written last; then the FollowUpPublished event with the manifest's
// SHA-256. Publishing again at the same K writes the same bytes and records nothing new.
struct PublishArgs {
  std::string year;
  std::string through;
  std::string known_at;
  std::string out;
};
int RunPublish(const CommandContext& context, const PublishArgs& args);

// The whole of a file; kNotFound if it cannot be opened.
Result<std::string> ReadWholeFile(const std::string& path);
// A rulebook TOML file, parsed and validated; kInvalidArgument names the file, the field, the
// problem and its reject code.
Result<domain::Rulebook> ReadRulebookFile(const std::string& file);

// Loads the projection for a query (newest checkpoint, then the tail), logging how.
Result<projection::Projection> LoadForQuery(const store::EventStore& store);

// Prints an error for the user on stderr (and as JSON on stdout with --json) and returns 2.
int Refuse(const CommandContext& context, const Error& error);

}  // namespace capledger::app
