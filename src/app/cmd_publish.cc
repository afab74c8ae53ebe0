// publish: the public follow-up of a year through a month as files for the region's website
// (DOMAIN.md §11), anchored in the log by a FollowUpPublished event.
#include <cstdio>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "app/cluster_write.h"
#include "app/commands.h"
#include "app/store_access.h"
#include "codec/json_out.h"
#include "codec/seq_format.h"
#include "common/crypto.h"
#include "common/file_write.h"
#include "ledger/open_data.h"
#include "ledger/publication.h"
#include "present/html_assets.h"
#include "present/html_public.h"
#include "present/manifest.h"
#include "present/open_data.h"
#include "stream/submission.h"

namespace capledger::app {
namespace {

constexpr std::string_view kManifest = "manifest.json";

// Every published file but the manifest, rendered from the open data: the open data, the index,
// one page per clinic, and the style and script the pages link to.
Result<std::vector<present::PublishedFile>> SiteFiles(const ledger::OpenData& data) {
  std::vector<present::PublishedFile> files = {
      {"open-data/README.txt", present::OpenDataReadme(data)},
      {"open-data/ersattning.csv", present::OpenDataCsv(data)},
      {"open-data/ersattning.json", present::OpenDataJson(data)},
      {"style.css", std::string(present::StyleCss())},
      {"sort.js", std::string(present::SortJs())},
      {"index.html", present::PublicIndexHtml(data, present::Lang::kSv)},
  };
  for (const auto& clinic : data.clinics) {
    auto page = present::PublicClinicHtml(data, clinic.clinic, present::Lang::kSv);
    if (!page) return tl::unexpected(page.error());
    files.push_back({present::PublicClinicPath(clinic.clinic), std::move(*page)});
  }
  return files;
}

// Writes the files, then the manifest last: a folder with a manifest is whole.
Status WriteSite(const std::filesystem::path& out, const std::vector<present::PublishedFile>& files,
                 const std::string& manifest) {
  for (const auto& file : files) {
    if (auto written = WriteFileDurably(out / file.path, file.bytes); !written) return written;
  }
  return WriteFileDurably(out / kManifest, manifest);
}

std::string Summary(const CommandContext& context, const ledger::OpenData& data, const PublishArgs& args,
                    const std::vector<present::PublishedFile>& files, const std::string& manifest_sha256,
                    const ledger::PublicationRecord& record) {
  if (!context.json) {
    std::string out = fmt::format("published {} through {} as known at seq {} into {}\n", data.year,
                                  domain::FormatMonth(data.through), data.known_at_seq, args.out);
    for (const auto& file : files) out += fmt::format("  {}\n", file.path);
    out += fmt::format("  {}  sha256 {}\n", kManifest, manifest_sha256);
    out += record.existing ? fmt::format("recorded before, at seq {}\n", record.seq)
                           : fmt::format("recorded as FollowUpPublished at seq {}\n", record.seq);
    return out;
  }
  std::string out;
  codec::JsonObject o(out, codec::JsonSpacing::kSpaced);
  o.Integer("year", data.year)
      .String("through", domain::FormatMonth(data.through))
      .Integer("known_at_seq", data.known_at_seq)
      .String("out", args.out);
  codec::JsonArray list = o.Array("files");
  for (const auto& file : files) list.String(file.path);
  list.String(kManifest).Close();
  o.String("manifest_sha256", manifest_sha256).Integer("event_seq", record.seq).Bool("existing", record.existing);
  o.Close();
  return out + "\n";
}

// Cluster mode: the publication goes to the log as a submission, and the node's indexer records
// the FollowUpPublished event (the ledger's own event, never an input); the node's store then
// holds it at a seq, appended during this command or before.
Result<ledger::PublicationRecord> RecordThroughLog(const CommandContext& context, const domain::Event& event) {
  const auto& body = std::get<domain::FollowUpPublished>(event.body);
  auto write = ClusterWrite::Create(context);
  if (!write) return tl::unexpected(write.error());
  auto before = write->CatchUp();
  if (!before) return tl::unexpected(before.error());
  const stream::PublicationRequest request{body.year, body.through, body.known_at_seq.value(), body.manifest_sha256};
  const stream::Submission submission{stream::SubmissionKind::kPublication, stream::EncodePublication(request), {}, {}};
  auto offsets = write->Submit(std::span(&submission, 1));
  if (!offsets) return tl::unexpected(offsets.error());
  if (auto awaited = write->AwaitIndexed(offsets->front() + 1); !awaited) return tl::unexpected(awaited.error());
  auto store = write->OpenIndexed(Access::kRead);
  if (!store) return tl::unexpected(store.error());
  auto found = (*store)->LookupId(event.id);
  if (!found) return tl::unexpected(found.error());
  if (!found->has_value()) {
    return Fail(ErrorCode::kRefused, fmt::format("the node did not record {} (its log says why)", event.id));
  }
  return ledger::PublicationRecord{(*found)->seq, (*found)->seq <= *before};
}

}  // namespace

int RunPublish(const CommandContext& context, const PublishArgs& args) {
  auto year = domain::ParseYear(args.year);
  if (!year) return Refuse(context, Error{ErrorCode::kInvalidArgument, "--year: " + year.error().message});
  auto through = domain::ParseMonth(args.through);
  if (!through) return Refuse(context, Error{ErrorCode::kInvalidArgument, "--through: " + through.error().message});
  if (args.out.empty()) return Refuse(context, Error{ErrorCode::kInvalidArgument, "--out: a folder is needed"});
  const bool cluster = context.config.cluster.enabled;  // the node's indexer owns the store
  auto store = OpenStore(context, cluster ? Access::kRead : Access::kWrite);
  if (!store) return Refuse(context, store.error());
  auto known_at = ResolveKnownAt(**store, args.known_at);
  if (!known_at) return Refuse(context, known_at.error());
  auto projection = LoadForQuery(**store);
  if (!projection) return Refuse(context, projection.error());
  auto data = ledger::BuildOpenData(*projection, *year, *through, known_at->seq);
  if (!data) return Refuse(context, data.error());
  auto head = (*store)->Read(known_at->seq);
  if (!head) return Refuse(context, head.error());
  auto files = SiteFiles(*data);
  if (!files) return Refuse(context, files.error());
  const std::string manifest =
      present::ManifestJson(present::ManifestHeader{*year, *through, known_at->seq, head->hash}, *files);
  const std::string manifest_sha256 = crypto::Hex(crypto::Sha256Of(manifest));
  const domain::Event event = ledger::FollowUpEvent(*year, *through, known_at->seq, manifest_sha256);
  if (auto free = ledger::CheckPublishable(**store, event); !free) return Refuse(context, free.error());
  if (auto written = WriteSite(args.out, *files, manifest); !written) return Refuse(context, written.error());
  auto record = cluster ? RecordThroughLog(context, event) : ledger::RecordPublication(**store, event);
  if (!record) return Refuse(context, record.error());
  spdlog::info("published {} through {} at seq {}: manifest {}", *year, args.through, known_at->seq, manifest_sha256);
  const std::string out = Summary(context, *data, args, *files, manifest_sha256, *record);
  std::fwrite(out.data(), 1, out.size(), stdout);
  return kExitOk;
}

}  // namespace capledger::app
