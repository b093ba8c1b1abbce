// Scenario parsing: defaults, and a bad-input fixture for every kind of mistake, asserting the
// error code, the JSON path and the message.
#include <catch2/catch.hpp>

#include "test_support.hpp"

namespace pertoken::test {
namespace {

TEST_CASE("scenario: documented defaults", "[scenario]") {
  const Scenario s = scenario({{"model", "llama-3.1-8b"}, {"gpu", "h100-sxm"}, {"gpus", 4}});
  CHECK(s.tp == 4);  // tp defaults to the GPU count
  CHECK(s.pp == 1);
  CHECK(s.ep == 1);
  CHECK(s.weights == Precision::bf16);  // the released checkpoint
  CHECK(s.kv_cache == Precision::bf16);
  CHECK(s.input_tokens == 2000);
  CHECK(s.output_tokens == 500);
  CHECK_FALSE(s.concurrency.has_value());  // "max"
  CHECK(s.usd_per_gpu_hour == *embedded_catalog().find_gpu("h100-sxm")->reference_usd_per_hour);
  // DeepSeek ships FP8 weights.
  CHECK(scenario({{"model", "deepseek-r1"}, {"gpu", "h200-sxm"}, {"gpus", 8}}).weights ==
        Precision::fp8);
}

TEST_CASE("scenario: model and gpu may be inline catalog objects", "[scenario]") {
  const Scenario s = scenario({{"model", minimal_model()}, {"gpu", minimal_gpu()}});
  CHECK(s.model.id == "test-model");
  CHECK(s.gpu.memory_bandwidth_bytes_per_s == Approx(3.35e12));
}

TEST_CASE("scenario: json_syntax", "[scenario][errors]") {
  const Diagnostic d = scenario_error("{\"model\": ");
  CHECK(d.code == ErrorCode::json_syntax);
  CHECK(d.json_path.empty());
}

TEST_CASE("scenario: wrong_type", "[scenario][errors]") {
  Diagnostic d = scenario_error(R"({"model": "llama-3.1-8b", "gpu": "h100-sxm", "tp": "two"})");
  CHECK(d.code == ErrorCode::wrong_type);
  CHECK(d.to_string() == "/tp: must be a number, not a string");
  d = scenario_error(R"({"model": "llama-3.1-8b", "gpu": "h100-sxm", "tp": 1.5})");
  CHECK(d.to_string() == "/tp: must be a whole number");
  d = scenario_error(R"({"model": 42, "gpu": "h100-sxm"})");
  CHECK(d.code == ErrorCode::wrong_type);
  CHECK(d.json_path == "/model");
  d = scenario_error(R"([1, 2])");
  CHECK(d.code == ErrorCode::wrong_type);
}

TEST_CASE("scenario: missing_field", "[scenario][errors]") {
  const Diagnostic d = scenario_error(R"({"gpu": "h100-sxm"})");
  CHECK(d.code == ErrorCode::missing_field);
  CHECK(d.to_string() == "/model: is required");
}

TEST_CASE("scenario: unknown_field", "[scenario][errors]") {
  const Diagnostic d =
      scenario_error(R"({"model": "llama-3.1-8b", "gpu": "h100-sxm", "batch": 8})");
  CHECK(d.code == ErrorCode::unknown_field);
  CHECK(d.to_string() == "/batch: unknown key");
}

TEST_CASE("scenario: out_of_range: zero, negative and absurd sizes", "[scenario][errors]") {
  Diagnostic d = scenario_error(R"({"model": "llama-3.1-8b", "gpu": "h100-sxm", "gpus": 0})");
  CHECK(d.code == ErrorCode::out_of_range);
  CHECK(d.to_string() == "/gpus: must be > 0 and <= 65536");
  d = scenario_error(R"({"model": "llama-3.1-8b", "gpu": "h100-sxm", "input_tokens": -5})");
  CHECK(d.code == ErrorCode::out_of_range);
  CHECK(d.json_path == "/input_tokens");
  d = scenario_error(R"({"model": "llama-3.1-8b", "gpu": "h100-sxm", "output_tokens": 1e15})");
  CHECK(d.code == ErrorCode::out_of_range);
  CHECK(d.to_string() == "/output_tokens: must be > 0 and <= 10000000");
  d = scenario_error(R"({"model": "llama-3.1-8b", "gpu": "h100-sxm", "usd_per_gpu_hour": -1})");
  CHECK(d.code == ErrorCode::out_of_range);
  CHECK(d.json_path == "/usd_per_gpu_hour");
  d = scenario_error(R"({"model": "llama-3.1-8b", "gpu": "h100-sxm", "concurrency": 0})");
  CHECK(d.code == ErrorCode::out_of_range);
  CHECK(d.json_path == "/concurrency");
}

TEST_CASE("scenario: invalid_value", "[scenario][errors]") {
  Diagnostic d =
      scenario_error(R"({"model": "llama-3.1-8b", "gpu": "h100-sxm", "weights": "fp6"})");
  CHECK(d.code == ErrorCode::invalid_value);
  CHECK(d.to_string() == "/weights: must be one of fp32, bf16, fp16, fp8, int8, int4, fp4");
  d = scenario_error(R"({"model": "llama-3.1-8b", "gpu": "h100-sxm", "concurrency": "lots"})");
  CHECK(d.code == ErrorCode::invalid_value);
  CHECK(d.to_string() == "/concurrency: must be a whole number > 0 or \"max\"");
}

TEST_CASE("scenario: unknown_id", "[scenario][errors]") {
  Diagnostic d = scenario_error(R"({"model": "gpt-5", "gpu": "h100-sxm"})");
  CHECK(d.code == ErrorCode::unknown_id);
  CHECK(d.to_string() == "/model: unknown model 'gpt-5' (the catalog's models list the ids)");
  d = scenario_error(R"({"model": "llama-3.1-8b", "gpu": "h900"})");
  CHECK(d.code == ErrorCode::unknown_id);
  CHECK(d.json_path == "/gpu");
}

TEST_CASE("scenario: inconsistent parallelism", "[scenario][errors]") {
  Diagnostic d =
      scenario_error(R"({"model": "llama-3.1-8b", "gpu": "h100-sxm", "gpus": 8, "tp": 3})");
  CHECK(d.code == ErrorCode::inconsistent);
  CHECK(d.to_string() == "/tp: tp x pp = 3 must divide num_gpus = 8");
  // Llama 3.1 8B has 32 attention heads.
  d = scenario_error(R"({"model": "llama-3.1-8b", "gpu": "h100-sxm", "gpus": 64})");
  CHECK(d.code == ErrorCode::inconsistent);
  CHECK(d.to_string() == "/tp: tp = 64 exceeds the 32 attention heads of llama-3.1-8b");
  d = scenario_error(R"({"model": "whisper-large-v3", "gpu": "h100-sxm", "gpus": 8})");
  CHECK(d.to_string() == "/tp: tp = 8 must divide the 20 attention heads of whisper-large-v3");
  d = scenario_error(R"({"model": "llama-3.1-8b", "gpu": "h100-sxm", "gpus": 2, "ep": 2})");
  CHECK(d.to_string() == "/ep: llama-3.1-8b has no experts, so ep must be 1");
  // ep need not divide the experts (redundant experts fill up to a multiple: 1 here), unless
  // the scenario states a count that does not.
  CHECK(
      scenario({{"model", "mixtral-8x7b"}, {"gpu", "h100-sxm"}, {"gpus", 6}, {"tp", 1}, {"ep", 3}})
          .redundant_experts == 1);
  d = scenario_error(
      R"({"model": "mixtral-8x7b", "gpu": "h100-sxm", "gpus": 6, "tp": 1, "ep": 3,
          "redundant_experts": 0})");
  CHECK(d.to_string() ==
        "/redundant_experts: ep = 3 must divide the 8 experts of mixtral-8x7b + 0 "
        "redundant_experts");
  d = scenario_error(R"({"model": "llama-3.1-8b", "gpu": "h100-sxm", "pp": 64, "gpus": 64})");
  CHECK(d.to_string() == "/pp: pp = 64 exceeds the 32 layers of llama-3.1-8b");
  d = scenario_error(
      R"({"model": "llama-3.1-8b", "gpu": "h100-sxm", "concurrency": 4, "request_rate_per_s": 2})");
  CHECK(d.code == ErrorCode::inconsistent);
  CHECK(d.json_path == "/request_rate_per_s");
}

TEST_CASE("scenario: a request longer than the model's context is rejected", "[scenario][errors]") {
  // Llama 2 reads 4,096 tokens.
  const Diagnostic d = scenario_error(
      R"({"model": "llama-2-7b", "gpu": "h100-sxm", "input_tokens": 4000, "output_tokens": 200})");
  CHECK(d.code == ErrorCode::inconsistent);
  CHECK(d.to_string() ==
        "/input_tokens: input_tokens + output_tokens = 4200 exceeds the 4096-token context of "
        "llama-2-7b");
}

TEST_CASE("scenario: unknown_figure when the catalog lacks a rate the estimate needs",
          "[scenario][errors]") {
  Json gpu = minimal_gpu();
  gpu["dense_tflops"]["bf16"] = nullptr;
  const Json r = run_json({{"model", "llama-3.1-8b"}, {"gpu", gpu}});
  REQUIRE(r.contains("errors"));
  CHECK(r["errors"][0]["code"] == "unknown_figure");
  CHECK(r["errors"][0]["path"] == "/gpu");
}

}  // namespace
}  // namespace pertoken::test
