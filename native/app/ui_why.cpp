// The calculator's "Why this number" view (see ui_panels.hpp): the result's figures in words, as
// the web page's why.ts tells them.
#include <cmath>

#include "format.hpp"
#include "pertoken/text/result_words.hpp"
#include "ui_panels.hpp"

namespace pertoken::app::panels {

namespace {

// The step's parts as why.ts lists them.
void step_parts(const Json& step) {
  const std::pair<const char*, const char*> parts[] = {
      {"weight reads", "weight_reads_seconds"}, {"KV-cache reads", "kv_reads_seconds"},
      {"compute", "compute_seconds"},           {"communication", "communication_seconds"},
      {"overhead", "overhead_seconds"},
  };
  for (const auto& [label, key] : parts) {
    const double v = number_at(step, key);
    if (v > 0) ImGui::BulletText("%s: %s", label, format_seconds(v).c_str());
  }
  const double overlap = number_at(step, "overlap_seconds");
  if (overlap > 0) {
    ImGui::BulletText("minus overlap (memory and compute running together): %s",
                      format_seconds(overlap).c_str());
  }
  ImGui::BulletText("= %s per step", format_seconds(number_at(step, "total_seconds")).c_str());
}

}  // namespace

void why_this_number(Ui::State& s) {
  const Json& r = s.model.result();
  if (!r.is_object()) return;
  const Json& breakdown = r.contains("breakdown") ? r["breakdown"] : Json();
  const Json& decode = breakdown.is_object() && breakdown.contains("decode_step")
                           ? breakdown["decode_step"]
                           : Json();
  const Json& prefill =
      breakdown.is_object() && breakdown.contains("prefill") ? breakdown["prefill"] : Json();
  ImGui::PushTextWrapPos(0);
  if (!r.value("fits", false) || !decode.is_object() || !prefill.is_object()) {
    ImGui::TextWrapped(
        "This deployment does not run: %s. More devices, a lower precision or a "
        "shorter context change that.",
        string_at(r, "limit_detail").c_str());
    ImGui::PopTextWrapPos();
    return;
  }
  // Decode: the step's time by class, as the decode bound compares them.
  ImGui::TextUnformatted(
      ("Time per output token: " + format_seconds(number_at(r, "tpot_seconds"))).c_str());
  ImGui::Separator();
  const double memory_s =
      number_at(decode, "weight_reads_seconds") + number_at(decode, "kv_reads_seconds");
  const std::pair<const char*, double> classes[] = {
      {"memory reads", memory_s},
      {"compute", number_at(decode, "compute_seconds")},
      {"communication", number_at(decode, "communication_seconds")},
      {"overhead", number_at(decode, "overhead_seconds")},
  };
  double sum = 0;
  for (const auto& c : classes) sum += std::isfinite(c.second) ? c.second : 0;
  // What each step carries is the core's words (the result's step_carries).
  const Json& carries = r.contains("step_carries") ? r["step_carries"] : Json();
  std::string text = "An average decode step carries " + string_at(carries, "decode_step");
  text += " for the " + format_number(number_at(r, "running_concurrency")) +
          " running requests. It is bound by " +
          std::string(decode_bound_words(string_at(r, "decode_bound"))) + ": of its parts, ";
  bool first = true;
  for (const auto& [label, seconds] : classes) {
    if (!(seconds > 0)) continue;
    text += std::string(first ? "" : ", ") + label + " " + format_seconds(seconds) + " (" +
            format_percent(sum > 0 ? seconds / sum : nan_value) + ")";
    first = false;
  }
  ImGui::TextUnformatted((text + ".").c_str());
  step_parts(decode);
  const double read = number_at(decode, "weight_bytes_read_per_gpu");
  const double achieved = number_at(decode, "achieved_memory_bandwidth_bytes_per_second");
  if (read > 0 && achieved > 0) {
    std::string line = "Weight reads: " + format_bytes(read) + " per GPU per step, streamed at " +
                       format_bandwidth(achieved) +
                       " achieved: " + format_seconds(number_at(decode, "weight_reads_seconds")) +
                       ".";
    const double kv = number_at(decode, "kv_bytes_read_per_gpu");
    if (kv > 0) {
      line += " KV-cache reads: " + format_bytes(kv) + " per GPU per step, " +
              format_seconds(number_at(decode, "kv_reads_seconds")) + ".";
    }
    ImGui::TextUnformatted(line.c_str());
  }
  ImGui::Spacing();
  // Prefill.
  ImGui::TextUnformatted(
      ("Time to first token: " + format_seconds(number_at(r, "ttft_seconds"))).c_str());
  ImGui::Separator();
  // The parts are the whole steps' that carry the prompt, the other requests' work included.
  ImGui::TextUnformatted(("Prefill of " + string_at(carries, "prefill") + ":").c_str());
  step_parts(prefill);
  const double waiting = number_at(r, "ttft_seconds") - number_at(prefill, "total_seconds");
  if (waiting > 1e-9) {
    ImGui::TextUnformatted(("plus " + format_seconds(waiting) +
                            " of per-request overhead (API, tokenizer, admission) and waiting for "
                            "room in the step's token budget = " +
                            format_seconds(number_at(r, "ttft_seconds")) + ".")
                               .c_str());
  }
  ImGui::Spacing();
  // Dollars.
  ImGui::TextUnformatted(
      ("Cost: " + format_usd(number_at(r, "usd_per_million_tokens")) + " per million tokens")
          .c_str());
  ImGui::Separator();
  const double per_hour = number_at(r, "usd_per_hour");
  if (std::isfinite(per_hour)) {
    const Json& sc = r["scenario"];
    const double devices = number_at(r, "devices_in_deployment");
    ImGui::TextUnformatted((format_count(devices, "device") + " at " +
                            format_usd(number_at(sc, "usd_per_gpu_hour")) + "/h cost " +
                            format_usd(per_hour) + "/h. They process " +
                            format_number(number_at(r, "input_tokens_per_second")) + " input + " +
                            format_number(number_at(r, "output_tokens_per_second")) +
                            " output tokens/s, so a million tokens cost " +
                            format_usd(number_at(r, "usd_per_million_tokens")) + ".")
                               .c_str());
    ImGui::TextUnformatted(
        ("Split by what the GPUs spend their time on: prompt processing is charged to input "
         "tokens (" +
         format_usd(number_at(r, "usd_per_million_input_tokens")) +
         " per million), decoding to output tokens (" +
         format_usd(number_at(r, "usd_per_million_output_tokens")) +
         " per million). Output tokens cost more because each needs a whole decode step.")
            .c_str());
  } else {
    ImGui::TextUnformatted(
        "No price per device-hour is known for this accelerator: enter one to see costs.");
  }
  ImGui::Spacing();
  // The batch.
  const Json& m = r["memory"];
  if (number_at(m, "kv_cache_bytes_per_request_per_gpu") > 0 &&
      number_at(m, "kv_cache_pool_bytes") > 0) {
    ImGui::TextUnformatted(
        ("Max concurrency: " + format_integer(number_at(r, "max_concurrency"))).c_str());
    ImGui::Separator();
    ImGui::TextUnformatted(
        ("Each request reserves its whole input + output in the KV cache: " +
         format_bytes(number_at(m, "kv_cache_bytes_per_request_per_gpu")) + " per GPU (" +
         format_bytes(number_at(m, "kv_cache_bytes_per_token_per_gpu")) +
         " per token), out of a KV pool of " + format_bytes(number_at(m, "kv_cache_pool_bytes")) +
         " per GPU; " + string_at(r, "limit_detail") + ".")
            .c_str());
  }
  ImGui::PopTextWrapPos();
}

}  // namespace pertoken::app::panels
