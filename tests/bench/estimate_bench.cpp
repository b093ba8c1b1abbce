// Google Benchmark: one estimate (struct in, struct out), one trip through the JSON door, the
// layout search, the accelerator comparison, and a sweep over every gpu x model x precision x
// parallelism x concurrency of the shipped catalog.
#include <benchmark/benchmark.h>

#include "pertoken/catalog/catalog.hpp"
#include "pertoken/plan/plan_json.hpp"
#include "pertoken/plan/planner.hpp"
#include "pertoken/search/layout_search.hpp"
#include "pertoken/search/sweeps.hpp"
#include "pertoken/serving/estimate.hpp"

namespace {

using namespace pertoken;

Scenario base_scenario() {
  const Catalog& catalog = embedded_catalog();
  return parse_scenario(R"({"model": "llama-3.1-70b", "gpu": "h100-sxm", "gpus": 4,
                            "input_tokens": 2000, "output_tokens": 500})",
                        catalog)
      .value();
}

void BM_EstimateOne(benchmark::State& state) {
  const Scenario scenario = base_scenario();
  const EfficiencyFactors& efficiency = embedded_catalog().efficiency;
  for (auto _ : state) benchmark::DoNotOptimize(estimate(scenario, efficiency));
}
BENCHMARK(BM_EstimateOne);

void BM_EvaluateJsonDoor(benchmark::State& state) {
  const char* scenario = R"({"model": "llama-3.1-70b", "gpu": "h100-sxm", "gpus": 4,
                             "input_tokens": 2000, "output_tokens": 500})";
  for (auto _ : state)
    benchmark::DoNotOptimize(evaluate_scenario_json(scenario, embedded_catalog()));
}
BENCHMARK(BM_EvaluateJsonDoor);

void BM_EstimateAtArrivalRate(benchmark::State& state) {
  Scenario scenario = base_scenario();
  scenario.request_rate_per_s = 2.0;
  const EfficiencyFactors& efficiency = embedded_catalog().efficiency;
  for (auto _ : state) benchmark::DoNotOptimize(estimate(scenario, efficiency));
}
BENCHMARK(BM_EstimateAtArrivalRate);

// Every combination is checked (check_scenario) and, when valid, estimated.
void BM_CatalogSweep(benchmark::State& state) {
  const Catalog& catalog = embedded_catalog();
  const int parallelism[] = {1, 2, 4, 8};
  const int concurrency[] = {1, 4, 16, 64, 256, 0};  // 0 = "max"
  std::int64_t evaluations = 0;
  std::int64_t estimated = 0;
  for (auto _ : state) {
    for (const GpuSpec& gpu : catalog.gpus) {
      for (const ModelSpec& model : catalog.models) {
        Scenario s;
        s.model = model;
        s.gpu = gpu;
        s.input_tokens = 400;
        s.output_tokens = 40;
        s.usd_per_gpu_hour = gpu.reference_usd_per_hour.value_or(1.0);
        for (Precision weights : all_precisions) {
          s.weights = weights;
          for (int gpus : parallelism) {
            s.num_gpus = gpus;
            s.tp = gpus;
            for (int c : concurrency) {
              s.concurrency = c > 0 ? std::optional<int>(c) : std::nullopt;
              ++evaluations;
              if (!check_scenario(s).empty()) continue;
              ++estimated;
              benchmark::DoNotOptimize(estimate(s, catalog.efficiency));
            }
          }
        }
      }
    }
  }
  state.counters["evaluations_per_sweep"] =
      static_cast<double>(evaluations) / static_cast<double>(state.iterations());
  state.counters["estimated_per_sweep"] =
      static_cast<double>(estimated) / static_cast<double>(state.iterations());
  state.counters["evaluations_per_s"] =
      benchmark::Counter(static_cast<double>(evaluations), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_CatalogSweep)->Unit(benchmark::kMillisecond)->Iterations(3);

// The layout search for one model on one accelerator: candidates of the space per second (the
// pruned ones count: they are answered too), and the estimates it actually ran.
void BM_LayoutSearch(benchmark::State& state) {
  const Scenario scenario = base_scenario();
  const EfficiencyFactors& efficiency = embedded_catalog().efficiency;
  long long candidates = 0;
  long long estimates = 0;
  for (auto _ : state) {
    const LayoutChoice choice = cheapest_layout(scenario, efficiency);
    candidates += choice.candidates;
    estimates += choice.estimates;
    benchmark::DoNotOptimize(choice.best);
  }
  state.counters["candidates_per_search"] =
      static_cast<double>(candidates) / static_cast<double>(state.iterations());
  state.counters["estimates_per_search"] =
      static_cast<double>(estimates) / static_cast<double>(state.iterations());
  state.counters["candidates_per_s"] =
      benchmark::Counter(static_cast<double>(candidates), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_LayoutSearch)->Unit(benchmark::kMicrosecond);

// The accelerator comparison chart: every catalog accelerator at its cheapest layout.
void BM_SweepGpus(benchmark::State& state) {
  const Scenario scenario = base_scenario();
  for (auto _ : state) {
    benchmark::DoNotOptimize(run_sweep(SweepKind::gpus, scenario, embedded_catalog()));
  }
}
BENCHMARK(BM_SweepGpus)->Unit(benchmark::kMillisecond);

// A full planner search over the shipped catalog: every accelerator priced under the default lens,
// every layout up to 64 devices, precision, speculative decoding and concurrency.
void BM_PlanSearch(benchmark::State& state) {
  const Catalog& catalog = embedded_catalog_with_prices();
  const PlanRequest request =
      parse_plan_request(R"({"model": "llama-3.1-70b", "tokens_per_day": 2e9,
                             "max_ttft_seconds": 2, "max_tpot_seconds": 0.05})",
                         catalog)
          .value();
  long long configurations = 0;
  long long estimates = 0;
  for (auto _ : state) {
    const Plan plan = make_plan(request, catalog);
    configurations += plan.searched_configurations;
    estimates += plan.estimates;
    benchmark::DoNotOptimize(plan.best);
  }
  const double runs = static_cast<double>(state.iterations());
  state.counters["configurations_per_search"] = static_cast<double>(configurations) / runs;
  state.counters["estimates_per_search"] = static_cast<double>(estimates) / runs;
}
BENCHMARK(BM_PlanSearch)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
