// Workout names and text lengths the platforms accept: one name per session,
// unique within the plan and readable on a watch ("W3 Tue Heavy+Corrective"),
// computed here for every writer so the planner's titles stay as they are.
#ifndef ULTRASTRENGTH_PLUGINS_WORKOUT_NAMES_HPP
#define ULTRASTRENGTH_PLUGINS_WORKOUT_NAMES_HPP

#include "model/plan.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace ultrastrength::detail {

/// What a watch shows of a workout name: Garmin's FIT SDK allocates the
/// workout message's wkt_name as a 16-byte array (FIT_WORKOUT_MESG_WKT_NAME_COUNT
/// in the C SDK's fit_example.h, the profile as Garmin's encoder ships it):
/// 15 bytes and the terminating NUL. The profile itself (Profile.xlsx, and
/// @garmin/fitsdk's profile.js) gives strings no length.
inline constexpr std::size_t watch_name_max_bytes = 15;
/// Garmin Connect keeps the first 256 characters (UTF-16 code units) of a
/// workout name and drops the rest without an error (measured against the
/// workout service, Taxuspt/garmin_mcp pull request 352).
inline constexpr std::size_t connect_name_max_units = 256;

struct WorkoutName {
    /// "W3 Tue Heavy+Corrective": week of the plan (W1 holds the plan's
    /// first day, weeks run Monday-Sunday), weekday, the session's kind.
    std::string full;
    /// The same within watch_name_max_bytes: "W3 Tue Hvy+Cor", "W12 Sat H+P+C".
    std::string watch;
};

/// One name per session, in plan order. Both the full and the watch names are
/// distinct within the plan: two sessions of one day and kind get " 2", " 3".
std::vector<WorkoutName> workout_names(const Plan& plan);

/// `text` cut to at most `max_bytes` bytes at a line end or, failing that, a
/// space, never inside a word or a UTF-8 sequence, with "…" marking the cut;
/// unchanged when it fits. A single word longer than the limit is cut on a
/// UTF-8 boundary.
std::string cut_at_boundary(std::string_view text, std::size_t max_bytes);

} // namespace ultrastrength::detail

#endif
