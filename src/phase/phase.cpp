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

/// Mean of `get` over week `end` and the `n` - 1 weeks before it (fewer at the start).
template <class Get> double mean_back(const std::vector<Week>& w, std::size_t end, int n, Get get) {
    double sum = 0;
    int count = 0;
    for (int k = 0; k < n && static_cast<int>(end) - k >= 0; ++k) {
        sum += get(w[end - static_cast<std::size_t>(k)]);
        ++count;
    }
    return count > 0 ? sum / count : 0.0;
}

/// The season a week is measured against: the highest 4-week means, the
/// longest training session and the longest two-day block of its 12 months.
struct SeasonHighs {
    double mean4_effort_km = 0;
    double mean4_time_h = 0;
    double long_effort_km = 0;
    double block_s = 0;
    bool hindsight = false; ///< the window reaches past the week
};

/// The 12 months before week `t`; with less than a year of history before
/// it, the first 12 months of the history, so that an early week is measured
/// against the season it belongs to rather than against itself (a peak over
/// one week makes every first week look like a peak). The last week's window
/// is always the trailing one: the current phase never depends on later data.
SeasonHighs season_highs(const History& h, std::size_t t, const PhaseSettings& ps,
                         const std::vector<double>& long_training) {
    const auto& w = h.weeks;
    const auto year = static_cast<std::size_t>(ps.peak_window_weeks);
    const std::size_t from = t + 1 > year ? t + 1 - year : 0;
    std::size_t last_complete = w.size() - 1;
    if (w[last_complete].partial && last_complete > 0) {
        --last_complete;
    }
    const std::size_t to = std::max(t, std::min(from + year - 1, last_complete));
    SeasonHighs highs;
    for (std::size_t k = from; k <= to; ++k) {
        highs.mean4_effort_km =
            std::max(highs.mean4_effort_km,
                     mean_back(w, k, ps.r_window_weeks, [](const Week& x) { return x.effort_km; }));
        highs.mean4_time_h =
            std::max(highs.mean4_time_h,
                     mean_back(w, k, ps.r_window_weeks, [](const Week& x) { return x.time_h; }));
        highs.long_effort_km = std::max(highs.long_effort_km, long_training[k]);
        highs.block_s = std::max(highs.block_s, w[k].block_s);
    }
    highs.hindsight = to > t;
    return highs;
}

/// The weekly mean intensity factor of the sessions that have one.
std::optional<double> week_mean_if(const History& h, const Week& w) {
    double if_sum = 0;
    int if_n = 0;
    for (const auto& s : h.sessions) {
        if (s.local_day >= w.start_day && s.local_day < w.start_day + 7 && s.intensity_factor) {
            if_sum += *s.intensity_factor;
            ++if_n;
        }
    }
    return if_n > 0 ? std::optional<double>(if_sum / if_n) : std::nullopt;
}

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
    const SeasonHighs highs = season_highs(h, t, ps, long_training);
    f.mean4_effort_km =
        mean_back(w, t, ps.r_window_weeks, [](const Week& x) { return x.effort_km; });
    f.peak4_effort_km = highs.mean4_effort_km;
    f.peak_in_hindsight = highs.hindsight;
    if (highs.mean4_effort_km > 0) {
        f.r_effort_km = f.mean4_effort_km / highs.mean4_effort_km;
    }
    if (highs.mean4_time_h > 0) {
        f.r_time = mean_back(w, t, ps.r_window_weeks, [](const Week& x) { return x.time_h; }) /
                   highs.mean4_time_h;
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
    f.long_year_effort_km = highs.long_effort_km;
    if (highs.long_effort_km > 0) {
        f.long_r = f.long3_effort_km / highs.long_effort_km;
    }
    if (t >= 3) {
        const double prior = (w[t - 1].effort_km + w[t - 2].effort_km + w[t - 3].effort_km) / 3.0;
        if (prior > 0) {
            f.drop = w[t].effort_km / prior;
        }
    }
    f.block_high = highs.block_s > 0 && w[t].block_s >= ps.block_season_high * highs.block_s;
    f.mean_if = week_mean_if(h, w[t]);
    return f;
}

