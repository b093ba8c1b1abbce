// The layout search: for a model, an accelerator and a workload, the cheapest way to lay one
// serving instance over devices (device count, tensor, pipeline and expert parallelism) that fits,
// with every candidate it rejected and why. The accelerator comparison and the planner use it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "pertoken/model/efficiency.hpp"
#include "pertoken/scenario/scenario.hpp"
#include "pertoken/search/layout.hpp"
#include "pertoken/serving/result.hpp"

namespace pertoken {

struct LayoutSearchOptions {
  int max_devices = 128;  // largest instance considered
  // Interactivity floor (0: none). Published benchmarks rank throughput at a stated
  // interactivity, so does this: at concurrency "max" each layout runs the largest batch whose
  // users get at least this many output tokens/s each; at a fixed concurrency (or a request
  // rate) a layout whose users get fewer is rejected.
  double min_tokens_per_s_per_user = 0;
};

struct RejectedLayout {
  Layout layout;
  // Why, in words: "/tp: ..." (invalid), the estimate's limit_detail (does not fit), or the
  // interactivity floor's speed ("below 20 tokens/s per user ...").
  std::string reason;
};

struct LayoutChoice {
  std::optional<Layout> best;      // nullopt: nothing in the space fits
  std::optional<Estimate> result;  // the estimate of best
  // Candidates rejected, in the space's order. Those pruned without an estimate
  // (weights alone exceed the device's memory) say so without an estimate's figures.
  std::vector<RejectedLayout> rejected;
  int candidates = 0;  // size of the space searched
  // Full estimates run: the rest were pruned, as were the bisections at the interactivity
  // floor of layouts whose largest batch already costs more than the best found.
  int estimates = 0;
  // True when the catalog lacks a figure every candidate needs (the estimate stops with
  // unknown_figure): the accelerator cannot be estimated, rather than not fitting.
  bool unknown = false;
  std::string unknown_reason;
};

// The space the search covers, in the order it is searched: device counts that are powers of two
// or whole scale-up domains up to max_devices; tp a divisor of the devices within one scale-up
// domain; pp the rest; for MoE models also expert parallelism over every GPU of a stage (ep =
// devices / pp) with tp a divisor of the stage. One instance: replicas are the planner's business.
// On devices with several tensor-parallel cores (GpuSpec::tp_cores_per_device) tp counts cores:
// the devices' tp times the cores per device, and no expert parallelism.
std::vector<Layout> layout_space(const ModelSpec& model, const GpuSpec& gpu, int max_devices);

// How two fitting results rank: the lower $ per million tokens (or, with no price, the higher
// tokens/s per device); ties go to fewer devices, then the smaller tp, pp, ep. True when a is
// better than b.
bool better_layout(const Layout& a, const Estimate& ea, const Layout& b, const Estimate& eb);

// The cheapest layout of `base` (its model, workload and price) on `base.gpu`.
LayoutChoice cheapest_layout(const Scenario& base, const EfficiencyFactors& efficiency,
                             const LayoutSearchOptions& options = {});

// The same answer by estimating every candidate of layout_space (no pruning): the reference the
// tests hold the search to.
LayoutChoice cheapest_layout_brute_force(const Scenario& base, const EfficiencyFactors& efficiency,
                                         const LayoutSearchOptions& options = {});

// The fewest devices of `base.gpu` that hold `base` (its model, precision, workload and
// concurrency) in one instance of layout_space, at the best layout of that count by
// better_layout; nullopt when none of up to max_devices does. A disaggregated prefill pool is
// left out: the layouts run prompts beside the decodes.
std::optional<Layout> fewest_devices_layout(const Scenario& base,
                                            const EfficiencyFactors& efficiency,
                                            int max_devices = 128);

// `base` moved onto `gpu` at its catalog reference price (the user's price stays with the user's
// accelerator: a price is per device type).
Scenario on_accelerator(const Scenario& base, const GpuSpec& gpu);

}  // namespace pertoken
