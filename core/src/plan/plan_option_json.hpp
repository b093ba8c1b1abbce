// Internal: one planned configuration as the plan JSON writes it ("best_detail", "alternatives"),
// for other answers that list configurations (the volume sweep).
#pragma once

#include "json/result_figures.hpp"
#include "pertoken/plan/planner.hpp"

namespace pertoken::detail {

OrderedJson plan_option_json(const PlanOption& option);

}  // namespace pertoken::detail
