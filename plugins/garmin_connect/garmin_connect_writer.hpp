// Garmin Connect workout JSON (workout-service format, output-formats.md §2),
// one file per session, plus a schedule mapping each workout to its date.
#ifndef ULTRASTRENGTH_PLUGINS_GARMIN_CONNECT_GARMIN_CONNECT_WRITER_HPP
#define ULTRASTRENGTH_PLUGINS_GARMIN_CONNECT_GARMIN_CONNECT_WRITER_HPP

#include "plugins/writer.hpp"

#include <memory>

namespace ultrastrength {

std::unique_ptr<Writer> make_garmin_connect_writer();

} // namespace ultrastrength

#endif
