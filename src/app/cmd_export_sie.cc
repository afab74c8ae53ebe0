// export-sie: the payout run of a month as an SIE 4 file on stdout (present/sie.h).
#include <cstdio>

#include <spdlog/spdlog.h>

#include "app/commands.h"
#include "app/store_access.h"
#include "present/sie.h"

namespace capledger::app {

int RunExportSie(const CommandContext& context, const std::string& month_text) {
  auto month = domain::ParseMonth(month_text);
  if (!month) return Refuse(context, Error{ErrorCode::kInvalidArgument, "--month: " + month.error().message});
  auto store = OpenStore(context, Access::kRead);
  if (!store) return Refuse(context, store.error());
  auto projection = LoadForQuery(**store);
  if (!projection) return Refuse(context, projection.error());
  auto sie = present::ExportRunSie(*projection, **store, *month, context.config.sie, context.clock->Now(),
                                  kProgramVersion);
  if (!sie) return Refuse(context, sie.error());
  std::fwrite(sie->data(), 1, sie->size(), stdout);
  if (std::fflush(stdout) != 0) {
    return Refuse(context, Error{ErrorCode::kIoError, "could not write the SIE file to stdout"});
  }
  spdlog::info("wrote the run for {} as SIE 4 ({} bytes)", month_text, sie->size());
  return kExitOk;
}

}  // namespace capledger::app
