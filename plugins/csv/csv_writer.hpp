// A CSV of the plan, one row per exercise step (output-formats.md §4.3): a
// coach-facing export for spreadsheets; no platform imports it as a plan.
#ifndef ULTRASTRENGTH_PLUGINS_CSV_CSV_WRITER_HPP
#define ULTRASTRENGTH_PLUGINS_CSV_CSV_WRITER_HPP

#include "plugins/writer.hpp"

#include <memory>
#include <string>
#include <string_view>

namespace ultrastrength {

std::unique_ptr<Writer> make_csv_writer();

namespace detail {
/// RFC 4180 field: quoted (with doubled quotes) when it holds ',', '"', CR or LF.
std::string csv_field(std::string_view text);
} // namespace detail

} // namespace ultrastrength

#endif