/// Stable labels (§3.3): a week (the current part week too) without a run, hike or walk is not
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
        // The current part week counts too: a race date ahead must not call days
        // without a run Mid or Late either.
        if (w.sessions == 0 && (wp.phase == Phase::mid || wp.phase == Phase::late)) {
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

namespace {

/// Race days: named races (their distance, else the matching session's) and
/// likely detected races, by date, each with its race effort-km.
std::vector<RaceMark> race_marks(const History& h, const std::vector<Race>& races,
                                 const std::vector<DetectedRace>& detected) {
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
    return marks;
}

/// Moves the tune-ups out of `marks` and returns them: a detected race much
/// smaller than a race in the following weeks (a 10K on the way to a 50K) is
/// part of the build, not its goal. Named races are always kept: the athlete
/// said they matter. `races_used` gets the labels of the races that stay.
std::vector<RaceMark> take_tune_ups(std::vector<RaceMark>& marks, const PhaseSettings& ps,
                                    std::vector<std::string>& races_used) {
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
            races_used.push_back(m.label);
        }
    }
    marks.erase(
        std::remove_if(marks.begin(), marks.end(), [](const RaceMark& m) { return m.tune_up; }),
        marks.end());
    return tune_ups;
}

/// Each week's longest session by effort-km, races and tune-ups left out (see series_features).
std::vector<double> longest_training_sessions(const History& h, const std::vector<RaceMark>& marks,
                                              const std::vector<RaceMark>& tune_ups) {
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
    return long_training;
}

/// The races around one week: in it, just behind it (recovery), and the next ones.
struct RacesAround {
    const RaceMark* in_week = nullptr;
    const RaceMark* recovering = nullptr;
    const RaceMark* next_named = nullptr;
    const RaceMark* next_any = nullptr;
};

RacesAround races_around(const std::vector<RaceMark>& marks, std::int64_t week_start,
                         const PhaseSettings& ps) {
    RacesAround around;
    for (const auto& m : marks) {
        if (m.day >= week_start && m.day < week_start + 7) {
            around.in_week = &m;
        }
        if (m.day < week_start && week_start <= m.day + ps.recovery_days(m.effort_km)) {
            around.recovering = &m;
        }
        if (m.day >= week_start + 7) {
            if (m.named && around.next_named == nullptr) {
                around.next_named = &m;
            }
            if (around.next_any == nullptr) {
                around.next_any = &m;
            }
        }
    }
    return around;
}

/// Race week and recovery (§3.1): the phase they force, with the reasons;
/// a tune-up in the week is reported and keeps the phase.
std::optional<Phase> race_week_phase(const RacesAround& around,
                                     const std::vector<RaceMark>& tune_ups, std::int64_t week_start,
                                     const PhaseSettings& ps, WeekPhase& wp) {
    std::optional<Phase> forced;
    if (around.in_week != nullptr) {
        forced = Phase::race;
        wp.rule = "race week";
        wp.reasons.push_back("race in this week: " + around.in_week->label);
    } else if (around.recovering != nullptr) {
        const RaceMark& race = *around.recovering;
        forced = Phase::recovery;
        wp.rule = "recovery after race";
        wp.reasons.push_back(race.label + " ended " + std::to_string(week_start - race.day) +
                             " days before this week; recovery lasts " +
                             std::to_string(ps.recovery_days(race.effort_km)) + " days for " +
                             format("%.0f", race.effort_km) + " effort-km (§3.1)");
    }
    for (const auto& m : tune_ups) {
        if (m.day >= week_start && m.day < week_start + 7) {
            wp.reasons.push_back("race in this week: " + m.label + "; the phase is kept");
        }
    }
    return forced;
}

