// Memory model: weights, KV cache and what fits, against hand-derived numbers.
#include <catch2/catch.hpp>

#include "test_support.hpp"

namespace pertoken::test {
namespace {

const Json llama8b{{"model", "llama-3.1-8b"}, {"gpu", "h100-sxm"}};

Json with(Json base, const Json& extra) {
  for (auto it = extra.begin(); it != extra.end(); ++it) base[it.key()] = it.value();
  return base;
}

TEST_CASE("memory: KV bytes per token of llama-3.1-70b at bf16", "[memory]") {
  // 2 (K and V) x 80 layers x 8 KV heads x 128 head_dim x 2 bytes = 327,680 B.
  const Json r = run_json({{"model", "llama-3.1-70b"}, {"gpu", "h200-sxm"}, {"gpus", 2}});
  CHECK(r["kv_cache_bytes_per_token"].get<double>() == 327680.0);
  // Split over 2 GPUs by KV head: 163,840 B each.
  CHECK(r["memory"]["kv_cache_bytes_per_token_per_gpu"].get<double>() == 163840.0);
}

TEST_CASE("memory: fp8 KV cache halves the bytes per token", "[memory]") {
  // 2 x 32 layers x 8 KV heads x 128 x 1 byte = 65,536 B (llama-3.1-8b).
  const Json r = run_json(with(llama8b, {{"kv_cache", "fp8"}}));
  CHECK(r["kv_cache_bytes_per_token"].get<double>() == 65536.0);
}

TEST_CASE("memory: MLA caches the latent, not per-head keys and values", "[memory]") {
  // DeepSeek-V3: (kv_lora_rank 512 + rope dim 64) x 61 layers x 2 bytes = 70,272 B per token.
  const Json r = run_json({{"model", "deepseek-v3"},
                           {"gpu", "b300"},
                           {"gpus", 8},
                           {"weights", "fp4"},
                           {"kv_cache", "bf16"}});
  CHECK(r["kv_cache_bytes_per_token"].get<double>() == 70272.0);
  // Every TP rank holds the whole latent.
  CHECK(r["memory"]["kv_cache_bytes_per_token_per_gpu"].get<double>() == 70272.0);
}

TEST_CASE("memory: KV heads are replicated when tp exceeds their count", "[memory]") {
  // llama-3.1-70b has 8 KV heads; at tp 16 each GPU still stores one whole KV head:
  // 2 x 80 layers x 1 head x 128 x 2 bytes = 40,960 B per token per GPU (not 327,680 / 16).
  const Json r = run_json({{"model", "llama-3.1-70b"}, {"gpu", "h100-sxm"}, {"gpus", 16}});
  CHECK(r["memory"]["kv_cache_bytes_per_token_per_gpu"].get<double>() == 40960.0);
}

TEST_CASE("memory: bf16 weights of llama-3.1-8b", "[memory]") {
  // Per layer: q 4096x4096 + k,v 2x4096x1024 + o 4096x4096 + MLP 3x4096x14336 = 218,103,808;
  // x 32 layers = 6,979,321,856; embedding and untied LM head 2 x 128,256 x 4,096 = 1,050,673,152.
  // 8,029,995,008 parameters x 2 bytes = 16,059,990,016 B on one GPU; half of it per GPU at tp 2.
  CHECK(run_json(llama8b)["weights_bytes_per_gpu"].get<double>() == 16059990016.0);
  CHECK(run_json(with(llama8b, {{"gpus", 2}}))["weights_bytes_per_gpu"].get<double>() ==
        8029995008.0);
}

TEST_CASE("memory: quantized weights keep the embedding and LM head at 16 bits", "[memory]") {
  // fp8: 6,979,321,856 B of linear layers + 1,050,673,152 x 2 B of embedding and head.
  CHECK(run_json(with(llama8b, {{"weights", "fp8"}}))["weights_bytes_per_gpu"].get<double>() ==
        9080668160.0);
  // int4 (GPTQ/AWQ, group 128: 4 + 20/128 = 4.15625 bits): 6,979,321,856 x 4.15625 / 8
  // = 3,625,975,808 B + 2,101,346,304 B = 5,727,322,112 B.
  CHECK(run_json(with(llama8b, {{"weights", "int4"}}))["weights_bytes_per_gpu"].get<double>() ==
        Approx(5727322112.0).epsilon(1e-12));
}

TEST_CASE("memory: sliding-window layers cache at most their window", "[memory]") {
  // gemma-2-27b: 46 layers, 23 local with a 4,096-token window; 16 KV heads x 128 x 2 (K,V) x
  // 2 bytes = 8,192 B per layer per token. A request of 6,000 + 2,192 = 8,192 tokens reserves
  // 8,192 x (23 x 8,192 + 23 x 4,096) = 2,315,255,808 B.
  const Json r = run_json({{"model", "gemma-2-27b"},
                           {"gpu", "h100-sxm"},
                           {"input_tokens", 6000},
                           {"output_tokens", 2192}});
  CHECK(r["memory"]["kv_cache_bytes_per_request_per_gpu"].get<double>() == 2315255808.0);
}

TEST_CASE("memory: max concurrency stays under what the free memory could hold", "[memory]") {
  // 1,000 + 1,000 tokens x 131,072 B = 262,144,000 B per request; 80 GiB - 16,059,990,016 B of
  // weights = 69,839,355,904 B at most for the cache: at most 266 requests. The runtime reserve,
  // activations and the engine's 90% share leave fewer, but not less than 75% of that bound.
  const Json r = run_json(
      with(llama8b, {{"input_tokens", 1000}, {"output_tokens", 1000}, {"max_batch_size", 100000}}));
  const double max_concurrency = r["max_concurrency"].get<double>();
  CHECK(max_concurrency <= 266);
  CHECK(max_concurrency >= 0.75 * 266);
  CHECK(r["limit_reason"] == "kv_cache_capacity");
}

TEST_CASE("memory: the limit message writes counts with thousands separators", "[memory]") {
  // 100 + 100 tokens of fp8 KV (65,536 B per token) are 13,107,200 B per request: a B300's pool
  // holds tens of thousands of them, a five-digit count.
  const Json r = run_json({{"model", "llama-3.1-8b"},
                           {"gpu", "b300"},
                           {"kv_cache", "fp8"},
                           {"input_tokens", 100},
                           {"output_tokens", 96},
                           {"max_batch_size", 1000000}});
  const std::string detail = r["limit_detail"].get<std::string>();
  const long long count = r["max_concurrency"].get<long long>();
  REQUIRE(count >= 10000);
  REQUIRE(count < 100000);
  const std::string digits = std::to_string(count);
  CHECK(detail.find(digits.substr(0, 2) + "," + digits.substr(2)) != std::string::npos);
}

TEST_CASE("memory: 70B at bf16 does not fit one 80 GB GPU, and fits two", "[memory]") {
  // 70.6e9 parameters x 2 bytes = 141 GB > 80 GiB.
  const Json one = run_json({{"model", "llama-3.1-70b"}, {"gpu", "h100-sxm"}});
  CHECK_FALSE(one["fits"].get<bool>());
  CHECK(one["limit_reason"] == "weights_exceed_memory");
  CHECK(one["output_tokens_per_second"].is_null());
  CHECK(one["usd_per_million_tokens"].is_null());
  const Json two = run_json({{"model", "llama-3.1-70b"}, {"gpu", "h100-sxm"}, {"gpus", 2}});
  CHECK(two["fits"].get<bool>());
}

TEST_CASE("memory: a request whose KV cache alone overflows does not fit", "[memory]") {
  // llama-3.1-8b bf16 on a 24 GB L4: ~16 GB of weights leave ~5 GB; 100,000 tokens x 131,072 B
  // = 13.1 GB for one request.
  const Json r = run_json({{"model", "llama-3.1-8b"},
                           {"gpu", "l4"},
                           {"input_tokens", 100000},
                           {"output_tokens", 1000}});
  CHECK_FALSE(r["fits"].get<bool>());
  CHECK(r["limit_reason"] == "kv_cache_exceeds_memory");
}

TEST_CASE("memory: the engine's max batch caps concurrency 'max'", "[memory]") {
  const Json r = run_json(
      with(llama8b, {{"input_tokens", 100}, {"output_tokens", 100}, {"max_batch_size", 64}}));
  CHECK(r["concurrency"].get<double>() == 64);
  CHECK(r["limit_reason"] == "engine_max_batch");
}

}  // namespace
}  // namespace pertoken::test
