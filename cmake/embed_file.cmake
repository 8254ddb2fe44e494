# Writes OUTPUT, a C++ header holding the bytes of INPUT as `inline constexpr
# unsigned char NAME[]` and `NAME_size`. Run as
#   cmake -DINPUT=file -DOUTPUT=header -DNAME=identifier -P embed_file.cmake
file(READ "${INPUT}" hex HEX)
string(LENGTH "${hex}" hex_length)
math(EXPR size "${hex_length} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
string(REGEX REPLACE "((0x[0-9a-f][0-9a-f],){16})" "\\1\n    " bytes "${bytes}")
get_filename_component(input_name "${INPUT}" NAME)
file(WRITE "${OUTPUT}.tmp"
"// Generated from ${input_name} by cmake/embed_file.cmake: do not edit.\n"
"#pragma once\n"
"#include <cstddef>\n"
"namespace ultrastrength::detail {\n"
"inline constexpr unsigned char ${NAME}[] = {\n    ${bytes}0x00};\n"
"inline constexpr std::size_t ${NAME}_size = ${size};\n"
"} // namespace ultrastrength::detail\n")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
