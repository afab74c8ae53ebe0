// serve's cluster part (DESIGN.md §6): the indexer of this node's region, the only writer of its
// store; the submitter through which the API's payouts go to the log; and the region's finance
// feed, published by whichever node of the region the feed group has chosen.
#include <atomic>
#include <memory>
#include <mutex>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "app/serve.h"
#include "codec/json_out.h"
#include "common/assert.h"
#include "stream/feed.h"
#include "stream/feed_owner.h"
#include "stream/forwarder.h"
#include "stream/indexer.h"
#include "stream/submitter.h"

namespace capledger::app {
namespace {

using Outcome = stream::SubmissionOutcome;

class ClusterPart final : public ServePart {
 public:
  std::string_view name() const override { return "cluster"; }

  Result<std::string> Start(ServeEnv& env) override {
    const AppConfig& config = env.context.config;
    LEDGER_ASSERT(env.log_clock != nullptr && config.region.has_value());
    region_ = *config.region;
    await_ = std::chrono::milliseconds(config.cluster.await_ms);
    clock_ = env.context.clock;
    stream::IndexerConfig indexing{config.kafka, config.cluster.log_topic, region_.partition,
                                   config.cluster.batch_messages};
    indexing.kafka.enabled = true;
    auto submitter = stream::Submitter::Create(indexing.kafka, config.cluster.log_topic);
    if (!submitter) return tl::unexpected(submitter.error());
    submitter_ = std::move(*submitter);
    auto indexer = stream::Indexer::Start(indexing, env.store, env.service, *env.log_clock, env.secret,
                                          *env.context.clock, env.request_stop);
    if (!indexer) return tl::unexpected(indexer.error());
    indexer_ = std::move(*indexer);
    if (config.cluster.feed) {
      if (auto feed = StartFeedGroup(env); !feed) {
        indexer_->Stop();
        return tl::unexpected(feed.error());
      }
    }
    if (!region_.events_topic.empty()) {
      stream::ForwarderConfig upstream{indexing.kafka, region_.events_topic,
                                       config.cluster.ingest_group + "." + region_.id, config.cluster.log_topic,
                                       region_.partition};
      upstream.submit_timeout = await_;
      upstream.session_timeout_ms = static_cast<int>(config.cluster.session_ms);
      auto forwarder = stream::Forwarder::Start(upstream, env.store, *env.context.clock);
      if (!forwarder) {
        if (owner_) owner_->Stop();
        indexer_->Stop();
        return tl::unexpected(forwarder.error());
      }
      forwarder_ = std::move(*forwarder);
    }
    if (auto gauges = AddGauges(env.metrics); !gauges) return tl::unexpected(gauges.error());
    env.hooks.payout = [this](domain::Month month) { return Payout(month); };
    env.hooks.health = [this] { return Health(); };
    std::string out;
    codec::JsonObject ready(out, codec::JsonSpacing::kSpaced);
    ready.String("region", region_.id)
        .String("log_topic", config.cluster.log_topic)
        .Integer("partition", static_cast<std::int64_t>(region_.partition));
    if (owner_) ready.String("ledger_topic", feed_config_.ledger_topic);
    if (forwarder_) ready.String("events_topic", region_.events_topic);
    ready.Close();
    return out;
  }

  void Stop() override {
    if (forwarder_) forwarder_->Stop();  // submits what it has read, then leaves the ingest group
    if (owner_) owner_->Stop();  // publishes what is booked, then leaves the feed group
    indexer_->Stop();
    std::lock_guard lock(submit_mutex_);
    submitter_.reset();
  }

