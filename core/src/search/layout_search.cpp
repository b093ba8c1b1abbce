// The layout search (see layout_search.hpp): enumerate the space, prune what provably cannot fit,
// estimate the rest and keep the best by better_layout.
#include "pertoken/search/layout_search.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <tuple>
#include <utility>

#include "pertoken/serving/estimate.hpp"
#include "pertoken/text/figure_text.hpp"
#include "search/stable_order.hpp"
#include "serving/serving_plan.hpp"

namespace pertoken {
namespace {

bool is_power_of_two(int n) { return n > 0 && (n & (n - 1)) == 0; }

// Device counts: powers of two, and whole scale-up domains when the domain is not one (NVL72).
std::vector<int> device_counts(const GpuSpec& gpu, int max_devices) {
  std::vector<int> counts;
  for (int n = 1; n <= max_devices; n *= 2) counts.push_back(n);
  const int domain = static_cast<int>(gpu.scale_up_domain_size.value_or(1));
  if (domain > 1 && !is_power_of_two(domain)) {
    for (int n = domain; n <= max_devices; n += domain) counts.push_back(n);
  }
  std::sort(counts.begin(), counts.end());
  counts.erase(std::unique(counts.begin(), counts.end()), counts.end());
  return counts;
}

// Bytes of weights the whole instance stores at least once: no layout can put fewer than
// total / devices on its most loaded device. nullopt when the plan cannot be built.
std::optional<double> total_weight_bytes(const Scenario& base,
                                         const EfficiencyFactors& efficiency) {
  Scenario one = base;
  one.num_gpus = one.pp = one.ep = 1;
  one.prefill_gpus = 0;
  one.tp = std::max(1, base.gpu.tp_cores_per_device);  // the whole device, once
  Result<detail::ServingPlan> plan = detail::make_serving_plan(one, efficiency);
  if (!plan.ok() || plan.value().stages.empty()) return std::nullopt;
  return plan.value().stages.front().total_bytes;
}

// Whether `estimate` is better than the best so far (which may be empty).
struct Best {
  std::optional<Layout> layout;
  std::optional<Estimate> estimate;
  void offer(const Layout& l, Estimate&& e) {
    if (!layout || better_layout(l, e, *layout, *estimate)) {
      layout = l;
      estimate = std::move(e);
    }
  }
};

// How a fitting result ranks, lower is better: $ per million tokens, or without a price the
// negated tokens/s per device (better_layout's first two keys; within one search every layout
// has the same price, so all have a cost or none has).
double rank_score(const Layout& l, const Estimate& e) {
  if (e.usd_per_million_tokens) return *e.usd_per_million_tokens;
  return -(e.output_tokens_per_s + e.input_tokens_per_s) / l.num_gpus;
}

// Whether a layout whose answer can rank no better than `bound` (an estimate of it at a larger
// batch: throughput never falls as the batch grows, tests/core/property_test.cpp, so a smaller
// batch costs at least as much) surely loses to the best so far. Strictly worse by a margin far
// above rounding: an equal score would go to the tie-breaks.
bool cannot_beat(const Layout& l, const Estimate& bound, const Best& best) {
  if (!best.layout) return false;
  const Estimate& b = *best.estimate;
  if (bound.usd_per_million_tokens.has_value() != b.usd_per_million_tokens.has_value()) {
    return false;
  }
  const double best_score = rank_score(*best.layout, b);
  return rank_score(l, bound) > best_score + 1e-6 * std::abs(best_score);
}

// The largest concurrency in [1, most) whose users each get at least `floor` tokens/s, with its
// estimate; nullopt when even one request at a time is slower. `estimates` counts the runs. With
// a `rival` (the pruned search's best so far) the bisection stops once a batch too slow for the
// floor shows that the answer, a smaller batch, cannot beat it: `dominated` is then set.
std::optional<Estimate> at_floor(Scenario& s, const Layout& layout,
                                 const EfficiencyFactors& efficiency, long long most, double floor,
                                 int& estimates, const Best* rival, bool& dominated) {
  auto at = [&](long long concurrency) {
    s.concurrency = static_cast<int>(concurrency);
    ++estimates;
    return estimate(s, efficiency);
  };
  dominated = false;
  Estimate low = at(1);
  if (!low.fits || low.tokens_per_s_per_user < floor) return std::nullopt;
  long long good = 1;
  long long bad = most;
  while (bad - good > 1) {
    const long long mid = good + (bad - good) / 2;
    Estimate e = at(mid);
    if (e.fits && e.tokens_per_s_per_user >= floor) {
      good = mid;
      low = std::move(e);
    } else {
      if (rival && e.fits && cannot_beat(layout, e, *rival)) {
        dominated = true;
        return std::nullopt;
      }
      bad = mid;
    }
  }
  return low;
}

void lay_out(Scenario& s, const Layout& layout) {
  s.num_gpus = layout.num_gpus;
  s.tp = layout.tp;
  s.pp = layout.pp;
  s.ep = layout.ep;
}

LayoutChoice search(const Scenario& base, const EfficiencyFactors& efficiency,
                    const LayoutSearchOptions& options, bool prune) {
  LayoutChoice choice;
  const std::vector<Layout> space = layout_space(base.model, base.gpu, options.max_devices);
  choice.candidates = static_cast<int>(space.size());
  const std::optional<double> weights = prune ? total_weight_bytes(base, efficiency) : std::nullopt;
  Best best;
  int unknown_figures = 0;
  // Rejections by position in the space (each layout is rejected at most once): the layouts
  // below the floor are settled after the others, and the list keeps the space's order.
  std::vector<std::optional<RejectedLayout>> rejections(space.size());
  auto reject = [&](std::size_t i, std::string reason) {
    rejections[i] = RejectedLayout{space[i], std::move(reason)};
  };
  const std::string slower =
      "below " + format_number(options.min_tokens_per_s_per_user) + " tokens/s per user";
  const std::string slower_alone = slower + " even at one request at a time";
  // Layouts too slow for the floor at their largest batch, with that estimate.
  std::vector<std::pair<std::size_t, Estimate>> below_floor;
  const bool rebatch = !base.concurrency && !base.request_rate_per_s;
  Scenario s = base;
  s.prefill_gpus = 0;  // the layouts searched run prompts beside the decodes
  for (std::size_t i = 0; i < space.size(); ++i) {
    const Layout& layout = space[i];
    if (weights && *weights / layout.num_gpus > base.gpu.memory_capacity_bytes) {
      reject(i, "the weights alone exceed the devices' memory");
      continue;
    }
    lay_out(s, layout);
    const Diagnostics problems = check_layout(s);
    if (!problems.empty()) {
      const Diagnostic& d = problems.front();
      reject(i, d.json_path + ": " + d.message);
      continue;
    }
    Estimate e = estimate(s, efficiency);
    if (e.limit_reason == "unknown_figure") {
      // The catalog lacks a figure this layout needs (a rate, a link): no estimate.
      ++unknown_figures;
      if (choice.unknown_reason.empty()) choice.unknown_reason = e.limit_detail;
      reject(i, "/gpu: " + e.limit_detail);
      continue;
    }
    ++choice.estimates;
    if (!e.fits) {
      reject(i, e.limit_detail);
      continue;
    }
    if (e.tokens_per_s_per_user < options.min_tokens_per_s_per_user) {
      // At concurrency "max" the floor picks the batch instead (below); at a fixed concurrency
      // or an arrival rate the batch is the user's, and the layout is rejected.
      if (rebatch && e.concurrency > 1) {
        below_floor.emplace_back(i, std::move(e));
      } else {
        reject(i, rebatch ? slower_alone : slower + " at this load");
      }
      continue;
    }
    best.offer(layout, std::move(e));
  }

  // Each user's speed falls as the batch grows, so the largest batch that holds the floor is
  // found by bisection (the way published benchmarks read throughput at a stated interactivity).
  // The pruned search takes these layouts best bound first and skips the bisection of those
  // whose largest batch already cannot beat the best found: their answer, a smaller batch, costs
  // no less. Whether such a layout holds the floor at all (one request at a time) is still asked,
  // so the rejections are those of the exhaustive search.
  if (prune) {
    const auto by_bound = [&](std::size_t a, std::size_t b) {
      return rank_score(space[below_floor[a].first], below_floor[a].second) <
             rank_score(space[below_floor[b].first], below_floor[b].second);
    };
    below_floor = detail::reordered(std::move(below_floor),
                                    detail::stable_order(below_floor.size(), by_bound));
  }
  const double floor = options.min_tokens_per_s_per_user;
  for (auto& [i, saturated] : below_floor) {
    const Layout& layout = space[i];
    lay_out(s, layout);
    std::optional<Estimate> held;
    if (prune && cannot_beat(layout, saturated, best)) {
      s.concurrency = 1;
      ++choice.estimates;
      const Estimate one = estimate(s, efficiency);
      if (!one.fits || one.tokens_per_s_per_user < floor) reject(i, slower_alone);
    } else {
      bool dominated = false;
      held = at_floor(s, layout, efficiency, static_cast<long long>(saturated.concurrency), floor,
                      choice.estimates, prune ? &best : nullptr, dominated);
      if (held) {
        best.offer(layout, std::move(*held));
      } else if (!dominated) {
        reject(i, slower_alone);
      }
    }
    s.concurrency.reset();
  }
  for (auto& r : rejections) {
    if (r) choice.rejected.push_back(std::move(*r));
  }
  choice.best = best.layout;
  choice.result = std::move(best.estimate);
  // Every candidate that got as far as the catalog's figures stopped there: no estimate at all.
  choice.unknown = !choice.best && unknown_figures > 0 && choice.estimates == 0;
  return choice;
}

}  // namespace

std::vector<Layout> layout_space(const ModelSpec& model, const GpuSpec& gpu, int max_devices) {
  std::vector<Layout> space;
  const int domain = static_cast<int>(gpu.scale_up_domain_size.value_or(1));
  const int experts = model.moe ? model.moe->num_experts : 0;
  // tp counts cores on devices with several (AWS Neuron): whole devices' worth of them.
  const int cores = std::max(1, gpu.tp_cores_per_device);
  for (int n : device_counts(gpu, max_devices)) {
    // Dense layouts (and MoE with experts tensor-split): tp within a domain, pp the rest.
    for (int tp = 1; tp <= std::min(n, domain); ++tp) {
      if (n % tp == 0 && n / tp <= model.num_layers) space.push_back({n, tp * cores, n / tp, 1});
    }
    if (experts == 0 || cores > 1) continue;
    // Expert parallelism over every GPU of a stage; attention tp-way inside it (tp = 1: DEP).
    for (int pp = 1; pp <= n; ++pp) {
      if (n % pp != 0 || pp > model.num_layers) continue;
      const int stage = n / pp;
      if (stage < 2 || experts % stage != 0) continue;
      for (int tp = 1; tp <= std::min(stage, domain); ++tp) {
        if (stage % tp == 0) space.push_back({n, tp, pp, stage});
      }
    }
  }
  return space;
}

bool better_layout(const Layout& a, const Estimate& ea, const Layout& b, const Estimate& eb) {
  if (ea.usd_per_million_tokens && eb.usd_per_million_tokens &&
      *ea.usd_per_million_tokens != *eb.usd_per_million_tokens) {
    return *ea.usd_per_million_tokens < *eb.usd_per_million_tokens;
  }
  if (!ea.usd_per_million_tokens || !eb.usd_per_million_tokens) {
    const double ta = (ea.output_tokens_per_s + ea.input_tokens_per_s) / a.num_gpus;
    const double tb = (eb.output_tokens_per_s + eb.input_tokens_per_s) / b.num_gpus;
    if (ta != tb) return ta > tb;
  }
  return std::tie(a.num_gpus, a.tp, a.pp, a.ep) < std::tie(b.num_gpus, b.tp, b.pp, b.ep);
}

LayoutChoice cheapest_layout(const Scenario& base, const EfficiencyFactors& efficiency,
                             const LayoutSearchOptions& options) {
  return search(base, efficiency, options, true);
}

LayoutChoice cheapest_layout_brute_force(const Scenario& base, const EfficiencyFactors& efficiency,
                                         const LayoutSearchOptions& options) {
  return search(base, efficiency, options, false);
}

std::optional<Layout> fewest_devices_layout(const Scenario& base,
                                            const EfficiencyFactors& efficiency, int max_devices) {
  const std::optional<double> weights = total_weight_bytes(base, efficiency);
  Scenario s = base;
  s.prefill_gpus = 0;
  Best best;
  // The space runs from the fewest devices up: the first count with a fitting layout is the
  // answer, and its layouts compete as in the search.
  for (const Layout& layout : layout_space(base.model, base.gpu, max_devices)) {
    if (best.layout && layout.num_gpus > best.layout->num_gpus) break;
    if (weights && *weights / layout.num_gpus > base.gpu.memory_capacity_bytes) continue;
    lay_out(s, layout);
    if (!check_layout(s).empty()) continue;
    Estimate e = estimate(s, efficiency);
    if (e.fits) best.offer(layout, std::move(e));
  }
  return best.layout;
}

Scenario on_accelerator(const Scenario& base, const GpuSpec& gpu) {
  Scenario s = base;
  if (gpu.id != base.gpu.id) {
    s.gpu = gpu;
    s.usd_per_gpu_hour = default_usd_per_gpu_hour(gpu);
  }
  return s;
}

}  // namespace pertoken
