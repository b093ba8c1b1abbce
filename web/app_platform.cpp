// pertoken-app's web platform: the only file of the browser build of the app that includes
// Emscripten's GLFW, WebGL 2 (OpenGL ES 3) and the ImGui backends. Owns main() and the browser's
// frame loop (emscripten_set_main_loop); everything drawn comes from native/app/ui.hpp.
#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <emscripten/emscripten.h>
#include <emscripten/html5.h>
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "app_model.hpp"
#include "ui.hpp"

namespace {

struct App {
  GLFWwindow* window = nullptr;
  pertoken::app::Model model;
  std::unique_ptr<pertoken::app::Ui> ui;
  int width = 0;
  int height = 0;
  // Shortcut key presses, queued by GLFW's key callback as they happen and run at the next frame:
  // a tap that starts and ends between two frames is not lost.
  std::vector<pertoken::app::Command> commands;
};

App& app() {
  static App instance;
  return instance;
}

// The canvas's size on the page, in CSS pixels (the page lays it out; the app follows).
void canvas_size(int& width, int& height) {
  double w = 0, h = 0;
  emscripten_get_element_css_size("#canvas", &w, &h);
  width = std::max(320, static_cast<int>(w));
  height = std::max(240, static_cast<int>(h));
}

void open_url(const std::string& url) {
  if (url.rfind("https://", 0) != 0 && url.rfind("http://", 0) != 0) return;
  // A new tab, without a reference back to this page.
  EM_ASM({ window.open(UTF8ToString($0), '_blank', 'noopener,noreferrer'); }, url.c_str());
}

// File > Open: the browser's file picker (app.ts); the picked file arrives in the in-memory file
// system at upload_path, and pertoken_app_open below opens it.
constexpr const char* upload_path = "/tmp/pertoken-upload.json";

void pick_file(pertoken::app::Command command) {
  const int kind = command == pertoken::app::Command::open_catalog   ? 1
                   : command == pertoken::app::Command::import_model ? 2
                                                                     : 0;
  EM_ASM({ Module['pickFile']($0, UTF8ToString($1)); }, kind, upload_path);
}

// Save and export: a download of the text under the suggested name (app.ts).
void save_file(const std::string& name, const std::string& text) {
  EM_ASM({ Module['saveFile'](UTF8ToString($0), UTF8ToString($1)); }, name.c_str(), text.c_str());
}

void frame() {
  App& a = app();
  int width = 0, height = 0;
  canvas_size(width, height);
  if (width != a.width || height != a.height) {
    glfwSetWindowSize(a.window, width, height);
    a.width = width;
    a.height = height;
  }
  glfwPollEvents();
  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplGlfw_NewFrame();
  ImGui::NewFrame();
  for (const pertoken::app::Command command : std::exchange(a.commands, {})) a.ui->run(command);
  a.ui->frame(glfwGetTime());
  ImGui::Render();
  int fb_width = 0, fb_height = 0;
  glfwGetFramebufferSize(a.window, &fb_width, &fb_height);
  glViewport(0, 0, fb_width, fb_height);
  const ImVec4 clear = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];
  glClearColor(clear.x, clear.y, clear.z, 1);
  glClear(GL_COLOR_BUFFER_BIT);
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
}

}  // namespace

// Called by app.ts once a picked file is in the in-memory file system: 1 a catalog, 2 a Hugging
// Face config.json to import, 0 a scenario.
extern "C" EMSCRIPTEN_KEEPALIVE void pertoken_app_open(int kind) {
  App& a = app();
  if (!a.ui) return;
  if (kind == 1) {
    a.ui->open_catalog_file(upload_path);
  } else if (kind == 2) {
    a.ui->import_model_file(upload_path);
  } else {
    a.ui->open_scenario_file(upload_path);
  }
}

int main() {
  App& a = app();
  if (!glfwInit()) return 1;
  glfwWindowHint(GLFW_CLIENT_API, GLFW_OPENGL_ES_API);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
  canvas_size(a.width, a.height);
  a.window = glfwCreateWindow(a.width, a.height, "pertoken", nullptr, nullptr);
  if (a.window == nullptr) return 1;
  glfwMakeContextCurrent(a.window);

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;
  io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
  // The browser build uses ImGui's built-in font: the page fetches no font file.
  ImFontConfig font;
  font.SizePixels = 15;
  io.Fonts->AddFontDefault(&font);

  pertoken::app::UiOptions options;
  options.dark = true;
  options.remember_last = false;  // the browser's file system is memory only
  pertoken::app::Services services;
  services.open_url = open_url;
  services.pick_file = pick_file;
  services.save_file = save_file;
  a.ui = std::make_unique<pertoken::app::Ui>(a.model, services, options);
  a.ui->apply_theme();
  // Set before ImGui's backend, which chains it.
  glfwSetKeyCallback(a.window, [](GLFWwindow*, int key, int, int action, int mods) {
    if (action != GLFW_PRESS) return;
    const std::optional<pertoken::app::Command> command =
        pertoken::app::shortcut_command(key, (mods & GLFW_MOD_CONTROL) != 0,
                                        (mods & GLFW_MOD_SHIFT) != 0, (mods & GLFW_MOD_ALT) != 0);
    if (command) app().commands.push_back(*command);
  });
  ImGui_ImplGlfw_InitForOpenGL(a.window, true);
  ImGui_ImplOpenGL3_Init("#version 300 es");
  emscripten_set_main_loop(frame, 0, true);
  return 0;
}
