# Layering (CONTRIBUTING.md, "Layout"): dependencies point down. No file of a
# layer below the pipeline includes a pipeline or cli header, and the
# pipeline includes no cli header but the program's version.
#   cmake -DROOT=<source dir> -P check_layering.cmake
# Fails naming each offending file and line.
cmake_minimum_required(VERSION 3.25)
if(NOT ROOT)
  message(FATAL_ERROR "ROOT (the source folder to check) is not set")
endif()
set(rules
  "converters|cli/|pipeline/"
  "plugins|cli/|pipeline/"
  "src/model|cli/|pipeline/"
  "src/fit|cli/|pipeline/"
  "src/history|cli/|pipeline/"
  "src/phase|cli/|pipeline/"
  "src/plan|cli/|pipeline/"
  "src/store|cli/|pipeline/"
  "src/pipeline|cli/")
set(bad "")
foreach(rule IN LISTS rules)
  string(REPLACE "|" ";" parts "${rule}")
  list(GET parts 0 dir)
  list(SUBLIST parts 1 -1 forbidden)
  if(NOT EXISTS "${ROOT}/${dir}")
    continue()
  endif()
  file(GLOB_RECURSE files "${ROOT}/${dir}/*.cpp" "${ROOT}/${dir}/*.hpp" "${ROOT}/${dir}/*.h")
  foreach(f IN LISTS files)
    file(STRINGS "${f}" includes REGEX "^[ \t]*#[ \t]*include[ \t]*\"")
    foreach(line IN LISTS includes)
      string(REGEX REPLACE "^[ \t]*#[ \t]*include[ \t]*\"([^\"]*)\".*" "\\1" header "${line}")
      if(header STREQUAL "cli/version.hpp") # the program's version, shared by every layer
        continue()
      endif()
      foreach(prefix IN LISTS forbidden)
        if(prefix AND header MATCHES "^${prefix}")
          file(RELATIVE_PATH rel "${ROOT}" "${f}")
          string(APPEND bad "  ${rel}: #include \"${header}\" (${dir} is below ${prefix})\n")
        endif()
      endforeach()
    endforeach()
  endforeach()
endforeach()
if(bad)
  message(FATAL_ERROR "upward includes break the layering:\n${bad}")
endif()
message(STATUS "layering: no upward includes")
