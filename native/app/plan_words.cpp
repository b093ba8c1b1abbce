// The planner panel's answer in words (see plan_words.hpp).
#include "plan_words.hpp"

#include "format.hpp"

namespace pertoken::app {
namespace {

using Json = nlohmann::json;

// "2 x 8 h100-sxm, fp8 weights, speculative eagle, concurrency 64" of an option's scenario.
std::string configuration(const Json& scenario, const Json& replicas, bool beyond_limit) {
  return (beyond_limit ? "more than " : "") + format_integer(number_of(replicas)) + " x " +
         format_integer(number_at(scenario, "num_gpus")) + " " + string_at(scenario, "gpu") + ", " +
         string_at(scenario, "weights") + " weights, speculative " +
         string_at(scenario, "speculative") + ", concurrency " +
         format_integer(number_at(scenario, "concurrency"));
}

const Json& member(const Json& object, const char* key) {
  static const Json none;
  return object.is_object() && object.contains(key) ? object[key] : none;
}

}  // namespace

std::vector<std::string> plan_answer_lines(const Json& plan) {
  const Json& best = member(plan, "best");
  if (member(plan, "meets_sla") == true && best.is_object()) {
    return {"Meets the SLA: " + configuration(best, member(plan, "replicas"), false) + " (" +
                format_integer(number_at(plan, "gpus_total")) + " GPUs in all)",
            format_usd(number_at(plan, "usd_per_month")) + " per month, " +
                format_usd(number_at(plan, "usd_per_million_tokens")) +
                " per million tokens, utilization " +
                format_percent(number_at(plan, "utilization")) + " (" + string_at(plan, "pricing") +
                ")"};
  }
  const Json& closest = member(plan, "closest");
  if (closest.is_object()) {
    const bool beyond = member(closest, "beyond_replica_limit") == true;
    return {"Misses the SLA; closest: " +
                configuration(member(closest, "scenario"), member(closest, "replicas"), beyond) +
                ", at " + format_number(number_at(closest, "sla_excess")) + "x the target",
            beyond ? "At this volume it would need more replicas than the planner sizes."
                   : format_usd(number_at(closest, "usd_per_month")) + " per month for that fleet"};
  }
  return {member(plan, "beyond_replica_limit") == true
              ? "Nothing is listed: the volume needs more replicas than the planner sizes (see "
                "the notes)."
              : "Nothing meets the SLA, and no configuration comes close (see the notes)."};
}

}  // namespace pertoken::app
