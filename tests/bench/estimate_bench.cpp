// Google Benchmark: one estimate (struct in, struct out), one trip through the JSON door, and a
// sweep over every gpu x model x precision x parallelism x concurrency of the shipped catalog.
#include <benchmark/benchmark.h>

#include "pertoken/catalog/catalog.hpp"
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

}  // namespace

BENCHMARK_MAIN();
