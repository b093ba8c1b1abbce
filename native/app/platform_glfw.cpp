// pertoken-app's desktop platform: the only file of the app that includes GLFW, OpenGL and the
// ImGui backends. Owns main(), the command line, the window, fonts and DPI, key codes, the main
// loop and screenshots; everything drawn comes from ui.hpp.
#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>
#include <spawn.h>
#include <stb_image_write.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "app_model.hpp"
#include "files.hpp"
#include "ui.hpp"

extern char** environ;

namespace pertoken::app {

// The embedded proportional font (DejaVu Sans from Debian's fonts-dejavu-core, compiled in at
// build time by embed_binary.cmake); empty when the build found no font file.
std::span<const unsigned char> embedded_font();

namespace {

constexpr const char* usage = R"(pertoken-app: the pertoken calculator and planner, a desktop app.

Usage:
  pertoken-app [--scenario FILE] [--catalog FILE] [--import-model CONFIG] [--theme light|dark]
               [--view VIEW] [--size WxH] [--screenshot OUT.png] [--frames N] [--export DIR]
  pertoken-app --scenario FILE [--catalog FILE] [--import-model CONFIG] --print-result
  pertoken-app --help

  --scenario FILE    open a scenario (the CLI's --scenario JSON); without it, the last scenario
                     (remembered in the user's config folder) or the built-in example
  --catalog FILE     extend the built-in catalog (checked by the core; errors are listed)
  --import-model CONFIG
                     import a Hugging Face config.json into the catalog and choose the model
                     (as File > Import model; its id as `pertoken import-model` gives it)
  --print-result     print the result JSON the app shows (as `pertoken estimate --scenario FILE
                     --format json`, with --catalog as its --catalog) and exit: 0, or 2 with
                     the problems on stderr
  --screenshot FILE  render the window once, write it as PNG and exit
  --view VIEW        calculator (default), why, planner, or help: what the window shows first
  --frames N         render N frames and exit (scripted runs)
  --export DIR       after the frames, write result.json, result.csv, charts.json, charts.csv
  --size WxH         the window's size in screen coordinates [1280x800]
  --theme T          light or dark [dark]
  --no-remember      neither read nor write the remembered scenario
)";

// What GLFW's callbacks queue for the main loop (the window's user pointer).
struct WindowEvents {
  std::vector<std::string> dropped;  // files dropped on the window
  std::vector<Command> commands;     // shortcuts pressed
};

struct Options {
  std::optional<std::string> scenario;
  std::optional<std::string> catalog;
  std::optional<std::string> import_model;  // a Hugging Face config.json
  std::optional<std::string> screenshot;
  std::optional<std::string> export_dir;
  std::string view = "calculator";
  bool print_result = false;
  bool dark = true;
  bool remember = true;
  int frames = 0;
  int width = 1280;
  int height = 800;
};

// Returns nullopt after printing why the command line is wrong (or the help).
std::optional<Options> parse_options(int argc, char** argv, int& exit_code) {
  Options o;
  exit_code = 2;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&]() -> std::optional<std::string> {
      if (i + 1 >= argc) return std::nullopt;
      return std::string(argv[++i]);
    };
    std::optional<std::string> v;
    if (arg == "--help" || arg == "-h") {
      std::cout << usage;
      exit_code = 0;
      return std::nullopt;
    } else if (arg == "--print-result") {
      o.print_result = true;
      continue;
    } else if (arg == "--no-remember") {
      o.remember = false;
      continue;
    }
    v = value();
    if (!v) {
      std::cerr << "pertoken-app: " << arg << ": needs a value (try --help)\n";
      return std::nullopt;
    }
    if (arg == "--scenario") {
      o.scenario = v;
    } else if (arg == "--catalog") {
      o.catalog = v;
    } else if (arg == "--import-model") {
      o.import_model = v;
    } else if (arg == "--screenshot") {
      o.screenshot = v;
    } else if (arg == "--export") {
      o.export_dir = v;
    } else if (arg == "--view" &&
               (*v == "calculator" || *v == "why" || *v == "planner" || *v == "help")) {
      o.view = *v;
    } else if (arg == "--theme" && (*v == "light" || *v == "dark")) {
      o.dark = *v == "dark";
    } else if (arg == "--frames") {
      o.frames = std::atoi(v->c_str());
      if (o.frames < 1 || o.frames > 100000) {
        std::cerr << "pertoken-app: --frames: must be 1 to 100000\n";
        return std::nullopt;
      }
    } else if (arg == "--size") {
      if (std::sscanf(v->c_str(), "%dx%d", &o.width, &o.height) != 2 || o.width < 320 ||
          o.height < 240 || o.width > 8192 || o.height > 8192) {
        std::cerr << "pertoken-app: --size: must be WxH, from 320x240 to 8192x8192\n";
        return std::nullopt;
      }
    } else {
      std::cerr << "pertoken-app: unknown option or value: " << arg << " " << *v
                << " (try --help)\n";
      return std::nullopt;
    }
  }
  if (o.print_result && !o.scenario) {
    std::cerr << "pertoken-app: --print-result needs --scenario FILE\n";
    return std::nullopt;
  }
  exit_code = 0;
  return o;
}

// The problems of a file the command line names, as "pertoken-app: FILE: /path: message".
void print_problems(const std::string& path, const std::vector<Problem>& problems) {
  for (const Problem& p : problems) {
    std::cerr << "pertoken-app: " << path << ": " << (p.path.empty() ? "/" : p.path) << ": "
              << p.message << "\n";
  }
}

int print_result(const Options& o) {
  const std::string& path = *o.scenario;
  std::string error;
  const std::optional<std::string> text = read_file(path, error);
  if (!text) {
    std::cerr << "pertoken-app: --scenario: cannot read " << path << ": " << error << "\n";
    return 2;
  }
  // The catalog as the window would have it: the catalog file, then the imported model.
  Model model;
  const std::pair<const std::optional<std::string>&, bool> files[] = {{o.catalog, false},
                                                                      {o.import_model, true}};
  for (const auto& [file, config] : files) {
    if (!file) continue;
    const std::optional<std::string> content = read_file(*file, error);
    if (!content) {
      std::cerr << "pertoken-app: cannot read " << *file << ": " << error << "\n";
      return 2;
    }
    const std::vector<Problem> problems =
        config ? model.import_model(*content) : model.load_catalog(*content);
    if (!problems.empty()) {
      print_problems(*file, problems);
      return 2;
    }
  }
  bool ok = false;
  const std::string answer = evaluate_for_print(*text, model.catalog(), ok);
  if (!ok) {
    std::cerr << "pertoken-app: " << path << ": " << answer << "\n";
    return 2;
  }
  std::cout << answer << "\n";
  return 0;
}

// Opens a URL in the user's browser (xdg-open), without a shell.
void open_url(const std::string& url) {
  if (url.rfind("https://", 0) != 0 && url.rfind("http://", 0) != 0) return;
  std::vector<char> program(std::begin("xdg-open"), std::end("xdg-open"));
  std::vector<char> argument(url.begin(), url.end());
  argument.push_back('\0');
  char* args[] = {program.data(), argument.data(), nullptr};
  pid_t pid = 0;
  posix_spawnp(&pid, "xdg-open", nullptr, nullptr, args, environ);
}

// The framebuffer as a PNG, top row first.
bool write_screenshot(const std::string& path, int width, int height) {
  std::vector<unsigned char> pixels(static_cast<std::size_t>(width) * height * 4);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadBuffer(GL_BACK);
  glReadPixels(0, 0, width, height, GL_RGBA, GL_UNSIGNED_BYTE, pixels.data());
  const std::size_t row = static_cast<std::size_t>(width) * 4;
  std::vector<unsigned char> flipped(pixels.size());
  for (int y = 0; y < height; ++y) {
    std::memcpy(&flipped[static_cast<std::size_t>(y) * row],
                &pixels[static_cast<std::size_t>(height - 1 - y) * row], row);
  }
  // Opaque: the window has no transparency.
  for (std::size_t i = 3; i < flipped.size(); i += 4) flipped[i] = 255;
  return stbi_write_png(path.c_str(), width, height, 4, flipped.data(), static_cast<int>(row)) != 0;
}

void glfw_error(int code, const char* description) {
  std::cerr << "pertoken-app: GLFW error " << code << ": " << description << "\n";
}

// The UI font at `scale` x 16 px: DejaVu Sans when the build embedded it, else ImGui's own.
void load_fonts(float scale) {
  ImGuiIO& io = ImGui::GetIO();
  io.Fonts->Clear();
  const std::span<const unsigned char> font = embedded_font();
  ImFont* loaded = nullptr;
  if (!font.empty()) {
    ImFontConfig config;
    config.FontDataOwnedByAtlas = false;  // static data, compiled in
    config.OversampleH = 2;
    static const ImWchar ranges[] = {0x0020, 0x00FF, 0x2010, 0x2027, 0x2190, 0x21FF,
                                     0x2212, 0x2212, 0x00B5, 0x00B5, 0};
    loaded = io.Fonts->AddFontFromMemoryTTF(const_cast<unsigned char*>(font.data()),
                                            static_cast<int>(font.size()),
                                            std::round(16.0f * scale), &config, ranges);
  }
  if (loaded == nullptr) {
    ImFontConfig config;
    config.SizePixels = std::round(13.0f * scale);
    io.Fonts->AddFontDefault(&config);
  }
}

int run_window(const Options& o) {
  glfwSetErrorCallback(glfw_error);
  if (!glfwInit()) {
    std::cerr << "pertoken-app: no display (GLFW could not start; under X set DISPLAY, or use "
                 "xvfb-run)\n";
    return 1;
  }
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
  glfwWindowHint(GLFW_SCALE_TO_MONITOR, GLFW_TRUE);
  GLFWwindow* window = glfwCreateWindow(o.width, o.height, "pertoken", nullptr, nullptr);
  if (window == nullptr) {
    glfwTerminate();
    return 1;
  }
  glfwMakeContextCurrent(window);
  glfwSwapInterval(1);

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // the layout is the app's; nothing to remember
  io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
  float xscale = 1, yscale = 1;
  glfwGetWindowContentScale(window, &xscale, &yscale);
  const float scale = std::clamp(std::max(xscale, yscale), 1.0f, 4.0f);

  Model model;
  bool quit = false;
  Services services;
  services.open_url = open_url;
  services.quit = [&quit] { quit = true; };
  UiOptions ui_options;
  ui_options.dark = o.dark;
  ui_options.remember_last = o.remember && !o.screenshot;
  ui_options.screenshot = o.screenshot.has_value();
  Ui ui(model, services, ui_options);
  ui.apply_theme();
  ImGui::GetStyle().ScaleAllSizes(scale);
  load_fonts(scale);
  // Files dropped on the window and shortcut key presses: queued by GLFW's callbacks as they
  // happen, handled between frames. The key callback is set before ImGui's backend, which chains
  // it.
  WindowEvents events;
  glfwSetWindowUserPointer(window, &events);
  glfwSetKeyCallback(window, [](GLFWwindow* w, int key, int, int action, int mods) {
    if (action != GLFW_PRESS) return;
    const std::optional<Command> command =
        shortcut_command(key, (mods & GLFW_MOD_CONTROL) != 0, (mods & GLFW_MOD_SHIFT) != 0,
                         (mods & GLFW_MOD_ALT) != 0);
    if (command)
      static_cast<WindowEvents*>(glfwGetWindowUserPointer(w))->commands.push_back(*command);
  });
  glfwSetDropCallback(window, [](GLFWwindow* w, int count, const char** paths) {
    auto* queue = static_cast<WindowEvents*>(glfwGetWindowUserPointer(w));
    for (int i = 0; i < count; ++i) queue->dropped.emplace_back(paths[i]);
  });
  ImGui_ImplGlfw_InitForOpenGL(window, true);
  ImGui_ImplOpenGL3_Init("#version 130");

  int status = 0;
  std::string problems;
  if (o.catalog && !ui.open_catalog_file(*o.catalog, &problems)) status = 2;
  // Before the scenario: a scenario file naming the imported model's id finds it.
  if (o.import_model && !ui.import_model_file(*o.import_model, &problems)) status = 2;
  if (o.scenario) {
    if (!ui.open_scenario_file(*o.scenario, &problems)) status = 2;
  } else if (ui_options.remember_last) {
    ui.restore_last_scenario();
  }
  if (!problems.empty()) std::cerr << "pertoken-app: " << problems;
  if (o.view == "planner") ui.run(Command::show_planner);
  if (o.view == "help") ui.run(Command::show_help);
  if (o.view == "why") ui.open_view_why();

  // A screenshot waits a few frames: tables and tab bars size themselves over the first ones.
  const int frames = o.screenshot ? std::max(o.frames, 4) : o.frames;
  for (int frame = 1; !glfwWindowShouldClose(window) && !quit; ++frame) {
    if (frames > 0) {
      glfwPollEvents();
    } else {
      glfwWaitEventsTimeout(0.1);  // idle without spinning; wakes for input at once
    }
    for (const std::string& path : std::exchange(events.dropped, {})) {
      std::string error;
      const std::optional<std::string> text = read_file(path, error);
      if (!text) {
        ui.open_scenario_file(path);  // reports the read error in the Problems window
        continue;
      }
      switch (kind_of_dropped_file(*text)) {
        case DroppedFile::model_config: ui.import_model_file(path); break;
        case DroppedFile::catalog: ui.open_catalog_file(path); break;
        case DroppedFile::scenario: ui.open_scenario_file(path); break;
      }
    }
    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplGlfw_NewFrame();
    // A screenshot shows no hover: the pointer is away from the window.
    if (o.screenshot) io.MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
    ImGui::NewFrame();
    for (const Command command : std::exchange(events.commands, {})) ui.run(command);
    ui.frame(glfwGetTime());
    ImGui::Render();
    int width = 0, height = 0;
    glfwGetFramebufferSize(window, &width, &height);
    glViewport(0, 0, width, height);
    const ImVec4 clear = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];
    glClearColor(clear.x, clear.y, clear.z, 1);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    if (frames > 0 && frame >= frames) {
      if (o.screenshot && !write_screenshot(*o.screenshot, width, height)) {
        std::cerr << "pertoken-app: --screenshot: cannot write " << *o.screenshot << "\n";
        status = 1;
      }
      if (o.export_dir) {
        std::string error;
        if (!ui.export_all(*o.export_dir, error)) {
          std::cerr << "pertoken-app: --export: " << error << "\n";
          status = 1;
        }
      }
      break;
    }
    glfwSwapBuffers(window);
  }

  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplGlfw_Shutdown();
  ImGui::DestroyContext();
  glfwDestroyWindow(window);
  glfwTerminate();
  return status;
}

}  // namespace
}  // namespace pertoken::app

int main(int argc, char** argv) {
  int exit_code = 0;
  const std::optional<pertoken::app::Options> options =
      pertoken::app::parse_options(argc, argv, exit_code);
  if (!options) return exit_code;
  if (options->print_result) return pertoken::app::print_result(*options);
  return pertoken::app::run_window(*options);
}
