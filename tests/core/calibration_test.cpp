// Calibration: the fit that produced the shipped factors still produces them, and a user fit
// moves factors toward what the data say.
#include <cmath>
#include <vector>

#include <catch2/catch.hpp>

#include "pertoken/validation/calibration.hpp"
#include "test_support.hpp"

namespace pertoken::test {
namespace {

// The calibration set: dense (measured.csv) and MoE (moe_calibration.csv) rows.
std::vector<Measurement> calibration_rows() {
  auto rows = parse_measurements_csv(*shipped_measurements_csv("calibration"));
  REQUIRE(rows.ok());
  return rows.value();
}

// The documented method: search from the physical priors, penalised toward them.
CalibrationOptions from_priors_options() {
  CalibrationOptions options;
  options.start = physical_priors();
  options.prior_center = physical_priors();
  return options;
}

TEST_CASE("calibration: fitting the calibration set from the priors reproduces the shipped factors",
          "[calibration]") {
  const CalibrationResult fit =
      calibrate(calibration_rows(), embedded_catalog(), from_priors_options());
  const EfficiencyFactors& shipped = default_efficiency();
  for (const EfficiencyField& field : efficiency_fields()) {
    INFO(field.name);
    // The shipped values are the fit rounded to 4 significant digits.
    CHECK(fit.fitted.*(field.member) == Approx(shipped.*(field.member)).epsilon(0.002));
  }
  // Each engine's multipliers (assets/engines.json) too.
  for (int engine = 0; engine < num_engines; ++engine) {
    for (std::size_t i = 0; i < num_engine_scaled_fields; ++i) {
      INFO("engine " << engine << " scale " << i);
      CHECK(fit.fitted.engine_scale[engine][i] ==
            Approx(shipped.engine_scale[engine][i]).epsilon(0.002));
    }
  }
  CHECK(fit.loss_after < fit.loss_before);
  CHECK(fit.after.median_absolute_percent_error <= 25.0);
  CHECK(fit.after.share_within_25_percent >= 0.50);
}

TEST_CASE("calibration: a user's measurements pull the factors toward what they show",
          "[calibration]") {
  // Synthetic "measurements": the shipped model's own predictions at 70% of its memory
  // bandwidth fraction. Memory-bound rows only, so bandwidth is what the fit must recover.
  Catalog slower = embedded_catalog();
  slower.efficiency.memory_bandwidth_fraction =
      0.7 * default_efficiency().memory_bandwidth_fraction;
  std::string csv =
      "id,gpu,num_gpus,tp,ep,model,weights,kv_cache,input_tokens,output_tokens,concurrency,metric,"
      "value\n";
  int id = 0;
  for (const char* gpu : {"h100-sxm", "h200-sxm", "a100-80gb-sxm", "mi300x", "b200", "l40s"}) {
    for (const char* model : {"llama-3.1-8b", "qwen2.5-7b"}) {
      const Json scenario{{"model", model},
                          {"gpu", gpu},
                          {"concurrency", 1},
                          {"input_tokens", 100},
                          {"output_tokens", 400}};
      Result<Scenario> s = parse_scenario(scenario.dump(), slower);
      REQUIRE(s.ok());
      const double tpot = estimate(s.value(), slower.efficiency).tpot_s;
      csv += "S" + std::to_string(++id) + "," + gpu + ",1,1,1," + model +
             ",bf16,bf16,100,400,1,tpot_seconds," + std::to_string(tpot) + "\n";
    }
  }
  const auto rows = parse_measurements_csv(csv);
  REQUIRE(rows.ok());
  CalibrationOptions options;
  options.start = default_efficiency();
  options.prior_center = default_efficiency();
  options.prior_weight = 0.0;
  const CalibrationResult fit = calibrate(rows.value(), embedded_catalog(), options);
  CHECK(fit.before.median_absolute_percent_error > 10.0);
  CHECK(fit.after.median_absolute_percent_error < fit.before.median_absolute_percent_error / 2);
  CHECK(fit.fitted.memory_bandwidth_fraction <
        0.9 * default_efficiency().memory_bandwidth_fraction);
}

TEST_CASE("calibration: several starts keep the lowest loss, the same on every run",
          "[calibration]") {
  // The calibration set from the priors with short searches (50 iterations, no restart), where
  // the starts end far apart (2026-12-04: 0.533 with one start, 0.464 with six): the property,
  // not the shipped fit.
  const std::vector<Measurement> rows = calibration_rows();
  CalibrationOptions options = from_priors_options();
  options.max_iterations = 50;
  options.restarts = 0;
  // Start k - 1 is added to the starts before it, so the best loss can only fall as k grows; a
  // search that kept its last start instead of its best would rise where a start ends worse.
  std::vector<CalibrationResult> by_starts;
  for (int k = 1; k <= 6; ++k) {
    options.starts = k;
    by_starts.push_back(calibrate(rows, embedded_catalog(), options));
  }
  for (std::size_t k = 1; k < by_starts.size(); ++k) {
    INFO("starts " << k + 1);
    CHECK(by_starts[k].loss_after <= by_starts[k - 1].loss_after);
    CHECK(by_starts[k].evaluations > by_starts[k - 1].evaluations);
    CHECK(by_starts[k].loss_before == by_starts[0].loss_before);  // measured at options.start
  }
  // The scattered starts are a fixed sequence: a second run fits the same factors.
  const CalibrationResult again = calibrate(rows, embedded_catalog(), options);
  CHECK(again.loss_after == by_starts.back().loss_after);
  for (const EfficiencyField& field : efficiency_fields()) {
    INFO(field.name);
    CHECK(again.fitted.*(field.member) == by_starts.back().fitted.*(field.member));
  }
}

TEST_CASE("calibration: the overlay it writes is a valid catalog document", "[calibration]") {
  const std::string overlay = efficiency_overlay_json(default_efficiency());
  Result<CatalogDocument> parsed = parse_catalog_document(overlay);
  REQUIRE(parsed.ok());
  REQUIRE(parsed.value().efficiency.has_value());
}

}  // namespace
}  // namespace pertoken::test
