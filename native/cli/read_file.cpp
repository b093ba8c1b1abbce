// Reading whole files for the CLI.
#include "read_file.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace pertoken::cli {

std::optional<std::string> read_file(const std::string& path, std::string& error) {
  // A directory opens as a stream that reads nothing, which would pass for an empty file.
  std::error_code ignored;
  if (std::filesystem::is_directory(path, ignored)) {
    error = "it is a directory";
    return std::nullopt;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = std::strerror(errno);
    return std::nullopt;
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) {
    error = "read failed";
    return std::nullopt;
  }
  return buffer.str();
}

}  // namespace pertoken::cli
