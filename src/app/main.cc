// capledger: the command line (DESIGN.md §4). The only place that wires concrete types.
#include <cstdio>
#include <exception>

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include "app/commands.h"
#include "app/generate_command.h"
#include "app/serve.h"
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

int Run(int argc, char** argv) {
  CLI::App cli{"capledger: the Hälsoval listing and capitation ledger"};
  cli.require_subcommand(1);
  Flags flags;
  cli.add_option("--data", flags.data_dir, "data directory (default ./data)");
  cli.add_option("--config", flags.config, "configuration file (TOML)");
  cli.add_option("--recorded-at", flags.recorded_at, "RFC 3339 knowledge time for a backfill");
  cli.add_option("--log-level", flags.log_level, "debug, info, warn, error or off");
  cli.add_flag("--json", flags.json, "print one JSON document on stdout");

  std::string file;
  auto* ingest = cli.add_subcommand("ingest", "store JSON Lines events from FILE or - (stdin)");
  ingest->add_option("file", file, "JSON Lines file, or - for stdin")->required();
  auto* rulebook = cli.add_subcommand("rulebook", "rulebook commands");
  rulebook->require_subcommand(1);
  auto* publish = rulebook->add_subcommand("publish", "validate a rulebook TOML and append it");
  publish->add_option("file", file, "rulebook TOML file")->required();
  std::string rulebooks_known_at;
  auto* rulebook_list = rulebook->add_subcommand("list", "the rulebooks known at K, with who decided them and when");
  rulebook_list->add_option("--known-at", rulebooks_known_at, "RFC 3339 time or seq:N (default: now)");
  std::uint64_t from_seq = 1;
  std::uint64_t limit = 0;
  auto* log = cli.add_subcommand("log", "print stored events as JSON Lines");
  log->add_option("--from-seq", from_seq, "first seq to print")->check(CLI::PositiveNumber);
  log->add_option("--limit", limit, "print at most N events");
  auto* verify = cli.add_subcommand("verify", "recompute the hash chain");
  auto* rejects = cli.add_subcommand("rejects", "print rejected input, decrypted");
  auto* lookups = cli.add_subcommand("lookups", "print every recorded lookup of a resident by personnummer");
  bool accept_loss = false;
  auto* recover = cli.add_subcommand("recover", "open a store whose log is damaged at the last event it can read");
  recover->add_flag("--accept-loss", accept_loss,
                    "do it: events after that are lost (the damaged files are kept, the recovery recorded)");
  app::GenerateArgs generate_args;
  auto* generate = cli.add_subcommand("generate", "write a synthetic world as JSON Lines on stdout");
  generate->add_option("--preset", generate_args.preset, "tiny, orebro or sweden")->required();
  generate->add_option("--years", generate_args.years, "years from 2023")->check(CLI::Range(1, 10));
  generate->add_option("--seed", generate_args.seed, "random seed");
  generate->add_option("--residents", generate_args.residents, "override the preset's population")
      ->check(CLI::Range(std::int64_t{1}, worldgen::kGeneratedResidentsMax));
  std::string generate_rulebooks;
  generate->add_option("--rulebooks", generate_rulebooks,
                       "rulebook TOML directory (default: $CAPLEDGER_SOURCE_DIR/config/rulebooks, "
                       "./config/rulebooks, <binary>/../../config/rulebooks)");
  app::ReportArgs report_args;
  auto* report = cli.add_subcommand("report", "every clinic's listed count and amounts for a month");
  report->add_option("--month", report_args.month, "YYYY-MM")->required();
  report->add_option("--known-at", report_args.known_at, "RFC 3339 time or seq:N (default: now)");
  report->add_option("--clinic", report_args.clinic, "only this clinic");
  app::ExplainArgs explain_args;
  auto* explain = cli.add_subcommand("explain", "where a resident counted on the snapshot date, and why");
  explain->add_option("--resident", explain_args.resident, "personnummer or pseudonym")->required();
  explain->add_option("--month", explain_args.month, "YYYY-MM")->required();
  explain->add_option("--known-at", explain_args.known_at, "RFC 3339 time or seq:N (default: now)");
  auto* checkpoint = cli.add_subcommand("checkpoint", "save the projection state at the head");
  std::string payout_month;
  auto* payout = cli.add_subcommand("payout", "book the payout run for a month, with its adjustments");
  payout->add_option("--month", payout_month, "YYYY-MM")->required();
  app::EntriesArgs entries_args;
  auto* entries = cli.add_subcommand("entries", "booked ledger entries");
  entries->add_option("--month", entries_args.month, "the month the entries are for (YYYY-MM)");
  entries->add_option("--run", entries_args.run, "the run that booked them (YYYY-MM)");
  entries->add_option("--clinic", entries_args.clinic, "one clinic");
  std::string statement_run;
  std::string statement_clinic;
  auto* statement = cli.add_subcommand("statement", "what a run pays each clinic: this month and corrections");
  statement->add_option("--run", statement_run, "YYYY-MM")->required();
  statement->add_option("--clinic", statement_clinic, "one clinic");
  std::string entry_id;
  auto* trace = cli.add_subcommand("trace", "the derivation of one booked entry; exit 1 if it does not reproduce");
  trace->add_option("entry", entry_id, "entry id, e.g. E-2024-03-000017")->required();
  app::DisputeArgs dispute_args;
  auto* dispute = cli.add_subcommand("dispute", "a clinic-month at two knowledge points, the difference attributed");
  dispute->add_option("--clinic", dispute_args.clinic, "clinic id")->required();
  dispute->add_option("--month", dispute_args.month, "YYYY-MM")->required();
  dispute->add_option("--known-at", dispute_args.known_at, "the earlier point: RFC 3339 time or seq:N")->required();
  dispute->add_option("--vs", dispute_args.vs, "the later point: RFC 3339 time or seq:N")->required();
  app::FollowUpArgs period_args;
  auto* period = cli.add_subcommand("period", "the year through a month against the budget frame (DOMAIN.md §10)");
  period->add_option("--year", period_args.year, "YYYY")->required();
  period->add_option("--through", period_args.through, "the last booked month, YYYY-MM, in the year")->required();
  period->add_option("--known-at", period_args.known_at, "RFC 3339 time or seq:N (default: now)");
  app::FollowUpArgs simulate_args;
  auto* simulate = cli.add_subcommand("simulate", "what a draft rulebook would cost for a year; publishes nothing");
  simulate->add_option("--rulebook", simulate_args.rulebook, "the draft, FILE.toml")->required();
  simulate->add_option("--year", simulate_args.year, "YYYY")->required();
  simulate->add_option("--known-at", simulate_args.known_at, "RFC 3339 time or seq:N (default: now)");
  app::FollowUpArgs annual_args;
  auto* annual = cli.add_subcommand("annual-report", "fixed and variable compensation per clinic for a year (DOMAIN.md §11)");
  annual->add_option("--year", annual_args.year, "YYYY")->required();
  annual->add_option("--known-at", annual_args.known_at, "RFC 3339 time or seq:N (default: now)");
  std::string account;
  std::string balance_known_at;
  auto* balance = cli.add_subcommand("balance", "an account's balance");
  balance->add_option("--account", account, "expense:halsoval:<component> or payable:<clinic>")->required();
  balance->add_option("--known-at", balance_known_at, "RFC 3339 time or seq:N (default: now)");
  std::string sie_month;
  auto* export_sie = cli.add_subcommand("export-sie", "the payout run of a month as an SIE 4 file on stdout");
  export_sie->add_option("--month", sie_month, "YYYY-MM")->required();
  app::ServeArgs serve_args;
  auto* serve = cli.add_subcommand("serve", "the HTTP API until SIGTERM; prints one ready line on stdout");
  serve->add_option("--http", serve_args.http, "HOST:PORT to listen on (default [http] address, 127.0.0.1:8080; "
                                               "port 0 picks a free one)");
  serve->add_option("--tokens", serve_args.tokens, "bearer tokens file: one ROLE TOKEN per line");
  serve->add_flag("--kafka-mock", serve_args.kafka_mock,
                  "start librdkafka's mock cluster in-process and use it (its address is in the ready line)");
  app::KafkaMockArgs mock_args;
  auto* kafka_mock = cli.add_subcommand("kafka-mock", "librdkafka's mock cluster until SIGTERM; prints its brokers");
  kafka_mock->add_option("--brokers", mock_args.brokers, "mock brokers (1-9, default 3)");
  kafka_mock->add_option("--partitions", mock_args.partitions, "partitions of each topic (default 4)");
  for (auto* sub : {ingest, publish, log, verify, rejects, recover, lookups, generate, report, explain, checkpoint, payout, entries,
                    statement, trace, dispute, balance, export_sie, serve, kafka_mock}) {
    sub->fallthrough();
  }

  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = cli.exit(e);
    return code == 0 ? app::kExitOk : app::kExitRefused;
  }
  SystemClock clock;
  auto context = MakeContext(flags, clock);
  if (!context) return app::kExitRefused;
  if (ingest->parsed()) return app::RunIngest(*context, file);
  if (publish->parsed()) return app::RunRulebookPublish(*context, file);
  if (rulebook_list->parsed()) return app::RunRulebookList(*context, rulebooks_known_at);
  if (log->parsed()) return app::RunLog(*context, from_seq, limit);
  if (verify->parsed()) return app::RunVerify(*context);
  if (rejects->parsed()) return app::RunRejects(*context);
  if (recover->parsed()) return app::RunRecover(*context, accept_loss);
  if (lookups->parsed()) return app::RunLookups(*context);
  if (generate->parsed()) return app::RunGenerateWithRulebooks(*context, generate_args, generate_rulebooks);
  if (report->parsed()) return app::RunReport(*context, report_args);
  if (explain->parsed()) return app::RunExplain(*context, explain_args);
  if (checkpoint->parsed()) return app::RunCheckpoint(*context);
  if (payout->parsed()) return app::RunPayout(*context, payout_month);
  if (entries->parsed()) return app::RunEntries(*context, entries_args);
  if (statement->parsed()) return app::RunStatement(*context, statement_run, statement_clinic);
  if (trace->parsed()) return app::RunTrace(*context, entry_id);
  if (dispute->parsed()) return app::RunDispute(*context, dispute_args);
  if (balance->parsed()) return app::RunBalance(*context, account, balance_known_at);
  if (period->parsed()) return app::RunPeriod(*context, period_args);
  if (simulate->parsed()) return app::RunSimulate(*context, simulate_args);
  if (annual->parsed()) return app::RunAnnualReport(*context, annual_args);
  if (export_sie->parsed()) return app::RunExportSie(*context, sie_month);
  if (serve->parsed()) return app::RunServe(*context, serve_args);
  if (kafka_mock->parsed()) return app::RunKafkaMock(*context, mock_args);
  return app::kExitRefused;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return Run(argc, argv);
  } catch (const std::exception& e) {  // the last line of defence: a library threw
    std::fprintf(stderr, "capledger: unexpected error: %s\n", e.what());
    return app::kExitRefused;
  }
}
