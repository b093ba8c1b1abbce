// The hardware and model catalog: plain structs in SI units, parsed from JSON text.
// Pure C++: the core never opens files; callers pass the JSON text (see assets/catalog/FORMAT.md).
#pragma once

#include <array>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pertoken/catalog/precision.hpp"
#include "pertoken/catalog/provenance.hpp"
#include "pertoken/diagnostics.hpp"
#include "pertoken/economics/prices.hpp"
#include "pertoken/model/efficiency.hpp"

namespace pertoken {

// Peak dense tensor throughput for one number format.
struct PeakRate {
  bool supported = false;            // false: the hardware has no such format
  std::optional<double> flop_per_s;  // nullopt while supported: rate unknown
};

struct GpuSpec {
  std::string id;
  std::string name;
  std::string vendor;
  std::string kind;  // "gpu" | "accelerator" | "cpu"
  std::string form_factor;
  std::string memory_type;
  double memory_capacity_bytes = 0;         // > 0, from memory_gib
  double memory_bandwidth_bytes_per_s = 0;  // > 0, peak, from memory_bandwidth_tb_per_s
  std::array<PeakRate, all_precisions.size()> dense_peak{};  // indexed by Precision
  std::optional<double> tdp_w;
  std::string scale_up_link;
  std::optional<double> scale_up_bytes_per_s_per_direction;
  std::optional<double> scale_up_domain_size;  // devices in one scale-up domain
  // Tensor-parallel ranks one device holds, "tensor_parallel/cores_per_device": AWS Neuron runs a
  // rank per NeuronCore (2 per Inferentia2; 4 logical per Trainium2 at the default LNC=2), so a
  // scenario's tp counts cores there. 1 (the default): one rank per device, as on GPUs.
  int tp_cores_per_device = 1;
  // "tensor_parallel/pads_attention_heads": the device's serving stack pads the attention heads
  // up to a multiple of tp (AWS NxD Inference), so tp need not divide them; the padded heads cost
  // real compute, weights and KV cache. false (the default): tp must divide the heads.
  bool pads_attention_heads = false;
  std::optional<double> purchase_price_usd;
  std::optional<double> reference_usd_per_hour;  // per device
  std::string confidence;
  std::string notes;
  // Keyed by the figure's JSON pointer inside the entry, e.g. "/memory_gib", "/dense_tflops/fp8".
  std::map<std::string, Provenance> provenance;

  const PeakRate& peak(Precision p) const { return dense_peak[static_cast<std::size_t>(p)]; }
};

enum class AttentionKind { mha, gqa, mqa, mla };
enum class MlpKind { gated, plain };

struct SlidingWindow {
  int window_tokens = 0;  // > 0
  int num_layers = 0;     // layers with a local window; the rest attend globally
};

struct MoeSpec {
  int num_experts = 0;               // routed experts per MoE layer
  int experts_per_token = 0;         // top-k
  int num_shared_experts = 0;        // always-active experts
  int expert_intermediate_size = 0;  // FFN width of one expert
  int num_dense_layers = 0;          // leading layers with a dense FFN instead of experts
};

struct MlaSpec {
  int q_lora_rank = 0;  // 0: queries are not low-rank compressed
  int kv_lora_rank = 0;
  int qk_nope_head_dim = 0;
  int qk_rope_head_dim = 0;
  int v_head_dim = 0;
};

// The parts a quantized checkpoint stores at its default_weights precision; the rest stay at 16
// bits (embeddings and the LM head always do). Published checkpoints differ here: gpt-oss MXFP4
// quantizes only the routed experts, llm-compressor FP8 Llama 4 leaves attention at bf16.
struct QuantizedParts {
  bool attention = true;       // q, k, v, o projections (MLA: its projections)
  bool dense_mlp = true;       // FFNs of dense layers
  bool shared_experts = true;  // always-active experts of MoE layers
  bool routed_experts = true;  // routed experts of MoE layers
};

struct EncoderSpec {
  int num_layers = 0;        // encoder layers (same width as the decoder)
  int source_positions = 0;  // encoder sequence length (Whisper: 1500 audio frames)
  // Audio encoders: seconds of audio one pass covers (Whisper: 30 s, padded when shorter), so
  // hours of audio become requests. 0: not an audio encoder.
  int window_seconds = 0;
};

// Which block-scaled 4-bit format an fp4 checkpoint uses (ModelSpec::fp4_format).
enum class Fp4Format { nvfp4, mxfp4 };
// "nvfp4" or "mxfp4", as the catalog and the result JSON spell them.
std::string_view to_string(Fp4Format format);

struct ModelSpec {
  std::string id;
  std::string name;
  std::string family;
  int num_layers = 0;
  int hidden_size = 0;
  int num_attention_heads = 0;
  int num_kv_heads = 0;
  int head_dim = 0;
  int intermediate_size = 0;
  int vocab_size = 0;
  std::optional<int> max_context_tokens;  // nullopt: unknown, no limit enforced
  MlpKind mlp = MlpKind::gated;
  bool tie_word_embeddings = false;
  AttentionKind attention = AttentionKind::gqa;
  std::optional<SlidingWindow> sliding_window;
  std::optional<MoeSpec> moe;
  std::optional<MlaSpec> mla;
  std::optional<EncoderSpec> encoder;
  std::optional<double> published_total_params;  // as published (a count, not billions)
  std::optional<double> published_active_params;
  Precision default_weights = Precision::bf16;
  // nullopt: the usual layout (serving_plan.cpp); used when a scenario runs default_weights.
  std::optional<QuantizedParts> quantized_parts;
  // The block-scaled 4-bit format of the model's fp4 checkpoint: NVFP4 (ModelOpt; E4M3 scale per
  // 16) or MXFP4 (OCP MX, gpt-oss; E8M0 scale per 32). Engines multiply MXFP4 experts with 8-bit
  // activations where the chip has FP4 math (serving_plan.cpp).
  Fp4Format fp4_format = Fp4Format::nvfp4;
  std::string confidence;
  std::string notes;
  // Architecture figures listed as unknown (null) in the catalog; an estimate needs them all.
  std::vector<std::string> unknown_fields;
  std::map<std::string, Provenance> provenance;
};

// One parsed catalog file: any of gpus, models, efficiency, prices.
struct CatalogDocument {
  std::vector<GpuSpec> gpus;
  std::vector<ModelSpec> models;
  std::optional<EfficiencyOverlay> efficiency;
  std::optional<PriceCatalog> prices;  // extends the shipped prices (merge_prices)
};

struct Catalog {
  std::vector<GpuSpec> gpus;
  std::vector<ModelSpec> models;
  EfficiencyFactors efficiency;
  PriceCatalog prices;  // ways to pay (economics/prices.hpp)

