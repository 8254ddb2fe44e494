// Garmin FIT workout files, one per session (output-formats.md §1): the only
// offline, fully structured way onto a watch (copy into GARMIN/NewFiles).
#ifndef ULTRASTRENGTH_PLUGINS_GARMIN_FIT_GARMIN_FIT_WRITER_HPP
#define ULTRASTRENGTH_PLUGINS_GARMIN_FIT_GARMIN_FIT_WRITER_HPP

#include "plugins/writer.hpp"

#include <cstddef>
#include <memory>

namespace ultrastrength {

/// Steps per workout we stay within: Garmin Connect's strength editor caps
/// workouts at 50 steps (§1.6; device limits unverified).
inline constexpr std::size_t fit_max_workout_steps = 50;

std::unique_ptr<Writer> make_garmin_fit_writer();

} // namespace ultrastrength

#endif