/// What the series rules say about a week (§3.2), and the rule that said it.
struct Candidate {
    Phase phase = Phase::early;
    std::string rule;
};

/// The inputs the per-week rules share.
struct WeekInputs {
    const History& h;
    const PhaseSettings& ps;
    const std::vector<double>& long_training;
};

/// §3.2 rule 2's "after three weeks with r >= 0.8".
bool three_high_weeks_before(const WeekInputs& in, std::size_t t) {
    if (t < 3) {
        return false;
    }
    for (std::size_t k = t - 3; k < t; ++k) {
        const auto fk = series_features(in.h, k, in.ps, in.long_training);
        if (!fk.r || *fk.r < in.ps.taper_prior_r) {
            return false;
        }
    }
    return true;
}

/// §3.2 rule 2's "intensity kept": the week's mean IF within the tolerance of the 3 weeks before.
bool intensity_kept(const WeekInputs& in, std::size_t t, const SeriesFeatures& f) {
    if (!f.mean_if || t < 3) {
        return true; // no pace data: intensity cannot be checked
    }
    double sum = 0;
    int n = 0;
    for (std::size_t k = t - 3; k < t; ++k) {
        const auto fk = series_features(in.h, k, in.ps, in.long_training);
        if (fk.mean_if) {
            sum += *fk.mean_if;
            ++n;
        }
    }
    return n == 0 || std::abs(*f.mean_if - sum / n) <= in.ps.taper_if_tolerance;
}

/// The series rules (§3.2), evaluated in order, first match wins.
Candidate series_candidate(const WeekInputs& in, std::size_t t, const SeriesFeatures& f,
                           bool race_follows) {
    const PhaseSettings& ps = in.ps;
    const double r = f.r.value_or(0);
    const bool prior_high = three_high_weeks_before(in, t);
    const bool kept = intensity_kept(in, t, f);
    if (f.drop && *f.drop >= ps.taper_drop_min && *f.drop <= ps.taper_drop_max && prior_high &&
        kept && (race_follows || in.h.weeks[t].partial || t + 1 == in.h.weeks.size())) {
        return {Phase::taper,
                race_follows ? "taper (volume drop before a race)" : "taper or recovery week"};
    }
    if ((r < ps.off_r && f.trend.value_or(0) <= ps.rebuild_trend) ||
        (r < ps.off_r_falling && f.trend.value_or(0) <= 0)) {
        return {Phase::off_season, "off-season: r < " + format("%.2f", ps.off_r) +
                                       " not rebuilding, or (r < " +
                                       format("%.2f", ps.off_r_falling) + " and trend <= 0)"};
    }
    if (r < ps.early_r &&
        (f.trend.value_or(0) > ps.flat_trend || std::abs(f.trend.value_or(0)) <= ps.flat_trend)) {
        return {Phase::early, "early: r < " + format("%.2f", ps.early_r) + ", rebuilding or flat"};
    }
    if (r >= ps.late_r && (f.long_r.value_or(0) >= ps.late_long_r || f.block_high)) {
        return {Phase::late,
                "late: r >= " + format("%.2f", ps.late_r) +
                    (f.long_r.value_or(0) >= ps.late_long_r
                         ? " and long run >= " + pct(ps.late_long_r) + " of the year's longest"
                         : std::string(" and two-day block at a season high"))};
    }
    if (r >= ps.mid_r) {
        return {Phase::mid, "mid: r >= " + format("%.2f", ps.mid_r)};
    }
    return {Phase::early, "early: low volume"};
}

