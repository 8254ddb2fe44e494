#include "history/weekly_pattern.hpp"

#include "model/time.hpp"

#include <algorithm>
#include <array>

namespace ultrastrength {

namespace {

std::string weekday_list(const std::vector<int>& days) {
    std::string out;
    for (const int d : days) {
        out += (out.empty() ? "" : ", ") + std::string(weekday_name(d));
    }
    return out.empty() ? std::string("none") : out;
}

} // namespace

PatternEvidence read_weekly_pattern(const History& h,
                                    const std::vector<std::int64_t>& activity_days) {
    constexpr std::size_t window = 6;             // complete weeks looked at [choice]
    constexpr double back_to_back_fraction = 0.6; // day-2 effort-km vs the long run [choice]
    int back_to_back = 0;
    PatternEvidence ev;
    // The last complete, loaded weeks (gaps say nothing about the athlete's week).
    std::vector<const Week*> weeks;
    for (auto it = h.weeks.rbegin(); it != h.weeks.rend() && weeks.size() < window; ++it) {
        if (!it->partial && it->status != WeekStatus::gap && it->status != WeekStatus::known_gap &&
            it->sessions > 0) {
            weeks.push_back(&*it);
        }
    }
    ev.weeks_used = static_cast<int>(weeks.size());
    if (weeks.empty()) {
        ev.notes.push_back("no complete training week in the history: long run on Sunday, no "
                           "hard or rest days assumed");
        return ev;
    }
    std::array<int, 7> long_count{};
    std::array<int, 7> hard_count{};
    std::array<int, 7> active_count{};
    std::array<std::int64_t, 7> last_long{}; // most recent week with the long run on that day
    for (const Week* w : weeks) {
        const std::int64_t first = w->start_day;
        const Session* longest = nullptr;
        std::array<bool, 7> hard{};
        for (const Session& s : h.sessions) {
            if (s.local_day < first || s.local_day > first + 6) {
                continue;
            }
            if (s.in_volume && (longest == nullptr || s.effort_km > longest->effort_km)) {
                longest = &s;
            }
        }
        for (const Session& s : h.sessions) {
            if (s.local_day < first || s.local_day > first + 6 || &s == longest || !s.running) {
                continue;
            }
            const double per_hour = s.moving_s > 0 ? s.load / (s.moving_s / 3600) : 0;
            const bool is_hard = s.intensity_factor ? *s.intensity_factor >= 0.80 : per_hour >= 64;
            if (is_hard) {
                hard[static_cast<std::size_t>(s.local_day - first)] = true;
            }
        }
        if (longest != nullptr) {
            // A back-to-back block (a second long day right after) counts as
            // one long effort ending on its second day: §4.4 keeps hard work
            // off the 48 h before it and the day after the whole block.
            std::int64_t end = longest->local_day;
            for (const Session& s : h.sessions) {
                if (s.in_volume && s.local_day == longest->local_day + 1 &&
                    s.effort_km >= back_to_back_fraction * longest->effort_km) {
                    end = s.local_day;
                    ++back_to_back;
                    break;
                }
            }
            const auto d = static_cast<std::size_t>(((end - first) % 7 + 7) % 7);
            ++long_count[d];
            last_long[d] = std::max(last_long[d], end);
        }
        std::array<bool, 7> active{};
        for (const std::int64_t day : activity_days) {
            if (day >= first && day <= first + 6) {
                active[static_cast<std::size_t>(day - first)] = true;
            }
        }
        for (std::size_t d = 0; d < 7; ++d) {
            hard_count[d] += hard[d] ? 1 : 0;
            active_count[d] += active[d] ? 1 : 0;
        }
    }
    const int n = ev.weeks_used;
    // Long run: the most frequent weekday; ties go to the more recent week.
    int long_day = 6;
    for (int d = 0; d < 7; ++d) {
        const auto i = static_cast<std::size_t>(d);
        const auto b = static_cast<std::size_t>(long_day);
        if (long_count[i] > long_count[b] ||
            (long_count[i] == long_count[b] && long_count[i] > 0 && last_long[i] > last_long[b])) {
            long_day = d;
        }
    }
    ev.pattern.long_run_weekday = long_day;
    ev.notes.push_back(
        "long run on " + std::string(weekday_name(long_day)) + " (the longest run" +
        (back_to_back > 0 ? std::string(", or the second day of a back-to-back block,") : "") +
        " in " + std::to_string(long_count[static_cast<std::size_t>(long_day)]) + " of " +
        std::to_string(n) + " weeks)");
    for (int d = 0; d < 7; ++d) {
        if (d != long_day && 2 * hard_count[static_cast<std::size_t>(d)] >= n) {
            ev.pattern.hard_weekdays.push_back(d);
        }
    }
    ev.notes.push_back("hard days: " + weekday_list(ev.pattern.hard_weekdays) +
                       " (a run at IF >= 0.80 in at least half of the weeks)");
    // Rest days: the emptiest weekdays, at most two, so strength still has days to go on.
    std::vector<int> empty;
    for (int d = 0; d < 7; ++d) {
        if (d != long_day && active_count[static_cast<std::size_t>(d)] <= (n >= 4 ? 1 : 0)) {
            empty.push_back(d);
        }
    }
    std::stable_sort(empty.begin(), empty.end(), [&](int a, int b) {
        return active_count[static_cast<std::size_t>(a)] <
               active_count[static_cast<std::size_t>(b)];
    });
    if (empty.size() > 2) {
        empty.resize(2);
    }
    std::sort(empty.begin(), empty.end());
    ev.pattern.rest_weekdays = empty;
    ev.notes.push_back("rest days: " + weekday_list(empty) +
                       " (no recorded activity of any sport in at most one week; at most two)");
    return ev;
}

} // namespace ultrastrength
