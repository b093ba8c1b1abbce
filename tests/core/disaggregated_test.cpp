// Disaggregated prefill and decode (scenario keys prefill_gpus, prefill_tp, prefill_ep): what the
// prefill pool adds to the first token, what the decode pool no longer carries, and what it costs.
#include <catch2/catch.hpp>

#include "test_support.hpp"

namespace pertoken::test {
namespace {

double number(const Json& j, const char* key) { return j.at(key).get<double>(); }

Json llama_70b(int decode_gpus, int prefill_gpus, int concurrency) {
  Json fields{{"model", "llama-3.1-70b"}, {"gpu", "h100-sxm"},         {"gpus", decode_gpus},
              {"weights", "bf16"},        {"kv_cache", "bf16"},        {"input_tokens", 4000},
              {"output_tokens", 400},     {"concurrency", concurrency}};
  if (prefill_gpus > 0) fields["prefill_gpus"] = prefill_gpus;
  return fields;
}

TEST_CASE("disaggregated: the KV cache's trip is its bytes over the link between the pools",
          "[disaggregated]") {
  // Llama 3.1 70B, bf16 KV: 2 (K,V) x 80 layers x 8 KV heads x 128 x 2 bytes = 327,680 bytes per
  // token; 4,000 prompt tokens = 1,310,720,000 bytes.
  const double kv_bytes = 327680.0 * 4000;
  // 8 decode + 8 prefill H100s exceed one 8-GPU NVLink domain: the network, at the guessed
  // 400 Gb/s = 50 GB/s per GPU, 8 GPUs of each tp-8 instance sending at once: 400 GB/s.
  const Json across = run_json(llama_70b(8, 8, 16));
  const Json& pd = across["breakdown"]["disaggregated"];
  CHECK(number(pd, "kv_transfer_bytes") == Approx(kv_bytes));
  CHECK(number(pd, "kv_transfer_seconds") == Approx(kv_bytes / (8 * 50e9)));
  CHECK(pd.at("kv_transfer_bandwidth_guessed").get<bool>());
  // 4 + 4 H100s fit in one NVLink domain: 450 GB/s per direction per GPU, 4 senders.
  const Json within = run_json(llama_70b(4, 4, 16));
  CHECK(number(within["breakdown"]["disaggregated"], "kv_transfer_seconds") ==
        Approx(kv_bytes / (4 * 450e9)));
  CHECK_FALSE(within["breakdown"]["disaggregated"].at("kv_transfer_bandwidth_guessed").get<bool>());
}

TEST_CASE(
    "disaggregated: the first token is the wait, the prompt and the trip; decode steps "
    "carry no prompts",
    "[disaggregated]") {
  const Json r = run_json(llama_70b(8, 8, 64));
  const Json& pd = r["breakdown"]["disaggregated"];
  const double overhead = number(r, "ttft_seconds") - number(pd, "prefill_wait_seconds") -
                          number(pd, "prefill_seconds") - number(pd, "kv_transfer_seconds");
  CHECK(overhead >= 0);
  CHECK(overhead < 0.1);  // the per-request serving overhead only
  CHECK(number(r["breakdown"]["decode_step"], "prefill_tokens") == 0);
  CHECK(number(r, "e2e_latency_seconds") ==
        Approx(number(r, "ttft_seconds") + 399 * number(r, "tpot_seconds")));
  // Without prompts beside them, the decode steps are shorter than on shared devices with 4,000
  // token prompts arriving (same decode devices, same requests in flight).
  const Json shared = run_json(llama_70b(8, 0, 64));
  CHECK(number(r, "tpot_seconds") < number(shared, "tpot_seconds"));
}

TEST_CASE("disaggregated: both pools are paid for", "[disaggregated]") {
  // H100 reference price 6.88 $/h (catalog): 8 decode + 8 prefill devices = 110.08 $/h.
  const Json r = run_json(llama_70b(8, 8, 64));
  CHECK(number(r, "usd_per_hour") == Approx(16 * 6.88));
  CHECK(number(r, "output_tokens_per_second_per_gpu") ==
        Approx(number(r, "output_tokens_per_second") / 16));
  CHECK(number(r, "usd_per_million_tokens") ==
        Approx(16 * 6.88 / 3600 /
               (number(r, "output_tokens_per_second") + number(r, "input_tokens_per_second")) *
               1e6));
}

TEST_CASE("disaggregated: a smaller prefill pool is busier and makes the first token later",
          "[disaggregated]") {
  // 64 requests of 4,000 prompt tokens: one tp-8 prefill instance against two.
  const Json two = run_json(llama_70b(8, 16, 64));
  const Json one = run_json(llama_70b(8, 8, 64));
  CHECK(number(one["breakdown"]["disaggregated"], "prefill_busy_fraction") >
        number(two["breakdown"]["disaggregated"], "prefill_busy_fraction"));
  CHECK(number(one, "ttft_seconds") > number(two, "ttft_seconds"));
  // A saturated pool: prompts queue, so requests finish no faster than the pool prefills them.
  // One prompt costs the pool at least its linear-layer FLOPs at peak: 2 x 68,451,041,280
  // parameters x 4,000 tokens / (8 x 989.4e12) = 0.0692 s, so 8 prefill GPUs serve at most
  // 14.45 requests/s.
  const double max_requests_per_s = 1.0 / (2.0 * 68451041280.0 * 4000 / (8 * 989.4e12));
  const Json saturated = run_json(llama_70b(8, 8, 256));
  CHECK(number(saturated["breakdown"]["disaggregated"], "prefill_busy_fraction") ==
        Approx(1.0).margin(0.01));
  CHECK(number(saturated, "requests_per_second") <= max_requests_per_s);
}

TEST_CASE("disaggregated: bad prefill fields name themselves", "[disaggregated]") {
  CHECK(scenario_error(R"({"model":"llama-3.1-70b","gpu":"h100-sxm","gpus":8,"prefill_tp":4})")
            .json_path == "/prefill_tp");
  const Diagnostic odd = scenario_error(
      R"({"model":"llama-3.1-70b","gpu":"h100-sxm","gpus":8,"prefill_gpus":4,"prefill_tp":3})");
  CHECK(odd.json_path == "/prefill_tp");
  CHECK_THAT(odd.message, Catch::Contains("prefill pool") && Catch::Contains("prefill_gpus"));
  CHECK(
      scenario_error(
          R"({"model":"llama-3.1-70b","gpu":"h100-sxm","gpus":8,"prefill_gpus":8,"prefill_ep":8})")
          .json_path == "/prefill_ep");
  // The prefill pool must hold the weights: 141 GB of bf16 70B on one 80 GB H100 does not fit.
  const Json r =
      run_json({{"model", "llama-3.1-70b"}, {"gpu", "h100-sxm"}, {"gpus", 8}, {"prefill_gpus", 1}});
  CHECK_FALSE(r.at("fits").get<bool>());
  CHECK(r.at("limit_reason") == "prefill_weights_exceed_memory");
}

}  // namespace
}  // namespace pertoken::test