  const GpuSpec* find_gpu(std::string_view id) const;
  const ModelSpec* find_model(std::string_view id) const;
};

// A catalog's ids and display names, in catalog order: what pickers show before the full entries
// (with their sources) are needed. `group` is a model's family or an accelerator's vendor.
struct CatalogNames {
  struct Entry {
    std::string id;
    std::string name;
    std::string group;
  };
  std::vector<Entry> models;
  std::vector<Entry> gpus;
};
CatalogNames catalog_names(const Catalog& catalog);

// Parses and validates one catalog document; every problem is reported with its JSON path.
Result<CatalogDocument> parse_catalog_document(std::string_view json_text);

// The stricter gate for the shipped catalog: every figure carries a source URL and an as_of date.
Diagnostics check_provenance(std::string_view json_text);
Diagnostics check_provenance(const CatalogDocument& document);  // the same, on a parsed document

// Entries of `overlay` replace those with the same id in `base` and new ids are appended; its
// prices extend base.prices (merge_prices).
Catalog merge_catalog(Catalog base, const CatalogDocument& overlay);

// The ids price rows name (a cloud or owned row's gpu, an API row's model) that `catalog` (an
// overlay merged into its base) does not hold: such a row would never price anything. Each
// diagnostic has the row's path, "/prices/cloud/3/gpu".
Diagnostics check_price_ids(const Catalog& catalog, const PriceCatalog& prices);

// A user's catalog document laid over `base`: parsed, merged, and its price rows' ids checked
// against the merged catalog (check_price_ids), so that a file is refused the same way at every
// door (the CLI's --catalog and validate-catalog, the web pages, the app).
Result<Catalog> extend_catalog(Catalog base, std::string_view document_text);
// The same on a document already parsed.
Result<Catalog> extend_catalog(Catalog base, const CatalogDocument& document);

// What a catalog file holds, as every door reports it (the CLI's validate-catalog, the pages'
// and the app's "applied" line): its entries, and how many of its figures lack a source URL, an
// as_of date or both (check_provenance; required of the shipped catalog only).
struct CatalogFileSummary {
  std::size_t gpus = 0;
  std::size_t models = 0;
  bool efficiency_overlay = false;
  std::size_t unsourced_figures = 0;
};
CatalogFileSummary summarize_catalog_document(const CatalogDocument& document);

// A user's catalog file laid over `base` (extend_catalog), read once; `file` receives its summary
// once the file parses (a file refused for its price rows' ids has one too). An out-parameter,
// not a pair in the Result, for the web page's first view: the pair cost it 84 bytes (gzip).
Result<Catalog> apply_catalog_file(Catalog base, std::string_view document_text,
                                   CatalogFileSummary& file);

// The catalog shipped in assets/catalog, compiled into the core (parsed once, on first use).
// The shipped catalog with the shipped price catalog (economics/prices.hpp) in `prices`:
// for front ends that plan fleets or flag stale prices (the CLI, the planner's door).
const Catalog& embedded_catalog_with_prices();
const Catalog& embedded_catalog();
// Problems found parsing the shipped catalog: empty unless a release shipped a broken file
// (the catalog gate test and the CLI's start-up check this).
const Diagnostics& embedded_catalog_diagnostics();

// The same answers as from embedded_catalog(), read from the shipped text without parsing all of
// it (a web page's first answer must not wait for sixty entries when it needs two; the tests hold
// both equal to the full catalog's):
// - catalog_names(embedded_catalog());
// - the shipped entries a scenario document names (its model, gpu and draft model ids) with the
//   shipped efficiency: any evaluation of that scenario against it equals one against
//   embedded_catalog(). Ids the shipped catalog lacks are left out, so they fail the same way.
CatalogNames embedded_catalog_names();
Catalog embedded_catalog_for_scenario(std::string_view scenario_json);

// The shipped catalog's JSON texts, for front ends that list sources (gpus.json, models.json).
std::string_view embedded_gpus_json();
std::string_view embedded_models_json();

}  // namespace pertoken
