// The planner (see planner.hpp).
//
// [SECTION] search       candidates, the cost lower bound that prunes them, the SLA search
// [SECTION] fleet        replicas for the peak, the monthly bill, utilization
// [SECTION] bills        the best configuration under every way to pay; spot spares
// [SECTION] apis         serverless prices and break-even volumes
// [SECTION] waterfall    savings by lever, in sequence and as Shapley values
// [SECTION] pareto       the frontiers the charts draw
#include "pertoken/plan/planner.hpp"

#include <algorithm>
#include <cmath>
#include <tuple>

#include "pertoken/search/layout_search.hpp"
#include "pertoken/serving/estimate.hpp"
#include "pertoken/text/figure_text.hpp"
#include "pertoken/units.hpp"

namespace pertoken {
namespace {

constexpr double hours_per_month = plan_hours_per_month;
constexpr double seconds_per_day = units::seconds_per_day;
constexpr double days_per_month = hours_per_month / 24;
constexpr int max_replicas_considered = 1'000'000;

// ---------------------------------------------------------------------------------------------
// [SECTION] search

// What the candidates of one accelerator, precision and speculative option share: the scenario
// (concurrency max, priced busy every hour). Candidates name theirs by index and carry only their
// layout: a Scenario holds catalog entries (strings, provenance maps), and copying one per layout
// cost more than estimating it, natively and far more as WebAssembly.
struct Variant {
  Scenario scenario;
};

struct Candidate {
  std::size_t variant = 0;  // index into the search's variants
  Layout layout;
  long long max_concurrency = 0;
  double lower_bound_usd_per_month = 0;  // at the instance's saturated throughput
};

// The estimate's own figures in a SlowEnd's shape, for where the bases read the estimate.
SlowEnd estimate_latency(const Estimate& e) {
  return {e.ttft_s, e.tpot_s, e.tokens_per_s_per_user, e.requests_per_s};
}

// The latencies the SLA is read against: the estimate's, or the slow end of its likely range
// where the SLA asks for it (requests_per_s unused).
SlowEnd sla_latency(const Sla& sla, const Scenario& s, const Estimate& e) {
  return sla.basis == SlaBasis::p90 ? slow_end(s, e) : estimate_latency(e);
}

// Worst ratio of the latency to its target over the SLA's terms: <= 1 when the SLA holds.
double sla_excess(const Sla& sla, const SlowEnd& latency) {
  double worst = 0;
  if (sla.max_ttft_s) worst = std::max(worst, latency.ttft_s / *sla.max_ttft_s);
  if (sla.max_tpot_s) worst = std::max(worst, latency.tpot_s / *sla.max_tpot_s);
  if (sla.min_tokens_per_s_per_user) {
    worst = std::max(
        worst, *sla.min_tokens_per_s_per_user / std::max(latency.tokens_per_s_per_user, 1e-30));
  }
  return worst;
}

double sla_excess(const Sla& sla, const Scenario& s, const Estimate& e) {
  return sla_excess(sla, sla_latency(sla, s, e));
}

double tokens_per_request(const Scenario& s) { return s.input_tokens + s.output_tokens; }

// The precisions worth trying: the checkpoint's, and the lower ones the chip computes natively.
std::vector<Precision> precisions_for(const ModelSpec& model, const GpuSpec& gpu) {
  std::vector<Precision> out{model.default_weights};
  for (Precision p : {Precision::fp8, Precision::fp4}) {
    if (p != model.default_weights && gpu.peak(p).supported &&
        storage_bits(p) < storage_bits(model.default_weights)) {
      out.push_back(p);
    }
  }
  return out;
}

std::vector<Speculative> speculative_options(const Scenario& base, bool search) {
  std::vector<Speculative> out{base.speculative};
  if (!search || base.speculative.method != SpeculativeMethod::none) return out;
  // The method's default draft length and acceptance: named guesses, said in the notes.
  Speculative eagle;
  eagle.method = SpeculativeMethod::eagle;
  std::tie(eagle.draft_tokens, eagle.acceptance_rate) = speculative_defaults_of(eagle.method);
  eagle.defaults_used = true;
  out.push_back(eagle);
  return out;
}

// ---------------------------------------------------------------------------------------------
// [SECTION] fleet

struct Demand {
  double requests_per_s = 0;  // average
  double peak_requests_per_s = 0;
  double tokens_per_month = 0;
};

Demand demand_of(const PlanRequest& r) {
  Demand d;
  const double per_request = tokens_per_request(r.base);
  const int window_s = r.base.model.encoder ? r.base.model.encoder->window_seconds : 0;
  if (r.workload.requests_per_s) {
    d.requests_per_s = *r.workload.requests_per_s;
  } else if (r.workload.audio_hours_per_day && window_s > 0) {
    d.requests_per_s = *r.workload.audio_hours_per_day * 3600 / window_s / seconds_per_day;
  } else {
    d.requests_per_s = r.workload.tokens_per_day.value_or(0) / per_request / seconds_per_day;
  }
  d.peak_requests_per_s = d.requests_per_s * r.workload.peak_to_average;
  d.tokens_per_month = d.requests_per_s * per_request * seconds_per_day * days_per_month;
  return d;
}

// Replicas that carry the peak, unbounded (infinite when an instance serves nothing).
double replicas_needed(double peak_requests_per_s, double instance_requests_per_s) {
  if (!(instance_requests_per_s > 0)) return INFINITY;
  return std::max(1.0, std::ceil(peak_requests_per_s / instance_requests_per_s - 1e-9));
}

// Replicas bounded by what the planner sizes (the bound, when the volume needs more).
int replicas_for(double replicas) {
  return static_cast<int>(std::min(replicas, static_cast<double>(max_replicas_considered)));
}

// A fleet of the option's instance under one lens: its price at the fleet's utilization (an owned
// device draws power by its busy share), and on spot the spare replicas that hold the SLA while
// interrupted instances are replaced (expected replicas down, plus two standard deviations of a
// Poisson count) and the re-prefill of the requests they were serving. The search ranks by this
// bill under the plan's lens and the bills list it under every lens, so the headline is its lens's
// row of "every way to pay".
Bill bill_under(const PlanOption& o, const PricingLens& lens, const PlanRequest& r,
                const PriceCatalog& prices, double tokens_per_month) {
  Bill b;
  b.lens = lens;
  const auto price = device_hour_price(prices, o.scenario.gpu, lens, o.utilization, r.assumptions);
  if (!price) return b;
  b.available = true;
  b.usd_per_gpu_hour = price->usd_per_gpu_hour;
  b.basis = price->basis;
  b.replicas = o.replicas;
  double overhead = 1;
  if (price->interruptions_per_hour > 0) {
    const double down = o.replicas * price->interruptions_per_hour * price->replacement_s / 3600;
    const int spares = static_cast<int>(std::ceil(down + 2 * std::sqrt(down)));
    b.replicas += spares;
    // Each interruption throws away, on average, half of the in-flight requests' work.
    overhead += price->interruptions_per_hour * o.estimate.e2e_latency_s / 2 / 3600;
    b.interruptions_per_hour = price->interruptions_per_hour;
    b.replacement_s = price->replacement_s;
    b.spare_replicas = spares;
    b.reprefill_share = overhead - 1;
    b.basis += "; " + format_count(spares, "spare replica") + " for interruptions";
  }
  b.usd_per_month =
      b.replicas * o.scenario.num_gpus * b.usd_per_gpu_hour * hours_per_month * overhead;
  b.usd_per_million_tokens = tokens_per_month > 0 ? b.usd_per_month / tokens_per_month * 1e6 : 0;
  return b;
}

PlanOption fleet(const Scenario& s, Estimate e, const Demand& d, const PlanRequest& r,
                 const PriceCatalog& prices) {
  PlanOption o;
  o.scenario = s;
  // The slow end is computed once, whether the capacity basis, the SLA basis or both read it.
  const bool capacity_at_p10 = r.workload.capacity_basis == CapacityBasis::p10;
  const bool sla_at_p90 = r.sla.basis == SlaBasis::p90;
  const SlowEnd slow = capacity_at_p10 || sla_at_p90 ? slow_end(s, e) : estimate_latency(e);
  o.capacity_requests_per_s = capacity_at_p10 ? slow.requests_per_s : e.requests_per_s;
  const double needed = replicas_needed(d.peak_requests_per_s, o.capacity_requests_per_s);
  o.replicas = replicas_for(needed);
  o.beyond_replica_limit = needed > max_replicas_considered;
  o.utilization = d.requests_per_s / (o.replicas * o.capacity_requests_per_s);
  const SlowEnd latency = sla_at_p90 ? slow : estimate_latency(e);
  o.sla_ttft_s = latency.ttft_s;
  o.sla_tpot_s = latency.tpot_s;
  o.sla_excess = sla_excess(r.sla, latency);
  o.meets_sla = o.sla_excess <= 1;
  o.estimate = std::move(e);
  // Every candidate's accelerator has a price under the lens (the search skips the others).
  const Bill bill = bill_under(o, r.lens, r, prices, d.tokens_per_month);
  o.spare_replicas = bill.spare_replicas;
  o.reprefill_share = bill.reprefill_share;
  o.gpus_total = bill.replicas * s.num_gpus;
  o.usd_per_gpu_hour = bill.usd_per_gpu_hour;
  o.price_basis = bill.basis;
  o.usd_per_month = bill.usd_per_month;
  o.usd_per_million_tokens = bill.usd_per_million_tokens;
  return o;
}

// Of two fleets at the same bill and device count, the one whose users wait less for the whole
// answer (TTFT plus every output token): a tie is no reason to quote a 24 s first token.
bool cheaper(const PlanOption& a, const PlanOption& b) {
  if (a.usd_per_month != b.usd_per_month) return a.usd_per_month < b.usd_per_month;
  if (a.gpus_total != b.gpus_total) return a.gpus_total < b.gpus_total;
  if (a.estimate.e2e_latency_s != b.estimate.e2e_latency_s) {
    return a.estimate.e2e_latency_s < b.estimate.e2e_latency_s;
  }
  return a.estimate.tokens_per_s_per_user > b.estimate.tokens_per_s_per_user;
}

// "h100-sxm x8 tp8 fp8 eagle c64": a variant's scenario at a layout and concurrency.
std::string label_of(const Scenario& s, const Layout& layout, int concurrency) {
  std::string label =
      s.gpu.id + " x" + std::to_string(layout.num_gpus) + " tp" + std::to_string(layout.tp);
  if (layout.pp > 1) label += " pp" + std::to_string(layout.pp);
  if (layout.ep > 1) label += " ep" + std::to_string(layout.ep);
  label += " " + std::string(to_string(s.weights));
  if (s.speculative.method != SpeculativeMethod::none) {
    label += " " + std::string(to_string(s.speculative.method));
  }
  return label + " c" + std::to_string(concurrency);
}

// ---------------------------------------------------------------------------------------------
// [SECTION] pareto

// A point the search estimated, with what its label is written from: the frontiers keep a few
// dozen of the search's thousand points, and writing every label cost more than the frontiers.
struct SearchPoint {
  ParetoPoint figures;  // label left empty
  std::size_t variant = 0;
  Layout layout;
  int concurrency = 0;
};

// Keeps the points no other point beats on both axes (higher is better on both when `maximize`).
std::vector<ParetoPoint> frontier(std::vector<SearchPoint> points, double (*x)(const ParetoPoint&),
                                  double (*y)(const ParetoPoint&),
                                  const std::vector<Variant>& variants) {
  std::sort(points.begin(), points.end(), [&](const SearchPoint& a, const SearchPoint& b) {
    return x(a.figures) > x(b.figures) ||
           (x(a.figures) == x(b.figures) && y(a.figures) > y(b.figures));
  });
  std::vector<ParetoPoint> out;
  double best_y = -INFINITY;
  for (const SearchPoint& p : points) {
    if (y(p.figures) > best_y) {
      out.push_back(p.figures);
      out.back().label = label_of(variants[p.variant].scenario, p.layout, p.concurrency);
      best_y = y(p.figures);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// [SECTION] bills

// ---------------------------------------------------------------------------------------------
// [SECTION] apis

double api_usd_per_million(const ApiPrice& api, const Scenario& s) {
  const double in = s.input_tokens;
  const double out = s.output_tokens;
  const double hit = s.prefix_cache_hit_rate;
  const double cached =
      api.usd_per_million_cached_input_tokens.value_or(api.usd_per_million_input_tokens);
  return (in * (1 - hit) * api.usd_per_million_input_tokens + in * hit * cached +
          out * api.usd_per_million_output_tokens) /
         (in + out);
}

// The smallest daily volume at which `replicas` of the configuration, paid at `usd_per_gpu_hour`
// around the clock, cost no more than the API: walk the replica counts (the bill is a step in
// volume, the API a line), stopping where even a full instance costs more per token than the API.
std::optional<double> break_even(const PlanOption& best, double usd_per_gpu_hour,
                                 double api_usd_per_million, double peak_to_average) {
  const double instance_per_month = best.scenario.num_gpus * usd_per_gpu_hour * hours_per_month;
  const double tokens_per_day_per_instance = best.capacity_requests_per_s *
                                             tokens_per_request(best.scenario) * seconds_per_day /
                                             peak_to_average;
  if (!(tokens_per_day_per_instance > 0) || !(api_usd_per_million > 0)) return std::nullopt;
  const double instance_per_token =
      instance_per_month / (tokens_per_day_per_instance * days_per_month);
  if (instance_per_token * 1e6 >= api_usd_per_million) return std::nullopt;
  for (int k = 1; k <= max_replicas_considered; ++k) {
    const double volume = k * instance_per_month / (days_per_month * api_usd_per_million / 1e6);
    if (volume <= k * tokens_per_day_per_instance) return volume;
  }
  return std::nullopt;
}

// ---------------------------------------------------------------------------------------------
// [SECTION] waterfall

enum Lever { quantization, batching, paged_kv, speculative, accelerator, payment, routing };
constexpr int instance_levers = 6;  // routing is the seventh, when the deployment routes
constexpr const char* lever_names[] = {"quantization", "batching", "paged_kv", "speculative",
                                       "accelerator",  "payment",  "routing"};

// Routing as a lever: with it on, $ per million served tokens becomes
// large_share x (the large model's cost) + small_cost, the small model at its plan's values.
struct RoutingLever {
  double large_share = 1;                   // of the served tokens that run on the large model
  double small_usd_per_million_tokens = 0;  // the small model's part, per served token
  // The same with the small model's fleet idle as its plan's utilization leaves it.
  double small_fleet_usd_per_million_tokens = 0;
};

struct Baseline {
  Scenario scenario;  // 16-bit weights, one request, contiguous KV, no speculation
  PricingLens lens;   // on demand at a hyperscaler
  std::optional<Layout> layout;
};

// $ per million tokens of one instance with the levers in `mask` at the plan's values and the
// others at the baseline's; nullopt when that mix does not run (a layout that no longer holds).
std::optional<double> cost_with(unsigned mask, const Baseline& base, const PlanOption& best,
                                const PlanRequest& r, const Catalog& catalog) {
  auto on = [&](Lever l) { return (mask >> l) & 1U; };
  Scenario s = base.scenario;
  if (on(accelerator)) {
    s.gpu = best.scenario.gpu;
    s.num_gpus = best.scenario.num_gpus;
    s.tp = best.scenario.tp;
    s.pp = best.scenario.pp;
    s.ep = best.scenario.ep;
  }
  if (on(quantization)) {
    s.weights = best.scenario.weights;
    s.kv_cache = best.scenario.kv_cache;
  }
  if (on(paged_kv)) s.kv_layout = best.scenario.kv_layout;
  if (on(speculative)) s.speculative = best.scenario.speculative;
  const PricingLens lens = on(payment) ? r.lens : base.lens;
  const auto price = device_hour_price(catalog.prices, s.gpu, lens, 1.0, r.assumptions);
  if (!price) return std::nullopt;
  s.usd_per_gpu_hour = price->usd_per_gpu_hour;
  if (!check_scenario(s).empty()) return std::nullopt;
  s.concurrency.reset();
  const Estimate saturated = estimate(s, catalog.efficiency);
  if (!saturated.fits) return std::nullopt;
  // Batching: the plan's concurrency where this configuration holds it, else its most.
  s.concurrency = on(batching) ? static_cast<int>(std::min<long long>(*best.scenario.concurrency,
                                                                      saturated.max_concurrency))
                               : 1;
  const Estimate e = estimate(s, catalog.efficiency);
  if (!e.fits || !e.usd_per_million_tokens) return std::nullopt;
  return *e.usd_per_million_tokens;
}

void waterfall(Plan& plan, const PlanRequest& r, const Catalog& catalog,
               const std::optional<RoutingLever>& routed = std::nullopt) {
  // The last lever is the fleet's utilization: every mix before it runs its devices busy every
  // hour, as one estimate does; the fleet is busy only its utilization's share of them (replicas
  // sized for the peak, whole replicas, spot's spares), which raises the cost per token. With it
  // the waterfall ends at the plan's own $ per million tokens, where it would end below it.
  const int utilization = routed ? routing + 1 : routing;
  const int lever_count = utilization + 1;
  const PlanOption& best = *plan.best;
  if (!(best.utilization > 0)) return;
  Baseline base;
  base.lens = {Payment::on_demand, ProviderClass::hyperscaler};
  base.scenario = best.scenario;
  base.scenario.weights = Precision::bf16;
  base.scenario.kv_cache = Precision::bf16;
  base.scenario.kv_layout = KvLayout::contiguous;
  base.scenario.speculative = Speculative{};
  // The first accelerator of the catalog that holds the model at 16 bits (and has a price), at
  // its cheapest layout for one request at a time.
  for (const GpuSpec& gpu : catalog.gpus) {
    if (!device_hour_price(catalog.prices, gpu, base.lens, 1.0, r.assumptions)) continue;
    Scenario s = on_accelerator(base.scenario, gpu);
    s.concurrency = 1;
    const LayoutChoice choice = cheapest_layout(s, catalog.efficiency, {r.max_devices, 0});
    if (!choice.best) continue;
    base.scenario = s;
    base.scenario.num_gpus = choice.best->num_gpus;
    base.scenario.tp = choice.best->tp;
    base.scenario.pp = choice.best->pp;
    base.scenario.ep = choice.best->ep;
    base.layout = choice.best;
    break;
  }
  if (!base.layout) {
    plan.notes.push_back(
        "no naive baseline: no accelerator with an on-demand hyperscaler price "
        "holds the model at 16 bits");
    return;
  }
  const unsigned all = (1U << lever_count) - 1;
  const unsigned instance_all = (1U << instance_levers) - 1;
  std::vector<std::optional<double>> instance(instance_all + 1);
  for (unsigned mask = 0; mask <= instance_all; ++mask) {
    instance[mask] = cost_with(mask, base, best, r, catalog);
  }
  if (!instance[0] || !instance[instance_all]) return;
  // A mix that does not run (more weights than the baseline device holds, say) counts as the
  // nearest mix that does, adding levers in order: a saving is credited to the lever that makes
  // it possible.
  for (unsigned mask = 0; mask <= instance_all; ++mask) {
    for (int l = 0; !instance[mask] && l < instance_levers; ++l) {
      const unsigned more = mask | (1U << l);
      if (instance[more]) instance[mask] = instance[more];
    }
    if (!instance[mask]) instance[mask] = instance[instance_all];
  }
  // The fleet's factor on an instance busy every hour: over its utilization, and on spot its
  // spares and re-prefill, owned its power at that load; it ends the waterfall at the plan's bill.
  const double fleet_factor = best.usd_per_million_tokens > 0 && *instance[instance_all] > 0
                                  ? best.usd_per_million_tokens / *instance[instance_all]
                                  : 1 / best.utilization;
  // The deployment's levers act on an instance's cost.
  std::vector<double> cost(all + 1);
  for (unsigned mask = 0; mask <= all; ++mask) {
    const bool idle = (mask >> utilization) & 1U;
    double usd = *instance[mask & instance_all] * (idle ? fleet_factor : 1.0);
    if (routed && ((mask >> routing) & 1U)) {
      usd = routed->large_share * usd + (idle ? routed->small_fleet_usd_per_million_tokens
                                              : routed->small_usd_per_million_tokens);
    }
    cost[mask] = usd;
  }
  plan.baseline_usd_per_million_tokens = cost[0];
  plan.baseline = base.scenario.gpu.id + " x" + std::to_string(base.scenario.num_gpus) +
                  ", 16-bit weights, one request at a time, contiguous KV, no speculative "
                  "decoding, " +
                  to_string(base.lens) + ", busy every hour";
  // Shapley value of each lever: its marginal saving averaged over every order of the levers.
  std::vector<double> factorial(static_cast<std::size_t>(lever_count) + 1, 1);
  for (int i = 1; i <= lever_count; ++i) factorial[i] = factorial[i - 1] * i;
  unsigned applied = 0;
  for (int l = 0; l < lever_count; ++l) {
    WaterfallStep step;
    step.lever = l == utilization ? "utilization" : lever_names[l];
    for (unsigned mask = 0; mask <= all; ++mask) {
      if ((mask >> l) & 1U) continue;
      const int size = __builtin_popcount(mask);
      const double weight =
          factorial[size] * factorial[lever_count - size - 1] / factorial[lever_count];
      step.shapley_saving += weight * (cost[mask] - cost[mask | (1U << l)]);
    }
    step.sequential_saving = cost[applied] - cost[applied | (1U << l)];
    applied |= 1U << l;
    step.usd_per_million_tokens_after = cost[applied];
    plan.waterfall.push_back(step);
  }
}

}  // namespace

Diagnostics check_plan_request(const PlanRequest& r) {
  Diagnostics d;
  auto fail = [&](const char* path, std::string message) {
    d.push_back({ErrorCode::out_of_range, path, std::move(message)});
  };
  const Workload& w = r.workload;
  const int volumes =
      (w.tokens_per_day ? 1 : 0) + (w.requests_per_s ? 1 : 0) + (w.audio_hours_per_day ? 1 : 0);
  if (volumes > 1) {
    d.push_back({ErrorCode::inconsistent,
                 w.requests_per_s ? "/requests_per_second" : "/audio_hours_per_day",
                 "give one of tokens_per_day, requests_per_second and audio_hours_per_day"});
  } else if (volumes == 0) {
    d.push_back({ErrorCode::missing_field, "/tokens_per_day",
                 "is required (or requests_per_second, or audio_hours_per_day): the planner "
                 "sizes a fleet for a volume"});
  }
  if (w.audio_hours_per_day) {
    if (!(*w.audio_hours_per_day > 0 && *w.audio_hours_per_day < 1e12)) {
      fail("/audio_hours_per_day", "must be > 0 and < 1e12");
    }
    if (!r.base.model.encoder || r.base.model.encoder->window_seconds <= 0) {
      d.push_back({ErrorCode::inconsistent, "/audio_hours_per_day",
                   "needs a model with an audio encoder (encoder.window_seconds in the catalog); " +
                       r.base.model.id + " has none"});
    }
  }
  if (w.tokens_per_day && !(*w.tokens_per_day > 0 && *w.tokens_per_day < 1e18)) {
    fail("/tokens_per_day", "must be > 0 and < 1e18");
  }
  if (w.requests_per_s && !(*w.requests_per_s > 0 && *w.requests_per_s < 1e9)) {
    fail("/requests_per_second", "must be > 0 and < 1e9");
  }
  if (!(w.peak_to_average >= 1 && w.peak_to_average <= 100)) {
    fail("/peak_to_average", "must be >= 1 and <= 100");
  }
  if (r.sla.max_ttft_s && !(*r.sla.max_ttft_s > 0)) fail("/max_ttft_seconds", "must be > 0");
  if (r.sla.max_tpot_s && !(*r.sla.max_tpot_s > 0)) fail("/max_tpot_seconds", "must be > 0");
  if (r.sla.min_tokens_per_s_per_user && !(*r.sla.min_tokens_per_s_per_user >= 0)) {
    fail("/min_tokens_per_second_per_user", "must be >= 0");
  }
  if (!(r.top_n >= 1 && r.top_n <= 100)) fail("/top", "must be >= 1 and <= 100");
  if (!(r.max_devices >= 1 && r.max_devices <= 1024)) {
    fail("/max_devices", "must be >= 1 and <= 1024");
  }
  const Deployment& dep = r.deployment;
  const bool two_models = dep.pattern == DeploymentPattern::hybrid ||
                          dep.pattern == DeploymentPattern::routing ||
                          dep.pattern == DeploymentPattern::cascade;
  if (two_models && !dep.small_model) {
    d.push_back({ErrorCode::missing_field, "/small_model",
                 "is required by deployment " + std::string(to_string(dep.pattern)) +
                     ": the cheaper model the requests go to"});
  }
  if (two_models && !(dep.small_model_share > 0 && dep.small_model_share < 1)) {
    fail("/small_model_share",
         "must be > 0 and < 1 for deployment " + std::string(to_string(dep.pattern)));
  }
  if (!two_models && dep.small_model) {
    d.push_back({ErrorCode::inconsistent, "/small_model",
                 "applies to deployments hybrid, routing and cascade only"});
  }
  // A share or a site peak the pattern does not read would be ignored without a word.
  if (!two_models && dep.small_model_share != 0) {
    d.push_back({ErrorCode::inconsistent, "/small_model_share",
                 "applies to deployments hybrid, routing and cascade only"});
  }
  const bool split =
      dep.pattern == DeploymentPattern::edge || dep.pattern == DeploymentPattern::dedicated;
  if (split && dep.sites < 2) {
    fail("/sites", "must be >= 2 for deployment " + std::string(to_string(dep.pattern)) +
                       " (one pool is centralized)");
  }
  const bool has_sites = split || dep.pattern == DeploymentPattern::hybrid;
  if (dep.sites > 1 && !has_sites) {
    d.push_back({ErrorCode::inconsistent, "/sites",
                 "applies to deployments edge, dedicated and hybrid only"});
  }
  if (dep.site_peak_to_average && !has_sites) {
    d.push_back({ErrorCode::inconsistent, "/site_peak_to_average",
                 "applies to deployments edge, dedicated and hybrid only"});
  }
  return d;
}

namespace {

// One pool for the request's traffic: the search, the fleet, its bills, APIs and waterfall.
Plan plan_pool(const PlanRequest& r, const Catalog& catalog,
               const std::optional<RoutingLever>& routed = std::nullopt) {
  Plan plan;
  const Demand demand = demand_of(r);
  plan.requests_per_s = demand.requests_per_s;
  plan.tokens_per_day = demand.tokens_per_month / days_per_month;
  const EfficiencyFactors& efficiency = catalog.efficiency;

  // Candidates: every allowed accelerator priced under the lens, each layout of the space, each
  // precision and speculative option, first at its saturated throughput, which bounds the bill
  // from below (more concurrency never lowers throughput; the SLA only lowers it, and a capacity
  // read at the likely range's low end is never above the estimate).
  std::vector<Variant> variants;
  std::vector<Candidate> candidates;
  std::vector<SearchPoint> points;
  // Layouts that hold the model but would need more replicas than the planner sizes: at their
  // saturated throughput, or at the concurrency the SLA allows.
  int beyond_replica_limit = 0;
  int priced = 0;  // allowed accelerators with a price under the lens
  for (const GpuSpec& gpu : catalog.gpus) {
    if (!r.gpus_allowed.empty() &&
        std::find(r.gpus_allowed.begin(), r.gpus_allowed.end(), gpu.id) == r.gpus_allowed.end()) {
      continue;
    }
    const auto price = device_hour_price(catalog.prices, gpu, r.lens, 1.0, r.assumptions);
    if (!price) continue;
    ++priced;
    // The lowest the lens charges a device-hour, at any utilization (an idle owned device draws
    // the least power): the bound below a fleet's bill, whatever its load.
    const double floor_usd_per_gpu_hour =
        device_hour_price(catalog.prices, gpu, r.lens, 0.0, r.assumptions)->usd_per_gpu_hour;
    Scenario s = r.base;
    s.gpu = gpu;
    s.usd_per_gpu_hour = price->usd_per_gpu_hour;
    s.concurrency.reset();
    s.request_rate_per_s.reset();
    s.num_prompts.reset();  // a fleet serves a steady stream, not a benchmark's burst
    for (Precision weights : precisions_for(r.base.model, gpu)) {
      s.weights = weights;
      s.kv_cache = default_kv_cache(weights);
      for (const Speculative& spec : speculative_options(r.base, r.search_speculative)) {
        s.speculative = spec;
        variants.push_back({s});
        Scenario& v = variants.back().scenario;  // laid out in turn as each layout
        for (const Layout& l : layout_space(v.model, gpu, r.max_devices)) {
          v.num_gpus = l.num_gpus;
          v.tp = l.tp;
          v.pp = l.pp;
          v.ep = l.ep;
          if (!check_layout(v).empty()) continue;
          const Estimate saturated = estimate(v, efficiency);
          ++plan.estimates;
          if (!saturated.fits || saturated.limit_reason == "unknown_figure") continue;
          plan.searched_configurations += saturated.max_concurrency;
          // Saturated throughput is the most an instance serves, so a layout that needs more
          // replicas than the planner sizes even there can never be listed: no SLA search.
          const double needed =
              replicas_needed(demand.peak_requests_per_s, saturated.requests_per_s);
          if (needed > max_replicas_considered) {
            ++beyond_replica_limit;
            continue;
          }
          Candidate c;
          c.variant = variants.size() - 1;
          c.layout = l;
          c.max_concurrency = saturated.max_concurrency;
          c.lower_bound_usd_per_month =
              needed * v.num_gpus * floor_usd_per_gpu_hour * hours_per_month;
          candidates.push_back(c);
        }
      }
    }
  }
  std::stable_sort(candidates.begin(), candidates.end(),
                   [](const Candidate& a, const Candidate& b) {
                     return a.lower_bound_usd_per_month < b.lower_bound_usd_per_month;
                   });

  // The SLA search: TTFT and TPOT grow with concurrency, so the concurrencies that meet the SLA
  // are [1, c*]; a binary search finds c*, the cheapest of them (throughput grows with it).
  std::vector<PlanOption> options;
  // The bill of the top_n-th option so far: a candidate whose bound is above it cannot be listed.
  const std::size_t listed = static_cast<std::size_t>(r.top_n);
  auto nth_best = [&]() {
    return options.size() < listed ? INFINITY : options[listed - 1].usd_per_month;
  };
  for (const Candidate& c : candidates) {
    if (c.lower_bound_usd_per_month > nth_best()) break;  // sorted: no later one can enter
    // The variant's scenario, laid out as this candidate (fleet() copies it for an option).
    Variant& variant = variants[c.variant];
    Scenario& s = variant.scenario;
    s.num_gpus = c.layout.num_gpus;
    s.tp = c.layout.tp;
    s.pp = c.layout.pp;
    s.ep = c.layout.ep;
    // Each estimate the search makes is also a point of the charts' frontiers.
    auto at = [&](long long concurrency) {
      s.concurrency = static_cast<int>(concurrency);
      ++plan.estimates;
      Estimate e = estimate(s, efficiency);
      points.push_back({{e.output_tokens_per_s_per_gpu,
                         e.tokens_per_s_per_user,
                         e.usd_per_million_tokens.value_or(0),
                         e.e2e_latency_s,
                         {}},
                        c.variant,
                        c.layout,
                        static_cast<int>(concurrency)});
      return e;
    };
    Estimate low = at(1);
    if (sla_excess(r.sla, s, low) > 1) {
      PlanOption o = fleet(s, std::move(low), demand, r, catalog.prices);
      if (!plan.closest || o.sla_excess < plan.closest->sla_excess) plan.closest = std::move(o);
      continue;
    }
    long long good = 1;
    long long bad = c.max_concurrency + 1;
    Estimate best_estimate = std::move(low);
    while (bad - good > 1) {
      const long long mid = good + (bad - good) / 2;
      Estimate e = at(mid);
      if (e.fits && sla_excess(r.sla, s, e) <= 1) {
        good = mid;
        best_estimate = std::move(e);
      } else {
        bad = mid;
      }
    }
    s.concurrency = static_cast<int>(good);
    PlanOption o = fleet(s, std::move(best_estimate), demand, r, catalog.prices);
    if (o.beyond_replica_limit) {
      ++beyond_replica_limit;
      continue;
    }
    options.insert(std::upper_bound(options.begin(), options.end(), o, cheaper), std::move(o));
    if (options.size() > listed) options.pop_back();
  }

  plan.meets_sla = !options.empty();
  if (plan.meets_sla) plan.closest.reset();  // the closest answers "nothing meets the SLA" only
  if (plan.meets_sla) {
    plan.best = options.front();
    // Alternatives: the next cheapest configurations, whatever their accelerator.
    for (std::size_t i = 1;
         i < options.size() && plan.alternatives.size() + 1 < static_cast<std::size_t>(r.top_n);
         ++i) {
      plan.alternatives.push_back(options[i]);
    }
  } else if (beyond_replica_limit > 0) {
    plan.beyond_replica_limit = true;
    const std::string count = format_integer(beyond_replica_limit);
    plan.notes.push_back(
        "the volume needs more than " + format_integer(max_replicas_considered) + " replicas of " +
        (plan.closest ? count + " configurations, and the others miss the SLA"
                      : "every configuration that holds the model (" + count + " of them)") +
        ": beyond what the planner sizes; plan a share of the traffic");
  } else if (candidates.empty() && priced == 0) {
    plan.no_price_under_lens = true;
    plan.notes.push_back("no allowed accelerator has a price under " + to_string(r.lens) +
                         ": another pricing (--pricing) may have one");
  } else if (candidates.empty()) {
    plan.notes.push_back("no allowed accelerator with a price under " + to_string(r.lens) +
                         " holds the model");
  }

  plan.pareto_throughput = frontier(
      points, [](const ParetoPoint& p) { return p.output_tokens_per_s_per_gpu; },
      [](const ParetoPoint& p) { return p.tokens_per_s_per_user; }, variants);
  plan.pareto_cost = frontier(
      points, [](const ParetoPoint& p) { return -p.usd_per_million_tokens; },
      [](const ParetoPoint& p) { return -p.e2e_latency_s; }, variants);
  // The serverless APIs' prices at this workload, quoted whether or not a fleet is listed (where
  // nothing meets the SLA an API may be the answer); break-even volumes need a fleet, below.
  for (const ApiPrice& api : catalog.prices.apis) {
    if (api.model != r.base.model.id) continue;
    ApiQuote q;
    q.provider = api.provider;
    q.usd_per_million_tokens = api_usd_per_million(api, r.base);
    q.usd_per_month = q.usd_per_million_tokens * demand.tokens_per_month / 1e6;
    plan.api.push_back(std::move(q));
  }
  if (!plan.best) return plan;
  const PlanOption& best = *plan.best;
  plan.replicas = best.replicas;
  plan.gpus_total = best.gpus_total;
  plan.utilization = best.utilization;
  plan.usd_per_month = best.usd_per_month;
  plan.usd_per_million_tokens = best.usd_per_million_tokens;
  for (const PricingLens& lens : all_pricing_lenses()) {
    plan.bill.push_back(bill_under(best, lens, r, catalog.prices, demand.tokens_per_month));
  }
  for (ApiQuote& q : plan.api) {
    for (const Bill& b : plan.bill) {
      q.break_even_tokens_per_day.emplace_back(
          b.lens, b.available ? break_even(best, b.usd_per_gpu_hour, q.usd_per_million_tokens,
                                           r.workload.peak_to_average)
                              : std::nullopt);
    }
  }
  // Energy and carbon: the fleet's draw at its utilization, through the facility's PUE.
  if (best.scenario.gpu.tdp_w && demand.tokens_per_month > 0) {
    const OperatingCosts& op = catalog.prices.operating;
    const double idle = r.assumptions.idle_power_fraction;
    const double draw_w = *best.scenario.gpu.tdp_w * (idle + (1 - idle) * best.utilization) +
                          op.server_power_w_per_gpu;
    // Spot's spares stand by idle.
    const double spare_draw_w = *best.scenario.gpu.tdp_w * idle + op.server_power_w_per_gpu;
    const double serving_gpus = static_cast<double>(best.replicas) * best.scenario.num_gpus;
    const double kwh_per_month =
        (serving_gpus * draw_w + (best.gpus_total - serving_gpus) * spare_draw_w) / 1000 * op.pue *
        hours_per_month;
    plan.kwh_per_million_tokens = kwh_per_month / demand.tokens_per_month * 1e6;
    for (const GridIntensity& g : catalog.prices.grid) {
      if (g.region == r.grid_region) {
        plan.carbon_g_per_million_tokens = *plan.kwh_per_million_tokens * g.g_co2e_per_kwh;
      }
    }
  }
  waterfall(plan, r, catalog, routed);
  // The tornado of the plan's configuration, at the fleet's utilization and the lens's price.
  SensitivityRequest sensitivity;
  sensitivity.scenario = best.scenario;
  // The tornado moves the estimate's inputs, so its load is the share of the estimate's
  // throughput the fleet uses: its base is then the plan's $ per million tokens, whatever the
  // capacity basis sized the fleet at.
  sensitivity.utilization = std::clamp(
      best.utilization * best.capacity_requests_per_s / best.estimate.requests_per_s, 1e-6, 1.0);
  sensitivity.scenario.usd_per_gpu_hour = best.usd_per_gpu_hour;
  plan.sensitivity = run_sensitivity(sensitivity, catalog.efficiency);
  plan.sensitivity_request = std::move(sensitivity);
  if (plan.best && plan.best->scenario.speculative.defaults_used) {
    plan.notes.push_back(
        "the plan uses speculative decoding at the method's default acceptance, a named guess: "
        "measure yours");
  }
  return plan;
}

// ---------------------------------------------------------------------------------------------
// [SECTION] deployment patterns

// The request for one pool of a deployment: `model` (its released precision unless the request
// pinned the large model's), `request_share` of the traffic split over `sites`, each site at
// `peak_to_average`.
PlanRequest pool_request(const PlanRequest& r, const ModelSpec& model, double request_share,
                         int sites, double peak_to_average) {
  PlanRequest p = r;
  p.deployment = Deployment{};
  if (model.id != r.base.model.id) {
    p.base.model = model;
    p.base.weights = default_weights(model);
    p.base.kv_cache = default_kv_cache(p.base.weights);
    p.base.speculative = Speculative{};
  }
  const double requests_per_s = demand_of(r).requests_per_s * request_share / sites;
  p.workload.tokens_per_day.reset();
  p.workload.requests_per_s = requests_per_s;
  p.workload.peak_to_average = peak_to_average;
  return p;
}

DeploymentPart part_of(std::string role, const PlanRequest& pool, const Plan& plan, int sites) {
  DeploymentPart part;
  part.role = std::move(role);
  part.model = pool.base.model.id;
  part.sites = sites;
  part.tokens_per_day_per_site = plan.tokens_per_day;
  part.peak_to_average = pool.workload.peak_to_average;
  part.meets_sla = plan.meets_sla;
  part.best = plan.best;
  part.usd_per_month = plan.best ? plan.best->usd_per_month * sites : 0;
  return part;
}

}  // namespace

std::string_view to_string(DeploymentPattern pattern) {
  switch (pattern) {
    case DeploymentPattern::centralized: return "centralized";
    case DeploymentPattern::edge: return "edge";
    case DeploymentPattern::dedicated: return "dedicated";
    case DeploymentPattern::hybrid: return "hybrid";
    case DeploymentPattern::routing: return "routing";
    case DeploymentPattern::cascade: return "cascade";
  }
  return "centralized";
}

std::optional<DeploymentPattern> deployment_pattern_from_string(std::string_view word) {
  for (DeploymentPattern p :
       {DeploymentPattern::centralized, DeploymentPattern::edge, DeploymentPattern::dedicated,
        DeploymentPattern::hybrid, DeploymentPattern::routing, DeploymentPattern::cascade}) {
    if (to_string(p) == word) return p;
  }
  return std::nullopt;
}

double default_site_peak_to_average(double peak_to_average, int sites) {
  return 1 + (peak_to_average - 1) * std::sqrt(static_cast<double>(sites));
}

namespace {

Plan plan_deployment(const PlanRequest& r, const Catalog& catalog) {
  const Deployment& d = r.deployment;
  if (d.pattern == DeploymentPattern::centralized) {
    Plan plan = plan_pool(r, catalog);
    // The best's residual bands (the why-panel's P10-P90 of the headline): one estimate more.
    if (plan.best) {
      Estimate banded = estimate_with_uncertainty(plan.best->scenario, catalog.efficiency);
      plan.best->estimate.uncertainty = std::move(banded.uncertainty);
      plan.best->estimate.throughput_regime = std::move(banded.throughput_regime);
      plan.best->estimate.throughput_regime_rows = banded.throughput_regime_rows;
      plan.best->estimate.ttft_regime = std::move(banded.ttft_regime);
      plan.best->estimate.ttft_regime_rows = banded.ttft_regime_rows;
      // A band that runs one way from the estimate qualifies the plan's headline and its SLA
      // verdict, which read the point estimate: the plan says it too.
      std::vector<std::string> one_way;
      add_one_way_band_notes(plan.best->scenario, plan.best->estimate, one_way);
      for (const std::string& note : one_way)
        plan.notes.push_back("the best configuration's " + note);
    }
    plan.parts.push_back(part_of("all", r, plan, 1));
    return plan;
  }
  const double total_requests_per_s = demand_of(r).requests_per_s;
  const double total_tokens_per_day =
      total_requests_per_s * tokens_per_request(r.base) * seconds_per_day;
  const int sites = std::max(1, d.sites);
  const double site_peak = d.site_peak_to_average.value_or(
      default_site_peak_to_average(r.workload.peak_to_average, sites));
  const double share = d.small_model_share;

  // The pools: (role, request, sites). The first is the primary: its plan carries the search's
  // detail (alternatives, Pareto, waterfall, tornado) and its best is the plan's best.
  struct Pool {
    std::string role;
    PlanRequest request;
    int sites;
  };
  std::vector<Pool> pools;
  const ModelSpec& large = r.base.model;
  switch (d.pattern) {
    case DeploymentPattern::edge:
      pools.push_back({"edge site", pool_request(r, large, 1.0, sites, site_peak), sites});
      break;
    case DeploymentPattern::dedicated:
      pools.push_back({"dedicated pool", pool_request(r, large, 1.0, sites, site_peak), sites});
      break;
    case DeploymentPattern::hybrid:
      pools.push_back(
          {"central", pool_request(r, large, 1 - share, 1, r.workload.peak_to_average), 1});
      pools.push_back(
          {"edge site", pool_request(r, *d.small_model, share, sites, site_peak), sites});
      break;
    case DeploymentPattern::routing:
      pools.push_back(
          {"large model", pool_request(r, large, 1 - share, 1, r.workload.peak_to_average), 1});
      pools.push_back({"small model",
                       pool_request(r, *d.small_model, share, 1, r.workload.peak_to_average), 1});
      break;
    case DeploymentPattern::cascade:
      // Every request runs on the small model; the share it cannot answer runs again on the large.
      pools.push_back(
          {"large model", pool_request(r, large, 1 - share, 1, r.workload.peak_to_average), 1});
      pools.push_back(
          {"small model", pool_request(r, *d.small_model, 1.0, 1, r.workload.peak_to_average), 1});
      break;
    case DeploymentPattern::centralized: break;
  }

  // The secondary pools first: the primary's waterfall needs the small model's cost.
  std::vector<Plan> plans(pools.size());
  for (std::size_t i = 1; i < pools.size(); ++i) plans[i] = plan_pool(pools[i].request, catalog);
  std::optional<RoutingLever> routed;
  if (pools.size() > 1 && plans[1].best && plans[1].best->estimate.usd_per_million_tokens) {
    const double small_requests = d.pattern == DeploymentPattern::cascade ? 1.0 : share;
    routed =
        RoutingLever{1 - share, small_requests * *plans[1].best->estimate.usd_per_million_tokens,
                     small_requests * plans[1].best->usd_per_million_tokens};
  }
  plans[0] = plan_pool(pools[0].request, catalog, routed);

  Plan plan = plans[0];
  plan.parts.clear();
  plan.tokens_per_day = total_tokens_per_day;
  plan.requests_per_s = total_requests_per_s;
  plan.meets_sla = true;
  plan.replicas = plan.gpus_total = 0;
  plan.usd_per_month = 0;
  double capacity_requests_per_s = 0;
  std::optional<double> kwh_tokens = 0;  // kWh per million tokens x tokens, summed
  std::optional<double> carbon_tokens = 0;
  for (std::size_t i = 0; i < pools.size(); ++i) {
    const Plan& p = plans[i];
    plan.parts.push_back(part_of(pools[i].role, pools[i].request, p, pools[i].sites));
    if (i > 0) {
      plan.searched_configurations += p.searched_configurations;
      plan.estimates += p.estimates;
    }
    plan.meets_sla = plan.meets_sla && p.meets_sla;
    plan.beyond_replica_limit = plan.beyond_replica_limit || p.beyond_replica_limit;
    if (!p.best) continue;
    const int n = pools[i].sites;
    plan.replicas += p.best->replicas * n;
    plan.gpus_total += p.best->gpus_total * n;
    plan.usd_per_month += p.best->usd_per_month * n;
    capacity_requests_per_s += p.best->replicas * n * p.best->capacity_requests_per_s;
    const double tokens = p.tokens_per_day * n;
    kwh_tokens = kwh_tokens && p.kwh_per_million_tokens
                     ? std::optional<double>(*kwh_tokens + *p.kwh_per_million_tokens * tokens)
                     : std::nullopt;
    carbon_tokens =
        carbon_tokens && p.carbon_g_per_million_tokens
            ? std::optional<double>(*carbon_tokens + *p.carbon_g_per_million_tokens * tokens)
            : std::nullopt;
    for (std::size_t b = 0; b < plan.bill.size() && b < p.bill.size() && i > 0; ++b) {
      Bill& total = plan.bill[b];
      total.available = total.available && p.bill[b].available;
      total.replicas += p.bill[b].replicas * n;
      total.usd_per_month += p.bill[b].usd_per_month * n;
    }
  }
  if (!plans[0].best) plan.meets_sla = false;
  // The primary's bill counts its sites too.
  for (std::size_t b = 0; b < plan.bill.size(); ++b) {
    if (pools[0].sites > 1) {
      plan.bill[b].replicas += plans[0].bill[b].replicas * (pools[0].sites - 1);
      plan.bill[b].usd_per_month += plans[0].bill[b].usd_per_month * (pools[0].sites - 1);
    }
  }
  const double tokens_per_month = total_tokens_per_day * days_per_month;
  plan.usd_per_million_tokens =
      tokens_per_month > 0 ? plan.usd_per_month / tokens_per_month * 1e6 : 0;
  for (Bill& b : plan.bill) {
    b.usd_per_million_tokens = tokens_per_month > 0 ? b.usd_per_month / tokens_per_month * 1e6 : 0;
    if (!b.available) b.usd_per_month = b.usd_per_million_tokens = 0;
  }
  plan.utilization = capacity_requests_per_s > 0
                         ? (d.pattern == DeploymentPattern::cascade ? (2 - share) : 1.0) *
                               total_requests_per_s / capacity_requests_per_s
                         : 0;
  const double served_tokens_per_day = [&] {
    double t = 0;
    for (std::size_t i = 0; i < pools.size(); ++i) t += plans[i].tokens_per_day * pools[i].sites;
    return t;
  }();
  plan.kwh_per_million_tokens = kwh_tokens && served_tokens_per_day > 0
                                    ? std::optional<double>(*kwh_tokens / total_tokens_per_day)
                                    : std::nullopt;
  plan.carbon_g_per_million_tokens =
      carbon_tokens && served_tokens_per_day > 0
          ? std::optional<double>(*carbon_tokens / total_tokens_per_day)
          : std::nullopt;
  for (ApiQuote& q : plan.api) {
    q.usd_per_month = q.usd_per_million_tokens * tokens_per_month / 1e6;
  }

  // What the same traffic costs on one central pool of the large model.
  PlanRequest central = r;
  central.deployment = Deployment{};
  const Plan one_pool = plan_pool(central, catalog);
  plan.searched_configurations += one_pool.searched_configurations;
  plan.estimates += one_pool.estimates;
  if (one_pool.best) {
    plan.centralized_usd_per_million_tokens = one_pool.best->usd_per_million_tokens;
    char line[200];
    std::snprintf(line, sizeof line,
                  "%s costs %.2fx the same traffic on one central pool of %s (%s vs %s per "
                  "million tokens)",
                  std::string(to_string(d.pattern)).c_str(),
                  plan.usd_per_million_tokens / one_pool.best->usd_per_million_tokens,
                  large.id.c_str(), format_usd(plan.usd_per_million_tokens).c_str(),
                  format_usd(one_pool.best->usd_per_million_tokens).c_str());
    plan.notes.push_back(line);
  }
  if (d.pattern == DeploymentPattern::edge || d.pattern == DeploymentPattern::dedicated ||
      d.pattern == DeploymentPattern::hybrid) {
    char line[240];
    std::snprintf(line, sizeof line,
                  "each of %d sites is sized for its own peak, %.2fx its average%s", sites,
                  site_peak,
                  d.site_peak_to_average
                      ? ""
                      : " (square-root rule: random peaks pool; a rule, not a measurement)");
    plan.notes.push_back(line);
  }
  if (routed) {
    plan.notes.push_back(
        "the waterfall's routing lever blends the small model's cost at its plan's "
        "configuration; the other levers act on the large model");
  }
  return plan;
}

}  // namespace

// What a request said that the plan does not use: it sets those keys on every candidate.
std::optional<std::string> keys_not_used_note(const std::vector<std::string>& keys) {
  if (keys.empty()) return std::nullopt;
  std::string list;
  for (const std::string& key : keys) list += (list.empty() ? "" : ", ") + key;
  return "not used: " + list +
         " (the plan chooses the accelerator, layout, precisions, concurrency and price itself, "
         "and serves its volume as a steady stream)";
}

std::optional<std::string> sla_from_preset_note(const PlanRequest& request) {
  if (request.sla_from_preset.empty() || request.base.preset == nullptr) return std::nullopt;
  std::string terms;
  for (const std::string& key : request.sla_from_preset) {
    terms += (terms.empty() ? "" : " and ") + key;
  }
  const bool both = request.sla_from_preset.size() > 1;
  return "the SLA's " + terms + (both ? " are" : " is") + " the " +
         std::string(request.base.preset->id) + " preset's latency target";
}

Plan make_plan(const PlanRequest& r, const Catalog& catalog) {
  Plan plan = plan_deployment(r, catalog);
  if (auto note = keys_not_used_note(r.keys_not_used)) plan.notes.insert(plan.notes.begin(), *note);
  if (auto note = sla_from_preset_note(r)) plan.notes.insert(plan.notes.begin(), *note);
  const Sla& sla = r.sla;
  if (sla.basis == SlaBasis::p90 &&
      (sla.max_ttft_s || sla.max_tpot_s || sla.min_tokens_per_s_per_user)) {
    plan.notes.push_back(
        "the SLA is read at the slow end of each configuration's likely latency (the P90 of "
        "measured / predicted over its regime's published runs, never below the estimate), not at "
        "the point estimate");
  }
  if (r.workload.capacity_basis == CapacityBasis::p10) {
    plan.notes.push_back(
        "the fleet is sized at the low end of each configuration's likely throughput (the P10 of "
        "measured / predicted over its regime's published runs, never above the estimate), not at "
        "the point estimate");
  }
  return plan;
}

}  // namespace pertoken
