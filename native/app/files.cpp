// Files for the app (see files.hpp).
#include "files.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <system_error>

namespace pertoken::app {

namespace fs = std::filesystem;

std::optional<std::string> read_file(const std::string& path, std::string& error) {
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (ec || !fs::exists(status)) {
    error = "no such file";
    return std::nullopt;
  }
  if (fs::is_directory(status)) {
    error = "is a folder";
    return std::nullopt;
  }
  if (fs::is_regular_file(status)) {
    const std::uintmax_t size = fs::file_size(path, ec);
    if (!ec && size > max_file_bytes) {
      error = "the file is " + std::to_string(size >> 20) + " MiB; the app opens files up to " +
              std::to_string(max_file_bytes >> 20) + " MiB";
      return std::nullopt;
    }
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = "cannot be opened";
    return std::nullopt;
  }
  // Read at most one byte past the limit, so that a file whose size was not known is refused too.
  std::string text;
  char buffer[1 << 16];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    text.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (text.size() > max_file_bytes) {
      error = "the file is larger than " + std::to_string(max_file_bytes >> 20) + " MiB";
      return std::nullopt;
    }
  }
  if (in.bad()) {
    error = "read failed";
    return std::nullopt;
  }
  return text;
}

bool write_file(const std::string& path, const std::string& text, std::string& error) {
  std::error_code ec;
  const fs::path parent = fs::path(path).parent_path();
  if (!parent.empty()) fs::create_directories(parent, ec);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) {
    error = "cannot be written";
    return false;
  }
  out << text;
  out.close();
  if (!out) {
    error = "write failed";
    return false;
  }
  return true;
}

std::string last_scenario_path() {
  std::string folder;
  if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg != nullptr && *xdg != '\0') {
    folder = xdg;
  } else if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') {
    folder = std::string(home) + "/.config";
  } else {
    return "";
  }
  return folder + "/pertoken/last-scenario.json";
}

std::vector<DirectoryEntry> list_directory(const std::string& folder,
                                           const std::vector<std::string>& extensions,
                                           std::string& error) {
  std::vector<DirectoryEntry> entries;
  std::error_code ec;
  fs::directory_iterator it(folder.empty() ? "." : folder, ec);
  if (ec) {
    error = ec.message();
    return entries;
  }
  for (const fs::directory_entry& entry : it) {
    const std::string name = entry.path().filename().string();
    if (name.empty() || name[0] == '.') continue;
    std::error_code type_ec;
    const bool directory = entry.is_directory(type_ec);
    if (!directory) {
      const std::string extension = entry.path().extension().string();
      if (std::find(extensions.begin(), extensions.end(), extension) == extensions.end()) continue;
    }
    entries.push_back({name, directory});
  }
  std::sort(entries.begin(), entries.end(), [](const DirectoryEntry& a, const DirectoryEntry& b) {
    if (a.directory != b.directory) return a.directory;
    return a.name < b.name;
  });
  return entries;
}

std::string current_directory() {
  std::error_code ec;
  const fs::path path = fs::current_path(ec);
  return ec ? "." : path.string();
}

std::string join_path(const std::string& folder, const std::string& name) {
  if (folder.empty()) return name;
  return (fs::path(folder) / name).string();
}

std::string parent_path(const std::string& path) {
  const fs::path p = fs::path(path).lexically_normal();
  const fs::path parent = p.has_filename() ? p.parent_path() : p.parent_path().parent_path();
  return parent.empty() ? "/" : parent.string();
}

DroppedFile kind_of_dropped_file(const std::string& text) {
  static const std::regex config(R"re("(model_type|architectures)"\s*:)re");
  // A catalog document's own sections (core/src/catalog/catalog.cpp, read_catalog_document): its
  // lists of accelerators or models, or an efficiency or price overlay (calibrate's output is
  // one); a scenario has none of these keys ("gpus" there is a number, num_gpus's alias).
  static const std::regex catalog(R"re("(gpus|models)"\s*:\s*\[|"(efficiency|prices)"\s*:\s*\{)re");
  if (std::regex_search(text, config)) return DroppedFile::model_config;
  if (std::regex_search(text, catalog)) return DroppedFile::catalog;
  return DroppedFile::scenario;
}

}  // namespace pertoken::app
