// The plan's answer in words (see plan_words.hpp).
#include "pertoken/plan/plan_words.hpp"

#include <utility>

#include "pertoken/text/figure_text.hpp"
#include "pertoken/text/result_words.hpp"

namespace pertoken {
namespace {

// Each pool of a deployment of several, named by its role and model, with its configuration and
// fleet.
std::string pools_words(const Plan& plan) {
  std::string words;
  for (const DeploymentPart& part : plan.parts) {
    if (!part.best) continue;
    words += words.empty() ? "" : "; ";
    words += part.role + " (" + part.model +
             (part.sites > 1 ? ", each of " + format_integer(part.sites) + " sites" : "") +
             "): " + configuration_words(part.best->scenario) + ", " + fleet_words(*part.best);
  }
  return words;
}

}  // namespace

std::string configuration_words(const Scenario& s) {
  std::string words = format_integer(s.num_gpus) + " × " + s.gpu.name + " (tp " +
                      format_integer(s.tp) + ", pp " + format_integer(s.pp) + ", ep " +
                      format_integer(s.ep) + "; " + std::string(to_string(s.weights)) +
                      " weights, " + std::string(to_string(s.kv_cache)) + " KV cache";
  if (s.speculative.method == SpeculativeMethod::draft_model && s.speculative.draft_model) {
    words += "; speculative decoding with the draft model " + s.speculative.draft_model->id;
  } else if (s.speculative.method != SpeculativeMethod::none) {
    words += "; " + std::string(to_string(s.speculative.method)) + " speculative decoding";
  }
  if (s.concurrency) words += "; " + format_count(*s.concurrency, "request") + " in flight";
  return words + ")";
}

std::string fleet_words(const PlanOption& o) {
  if (o.beyond_replica_limit) return "more than " + format_count(o.replicas, "replica");
  const std::string spares =
      o.spare_replicas > 0 ? " and " + format_count(o.spare_replicas, "spare") : "";
  return format_count(o.replicas, "replica") + spares + ", " +
         format_count(o.gpus_total, "device") + " in all";
}

PlanAnswer plan_answer(const PlanRequest& request, const Plan& plan) {
  if (plan.meets_sla && plan.best) {
    const std::string month = format_percent(plan.utilization) + " utilized, " +
                              format_usd(plan.usd_per_month) + " a month.";
    const bool one_pool = request.deployment.pattern == DeploymentPattern::centralized;
    return {"Meets the SLA at " + format_usd(plan.usd_per_million_tokens) +
                " per million tokens (" + to_string(request.lens) + " prices).",
            one_pool ? "Best: " + configuration_words(plan.best->scenario) + "; " +
                           fleet_words(*plan.best) + ", " + month
                     : "Best: " + format_count(plan.gpus_total, "device") + " in all (" +
                           std::string(to_string(request.deployment.pattern)) + " deployment), " +
                           month + " Its pools: " + pools_words(plan) + "."};
  }
  if (plan.closest) {
    const PlanOption& c = *plan.closest;
    return {
        "Nothing meets this SLA; the closest is " + configuration_words(c.scenario) + " at TTFT " +
            format_seconds(c.estimate.ttft_s) + ", TPOT " + format_seconds(c.estimate.tpot_s) +
            " (" + format_number(c.sla_excess) + "× the target).",
        c.beyond_replica_limit
            ? "At this volume it would need " + fleet_words(c) + ": beyond what the planner sizes."
            : "That fleet: " + fleet_words(c) + ", " + format_usd(c.usd_per_month) + " a month."};
  }
  // A deployment of several pools has no plan when one of them has none: name which.
  std::string unplanned;
  for (const DeploymentPart& part : plan.parts) {
    if (plan.parts.size() < 2 || part.meets_sla) continue;
    unplanned +=
        (unplanned.empty() ? "the " : " and the ") + part.role + " pool (" + part.model + ")";
  }
  if (!unplanned.empty()) {
    return {"Nothing is listed for " + unplanned + ", so the " +
                std::string(to_string(request.deployment.pattern)) +
                " deployment has no plan: the notes say why.",
            ""};
  }
  // Why there is no closest (no allowed accelerator holds the model, the volume is beyond what
  // the planner sizes) is in the plan's notes; an SLA may not even be set.
  if (plan.no_price_under_lens) {
    return {"Nothing is listed: no allowed accelerator has a price under " +
                to_string(request.lens) + "; another pricing may have one.",
            ""};
  }
  return {plan.beyond_replica_limit
              ? "Nothing is listed: the volume needs more replicas than the planner sizes, as "
                "the notes say."
              : "Nothing is listed: no configuration the search tried holds the model and its "
                "requests.",
          ""};
}

std::string_view lever_words(std::string_view lever) {
  static constexpr WordsRow table[] = {
      {"quantization", "Quantization"},
      {"batching", "Batching"},
      {"paged_kv", "Paged KV cache"},
      {"speculative", "Speculative decoding"},
      {"accelerator", "Accelerator choice"},
      {"payment", "Way of paying"},
      {"routing", "Routing"},
      {"utilization", "Fleet utilization"},
  };
  return words_for(table, lever);
}

}  // namespace pertoken
