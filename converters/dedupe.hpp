// De-duplication (spec input-formats.md 4.3): the same run often arrives
// several times (FIT and GPX of one recording, or in both a Strava and a
// Garmin export). It is listed once, from the richest source, and the other
// copies are reported as duplicates of it.
#ifndef ULTRASTRENGTH_CONVERTERS_DEDUPE_HPP
#define ULTRASTRENGTH_CONVERTERS_DEDUPE_HPP

#include "converters/scan.hpp"
#include "model/activity.hpp"

#include <cstddef>
#include <vector>

namespace ultrastrength {

/// The rule: same sport family (running incl. trail/treadmill; walking and
/// hiking; cycling; swimming; strength; other) and either
///  - starts within `max_start_gap_s` and distances within `max_distance_diff`
///    of the longer one (or a distance unknown on either side), or
///  - the time spans (start + elapsed, or timer) overlap by more than half
///    of the shorter one: one person cannot record two runs at once, and a
///    phone's GPX can start minutes after the watch and measure 5 % more.
inline constexpr double max_start_gap_s = 60.0;
inline constexpr double max_distance_diff = 0.03;
inline constexpr double min_overlap_fraction = 0.5;

bool same_activity(const ActivityFeatures& a, const ActivityFeatures& b) noexcept;

/// Which copy to keep: FIT > TCX > GPX (FIT has the device's session totals,
/// TCX laps, GPX only points), then an intact copy over one with a CRC
/// error or truncation, then the one with more records, then the
/// smaller source name so that the choice is deterministic.
bool richer(const ActivityFeatures& a, const ActivityFeatures& b) noexcept;

/// The rule applied to a set of activities: copies that match
/// (same_activity), directly or through another copy (a watch's FIT, a phone's
/// GPX starting minutes later, a TCX of either), are one activity, kept from
/// its richest copy. `activities` are sorted by start time and all have one.
/// Returns, for each, the index of the copy kept for it (its own when kept).
/// `scan` (mark_duplicates) and the history (analysis.md §2.1) both use it.
std::vector<std::size_t> kept_copies(const std::vector<const ActivityFeatures*>& activities);

/// Moves every duplicate activity out of `activities` into `duplicates`
/// (an outcome left with none becomes Kind::duplicate); the kept copy takes
/// a duplicate's name when it has none. Returns how many were moved.
std::size_t mark_duplicates(std::vector<InputOutcome>& outcomes);

} // namespace ultrastrength

#endif
