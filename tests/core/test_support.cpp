// Test helpers (see test_support.hpp).
#include "test_support.hpp"

#include <catch2/catch.hpp>

namespace pertoken::test {

Scenario scenario(const Json& fields) {
  Result<Scenario> parsed = parse_scenario(fields.dump(), embedded_catalog());
  if (!parsed.ok()) FAIL("scenario did not parse: " << parsed.diagnostics().front().to_string());
  return parsed.value();
}

Estimate run(const Json& fields) {
  return estimate(scenario(fields), embedded_catalog().efficiency);
}

Json run_json(const Json& fields) {
  return Json::parse(evaluate_scenario_json(fields.dump(), embedded_catalog()));
}

Diagnostic scenario_error(const std::string& json_text) {
  Result<Scenario> parsed = parse_scenario(json_text, embedded_catalog());
  REQUIRE_FALSE(parsed.ok());
  return parsed.diagnostics().front();
}

Diagnostic catalog_error(const std::string& json_text) {
  Result<CatalogDocument> parsed = parse_catalog_document(json_text);
  REQUIRE_FALSE(parsed.ok());
  return parsed.diagnostics().front();
}

Json minimal_gpu() {
  return Json{{"id", "test-gpu"},
              {"memory_gib", 80},
              {"memory_bandwidth_tb_per_s", 3.35},
              {"dense_tflops", {{"bf16", 989.4}, {"fp8", 1978.9}}},
              {"tdp_w", 700},
              {"scale_up", {{"link", "test link"}, {"bandwidth_gb_per_s_per_direction", 450}}},
              {"reference_usd_per_gpu_hour", 2.0}};
}

Json minimal_model() {
  // Llama 3.1 8B's shape.
  return Json{{"id", "test-model"},         {"num_layers", 32},     {"hidden_size", 4096},
              {"num_attention_heads", 32},  {"num_kv_heads", 8},    {"head_dim", 128},
              {"intermediate_size", 14336}, {"vocab_size", 128256}, {"mlp", "gated"},
              {"attention", "gqa"}};
}

}  // namespace pertoken::test
