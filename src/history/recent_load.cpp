#include "history/recent_load.hpp"

#include <algorithm>

namespace ultrastrength {

double mean_daily_load(const History& h, int days) {
    if (h.days.empty()) {
        return 0;
    }
    double sum = 0;
    int n = 0;
    // Running-type load only: the planned strength is added on top (§4.6).
    for (auto it = h.days.rbegin(); it != h.days.rend() && n < days; ++it, ++n) {
        sum += it->load - it->strength_load;
    }
    return sum / std::max(days, 1);
}

double spike_last_7_days(const History& h, int window_days) {
    double spike = 0;
    for (std::size_t i = 0; i < h.sessions.size(); ++i) {
        const Session& s = h.sessions[i];
        if (!s.in_volume || s.local_day <= h.today - 7 || s.local_day > h.today) {
            continue;
        }
        double longest = 0;
        for (const Session& p : h.sessions) {
            if (p.in_volume && p.local_day < s.local_day &&
                p.local_day >= s.local_day - window_days) {
                longest = std::max(longest, p.effort_km);
            }
        }
        if (longest > 0) {
            spike = std::max(spike, s.effort_km / longest);
        }
    }
    return spike;
}

} // namespace ultrastrength
