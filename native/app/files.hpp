// Files for the app: whole-file reads with a size limit, writes, the user's config folder and a
// folder listing for the file dialog. Standard library only (no ImGui, no platform headers).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace pertoken::app {

// The largest file the app opens: a catalog or scenario is a few hundred KB; beyond this a file is
// refused with a message instead of being read into memory.
inline constexpr std::size_t max_file_bytes = 16u << 20;  // 16 MiB

// The file's bytes, or nullopt with `error` set to a readable reason (missing, unreadable, a
// folder, larger than max_file_bytes).
std::optional<std::string> read_file(const std::string& path, std::string& error);

// Writes `text` to `path` (replacing it; missing parent folders are made); false with `error` set
// on failure.
bool write_file(const std::string& path, const std::string& text, std::string& error);

// Where the app remembers the last scenario: $XDG_CONFIG_HOME/pertoken/last-scenario.json, else
// $HOME/.config/pertoken/last-scenario.json; "" when neither variable is set.
std::string last_scenario_path();

struct DirectoryEntry {
  std::string name;
  bool directory = false;
};

// The folders and the files ending in one of `extensions` in `folder`, folders first, each
// sorted by name; empty with `error` set when the folder cannot be listed.
std::vector<DirectoryEntry> list_directory(const std::string& folder,
                                           const std::vector<std::string>& extensions,
                                           std::string& error);

// The current working folder, or "." when it cannot be read.
std::string current_directory();

// What a file dropped on the window holds, told by its keys: a Hugging Face config.json names
// its "model_type" (or "architectures"), a catalog lists "gpus" or "models", anything else is
// read as a scenario (whose own errors then say what is wrong).
enum class DroppedFile { model_config, catalog, scenario };
DroppedFile kind_of_dropped_file(const std::string& text);

// `folder` joined with `name` ("" folder: name), and the parent folder of `path`.
std::string join_path(const std::string& folder, const std::string& name);
std::string parent_path(const std::string& path);

}  // namespace pertoken::app
