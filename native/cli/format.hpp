// Output formats of the CLI: human tables and CSV, made from the core's typed results (the JSON and
// CSV come from the core itself), so every front end shows the same numbers.
#pragma once

#include <ostream>

#include "cli_args.hpp"
#include "pertoken/catalog/catalog.hpp"
#include "pertoken/catalog/staleness.hpp"
#include "pertoken/plan/case_studies.hpp"
#include "pertoken/plan/planner.hpp"
#include "pertoken/plan/sensitivity.hpp"
#include "pertoken/plan/volume_sweep.hpp"
#include "pertoken/search/sweeps.hpp"
#include "pertoken/serving/estimate.hpp"
#include "pertoken/text/why_words.hpp"
#include "pertoken/validation/validation.hpp"

namespace pertoken::cli {

void write_estimate_table(const Scenario& scenario, const Estimate& estimate, std::ostream& out);
// `estimate --why`: the core's "Why this number" laid out as the page's panel: a heading per
// figure, its sentences indented under it, a step's parts as a list.
void write_why(const std::vector<WhySection>& sections, std::ostream& out);
void write_sweep_table(const Sweep& sweep, const Catalog& catalog, std::ostream& out);
void write_plan_table(const PlanRequest& request, const Plan& plan, std::ostream& out);
// `sweep volume`: the plan at each volume, and the APIs' prices and break-even volumes.
void write_volume_sweep_table(const VolumeSweep& sweep, std::ostream& out);
void write_sensitivity_table(const SensitivityRequest& request, const Sensitivity& result,
                             std::ostream& out);
void write_sensitivity_csv(const Sensitivity& result, std::ostream& out);
void write_gpu_list(const Catalog& catalog, Format format, std::ostream& out);
// `list gpus --stale`: the figures older than their age rule on `today`.
void write_stale_list(const std::vector<StaleFigure>& figures, const std::string& today,
                      Format format, std::ostream& out);
void write_model_list(const Catalog& catalog, Format format, std::ostream& out);
// `list fields`: the core's scenario field table (JSON as the web form reads it, or rows).
void write_field_list(Format format, std::ostream& out);

void write_validation(const ValidationReport& report, const std::string& name, Format format,
                      std::ostream& out);

}  // namespace pertoken::cli
