#include "phase/phase.hpp"

#include "model/time.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <map>

namespace ultrastrength {

namespace {

std::string format(const char* fmt, double value) {
    char buf[96];
    std::snprintf(buf, sizeof buf, fmt, value);
    return buf;
}

std::string pct(double fraction) {
    return format("%.0f %%", fraction * 100);
}

std::string date_text(std::int64_t day) {
    return format_date(civil_from_days(day));
}

std::string phase_title(Phase p) {
    switch (p) {
    case Phase::off_season:
        return "Off-season/Transition";
    case Phase::early:
        return "Early season (base)";
    case Phase::mid:
        return "Mid season (build)";
    case Phase::late:
        return "Late season (specific)";
    case Phase::taper:
        return "Taper";
    case Phase::race:
        return "Race";
    case Phase::recovery:
        return "Recovery";
    }
    return "";
}

/// Position on the season ladder Off -> Early -> Mid -> Late.
int rank(Phase p) {
    switch (p) {
    case Phase::off_season:
        return 0;
    case Phase::early:
        return 1;
    case Phase::mid:
        return 2;
    case Phase::late:
        return 3;
    default:
        return -1;
    }
}

Phase from_rank(int r) {
    switch (r) {
    case 0:
        return Phase::off_season;
    case 1:
        return Phase::early;
    case 2:
        return Phase::mid;
    default:
        return Phase::late;
    }
}

struct RaceMark {
    std::int64_t day = 0;
    double effort_km = 0;
    bool named = false;
    bool tune_up = false; ///< a smaller race on the way to a bigger one: phase kept
    std::string label;
};

/// `long_training[k]`: week k's longest session by effort-km, races left out
/// (a race is not a training long run: a 50K would otherwise stay "the
/// year's longest" for a year and hide every later long run).
SeriesFeatures series_features(const History& h, std::size_t t, const PhaseSettings& ps,
                               const std::vector<double>& long_training) {
    SeriesFeatures f;
    const auto& w = h.weeks;
    // Completed weeks only (§3.2): the current partial week is judged on the weeks before it.
    if (w[t].partial) {
        if (t == 0) {
            return f;
        }
        --t;
    }
    const auto mean_back = [&](std::size_t end, int n, auto get) {
        double sum = 0;
        int count = 0;
        for (int k = 0; k < n && static_cast<int>(end) - k >= 0; ++k) {
            sum += get(w[end - static_cast<std::size_t>(k)]);
            ++count;
        }
        return count > 0 ? sum / count : 0.0;
    };
    const auto ekm = [](const Week& x) { return x.effort_km; };
    const auto hours = [](const Week& x) { return x.time_h; };
    // The 12 months before the week; with less than a year of history
    // before it, the first 12 months of the history, so that an early week
    // is measured against the season it belongs to rather than against
    // itself (a peak over one week makes every first week look like a peak).
    // The last week's window is always the trailing one: the current phase
    // never depends on later data.
    const auto year = static_cast<std::size_t>(ps.peak_window_weeks);
    const std::size_t from = t + 1 > year ? t + 1 - year : 0;
    std::size_t last_complete = w.size() - 1;
    if (w[last_complete].partial && last_complete > 0) {
        --last_complete;
    }
    const std::size_t to = std::max(t, std::min(from + year - 1, last_complete));
    double peak_e = 0;
    double peak_t = 0;
    double long_year = 0;
    double block_year = 0;
    for (std::size_t k = from; k <= to; ++k) {
        peak_e = std::max(peak_e, mean_back(k, ps.r_window_weeks, ekm));
        peak_t = std::max(peak_t, mean_back(k, ps.r_window_weeks, hours));
        long_year = std::max(long_year, long_training[k]);
        block_year = std::max(block_year, w[k].block_s);
    }
    f.mean4_effort_km = mean_back(t, ps.r_window_weeks, ekm);
    f.peak4_effort_km = peak_e;
    f.peak_in_hindsight = to > t;
    if (peak_e > 0) {
        f.r_effort_km = f.mean4_effort_km / peak_e;
    }
    if (peak_t > 0) {
        f.r_time = mean_back(t, ps.r_window_weeks, hours) / peak_t;
    }
    if (f.r_effort_km || f.r_time) {
        f.r = std::max(f.r_effort_km.value_or(0), f.r_time.value_or(0));
    }
    std::vector<double> last;
    for (int k = ps.trend_weeks - 1; k >= 0; --k) {
        if (static_cast<int>(t) - k >= 0) {
            last.push_back(w[t - static_cast<std::size_t>(k)].effort_km);
        }
    }
    if (static_cast<int>(last.size()) == ps.trend_weeks) {
        f.trend = relative_trend(last);
    }
    for (int k = 0; k < ps.long_window_weeks && static_cast<int>(t) - k >= 0; ++k) {
        f.long3_effort_km =
            std::max(f.long3_effort_km, long_training[t - static_cast<std::size_t>(k)]);
    }
    f.long_year_effort_km = long_year;
    if (long_year > 0) {
        f.long_r = f.long3_effort_km / long_year;
    }
    if (t >= 3) {
        const double prior = (w[t - 1].effort_km + w[t - 2].effort_km + w[t - 3].effort_km) / 3.0;
        if (prior > 0) {
            f.drop = w[t].effort_km / prior;
        }
    }
    f.block_high = block_year > 0 && w[t].block_s >= ps.block_season_high * block_year;
    double if_sum = 0;
    int if_n = 0;
    for (const auto& s : h.sessions) {
        if (s.local_day >= w[t].start_day && s.local_day < w[t].start_day + 7 &&
            s.intensity_factor) {
            if_sum += *s.intensity_factor;
            ++if_n;
        }
    }
    if (if_n > 0) {
        f.mean_if = if_sum / if_n;
    }
    return f;
}

/// Stable labels (§3.3): a completed week without a run, hike or walk is not
/// Mid or Late (nothing was built in it), and a week after an Off-season week
/// is not Late or Taper (the season does not skip its base and build). Both
/// lower the label to Early, the one phase that breaks neither rule, and leave
/// the season's state alone: the weeks after are classified as before. Runs
/// in time order after the classification, so the second rule sees the final
/// label of the week before.
void stabilise_labels(std::vector<WeekPhase>& weeks, const History& h) {
    for (std::size_t t = 0; t < weeks.size(); ++t) {
        WeekPhase& wp = weeks[t];
        const Week& w = h.weeks[t];
        std::string why;
        std::string rule;
        if (!w.partial && w.sessions == 0 && (wp.phase == Phase::mid || wp.phase == Phase::late)) {
            rule = "stable phases: a week without activity is not Mid or Late";
            why = "no run, hike or walk this week: early, not " + std::string(to_string(wp.phase)) +
                  " (§3.3)";
        } else if (t > 0 && weeks[t - 1].phase == Phase::off_season &&
                   (wp.phase == Phase::late || wp.phase == Phase::taper)) {
            rule = "stable phases: no Off-season straight to Late or Taper";
            why = "the week before was off-season: early, not " + std::string(to_string(wp.phase)) +
                  ", the season starts with its base (§3.3)";
        } else {
            continue;
        }
        wp.phase = Phase::early;
        wp.rule = rule;
        // "Behind plan" caps a Late or Taper week; an Early week has no cap to apply.
        if (wp.behind_plan) {
            wp.behind_plan = false;
            std::erase_if(wp.reasons,
                          [](const std::string& x) { return x.rfind("behind plan: ", 0) == 0; });
        }
        wp.reasons.push_back(why);
    }
}

std::string series_numbers(const SeriesFeatures& f) {
    std::string s;
    if (f.r) {
        s += "last 4 weeks averaged " + format("%.0f", f.mean4_effort_km) + " effort-km (" +
             pct(*f.r) +
             (f.peak_in_hindsight ? " of the peak of your history's first 12 months, "
                                  : " of your 12-month peak of ") +
             format("%.0f", f.peak4_effort_km) + ")";
    }
    if (f.long_r) {
        s += "; longest run " + format("%.0f", f.long3_effort_km) + " effort-km (" +
             pct(*f.long_r) + " of the year's longest)";
    }
    if (f.trend) {
        s += "; trend " + format("%+.0f", *f.trend * 100) + " %/week";
    }
    return s;
}

} // namespace

std::string_view to_string(Confidence confidence) noexcept {
    switch (confidence) {
    case Confidence::low:
        return "low";
    case Confidence::medium:
        return "medium";
    case Confidence::high:
        return "high";
    }
    return "low";
}

int PhaseSettings::recovery_days(double race_effort_km) const noexcept {
    if (race_effort_km < 45) {
        return 7;
    }
    if (race_effort_km < 115) {
        return 14;
    }
    if (race_effort_km < 210) {
        return 21;
    }
    return 28;
}

std::optional<Phase> race_schedule_phase(std::int64_t weeks_to_race, double race_effort_km,
                                         const PhaseSettings& settings) {
    if (weeks_to_race > settings.early_weeks_max) {
        return std::nullopt;
    }
    const int taper_weeks = race_effort_km >= settings.short_taper_effort_km ? 2 : 1;
    if (weeks_to_race <= taper_weeks) {
        return Phase::taper;
    }
    if (weeks_to_race <= settings.late_weeks_max) {
        return Phase::late;
    }
    if (weeks_to_race <= settings.mid_weeks_max) {
        return Phase::mid;
    }
    return Phase::early;
}

std::optional<Race> pick_a_race(const std::vector<Race>& races, std::int64_t today) {
    std::optional<Race> next;
    std::optional<Race> last;
    for (const auto& r : races) {
        const auto day = days_from_civil(r.date);
        if (day >= today) {
            if (!next || day < days_from_civil(next->date)) {
                next = r;
            }
        } else if (!last || day > days_from_civil(last->date)) {
            last = r;
        }
    }
    return next ? next : last;
}

std::optional<double> relative_trend(const std::vector<double>& values) {
    const auto n = static_cast<double>(values.size());
    if (values.size() < 2) {
        return std::nullopt;
    }
    double mean_x = (n - 1) / 2.0;
    double mean_y = 0;
    for (const double v : values) {
        mean_y += v;
    }
    mean_y /= n;
    if (mean_y <= 0) {
        return std::nullopt;
    }
    double sxy = 0;
    double sxx = 0;
    for (std::size_t i = 0; i < values.size(); ++i) {
        const double dx = static_cast<double>(i) - mean_x;
        sxy += dx * (values[i] - mean_y);
        sxx += dx * dx;
    }
    return sxy / sxx / mean_y;
}

PhaseResult classify_phases(const History& h, const std::vector<Race>& races,
                            const std::vector<DetectedRace>& detected, const PhaseSettings& ps) {
    PhaseResult result;
    if (h.weeks.empty()) {
        result.explanation = "No running history: no phase can be given.";
        return result;
    }
    result.a_race = pick_a_race(races, h.today);

    // Race days: named races (their distance, else the matching session's),
    // and likely detected races.
    std::vector<RaceMark> marks;
    for (const auto& r : races) {
        RaceMark m;
        m.day = days_from_civil(r.date);
        m.named = true;
        m.label = (r.name.empty() ? std::string("race") : r.name) + " " + format_date(r.date);
        if (const auto e = race_effort_km(r)) {
            m.effort_km = *e;
        } else {
            for (const auto& s : h.sessions) {
                if (s.local_day == m.day) {
                    m.effort_km = std::max(m.effort_km, s.effort_km);
                }
            }
        }
        marks.push_back(m);
    }
    for (const auto& d : detected) {
        if (!d.likely) {
            continue;
        }
        const bool named_same_day = std::any_of(marks.begin(), marks.end(), [&](const RaceMark& m) {
            return m.named && m.day == d.day;
        });
        if (named_same_day) {
            continue;
        }
        RaceMark m;
        m.day = d.day;
        m.effort_km = h.sessions[d.session].effort_km;
        m.label = "detected race " + date_text(d.day) + " (" +
                  format("%.1f km", h.sessions[d.session].distance_m / 1000) + ")";
        marks.push_back(m);
    }
    // Race categories (taper and recovery lengths) use ITRA's km-effort,
    // rounded to the nearest integer (§1.5): a 50 km race with 2,490 m D+
    // is a 75 km-effort race, not 74.9.
    for (auto& m : marks) {
        m.effort_km = std::round(m.effort_km);
    }
    std::sort(marks.begin(), marks.end(),
              [](const RaceMark& a, const RaceMark& b) { return a.day < b.day; });
    // Tune-ups: a detected race much smaller than a race in the following
    // weeks (a 10K on the way to a 50K) is part of the build, not its goal.
    // Named races are always kept: the athlete said they matter.
    for (auto& m : marks) {
        if (m.named) {
            continue;
        }
        for (const auto& o : marks) {
            if (o.day > m.day && o.day - m.day <= 7 * ps.mid_weeks_max &&
                m.effort_km < ps.tune_up_ratio * o.effort_km) {
                m.tune_up = true;
                m.label += ", a tune-up for " + o.label;
                break;
            }
        }
    }
    std::vector<RaceMark> tune_ups;
    for (const auto& m : marks) {
        if (m.tune_up) {
            tune_ups.push_back(m);
        } else {
            result.races_used.push_back(m.label);
        }
    }
    marks.erase(
        std::remove_if(marks.begin(), marks.end(), [](const RaceMark& m) { return m.tune_up; }),
        marks.end());
    std::vector<double> long_training(h.weeks.size(), 0.0);
    for (const auto& s : h.sessions) {
        const auto is_race = [&](const RaceMark& m) { return m.day == s.local_day; };
        if (std::any_of(marks.begin(), marks.end(), is_race) ||
            std::any_of(tune_ups.begin(), tune_ups.end(), is_race)) {
            continue;
        }
        const std::int64_t k = (s.local_day - h.weeks.front().start_day) / 7;
        if (k >= 0 && k < static_cast<std::int64_t>(long_training.size())) {
            auto& longest = long_training[static_cast<std::size_t>(k)];
            longest = std::max(longest, s.effort_km);
        }
    }

    // History confidence inputs (§3.4).
    const std::int64_t first_day = h.days.empty() ? h.today : h.days.front().day;

    Phase current = Phase::early;
    bool started = false;
    Phase pending = Phase::early;
    bool has_pending = false;
    int pending_weeks = 0;
    int low_r_weeks = 0; // consecutive weeks with r < late_to_mid_r
    int very_low_r_weeks = 0;
    for (std::size_t t = 0; t < h.weeks.size(); ++t) {
        const Week& w = h.weeks[t];
        WeekPhase wp;
        wp.week_start = w.start_day;
        wp.features = series_features(h, t, ps, long_training);
        const SeriesFeatures& f = wp.features;
        const double r = f.r.value_or(0);
        low_r_weeks = r < ps.late_to_mid_r ? low_r_weeks + 1 : 0;
        very_low_r_weeks = r < ps.off_r_falling ? very_low_r_weeks + 1 : 0;

        // Forced phases: race week, recovery, the race-date schedule.
        std::optional<Phase> forced;
        const RaceMark* in_week = nullptr;
        const RaceMark* recovering = nullptr;
        const RaceMark* next_named = nullptr;
        const RaceMark* next_any = nullptr;
        for (const auto& m : marks) {
            if (m.day >= w.start_day && m.day < w.start_day + 7) {
                in_week = &m;
            }
            if (m.day < w.start_day && w.start_day <= m.day + ps.recovery_days(m.effort_km)) {
                recovering = &m;
            }
            if (m.day >= w.start_day + 7) {
                if (m.named && next_named == nullptr) {
                    next_named = &m;
                }
                if (next_any == nullptr) {
                    next_any = &m;
                }
            }
        }
        if (next_named != nullptr) {
            wp.weeks_to_race = static_cast<int>((monday_of(next_named->day) - w.start_day) / 7);
        }
        if (in_week != nullptr) {
            forced = Phase::race;
            wp.rule = "race week";
            wp.reasons.push_back("race in this week: " + in_week->label);
        } else if (recovering != nullptr) {
            forced = Phase::recovery;
            wp.rule = "recovery after race";
            wp.reasons.push_back(
                recovering->label + " ended " + std::to_string(w.start_day - recovering->day) +
                " days before this week; recovery lasts " +
                std::to_string(ps.recovery_days(recovering->effort_km)) + " days for " +
                format("%.0f", recovering->effort_km) + " effort-km (§3.1)");
        }
        for (const auto& m : tune_ups) {
            if (m.day >= w.start_day && m.day < w.start_day + 7) {
                wp.reasons.push_back("race in this week: " + m.label + "; the phase is kept");
            }
        }

        // Series candidate (§3.2), evaluated in order.
        Phase candidate = Phase::early;
        std::string candidate_rule;
        const bool prior_high = [&] {
            if (t < 3) {
                return false;
            }
            for (std::size_t k = t - 3; k < t; ++k) {
                const auto fk = series_features(h, k, ps, long_training);
                if (!fk.r || *fk.r < ps.taper_prior_r) {
                    return false;
                }
            }
            return true;
        }();
        const bool intensity_kept = [&] {
            if (!f.mean_if || t < 3) {
                return true; // no pace data: intensity cannot be checked
            }
            double sum = 0;
            int n = 0;
            for (std::size_t k = t - 3; k < t; ++k) {
                const auto fk = series_features(h, k, ps, long_training);
                if (fk.mean_if) {
                    sum += *fk.mean_if;
                    ++n;
                }
            }
            return n == 0 || std::abs(*f.mean_if - sum / n) <= ps.taper_if_tolerance;
        }();
        const bool race_follows = next_any != nullptr && next_any->day < w.start_day + 7 + 14;
        if (f.drop && *f.drop >= ps.taper_drop_min && *f.drop <= ps.taper_drop_max && prior_high &&
            intensity_kept && (race_follows || w.partial || t + 1 == h.weeks.size())) {
            candidate = Phase::taper;
            candidate_rule =
                race_follows ? "taper (volume drop before a race)" : "taper or recovery week";
        } else if ((r < ps.off_r && f.trend.value_or(0) <= ps.rebuild_trend) ||
                   (r < ps.off_r_falling && f.trend.value_or(0) <= 0)) {
            candidate = Phase::off_season;
            candidate_rule = "off-season: r < " + format("%.2f", ps.off_r) +
                             " not rebuilding, or (r < " + format("%.2f", ps.off_r_falling) +
                             " and trend <= 0)";
        } else if (r < ps.early_r && (f.trend.value_or(0) > ps.flat_trend ||
                                      std::abs(f.trend.value_or(0)) <= ps.flat_trend)) {
            candidate = Phase::early;
            candidate_rule = "early: r < " + format("%.2f", ps.early_r) + ", rebuilding or flat";
        } else if (r >= ps.late_r && (f.long_r.value_or(0) >= ps.late_long_r || f.block_high)) {
            candidate = Phase::late;
            candidate_rule =
                "late: r >= " + format("%.2f", ps.late_r) +
                (f.long_r.value_or(0) >= ps.late_long_r
                     ? " and long run >= " + pct(ps.late_long_r) + " of the year's longest"
                     : std::string(" and two-day block at a season high"));
        } else if (r >= ps.mid_r) {
            candidate = Phase::mid;
            candidate_rule = "mid: r >= " + format("%.2f", ps.mid_r);
        } else {
            candidate = Phase::early;
            candidate_rule = "early: low volume";
        }

        // The race-date schedule (§3.1): weeks before the next named race, or
        // in hindsight before a detected race (never a tune-up).
        const RaceMark* goal = ps.detected_race_schedule ? next_any : next_named;
        if (!forced && goal != nullptr &&
            (monday_of(goal->day) - w.start_day) / 7 <= ps.early_weeks_max) {
            const int weeks = static_cast<int>((monday_of(goal->day) - w.start_day) / 7);
            const Phase p = race_schedule_phase(weeks, goal->effort_km, ps).value_or(Phase::early);
            // A detected race is a date found afterwards, not a plan the
            // athlete followed: its schedule stands only where the series
            // agrees within one step (Late vs Mid, not Late vs Off-season),
            // and a taper week only where the volume did drop (§3.2 rule 2).
            const int series_rank = candidate == Phase::taper ? rank(Phase::late) : rank(candidate);
            const bool agrees =
                goal->named || (p == Phase::taper ? f.drop && *f.drop <= ps.taper_drop_max
                                                  : std::abs(rank(p) - series_rank) <= 1);
            const std::string schedule = std::to_string(weeks) + " weeks to " + goal->label + ": " +
                                         std::string(to_string(p)) +
                                         " by the race-date schedule (§3.1)";
            if (agrees) {
                forced = p;
                wp.rule = goal->named ? "race-date schedule" : "race-date schedule, detected race";
                wp.reasons.push_back(schedule);
                if ((p == Phase::late || p == Phase::taper) && f.r && r < ps.behind_plan_r) {
                    wp.behind_plan = true;
                    wp.reasons.push_back(
                        "behind plan: volume is " + pct(r) +
                        " of your peak; strength volume capped as for the series phase");
                }
            } else {
                wp.reasons.push_back(schedule + ", but the series says " +
                                     std::string(to_string(candidate)) + ": the series is kept");
            }
        }
        wp.candidate = forced ? *forced : candidate;

        if (forced) {
            current = *forced;
            has_pending = false;
            pending_weeks = 0;
            started = true;
        } else if (candidate == Phase::taper) {
            if (race_follows) {
                current = Phase::taper;
                wp.rule = candidate_rule;
                wp.reasons.push_back(
                    "volume " + pct(*f.drop) + " of the 3 weeks before, after 3 weeks at >= " +
                    pct(ps.taper_prior_r) + " of peak, with a race within 2 weeks");
            } else {
                wp.rule = "hold: " + candidate_rule;
                wp.reasons.push_back("volume " + pct(*f.drop) +
                                     " of the 3 weeks before: taper or recovery week; the next "
                                     "week resolves it, phase kept");
            }
            if (!started) {
                current = Phase::mid;
                started = true;
            }
        } else if (!started) {
            current = candidate;
            started = true;
            wp.rule = candidate_rule;
        } else if (current == Phase::taper || current == Phase::race ||
                   current == Phase::recovery) {
            // After a race block the season restarts: Recovery -> Off, Early or Mid (§3.3).
            current = rank(candidate) >= rank(Phase::mid) ? Phase::mid : candidate;
            has_pending = false;
            pending_weeks = 0;
            wp.rule = candidate_rule;
        } else if (candidate == current) {
            has_pending = false;
            pending_weeks = 0;
            wp.rule = candidate_rule;
        } else {
            if (has_pending && pending == candidate) {
                ++pending_weeks;
            } else {
                pending = candidate;
                has_pending = true;
                pending_weeks = 1;
            }
            const int from = rank(current);
            const int to = rank(candidate);
            bool allowed = false;
            Phase next = candidate;
            if (to > from) {
                allowed = true;
                next = from_rank(from + 1); // one step at a time: Off -> Early -> Mid -> Late
            } else if (current == Phase::late && candidate == Phase::mid) {
                allowed = low_r_weeks >= ps.hold_weeks;
            } else {
                // Down to Early or Off: a break (illness, injury, season end) [choice].
                allowed = very_low_r_weeks >= ps.hold_weeks;
            }
            if (pending_weeks >= ps.hold_weeks && allowed) {
                current = next;
                has_pending = false;
                pending_weeks = 0;
                wp.rule = candidate_rule;
                if (next != candidate) {
                    wp.reasons.push_back("moving one step toward " +
                                         std::string(to_string(candidate)) +
                                         " (§3.3 allowed transitions)");
                }
                // In hindsight the new phase began with the weeks that confirmed it.
                for (int back = 1; ps.backdate_changes && back < ps.hold_weeks &&
                                   static_cast<int>(result.weeks.size()) >= back;
                     ++back) {
                    WeekPhase& earlier =
                        result.weeks[result.weeks.size() - static_cast<std::size_t>(back)];
                    const std::string hold = "hold: ";
                    if (earlier.candidate != candidate || earlier.rule.rfind(hold, 0) != 0) {
                        break;
                    }
                    earlier.phase = next;
                    earlier.rule.erase(0, hold.size());
                    auto& rs = earlier.reasons;
                    rs.erase(std::remove_if(rs.begin(), rs.end(),
                                            [](const std::string& x) {
                                                return x.find("phase kept (§3.3)") !=
                                                       std::string::npos;
                                            }),
                             rs.end());
                    rs.push_back("in hindsight: the change to " + std::string(to_string(next)) +
                                 " was confirmed " + std::to_string(back) +
                                 " week(s) later, so it began this week (§3.3)");
                }
            } else {
                wp.rule = "hold: " + candidate_rule;
                std::string why = "the series points to " + std::string(to_string(candidate)) +
                                  " for " + std::to_string(pending_weeks) + " week(s) (" +
                                  std::to_string(ps.hold_weeks) + " needed)";
                if (!allowed) {
                    why += current == Phase::late && candidate == Phase::mid
                               ? "; Late -> Mid needs r < " + format("%.2f", ps.late_to_mid_r) +
                                     " for " + std::to_string(ps.hold_weeks) + " weeks"
                               : "; moving down to " + std::string(to_string(candidate)) +
                                     " needs r < " + format("%.2f", ps.off_r_falling) + " for " +
                                     std::to_string(ps.hold_weeks) + " weeks";
                }
                wp.reasons.push_back(why + ": phase kept (§3.3)");
            }
        }
        wp.phase = current;
        if (wp.rule.empty()) {
            wp.rule = candidate_rule;
        }
        const std::string numbers = series_numbers(f);
        if (!numbers.empty()) {
            wp.reasons.insert(wp.reasons.begin(), numbers);
        }
        if (w.status == WeekStatus::gap) {
            wp.reasons.push_back(
                "near-zero week inside a break: rest, illness or missing data (§2.4)");
        } else if (w.status == WeekStatus::recovery_week) {
            wp.reasons.push_back("single near-zero week: treated as a recovery week (§2.4)");
        }

        // Confidence (§3.4).
        const auto weeks_of_history = static_cast<int>(t + 1);
        int scored = 0;
        int runs = 0;
        for (const auto& s : h.sessions) {
            if (s.local_day >= w.start_day + 7) {
                break;
            }
            ++runs;
            if (s.rung == LoadRung::gap_pace || s.rung == LoadRung::heart_rate) {
                ++scored;
            }
        }
        const double share = runs > 0 ? static_cast<double>(scored) / runs : 0.0;
        if (weeks_of_history >= ps.high_weeks && share >= ps.high_rung_share &&
            wp.weeks_to_race.has_value() && wp.rule == "race-date schedule") {
            wp.confidence = Confidence::high;
        } else if (weeks_of_history >= ps.medium_weeks) {
            wp.confidence = Confidence::medium;
        } else {
            wp.confidence = Confidence::low;
        }
        if (std::min(w.start_day + 6, h.today) - first_day + 1 < ps.low_until_days) {
            wp.confidence = Confidence::low;
        }
        result.weeks.push_back(std::move(wp));
    }

    stabilise_labels(result.weeks, h);

    // The explanation of the current phase (§3.5).
    const WeekPhase& now = result.weeks.back();
    const Week& week = h.weeks.back();
    std::string text = "Phase: " + phase_title(now.phase) + " (confidence " +
                       std::string(to_string(now.confidence)) + "). ";
    const std::string numbers = series_numbers(now.features);
    if (!numbers.empty()) {
        std::string n = numbers;
        n[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(n[0])));
        text += n + ". ";
    }
    text += "Rule: " + now.rule + ". ";
    for (std::size_t i = 0; i < now.reasons.size(); ++i) {
        if (i == 0 && !numbers.empty()) {
            continue;
        }
        std::string reason = now.reasons[i];
        if (!reason.empty()) {
            reason[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(reason[0])));
        }
        text += reason + ". ";
    }
    if (!h.days.empty()) {
        const Day& d = h.days.back();
        text += "Fitness (CTL) " + format("%.1f", d.ctl) + ", fatigue (ATL) " +
                format("%.1f", d.atl) + ", form " + format("%+.1f", d.tsb) +
                (d.form_pct ? " (" + format("%+.0f", *d.form_pct * 100) + " %)" : std::string()) +
                (d.ctl > 0 ? ", tomorrow " + format("%+.1f", d.ctl - d.atl) + " (" +
                                 format("%+.0f", *form_fraction_on(h, d.day + 1) * 100) + " %)"
                           : std::string()) +
                ", ramp " + format("%+.1f", week.ramp) + " CTL/week. ";
    }
    std::map<LoadRung, int> mix;
    for (const auto& s : h.sessions) {
        ++mix[s.rung];
    }
    if (!h.sessions.empty()) {
        text += "Load scored by";
        bool first = true;
        for (const auto& [rung, n] : mix) {
            text += (first ? " " : ", ") +
                    pct(static_cast<double>(n) / static_cast<double>(h.sessions.size())) + " " +
                    std::string(to_string(rung));
            first = false;
        }
        text += ". ";
    }
    if (!h.strength.empty()) {
        std::map<LoadRung, int> strength_mix;
        for (const auto& s : h.strength) {
            ++strength_mix[s.rung];
        }
        text += std::to_string(h.strength.size()) + " strength session" +
                (h.strength.size() == 1 ? "" : "s") + " counted in the load, not in volume (";
        bool first = true;
        for (const auto& [rung, n] : strength_mix) {
            text += (first ? "" : ", ") + std::to_string(n) + " " +
                    (rung == LoadRung::default_rate ? std::string("default RPE")
                                                    : std::string(to_string(rung)));
            first = false;
        }
        text += "). ";
    }
    const std::int64_t six_weeks = h.today - 42;
    bool recent_race = false;
    for (const auto& d : detected) {
        if (d.day >= six_weeks) {
            recent_race = true;
            text += std::string(d.likely ? "Race" : "Possible race") + " on " + date_text(d.day) +
                    " (confidence " + pct(d.confidence) + "). ";
        }
    }
    if (!recent_race) {
        text += "No race detected in the last 6 weeks. ";
    }
    if (result.a_race) {
        const auto days = days_from_civil(result.a_race->date) - h.today;
        text += "Goal race " +
                (result.a_race->name.empty() ? std::string() : result.a_race->name + " ") + "on " +
                format_date(result.a_race->date) +
                (days >= 0 ? " in " + std::to_string(days) + " days. " : " (past). ");
    }
    switch (now.phase) {
    case Phase::late:
    case Phase::mid:
        text += "Would change to Taper if next week's volume drops 25-60 % with intensity kept.";
        break;
    case Phase::early:
        text +=
            "Would change to Mid after 2 weeks at >= " + pct(ps.early_r) + " of your peak volume.";
        break;
    case Phase::off_season:
        text += "Would change to Early after 2 weeks of rising volume above " + pct(ps.off_r) +
                " of your peak.";
        break;
    default:
        break;
    }
    if (!week.flags.empty()) {
        text += " Flags this week:";
        for (const auto& flag : week.flags) {
            text += " " + flag;
        }
        text += ".";
    }
    result.explanation = text;
    return result;
}

} // namespace ultrastrength
