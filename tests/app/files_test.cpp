// Files dropped on the app's window are opened by what they hold (native/app/files.hpp).
#include "files.hpp"

#include <catch2/catch.hpp>

namespace {

using pertoken::app::DroppedFile;
using pertoken::app::kind_of_dropped_file;

TEST_CASE("a dropped file is opened by its keys", "[app][files]") {
  // A Hugging Face config.json (Llama 3.1 8B's opening keys).
  CHECK(kind_of_dropped_file(R"({"architectures": ["LlamaForCausalLM"], "hidden_size": 4096})") ==
        DroppedFile::model_config);
  CHECK(kind_of_dropped_file(R"({"hidden_size": 2048, "model_type": "qwen3_moe"})") ==
        DroppedFile::model_config);
  // A catalog lists accelerators or models.
  CHECK(kind_of_dropped_file(R"({"gpus": [{"id": "my-gpu"}]})") == DroppedFile::catalog);
  CHECK(kind_of_dropped_file("{\n  \"models\" :\n  [ ]\n}") == DroppedFile::catalog);
  // ... or only overlays the fitted factors (what `pertoken calibrate --output` writes) or prices.
  CHECK(kind_of_dropped_file(R"({"efficiency": {"compute_fraction": 0.6}})") ==
        DroppedFile::catalog);
  CHECK(kind_of_dropped_file(R"({"prices": {"cloud": []}})") == DroppedFile::catalog);
  // A scenario may say "gpus": 8 (the alias of num_gpus): a number, not a list.
  CHECK(kind_of_dropped_file(R"({"model": "llama-3.1-70b", "gpu": "h100-sxm", "gpus": 8})") ==
        DroppedFile::scenario);
  CHECK(kind_of_dropped_file("not json at all") == DroppedFile::scenario);
}

}  // namespace
