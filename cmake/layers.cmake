# Layering the build enforces (CONTRIBUTING.md, "Layout").
#
# No folder of the source tree is on any include path. Each layer's library
# gets its own include tree in the build folder, holding links to its own
# header folders only, under the prefix the code includes them by:
#
#   build/layers/us_plan/plan -> src/plan        (#include "plan/planner.hpp")
#
# A target sees a layer's headers only by linking that layer's library, so a
# library sees its own headers and those of the layers it links (beneath it),
# and including a header of a layer above fails to compile
# (tests/layering checks it). The links are made at configure time; a new
# header in an existing folder needs no reconfigure.
#
#   us_expose_headers(<target> <prefix>=<path> ...)
#
# <prefix> is the include prefix ("plan", "cli/version.hpp"); <path> the folder
# or file it stands for, relative to the top of the source tree.
function(us_expose_headers target)
  set(tree ${CMAKE_BINARY_DIR}/layers/${target})
  foreach(entry IN LISTS ARGN)
    string(FIND "${entry}" "=" eq)
    if(eq LESS 1)
      message(FATAL_ERROR "us_expose_headers(${target}): '${entry}' is not <prefix>=<path>")
    endif()
    string(SUBSTRING "${entry}" 0 ${eq} prefix)
    math(EXPR rest "${eq} + 1")
    string(SUBSTRING "${entry}" ${rest} -1 path)
    set(original ${CMAKE_SOURCE_DIR}/${path})
    if(NOT EXISTS ${original})
      message(FATAL_ERROR "us_expose_headers(${target}): ${original} does not exist")
    endif()
    set(link ${tree}/${prefix})
    if(IS_SYMLINK ${link})
      file(READ_SYMLINK ${link} current)
      if(current STREQUAL original)
        continue()
      endif()
      file(REMOVE ${link}) # a link, never followed
    endif()
    get_filename_component(parent ${link} DIRECTORY)
    file(MAKE_DIRECTORY ${parent})
    file(CREATE_LINK ${original} ${link} SYMBOLIC)
  endforeach()
  get_target_property(type ${target} TYPE)
  if(type STREQUAL "INTERFACE_LIBRARY")
    target_include_directories(${target} INTERFACE ${tree})
  else()
    target_include_directories(${target} PUBLIC ${tree})
  endif()
endfunction()
