// Times a full planner search over the shipped catalog (the request BM_PlanSearch uses), built
// natively and as WebAssembly so scripts/test.sh can print the ratio of the two on this machine.
// Prints one line: "plan search: median X ms over N runs (C configurations, E estimates)".
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

#include "pertoken/plan/plan_json.hpp"

int main() {
  const pertoken::Catalog& catalog = pertoken::embedded_catalog_with_prices();
  const pertoken::PlanRequest request =
      pertoken::parse_plan_request(R"({"model": "llama-3.1-70b", "tokens_per_day": 2e9,
                                       "max_ttft_seconds": 2, "max_tpot_seconds": 0.05})",
                                   catalog)
          .value();
  std::vector<double> ms;
  pertoken::Plan plan;
  for (int i = 0; i < 9; ++i) {
    const auto start = std::chrono::steady_clock::now();
    plan = pertoken::make_plan(request, catalog);
    const auto stop = std::chrono::steady_clock::now();
    ms.push_back(std::chrono::duration<double, std::milli>(stop - start).count());
  }
  std::sort(ms.begin(), ms.end());
  std::printf("plan search: median %.2f ms over %zu runs (%lld configurations, %lld estimates)\n",
              ms[ms.size() / 2], ms.size(), plan.searched_configurations, plan.estimates);
  return 0;
}
