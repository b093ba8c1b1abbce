// A catalog small enough to plan by hand, shared by the planner's hand-computed tests.
#pragma once

#include "pertoken/catalog/catalog.hpp"
#include "pertoken/plan/planner.hpp"

namespace pertoken::test {

// One accelerator, "fast": 40 GiB, 3 TB/s, 800 / 1,600 dense TFLOP/s at bf16 / fp8, four to a
// scale-up domain; `offer` (its gpu set to "fast") is the catalog's only price.
Catalog one_accelerator_catalog(CloudPrice offer);

// A specialist cloud's on-demand offer at `usd_per_gpu_hour`, for one_accelerator_catalog.
CloudPrice specialist_offer(double usd_per_gpu_hour);

// minimal_model() on the catalog's first accelerator, 1,000 input and 200 output tokens a
// request, at tokens_per_day with a peak twice the average, on up to four devices, without the
// speculative-decoding search.
PlanRequest one_accelerator_request(const Catalog& catalog, double tokens_per_day);

}  // namespace pertoken::test