/// The race-date schedule (§3.1) for a week `goal` is ahead of: the phase it
/// forces where it stands, with the reasons either way.
std::optional<Phase> race_schedule(const RaceMark& goal, const Week& w, const SeriesFeatures& f,
                                   const Candidate& candidate, const PhaseSettings& ps,
                                   WeekPhase& wp) {
    const int weeks = static_cast<int>((monday_of(goal.day) - w.start_day) / 7);
    const Phase p = race_schedule_phase(weeks, goal.effort_km, ps).value_or(Phase::early);
    // A detected race is a date found afterwards, not a plan the
    // athlete followed: its schedule stands only where the series
    // agrees within one step (Late vs Mid, not Late vs Off-season),
    // and a taper week only where the volume did drop (§3.2 rule 2).
    const int series_rank =
        candidate.phase == Phase::taper ? rank(Phase::late) : rank(candidate.phase);
    const bool agrees = goal.named || (p == Phase::taper ? f.drop && *f.drop <= ps.taper_drop_max
                                                         : std::abs(rank(p) - series_rank) <= 1);
    const std::string schedule = std::to_string(weeks) + " weeks to " + goal.label + ": " +
                                 std::string(to_string(p)) + " by the race-date schedule (§3.1)";
    if (!agrees) {
        wp.reasons.push_back(schedule + ", but the series says " +
                             std::string(to_string(candidate.phase)) + ": the series is kept");
        return std::nullopt;
    }
    wp.rule = goal.named ? "race-date schedule" : "race-date schedule, detected race";
    wp.reasons.push_back(schedule);
    const double r = f.r.value_or(0);
    if ((p == Phase::late || p == Phase::taper) && f.r && r < ps.behind_plan_r) {
        wp.behind_plan = true;
        wp.reasons.push_back("behind plan: volume is " + pct(r) +
                             " of your peak; strength volume capped as for the series phase");
    }
    return p;
}

/// The season from week to week (§3.3): the phase, a change the series asks
/// for and how long it has held, and the weeks of low volume a step down needs.
class Season {
public:
    explicit Season(const PhaseSettings& ps) : m_ps(ps) {}

    /// Counts the weeks of low volume that allow Late -> Mid and a step down.
    void count_low_weeks(double r) {
        m_low_r_weeks = r < m_ps.late_to_mid_r ? m_low_r_weeks + 1 : 0;
        m_very_low_r_weeks = r < m_ps.off_r_falling ? m_very_low_r_weeks + 1 : 0;
    }

    /// A race, recovery or the race-date schedule sets the phase at once.
    void force(Phase p) {
        m_current = p;
        clear_pending();
        m_started = true;
    }

    /// A week the series rules classified; `earlier` are the weeks before it,
    /// which a confirmed change may date back to.
    void step(const Candidate& c, const SeriesFeatures& f, bool race_follows, WeekPhase& wp,
              std::vector<WeekPhase>& earlier) {
        if (c.phase == Phase::taper) {
            taper_week(c, f, race_follows, wp);
        } else if (!m_started) {
            m_current = c.phase;
            m_started = true;
            wp.rule = c.rule;
        } else if (m_current == Phase::taper || m_current == Phase::race ||
                   m_current == Phase::recovery) {
            // After a race block the season restarts: Recovery -> Off, Early or Mid (§3.3).
            m_current = rank(c.phase) >= rank(Phase::mid) ? Phase::mid : c.phase;
            clear_pending();
            wp.rule = c.rule;
        } else if (c.phase == m_current) {
            clear_pending();
            wp.rule = c.rule;
        } else {
            change(c, wp, earlier);
        }
    }

    Phase current() const noexcept { return m_current; }

private:
    void clear_pending() {
        m_has_pending = false;
        m_pending_weeks = 0;
    }

    /// §3.2 rule 2: a taper only before a race; else the next week resolves it.
    void taper_week(const Candidate& c, const SeriesFeatures& f, bool race_follows, WeekPhase& wp) {
        if (race_follows) {
            m_current = Phase::taper;
            wp.rule = c.rule;
            wp.reasons.push_back("volume " + pct(*f.drop) +
                                 " of the 3 weeks before, after 3 weeks at >= " +
                                 pct(m_ps.taper_prior_r) + " of peak, with a race within 2 weeks");
        } else {
            wp.rule = "hold: " + c.rule;
            wp.reasons.push_back("volume " + pct(*f.drop) +
                                 " of the 3 weeks before: taper or recovery week; the next "
                                 "week resolves it, phase kept");
        }
        if (!m_started) {
            m_current = Phase::mid;
            m_started = true;
        }
    }

