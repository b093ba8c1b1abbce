// The planner: for a workload and a latency target, the cheapest fleet that meets it, searched
// over accelerators x layouts x weight precision x speculative decoding x concurrency; its bill
// under every way to pay, the serverless APIs it competes with, and where each saving comes from.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pertoken/catalog/catalog.hpp"
#include "pertoken/economics/payment.hpp"
#include "pertoken/economics/prices.hpp"
#include "pertoken/plan/sensitivity.hpp"
#include "pertoken/scenario/scenario.hpp"
#include "pertoken/serving/result.hpp"

namespace pertoken {

// The month the planner bills: 8,760 hours a year / 12.
inline constexpr double plan_hours_per_month = 730;

// What one replica is taken to serve when the fleet is sized: the estimate's requests a second,
// or the low end of its likely range (slow_end: the P10 of measured / predicted throughput over
// its regime's published runs), for a fleet that should still carry the peak where the model has
// erred the way it usually errs there (on MoE models, by promising more than engines deliver).
enum class CapacityBasis { estimate, p10 };
// The words the plan's JSON spells the bases with, in their enums' order.
inline constexpr std::array<std::string_view, 2> capacity_basis_words = {"estimate", "p10"};

struct Workload {
  // One of the two: input + output tokens a day, or requests a second (both averages).
  std::optional<double> tokens_per_day;
  std::optional<double> requests_per_s;
  // Or, for a model with an audio encoder: hours of audio a day, one request per encoder window
  // (Whisper: 30 s), each with the scenario's input and output tokens.
  std::optional<double> audio_hours_per_day;
  double peak_to_average = 1;  // the fleet is sized for the peak, paid for around the clock
  CapacityBasis capacity_basis = CapacityBasis::estimate;
};

// What the latency targets are read against: the point estimate, or the slow end of its likely
// range (slow_end: the P90 of its regime's published runs), for a fleet that should still meet
// them where the model has erred the way it usually errs there.
enum class SlaBasis { estimate, p90 };
inline constexpr std::array<std::string_view, 2> sla_basis_words = {"estimate", "p90"};

struct Sla {
  std::optional<double> max_ttft_s;
  std::optional<double> max_tpot_s;
  std::optional<double> min_tokens_per_s_per_user;
  SlaBasis basis = SlaBasis::estimate;
};

// How the fleet is laid out (issue 8's deployment patterns). Every pattern is planned from the
// same pool search; the patterns differ in how the traffic is split and how each part is sized.
enum class DeploymentPattern {
  centralized,  // one pool for all traffic
  edge,         // `sites` pools, each sized for its own share and its own (burstier) peak
  dedicated,    // the same arithmetic for isolation: one pool per client group, none shared
  hybrid,       // the small model at `sites` edge pools for its share, the large one central
  routing,      // a share of the requests to the small model, both central
  cascade,      // every request to the small model first; those it cannot answer to the large
};
std::string_view to_string(DeploymentPattern pattern);
std::optional<DeploymentPattern> deployment_pattern_from_string(std::string_view word);

struct Deployment {
  DeploymentPattern pattern = DeploymentPattern::centralized;
  int sites = 1;  // edge and hybrid
  // Peak over average at one site. Default (a rule, not a measurement): random peaks shrink with
  // pooling as the square root of the load (the square-root staffing rule), so one of N sites
  // sees 1 + (peak_to_average - 1) x sqrt(N). Diurnal peaks that every site shares do not
  // average out; give this when yours are of that kind.
  std::optional<double> site_peak_to_average;
  std::optional<ModelSpec> small_model;  // hybrid, routing, cascade
  // hybrid and routing: the share of requests the small model serves; cascade: the share it
  // answers alone (the rest go on to the large model, having run on the small one too).
  double small_model_share = 0;
};

struct PlanRequest {
  // The model, the lengths, the prefix-cache hit rate and the engine caps come from here; the
  // accelerator, the layout, the weight precision, the concurrency and speculative decoding are
  // searched.
  Scenario base;
  Workload workload;
  Sla sla;
  std::vector<std::string> gpus_allowed;  // empty: every accelerator with a price under the lens
  PricingLens lens = default_pricing_lens();
  int top_n = 5;
  int max_devices = 64;  // per instance
  bool search_speculative = true;
  std::string grid_region = "us-average";
  PaymentAssumptions assumptions;
  Deployment deployment;
  std::string case_study;  // the article case study the request starts from, or ""
  // Scenario keys the request gave that the plan sets itself (plan_searches): a note names them.
  std::vector<std::string> keys_not_used;
  // The SLA terms the scenario's preset filled ("max_ttft_seconds", "max_tpot_seconds"), said in
  // the plan's notes.
  std::vector<std::string> sla_from_preset;
};

// One configuration and the fleet that serves the workload with it.
struct PlanOption {
  Scenario scenario;  // one instance: gpu, num_gpus, tp, pp, ep, weights, kv_cache, concurrency
  Estimate estimate;  // of that instance
  int replicas = 0;   // that carry the peak
  // Spot: the replicas held beside them for interruptions (the lens's bill); 0 otherwise.
  int spare_replicas = 0;
  double reprefill_share = 0;  // spot: of the bill, for re-prefilling interrupted requests
  int gpus_total = 0;  // every device paid for: (replicas + spare_replicas) x the instance's
  // The volume needs more replicas than the planner sizes (a million): replicas holds that
  // limit, which does not carry the load, so the option is never listed.
  bool beyond_replica_limit = false;
  // What one replica is taken to serve (the workload's capacity basis): the replicas carry the peak
  // at it, and the utilization is the average load over it.
  double capacity_requests_per_s = 0;
  double utilization = 0;  // average load over the fleet's capacity
  // The plan's lens's bill for the fleet (Bill): the price at the utilization, spares included.
  double usd_per_gpu_hour = 0;
  std::string price_basis;
  double usd_per_month = 0;
  double usd_per_million_tokens = 0;  // the month's bill over the month's tokens
  bool meets_sla = true;
  double sla_excess = 1;  // worst measured / target over the SLA's terms (<= 1 when met)
  // The latencies the SLA was read against (its basis): the estimate's, or its likely slow end.
  double sla_ttft_s = 0;
  double sla_tpot_s = 0;
};

struct Bill {
  PricingLens lens;
  bool available = false;  // the catalog prices this accelerator under the lens
  double usd_per_gpu_hour = 0;
  int replicas = 0;  // including spot spares
  double usd_per_month = 0;
  double usd_per_million_tokens = 0;
  std::string basis;
  // Spot only (0 otherwise): the interruption rate of the offer taken, the time to replace an
  // interrupted instance, the spare replicas held for it, and the share of the bill added for
  // re-prefilling the requests interrupted instances were serving.
  double interruptions_per_hour = 0;
  double replacement_s = 0;
  int spare_replicas = 0;
  double reprefill_share = 0;
};

struct ApiQuote {
  std::string provider;
  double usd_per_million_tokens = 0;  // at this workload's input/output mix and cache hits
  double usd_per_month = 0;
  // The daily volume above which self-hosting the plan's configuration costs less, per lens;
  // nullopt: never (the API is cheaper even at full utilization) or the lens has no price.
  std::vector<std::pair<PricingLens, std::optional<double>>> break_even_tokens_per_day;
};

struct WaterfallStep {
  // quantization, batching, paged_kv, speculative, accelerator, payment, [routing,] utilization
  // (the fleet's idle hours: the step from one busy instance's cost to the plan's own)
  std::string lever;
  double usd_per_million_tokens_after = 0;  // applying the levers in order, up to this one
  double sequential_saving = 0;             // saving of this step in that order
  double shapley_saving = 0;                // order-independent share (Shapley value)
};

struct ParetoPoint {
  double output_tokens_per_s_per_gpu = 0;
  double tokens_per_s_per_user = 0;
  double usd_per_million_tokens = 0;
  double e2e_latency_s = 0;
  std::string label;  // "h100-sxm x8 tp8 fp8 c64"
};

// One pool of a deployment, as planned: the model it runs, how many sites hold it, the traffic
// each site sees, and the configuration the search chose for one site.
struct DeploymentPart {
  std::string role;  // "all", "edge site", "central", "small model", "large model"
  std::string model;
  int sites = 1;
  double tokens_per_day_per_site = 0;
  double peak_to_average = 1;
  bool meets_sla = false;
  std::optional<PlanOption> best;  // one site's configuration and fleet
  double usd_per_month = 0;        // all its sites
};

struct Plan {
  bool meets_sla = false;
  // Nothing is listed because the volume needs more replicas than the planner sizes (a note
  // says so), not because the SLA is out of reach.
  bool beyond_replica_limit = false;
  // Nothing is listed because no allowed accelerator has a price under the lens (a note says so),
  // not because none holds the model.
  bool no_price_under_lens = false;
  std::optional<PlanOption> best;
  std::vector<PlanOption> alternatives;  // the next cheapest, other accelerators first
  std::optional<PlanOption> closest;     // only when nothing meets the SLA: the least violation
  std::vector<Bill> bill;                // best under every lens
  std::vector<ApiQuote> api;
  std::vector<ParetoPoint> pareto_throughput;  // tokens/s per GPU vs tokens/s per user
  std::vector<ParetoPoint> pareto_cost;        // $ per million tokens vs end-to-end latency
  double baseline_usd_per_million_tokens = 0;
  std::string baseline;  // the naive configuration in words
  std::vector<WaterfallStep> waterfall;
  std::optional<double> kwh_per_million_tokens;
  std::optional<double> carbon_g_per_million_tokens;
  // The best configuration's tornado (run_sensitivity at the fleet's utilization and price).
  std::optional<SensitivityRequest> sensitivity_request;
  Sensitivity sensitivity;
  // The deployment's pools. Centralized: one, whose best is `best`. Otherwise `best` is the
  // large model's (or one edge site's) configuration and the month's figures (`bill` included)
  // are the whole deployment's, every part summed.
  std::vector<DeploymentPart> parts;
  // The whole deployment's month (equal to best's when centralized).
  int replicas = 0;
  int gpus_total = 0;
  double utilization = 0;  // average load over capacity, every pool together
  double usd_per_month = 0;
  double usd_per_million_tokens = 0;
  std::optional<double> centralized_usd_per_million_tokens;  // the same traffic on one pool
  double tokens_per_day = 0;
  double requests_per_s = 0;
  long long searched_configurations = 0;  // the space answered for (every concurrency counted)
  long long estimates = 0;                // estimates actually run
  std::vector<std::string> notes;
};

// Checks the request (a price lens that prices nothing, a workload without volume, an SLA below
// zero...): diagnostics name the plan JSON's fields ("/max_ttft_seconds").
Diagnostics check_plan_request(const PlanRequest& request);

Plan make_plan(const PlanRequest& request, const Catalog& catalog);

// The note that names the request's keys_not_used (none when it has none); make_plan's first
// note, and the volume sweep's.
std::optional<std::string> keys_not_used_note(const std::vector<std::string>& keys);

// Which SLA terms the request's preset filled (PlanRequest::sla_from_preset), nullopt when none.
std::optional<std::string> sla_from_preset_note(const PlanRequest& request);

}  // namespace pertoken
