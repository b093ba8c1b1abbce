// The planner panel's answer in words, from the plan JSON the core wrote: plain C++ (no ImGui),
// so a test reads exactly what the panel shows. Display only: whether the SLA is met, which
// option is the closest and whether the volume is beyond what the planner sizes are the core's.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace pertoken::app {

// The verdict and the configuration: the best plan and its month when the SLA is met; else the
// closest configuration and its excess over the target ("more than 1,000,000 x" where it would
// need more replicas than the planner sizes); else why nothing is listed.
std::vector<std::string> plan_answer_lines(const nlohmann::json& plan);

}  // namespace pertoken::app
