// capledger: the command line (DESIGN.md §4). The only place that wires concrete types.
#include <cstdio>
#include <exception>
#include <functional>
#include <utility>
#include <vector>

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include "app/commands.h"
#include "app/generate_command.h"
#include "app/serve.h"
#include "common/huge_pages.h"
#include "common/logging.h"
#include "domain/date.h"
#include "worldgen/generate.h"

namespace {

using namespace capledger;

struct Flags {
  std::string data_dir;
  std::string config;
  std::string recorded_at;
  std::string log_level;
  std::string region;
  bool json = false;
};

// Resolves config and flags into a context; prints the reason and returns nullopt on failure.
std::optional<app::CommandContext> MakeContext(const Flags& flags, const Clock& clock) {
  std::optional<std::filesystem::path> config_path;
  if (!flags.config.empty()) config_path = flags.config;
  auto config = app::LoadConfig(config_path);
  if (!config) {
    std::fprintf(stderr, "capledger: %s\n", config.error().message.c_str());
    return std::nullopt;
  }
  app::CommandContext context{*config, flags.json, std::nullopt, &clock};
  if (!flags.data_dir.empty()) context.config.data_dir = flags.data_dir;
  if (auto selected = app::SelectRegion(context.config, flags.region); !selected) {
    std::fprintf(stderr, "capledger: %s\n", selected.error().message.c_str());
    return std::nullopt;
  }
  if (!flags.log_level.empty()) {
    if (!app::IsLogLevel(flags.log_level)) {
      std::fprintf(stderr, "capledger: --log-level must be one of %s\n", std::string(app::kLogLevels).c_str());
      return std::nullopt;
    }
    context.config.log_level = flags.log_level;
  }
  if (!flags.recorded_at.empty()) {
    auto t = domain::ParseTimestamp(flags.recorded_at);
    if (!t) {
      std::fprintf(stderr, "capledger: --recorded-at: %s\n", t.error().message.c_str());
      return std::nullopt;
    }
    context.recorded_at = *t;
  }
  SetUpLogging(context.config.log_level);
  return context;
}

// Every command's arguments, filled by CLI11 while parsing and read by the command's runner.
struct Args {
  std::string file;
  std::string rulebooks_known_at;
  std::uint64_t from_seq = 1;
  std::uint64_t limit = 0;
  bool accept_loss = false;
  std::string backup_out;
  std::string restore_from;
  app::GenerateArgs generate;
  std::string generate_rulebooks;
  app::GenerateRegionsArgs generate_regions;
  app::ReportArgs report;
  app::ExplainArgs explain;
  std::string payout_month;
  app::EntriesArgs entries;
  std::string statement_run;
  std::string statement_clinic;
  std::string entry_id;
  app::DisputeArgs dispute;
  app::FollowUpArgs period;
  app::FollowUpArgs simulate;
  app::FollowUpArgs annual;
  app::PublishArgs publish;
  std::string account;
  std::string balance_known_at;
  std::string sie_month;
  app::ServeArgs serve;
  app::KafkaMockArgs kafka_mock;
};

// A leaf command: its parser and what runs when it is the one given.
struct Command {
  CLI::App* sub = nullptr;
  std::function<int(app::CommandContext&)> run;
};

// The commands registered so far; Add makes `sub` accept the global options after its name too.
class Commands {
 public:
  void Add(CLI::App* sub, std::function<int(app::CommandContext&)> run) {
    sub->fallthrough();
    commands_.push_back(Command{sub, std::move(run)});
  }
  // The runner of the command that was parsed, or nullptr.
  const Command* Parsed() const {
    for (const auto& c : commands_) {
      if (c.sub->parsed()) return &c;
    }
    return nullptr;
  }

