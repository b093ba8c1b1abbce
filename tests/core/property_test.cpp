// Properties that must hold over a sweep of the catalog: finite, non-negative outputs; more
// bandwidth never slower; a higher price never cheaper; throughput non-decreasing in concurrency.
#include <cmath>
#include <functional>

#include <catch2/catch.hpp>

#include "test_support.hpp"

namespace pertoken::test {
namespace {

// Visits every number in a JSON value.
void for_each_number(const Json& j, const std::string& path,
                     const std::function<void(const std::string&, double)>& visit) {
  if (j.is_number()) {
    visit(path, j.get<double>());
  } else if (j.is_object()) {
    for (auto it = j.begin(); it != j.end(); ++it)
      for_each_number(*it, path + "/" + it.key(), visit);
  } else if (j.is_array()) {
    for (std::size_t i = 0; i < j.size(); ++i)
      for_each_number(j[i], path + "/" + std::to_string(i), visit);
  }
}

// A representative slice of the catalog: dense, GQA, MHA, MoE, MLA, sliding-window, encoder.
const char* const sweep_models[] = {"llama-3.1-8b",     "llama-2-13b",    "mixtral-8x7b",
                                    "deepseek-v3",      "gemma-3-27b",    "gpt-oss-20b",
                                    "whisper-large-v3", "qwen3-235b-a22b"};

TEST_CASE("property: every output over the catalog is finite and non-negative", "[property]") {
  int fitted = 0;
  for (const GpuSpec& gpu : embedded_catalog().gpus) {
    for (const char* model : sweep_models) {
      for (const char* weights : {"bf16", "fp8", "fp4"}) {
        for (const Json& concurrency : {Json(1), Json(16), Json("max")}) {
          const Json fields{{"model", model},      {"gpu", gpu.id},
                            {"gpus", 8},           {"tp", 4},
                            {"weights", weights},  {"concurrency", concurrency},
                            {"input_tokens", 400}, {"output_tokens", 40}};
          const Json r = Json::parse(evaluate_scenario_json(fields.dump(), embedded_catalog()));
          if (r.contains("errors")) {
            // Only a catalog figure the estimate needs but does not know may stop it.
            INFO(gpu.id << " " << model << " " << r.dump());
            CHECK(r["errors"][0]["code"] == "unknown_figure");
            continue;
          }
          if (r["fits"].get<bool>()) ++fitted;
          for_each_number(r, "", [&](const std::string& path, double value) {
            INFO(gpu.id << " " << model << " " << weights << " " << concurrency << " " << path);
            CHECK(std::isfinite(value));
            CHECK(value >= 0);
          });
          if (r["fits"].get<bool>()) {
            for (const char* key : {"ttft_seconds", "tpot_seconds", "output_tokens_per_second"}) {
              INFO(gpu.id << " " << model << " " << key);
              CHECK(r[key].is_number());
            }
          }
        }
      }
    }
  }
  CHECK(fitted > 100);
}

TEST_CASE("property: more memory bandwidth is never slower", "[property]") {
  for (const char* model : sweep_models) {
    for (const Json& concurrency : {Json(1), Json(64), Json("max")}) {
      Json base{
          {"model", model},      {"gpus", 8},           {"tp", 4}, {"concurrency", concurrency},
          {"input_tokens", 300}, {"output_tokens", 100}};
      Json gpu = minimal_gpu();
      gpu["memory_gib"] = 288;
      Json slow = base;
      slow["gpu"] = gpu;
      gpu["memory_bandwidth_tb_per_s"] = 3.35 * 1.5;
      Json fast = base;
      fast["gpu"] = gpu;
      const Json a = run_json(slow);
      const Json b = run_json(fast);
      INFO(model << " " << concurrency);
      REQUIRE(a["fits"].get<bool>());
      CHECK(b["tpot_seconds"].get<double>() <= a["tpot_seconds"].get<double>());
      CHECK(b["ttft_seconds"].get<double>() <= a["ttft_seconds"].get<double>());
      CHECK(b["output_tokens_per_second"].get<double>() >=
            a["output_tokens_per_second"].get<double>());
    }
  }
}

TEST_CASE("property: a higher price is never cheaper", "[property]") {
  for (const char* model : sweep_models) {
    double previous = 0;
    for (double price : {0.5, 1.0, 2.0, 4.0}) {
      const Json r = run_json({{"model", model},
                               {"gpu", "b200"},
                               {"gpus", 8},
                               {"tp", 4},
                               {"weights", "fp4"},
                               {"input_tokens", 300},
                               {"output_tokens", 100},
                               {"usd_per_gpu_hour", price}});
      INFO(model << " at $" << price);
      REQUIRE(r["fits"].get<bool>());
      const double cost = r["usd_per_million_tokens"].get<double>();
      CHECK(cost > previous);
      CHECK(r["usd_per_million_input_tokens"].get<double>() >= 0);
      previous = cost;
    }
  }
}

TEST_CASE("property: throughput does not fall as concurrency grows to the memory limit",
          "[property]") {
  for (const char* model : {"llama-3.1-8b", "mixtral-8x7b", "gemma-3-27b", "deepseek-v3"}) {
    for (const char* gpu : {"h100-sxm", "mi300x", "l40s"}) {
      Json fields{{"model", model},
                  {"gpu", gpu},
                  {"gpus", 8},
                  {"tp", 4},
                  {"input_tokens", 1500},
                  {"output_tokens", 300},
                  {"max_batch_size", 4096}};
      const Json limit = run_json(fields);
      if (!limit["fits"].get<bool>()) continue;
      const double max_concurrency = limit["max_concurrency"].get<double>();
      double previous = 0;
      for (double c = 1; c <= max_concurrency; c = std::ceil(c * 1.7)) {
        fields["concurrency"] = c;
        const double throughput = run_json(fields)["output_tokens_per_second"].get<double>();
        INFO(model << " on " << gpu << " at concurrency " << c);
        CHECK(throughput >= previous * (1 - 1e-9));
        previous = throughput;
      }
    }
  }
}

}  // namespace
}  // namespace pertoken::test