    /// The series asks for another phase: it must hold for `hold_weeks` and
    /// be an allowed transition (§3.3).
    void change(const Candidate& c, WeekPhase& wp, std::vector<WeekPhase>& earlier) {
        if (m_has_pending && m_pending == c.phase) {
            ++m_pending_weeks;
        } else {
            m_pending = c.phase;
            m_has_pending = true;
            m_pending_weeks = 1;
        }
        const int from = rank(m_current);
        const int to = rank(c.phase);
        bool allowed = false;
        Phase next = c.phase;
        if (to > from) {
            allowed = true;
            next = from_rank(from + 1); // one step at a time: Off -> Early -> Mid -> Late
        } else if (m_current == Phase::late && c.phase == Phase::mid) {
            allowed = m_low_r_weeks >= m_ps.hold_weeks;
        } else {
            // Down to Early or Off: a break (illness, injury, season end) [choice].
            allowed = m_very_low_r_weeks >= m_ps.hold_weeks;
        }
        if (m_pending_weeks >= m_ps.hold_weeks && allowed) {
            m_current = next;
            clear_pending();
            wp.rule = c.rule;
            if (next != c.phase) {
                wp.reasons.push_back("moving one step toward " + std::string(to_string(c.phase)) +
                                     " (§3.3 allowed transitions)");
            }
            backdate(c.phase, next, earlier);
            return;
        }
        wp.rule = "hold: " + c.rule;
        std::string why = "the series points to " + std::string(to_string(c.phase)) + " for " +
                          std::to_string(m_pending_weeks) + " week(s) (" +
                          std::to_string(m_ps.hold_weeks) + " needed)";
        if (!allowed) {
            why += m_current == Phase::late && c.phase == Phase::mid
                       ? "; Late -> Mid needs r < " + format("%.2f", m_ps.late_to_mid_r) + " for " +
                             std::to_string(m_ps.hold_weeks) + " weeks"
                       : "; moving down to " + std::string(to_string(c.phase)) + " needs r < " +
                             format("%.2f", m_ps.off_r_falling) + " for " +
                             std::to_string(m_ps.hold_weeks) + " weeks";
        }
        wp.reasons.push_back(why + ": phase kept (§3.3)");
    }

    /// In hindsight the new phase began with the weeks that confirmed it.
    void backdate(Phase candidate, Phase next, std::vector<WeekPhase>& earlier) const {
        for (int back = 1; m_ps.backdate_changes && back < m_ps.hold_weeks &&
                           static_cast<int>(earlier.size()) >= back;
             ++back) {
            WeekPhase& week = earlier[earlier.size() - static_cast<std::size_t>(back)];
            const std::string hold = "hold: ";
            if (week.candidate != candidate || week.rule.rfind(hold, 0) != 0) {
                break;
            }
            week.phase = next;
            week.rule.erase(0, hold.size());
            auto& rs = week.reasons;
            rs.erase(std::remove_if(rs.begin(), rs.end(),
                                    [](const std::string& x) {
                                        return x.find("phase kept (§3.3)") != std::string::npos;
                                    }),
                     rs.end());
            rs.push_back("in hindsight: the change to " + std::string(to_string(next)) +
                         " was confirmed " + std::to_string(back) +
                         " week(s) later, so it began this week (§3.3)");
        }
    }

    const PhaseSettings& m_ps;
    Phase m_current = Phase::early;
    bool m_started = false;
    Phase m_pending = Phase::early;
    bool m_has_pending = false;
    int m_pending_weeks = 0;
    int m_low_r_weeks = 0; ///< consecutive weeks with r < late_to_mid_r
    int m_very_low_r_weeks = 0;
};

