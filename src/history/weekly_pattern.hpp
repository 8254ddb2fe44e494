// The athlete's running week as the history shows it (analysis.md §4.4):
// the long-run day, the hard days and the rest days the planner places
// strength around.
#ifndef ULTRASTRENGTH_HISTORY_WEEKLY_PATTERN_HPP
#define ULTRASTRENGTH_HISTORY_WEEKLY_PATTERN_HPP

#include "history/history.hpp"
#include "model/plan.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace ultrastrength {

/// The athlete's running week as read from the history (§4.4), before overrides.
struct PatternEvidence {
    WeeklyPattern pattern;
    int weeks_used = 0;             ///< complete weeks looked at
    std::vector<std::string> notes; ///< how each day was decided, for plan.txt
};

/// Weekly pattern from the last complete weeks: long-run day = the weekday of
/// each week's longest session most often; hard days = weekdays with a hard
/// session (IF >= 0.80, or >= 64 TSS-eq/h without IF) in at least half of the
/// weeks; rest days = weekdays with no recorded activity of any sport in at
/// most one week, at most two of them. `activity_days` are the local days of
/// every recorded activity (strength and cycling included).
PatternEvidence read_weekly_pattern(const History& history,
                                    const std::vector<std::int64_t>& activity_days);

} // namespace ultrastrength

#endif
