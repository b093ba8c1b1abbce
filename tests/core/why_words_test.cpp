// "Why this number" in words, from a result written here with round figures, so every expected
// sentence is worked out by hand from them.
#include <catch2/catch.hpp>

#include "pertoken/text/why_words.hpp"

using namespace pertoken;
using Kind = WhyLine::Kind;

namespace {

// The result's scenario, on an accelerator with a 2.4 TB/s peak, for the achieved bandwidth's
// share of it.
Scenario scenario_on_gpu() {
  Scenario scenario;
  scenario.gpu.id = "g";
  scenario.gpu.memory_bandwidth_bytes_per_s = 2.4e12;
  return scenario;
}

// A decode step of 4.2 ms weight reads, 1.2 ms KV reads, 2.1 ms compute and 0.45 ms overhead, 1.5
// ms of it overlapped: 6.45 ms. It reads 8e9 of the 1e10 weight bytes held, at 1.6 TB/s (2/3 of
// the peak). The figures are not whole in their unit, where the text would drop its decimals.
const char* const running = R"({
  "scenario": {"gpu": "g", "usd_per_gpu_hour": 4},
  "fits": true, "limit_detail": "KV cache capacity at 64 requests",
  "tpot_seconds": 0.00645, "ttft_seconds": 0.2563, "running_concurrency": 64,
  "decode_bound": "memory_bandwidth", "weights_bytes_per_gpu": 1e10, "max_concurrency": 64,
  "devices_in_deployment": 2, "usd_per_hour": 8, "input_tokens_per_second": 1000,
  "output_tokens_per_second": 500, "usd_per_million_tokens": 1.4815,
  "usd_per_million_input_tokens": 0.2, "usd_per_million_output_tokens": 4.1,
  "memory": {"kv_cache_bytes_per_request_per_gpu": 268435456,
             "kv_cache_bytes_per_token_per_gpu": 131072, "kv_cache_pool_bytes": 17179869184},
  "step_carries": {"decode_step": "64 decode tokens", "prefill": "one 2,000-token prompt"},
  "breakdown": {
    "decode_step": {"weight_reads_seconds": 0.0042, "kv_reads_seconds": 0.0012,
                    "compute_seconds": 0.0021, "communication_seconds": 0,
                    "overhead_seconds": 0.00045, "overlap_seconds": 0.0015,
                    "total_seconds": 0.00645,
                    "weight_bytes_read_per_gpu": 8e9, "kv_bytes_read_per_gpu": 2e9,
                    "achieved_memory_bandwidth_bytes_per_second": 1.6e12},
    "prefill": {"weight_reads_seconds": 0.0524, "kv_reads_seconds": 0, "compute_seconds": 0.153,
                "communication_seconds": null, "overhead_seconds": 0, "overlap_seconds": 0,
                "total_seconds": 0.2054}}
})";

const WhySection& section(const std::vector<WhySection>& sections, const char* id) {
  static const WhySection none;
  for (const WhySection& s : sections) {
    if (s.id == id) return s;
  }
  return none;
}

// A result's text with one piece of it replaced.
std::string changed(std::string text, std::string_view from, std::string_view to) {
  const std::size_t at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

std::vector<std::string> texts(const WhySection& s) {
  std::vector<std::string> out;
  for (const WhyLine& line : s.lines) out.push_back(line.text);
  return out;
}

}  // namespace

