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
  CHECK(d.to_string() == "/tp: must be a number, got 'two'");
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
  // Llama 3.1 8B has 32 attention heads. tp left out is num_gpus / pp: the device count the user
  // set is blamed, not the tp they never touched.
  d = scenario_error(R"({"model": "llama-3.1-8b", "gpu": "h100-sxm", "gpus": 64})");
  CHECK(d.code == ErrorCode::inconsistent);
  CHECK(d.to_string() ==
        "/gpus: num_gpus = 64 gives the default tp = 64, but tp = 64 exceeds the 32 attention "
        "heads of llama-3.1-8b; choose another device count, or set tp");
  d = scenario_error(R"({"model": "llama-3.1-8b", "gpu": "h100-sxm", "gpus": 64, "tp": 64})");
  CHECK(d.to_string() == "/tp: tp = 64 exceeds the 32 attention heads of llama-3.1-8b");
  d = scenario_error(R"({"model": "whisper-large-v3", "gpu": "h100-sxm", "gpus": 8})");
  CHECK(d.to_string() ==
        "/gpus: num_gpus = 8 gives the default tp = 8, but tp = 8 must divide the 20 attention "
        "heads of whisper-large-v3; choose another device count, or set tp");
  // Llama 3.1 70B has 64 heads and 8 KV heads: 3 devices give tp = 3, which divides neither.
  d = scenario_error(R"({"model": "llama-3.1-70b", "gpu": "h100-sxm", "num_gpus": 3})");
  CHECK(d.json_path == "/num_gpus");
  CHECK(d.message ==
        "num_gpus = 3 gives the default tp = 3, but tp = 3 must divide the 64 attention heads of "
        "llama-3.1-70b; choose another device count, or set tp");
  // pp = 2 on 3 devices: tp = 3 / 2 = 1 (whole stages), and tp x pp = 2 does not divide 3.
  d = scenario_error(R"({"model": "llama-3.1-8b", "gpu": "h100-sxm", "num_gpus": 3, "pp": 2})");
  CHECK(d.to_string() ==
        "/num_gpus: num_gpus = 3 with pp = 2 gives the default tp = 1, but tp x pp = 2 must "
        "divide num_gpus = 3; choose another device count, or set tp");
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

TEST_CASE("scenario: a number written as text is answered in words", "[scenario][errors]") {
  // The page and the CLI pass what the user typed; the core says what to write instead.
  auto error_for = [](std::string_view key, std::string_view text) {
    Json doc = {{"model", "llama-3.1-8b"}, {"gpu", "h100-sxm"}};
    doc[std::string(key)] = std::string(text);
    return scenario_error(doc.dump());
  };
  Diagnostic d = error_for("usd_per_gpu_hour", "$3.50");
  CHECK(d.code == ErrorCode::wrong_type);
  CHECK(d.to_string() == "/usd_per_gpu_hour: write a plain number like 3.5, not '$3.50'");
  CHECK(error_for("input_tokens", "4k").to_string() ==
        "/input_tokens: write a plain number like 4000, not '4k'");
  CHECK(error_for("input_tokens", "1,500").to_string() ==
        "/input_tokens: write a plain number like 1500, not '1,500'");
  CHECK(error_for("prefix_cache_hit_rate", "50%").to_string() ==
        "/prefix_cache_hit_rate: write a plain number like 0.5, not '50%'");
  // 1e309 overflows a double; the field's maximum is what may be written.
  d = error_for("usd_per_gpu_hour", "1e309");
  CHECK(d.message.rfind("1e309 is too large (at most ", 0) == 0);
  CHECK(error_for("input_tokens", "-1e309").message.rfind("-1e309 is too small (at least 1)", 0) ==
        0);
  CHECK(error_for("tp", "abc").to_string() == "/tp: must be a number, got 'abc'");
  CHECK(error_for("concurrency", "4k").to_string() ==
        "/concurrency: write a plain number like 4000, not '4k' (or \"max\")");
  CHECK(error_for("concurrency", "lots").to_string() ==
        "/concurrency: must be a whole number > 0 or \"max\"");
  // Text in a number field is not null: null keeps its own message.
  Json doc = {{"model", "llama-3.1-8b"}, {"gpu", "h100-sxm"}, {"input_tokens", nullptr}};
  CHECK(scenario_error(doc.dump()).to_string() == "/input_tokens: must be a number, not null");
}

TEST_CASE("scenario: a request longer than the model's context is rejected", "[scenario][errors]") {
  // Llama 2 reads 4,096 tokens.
  const Diagnostic d = scenario_error(
      R"({"model": "llama-2-7b", "gpu": "h100-sxm", "input_tokens": 4000, "output_tokens": 200})");
  CHECK(d.code == ErrorCode::inconsistent);
  CHECK(d.to_string() ==
        "/input_tokens: input_tokens + output_tokens = 4200 exceeds the 4096-token context of "
        "llama-2-7b");
  // A long output over a short prompt names the output: it is the field to shorten.
  CHECK(scenario_error(R"({"model": "llama-2-7b", "gpu": "h100-sxm", "input_tokens": 100,)"
                       R"( "output_tokens": 4000})")
            .to_string() ==
        "/output_tokens: input_tokens + output_tokens = 4100 exceeds the 4096-token context of "
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
