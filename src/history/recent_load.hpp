// The load state at the end of the history that the planner starts from
// (analysis.md §2.3, §4.6).
#ifndef ULTRASTRENGTH_HISTORY_RECENT_LOAD_HPP
#define ULTRASTRENGTH_HISTORY_RECENT_LOAD_HPP

#include "history/history.hpp"

namespace ultrastrength {

/// Mean daily running-type load of the last `days` days of the history
/// (§4.6 projection); the planned strength is added on top.
double mean_daily_load(const History& history, int days);

/// Largest session spike of the last 7 days (§2.3): effort-km over the longest
/// session of the `window_days` days before it.
double spike_last_7_days(const History& history, int window_days);

} // namespace ultrastrength

#endif
