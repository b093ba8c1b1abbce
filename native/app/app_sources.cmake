# The sources of the app's UI library (its state, files, formats and the UI's panels), listed once
# for both builds of pertoken-app: native/app/CMakeLists.txt and, in the browser,
# web/CMakeLists.txt.
set(PERTOKEN_APP_UI_SOURCES
    "${CMAKE_CURRENT_LIST_DIR}/app_model.cpp"
    "${CMAKE_CURRENT_LIST_DIR}/files.cpp"
    "${CMAKE_CURRENT_LIST_DIR}/format.cpp"
    "${CMAKE_CURRENT_LIST_DIR}/ui.cpp"
    "${CMAKE_CURRENT_LIST_DIR}/ui_calculator.cpp"
    "${CMAKE_CURRENT_LIST_DIR}/ui_chart_data.cpp"
    "${CMAKE_CURRENT_LIST_DIR}/ui_files.cpp"
    "${CMAKE_CURRENT_LIST_DIR}/ui_form.cpp"
    "${CMAKE_CURRENT_LIST_DIR}/ui_planner.cpp"
    "${CMAKE_CURRENT_LIST_DIR}/ui_problems.cpp"
    "${CMAKE_CURRENT_LIST_DIR}/ui_why.cpp"
    "${CMAKE_CURRENT_LIST_DIR}/ui_widgets.cpp")