 private:
  std::vector<Command> commands_;
};

void AddGlobalOptions(CLI::App& cli, Flags& flags) {
  cli.add_option("--data", flags.data_dir, "data directory (default ./data)");
  cli.add_option("--config", flags.config, "configuration file (TOML)");
  cli.add_option("--region", flags.region, "the region to act on (default: the only one configured)");
  cli.add_option("--recorded-at", flags.recorded_at, "RFC 3339 knowledge time for a backfill");
  cli.add_option("--log-level", flags.log_level, "debug, info, warn, error or off");
  cli.add_flag("--json", flags.json, "print one JSON document on stdout");
}

// backup, restore.
void AddBackupCommands(CLI::App& cli, Args& a, Commands& commands) {
  auto* backup = cli.add_subcommand("backup", "a copy of the store verified by the hash chain (serve may run)");
  backup->add_option("--out", a.backup_out, "the new directory to write the backup into")->required();
  commands.Add(backup, [&a](app::CommandContext& c) { return app::RunBackup(c, a.backup_out); });
  auto* restore = cli.add_subcommand("restore", "verify a backup and restore it into a data directory with no store");
  restore->add_option("--from", a.restore_from, "the backup's directory")->required();
  commands.Add(restore, [&a](app::CommandContext& c) { return app::RunRestore(c, a.restore_from); });
}

// ingest, rulebook publish|list, log, verify, rejects, lookups, recover, checkpoint, backup, restore.
void AddStoreCommands(CLI::App& cli, Args& a, Commands& commands) {
  auto* ingest = cli.add_subcommand("ingest", "store JSON Lines events from FILE or - (stdin)");
  ingest->add_option("file", a.file, "JSON Lines file, or - for stdin")->required();
  commands.Add(ingest, [&a](app::CommandContext& c) { return app::RunIngest(c, a.file); });
  auto* rulebook = cli.add_subcommand("rulebook", "rulebook commands");
  rulebook->require_subcommand(1);
  auto* publish = rulebook->add_subcommand("publish", "validate a rulebook TOML and append it");
  publish->add_option("file", a.file, "rulebook TOML file")->required();
  commands.Add(publish, [&a](app::CommandContext& c) { return app::RunRulebookPublish(c, a.file); });
  auto* list = rulebook->add_subcommand("list", "the rulebooks known at K, with who decided them and when");
  list->add_option("--known-at", a.rulebooks_known_at, "RFC 3339 time or seq:N (default: now)");
  commands.Add(list, [&a](app::CommandContext& c) { return app::RunRulebookList(c, a.rulebooks_known_at); });
  auto* log = cli.add_subcommand("log", "print stored events as JSON Lines");
  log->add_option("--from-seq", a.from_seq, "first seq to print")->check(CLI::PositiveNumber);
  log->add_option("--limit", a.limit, "print at most N events");
  commands.Add(log, [&a](app::CommandContext& c) { return app::RunLog(c, domain::Seq(a.from_seq), a.limit); });
  commands.Add(cli.add_subcommand("verify", "recompute the hash chain"), app::RunVerify);
  commands.Add(cli.add_subcommand("rejects", "print rejected input, decrypted"), app::RunRejects);
  commands.Add(cli.add_subcommand("lookups", "print every recorded lookup of a resident by personnummer"),
               app::RunLookups);
  auto* recover = cli.add_subcommand("recover", "open a store whose log is damaged at the last event it can read");
  recover->add_flag("--accept-loss", a.accept_loss,
                    "do it: events after that are lost (the damaged files are kept, the recovery recorded)");
  commands.Add(recover, [&a](app::CommandContext& c) { return app::RunRecover(c, a.accept_loss); });
  commands.Add(cli.add_subcommand("checkpoint", "save the projection state at the head"), app::RunCheckpoint);
  AddBackupCommands(cli, a, commands);
}

// generate --regions SET --out DIR [--scale F]: the options of the multi-region world, which
// exclude --preset and --residents.
void AddGenerateRegionsOptions(CLI::App* generate, CLI::Option* preset, CLI::Option* residents, Args& a) {
  auto* regions = generate->add_option("--regions", a.generate_regions.regions,
                                       "sweden: one world per region in --out DIR, and DIR/cluster.toml");
  auto* out = generate->add_option("--out", a.generate_regions.out, "the directory for --regions");
  auto* scale = generate->add_option("--scale", a.generate_regions.scale,
                                     "with --regions: the share of each region's residents and clinics, "
                                     "0.001 to 1 (default 0.01)");
  regions->excludes(preset)->excludes(residents)->needs(out);
  out->needs(regions);
  scale->needs(regions);
}

void AddGenerateCommand(CLI::App& cli, Args& a, Commands& commands) {
  auto* generate = cli.add_subcommand("generate", "write a synthetic world as JSON Lines on stdout (or, with "
                                                  "--regions, one per region into --out DIR)");
  auto* preset = generate->add_option("--preset", a.generate.preset, "tiny, orebro or sweden");
  generate->add_option("--years", a.generate.years, "years from 2023")->check(CLI::Range(1, 10));
  generate->add_option("--seed", a.generate.seed, "random seed");
  auto* residents = generate->add_option("--residents", a.generate.residents, "override the preset's population")
      ->check(CLI::Range(std::int64_t{1}, worldgen::kGeneratedResidentsMax));
  generate->add_option("--rulebooks", a.generate_rulebooks,
                       "rulebook TOML directory (default: $CAPLEDGER_SOURCE_DIR/config/rulebooks, "
                       "./config/rulebooks, <binary>/../../config/rulebooks)");
  AddGenerateRegionsOptions(generate, preset, residents, a);
  commands.Add(generate, [&a](app::CommandContext& c) {
    if (!a.generate_regions.regions.empty()) {
      return app::RunGenerateRegions(c, a.generate, a.generate_regions, a.generate_rulebooks);
    }
    if (a.generate.preset.empty()) return app::Refuse(c, Error{ErrorCode::kInvalidArgument, "give --preset or --regions"});
    return app::RunGenerateWithRulebooks(c, a.generate, a.generate_rulebooks);
  });
}

// report, explain, payout, entries, statement.
void AddMonthCommands(CLI::App& cli, Args& a, Commands& commands) {
  auto* report = cli.add_subcommand("report", "every clinic's listed count and amounts for a month");
  report->add_option("--month", a.report.month, "YYYY-MM")->required();
  report->add_option("--known-at", a.report.known_at, "RFC 3339 time or seq:N (default: now)");
  report->add_option("--clinic", a.report.clinic, "only this clinic");
  commands.Add(report, [&a](app::CommandContext& c) { return app::RunReport(c, a.report); });
  auto* explain = cli.add_subcommand("explain", "where a resident counted on the snapshot date, and why");
  explain->add_option("--resident", a.explain.resident, "personnummer or pseudonym")->required();
  explain->add_option("--month", a.explain.month, "YYYY-MM")->required();
  explain->add_option("--known-at", a.explain.known_at, "RFC 3339 time or seq:N (default: now)");
  commands.Add(explain, [&a](app::CommandContext& c) { return app::RunExplain(c, a.explain); });
  auto* payout = cli.add_subcommand("payout", "book the payout run for a month, with its adjustments");
  payout->add_option("--month", a.payout_month, "YYYY-MM")->required();
  commands.Add(payout, [&a](app::CommandContext& c) { return app::RunPayout(c, a.payout_month); });
  auto* entries = cli.add_subcommand("entries", "booked ledger entries");
  entries->add_option("--month", a.entries.month, "the month the entries are for (YYYY-MM)");
  entries->add_option("--run", a.entries.run, "the run that booked them (YYYY-MM)");
  entries->add_option("--clinic", a.entries.clinic, "one clinic");
  commands.Add(entries, [&a](app::CommandContext& c) { return app::RunEntries(c, a.entries); });
  commands.Add(cli.add_subcommand("runs", "every completed payout run: month, seqs, rulebook, entries, total"),
               app::RunRuns);
  auto* statement = cli.add_subcommand("statement", "what a run pays each clinic: this month and corrections");
  statement->add_option("--run", a.statement_run, "YYYY-MM")->required();
  statement->add_option("--clinic", a.statement_clinic, "one clinic");
  commands.Add(statement,
               [&a](app::CommandContext& c) { return app::RunStatement(c, a.statement_run, a.statement_clinic); });
}

// trace, dispute, balance, export-sie.
void AddAuditCommands(CLI::App& cli, Args& a, Commands& commands) {
  auto* trace = cli.add_subcommand("trace", "the derivation of one booked entry; exit 1 if it does not reproduce");
  trace->add_option("entry", a.entry_id, "entry id, e.g. E-2024-03-000017")->required();
  commands.Add(trace, [&a](app::CommandContext& c) { return app::RunTrace(c, a.entry_id); });
  auto* dispute = cli.add_subcommand("dispute", "a clinic-month at two knowledge points, the difference attributed");
  dispute->add_option("--clinic", a.dispute.clinic, "clinic id")->required();
  dispute->add_option("--month", a.dispute.month, "YYYY-MM")->required();
  dispute->add_option("--known-at", a.dispute.known_at, "the earlier point: RFC 3339 time or seq:N")->required();
  dispute->add_option("--vs", a.dispute.vs, "the later point: RFC 3339 time or seq:N")->required();
  commands.Add(dispute, [&a](app::CommandContext& c) { return app::RunDispute(c, a.dispute); });
  auto* balance = cli.add_subcommand("balance", "an account's balance");
  balance->add_option("--account", a.account, "expense:halsoval:<component> or payable:<clinic>")->required();
  balance->add_option("--known-at", a.balance_known_at, "RFC 3339 time or seq:N (default: now)");
  commands.Add(balance, [&a](app::CommandContext& c) { return app::RunBalance(c, a.account, a.balance_known_at); });
  auto* export_sie = cli.add_subcommand("export-sie", "the payout run of a month as an SIE 4 file on stdout");
  export_sie->add_option("--month", a.sie_month, "YYYY-MM")->required();
  commands.Add(export_sie, [&a](app::CommandContext& c) { return app::RunExportSie(c, a.sie_month); });
}

// period, simulate, annual-report (DOMAIN.md §10-§11).
void AddFollowUpCommands(CLI::App& cli, Args& a, Commands& commands) {
  auto* period = cli.add_subcommand("period", "the year through a month against the budget frame (DOMAIN.md §10)");
  period->add_option("--year", a.period.year, "YYYY")->required();
  period->add_option("--through", a.period.through, "the last booked month, YYYY-MM, in the year")->required();
  period->add_option("--known-at", a.period.known_at, "RFC 3339 time or seq:N (default: now)");
  commands.Add(period, [&a](app::CommandContext& c) { return app::RunPeriod(c, a.period); });
  auto* simulate = cli.add_subcommand("simulate", "what a draft rulebook would cost for a year; publishes nothing");
  simulate->add_option("--rulebook", a.simulate.rulebook, "the draft, FILE.toml")->required();
  simulate->add_option("--year", a.simulate.year, "YYYY")->required();
  simulate->add_option("--known-at", a.simulate.known_at, "RFC 3339 time or seq:N (default: now)");
  commands.Add(simulate, [&a](app::CommandContext& c) { return app::RunSimulate(c, a.simulate); });
  auto* annual =
      cli.add_subcommand("annual-report", "fixed and variable compensation per clinic for a year (DOMAIN.md §11)");
  annual->add_option("--year", a.annual.year, "YYYY")->required();
  annual->add_option("--known-at", a.annual.known_at, "RFC 3339 time or seq:N (default: now)");
  commands.Add(annual, [&a](app::CommandContext& c) { return app::RunAnnualReport(c, a.annual); });
  auto* publish = cli.add_subcommand("publish", "the public follow-up as files for the website (DOMAIN.md §11)");
  publish->add_option("--year", a.publish.year, "YYYY")->required();
  publish->add_option("--through", a.publish.through, "the last month, YYYY-MM, in the year")->required();
  publish->add_option("--known-at", a.publish.known_at, "RFC 3339 time or seq:N (default: now)");
  publish->add_option("--out", a.publish.out, "the folder to write into")->required();
  commands.Add(publish, [&a](app::CommandContext& c) { return app::RunPublish(c, a.publish); });
}

// serve, kafka-mock.
void AddServiceCommands(CLI::App& cli, Args& a, Commands& commands) {
  auto* serve = cli.add_subcommand("serve", "the HTTP API until SIGTERM; prints one ready line on stdout");
  serve->add_option("--http", a.serve.http, "HOST:PORT to listen on (default [http] address, 127.0.0.1:8080; "
                                            "port 0 picks a free one)");
  serve->add_option("--tokens", a.serve.tokens, "bearer tokens file: one ROLE TOKEN per line");
  serve->add_flag("--kafka-mock", a.serve.kafka_mock,
                  "start librdkafka's mock cluster in-process and use it (its address is in the ready line)");
  commands.Add(serve, [&a](app::CommandContext& c) { return app::RunServe(c, a.serve); });
  auto* kafka_mock = cli.add_subcommand("kafka-mock", "librdkafka's mock cluster until SIGTERM; prints its brokers");
  kafka_mock->add_option("--brokers", a.kafka_mock.brokers, "mock brokers (1-9, default 3)");
  kafka_mock->add_option("--partitions", a.kafka_mock.partitions, "partitions of each topic (default 4)");
  kafka_mock->add_option("--chaos-seed", a.kafka_mock.chaos_seed,
                         "seeded broker faults (request errors, leader moves, broker restarts), started and paused "
                         "by SIGUSR1 (default 0: none)");
  kafka_mock->add_option("--chaos-interval-ms", a.kafka_mock.chaos_interval_ms, "time between faults (default 300)")
      ->check(CLI::Range(10, 60'000));
  commands.Add(kafka_mock, [&a](app::CommandContext& c) { return app::RunKafkaMock(c, a.kafka_mock); });
}

int Run(int argc, char** argv) {
  CLI::App cli{"capledger: the Hälsoval listing and capitation ledger"};
  cli.require_subcommand(1);
  Flags flags;
  AddGlobalOptions(cli, flags);
  Args args;
  Commands commands;
  AddStoreCommands(cli, args, commands);
  AddGenerateCommand(cli, args, commands);
  AddMonthCommands(cli, args, commands);
  AddAuditCommands(cli, args, commands);
  AddFollowUpCommands(cli, args, commands);
  AddServiceCommands(cli, args, commands);
  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = cli.exit(e);
    return code == 0 ? app::kExitOk : app::kExitRefused;
  }
  SystemClock clock;
  auto context = MakeContext(flags, clock);
  if (!context) return app::kExitRefused;
  const Command* command = commands.Parsed();
  return command != nullptr ? command->run(*context) : app::kExitRefused;
}

}  // namespace

int main(int argc, char** argv) {
  capledger::ReexecWithHugePages(argv);
  try {
    return Run(argc, argv);
  } catch (const std::exception& e) {  // the last line of defence: a library threw
    std::fprintf(stderr, "capledger: unexpected error: %s\n", e.what());
    return app::kExitRefused;
  }
}
