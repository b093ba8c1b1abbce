// Internal: the sensitivity answer as a JSON object, for the plan's answer to embed (the plan's
// best configuration, at its utilization).
#pragma once

#include "json/result_figures.hpp"
#include "pertoken/plan/sensitivity.hpp"

namespace pertoken::detail {

OrderedJson sensitivity_json(const SensitivityRequest& request, const Sensitivity& result);

}  // namespace pertoken::detail
