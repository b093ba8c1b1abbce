// Reading whole files for the CLI (the core never touches files).
#pragma once

#include <optional>
#include <string>

namespace pertoken::cli {

// The file's bytes, or nullopt with `error` set to a readable reason.
std::optional<std::string> read_file(const std::string& path, std::string& error);

}  // namespace pertoken::cli