/// The week's numbers first, then what §2.4 says about a near-zero week.
void add_week_notes(const Week& w, WeekPhase& wp) {
    const std::string numbers = series_numbers(wp.features);
    if (!numbers.empty()) {
        wp.reasons.insert(wp.reasons.begin(), numbers);
    }
    if (w.status == WeekStatus::gap) {
        wp.reasons.push_back("near-zero week inside a break: rest, illness or missing data (§2.4)");
    } else if (w.status == WeekStatus::recovery_week) {
        wp.reasons.push_back("single near-zero week: treated as a recovery week (§2.4)");
    }
}

/// Confidence (§3.4) of week `t`, from the history up to it.
Confidence week_confidence(const History& h, std::size_t t, const WeekPhase& wp,
                           const PhaseSettings& ps) {
    const Week& w = h.weeks[t];
    const std::int64_t first_day = h.days.empty() ? h.today : h.days.front().day;
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
    Confidence confidence = Confidence::low;
    if (weeks_of_history >= ps.high_weeks && share >= ps.high_rung_share &&
        wp.weeks_to_race.has_value() && wp.rule == "race-date schedule") {
        confidence = Confidence::high;
    } else if (weeks_of_history >= ps.medium_weeks) {
        confidence = Confidence::medium;
    }
    if (std::min(w.start_day + 6, h.today) - first_day + 1 < ps.low_until_days) {
        confidence = Confidence::low;
    }
    return confidence;
}

/// Upper-cases the first letter of a sentence.
std::string sentence(std::string text) {
    if (!text.empty()) {
        text[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(text[0])));
    }
    return text;
}

/// The phase, its numbers, rule and reasons.
std::string decision_text(const WeekPhase& now) {
    std::string text = "Phase: " + phase_title(now.phase) + " (confidence " +
                       std::string(to_string(now.confidence)) + "). ";
    const std::string numbers = series_numbers(now.features);
    if (!numbers.empty()) {
        text += sentence(numbers) + ". ";
    }
    text += "Rule: " + now.rule + ". ";
    for (std::size_t i = 0; i < now.reasons.size(); ++i) {
        if (i == 0 && !numbers.empty()) {
            continue; // the numbers, said above
        }
        text += sentence(now.reasons[i]) + ". ";
    }
    return text;
}

/// Fitness, fatigue, form (today and tomorrow) and the ramp (§1.4).
std::string load_state_text(const History& h) {
    if (h.days.empty()) {
        return "";
    }
    const Day& d = h.days.back();
    return "Fitness (CTL) " + format("%.1f", d.ctl) + ", fatigue (ATL) " + format("%.1f", d.atl) +
           ", form " + format("%+.1f", d.tsb) +
           (d.form_pct ? " (" + format("%+.0f", *d.form_pct * 100) + " %)" : std::string()) +
           (d.ctl > 0 ? ", tomorrow " + format("%+.1f", d.ctl - d.atl) + " (" +
                            format("%+.0f", *form_fraction_on(h, d.day + 1) * 100) + " %)"
                      : std::string()) +
           ", ramp " + format("%+.1f", h.weeks.back().ramp) + " CTL/week. ";
}

/// The share of sessions each load rung scored (§1.2), and the strength sessions counted.
std::string load_mix_text(const History& h) {
    std::string text;
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
    return text;
}

/// Races found in the last 6 weeks, and the goal race.
std::string races_text(const History& h, const std::vector<DetectedRace>& detected,
                       const std::optional<Race>& a_race) {
    std::string text;
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
    if (a_race) {
        const auto days = days_from_civil(a_race->date) - h.today;
        text += "Goal race " + (a_race->name.empty() ? std::string() : a_race->name + " ") + "on " +
                format_date(a_race->date) +
                (days >= 0 ? " in " + std::to_string(days) + " days. " : " (past). ");
    }
    return text;
}

