// Times a full planner search over the shipped catalog (the request BM_PlanSearch uses), built
// natively and as WebAssembly so scripts/test.sh can print the ratio of the two on this machine.
// Prints one line: "plan search: median X ms over N runs (C configurations, E estimates); first
// search F ms, then W warm-up searches".
// The median is of the steady search: the same code on both builds first searches for at least
// a second, untimed, as a warm-up. Natively that only touches the heap; V8 starts the
// WebAssembly module on its baseline compiler and swaps in optimized code for a function only
// after it has run a while, in the background, which on this 2-core machine takes several
// searches. The first (cold) search is printed too, so that start-up cost stays in view.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

#include "pertoken/plan/plan_json.hpp"

int main() {
  using steady = std::chrono::steady_clock;
  auto ms_since = [](steady::time_point start) {
    return std::chrono::duration<double, std::milli>(steady::now() - start).count();
  };
  const pertoken::Catalog& catalog = pertoken::embedded_catalog_with_prices();
  const pertoken::PlanRequest request =
      pertoken::parse_plan_request(R"({"model": "llama-3.1-70b", "tokens_per_day": 2e9,
                                       "max_ttft_seconds": 2, "max_tpot_seconds": 0.05})",
                                   catalog)
          .value();
  const auto warm_up_start = steady::now();
  pertoken::Plan plan = pertoken::make_plan(request, catalog);
  const double first_ms = ms_since(warm_up_start);
  int warm_up_runs = 0;
  while (ms_since(warm_up_start) < 1000) {
    plan = pertoken::make_plan(request, catalog);
    ++warm_up_runs;
  }
  std::vector<double> ms;
  for (int i = 0; i < 9; ++i) {
    const auto start = steady::now();
    plan = pertoken::make_plan(request, catalog);
    ms.push_back(ms_since(start));
  }
  std::sort(ms.begin(), ms.end());
  std::printf(
      "plan search: median %.2f ms over %zu runs (%lld configurations, %lld estimates); first "
      "search %.1f ms, then %d warm-up searches\n",
      ms[ms.size() / 2], ms.size(), plan.searched_configurations, plan.estimates, first_ms,
      warm_up_runs);
  return 0;
}
