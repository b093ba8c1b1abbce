// Model mechanisms of issue 3, each against a hand derivation: MoE expert reads, speculative
// decoding, expert/attention data parallelism, KV layouts, pipelines, batching, prefix caching.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <catch2/catch.hpp>

#include "model/step_time.hpp"
#include "pertoken/model/engine_profile.hpp"
#include "pertoken/serving/estimate.hpp"
#include "pertoken/text/result_words.hpp"
#include "pertoken/validation/validation.hpp"
#include "serving/serving.hpp"
#include "test_support.hpp"

namespace pertoken::test {
namespace {

// The calibration rows a shipped profile names (fitted_on), in its order.
std::vector<Measurement> rows_fitted_on(const EngineProfile& profile) {
  static const Result<std::vector<Measurement>> rows =
      parse_measurements_csv(*shipped_measurements_csv("calibration"));
  std::vector<Measurement> found;
  if (!rows.ok()) return found;
  for (const std::string& id : profile.fitted_on) {
    for (const Measurement& m : rows.value())
      if (m.id == id) found.push_back(m);
  }
  return found;
}

// Whether any of a result's notes says `text`.
bool mentions(const std::vector<std::string>& notes, std::string_view text) {
  return std::any_of(notes.begin(), notes.end(),
                     [&](const std::string& note) { return note.find(text) != std::string::npos; });
}

double number(const Json& j, const char* key) { return j.at(key).get<double>(); }

TEST_CASE("mechanism: distinct experts a batch touches", "[mechanism][moe]") {
  // E = 8, k = 2 (Mixtral). One token touches exactly its k experts.
  CHECK(detail::expected_experts_touched(8, 2, 1) == Approx(2.0));
  // Two tokens: 8 x (1 - (6/8)^2) = 8 x 0.4375 = 3.5.
  CHECK(detail::expected_experts_touched(8, 2, 2) == Approx(3.5));
  // A large batch touches them all: 8 x (1 - 0.75^1000) = 8.
  CHECK(detail::expected_experts_touched(8, 2, 1000) == Approx(8.0));
  // DeepSeek-V3, 256 experts, top-8, 32 tokens: 256 x (1 - (248/256)^32) = 163.35.
  CHECK(detail::expected_experts_touched(256, 8, 32) ==
        Approx(256 * (1 - std::pow(248.0 / 256, 32))));
}

TEST_CASE("mechanism: a batch-1 MoE decode step reads only the experts it routes to",
          "[mechanism][moe]") {
  // Mixtral 8x7B bf16 on one H200: per layer attention q,o 2 x 4096^2 + k,v 2 x 4096 x 1024 =
  // 41,943,040; router 4096 x 8 = 32,768; experts 3 x 4096 x 14336 = 176,160,768 each, 2 read.
  // 32 layers x 394,297,344 + LM head 32,000 x 4096 = 12,748,587,008 parameters = 25,497,174,016 B.
  const Json r = run_json({{"model", "mixtral-8x7b"},
                           {"gpu", "h200-sxm"},
                           {"concurrency", 1},
                           {"input_tokens", 100},
                           {"output_tokens", 400}});
  const double bandwidth = 4.8e12 * default_efficiency().memory_bandwidth_fraction;
  CHECK(number(r["breakdown"]["decode_step"], "weight_reads_seconds") * bandwidth ==
        Approx(25497174016.0).epsilon(1e-9));
}

TEST_CASE("mechanism: speculative decoding's expected tokens per step",
          "[mechanism][speculative]") {
  // (1 - a^(k+1)) / (1 - a): a = 0 gives only the target's own token; a -> 1 gives k + 1.
  CHECK(detail::expected_tokens_per_step(4, 0.0) == Approx(1.0));
  CHECK(detail::expected_tokens_per_step(4, 1.0) == Approx(5.0));
  CHECK(detail::expected_tokens_per_step(4, 0.999999) == Approx(5.0).epsilon(1e-5));
  // a = 0.5, k = 4: (1 - 1/32) / 0.5 = 1.9375.
  CHECK(detail::expected_tokens_per_step(4, 0.5) == Approx(1.9375));
  CHECK(detail::expected_tokens_per_step(0, 0.9) == Approx(1.0));
}

Json speculative(const char* method, double acceptance, int concurrency, int draft_tokens = 4) {
  return {{"model", "llama-3.1-70b"},
          {"gpu", "h100-sxm"},
          {"gpus", 4},
          {"concurrency", concurrency},
          {"input_tokens", 1000},
          {"output_tokens", 500},
          {"speculative", method},
          {"draft_tokens", draft_tokens},
          {"acceptance_rate", acceptance}};
}

TEST_CASE("mechanism: speculation helps at batch 1 and its gain shrinks as the batch grows",
          "[mechanism][speculative]") {
  auto tpot = [](const Json& fields) { return number(run_json(fields), "tpot_seconds"); };
  Json plain{{"model", "llama-3.1-70b"},
             {"gpu", "h100-sxm"},
             {"gpus", 4},
             {"input_tokens", 1000},
             {"output_tokens", 500}};
  plain["concurrency"] = 1;
  const double gain_at_1 = tpot(plain) / tpot(speculative("ngram", 0.7, 1));
  // 512 requests of 200 + 500 tokens all fit in memory (with 1,000-token prompts only ~340 do),
  // so every step verifies 512 x 5 positions.
  plain["concurrency"] = 512;
  plain["max_batch_size"] = 4096;
  plain["input_tokens"] = 200;
  Json busy = speculative("ngram", 0.7, 512);
  busy["max_batch_size"] = 4096;
  busy["input_tokens"] = 200;
  const double gain_at_512 = tpot(plain) / tpot(busy);
  CHECK(gain_at_1 > 1.5);  // memory-bound: verifying 5 positions costs about one step
  CHECK(gain_at_512 < gain_at_1);
  CHECK(gain_at_512 < 1.0);  // compute-bound: the 5-fold verification costs more than it yields
}

TEST_CASE("property: more acceptance is never slower at batch 1", "[mechanism][speculative]") {
  for (const char* method : {"mtp", "eagle", "medusa", "ngram", "draft:llama-3.1-8b"}) {
    double previous = 1e9;
    for (double a : {0.0, 0.2, 0.4, 0.6, 0.8, 0.95, 1.0}) {
      const double t = number(run_json(speculative(method, a, 1)), "tpot_seconds");
      INFO(method << " at acceptance " << a);
      CHECK(t <= previous);
      previous = t;
    }
  }
}

TEST_CASE("property: a costlier draft is never faster", "[mechanism][speculative]") {
  // The same acceptance and draft length; the 70B draft costs more per proposal than the 8B.
  Json small = speculative("draft:llama-3.1-8b", 0.7, 1);
  Json large = speculative("draft:llama-3.1-70b", 0.7, 1);
  small["model"] = large["model"] = "llama-3.1-405b";
  small["gpu"] = large["gpu"] = "b200";
  small["gpus"] = large["gpus"] = 8;
  small["weights"] = large["weights"] = "fp8";
  CHECK(number(run_json(large), "tpot_seconds") >= number(run_json(small), "tpot_seconds"));
  // With nothing accepted, drafting more tokens only costs.
  CHECK(number(run_json(speculative("eagle", 0.0, 1, 8)), "tpot_seconds") >=
        number(run_json(speculative("eagle", 0.0, 1, 2)), "tpot_seconds"));
}

TEST_CASE("mechanism: speculative inputs are checked", "[mechanism][speculative][errors]") {
  Diagnostic d = scenario_error(speculative("mtp", 1.5, 1).dump());
  CHECK(d.code == ErrorCode::out_of_range);
  CHECK(d.json_path == "/acceptance_rate");
  d = scenario_error(speculative("mtp", -0.1, 1).dump());
  CHECK(d.code == ErrorCode::out_of_range);
  Json range = speculative("mtp", 0.5, 1);
  range["acceptance_rate"] = Json::array({0.9, 0.6});  // low > high
  CHECK(scenario_error(range.dump()).code == ErrorCode::out_of_range);
  // Llama 2 7B's 32,000-token vocabulary cannot draft for Llama 3.1's 128,256.
  d = scenario_error(speculative("draft:llama-2-7b", 0.7, 1).dump());
  CHECK(d.code == ErrorCode::inconsistent);
  CHECK(d.json_path == "/speculative");
  CHECK(d.message.find("different vocabulary") != std::string::npos);
  d = scenario_error(speculative("lookahead", 0.7, 1).dump());
  CHECK(d.code == ErrorCode::invalid_value);
}

TEST_CASE("mechanism: a stated acceptance range widens the throughput band",
          "[mechanism][uncertainty]") {
  Json point = speculative("eagle", 0.7, 1);
  Json range = speculative("eagle", 0.7, 1);
  range["acceptance_rate"] = Json::array({0.5, 0.9});
  const Json a = run_json(point)["uncertainty"]["output_tokens_per_second"];
  const Json b = run_json(range)["uncertainty"]["output_tokens_per_second"];
  CHECK(b[0].get<double>() < a[0].get<double>());
  CHECK(b[1].get<double>() > a[1].get<double>());
}

TEST_CASE("mechanism: DeepSeek-R1 with attention-DP + expert-parallel on 8 GPUs",
          "[mechanism][moe]") {
  // tp 1, ep 8: every GPU holds all non-expert weights and 256/8 = 32 experts of each MoE layer.
  // MLA per layer: q 7168x1536 + 1536x128x192 + kv 7168x576 + 512x128x256 + o 128x128x7168
  // = 187,105,280; x 61 layers + 3 dense FFNs 3x7168x18432 + 58 x (shared expert 3x7168x2048 +
  // router 7168x256) = 15,263,268,864 at fp8 (1 B); experts 58 x 32 x 44,040,192 = 81,738,596,352
  // at fp8; embedding and LM head 2 x 129,280 x 7168 at bf16 = 3,706,716,160 B.
  // Total 100,708,581,376 B per GPU.
  const Json r = run_json({{"model", "deepseek-r1"},
                           {"gpu", "h200-sxm"},
                           {"gpus", 8},
                           {"tp", 1},
                           {"ep", 8},
                           {"input_tokens", 1000},
                           {"output_tokens", 1000}});
  CHECK(number(r, "weights_bytes_per_gpu") == 100708581376.0);
  // Each rank caches the whole MLA latent of its own requests: (512 + 64) x 61 x 2 B.
  CHECK(number(r["memory"], "kv_cache_bytes_per_token_per_gpu") == 70272.0);
  // 8 attention ranks each run their own batch.
  CHECK(static_cast<long long>(number(r, "max_concurrency")) % 8 == 0);
}

TEST_CASE("mechanism: attention data-parallel ranks meet at every MoE layer", "[mechanism][moe]") {
  // A step lasts as long as its slowest rank's: the share of steps in which at least one rank
  // carries prompt work, one rank busy a share a and n more each a share b of the steps, is
  // 1 - (1 - a)(1 - b)^n. Two ranks at a half: 0.75; 0.2 beside three at 0.1: 1 - 0.8 x 0.729.
  CHECK(detail::share_with_any_rank(0.5, 0.5, 1) == Approx(0.75));
  CHECK(detail::share_with_any_rank(0.2, 0.1, 3) == Approx(1 - 0.8 * 0.729));
  CHECK(detail::share_with_any_rank(0.3, 0.0, 7) == Approx(0.3));

  // One request on DeepSeek-R1 with tp 1, ep 8 (H200, fp8): the other seven ranks are idle, so
  // the experts see its one token: top-8 of 256, one expert per GPU per MoE layer on average.
  // Weights read per decode step per GPU: non-expert 15,263,268,864 B (the DEP test above) + LM
  // head 129,280 x 7,168 x 2 B = 1,853,358,080 + 58 MoE layers x 1 expert x 44,040,192 B =
  // 19,670,958,080 B. (Were every rank carrying a token, 8 tokens would touch
  // 256 x (1 - (248/256)^8) = 57.4 experts, 7.2 per GPU: 35.45 GB.)
  const Json lone = run_json({{"model", "deepseek-r1"},
                              {"gpu", "h200-sxm"},
                              {"gpus", 8},
                              {"tp", 1},
                              {"ep", 8},
                              {"concurrency", 1},
                              {"input_tokens", 1000},
                              {"output_tokens", 1000}});
  const double bandwidth = 4.8e12 * default_efficiency().memory_bandwidth_fraction;
  CHECK(number(lone["breakdown"]["decode_step"], "weight_reads_seconds") * bandwidth ==
        Approx(19670958080.0).epsilon(1e-9));

  // A prompt chunk on any rank holds every rank's decode step. gpt-oss-120b under TensorRT-LLM
  // (prompts mixed into decode steps) at 64 requests per rank, 2,000-token prompts against
  // 1-token ones: per rank a prompt lands in ~64 of every ~1,000 steps, so with 2 ranks about
  // 1 - 0.94 x 0.94 = 12% of the steps carry one somewhere, with 8 ranks about 1 - 0.94^8 = 40%:
  // what prompts add to the time per output token is over twice as large with 8 ranks (one rank's
  // own prompts alone would make it about equal).
  auto prompt_cost_s = [](int ranks) {
    auto tpot = [&](int input_tokens) {
      return number(run_json({{"model", "gpt-oss-120b"},
                              {"gpu", "h200-sxm"},
                              {"gpus", ranks},
                              {"tp", 1},
                              {"ep", ranks},
                              {"engine", "tensorrt-llm"},
                              {"concurrency", 64 * ranks},
                              {"input_tokens", input_tokens},
                              {"output_tokens", 1000}}),
                    "tpot_seconds");
    };
    return tpot(2000) - tpot(1);
  };
  CHECK(prompt_cost_s(8) > 2.0 * prompt_cost_s(2));
}

TEST_CASE("mechanism: contiguous KV reserves the whole context, paged only what is used",
          "[mechanism][memory]") {
  Json fields{{"model", "llama-3.1-8b"},
              {"gpu", "h100-sxm"},
              {"input_tokens", 1000},
              {"output_tokens", 1000},
              {"max_batch_size", 100000}};
  const Json paged = run_json(fields);
  fields["kv_layout"] = "contiguous";
  const Json contiguous = run_json(fields);
  const double pool = number(paged["memory"], "kv_cache_pool_bytes");
  // Paged: 2,000 tokens (125 blocks of 16) x 131,072 B; contiguous: 131,072 tokens x 131,072 B.
  CHECK(number(paged, "max_concurrency") == std::floor(pool / (2000.0 * 131072.0)));
  CHECK(number(contiguous, "max_concurrency") == std::floor(pool / (131072.0 * 131072.0)));
  CHECK(number(contiguous, "max_concurrency") < number(paged, "max_concurrency"));
}

TEST_CASE("mechanism: a pipeline with one request in flight is as slow as its stages in a row",
          "[mechanism][parallelism]") {
  const Json one{{"model", "llama-3.1-70b"}, {"gpu", "h100-sxm"},   {"gpus", 4},
                 {"concurrency", 1},         {"input_tokens", 500}, {"output_tokens", 200}};
  Json pipeline = one;
  pipeline["pp"] = 4;
  pipeline["tp"] = 1;
  // pp 4 splits the weights like tp 4 does, but one token still crosses all four stages in turn:
  // no faster than one GPU reading a quarter of the weights four times, and nowhere near 4x.
  const double tp4 = number(run_json(one), "tpot_seconds");
  const double pp4 = number(run_json(pipeline), "tpot_seconds");
  CHECK(pp4 > 0.8 * tp4);
  // With 64 requests the four stages work on four micro-batches at once.
  pipeline["concurrency"] = 64;
  Json single = pipeline;
  single["concurrency"] = 1;
  CHECK(number(run_json(pipeline), "output_tokens_per_second") >
        20 * number(run_json(single), "output_tokens_per_second"));
}

TEST_CASE("mechanism: static batches wait for the whole batch's prefill", "[mechanism][batching]") {
  Json fields{{"model", "llama-3.1-8b"},
              {"gpu", "h100-sxm"},
              {"concurrency", 64},
              {"input_tokens", 2000},
              {"output_tokens", 500}};
  const Json continuous = run_json(fields);
  fields["batching"] = "static";
  const Json fixed = run_json(fields);
  // 64 prompts of 2,000 tokens: 2 x 6.98e9 x 128,000 = 1.79e15 FLOPs, at least 1.8 s at the
  // H100's 989 TFLOP/s before any first token.
  CHECK(number(fixed, "ttft_seconds") > 1.8);
  CHECK(number(fixed, "ttft_seconds") > 10 * number(continuous, "ttft_seconds"));
  CHECK(number(fixed, "requests_per_second") * number(fixed, "e2e_latency_seconds") == Approx(64));
}

TEST_CASE("mechanism: prefix caching cuts prefill work, TTFT and the input price", "[mechanism]") {
  Json fields{{"model", "llama-3.1-70b"}, {"gpu", "h200-sxm"},    {"gpus", 2},
              {"concurrency", 16},        {"input_tokens", 4000}, {"output_tokens", 200}};
  const Json cold = run_json(fields);
  fields["prefix_cache_hit_rate"] = 0.75;
  const Json warm = run_json(fields);
  CHECK(number(warm, "ttft_seconds") < 0.5 * number(cold, "ttft_seconds"));
  CHECK(number(warm, "usd_per_million_input_tokens") <
        0.5 * number(cold, "usd_per_million_input_tokens"));
  CHECK(number(warm["breakdown"]["prefill"], "prefill_tokens") == Approx(1000.0));
}

TEST_CASE("mechanism: prefills without chunking stall the other requests' decoding",
          "[mechanism][batching]") {
  Json fields{{"model", "llama-3.1-8b"}, {"gpu", "h100-sxm"},    {"concurrency", 128},
              {"input_tokens", 8000},    {"output_tokens", 100}, {"max_num_tokens", 2048}};
  const Json chunked = run_json(fields);
  fields["chunked_prefill"] = false;
  const Json whole = run_json(fields);
  CHECK(number(whole, "tpot_seconds") > number(chunked, "tpot_seconds"));
}

TEST_CASE("mechanism: a prompt waits behind the prompts that arrived before it",
          "[mechanism][batching]") {
  // Llama 3.1 70B on 4 H100s, 8,000-token prompts, 200 output tokens, 32 requests in flight.
  // A prompt's compute is at least its linear-layer FLOPs at peak: per layer q,o 2 x 8192^2 +
  // k,v 2 x 8192 x 1024 + MLP 3 x 8192 x 28672 = 855,638,016 parameters, x 80 layers =
  // 68,451,041,280; S >= 2 x 68,451,041,280 x 8,000 / (4 x 989.4e12) = 0.2768 s. The other 31
  // requests bring S each per lifetime T (the request's end-to-end latency), so the prompt server
  // is busy rho >= 31 S / T and a random arrival waits rho S / (2 (1 - rho)) >= 31 S^2 / (2 T)
  // (M/D/1). Alone, a request waits for nothing: its first token is the overhead plus its prefill.
  Json fields{{"model", "llama-3.1-70b"}, {"gpu", "h100-sxm"},    {"gpus", 4},
              {"input_tokens", 8000},     {"output_tokens", 200}, {"concurrency", 1}};
  const Json alone = run_json(fields);
  CHECK(number(alone, "ttft_seconds") ==
        Approx(number(alone["breakdown"]["prefill"], "total_seconds") +
               default_efficiency().request_overhead_s)
            .margin(1e-3));  // the engine profile's overhead differs by microseconds
  fields["concurrency"] = 32;
  const Json busy = run_json(fields);
  const double s_min = 2.0 * 68451041280.0 * 8000 / (4 * 989.4e12);
  const double lifetime = number(busy, "e2e_latency_seconds");
  CHECK(number(busy, "ttft_seconds") - number(alone, "ttft_seconds") >=
        31 * s_min * s_min / (2 * lifetime));
  // The wait moves time from the decode steps to the first token; the lifetime still adds up.
  CHECK(number(busy, "e2e_latency_seconds") ==
        Approx(number(busy, "ttft_seconds") + 199 * number(busy, "tpot_seconds")));
}

TEST_CASE("mechanism: a benchmark run's first wave queues its prompts behind each other",
          "[mechanism][batching]") {
  // Llama 3.1 70B on 4 H100s, 8,000-token prompts, 200 output tokens, 32 in flight. In a run of
  // 64 requests the first 32 arrive at once; the k-th starts its prompt after the k - 1 before it,
  // each taking S (the prompt's compute in a full 8,192-token step; alone, the 8,000-token prompt
  // runs in one step of its own, so S is its prefill to within the 192 tokens: 3%). The wave waits
  // (32 - 1) / 2 x S on average instead of the steady state's own wait q (ttft - overhead -
  // prefill), and the wave is 32 of the 64 requests: the run's mean ttft adds
  // 32 / 64 x (15.5 S - q). A prompt's compute is at least its linear-layer FLOPs at peak, S >=
  // 0.2768 s (see the test above), so the added wait is at least 0.5 x (15.5 x 0.2768 - q).
  Json fields{{"model", "llama-3.1-70b"}, {"gpu", "h100-sxm"},    {"gpus", 4},
              {"input_tokens", 8000},     {"output_tokens", 200}, {"concurrency", 1}};
  const double prompt_s = number(run_json(fields)["breakdown"]["prefill"], "total_seconds");
  fields["concurrency"] = 32;
  const Json steady = run_json(fields);
  const double steady_wait_s = number(steady, "ttft_seconds") -
                               default_efficiency().request_overhead_s -
                               number(steady["breakdown"]["prefill"], "total_seconds");
  fields["num_prompts"] = 64;
  const Json run = run_json(fields);
  const double added_s = number(run, "ttft_seconds") - number(steady, "ttft_seconds");
  CHECK(added_s == Approx(32.0 / 64 * (15.5 * prompt_s - steady_wait_s)).epsilon(0.04));
  CHECK(added_s >= 0.5 * (15.5 * 0.2768 - steady_wait_s));
  CHECK(number(run["breakdown"]["benchmark_run"], "first_wave_wait_seconds") ==
        Approx(added_s).margin(1e-9));
  CHECK(number(run["breakdown"]["benchmark_run"], "first_wave_requests") == 32);
  // The wait lands before the first token: the request's lifetime grows by it, its decoding does
  // not change, and neither does the steady state's throughput (the run's ends are not modelled).
  CHECK(number(run, "e2e_latency_seconds") - number(steady, "e2e_latency_seconds") ==
        Approx(added_s));
  CHECK(number(run, "tpot_seconds") == number(steady, "tpot_seconds"));
  CHECK(number(run, "output_tokens_per_second") == number(steady, "output_tokens_per_second"));
  CHECK(mentions(run["notes"].get<std::vector<std::string>>(), "mean over a run of 64 requests"));
  // Twice the requests after the same first wave: half the added mean.
  fields["num_prompts"] = 128;
  CHECK(number(run_json(fields), "ttft_seconds") - number(steady, "ttft_seconds") ==
        Approx(added_s / 2));
  // A run no longer than the concurrency is one wave of its own size: 16 requests wait 7.5 S.
  fields["num_prompts"] = 16;
  CHECK(number(run_json(fields), "ttft_seconds") - number(steady, "ttft_seconds") ==
        Approx(7.5 * prompt_s - steady_wait_s).epsilon(0.04));

  // A separate prefill pool (4 more H100s, one tp-4 group for the one decode group) takes the
  // wave's prompts one after another just the same: 4 requests wait 1.5 pool prompts each on
  // average, beyond the pool's own steady wait (at 4 in flight the pool is about half busy).
  Json pooled{{"model", "llama-3.1-70b"}, {"gpu", "h100-sxm"},    {"gpus", 4},
              {"prefill_gpus", 4},        {"input_tokens", 8000}, {"output_tokens", 200},
              {"concurrency", 4}};
  const Json pool_steady = run_json(pooled);
  const Json& pool = pool_steady["breakdown"]["disaggregated"];
  pooled["num_prompts"] = 4;
  CHECK(number(run_json(pooled), "ttft_seconds") - number(pool_steady, "ttft_seconds") ==
        Approx(1.5 * number(pool, "prefill_seconds") - number(pool, "prefill_wait_seconds"))
            .epsilon(0.04));

  // Where the run's start does not burst, the field is refused, not ignored.
  Json rate = fields;
  rate.erase("concurrency");
  rate["request_rate_per_s"] = 2;
  Diagnostic d = scenario_error(rate.dump());
  CHECK(d.code == ErrorCode::inconsistent);
  CHECK(d.json_path == "/num_prompts");
  Json batches = fields;
  batches["batching"] = "static";
  d = scenario_error(batches.dump());
  CHECK(d.json_path == "/num_prompts");
  CHECK(d.message.find("static batches") != std::string::npos);

  // The validation sets write a run as "N (P prompts)" in their concurrency column.
  Measurement m;
  m.model = "llama-3.1-70b";
  m.concurrency = "64 (128 prompts)";
  Json j = Json::parse(measurement_scenario_json(m));
  CHECK(j["concurrency"] == 64);
  CHECK(j["num_prompts"] == 128);
  m.concurrency = "max (500 prompts)";
  j = Json::parse(measurement_scenario_json(m));
  CHECK(j["concurrency"] == "max");
  CHECK(j["num_prompts"] == 500);
  m.concurrency = "low-load (2 req/s)";
  j = Json::parse(measurement_scenario_json(m));
  CHECK(j["request_rate_per_s"] == 2);
  CHECK(!j.contains("num_prompts"));
}

TEST_CASE("mechanism: a finite run's requests beyond the running batch wait for slots",
          "[mechanism][batching]") {
  // Llama 3.1 8B on one H100 with the engine held to 4 running requests (max_batch_size), so a
  // run sending more waits for slots that free one lifetime L at a time. With equal requests,
  // request k starts at floor((k - 1) / 4) L. Sent all at once, 20 requests wait
  // 4 x (0 + 1 + 2 + 3 + 4) L / 20 = 2 L on average, beyond what a run of 20 at a client cap of 4
  // waits (the same first wave, the same steady state of 4 running).
  Json fields{{"model", "llama-3.1-8b"}, {"gpu", "h100-sxm"},   {"input_tokens", 1000},
              {"output_tokens", 100},    {"max_batch_size", 4}, {"concurrency", 4}};
  const double lifetime_s = number(run_json(fields), "e2e_latency_seconds");
  fields["num_prompts"] = 20;
  const Json capped = run_json(fields);
  fields["concurrency"] = "max";
  const Json at_once = run_json(fields);
  CHECK(number(at_once, "ttft_seconds") - number(capped, "ttft_seconds") == Approx(2 * lifetime_s));
  CHECK(number(at_once, "concurrency") == 20);
  CHECK(number(at_once, "tpot_seconds") == number(capped, "tpot_seconds"));
  // A client cap of 8 (enumerated by hand: requests 5-20 each wait one lifetime, 16 L over 20).
  fields["concurrency"] = 8;
  CHECK(number(run_json(fields), "ttft_seconds") - number(capped, "ttft_seconds") ==
        Approx(0.8 * lifetime_s));
  // A long run at a cap of 8 tends to Little's law's steady wait, L (8 / 4 - 1): 0.998 L at 2,000.
  fields["num_prompts"] = 2000;
  Json steady = fields;
  steady.erase("num_prompts");
  fields["concurrency"] = 4;
  const double capped_long = number(run_json(fields), "ttft_seconds");
  fields["concurrency"] = 8;
  CHECK(number(run_json(fields), "ttft_seconds") - capped_long == Approx(0.998 * lifetime_s));
  CHECK(number(run_json(steady), "ttft_seconds") - capped_long == Approx(lifetime_s).epsilon(0.01));
  // Sent at once but fewer than the engine runs: the run holds its 2 requests, not as many as fit.
  fields["concurrency"] = "max";
  fields["num_prompts"] = 2;
  fields["max_batch_size"] = 64;
  Json two = fields;
  two["concurrency"] = 2;
  CHECK(number(run_json(fields), "concurrency") == 2);
  CHECK(run_json(fields)["limit_detail"] == "the run's 2 requests, sent at once, all fit");
  CHECK(number(run_json(fields), "output_tokens_per_second") ==
        Approx(number(run_json(two), "output_tokens_per_second")));
  // A client cap above the run's prompt count cannot put more in flight than the run has: 2
  // prompts at a cap of 8 run 2, as sent at once, not the 8 the cap would allow.
  fields["concurrency"] = 8;
  const Json capped_above = run_json(fields);
  CHECK(number(capped_above, "concurrency") == 2);
  CHECK(number(capped_above, "running_concurrency") == 2);
  CHECK(capped_above["limit_detail"] == "the run's 2 requests, sent at once, all fit");
  CHECK(number(capped_above, "tpot_seconds") == Approx(number(run_json(two), "tpot_seconds")));
  // Both arrive in the first wave, so the note says all of them queue, not "the first 2".
  CHECK(mentions(capped_above["notes"].get<std::vector<std::string>>(),
                 "a run of 2 requests, all sent at once; all 2 queue for the prompts ahead"));
  // One prompt: no queue ahead of it, and the note says so in the singular.
  fields["num_prompts"] = 1;
  const Json one = run_json(fields);
  CHECK(one["limit_detail"] == "the run's 1 request fits");
  CHECK(mentions(one["notes"].get<std::vector<std::string>>(),
                 "mean over a run of 1 request, all sent at once; throughput"));
}

TEST_CASE("mechanism: the reported decode step carries every running request", "[mechanism]") {
  // 64 requests of 2,000 + 500 tokens: every step decodes those past their prompt, 63 + 1 minus
  // the share still in prefill (1 of 500 steps each), and carries prompt chunks on the side.
  const Json r = run_json({{"model", "llama-3.1-8b"}, {"gpu", "h100-sxm"}, {"concurrency", 64}});
  const Json& step = r["breakdown"]["decode_step"];
  CHECK(number(step, "decode_tokens") == Approx(64.0).epsilon(0.01));
  CHECK(number(step, "prefill_tokens") > 0);
  CHECK(number(r["breakdown"]["prefill"], "prefill_tokens") == Approx(2000.0));
}

TEST_CASE("mechanism: every headline output carries a P10-P90 band around it",
          "[mechanism][uncertainty]") {
  const Json r = run_json({{"model", "llama-3.1-70b"}, {"gpu", "h100-sxm"}, {"gpus", 4}});
  for (const char* key : {"output_tokens_per_second", "ttft_seconds", "tpot_seconds",
                          "usd_per_million_tokens", "usd_per_million_input_tokens",
                          "usd_per_million_output_tokens", "tokens_per_second_per_user"}) {
    INFO(key);
    const Json& band = r["uncertainty"][key];
    REQUIRE(band.is_array());
    CHECK(band[0].get<double>() < band[1].get<double>());
    CHECK(band[0].get<double>() > 0);
    // The band contains the estimate itself.
    CHECK(band[0].get<double>() <= number(r, key));
    CHECK(number(r, key) <= band[1].get<double>());
  }
  CHECK(r["uncertainty_basis"]["throughput_regime_rows"].get<int>() >= 5);
}

TEST_CASE("mechanism: time to first token is banded by load, then by model family",
          "[mechanism][uncertainty]") {
  const Json bands = Json::parse(residual_bands_json());
  // A dense model with one request in flight, then 32, under TensorRT-LLM and vLLM; and a MoE
  // model under vLLM. The order: load, family and engine; else load and family; else load.
  struct Case {
    Json fields;
    const char* key;
  };
  const Json dense = {{"model", "llama-3.1-70b"}, {"gpu", "h100-sxm"}, {"gpus", 4}};
  const Json moe = {{"model", "gpt-oss-120b"}, {"gpu", "h100-sxm"}, {"gpus", 2}};
  auto with = [&](const Json& base, Json extra) {
    Json f = base;
    f.update(extra);
    return f;
  };
  // Every dense lone-request TTFT row is TensorRT-LLM's, so its engine group would repeat the
  // family's and is not kept; vLLM has no dense lone-request row at all.
  CHECK_FALSE(bands.contains("ttft/alone/dense@tensorrt-llm"));
  for (const Case& c :
       {Case{with(dense, {{"concurrency", 1}}), "ttft/alone/dense"},
        Case{with(dense, {{"concurrency", 32}}), "ttft/loaded/dense@tensorrt-llm"},
        Case{with(dense, {{"concurrency", 1}, {"engine", "vllm"}}), "ttft/alone/dense"},
        Case{with(dense, {{"concurrency", 32}, {"engine", "vllm"}}), "ttft/loaded/dense@vllm"},
        Case{with(moe, {{"concurrency", 32}, {"engine", "vllm"}}), "ttft/loaded/moe@vllm"}}) {
    INFO(c.key);
    const Json r = run_json(c.fields);
    REQUIRE(bands.contains(c.key));
    CHECK(r["uncertainty_basis"]["ttft_regime"] == c.key);
    CHECK(r["uncertainty_basis"]["ttft_regime_rows"] == bands[c.key][2]);
    // The band is the estimate scaled by that key's P10 and P90, widened to contain the estimate.
    const double ttft = number(r, "ttft_seconds");
    const double p10 = bands[c.key][0].get<double>();
    const double p90 = bands[c.key][1].get<double>();
    CHECK(r["uncertainty"]["ttft_seconds"][0].get<double>() == Approx(std::min(1.0, p10) * ttft));
    CHECK(r["uncertainty"]["ttft_seconds"][1].get<double>() == Approx(std::max(1.0, p90) * ttft));
  }
  // The two loads split the TTFT rows between them, and each load's rows split by family.
  CHECK(bands["ttft/alone"][2].get<int>() + bands["ttft/loaded"][2].get<int>() ==
        bands["ttft"][2].get<int>());
  for (const char* load : {"ttft/alone", "ttft/loaded"}) {
    INFO(load);
    CHECK(bands[std::string(load) + "/dense"][2].get<int>() +
              bands[std::string(load) + "/moe"][2].get<int>() ==
          bands[load][2].get<int>());
  }
}

TEST_CASE("mechanism: a band that runs one way from the estimate says so, with its regime's ratios",
          "[mechanism][uncertainty]") {
  const Json bands = Json::parse(residual_bands_json());
  int one_sided = 0;
  int two_sided = 0;
  // The sentence every door shows beside the figures: which regime, how many runs, which side.
  auto check = [&](const Json& r, const std::string& figures, const char* output,
                   const std::string& key) {
    INFO(figures << " " << key);
    REQUIRE(bands.contains(key));
    const double p10 = bands[key][0].get<double>();
    const double p90 = bands[key][1].get<double>();
    std::string note;
    for (const Json& n : r["notes"]) {
      const std::string text = n.get<std::string>();
      if (text.rfind(figures + ": its regime's ", 0) == 0) note = text;
    }
    if (p10 <= 1 && p90 >= 1) {
      ++two_sided;
      CHECK(note.empty());
      return;
    }
    ++one_sided;
    // The estimate is an end of its own range, and the note names the regime, its runs, the side
    // and its P10 and P90.
    const double value = number(r, output);
    const Json& band = r["uncertainty"][output];
    CHECK((band[0].get<double>() == value || band[1].get<double>() == value));
    // The ratios as bands.json holds them, shortest form (144, not 144.0).
    char ratios[64];
    std::snprintf(ratios, sizeof ratios, "(measured/predicted %g to %g)", p10, p90);
    CHECK(note.find("(" + key + ")") != std::string::npos);
    CHECK(note.find("its regime's " + std::to_string(bands[key][2].get<int>()) +
                    " published runs") != std::string::npos);
    CHECK(note.find(p10 > 1 ? "came in above" : "came in below") != std::string::npos);
    CHECK(note.find(ratios) != std::string::npos);
  };
  const Json dense = {{"model", "llama-3.1-70b"}, {"gpu", "h100-sxm"}, {"gpus", 4}};
  const Json moe = {{"model", "gpt-oss-120b"}, {"gpu", "h100-sxm"}, {"gpus", 2}};
  for (Json fields : {dense, moe}) {
    for (const char* engine : {"tensorrt-llm", "vllm", "sglang"}) {
      for (int concurrency : {1, 32}) {
        fields["engine"] = engine;
        fields["concurrency"] = concurrency;
        INFO(fields.dump());
        const Json r = run_json(fields);
        const Json& basis = r["uncertainty_basis"];
        check(r, "time to first token", "ttft_seconds", basis["ttft_regime"].get<std::string>());
        check(r, "throughput, cost and energy per token", "output_tokens_per_second",
              basis["throughput_regime"].get<std::string>());
      }
    }
  }
  // Both kinds occur among these (with the shipped measurements: loaded MoE runs under every
  // engine came in slower than the model, a lone dense request faster; most regimes straddle it).
  CHECK(one_sided >= 2);
  CHECK(two_sided > 0);
}

// ---------------------------------------------------------------------------------------------
// Issue 10: mixture-of-experts mechanisms and engine profiles.

TEST_CASE("mechanism: grouped GEMMs pad each active expert to the M tile", "[mechanism][moe]") {
  // Batch-1 DeepSeek decode: 8 pairs on 8 experts, tile 64: 8 x 64 = 512 rows (each expert one
  // tile though it holds one token).
  CHECK(detail::padded_expert_rows(8, 8, 64) == Approx(512.0));
  // 100 sequences x top-8 = 800 pairs over 244 experts (3.3 each <= 32): 244 x 64 = 15,616 rows.
  CHECK(detail::padded_expert_rows(800, 244, 64) == Approx(15616.0));
  // 10,000 pairs over 10 experts (1,000 each): 10,000 + 10 x 32 = 10,320 rows (half a tile each).
  CHECK(detail::padded_expert_rows(10000, 10, 64) == Approx(10320.0));
  // Tile 1 (no padding, the shipped default): the pairs themselves.
  CHECK(detail::padded_expert_rows(800, 244, 1) == Approx(800.0));
}

TEST_CASE("mechanism: the busiest expert-parallel rank sets the step", "[mechanism][moe]") {
  // One rank: nothing to balance.
  CHECK(detail::busiest_rank_load_factor(800, 1, 0.5) == Approx(1.0));
  // 8 pairs on 8 ranks (mean 1), no skew: 1 + sqrt(2 ln 8 / 1) = 1 + sqrt(4.15888) = 3.03933.
  CHECK(detail::busiest_rank_load_factor(8, 8, 0.0) == Approx(3.03933).epsilon(1e-5));
  // 80,000 pairs on 8 ranks (mean 10,000): 1 + sqrt(4.15888 / 10,000) = 1.020393; with 10% skew
  // 1.1 x 1.020393 = 1.122432.
  CHECK(detail::busiest_rank_load_factor(80000, 8, 0.0) == Approx(1.020393).epsilon(1e-5));
  CHECK(detail::busiest_rank_load_factor(80000, 8, 0.1) == Approx(1.122432).epsilon(1e-5));
  // The balanced case is the lower bound, and no rank holds more than every pair (factor 8).
  CHECK(detail::busiest_rank_load_factor(1e12, 8, 0.0) >= 1.0);
  CHECK(detail::busiest_rank_load_factor(0.01, 8, 0.0) == Approx(8.0));
}

TEST_CASE("mechanism: all-to-all pays a message per peer besides its bytes", "[mechanism][moe]") {
  // 8 ranks, 1 MB sent at 100 GB/s, 3 us per message: 7 x 3 us + 10 us = 31 us.
  CHECK(detail::all_to_all_s(1e6, 8, 1e11, 3e-6) == Approx(31e-6));
  // 72 ranks, same bytes: 71 x 3 us + 10 us = 223 us: the fan-out dominates.
  CHECK(detail::all_to_all_s(1e6, 72, 1e11, 3e-6) == Approx(223e-6));
  CHECK(detail::all_to_all_s(1e6, 1, 1e11, 3e-6) == 0.0);
}

TEST_CASE("mechanism: collectives that span scale-up domains cross the network",
          "[mechanism][moe]") {
  // All-reduce of 1.6 MB over 16 GPUs in domains of 8; link 100 GB/s, 10 us per collective,
  // network 40 GB/s, 5 us per network step. Inside each domain a ring: 2 x 7/8 x 1.6e6 / 1e11 +
  // 10 us = 38 us. Across the 2 domains each GPU's 1/8 share (200 kB): 2 x 1/2 x 2e5 / 4e10 = 5 us,
  // and 2 network steps (one doubling) = 10 us. 53 us in all.
  CHECK(detail::hierarchical_all_reduce_s(1.6e6, 16, 8, 1e11, 10e-6, 4e10, 5e-6) == Approx(53e-6));
  // 4 domains: 2 x 3/4 x 2e5 / 4e10 = 7.5 us and 2 x 2 steps = 20 us: 38 + 7.5 + 20 = 65.5 us.
  CHECK(detail::hierarchical_all_reduce_s(1.6e6, 32, 8, 1e11, 10e-6, 4e10, 5e-6) ==
        Approx(65.5e-6));
  // Inside one domain, or with the domain unknown (0), the plain ring: 38 us; 16 GPUs: 2 x 15/16
  // x 16 us + 10 us = 40 us.
  CHECK(detail::hierarchical_all_reduce_s(1.6e6, 8, 8, 1e11, 10e-6, 4e10, 5e-6) == Approx(38e-6));
  CHECK(detail::hierarchical_all_reduce_s(1.6e6, 16, 0, 1e11, 10e-6, 4e10, 5e-6) == Approx(40e-6));

  // All-to-all, 1.5 MB sent by each of 16 ranks in domains of 8: 8 of its 15 peers are remote,
  // 0.8 MB over the network (20 us) while 0.7 MB goes over the link (7 us); the network sets it,
  // plus one network step: 25 us. In one domain: 1.5e6 / 1e11 = 15 us.
  CHECK(detail::cross_domain_all_to_all_s(1.5e6, 16, 8, 1e11, 0, 4e10, 5e-6) == Approx(25e-6));
  CHECK(detail::cross_domain_all_to_all_s(1.5e6, 8, 8, 1e11, 0, 4e10, 5e-6) == Approx(15e-6));
  CHECK(detail::cross_domain_all_to_all_s(1.5e6, 16, 0, 1e11, 0, 4e10, 5e-6) == Approx(15e-6));
  // The per-peer messages still count: 15 x 3 us more.
  CHECK(detail::cross_domain_all_to_all_s(1.5e6, 16, 8, 1e11, 3e-6, 4e10, 5e-6) == Approx(70e-6));

  // In an estimate: DeepSeek-R1 at tp 16 on two HGX H100 (domains of 8), one sequence decoding,
  // with the network modelled at 46 GB/s per GPU (shipped off: 0). Per layer two all-reduces of
  // one token's hidden state, 7,168 x 2 B = 14,336 B: a ring over 8 GPUs at 450 GB/s x the
  // interconnect fraction and the collective latency, then each GPU's 1/8 across the 2 domains at
  // 46 GB/s and two 5 us network steps. 61 layers; no EP, no PP.
  const Scenario two_nodes = scenario({{"model", "deepseek-r1"},
                                       {"gpu", "h100-sxm"},
                                       {"gpus", 16},
                                       {"tp", 16},
                                       {"concurrency", 1},
                                       {"input_tokens", 128},
                                       {"output_tokens", 128}});
  EfficiencyFactors networked = default_efficiency();
  networked.scale_out_bytes_per_s_per_gpu = 46e9;
  const Estimate with_network = estimate(two_nodes, networked);
  const Estimate shipped = estimate(two_nodes, default_efficiency());
  const EfficiencyFactors f = for_engine(default_efficiency(), 0);
  const double message = 7168 * 2.0;
  const double ring = 2.0 * 7 / 8 * message / (450e9 * f.interconnect_fraction);
  const double across = 2.0 * 1 / 2 * (message / 8) / 46e9 + 2 * 5e-6;
  CHECK(with_network.decode_step.communication_s ==
        Approx(2 * 61 * (ring + f.collective_latency_s + across)).epsilon(1e-9));
  // Shipped off: the ring over all 16 GPUs at scale-up speed, and a note that says so.
  const double flat = 2.0 * 15 / 16 * message / (450e9 * f.interconnect_fraction);
  CHECK(shipped.decode_step.communication_s ==
        Approx(2 * 61 * (flat + f.collective_latency_s)).epsilon(1e-9));
  CHECK(mentions(with_network.notes, "cross the network at 46 GB/s"));
  CHECK(mentions(shipped.notes, "which is optimistic"));
}

TEST_CASE("mechanism: an engine profile scales its factors", "[mechanism][engine]") {
  EfficiencyFactors f = default_efficiency();
  f.engine_scale[2] = {2.0, 3.0, 4.0, 5.0};  // sglang: layer, prefill layer, request, step
  const EfficiencyFactors sglang = for_engine(f, 2);
  CHECK(sglang.layer_overhead_s == Approx(2.0 * f.layer_overhead_s));
  CHECK(sglang.prefill_layer_overhead_s == Approx(3.0 * f.prefill_layer_overhead_s));
  CHECK(sglang.request_overhead_s == Approx(4.0 * f.request_overhead_s));
  CHECK(sglang.step_overhead_s == Approx(5.0 * f.step_overhead_s));
  CHECK(sglang.compute_fraction == f.compute_fraction);
  // The shipped profiles: three engines and the early-2025 releases of two of them; SGLang
  // alone runs prompts in iterations of their own.
  REQUIRE(engine_profiles().size() == 5);
  for (int i = 0; i < num_engines; ++i)
    CHECK(engine_profiles()[static_cast<std::size_t>(i)].id == to_string(static_cast<Engine>(i)));
  CHECK(engine_profiles()[0].id == "tensorrt-llm");
  CHECK(engine_profiles()[0].prefill_mixed_with_decode);
  CHECK_FALSE(engine_profiles()[2].prefill_mixed_with_decode);
  CHECK_FALSE(engine_profiles()[4].prefill_mixed_with_decode);
  CHECK(engine_of_framework("SGLang v0.5.6 (bench_serving)") == "sglang");
  CHECK(engine_of_framework("TensorRT-LLM v0.17") == "tensorrt-llm");
  CHECK(engine_of_framework("Intel Gaudi SW 1.18.0").empty());
  // A row's release series picks the era: SGLang 0.4.x and vLLM before 0.8 (numerically: 0.17 is
  // current); no stated version, or a number that is no version, means the current profile.
  CHECK(engine_of_framework("SGLang v0.4.3.post2 (bench_serving)") == "sglang-0.4");
  CHECK(engine_of_framework("SGLang v0.4.10.post1 ROCm 6.3.0") == "sglang-0.4");
  CHECK(engine_of_framework("vLLM 0.7.4.dev181 (FlashMLA; bench_serving)") == "vllm-0.7");
  CHECK(engine_of_framework("vLLM v0.17.0 ROCm") == "vllm");
  CHECK(engine_of_framework("vLLM 0.8.0") == "vllm");
  CHECK(engine_of_framework("vLLM main (PR #43232 branch; June 2026)") == "vllm");
  CHECK(engine_of_framework("SGLang (version not stated; July 2025)") == "sglang");
  CHECK(engine_of_framework("vLLM 99999999999999999999.1") == "vllm");  // no int: no version
  // The engine named first, not the client named after it.
  CHECK(engine_of_framework("vLLM v0.8.4 (V1 engine; sglang.bench_serving --backend vllm)") ==
        "vllm");
  CHECK(engine_of_framework("SGLang v0.5.3 (server; vllm bench serve client)") == "sglang");
  CHECK(engine_of_framework("TensorRT-LLM 1.3.0rc14 (trtllm-serve; InferenceX harness)") ==
        "tensorrt-llm");
}

TEST_CASE("mechanism: a prompt's steps carry the others' decodes only where the engine mixes them",
          "[mechanism][engine]") {
  // Under load, TensorRT-LLM runs prompt chunks inside decode steps; SGLang (by default) and any
  // engine without chunked prefill run prompts in steps of their own, which read no KV cache.
  const Estimate mixed =
      estimate(scenario({{"model", "llama-3.1-8b"}, {"gpu", "h100-sxm"}, {"concurrency", 64}}),
               embedded_catalog().efficiency);
  CHECK(mixed.prefill.decode_tokens > 0);
  CHECK(mixed.prefill.kv_reads_s > 0);
  for (const Json& own : {Json{{"engine", "sglang"}}, Json{{"chunked_prefill", false}}}) {
    Json s{{"model", "llama-3.1-8b"}, {"gpu", "h100-sxm"}, {"concurrency", 64}};
    s.update(own);
    const Estimate alone = estimate(scenario(s), embedded_catalog().efficiency);
    INFO(own.dump());
    CHECK(alone.prefill.decode_tokens == 0);
    CHECK(alone.prefill.kv_reads_s == 0);
    CHECK(alone.prefill.prefill_tokens == 2000);
  }
}

TEST_CASE("mechanism: a prompt's steps count the other prompts they carry, apart from its own",
          "[mechanism]") {
  const auto prefill_of = [](Json s) {
    s.update({{"model", "llama-3.1-8b"}, {"gpu", "h100-sxm"}});
    return estimate(scenario(s), embedded_catalog().efficiency).prefill;
  };
  // A static batch of 8 prompts of 2,000 tokens: 16,000 tokens in ceil(16,000 / 8,192) = 2 steps
  // of 8,000, of which this request's prompt is 1,000 a step.
  const StepBreakdown batch = prefill_of({{"concurrency", 8}, {"batching", "static"}});
  CHECK(batch.prefill_tokens == 2000);
  CHECK(batch.beside_prompt_tokens == Approx(7000));
  // One output token at 64 requests: no decodes, every step full: 8,192 tokens, 2,000 mine.
  const StepBreakdown full = prefill_of({{"concurrency", 64}, {"output_tokens", 1}});
  CHECK(full.prefill_tokens == 2000);
  CHECK(full.beside_prompt_tokens == Approx(6192));
  // Alone, a prompt's steps are its own.
  CHECK(prefill_of({{"concurrency", 1}}).beside_prompt_tokens == 0);

  // The words every door shows for them (the result's step_carries).
  StepBreakdown words;
  words.prefill_tokens = 8000;
  Scenario chunked;
  CHECK(prefill_carries_words(words, chunked) == "one 8,000-token prompt");
  words.decode_tokens = 1;
  words.beside_prompt_tokens = 6192;
  Scenario whole;
  whole.chunked_prefill = false;
  CHECK(prefill_carries_words(words, whole) ==
        "one 8,000-token prompt, run whole (chunked prefill is off), beside 1 decode token and "
        "6,192 other requests' prompt tokens a step");
  StepBreakdown decode;
  decode.decode_tokens = 323;
  CHECK(decode_step_carries_words(decode) == "323 decode tokens");
  decode.prefill_tokens = 1292;
  CHECK(decode_step_carries_words(decode) == "323 decode tokens and 1,292 prompt tokens");
}

TEST_CASE("engine profile: a dense model under a profile fitted on MoE runs says so",
          "[mechanism][engine]") {
  // The rule: fewer than min_dense_runs_fitted_on dense runs, and a dense model's estimate notes
  // it; a MoE model never does.
  EngineProfile profile;
  profile.name = "Example";
  profile.dense_runs_fitted_on = 0;
  CHECK(dense_model_caveat(profile, false)
            .find("Example profile was fitted on MoE runs and no "
                  "dense run") != std::string::npos);
  CHECK(dense_model_caveat(profile, true).empty());
  profile.dense_runs_fitted_on = 1;
  CHECK(dense_model_caveat(profile, false).find("and 1 dense run,") != std::string::npos);
  profile.dense_runs_fitted_on = min_dense_runs_fitted_on;
  CHECK(dense_model_caveat(profile, false).empty());

  // The shipped counts are the dense models among the rows each profile names (fitted_on),
  // counted here from the calibration files and the model catalog. The WebAssembly build's copy
  // of engines.json leaves the row ids out (PERTOKEN_EMBED_FIGURE_NOTES off), so the native run
  // of this test is the one that recounts.
  const Catalog catalog = embedded_catalog();
  const bool ids_embedded = embedded_engines_json().find("\"fitted_on\"") != std::string_view::npos;
  if (ids_embedded) {
    for (const EngineProfile& shipped : engine_profiles()) {
      INFO(shipped.id);
      REQUIRE_FALSE(shipped.fitted_on.empty());
      int dense = 0;
      const std::vector<Measurement> fitted = rows_fitted_on(shipped);
      REQUIRE(fitted.size() == shipped.fitted_on.size());
      for (const Measurement& row : fitted) {
        const ModelSpec* model = catalog.find_model(row.model);
        REQUIRE(model != nullptr);
        if (!model->moe) ++dense;
      }
      CHECK(shipped.dense_runs_fitted_on == dense);
    }
  }

  // In an estimate: Llama 3.1 8B under vLLM (2 dense runs) and SGLang (none) carries the note;
  // under TensorRT-LLM (22 dense runs) it does not, nor does Mixtral (MoE) under vLLM.
  auto notes_of = [](const Json& scenario_json) { return run(scenario_json).notes; };
  auto mentions_dense_guess = [](const std::vector<std::string>& notes) {
    return std::any_of(notes.begin(), notes.end(), [](const std::string& n) {
      return n.find("on this dense model they are a guess") != std::string::npos;
    });
  };
  const Json llama{{"model", "llama-3.1-8b"}, {"gpu", "h100-sxm"}, {"concurrency", 1}};
  Json vllm = llama;
  vllm["engine"] = "vllm";
  Json sglang = llama;
  sglang["engine"] = "sglang";
  Json tensorrt = llama;
  tensorrt["engine"] = "tensorrt-llm";
  CHECK(mentions_dense_guess(notes_of(vllm)));
  CHECK(mentions_dense_guess(notes_of(sglang)));
  CHECK_FALSE(mentions_dense_guess(notes_of(tensorrt)));
  CHECK_FALSE(mentions_dense_guess(notes_of(
      {{"model", "mixtral-8x7b"}, {"gpu", "h100-sxm"}, {"num_gpus", 2}, {"engine", "vllm"}})));
}

TEST_CASE("engine profile: a GPU whose vendor ran none of the profile's runs says so",
          "[mechanism][engine]") {
  // The rule: a vendor with no run among those fitted on gets the note; any run at all, or a
  // profile that names no vendor counts, none.
  EngineProfile profile;
  profile.name = "Example";
  CHECK(vendor_caveat(profile, "NVIDIA", true).empty());
  profile.runs_fitted_on_by_vendor = {{"AMD", 10}};
  CHECK(vendor_caveat(profile, "NVIDIA", true)
            .find("Example profile was fitted on 10 AMD runs and no NVIDIA run, so its overhead "
                  "multipliers (per layer, per prompt step) carry another vendor's kernels") !=
        std::string::npos);
  CHECK(vendor_caveat(profile, "NVIDIA", false)
            .find("10 AMD runs and no NVIDIA run, so its overhead multipliers (per layer, per "
                  "prompt step) are left out on this GPU") != std::string::npos);
  CHECK(vendor_caveat(profile, "AMD", false).empty());
  CHECK(vendor_caveat(profile, "amd", false).empty());  // a user's catalog may spell it so
  CHECK(vendor_caveat(profile, "", true)
            .find("fitted on 10 AMD runs, and this GPU names no vendor") != std::string::npos);
  profile.runs_fitted_on_by_vendor = {{"AMD", 5}, {"NVIDIA", 1}};
  CHECK(vendor_caveat(profile, "NVIDIA", true).empty());
  CHECK(vendor_caveat(profile, "Intel", true)
            .find("on 5 AMD runs and 1 NVIDIA run and no Intel run") != std::string::npos);

  // The shipped counts are the vendors (gpus.json) of the rows each profile names, recounted
  // here from the calibration files (the native build; the wasm copy drops the row ids).
  const Catalog catalog = embedded_catalog();
  if (embedded_engines_json().find("\"fitted_on\"") != std::string_view::npos) {
    for (const EngineProfile& shipped : engine_profiles()) {
      INFO(shipped.id);
      std::map<std::string, int> counted;
      const std::vector<Measurement> fitted = rows_fitted_on(shipped);
      REQUIRE(fitted.size() == shipped.fitted_on.size());
      for (const Measurement& row : fitted) {
        const GpuSpec* gpu = catalog.find_gpu(row.gpu);
        REQUIRE(gpu != nullptr);
        ++counted[gpu->vendor];
      }
      const std::map<std::string, int> shipped_counts(shipped.runs_fitted_on_by_vendor.begin(),
                                                      shipped.runs_fitted_on_by_vendor.end());
      CHECK(shipped_counts == counted);
    }
  }

  // In an estimate: gpt-oss-120b under vLLM (fitted on MI300X runs alone) on an H100 says its
  // multipliers are left out, on an MI300X it says nothing; under TensorRT-LLM (NVIDIA runs) on
  // the H100 nothing, on a Gaudi 3 (Intel) that its multipliers carry another vendor's kernels.
  auto notes_say = [](const Json& scenario_json, const char* words) {
    const std::vector<std::string> notes = run(scenario_json).notes;
    return std::any_of(notes.begin(), notes.end(),
                       [&](const std::string& n) { return n.find(words) != std::string::npos; });
  };
  const Json h100_vllm{{"model", "gpt-oss-120b"}, {"gpu", "h100-sxm"}, {"engine", "vllm"}};
  Json mi300x_vllm = h100_vllm;
  mi300x_vllm["gpu"] = "mi300x";
  Json h100_tensorrt = h100_vllm;
  h100_tensorrt["engine"] = "tensorrt-llm";
  Json gaudi_tensorrt = h100_tensorrt;
  gaudi_tensorrt["gpu"] = "gaudi3";
  gaudi_tensorrt["model"] = "llama-3.1-8b";
  CHECK(notes_say(h100_vllm, "are left out on this GPU"));
  CHECK_FALSE(notes_say(mi300x_vllm, "and no AMD run"));
  CHECK_FALSE(notes_say(h100_tensorrt, "and no NVIDIA run"));
  CHECK(notes_say(gaudi_tensorrt,
                  "and no Intel run, so its overhead multipliers (per layer, per "
                  "prompt step) carry another vendor's kernels"));
}

TEST_CASE("engine profile: its multipliers apply on the vendors it was fitted on",
          "[mechanism][engine]") {
  // The shipped profiles' vendors (assets/engines.json): vLLM on AMD alone, SGLang on NVIDIA
  // alone, vLLM 0.7 on both; TensorRT-LLM, the default, keeps its multipliers everywhere.
  const int tensorrt = static_cast<int>(Engine::tensorrt_llm);
  const int vllm = static_cast<int>(Engine::vllm);
  const int sglang = static_cast<int>(Engine::sglang);
  const int vllm_0_7 = static_cast<int>(Engine::vllm_0_7);
  CHECK_FALSE(engine_multipliers_apply(vllm, "NVIDIA"));
  CHECK(engine_multipliers_apply(vllm, "AMD"));
  CHECK(engine_multipliers_apply(vllm, ""));  // no vendor named: nothing to tell them apart by
  CHECK_FALSE(engine_multipliers_apply(sglang, "AMD"));
  CHECK(engine_multipliers_apply(sglang, "nvidia"));
  CHECK(engine_multipliers_apply(vllm_0_7, "NVIDIA"));
  CHECK_FALSE(engine_multipliers_apply(vllm_0_7, "Intel"));
  CHECK(engine_multipliers_apply(tensorrt, "Intel"));

  // In an estimate: under vLLM on an H100, vLLM's multipliers do not move the time per output
  // token; on an MI300X they do. With the multipliers left out, vLLM on the H100 is TensorRT-LLM
  // with its multipliers at 1 (both engines mix prompt chunks into the decode steps).
  const Json h100{{"model", "gpt-oss-120b"}, {"gpu", "h100-sxm"}, {"concurrency", 4}};
  Json h100_vllm = h100;
  h100_vllm["engine"] = "vllm";
  Json mi300x_vllm = h100_vllm;
  mi300x_vllm["gpu"] = "mi300x";
  EfficiencyFactors tripled = default_efficiency();
  for (double& m : tripled.engine_scale[vllm]) m *= 3;
  CHECK(estimate(scenario(h100_vllm), tripled).tpot_s ==
        Approx(estimate(scenario(h100_vllm), default_efficiency()).tpot_s).epsilon(1e-12));
  CHECK(estimate(scenario(mi300x_vllm), tripled).tpot_s >
        1.1 * estimate(scenario(mi300x_vllm), default_efficiency()).tpot_s);
  EfficiencyFactors unscaled = default_efficiency();
  unscaled.engine_scale[tensorrt] = {1, 1, 1, 1};
  const Estimate as_vllm = estimate(scenario(h100_vllm), default_efficiency());
  const Estimate as_tensorrt = estimate(scenario(h100), unscaled);
  CHECK(as_vllm.tpot_s == Approx(as_tensorrt.tpot_s).epsilon(1e-12));
  CHECK(as_vllm.ttft_s == Approx(as_tensorrt.ttft_s).epsilon(1e-12));
  CHECK(as_vllm.output_tokens_per_s == Approx(as_tensorrt.output_tokens_per_s).epsilon(1e-12));
}

TEST_CASE("mechanism: steps with prompt tokens pay the eager per-layer overhead",
          "[mechanism][engine]") {
  // Llama 3.1 8B (32 layers), one request, a 2,000-token prompt in one chunk (< 8,192): its
  // first token waits for one prompt step, which pays 32 x 1 ms more with a 1 ms eager overhead.
  EfficiencyFactors f = default_efficiency();
  f.engine_scale = {{{1, 1, 1, 1}, {1, 1, 1, 1}, {1, 1, 1, 1}}};
  const Scenario s = scenario({{"model", "llama-3.1-8b"}, {"gpu", "h100-sxm"}, {"concurrency", 1}});
  f.prefill_layer_overhead_s = 0;
  const double without = estimate(s, f).ttft_s;
  f.prefill_layer_overhead_s = 1e-3;
  const double with = estimate(s, f).ttft_s;
  CHECK(with - without == Approx(32e-3).epsilon(1e-6));
}

TEST_CASE("mechanism: an MLA layer's fixed costs are mla_layer_overhead_ratio times another's",
          "[mechanism][moe]") {
  // DeepSeek-V3 (61 MLA layers) on 8 H200 at tp 8, one request of 1,000 prompt tokens (one
  // chunk): with only the prompt-step overhead per layer set (1 ms), the first token waits one
  // prompt step, so moving the ratio from 1 to 2 adds 61 x 1 ms. With only the decode overhead
  // per layer set (0.1 ms), every step pays it, so each output token takes 61 x 0.1 ms longer.
  // Llama 3.1 8B (GQA) does not see the ratio at all.
  EfficiencyFactors f = default_efficiency();
  f.engine_scale = {{{1, 1, 1, 1}, {1, 1, 1, 1}, {1, 1, 1, 1}}};
  const Scenario deepseek = scenario({{"model", "deepseek-v3"},
                                      {"gpu", "h200-sxm"},
                                      {"num_gpus", 8},
                                      {"tp", 8},
                                      {"concurrency", 1},
                                      {"input_tokens", 1000},
                                      {"output_tokens", 100}});
  const Scenario llama =
      scenario({{"model", "llama-3.1-8b"}, {"gpu", "h200-sxm"}, {"concurrency", 1}});
  auto with_ratio = [&](const Scenario& s, double ratio) {
    f.mla_layer_overhead_ratio = ratio;
    return estimate(s, f);
  };
  f.layer_overhead_s = 0;
  f.prefill_layer_overhead_s = 1e-3;
  CHECK(with_ratio(deepseek, 2).ttft_s - with_ratio(deepseek, 1).ttft_s ==
        Approx(61e-3).epsilon(1e-6));
  CHECK(with_ratio(llama, 2).ttft_s == with_ratio(llama, 1).ttft_s);
  f.layer_overhead_s = 1e-4;
  f.prefill_layer_overhead_s = 0;
  CHECK(with_ratio(deepseek, 2).tpot_s - with_ratio(deepseek, 1).tpot_s ==
        Approx(61e-4).epsilon(1e-6));
  CHECK(with_ratio(llama, 2).tpot_s == with_ratio(llama, 1).tpot_s);
}

TEST_CASE("mechanism: SGLang's prompt iterations stall the running decodes",
          "[mechanism][engine]") {
  // Same factors for both engines; at 32 requests SGLang's separate prompt iterations add to every
  // request's time per output token, TensorRT-LLM's mixed steps less so. At one request there are
  // no other prompts, and both agree.
  EfficiencyFactors f = default_efficiency();
  f.engine_scale = {{{1, 1, 1, 1}, {1, 1, 1, 1}, {1, 1, 1, 1}}};
  auto tpot = [&](const char* engine, int concurrency) {
    return estimate(scenario({{"model", "llama-3.1-8b"},
                              {"gpu", "h100-sxm"},
                              {"concurrency", concurrency},
                              {"engine", engine}}),
                    f)
        .tpot_s;
  };
  CHECK(tpot("sglang", 32) > tpot("tensorrt-llm", 32));
  CHECK(tpot("sglang", 1) == Approx(tpot("tensorrt-llm", 1)));
}

TEST_CASE("mechanism: prompts waiting together share one prompt step", "[mechanism][engine]") {
  // SGLang, 512 requests in a closed loop, 128 prompt + 16 output tokens: each lives 15 decode
  // steps, so ~34 end per decode step and their successors' prompts wait together for the next
  // prompt step (4,352 tokens, within the 8,192 budget). Static batching packs its 512 prompts
  // into 8 steps of 64: continuous batching pays a prompt step's fixed costs (weights, launches)
  // in 15 steps per lifetime, about twice as often, and its throughput stays within reach of
  // static's. One prompt per prompt step would pay them 512 times and fall to a small fraction.
  Json fields{{"model", "llama-3.1-8b"}, {"gpu", "h100-sxm"},   {"engine", "sglang"},
              {"concurrency", 512},      {"input_tokens", 128}, {"output_tokens", 16}};
  const double continuous = number(run_json(fields), "output_tokens_per_second");
  fields["batching"] = "static";
  const double fixed = number(run_json(fields), "output_tokens_per_second");
  CHECK(continuous >= 0.75 * fixed);
  CHECK(continuous <= 1.25 * fixed);
}

TEST_CASE("mechanism: MLA attention runs at its own kernel efficiency", "[mechanism][moe]") {
  // Lowering the MLA fraction slows DeepSeek-V3's decode attention and leaves a GQA model as is.
  EfficiencyFactors f = default_efficiency();
  auto decode_compute = [&](const char* model, int gpus) {
    return estimate(scenario({{"model", model},
                              {"gpu", "h200-sxm"},
                              {"gpus", gpus},
                              {"concurrency", 64},
                              {"input_tokens", 8000},
                              {"output_tokens", 500}}),
                    f)
        .decode_step.compute_s;
  };
  const double mla = decode_compute("deepseek-v3", 8);
  const double gqa = decode_compute("llama-3.1-70b", 4);
  f.mla_attention_fraction /= 2;
  CHECK(decode_compute("deepseek-v3", 8) > mla);
  CHECK(decode_compute("llama-3.1-70b", 4) == Approx(gqa));
}

TEST_CASE("mechanism: wide expert parallelism with redundant experts", "[mechanism][moe]") {
  // EP 72 on DeepSeek-V3's 256 experts: the default adds 72 x ceil(256/72) - 256 = 288 - 256 = 32
  // redundant experts, 4 per GPU, instead of rejecting the layout.
  const Scenario s = scenario({{"model", "deepseek-v3"},
                               {"gpu", "h200-sxm"},
                               {"gpus", 72},
                               {"tp", 1},
                               {"ep", 72},
                               {"concurrency", 256}});
  CHECK(s.redundant_experts == 32);
  CHECK(run({{"model", "deepseek-v3"},
             {"gpu", "h200-sxm"},
             {"gpus", 72},
             {"tp", 1},
             {"ep", 72},
             {"concurrency", 256}})
            .fits);
  // A count that leaves ep short of dividing is named.
  const Diagnostic d = scenario_error(
      R"({"model":"deepseek-v3","gpu":"h200-sxm","gpus":72,"tp":1,"ep":72,"redundant_experts":5})");
  CHECK(d.json_path == "/redundant_experts");
}

TEST_CASE("mechanism: FP4 experts on a chip without FP4 math are dequantized", "[mechanism][moe]") {
  // gpt-oss-120b's MXFP4 experts on an H100 (no FP4 tensor math): weight-only, 16-bit multiplies.
  const Json r = run_json({{"model", "gpt-oss-120b"}, {"gpu", "h100-sxm"}, {"concurrency", 8}});
  CHECK(mentions(r.at("notes").get<std::vector<std::string>>(), "weight-only"));
}

TEST_CASE("mechanism: MXFP4 experts run at the FP8 rate on a chip with FP4 math (W4A8)",
          "[mechanism][moe]") {
  // B200 dense rates (NVIDIA Blackwell datasheet): BF16 2.25, FP8 4.5, FP4 9 PFLOP/s. Each GEMM
  // FLOP also carries non_tensor_work_share of work at the 16-bit rate (Amdahl), so the expert
  // rate is 1 / (1 / peak + share / 2.25e15). gpt-oss ships MXFP4: its experts multiply with
  // MXFP8 activations at the FP8 rate; the same model declared NVFP4 runs W4A4 at the FP4 rate.
  const Scenario mx = scenario({{"model", "gpt-oss-120b"}, {"gpu", "b200"}, {"concurrency", 64}});
  Scenario nv = mx;
  nv.model.fp4_format = Fp4Format::nvfp4;
  const double share = default_efficiency().non_tensor_work_share;
  auto rate = [&](double peak) { return 1.0 / (1.0 / peak + share / 2.25e15); };
  const detail::ServingPlan mx_plan = detail::make_serving_plan(mx, default_efficiency()).value();
  const detail::ServingPlan nv_plan = detail::make_serving_plan(nv, default_efficiency()).value();
  CHECK(mx_plan.expert_flop_per_s == Approx(rate(4.5e15)));
  CHECK(nv_plan.expert_flop_per_s == Approx(rate(9e15)));
  CHECK(mentions(mx_plan.notes, "MXFP8"));
  CHECK_FALSE(mentions(nv_plan.notes, "MXFP8"));
  // On an H100 (FP8 but no FP4 math) MXFP4 stays the weight-only fallback at the BF16 rate,
  // 989.4 TFLOP/s dense (NVIDIA H100 datasheet: 1,979 with sparsity).
  Scenario hopper = mx;
  hopper.gpu = scenario({{"model", "gpt-oss-120b"}, {"gpu", "h100-sxm"}}).gpu;
  const detail::ServingPlan h_plan =
      detail::make_serving_plan(hopper, default_efficiency()).value();
  CHECK(h_plan.expert_flop_per_s ==
        Approx(1.0 / (1.0 / 989.4e12 + share / 989.4e12)).epsilon(0.01));
}

TEST_CASE("mechanism: vLLM's FP8 MoE kernels run at the rate they were timed at on the H100",
          "[mechanism][moe][engine]") {
  // vLLM's benchmark_moe.py timings of one fused_moe call at 1,024-4,096 tokens on an H100 (vLLM
  // PRs 13932 and 24700; assets/calibration/kernel_notes.md) match the model's experts at 0.13 of
  // the fraction of peak the shared factors give them (the median over 31 FP8 timings). H100 and
  // H200 share the chip: FP8 1,978.9 and BF16 989.4 dense TFLOP/s (NVIDIA datasheets, sparse
  // figures halved). Each FLOP also carries non_tensor_work_share of work at the BF16 rate.
  const double share = default_efficiency().non_tensor_work_share;
  const double fp8_rate = 1.0 / (1.0 / 1978.9e12 + share / 989.4e12);
  const double bf16_rate = 1.0 / (1.0 / 989.4e12 + share / 989.4e12);
  auto plan_of = [](const char* gpu, const char* engine, const char* weights) {
    const Scenario s = scenario({{"model", "qwen3-235b-a22b"},
                                 {"gpu", gpu},
                                 {"gpus", 8},
                                 {"engine", engine},
                                 {"weights", weights}});
    return detail::make_serving_plan(s, default_efficiency()).value();
  };
  const char* timed = "FP8 MoE kernels run at 0.13x";
  for (const char* gpu : {"h100-sxm", "h200-sxm"}) {
    CAPTURE(gpu);
    const detail::ServingPlan vllm = plan_of(gpu, "vllm", "fp8");
    CHECK(vllm.expert_flop_per_s == Approx(0.13 * fp8_rate).epsilon(1e-3));
    CHECK(vllm.gemm_flop_per_s == Approx(fp8_rate).epsilon(1e-3));  // only the routed experts
    CHECK(mentions(vllm.notes, timed));
    // The other engines, vLLM's early-2025 releases and BF16 experts keep the shared rate.
    for (const char* engine : {"tensorrt-llm", "sglang", "vllm-0.7"}) {
      CAPTURE(engine);
      const detail::ServingPlan other = plan_of(gpu, engine, "fp8");
      CHECK(other.expert_flop_per_s == Approx(fp8_rate).epsilon(1e-3));
      CHECK_FALSE(mentions(other.notes, timed));
    }
    const detail::ServingPlan bf16 = plan_of(gpu, "vllm", "bf16");
    CHECK(bf16.expert_flop_per_s == Approx(bf16_rate).epsilon(1e-3));
    CHECK_FALSE(mentions(bf16.notes, timed));
  }
  // The note is data (assets/engines.json) beside the rate: it must state the rate it applies.
  for (const EngineProfile& profile : engine_profiles()) {
    if (profile.fp8_expert_compute_scale == 1) continue;
    char rate[16];
    std::snprintf(rate, sizeof rate, "%.2fx", profile.fp8_expert_compute_scale);
    CAPTURE(profile.id, profile.fp8_expert_note);
    CHECK(profile.fp8_expert_note.find(rate) != std::string::npos);
    CHECK_FALSE(profile.fp8_expert_gpus.empty());
  }
  // Chips the kernels were not timed on keep the shared rate under vLLM too.
  for (const char* gpu : {"b200", "mi300x"}) {
    CAPTURE(gpu);
    CHECK(plan_of(gpu, "vllm", "fp8").expert_flop_per_s ==
          Approx(plan_of(gpu, "tensorrt-llm", "fp8").expert_flop_per_s));
    CHECK_FALSE(mentions(plan_of(gpu, "vllm", "fp8").notes, timed));
  }
  // A long prompt's expert GEMMs are compute-bound. Under vLLM on the H100 FP8 experts now
  // multiply at 0.13 x 1,641 = 213 TFLOP/s of modelled rate, below BF16's 897, so the FP8
  // prompt takes longer than the BF16 one; under TensorRT-LLM FP8 stays the faster.
  Json prompt = {{"model", "qwen3-235b-a22b"}, {"gpu", "h100-sxm"},  {"gpus", 8},
                 {"input_tokens", 8192},       {"output_tokens", 1}, {"concurrency", 1}};
  auto ttft_s = [&](const char* engine, const char* weights) {
    prompt["engine"] = engine;
    prompt["weights"] = weights;
    return run(prompt).ttft_s;
  };
  CHECK(ttft_s("vllm", "fp8") > ttft_s("vllm", "bf16"));
  CHECK(ttft_s("tensorrt-llm", "fp8") < ttft_s("tensorrt-llm", "bf16"));
}

TEST_CASE("mechanism: AWS Neuron splits tp over cores and pads the heads it cannot divide",
          "[mechanism][neuron]") {
  // Llama-2-70B (80 layers, hidden 8192, 64 heads of 128, 8 KV heads) at tp 24 over the 24
  // NeuronCores of an inf2.48xlarge's 12 Inferentia2 chips. NxD Inference pads the 64 query heads
  // to 72 (3 per core) and replicates the 8 KV heads to 24 (1 per core, 2 per chip).
  const Scenario s = scenario({{"model", "llama-2-70b"},
                               {"gpu", "inferentia2"},
                               {"gpus", 12},
                               {"tp", 24},
                               {"concurrency", 8}});
  Scenario bare = s;  // the same split with no padding: fractional heads (64/24 per core)
  bare.gpu.pads_attention_heads = false;
  Result<detail::ServingPlan> padded_plan = detail::make_serving_plan(s, default_efficiency());
  Result<detail::ServingPlan> bare_plan = detail::make_serving_plan(bare, default_efficiency());
  REQUIRE(padded_plan.ok());
  REQUIRE(bare_plan.ok());
  const detail::ServingPlan& padded = padded_plan.value();
  const detail::ParallelLayout& l = padded.layout;
  CHECK(l.ranks_per_gpu == 2);
  CHECK(l.tp_gpus == 12);
  CHECK(l.instance_gpus == 12);
  CHECK(l.replicas == 1);
  CHECK(l.padded_heads == 72);
  CHECK(l.head_padding == Approx(72.0 / 64));
  CHECK(l.padded_kv_heads == 24);
  CHECK(l.kv_head_padding == 1);
  CHECK(l.kv_heads_per_gpu == 2);
  // The padded heads' q and o projections per chip and layer: 2 x 8192 x 128 x (72 - 64) heads
  // over 12 chips = 1,398,101.33 parameters, stored in bf16.
  const double padded_params = 2.0 * 8192 * 128 * 8 / 12;
  CHECK(padded.padded_head_params_per_layer == Approx(padded_params));
  CHECK(padded.stages.front().total_bytes - bare_plan.value().stages.front().total_bytes ==
        Approx(80 * padded_params * 2).epsilon(1e-9));

  // Attention work (the compute a decode step's context adds) is 72/64 of the unpadded split's;
  // the KV read is the same (one KV head per core either way).
  detail::StepLoad at_context;
  at_context.decode_sequences = 8;
  at_context.decode_context = 4000;
  detail::StepLoad no_context = at_context;
  no_context.decode_context = 0;
  auto attention_compute = [&](const detail::ServingPlan& p) {
    return detail::stage_step_time(p, at_context).compute_s -
           detail::stage_step_time(p, no_context).compute_s;
  };
  CHECK(attention_compute(padded) / attention_compute(bare_plan.value()) ==
        Approx(72.0 / 64).epsilon(1e-9));
  const StepBreakdown with = detail::stage_step_time(padded, at_context);
  const StepBreakdown without = detail::stage_step_time(bare_plan.value(), at_context);
  CHECK(with.kv_reads_s == Approx(without.kv_reads_s));
  // The breakdown's padded_heads_s is exactly what the padding adds to the step.
  CHECK(with.padded_heads_s > 0);
  CHECK(with.padded_heads_s == Approx(with.total_s - without.total_s).epsilon(1e-9));
  CHECK(without.padded_heads_s == 0);

  // The estimate runs (tp defaults to every core: 24) and its breakdown carries the cost.
  const Json r = run_json({{"model", "llama-2-70b"}, {"gpu", "inferentia2"}, {"gpus", 12}});
  CHECK(r["scenario"]["tp"] == 24);
  CHECK(r["fits"] == true);
  for (const char* step : {"decode_step", "prefill"}) {
    const double cost = number(r["breakdown"][step], "padded_heads_seconds");
    CHECK(cost > 0);
    CHECK(cost < number(r["breakdown"][step], "total_seconds"));
  }
  // A GPU pads nothing.
  const Json gpu = run_json({{"model", "llama-2-70b"}, {"gpu", "h100-sxm"}, {"gpus", 4}});
  CHECK(number(gpu["breakdown"]["decode_step"], "padded_heads_seconds") == 0);
}

TEST_CASE("mechanism: Neuron head counts follow NxD Inference's GQA rules", "[mechanism][neuron]") {
  auto layout = [](const char* model, const char* gpu, int gpus, int tp) {
    const Scenario s = scenario({{"model", model}, {"gpu", gpu}, {"gpus", gpus}, {"tp", tp}});
    return detail::make_serving_plan(s, default_efficiency()).value().layout;
  };
  // MHA (Llama-2-13B, 40 heads): query and KV heads both padded to 48; 2 KV heads per core
  // instead of 40/24.
  const detail::ParallelLayout mha = layout("llama-2-13b", "inferentia2", 12, 24);
  CHECK(mha.padded_heads == 48);
  CHECK(mha.padded_kv_heads == 48);
  CHECK(mha.kv_head_padding == Approx(2.0 / (40.0 / 24)));
  // GQA whose KV heads tp neither divides nor is a multiple of (8 KV heads, tp 12): converted to
  // MHA, one KV head per padded query head (72), 6 per core instead of 1.
  const detail::ParallelLayout mha_from_gqa = layout("llama-2-70b", "inferentia2", 6, 12);
  CHECK(mha_from_gqa.padded_heads == 72);
  CHECK(mha_from_gqa.padded_kv_heads == 72);
  CHECK(mha_from_gqa.kv_head_padding == Approx(6.0));
  CHECK(mha_from_gqa.kv_heads_per_gpu == 12);
  // Trainium2: 4 logical cores per chip; Llama 3.1 70B at tp 64 on 16 chips divides: no padding.
  const detail::ParallelLayout trn = layout("llama-3.1-70b", "trainium2", 16, 64);
  CHECK(trn.ranks_per_gpu == 4);
  CHECK(trn.tp_gpus == 16);
  CHECK(trn.head_padding == 1);
  CHECK(trn.kv_head_padding == 1);
  CHECK(trn.kv_heads_per_gpu == 4);
  // One core per replica: tp 1 on one chip runs two replicas, each holding the whole model.
  const detail::ParallelLayout one = layout("llama-3.1-8b", "inferentia2", 1, 1);
  CHECK(one.replicas == 2);
  CHECK(one.instance_gpus == 1);
  CHECK(one.tp_gpus == 0.5);

  // What the core granularity rules out, named.
  Diagnostic d =
      scenario_error(R"({"model": "llama-2-70b", "gpu": "inferentia2", "gpus": 12, "tp": 3})");
  CHECK(d.json_path == "/tp");
  CHECK(d.message.find("multiple of the 2 cores of one device") != std::string::npos);
  d = scenario_error(R"({"model": "llama-2-70b", "gpu": "inferentia2", "gpus": 12, "tp": 48})");
  CHECK(d.message ==
        "tp x pp = 48 must divide the 24 cores of num_gpus = 12 (inferentia2 has 2 cores per "
        "device: tp counts cores)");
  d = scenario_error(
      R"({"model": "mixtral-8x7b", "gpu": "inferentia2", "gpus": 4, "tp": 4, "ep": 2})");
  CHECK(d.json_path == "/ep");
}

}  // namespace
}  // namespace pertoken::test
