// The article's case studies (shared/SEED.md, part 5) as plan requests: each states the article's
// figures beside what the planner computes for the same traffic, and where they disagree, why.
#pragma once

#include <array>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "pertoken/plan/planner.hpp"

namespace pertoken {

struct CaseStudy {
  std::string_view id;     // "transcription", "merchant-assistant", "bank-analysts"
  std::string_view title;  // one line
  // The plan request (the plan JSON's keys) that stands for the story; a request that names the
  // case study may override any of them.
  std::string_view request_json;
  std::string_view article_claim;  // the article's words, summarised
  // The article's monthly figures before and after its optimizations; nullopt where it gives none.
  std::optional<double> article_usd_per_month_before;
  std::optional<double> article_usd_per_month_after;
  // How the story became a workload: the assumptions the article leaves open, named as such.
  std::string_view assumptions;
};

// The ids, in table order (the plan field `case_study` lists them; a test holds them to the table).
inline constexpr std::array<std::string_view, 3> case_study_ids = {
    "transcription", "merchant-assistant", "bank-analysts"};

std::span<const CaseStudy> case_studies();
const CaseStudy* find_case_study(std::string_view id);

// The article beside the plan: its figures, the plan's month, and the sentences that say where
// and why they differ (the device-hours the article's bill buys against those the plan needs).
struct CaseStudyComparison {
  const CaseStudy* study = nullptr;
  std::optional<double> computed_usd_per_month;  // nullopt: nothing met the SLA
  // The article's "after" bill over the plan's (or "before" when it has no "after").
  std::optional<double> article_over_computed;
  std::optional<double> article_device_hours_per_day;  // at the plan's $/device-hour
  std::optional<double> computed_device_hours_per_day;
  std::vector<std::string> why;
};

CaseStudyComparison compare_case_study(const CaseStudy& study, const Plan& plan);

}  // namespace pertoken