 private:
  // Joins the region's feed group; the feed runs while this node holds the region's partition.
  Status StartFeedGroup(ServeEnv& env) {
    const AppConfig& config = env.context.config;
    store_ = &env.store;
    request_stop_ = env.request_stop;
    feed_config_ = config.kafka;
    feed_config_.enabled = true;
    feed_config_.ledger_topic =
        region_.ledger_topic.empty() ? config.kafka.ledger_topic + "." + region_.id : region_.ledger_topic;
    env.service.on_booked = [this] {
      if (auto feed = CurrentFeed()) feed->Notify();
    };
    stream::FeedOwnerConfig group{config.kafka, config.cluster.feed_group + "." + region_.id, config.cluster.log_topic,
                                  region_.partition, static_cast<int>(config.cluster.session_ms),
                                  [this] { return Delivered(); }};
    auto owner = stream::FeedOwnership::Start(
        group, [this](bool owner, std::uint64_t handed_over) { OwnerChanged(owner, handed_over); });
    if (!owner) return tl::unexpected(owner.error());
    owner_ = std::move(*owner);
    return {};
  }

  // On the feed group's thread: starts the feed when the region's partition is given to this
  // node, and stops it (publishing what is booked, for at most 10 s) when it is taken away.
  void OwnerChanged(bool owner, std::uint64_t handed_over) {
    if (!owner) {
      std::shared_ptr<stream::FinanceFeed> feed;
      {
        std::lock_guard lock(feed_mutex_);
        feed.swap(feed_);
      }
      if (feed) {
        feed->Stop();
        last_delivered_ = feed->stats().cursor_seq.load();
      }
      return;
    }
    if (auto taken = TakeOver(handed_over); !taken) {
      spdlog::error("finance feed of region {}: {}", region_.id, taken.error().message);
      request_stop_();
      return;
    }
    auto feed = stream::FinanceFeed::Start(feed_config_, *store_, *clock_, request_stop_);
    if (!feed) {
      spdlog::error("finance feed of region {}: {}", region_.id, feed.error().message);
      request_stop_();
      return;
    }
    std::lock_guard lock(feed_mutex_);
    feed_ = std::shared_ptr<stream::FinanceFeed>(std::move(*feed));
  }

  // The feed starts from this node's cursor, or from what the group recorded as delivered by
  // the node before it if that is further on. Every node's log is the same seq for seq, so what
  // was delivered through seq S is this node's entries through S too. Beyond this node's head
  // it starts at its head: what lies between is published again once indexed, and finance
  // drops it by entry id.
  Status TakeOver(std::uint64_t handed_over) {
    auto cursor = store_->FeedCursor();
    if (!cursor) return tl::unexpected(cursor.error());
    const std::uint64_t from = std::min(handed_over, store_->head().seq.value());
    if (from <= cursor->value()) return {};
    spdlog::info("finance feed of region {}: publishing from seq {}, delivered before by another node (this node's cursor: {})",
                 region_.id, from, cursor->value());
    return store_->PutFeedCursor(domain::Seq(from));
  }

  std::uint64_t Delivered() const {
    if (auto feed = CurrentFeed()) return feed->stats().cursor_seq.load();
    return last_delivered_.load();
  }

  std::shared_ptr<stream::FinanceFeed> CurrentFeed() const {
    std::lock_guard lock(feed_mutex_);
    return feed_;
  }

  // Submits the month's payout and answers with what this node's indexer made of it.
  Result<ledger::PayoutResult> Payout(domain::Month month) {
    std::int64_t offset = 0;
    {
      std::lock_guard lock(submit_mutex_);
      if (!submitter_) return Fail(ErrorCode::kUnavailable, "the node is stopping");
      const stream::Submission submission{stream::SubmissionKind::kPayout, stream::EncodePayout(month), {}, {}};
      auto offsets = submitter_->Submit(region_.partition, std::span(&submission, 1), clock_->Now(), await_);
      if (!offsets) return tl::unexpected(offsets.error());
      offset = offsets->front();
    }
    auto outcome = indexer_->Await(offset, await_);
    if (!outcome) return tl::unexpected(outcome.error());
    switch (outcome->kind) {
      case Outcome::Kind::kPayoutBooked:
      case Outcome::Kind::kPayoutExisting:
        return std::move(*outcome->payout);
      case Outcome::Kind::kPayoutRefused:
        return tl::unexpected(*outcome->refusal);
      default:
        break;
    }
    return Fail(ErrorCode::kInternal, fmt::format("the payout submitted at offset {} was indexed as {}", offset,
                                                  stream::OutcomeName(outcome->kind)));
  }

