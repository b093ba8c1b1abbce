// The article's case studies (see case_studies.hpp). The requests turn each story into a
// workload; what the story leaves open is an assumption named in `assumptions`, never a figure
// tuned to land near the article's.
#include "pertoken/plan/case_studies.hpp"

#include <cstdio>
#include <iterator>

#include "pertoken/text/figure_text.hpp"

namespace pertoken {
namespace {

constexpr double days_per_month = 730.0 / 24;

// clang-format off
constexpr CaseStudy table[] = {
    {"transcription",
     "Podcast transcription: Whisper large-v3, ~5,000 hours of audio (~50 M tokens) a day",
     R"({"model": "whisper-large-v3", "audio_hours_per_day": 5000, "input_tokens": 4,
         "output_tokens": 83, "max_ttft_seconds": 5, "peak_to_average": 1.5,
         "search_speculative": false})",
     "$18,000 a day, falling to $4,500 a day with INT8, continuous batching and FlashAttention",
     18000 * days_per_month, 4500 * days_per_month,
     "one request per 30-second window (120 windows an hour, 600,000 a day); 83 transcript tokens "
     "per window (the article's 50 M tokens over its 600,000 windows) after a 4-token task "
     "prompt; greedy decoding (beam search multiplies the decoder's work by the beam width); GPU "
     "work only: decoding the audio and computing mel spectrograms on CPUs is not counted; busy "
     "hours 1.5x the average; no speculative decoding (not how Whisper is served)"},
    {"merchant-assistant",
     "Merchant assistant: 10 M conversations x 20 turns, ~2 B tokens a day, on H100s",
     R"({"model": "llama-3.1-70b", "tokens_per_day": 2e9, "input_tokens": 1500,
         "output_tokens": 300, "prefix_cache_hit_rate": 0.6, "gpus_allowed": "h100-sxm",
         "max_ttft_seconds": 1, "min_tokens_per_second_per_user": 20, "peak_to_average": 2,
         "deployment": "routing", "small_model": "llama-3.1-8b", "small_model_share": 0.5})",
     "$2.1 M a month, falling to $450 k a month with caching and routing on H100s",
     2.1e6, 4.5e5,
     "the article's 2 B tokens a day kept (10 M x 20 turns would leave 10 tokens per turn, so "
     "its counts cannot both hold); a chat turn of 1,500 prompt tokens (history and "
     "instructions) and 300 generated; caching as a 60% prefix-cache hit rate (the history "
     "repeats turn after turn); routing as half the turns to Llama 3.1 8B; Llama 3.1 70B as "
     "the large model; peak 2x the average"},
    {"bank-analysts",
     "Bank research assistant: 50,000 analysts, no data shared between client groups",
     R"({"model": "llama-3.3-70b", "tokens_per_day": 4.5e9, "input_tokens": 4000,
         "output_tokens": 500, "max_ttft_seconds": 2, "min_tokens_per_second_per_user": 20,
         "peak_to_average": 3, "deployment": "dedicated", "sites": 25,
         "site_peak_to_average": 3})",
     "dedicated instances per client group for strict latency and isolation, at the price of "
     "batching efficiency (no figure given)",
     std::nullopt, std::nullopt,
     "20 questions per analyst per working day of 4,000 prompt tokens (research documents "
     "retrieved into the prompt) and 500 generated: 4.5 B tokens a day; 25 client groups, each "
     "its own pool (the isolation the article asks for); office hours make the peak 3x the "
     "average, and every group keeps the same hours, so each pool peaks at 3x too (the "
     "square-root rule is for random peaks); Llama 3.3 70B"},
};
// clang-format on
static_assert(std::size(table) == case_study_ids.size());

}  // namespace

std::span<const CaseStudy> case_studies() { return table; }

const CaseStudy* find_case_study(std::string_view id) {
  for (const CaseStudy& c : table) {
    if (c.id == id) return &c;
  }
  return nullptr;
}

CaseStudyComparison compare_case_study(const CaseStudy& study, const Plan& plan) {
  CaseStudyComparison out;
  out.study = &study;
  char line[400];
  if (!plan.best || !plan.meets_sla) {
    out.why.push_back(
        "nothing meets this case's SLA on the catalog, so there is no bill to "
        "set beside the article's");
    return out;
  }
  out.computed_usd_per_month = plan.usd_per_month;
  const double device_hour_usd = plan.best->usd_per_gpu_hour;
  out.computed_device_hours_per_day = plan.gpus_total * 24.0;
  const std::optional<double> article = study.article_usd_per_month_after
                                            ? study.article_usd_per_month_after
                                            : study.article_usd_per_month_before;
  if (!article) {
    if (plan.centralized_usd_per_million_tokens && plan.usd_per_million_tokens > 0) {
      std::snprintf(line, sizeof line,
                    "the article gives no figure; isolation costs %.2fx one shared pool here "
                    "(%s vs %s a month)",
                    plan.usd_per_million_tokens / *plan.centralized_usd_per_million_tokens,
                    format_usd(plan.usd_per_month).c_str(),
                    format_usd(plan.usd_per_month / plan.usd_per_million_tokens *
                               *plan.centralized_usd_per_million_tokens)
                        .c_str());
      out.why.push_back(line);
    }
    return out;
  }
  out.article_over_computed = *article / plan.usd_per_month;
  out.article_device_hours_per_day = *article / days_per_month / device_hour_usd;
  out.why.push_back("the article's " + format_usd(*article) + " a month buys " +
                    format_integer(*out.article_device_hours_per_day) +
                    " device-hours a day at the plan's " + format_usd(device_hour_usd) +
                    " per device-hour; the plan needs " +
                    format_integer(*out.computed_device_hours_per_day) + " (" +
                    format_count(plan.gpus_total, "device") + " around the clock, " +
                    format_percent(plan.utilization) + " busy on average)");
  if (*out.article_over_computed > 3) {
    out.why.push_back(
        "so the article's bill is for far more hardware than the work needs: its figures fit "
        "per-token API list prices or hardware left mostly idle, not a fleet sized to the "
        "traffic; the article does not say how it priced them");
  } else if (*out.article_over_computed < 1.0 / 3) {
    out.why.push_back(
        "so the plan is far dearer than the article: check the assumptions above against your "
        "traffic (lengths, peak, SLA)");
  } else {
    out.why.push_back("within 3x of the article: the difference is in the assumptions above");
  }
  if (study.article_usd_per_month_before && study.article_usd_per_month_after) {
    std::snprintf(
        line, sizeof line,
        "the article's optimizations save %.0f%%; the plan's levers (the waterfall: precision, "
        "batching, paged KV, speculation, accelerator, way of paying, fleet utilization) save "
        "%.1f%% against its naive baseline, one request at a time at 16 bits, busy every hour",
        100 * (1 - *study.article_usd_per_month_after / *study.article_usd_per_month_before),
        plan.baseline_usd_per_million_tokens > 0 && !plan.waterfall.empty()
            ? 100 * (1 - plan.waterfall.back().usd_per_million_tokens_after /
                             plan.baseline_usd_per_million_tokens)
            : 0.0);
    out.why.push_back(line);
  }
  return out;
}

}  // namespace pertoken