/// What would move the current phase on.
std::string next_change_text(Phase now, const PhaseSettings& ps) {
    switch (now) {
    case Phase::late:
    case Phase::mid:
        return "Would change to Taper if next week's volume drops 25-60 % with intensity kept.";
    case Phase::early:
        return "Would change to Mid after 2 weeks at >= " + pct(ps.early_r) +
               " of your peak volume.";
    case Phase::off_season:
        return "Would change to Early after 2 weeks of rising volume above " + pct(ps.off_r) +
               " of your peak.";
    default:
        return "";
    }
}

/// The current phase in plain language (§3.5).
std::string explain(const PhaseResult& result, const History& h,
                    const std::vector<DetectedRace>& detected, const PhaseSettings& ps) {
    const WeekPhase& now = result.weeks.back();
    std::string text = decision_text(now) + load_state_text(h) + load_mix_text(h) +
                       races_text(h, detected, result.a_race) + next_change_text(now.phase, ps);
    const Week& week = h.weeks.back();
    if (!week.flags.empty()) {
        text += " Flags this week:";
        for (const auto& flag : week.flags) {
            text += " " + flag;
        }
        text += ".";
    }
    return text;
}

} // namespace

PhaseResult classify_phases(const History& h, const std::vector<Race>& races,
                            const std::vector<DetectedRace>& detected, const PhaseSettings& ps) {
    PhaseResult result;
    if (h.weeks.empty()) {
        result.explanation = "No running history: no phase can be given.";
        return result;
    }
    result.a_race = pick_a_race(races, h.today);
    std::vector<RaceMark> marks = race_marks(h, races, detected);
    const std::vector<RaceMark> tune_ups = take_tune_ups(marks, ps, result.races_used);
    const std::vector<double> long_training = longest_training_sessions(h, marks, tune_ups);
    const WeekInputs in{h, ps, long_training};

    Season season(ps);
    for (std::size_t t = 0; t < h.weeks.size(); ++t) {
        const Week& w = h.weeks[t];
        WeekPhase wp;
        wp.week_start = w.start_day;
        wp.features = series_features(h, t, ps, long_training);
        const SeriesFeatures& f = wp.features;
        season.count_low_weeks(f.r.value_or(0));

        const RacesAround around = races_around(marks, w.start_day, ps);
        if (around.next_named != nullptr) {
            wp.weeks_to_race =
                static_cast<int>((monday_of(around.next_named->day) - w.start_day) / 7);
        }
        std::optional<Phase> forced = race_week_phase(around, tune_ups, w.start_day, ps, wp);
        const bool race_follows =
            around.next_any != nullptr && around.next_any->day < w.start_day + 7 + 14;
        const Candidate candidate = series_candidate(in, t, f, race_follows);
        // The race-date schedule (§3.1): weeks before the next named race, or
        // in hindsight before a detected race (never a tune-up).
        const RaceMark* goal = ps.detected_race_schedule ? around.next_any : around.next_named;
        if (!forced && goal != nullptr &&
            (monday_of(goal->day) - w.start_day) / 7 <= ps.early_weeks_max) {
            forced = race_schedule(*goal, w, f, candidate, ps, wp);
        }
        wp.candidate = forced ? *forced : candidate.phase;

        if (forced) {
            season.force(*forced);
        } else {
            season.step(candidate, f, race_follows, wp, result.weeks);
        }
        wp.phase = season.current();
        if (wp.rule.empty()) {
            wp.rule = candidate.rule;
        }
        add_week_notes(w, wp);
        wp.confidence = week_confidence(h, t, wp, ps);
        result.weeks.push_back(std::move(wp));
    }
    stabilise_labels(result.weeks, h);
    result.explanation = explain(result, h, detected, ps);
    return result;
}

} // namespace ultrastrength
