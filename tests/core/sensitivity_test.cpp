// The tornado and the inverse questions: price and utilization move the cost by hand-derivable
// factors (cost = price x devices / throughput / utilization), inverse answers reproduce the
// target when put back, and requests with bad fields name them.
#include <cmath>

#include <catch2/catch.hpp>

#include "pertoken/plan/sensitivity.hpp"
#include "pertoken/serving/estimate.hpp"
#include "test_support.hpp"

namespace pertoken::test {
namespace {

const SensitivityBar* bar_of(const Sensitivity& s, const std::string& input) {
  for (const SensitivityBar& b : s.bars) {
    if (b.input == input) return &b;
  }
  return nullptr;
}

SensitivityRequest request_70b(double utilization, std::optional<double> target = std::nullopt) {
  SensitivityRequest r;
  r.scenario = scenario({{"model", "llama-3.1-70b"},
                         {"gpu", "h100-sxm"},
                         {"num_gpus", 4},
                         {"weights", "fp8"},
                         {"concurrency", 64},
                         {"usd_per_gpu_hour", 4.0}});
  r.utilization = utilization;
  r.target_usd_per_million_tokens = target;
  return r;
}

}  // namespace

TEST_CASE("sensitivity: price and utilization move the cost by their hand-derived factors") {
  const Catalog& catalog = embedded_catalog();
  const Sensitivity s = run_sensitivity(request_70b(0.5), catalog.efficiency);
  REQUIRE(s.ok);
  // $ per million tokens = $/hour / tokens per hour / utilization: price enters linearly,
  // utilization inversely. With a 20% step: price 3.2 and 4.8; utilization 0.4 and 0.6.
  const double base = s.base_usd_per_million_tokens;
  const SensitivityBar* price = bar_of(s, "usd_per_gpu_hour");
  REQUIRE(price != nullptr);
  CHECK(price->low_value == Approx(3.2));
  CHECK(price->high_value == Approx(4.8));
  CHECK(*price->usd_per_million_tokens_at_low == Approx(base * 0.8));
  CHECK(*price->usd_per_million_tokens_at_high == Approx(base * 1.2));
  const SensitivityBar* utilization = bar_of(s, "utilization");
  REQUIRE(utilization != nullptr);
  CHECK(*utilization->usd_per_million_tokens_at_low == Approx(base * 0.5 / 0.4));
  CHECK(*utilization->usd_per_million_tokens_at_high == Approx(base * 0.5 / 0.6));
  // The fitted factors are marked as the guesses they are; the user's figures are not.
  CHECK(bar_of(s, "memory_bandwidth_fraction")->is_guess);
  CHECK_FALSE(price->is_guess);
  // A faster machine never costs more per token.
  const SensitivityBar* bandwidth = bar_of(s, "memory_bandwidth_fraction");
  CHECK(*bandwidth->usd_per_million_tokens_at_high <= *bandwidth->usd_per_million_tokens_at_low);
  // Widest swing first.
  for (std::size_t i = 1; i < s.bars.size(); ++i) {
    CHECK(s.bars[i - 1].swing_usd_per_million_tokens >= s.bars[i].swing_usd_per_million_tokens);
  }
}

TEST_CASE("sensitivity: an MoE model with MLA names the guesses its layers rest on") {
  // DeepSeek-R1's layers use MLA attention, whose extra fixed costs per layer are a held guess
  // (1.5x another layer's): its tornado shows what moving that guess 20% does, costlier when
  // higher. Its experts' rows are padded to the grouped GEMM's tile (64 shipped): at 8 concurrent
  // requests (256 experts, 8 per token) most touched experts hold one or two tokens, so a 128-row
  // tile costs more than a 32-row one; that bar spans half and twice the tile. Llama 3.1 70B
  // (dense, no MLA) has neither bar.
  const Catalog& catalog = embedded_catalog();
  SensitivityRequest r;
  r.scenario = scenario({{"model", "deepseek-r1"},
                         {"gpu", "h200-sxm"},
                         {"num_gpus", 8},
                         {"concurrency", 8},
                         {"usd_per_gpu_hour", 4.0}});
  r.utilization = 0.5;
  const Sensitivity s = run_sensitivity(r, catalog.efficiency);
  REQUIRE(s.ok);
  const SensitivityBar* ratio = bar_of(s, "mla_layer_overhead_ratio");
  REQUIRE(ratio != nullptr);
  CHECK(ratio->is_guess);
  CHECK(ratio->low_value == Approx(0.8 * catalog.efficiency.mla_layer_overhead_ratio));
  CHECK(*ratio->usd_per_million_tokens_at_high > *ratio->usd_per_million_tokens_at_low);
  const SensitivityBar* tile = bar_of(s, "grouped_gemm_tile_rows");
  REQUIRE(tile != nullptr);
  CHECK(tile->is_guess);
  CHECK(tile->low_value == 32.0);
  CHECK(tile->high_value == 128.0);
  CHECK(tile->note.find("half and twice") != std::string::npos);
  CHECK(*tile->usd_per_million_tokens_at_high > *tile->usd_per_million_tokens_at_low);
  const Sensitivity dense = run_sensitivity(request_70b(0.5), catalog.efficiency);
  CHECK(bar_of(dense, "mla_layer_overhead_ratio") == nullptr);
  CHECK(bar_of(dense, "grouped_gemm_tile_rows") == nullptr);
}

TEST_CASE("sensitivity: the base cost is the estimate's full-load cost over the utilization") {
  const Catalog& catalog = embedded_catalog();
  const SensitivityRequest r = request_70b(0.25);
  const Estimate e = estimate(r.scenario, catalog.efficiency);
  // Independently: 4 devices x $4/h over the tokens an hour at full load, at 25% of the hours.
  const double tokens_per_hour = (e.output_tokens_per_s + e.input_tokens_per_s) * 3600;
  const double expected = 4 * 4.0 / tokens_per_hour * 1e6 / 0.25;
  const Sensitivity s = run_sensitivity(r, catalog.efficiency);
  CHECK(s.base_usd_per_million_tokens == Approx(expected).epsilon(1e-9));
  CHECK(s.capacity_tokens_per_day == Approx(tokens_per_hour * 24));
}

TEST_CASE("sensitivity: inverse answers reach the target when put back") {
  const Catalog& catalog = embedded_catalog();
  const Sensitivity loose = run_sensitivity(request_70b(0.5), catalog.efficiency);
  const double target = loose.base_usd_per_million_tokens * 0.8;  // reachable by utilization
  const Sensitivity s = run_sensitivity(request_70b(0.5, target), catalog.efficiency);
  REQUIRE(s.inverse.size() == 3);
  // Price: linear, so 80% of today's price.
  CHECK(*s.inverse[0].value == Approx(4.0 * 0.8));
  SensitivityRequest at_price = request_70b(0.5);
  at_price.scenario.usd_per_gpu_hour = *s.inverse[0].value;
  CHECK(run_sensitivity(at_price, catalog.efficiency).base_usd_per_million_tokens ==
        Approx(target));
  // Utilization: 0.5 / 0.8.
  CHECK(*s.inverse[1].value == Approx(0.625));
  CHECK(run_sensitivity(request_70b(*s.inverse[1].value), catalog.efficiency)
            .base_usd_per_million_tokens == Approx(target));
  // Volume: that utilization of the deployment's daily capacity.
  CHECK(*s.inverse[2].value == Approx(0.625 * s.capacity_tokens_per_day));
  // In words, with the figures as people read them: dollars to the cent, whole token counts
  // with separators (tens of millions of tokens a day here), never an exponent.
  CHECK(s.inverse[0].answer == "at $3.20 per device-hour (now $4.00), other inputs as they are");
  CHECK(s.inverse[1].answer == "busy 62.5% of the hours (now 50%)");
  REQUIRE(s.capacity_tokens_per_day > 1e7);
  CHECK(s.inverse[2].answer.find("e+") == std::string::npos);
  CHECK(s.inverse[2].answer.find(",") != std::string::npos);
  CHECK(s.inverse[2].answer.find(" input + output tokens a day on this deployment (") !=
        std::string::npos);

  // A target below the full-load cost: no utilization reaches it, and the answer says so.
  const double full_load = loose.base_usd_per_million_tokens * 0.5;
  const Sensitivity beyond = run_sensitivity(request_70b(0.5, full_load * 0.9), catalog.efficiency);
  CHECK_FALSE(beyond.inverse[1].value.has_value());
  CHECK(beyond.inverse[1].answer.find("fully busy") != std::string::npos);
}

TEST_CASE("sensitivity: no price or no fit is an answer without bars; bad fields are named") {
  const Catalog& catalog = embedded_catalog();
  SensitivityRequest unpriced = request_70b(1);
  unpriced.scenario.usd_per_gpu_hour.reset();
  const Sensitivity s = run_sensitivity(unpriced, catalog.efficiency);
  CHECK_FALSE(s.ok);
  CHECK(s.bars.empty());
  REQUIRE_FALSE(s.notes.empty());
  CHECK(s.notes.front().find("/usd_per_gpu_hour") != std::string::npos);

  auto error_path = [&](const char* json) {
    Result<SensitivityRequest> r = parse_sensitivity_request(json, catalog);
    REQUIRE_FALSE(r.ok());
    return r.diagnostics().front().json_path;
  };
  CHECK(error_path(R"({"model":"llama-3.1-8b","gpu":"h100-sxm","utilization":0})") ==
        "/utilization");
  CHECK(error_path(R"({"model":"llama-3.1-8b","gpu":"h100-sxm","utilization":1.5})") ==
        "/utilization");
  CHECK(error_path(R"({"model":"llama-3.1-8b","gpu":"h100-sxm","relative_step":"big"})") ==
        "/relative_step");
  CHECK(error_path(
            R"({"model":"llama-3.1-8b","gpu":"h100-sxm","target_usd_per_million_tokens":-1})") ==
        "/target_usd_per_million_tokens");
  CHECK(error_path(R"({"model":"llama-3.1-8b","gpu":"nope"})") == "/gpu");
}

}  // namespace pertoken::test
