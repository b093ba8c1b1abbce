// Performance model: latency and throughput against physical bounds derived by hand.
#include <cmath>
#include <initializer_list>
#include <utility>

#include <catch2/catch.hpp>

#include "test_support.hpp"

namespace pertoken::test {
namespace {

double number(const Json& j, const char* key) { return j.at(key).get<double>(); }

TEST_CASE("performance: batch-1 decode is no faster than reading the weights", "[performance]") {
  // llama-3.1-8b bf16: every decode step streams all weights but the embedding table (gathered,
  // not read whole): 16,059,990,016 - 1,050,673,152 = 15,009,316,864 B at 3.35e12 B/s = 4.48 ms.
  const Json r = run_json({{"model", "llama-3.1-8b"},
                           {"gpu", "h100-sxm"},
                           {"concurrency", 1},
                           {"input_tokens", 100},
                           {"output_tokens", 100}});
  const double floor_s = 15009316864.0 / 3.35e12;
  CHECK(number(r, "tpot_seconds") >= floor_s);
  // A tuned engine reaches well over half the bandwidth at batch 1.
  CHECK(number(r, "tpot_seconds") <= 2.0 * floor_s);
  CHECK(r["decode_bound"] == "memory_bandwidth");
}

TEST_CASE("performance: batch-1 decode speed scales with memory bandwidth", "[performance]") {
  // Same chip generation and compute; H200 has 4.8 TB/s against H100's 3.35: the batch-1 step of
  // a bandwidth-bound 70B fp8 model is ~3.35/4.8 as long (overheads make it a little less).
  const Json base{{"model", "llama-3.1-70b"}, {"weights", "fp8"},     {"concurrency", 1},
                  {"input_tokens", 100},      {"output_tokens", 100}, {"gpus", 1}};
  Json h100 = base;
  h100["gpu"] = "h100-sxm";
  Json h200 = base;
  h200["gpu"] = "h200-sxm";
  const double ratio =
      number(run_json(h200), "tpot_seconds") / number(run_json(h100), "tpot_seconds");
  CHECK(ratio == Approx(3.35 / 4.8).epsilon(0.10));
}

TEST_CASE("performance: a long prefill is no faster than its FLOPs at peak", "[performance]") {
  // llama-3.1-8b bf16, 8,192-token prompt: matmuls 2 x 6,979,321,856 x 8,192 = 1.1435e14 FLOPs
  // (LM head only for the last token), attention 32 layers x 4 x 32 heads x 128 x sum of causal
  // contexts (8,192 x 8,193 / 2) = 1.7594e13; 1.3194e14 FLOPs / 9.894e14 FLOP/s = 133 ms.
  const Json r = run_json({{"model", "llama-3.1-8b"},
                           {"gpu", "h100-sxm"},
                           {"concurrency", 1},
                           {"input_tokens", 8192},
                           {"output_tokens", 1}});
  CHECK(number(r, "ttft_seconds") >= 0.1333);
  CHECK(number(r, "ttft_seconds") <= 3 * 0.1333);
}

TEST_CASE("performance: a pipeline's stages do not share out one prompt as more requests run",
          "[performance]") {
  // The same 8,192-token prompt as above (1.3194e14 FLOPs) on 4 H100s as 4 pipeline stages: it
  // passes the stages one after another, each holding a quarter of the layers on one GPU, so its
  // prefill takes at least the FLOPs at one GPU's peak, 133 ms, however many requests run. (The
  // micro-batch that carries it holds it whole; spreading it over the micro-batches gave 1/m.)
  for (const int concurrency : {1, 2, 4, 8}) {
    for (const bool chunked : {true, false}) {
      const Json r = run_json({{"model", "llama-3.1-8b"},
                               {"gpu", "h100-sxm"},
                               {"num_gpus", 4},
                               {"tp", 1},
                               {"pp", 4},
                               {"chunked_prefill", chunked},
                               {"concurrency", concurrency},
                               {"input_tokens", 8192},
                               {"output_tokens", 64}});
      INFO("concurrency " << concurrency << " chunked " << chunked);
      CHECK(number(r, "ttft_seconds") >= 0.1333);
      CHECK(number(r["breakdown"]["prefill"], "total_seconds") >= 0.1333);
    }
  }
}

TEST_CASE("performance: a static batch below one request still prefills the whole prompt",
          "[performance]") {
  // Llama 3.1 70B on 4 H100s (tp 4) at 0.01 requests/s: Little's law gives an average batch far
  // below one, but the request that runs is in it whole. Its 2,000-token prompt costs at least its
  // layers' matmuls: 80 x (2 x 8,192^2 + 2 x 8,192 x 1,024 + 3 x 8,192 x 28,672) = 6.845e10
  // weights, 2 x 6.845e10 x 2,000 = 2.738e14 FLOPs, spread over 4 x 9.894e14 FLOP/s: 69.2 ms.
  // Its one decode step carries it: one token.
  const Json r = run_json({{"model", "llama-3.1-70b"},
                           {"gpu", "h100-sxm"},
                           {"num_gpus", 4},
                           {"batching", "static"},
                           {"request_rate_per_s", 0.01},
                           {"input_tokens", 2000},
                           {"output_tokens", 100}});
  CHECK(number(r, "ttft_seconds") >= 0.0692);
  CHECK(number(r["breakdown"]["prefill"], "beside_prompt_tokens") >= 0);
  CHECK(number(r["breakdown"]["decode_step"], "decode_tokens") >= 1);
}

TEST_CASE("performance: no engine processes prompts faster than the chip's FLOPs allow",
          "[performance]") {
  // llama-3.1-8b bf16 on one H100: every prompt token costs at least its matmuls, 2 x
  // 6,979,321,856 FLOPs (attention and the LM head only add), at 9.894e14 FLOP/s dense: at most
  // 70,880 prompt tokens/s, whatever the engine, its scheduling or the mix of lengths. Prompt-heavy
  // mixes with few output tokens are where an engine that runs prompts in steps of their own has
  // the most others' prompts per decode step of mine.
  const double max_prompt_tokens_per_s = 9.894e14 / (2.0 * 6979321856.0);
  for (const char* engine : {"tensorrt-llm", "vllm", "sglang", "vllm-0.7", "sglang-0.4"}) {
    for (const bool chunked : {true, false}) {
      for (const auto& [input, output] : std::initializer_list<std::pair<int, int>>{
               {2000, 1}, {2000, 2}, {2000, 16}, {8192, 64}}) {
        // A fixed concurrency, static batches, and an arrival rate beyond what it serves.
        for (const Json& load : {Json{{"concurrency", "max"}}, Json{{"concurrency", 64}},
                                 Json{{"concurrency", 64}, {"batching", "static"}},
                                 Json{{"request_rate_per_s", 100}}}) {
          Json fields{{"model", "llama-3.1-8b"}, {"gpu", "h100-sxm"},
                      {"engine", engine},        {"chunked_prefill", chunked},
                      {"input_tokens", input},   {"output_tokens", output}};
          fields.update(load);
          const Json r = run_json(fields);
          INFO(engine << " chunked " << chunked << " " << input << "/" << output << " at "
                      << load.dump());
          CHECK(number(r, "input_tokens_per_second") <= max_prompt_tokens_per_s);
        }
      }
    }
  }
}

TEST_CASE("performance: prefill attention grows quadratically with the prompt", "[performance]") {
  auto ttft = [](int tokens) {
    return number(run_json({{"model", "llama-3.1-8b"},
                            {"gpu", "h100-sxm"},
                            {"concurrency", 1},
                            {"input_tokens", tokens},
                            {"output_tokens", 1}}),
                  "ttft_seconds");
  };
  // Doubling a long prompt more than doubles its prefill time.
  CHECK(ttft(65536) > 2.0 * ttft(32768));
}

TEST_CASE("performance: tensor parallelism adds communication, one GPU has none", "[performance]") {
  const Json one = run_json({{"model", "llama-3.1-8b"}, {"gpu", "h100-sxm"}, {"concurrency", 8}});
  const Json two =
      run_json({{"model", "llama-3.1-8b"}, {"gpu", "h100-sxm"}, {"gpus", 2}, {"concurrency", 8}});
  CHECK(number(one["breakdown"]["decode_step"], "communication_seconds") == 0);
  CHECK(number(two["breakdown"]["decode_step"], "communication_seconds") > 0);
  // Half the weights per GPU: the step is faster, but not twice as fast.
  CHECK(number(two, "tpot_seconds") < number(one, "tpot_seconds"));
  CHECK(number(two, "tpot_seconds") > 0.5 * number(one, "tpot_seconds"));
}

TEST_CASE("performance: short requests at a large batch are compute-bound", "[performance]") {
  const Json r = run_json({{"model", "llama-3.1-8b"},
                           {"gpu", "h100-sxm"},
                           {"weights", "fp8"},
                           {"kv_cache", "fp8"},
                           {"input_tokens", 128},
                           {"output_tokens", 128},
                           {"concurrency", 1024},
                           {"max_batch_size", 1024}});
  CHECK(r["decode_bound"] == "compute");
}

TEST_CASE("performance: the decode step's parts and overlap add up to its total", "[performance]") {
  const Json r =
      run_json({{"model", "mixtral-8x7b"}, {"gpu", "h100-sxm"}, {"gpus", 2}, {"concurrency", 64}});
  for (const char* step : {"prefill", "decode_step"}) {
    const Json& b = r["breakdown"][step];
    const double sum = number(b, "weight_reads_seconds") + number(b, "kv_reads_seconds") +
                       number(b, "compute_seconds") + number(b, "communication_seconds") +
                       number(b, "overhead_seconds") - number(b, "overlap_seconds");
    CHECK(sum == Approx(number(b, "total_seconds")).epsilon(1e-9));
    CHECK(number(b, "overlap_seconds") >= 0);
  }
}

TEST_CASE("performance: Little's law links concurrency, throughput and latency", "[performance]") {
  const Json r =
      run_json({{"model", "llama-3.1-70b"}, {"gpu", "h200-sxm"}, {"gpus", 4}, {"concurrency", 32}});
  CHECK(number(r, "requests_per_second") * number(r, "e2e_latency_seconds") ==
        Approx(32).epsilon(1e-9));
  // e2e = ttft + (output - 1) x tpot
  CHECK(number(r, "e2e_latency_seconds") ==
        Approx(number(r, "ttft_seconds") + 499 * number(r, "tpot_seconds")).epsilon(1e-9));
}

TEST_CASE("performance: requests beyond the batch cap wait in the queue", "[performance]") {
  const Json base{{"model", "llama-3.1-8b"}, {"gpu", "h100-sxm"}, {"max_batch_size", 16}};
  Json at_cap = base;
  at_cap["concurrency"] = 16;
  Json double_cap = base;
  double_cap["concurrency"] = 32;
  const Json a = run_json(at_cap);
  const Json b = run_json(double_cap);
  // Same running batch, same throughput; twice the requests in flight wait twice as long.
  CHECK(number(b, "output_tokens_per_second") == Approx(number(a, "output_tokens_per_second")));
  CHECK(number(b, "e2e_latency_seconds") == Approx(2 * number(a, "e2e_latency_seconds")));
}

TEST_CASE("performance: a light arrival rate behaves like one request at a time", "[performance]") {
  const Json base{{"model", "llama-3.1-8b"},
                  {"gpu", "h100-sxm"},
                  {"input_tokens", 500},
                  {"output_tokens", 200}};
  Json rate = base;
  rate["request_rate_per_s"] = 0.01;
  Json single = base;
  single["concurrency"] = 1;
  const Json light = run_json(rate);
  // 0.01 req/s x ~1 s latency: ~1% of the time busy.
  CHECK(number(light, "concurrency") < 0.05);
  CHECK(number(light, "tpot_seconds") ==
        Approx(number(run_json(single), "tpot_seconds")).epsilon(0.01));
}

TEST_CASE("performance: a heavier arrival rate raises latency", "[performance]") {
  auto tpot_at = [](double rate) {
    return number(
        run_json({{"model", "llama-3.1-8b"}, {"gpu", "h100-sxm"}, {"request_rate_per_s", rate}}),
        "tpot_seconds");
  };
  CHECK(tpot_at(5) > tpot_at(0.1));
}

TEST_CASE("cost: input and output prices recompose the hourly bill", "[cost]") {
  const Json r = run_json({{"model", "qwen2.5-72b"}, {"gpu", "mi300x"}, {"usd_per_gpu_hour", 2.5}});
  // input/s x $/M input + output/s x $/M output = $/s of the deployment.
  const double usd_per_s =
      number(r, "input_tokens_per_second") * number(r, "usd_per_million_input_tokens") / 1e6 +
      number(r, "output_tokens_per_second") * number(r, "usd_per_million_output_tokens") / 1e6;
  CHECK(usd_per_s == Approx(2.5 / 3600).epsilon(1e-9));
  // All tokens together: $/s over (input + output) tokens/s.
  CHECK(number(r, "usd_per_million_tokens") ==
        Approx(2.5 / 3600 /
               (number(r, "input_tokens_per_second") + number(r, "output_tokens_per_second")) * 1e6)
            .epsilon(1e-9));
  CHECK(number(r, "usd_per_hour") == 2.5);
}

TEST_CASE("cost: energy per output token at rated power", "[cost]") {
  // h100-sxm: 700 W TDP; two GPUs draw 1,400 J/s shared by the output tokens.
  const Json r = run_json({{"model", "llama-3.1-8b"}, {"gpu", "h100-sxm"}, {"gpus", 2}});
  CHECK(number(r, "joules_per_output_token") ==
        Approx(1400.0 / number(r, "output_tokens_per_second")).epsilon(1e-12));
}

TEST_CASE("cost: the price defaults to the catalog's reference price", "[cost]") {
  const Json r = run_json({{"model", "llama-3.1-8b"}, {"gpu", "h100-sxm"}});
  CHECK(number(r["scenario"], "usd_per_gpu_hour") ==
        *embedded_catalog().find_gpu("h100-sxm")->reference_usd_per_hour);
}

}  // namespace
}  // namespace pertoken::test