  std::vector<std::pair<std::string, std::string>> Health() const {
    const stream::IndexerStats& s = indexer_->stats();
    const std::int64_t next = s.next_offset.load();
    const std::int64_t end = s.high_watermark.load();
    std::vector<std::pair<std::string, std::string>> out = {
        {"region", codec::JsonString(region_.id)},
        {"indexed_offset", std::to_string(next)},
        {"log_end_offset", end < 0 ? "null" : std::to_string(end)},
        {"lag", end < 0 ? "null" : std::to_string(std::max<std::int64_t>(0, end - next))},
        {"indexer", s.failed.load() ? "\"failed\"" : "\"running\""},
    };
    if (owner_) {
      const auto feed = CurrentFeed();
      out.emplace_back("feed", feed ? "\"publishing\"" : "\"standby\"");
      out.emplace_back("feed_cursor", feed ? std::to_string(feed->stats().cursor_seq.load()) : "null");
    }
    return out;
  }

  Status AddGauges(api::Metrics& metrics) {
    const stream::IndexerStats& s = indexer_->stats();
    std::vector<std::tuple<std::string, std::string, std::function<std::int64_t()>>> gauges = {
        {"capledger_cluster_indexed_offset", "the next log offset this node indexes",
         [&s] { return s.next_offset.load(); }},
        {"capledger_cluster_lag", "submissions in the log this node has not indexed yet",
         [&s] { return s.high_watermark.load() < 0 ? 0 : std::max<std::int64_t>(0, s.high_watermark - s.next_offset); }},
        {"capledger_cluster_submissions", "submissions indexed since start",
         [&s] { return static_cast<std::int64_t>(s.submissions.load()); }},
        {"capledger_cluster_payouts_booked", "payout runs this node booked from the log since start",
         [&s] { return static_cast<std::int64_t>(s.payouts_booked.load()); }},
    };
    if (forwarder_) {
      gauges.emplace_back("capledger_cluster_upstream_forwarded", "upstream events this node submitted to the log",
                          [this] { return static_cast<std::int64_t>(forwarder_->stats().forwarded.load()); });
    }
    if (owner_) {
      gauges.emplace_back("capledger_cluster_feed_publishing", "1 while this node publishes the region's finance feed",
                          [this] { return owner_->owner() ? 1 : 0; });
    }
    for (const auto& [name, help, read] : gauges) {
      if (auto added = metrics.AddGauge(name, help, read); !added) return added;
    }
    return {};
  }

  RegionConfig region_;
  std::chrono::milliseconds await_{0};
  const Clock* clock_ = nullptr;
  std::mutex submit_mutex_;  // the submitter takes one caller at a time
  std::unique_ptr<stream::Submitter> submitter_;
  std::unique_ptr<stream::Indexer> indexer_;
  store::EventStore* store_ = nullptr;
  std::function<void()> request_stop_;
  stream::KafkaConfig feed_config_;  // the region's ledger topic
  mutable std::mutex feed_mutex_;    // guards feed_ (the feed group's thread sets it)
  std::shared_ptr<stream::FinanceFeed> feed_;
  std::atomic<std::uint64_t> last_delivered_{0};  // the cursor of the feed last stopped
  std::unique_ptr<stream::FeedOwnership> owner_;
  std::unique_ptr<stream::Forwarder> forwarder_;
};

}  // namespace

std::unique_ptr<ServePart> MakeClusterPart() { return std::make_unique<ClusterPart>(); }

}  // namespace capledger::app