TEST_CASE("why: the decode step's bound, parts and reads, from the result's figures", "[text]") {
  const auto sections = why_this_number(running, scenario_on_gpu());
  REQUIRE(sections.size() == 4);
  CHECK(sections[0].id == "decode");
  CHECK(sections[1].id == "prefill");
  CHECK(sections[2].id == "dollars");
  CHECK(sections[3].id == "batch");
  const WhySection& decode = section(sections, "decode");
  // Memory reads 5.4 ms, compute 2.1 ms, overhead 0.45 ms: 7.95 ms in all; no communication.
  CHECK(texts(decode) ==
        std::vector<std::string>{
            "Time per output token: 6.45 ms",
            "An average decode step carries 64 decode tokens for the 64 running requests. It is "
            "bound by memory bandwidth: of its parts, memory reads 5.40 ms (67.9%), compute 2.10 "
            "ms (26.4%), overhead 450 µs (5.66%).",
            "weight reads: 4.20 ms", "KV-cache reads: 1.20 ms", "compute: 2.10 ms",
            "overhead: 450 µs", "minus overlap (memory and compute running together): 1.50 ms",
            "= 6.45 ms per step",
            // 8e9 B = 7.45 GiB read of 1e10 B = 9.31 GiB held; 2e9 B = 1.86 GiB of KV cache.
            "Weight reads: 7.45 GiB per GPU per step (of 9.31 GiB held per GPU: embeddings are "
            "looked up rather than streamed, and a mixture-of-experts step reads only the experts "
            "its tokens are routed to), streamed at 1.60 TB/s achieved (0.667 of the 2.40 TB/s "
            "peak): 4.20 ms. KV-cache reads: 1.86 GiB per GPU per step, 1.20 ms."});
  CHECK(decode.lines[0].kind == Kind::heading);
  CHECK(decode.lines[1].kind == Kind::paragraph);
  CHECK(decode.lines[2].kind == Kind::item);
  CHECK(decode.lines[7].kind == Kind::item);
  CHECK(decode.lines[8].kind == Kind::paragraph);
}

TEST_CASE("why: the first token waits past its prefill; dollars and the batch", "[text]") {
  const auto sections = why_this_number(running, scenario_on_gpu());
  CHECK(texts(section(sections, "prefill")) ==
        std::vector<std::string>{"Time to first token: 256 ms",
                                 "Prefill of one 2,000-token prompt:", "weight reads: 52.4 ms",
                                 "compute: 153 ms", "= 205 ms per step",
                                 "plus 50.9 ms of per-request overhead and queueing = 256 ms."});
  CHECK(texts(section(sections, "dollars")) ==
        std::vector<std::string>{
            "Cost: $1.48 per million tokens",
            "2 devices at $4.00/h cost $8.00/h. They process 1,000 input + 500 output tokens/s, "
            "so a million tokens cost $1.48.",
            "Split by what the GPUs spend their time on: prompt processing is charged to input "
            "tokens ($0.200 per million), decoding to output tokens ($4.10 per million): a "
            "prompt's tokens share their steps, each output token takes a step of its own."});
  // 2^28 B = 256 MiB a request, 2^17 B = 128 KiB a token, 2^34 B = 16 GiB of pool.
  CHECK(texts(section(sections, "batch")) ==
        std::vector<std::string>{
            "Max concurrency: 64",
            "Each request reserves its whole input + output in the KV cache: 256 MiB per GPU (128 "
            "KiB per token), out of a KV pool of 16 GiB per GPU; KV cache capacity at 64 "
            "requests."});
}

TEST_CASE("why: what it leaves out where the result has no figure for it", "[text]") {
  // An accelerator without a peak figure: the achieved bandwidth alone.
  const auto unknown_gpu = why_this_number(running, Scenario{});
  const std::string weights = section(unknown_gpu, "decode").lines.back().text;
  CHECK(weights.find("streamed at 1.60 TB/s achieved: 4.20 ms.") != std::string::npos);
  CHECK(weights.find("peak") == std::string::npos);

  // No price: the dollars section says how to get one, and one device is a device.
  std::string text = changed(running, "\"usd_per_hour\": 8", "\"usd_per_hour\": null");
  CHECK(texts(section(why_this_number(text, scenario_on_gpu()), "dollars")) ==
        std::vector<std::string>{
            "Cost: $1.48 per million tokens",
            "No price per device-hour is known for this accelerator: enter one to see costs."});
  text = changed(running, "\"devices_in_deployment\": 2", "\"devices_in_deployment\": 1");
  CHECK(section(why_this_number(text, scenario_on_gpu()), "dollars")
            .lines[1]
            .text.starts_with("1 device at $4.00/h cost $8.00/h."));

  // Weights read as held (within 2%): no word about embeddings or routed experts.
  text = changed(running, "\"weights_bytes_per_gpu\": 1e10", "\"weights_bytes_per_gpu\": 8.1e9");
  CHECK(section(why_this_number(text, scenario_on_gpu()), "decode")
            .lines.back()
            .text.starts_with("Weight reads: 7.45 GiB per GPU per step, streamed at"));

  // Reading more than held (a pipeline's step, the slowest stage's reads once per micro-batch or
  // stage a token passes): the lookup-and-routing explanation does not fit, so none is given.
  text = changed(running, "\"weights_bytes_per_gpu\": 1e10", "\"weights_bytes_per_gpu\": 4e9");
  CHECK(section(why_this_number(text, scenario_on_gpu()), "decode")
            .lines.back()
            .text.starts_with("Weight reads: 7.45 GiB per GPU per step, streamed at"));

  // Input dearer than output ($4.10 against $0.200 a million, short prompts beside long decodes):
  // the same words, which claim neither is the dearer.
  text = changed(running, "\"usd_per_million_input_tokens\": 0.2",
                 "\"usd_per_million_input_tokens\": 4.1");
  text = changed(text, "\"usd_per_million_output_tokens\": 4.1",
                 "\"usd_per_million_output_tokens\": 0.2");
  CHECK(section(why_this_number(text, scenario_on_gpu()), "dollars").lines.back().text ==
        "Split by what the GPUs spend their time on: prompt processing is charged to input tokens "
        "($4.10 per million), decoding to output tokens ($0.200 per million): a prompt's tokens "
        "share their steps, each output token takes a step of its own.");

  // No first-token wait beyond the prefill: no "plus" line.
  text = changed(running, "\"ttft_seconds\": 0.2563", "\"ttft_seconds\": 0.2054");
  CHECK(section(why_this_number(text, scenario_on_gpu()), "prefill").lines.size() == 5);
}

