// "Why this number" in words (see why_words.hpp). Every figure is one the result gives; the only
// arithmetic is what the sentences state (a step's memory reads and each class's share, the wait
// before the first token and its parts, a speculative step's tokens, the achieved bandwidth's
// share of the peak).
#include "pertoken/text/why_words.hpp"

#include <cmath>

#include <nlohmann/json.hpp>

#include "pertoken/text/figure_text.hpp"
#include "pertoken/text/result_words.hpp"

namespace pertoken {
namespace {

using Json = nlohmann::json;
using Kind = WhyLine::Kind;

// A result figure; NaN where the result has none (null, or a deployment that does not run).
double at(const Json& object, const char* key) {
  if (!object.is_object()) return NAN;
  const auto it = object.find(key);
  return it != object.end() && it->is_number() ? it->get<double>() : NAN;
}

std::string text_at(const Json& object, const char* key) {
  if (!object.is_object()) return "";
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

const Json& member(const Json& object, const char* key) {
  static const Json none;
  if (!object.is_object()) return none;
  const auto it = object.find(key);
  return it != object.end() ? *it : none;
}

// A part a sentence leaves out when the result has none of it.
bool some(double v) { return v > 0; }
double or_zero(double v) { return std::isfinite(v) ? v : 0; }

// A step's time by part, the overlap taken off, and its total.
void step_parts(const Json& step, std::vector<WhyLine>& lines) {
  static const char* const parts[][2] = {{"weight reads", "weight_reads_seconds"},
                                         {"KV-cache reads", "kv_reads_seconds"},
                                         {"compute", "compute_seconds"},
                                         {"communication", "communication_seconds"},
                                         {"overhead", "overhead_seconds"}};
  for (const auto& [label, key] : parts) {
    if (some(at(step, key))) {
      lines.push_back({Kind::item, std::string(label) + ": " + format_seconds(at(step, key))});
    }
  }
  if (some(at(step, "overlap_seconds"))) {
    lines.push_back({Kind::item, "minus overlap (memory and compute running together): " +
                                     format_seconds(at(step, "overlap_seconds"))});
  }
  lines.push_back({Kind::item, "= " + format_seconds(at(step, "total_seconds")) + " per step"});
}

// What bounds the decode step, and its time by the classes the bound compares.
std::string bound_sentence(const Json& result, const Json& decode) {
  const std::pair<const char*, double> classes[] = {
      {"memory reads",
       or_zero(at(decode, "weight_reads_seconds")) + or_zero(at(decode, "kv_reads_seconds"))},
      {"compute", or_zero(at(decode, "compute_seconds"))},
      {"communication", or_zero(at(decode, "communication_seconds"))},
      {"overhead", or_zero(at(decode, "overhead_seconds"))}};
  double sum = 0;
  for (const auto& c : classes) sum += c.second;
  std::string text =
      "An average decode step carries " + text_at(member(result, "step_carries"), "decode_step") +
      " for the " + format_number(at(result, "running_concurrency")) +
      " running requests. It is bound by " +
      std::string(decode_bound_words(text_at(result, "decode_bound"))) + ": of its parts, ";
  const char* separator = "";
  for (const auto& [label, seconds] : classes) {
    if (!some(seconds)) continue;
    text += separator;
    text += std::string(label) + " " + format_seconds(seconds) + " (" +
            format_percent(seconds / sum) + ")";
    separator = ", ";
  }
  return text + ".";
}

// Bytes read per step and the bandwidth they stream at, said beside what the GPU holds where it
// reads more than 2% less: embeddings are looked up, not streamed, and a mixture-of-experts step
// reads only the experts its tokens are routed to. A pipeline's step reads more than one stage
// holds (its figures are the slowest stage's, once per micro-batch or stage a token passes), which
// that explanation would not fit, so then nothing is said beside it.
std::string weight_reads_sentence(const Json& result, const Json& decode, double peak) {
  const double read = at(decode, "weight_bytes_read_per_gpu");
  const double achieved = at(decode, "achieved_memory_bandwidth_bytes_per_second");
  const double held = at(result, "weights_bytes_per_gpu");
  std::string text = "Weight reads: " + format_bytes(read) + " per GPU per step";
  if (some(held) && held - read > 0.02 * held) {
    text += " (of " + format_bytes(held) +
            " held per GPU: embeddings are looked up rather than streamed, and a "
            "mixture-of-experts step reads only the experts its tokens are routed to)";
  }
  text += ", streamed at " + format_bandwidth(achieved) + " achieved";
  if (some(peak)) {
    text += " (" + format_number(achieved / peak) + " of the " + format_bandwidth(peak) + " peak)";
  }
  text += ": " + format_seconds(at(decode, "weight_reads_seconds")) + ".";
  const double kv = at(decode, "kv_bytes_read_per_gpu");
  if (some(kv)) {
    text += " KV-cache reads: " + format_bytes(kv) + " per GPU per step, " +
            format_seconds(at(decode, "kv_reads_seconds")) + ".";
  }
  return text;
}

WhySection decode_section(const Json& result, const Json& decode, double peak) {
  WhySection section{"decode", {}};
  auto& lines = section.lines;
  lines.push_back(
      {Kind::heading, "Time per output token: " + format_seconds(at(result, "tpot_seconds"))});
  lines.push_back({Kind::paragraph, bound_sentence(result, decode)});
  step_parts(decode, lines);
  // A speculative step yields more than one token a request: the result's time per output token
  // is the step's time over those tokens, which the heading and the step's total would not say.
  const std::string method = text_at(member(result, "scenario"), "speculative");
  const double tpot = at(result, "tpot_seconds");
  if (!method.empty() && method != "none" && some(tpot)) {
    const double step = or_zero(at(decode, "total_seconds"));
    const std::string tokens = format_number(step / tpot);
    lines.push_back({Kind::paragraph, "Speculative decoding (" + method + "): " + tokens +
                                          " tokens per request a step, so " + format_seconds(step) +
                                          " / " + tokens + " = " + format_seconds(tpot) +
                                          " per output token."});
  }
  if (some(at(decode, "weight_bytes_read_per_gpu")) &&
      some(at(decode, "achieved_memory_bandwidth_bytes_per_second")) &&
      some(at(decode, "weight_reads_seconds"))) {
    lines.push_back({Kind::paragraph, weight_reads_sentence(result, decode, peak)});
  }
  return section;
}

// The steps that carry the prompt (their parts are the whole steps', the other requests' work
// included), then what the first token waits for beyond them.
WhySection prefill_section(const Json& result, const Json& prefill) {
  WhySection section{"prefill", {}};
  auto& lines = section.lines;
  const double ttft = at(result, "ttft_seconds");
  lines.push_back({Kind::heading, "Time to first token: " + format_seconds(ttft)});
  lines.push_back(
      {Kind::paragraph, "Prefill of " + text_at(member(result, "step_carries"), "prefill") + ":"});
  step_parts(prefill, lines);
  const double waiting = or_zero(ttft) - or_zero(at(prefill, "total_seconds"));
  // Two pools: the prompt waits for the prefill pool and its KV cache crosses to the decode pool.
  const Json& pools = member(member(result, "breakdown"), "disaggregated");
  if (!pools.is_object() && !(waiting > 1e-9)) return section;
  std::string text = "plus ";
  const double wait = or_zero(at(pools, "prefill_wait_seconds"));
  const double transfer = or_zero(at(pools, "kv_transfer_seconds"));
  if (pools.is_object()) {
    text += format_seconds(wait) + " waiting for the prefill pool (" +
            format_count(at(pools, "prefill_gpus"), "device") + ", busy " +
            format_percent(at(pools, "prefill_busy_fraction")) + "), " + format_seconds(transfer) +
            " moving the KV cache to the decode pool and ";
  }
  // The rest: the API's, tokenizer's and admission's fixed time, and every queue the prompt waits
  // in (for room in a step's token budget, for a slot when more requests are in flight than the
  // KV cache holds, for a benchmark's first wave), which the result does not break down.
  lines.push_back({Kind::paragraph,
                   text + format_seconds(waiting - wait - transfer) +
                       " of per-request overhead and queueing = " + format_seconds(ttft) + "."});
  return section;
}

WhySection dollars_section(const Json& result) {
  WhySection section{"dollars", {}};
  auto& lines = section.lines;
  const double per_million = at(result, "usd_per_million_tokens");
  const double per_hour = at(result, "usd_per_hour");
  lines.push_back({Kind::heading, "Cost: " + format_usd(per_million) + " per million tokens"});
  if (!std::isfinite(per_hour) || !std::isfinite(per_million)) {
    lines.push_back({Kind::paragraph,
                     "No price per device-hour is known for this accelerator: enter one to see "
                     "costs."});
    return section;
  }
  lines.push_back(
      {Kind::paragraph, format_count(at(result, "devices_in_deployment"), "device") + " at " +
                            format_usd(at(member(result, "scenario"), "usd_per_gpu_hour")) +
                            "/h cost " + format_usd(per_hour) + "/h. They process " +
                            format_number(at(result, "input_tokens_per_second")) + " input + " +
                            format_number(at(result, "output_tokens_per_second")) +
                            " output tokens/s, so a million tokens cost " +
                            format_usd(per_million) + "."});
  // Why the two differ, in words true whichever is dearer (short prompts beside long answers can
  // make input the dearer, where "output tokens cost more" was said regardless).
  lines.push_back({Kind::paragraph,
                   "Split by what the GPUs spend their time on: prompt processing is charged to "
                   "input tokens (" +
                       format_usd(at(result, "usd_per_million_input_tokens")) +
                       " per million), decoding to output tokens (" +
                       format_usd(at(result, "usd_per_million_output_tokens")) +
                       " per million): a prompt's tokens share their steps, each output token "
                       "takes a step of its own."});
  return section;
}

WhySection batch_section(const Json& result) {
  const Json& memory = member(result, "memory");
  return {
      "batch",
      {{Kind::heading, "Max concurrency: " + format_integer(at(result, "max_concurrency"))},
       {Kind::paragraph,
        "Each request reserves its whole input + output in the KV cache: " +
            format_bytes(at(memory, "kv_cache_bytes_per_request_per_gpu")) + " per GPU (" +
            format_bytes(at(memory, "kv_cache_bytes_per_token_per_gpu")) +
            " per token), out of a KV pool of " + format_bytes(at(memory, "kv_cache_pool_bytes")) +
            " per GPU; " + text_at(result, "limit_detail") + "."}}};
}

}  // namespace

std::vector<WhySection> why_this_number(std::string_view result_json, const Scenario& scenario) {
  const Json result = Json::parse(result_json, nullptr, false);
  if (!result.is_object()) return {};
  const Json& breakdown = member(result, "breakdown");
  const Json& decode = member(breakdown, "decode_step");
  const Json& prefill = member(breakdown, "prefill");
  const Json& fits = member(result, "fits");
  if (!(fits.is_boolean() && fits.get<bool>()) || !decode.is_object() || !prefill.is_object()) {
    return {{"no-fit",
             {{Kind::paragraph, "This deployment does not run: " + text_at(result, "limit_detail") +
                                    ". More devices, a lower precision or a shorter context "
                                    "change that."}}}};
  }
  std::vector<WhySection> sections{
      decode_section(result, decode, scenario.gpu.memory_bandwidth_bytes_per_s),
      prefill_section(result, prefill), dollars_section(result)};
  const Json& memory = member(result, "memory");
  if (some(at(memory, "kv_cache_bytes_per_request_per_gpu")) &&
      some(at(memory, "kv_cache_pool_bytes"))) {
    sections.push_back(batch_section(result));
  }
  return sections;
}

}  // namespace pertoken
