// Calibration: the fit that produced the shipped factors still produces them, and a user fit
// moves factors toward what the data say.
#include <cmath>

#include <catch2/catch.hpp>

#include "pertoken/validation/calibration.hpp"
#include "test_support.hpp"

namespace pertoken::test {
namespace {

TEST_CASE("calibration: fitting the calibration set from the priors reproduces the shipped factors",
          "[calibration]") {
  // The calibration set: dense (measured.csv) and MoE (moe_calibration.csv) rows.
  const auto rows = parse_measurements_csv(*shipped_measurements_csv("calibration"));
  REQUIRE(rows.ok());
  CalibrationOptions options;
  options.start = physical_priors();
  options.prior_center = physical_priors();
  const CalibrationResult fit = calibrate(rows.value(), embedded_catalog(), options);
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
  // Six rows of the calibration set, a short search: the property, not the shipped fit.
  const auto all = parse_measurements_csv(*shipped_measurements_csv("calibration"));
  REQUIRE(all.ok());
  const std::vector<Measurement> rows(all.value().begin(), all.value().begin() + 6);
  CalibrationOptions options;
  options.start = physical_priors();
  options.prior_center = physical_priors();
  options.max_iterations = 200;
  options.restarts = 1;
  const CalibrationResult one = calibrate(rows, embedded_catalog(), options);
  options.starts = 4;
  const CalibrationResult four = calibrate(rows, embedded_catalog(), options);
  const CalibrationResult again = calibrate(rows, embedded_catalog(), options);
  // Start 0 is the one-start search itself, so the best of four is at most its loss; the loss
  // before is measured at options.start either way.
  CHECK(four.loss_after <= one.loss_after);
  CHECK(four.loss_before == one.loss_before);
  CHECK(four.evaluations > 3 * one.evaluations);
  // The scattered starts are a fixed sequence: a second run fits the same factors.
  CHECK(again.loss_after == four.loss_after);
  for (const EfficiencyField& field : efficiency_fields()) {
    INFO(field.name);
    CHECK(again.fitted.*(field.member) == four.fitted.*(field.member));
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