TEST_CASE("why: a speculative step's tokens, and two pools' wait and KV crossing", "[text]") {
  // Eagle: a 6.45 ms step yields 2.5 tokens a request (tpot 2.58 ms).
  std::string text = changed(running, "\"usd_per_gpu_hour\": 4}",
                             "\"usd_per_gpu_hour\": 4, \"speculative\": \"eagle\"}");
  text = changed(text, "\"tpot_seconds\": 0.00645", "\"tpot_seconds\": 0.00258");
  const WhySection decode = section(why_this_number(text, scenario_on_gpu()), "decode");
  REQUIRE(decode.lines.size() == 10);
  CHECK(decode.lines[0].text == "Time per output token: 2.58 ms");
  CHECK(decode.lines[7].text == "= 6.45 ms per step");
  CHECK(decode.lines[8].kind == Kind::paragraph);
  CHECK(decode.lines[8].text ==
        "Speculative decoding (eagle): 2.50 tokens per request a step, so 6.45 ms / 2.50 = 2.58 "
        "ms per output token.");
  // Without speculation the paragraph is not there (the first test case's nine lines).
  CHECK(section(why_this_number(running, scenario_on_gpu()), "decode").lines.size() == 9);

  // Two pools: of the 50.9 ms between the prefill's 205.4 ms and the first token's 256.3 ms,
  // 31.2 ms wait for the prefill pool and 0.41 ms move the KV cache: 19.3 ms remain.
  text = changed(running, "\"breakdown\": {",
                 "\"breakdown\": {\"disaggregated\": {\"prefill_gpus\": 4, "
                 "\"prefill_busy_fraction\": 0.753, \"prefill_wait_seconds\": 0.0312, "
                 "\"kv_transfer_seconds\": 0.00041},");
  CHECK(section(why_this_number(text, scenario_on_gpu()), "prefill").lines.back().text ==
        "plus 31.2 ms waiting for the prefill pool (4 devices, busy 75.3%), 410 µs moving the KV "
        "cache to the decode pool and 19.3 ms of per-request overhead and queueing = 256 ms.");
}

TEST_CASE("why: a deployment that does not run says why, and nothing else", "[text]") {
  const char* const no_fit = R"({"fits": false, "limit_detail": "weights exceed memory",
                                 "breakdown": {"decode_step": null, "prefill": null}})";
  const auto sections = why_this_number(no_fit, scenario_on_gpu());
  REQUIRE(sections.size() == 1);
  CHECK(sections[0].id == "no-fit");
  CHECK(texts(sections[0]) ==
        std::vector<std::string>{"This deployment does not run: weights exceed memory. More "
                                 "devices, a lower precision or a shorter context change that."});
  // Not a result at all: nothing to say.
  CHECK(why_this_number("not json", scenario_on_gpu()).empty());
  CHECK(why_this_number("[1, 2]", scenario_on_gpu()).empty());
}
