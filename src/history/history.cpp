#include "history/history.hpp"

#include "converters/dedupe.hpp"
#include "model/text.hpp"
#include "model/time.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>

namespace ultrastrength {

namespace {

constexpr std::int64_t seconds_per_day = 86400;

double duration_of(const ActivityFeatures& a) noexcept {
    if (a.moving_s && *a.moving_s > 0) {
        return *a.moving_s;
    }
    if (a.timer_s && *a.timer_s > 0) {
        return *a.timer_s;
    }
    if (a.elapsed_s && *a.elapsed_s > 0) {
        return *a.elapsed_s;
    }
    return 0;
}

double span_of(const ActivityFeatures& a) noexcept {
    if (a.elapsed_s && *a.elapsed_s > 0) {
        return *a.elapsed_s;
    }
    return duration_of(a);
}

/// Seconds covered by the histogram: the HR samples of the activity.
double histogram_seconds(const HeartRateHistogram& h) noexcept {
    return static_cast<double>(std::accumulate(h.begin(), h.end(), std::uint64_t{0}));
}

/// Keeps one copy of each activity recorded more than once (§2.1), by the
/// rule `scan` uses (converters/dedupe.hpp: kept_copies), so both name the
/// same duplicates. `order` is sorted by start time.
std::vector<std::size_t> dedupe(const std::vector<ActivityFeatures>& acts,
                                const std::vector<std::size_t>& order,
                                std::vector<Excluded>& excluded) {
    std::vector<const ActivityFeatures*> sorted;
    sorted.reserve(order.size());
    for (const std::size_t i : order) {
        sorted.push_back(&acts[i]);
    }
    const std::vector<std::size_t> kept_of = kept_copies(sorted);
    std::vector<std::size_t> kept;
    for (std::size_t i = 0; i < order.size(); ++i) {
        if (kept_of[i] == i) {
            kept.push_back(order[i]);
            continue;
        }
        const ActivityFeatures& dropped = acts[order[i]];
        excluded.push_back({dropped.source, std::string(to_string(dropped.sport)),
                            "duplicate of " + acts[order[kept_of[i]]].source});
    }
    return kept;
}

double percentile_bpm(const HeartRateHistogram& h, double fraction) {
    const double total = histogram_seconds(h);
    if (total <= 0) {
        return 0;
    }
    double cumulative = 0;
    for (std::size_t bpm = 0; bpm < h.size(); ++bpm) {
        cumulative += static_cast<double>(h[bpm]);
        if (cumulative >= fraction * total) {
            return static_cast<double>(bpm);
        }
    }
    return static_cast<double>(h.size() - 1);
}

} // namespace

std::string_view to_string(WeekStatus status) noexcept {
    switch (status) {
    case WeekStatus::loaded:
        return "loaded";
    case WeekStatus::recovery_week:
        return "recovery-week";
    case WeekStatus::gap:
        return "gap";
    case WeekStatus::known_gap:
        return "known-gap";
    }
    return "loaded";
}

std::optional<double> form_fraction_on(const History& history, std::int64_t day) noexcept {
    if (history.days.empty()) {
        return std::nullopt;
    }
    const std::int64_t first = history.days.front().day;
    const std::int64_t last = history.days.back().day;
    if (day >= first && day <= last) {
        return history.days[static_cast<std::size_t>(day - first)].form_pct;
    }
    if (day == last + 1 && history.days.back().ctl > 0) {
        const Day& d = history.days.back();
        return (d.ctl - d.atl) / d.ctl;
    }
    return std::nullopt;
}

std::optional<std::int32_t> parse_utc_offset(std::string_view text) noexcept {
    if (text == "UTC" || text == "utc" || text == "Z" || text == "GMT") {
        return 0;
    }
    if (text.size() >= 3 && (text.substr(0, 3) == "UTC" || text.substr(0, 3) == "GMT")) {
        text.remove_prefix(3);
    }
    if (text.empty() || (text[0] != '+' && text[0] != '-')) {
        return std::nullopt;
    }
    const int sign = text[0] == '-' ? -1 : 1;
    text.remove_prefix(1);
    std::array<int, 2> parts{0, 0};
    std::size_t part = 0;
    int digits = 0;
    for (const char c : text) {
        if (c == ':') {
            if (part != 0 || digits == 0) {
                return std::nullopt;
            }
            part = 1;
            digits = 0;
            continue;
        }
        if (c < '0' || c > '9' || digits == 4) {
            return std::nullopt;
        }
        parts[part] = parts[part] * 10 + (c - '0');
        ++digits;
    }
    if (digits == 0) {
        return std::nullopt;
    }
    int hours = parts[0];
    int minutes = parts[1];
    if (part == 0 && digits > 2) { // "+0530"
        hours = parts[0] / 100;
        minutes = parts[0] % 100;
    }
    if (hours > 14 || minutes > 59) {
        return std::nullopt;
    }
    return sign * (hours * 3600 + minutes * 60);
}

double pmc_step(double previous, double load, double tau_days) noexcept {
    return previous + (load - previous) * (1.0 - std::exp(-1.0 / tau_days));
}

std::int64_t monday_of(std::int64_t day) noexcept {
    // Day 0 (1970-01-01) was a Thursday: Monday-based weekday = (day + 3) mod 7.
    return day - ((day % 7 + 7 + 3) % 7);
}

namespace {

/// HRmax (§1.2): the given one, else a high percentile of the heart-rate
/// samples of the estimate window, else the default.
AthleteValue estimate_hr_max(const std::vector<Session>& sessions,
                             const std::vector<HeartRateHistogram>& histograms,
                             std::int64_t window_start, const HistorySettings& settings) {
    HeartRateHistogram merged{};
    bool any = false;
    for (std::size_t i = 0; i < sessions.size(); ++i) {
        if (sessions[i].local_day < window_start || !sessions[i].has_hr) {
            continue;
        }
        for (std::size_t b = 0; b < merged.size(); ++b) {
            merged[b] += histograms[i][b];
        }
        any = true;
    }
    if (!any) {
        return {settings.hr_max_fallback, true, "no heart-rate data: default"};
    }
    const double bpm = percentile_bpm(merged, settings.hr_max_percentile);
    return {bpm, true,
            format_number("%.1f", settings.hr_max_percentile * 100) +
                " th percentile of heart-rate samples of the last " +
                std::to_string(settings.estimate_window_days) + " days"};
}

/// Best 60-min grade-adjusted speed, or a shorter/longer effort's normalized
/// speed carried to 60 min by Riegel (§1.2: v_T = best 45-75-min effort,
/// GAP-adjusted [choice]).
AthleteValue estimate_threshold_speed(const std::vector<Session>& sessions,
                                      std::int64_t window_start, const HistorySettings& settings) {
    double best = 0;
    std::string how;
    for (const auto& s : sessions) {
        if (!s.running || s.local_day < window_start) {
            continue;
        }
        if (s.best60_gap_speed_mps &&
            *s.best60_gap_speed_mps<settings.max_plausible_speed_mps&& * s.best60_gap_speed_mps>
                 best) {
            best = *s.best60_gap_speed_mps;
            how = "best 60-min grade-adjusted speed (" + s.source + ")";
        }
        if (s.ngp_speed_mps && s.moving_s >= settings.threshold_min_duration_s &&
            s.moving_s <= settings.threshold_max_duration_s &&
            *s.ngp_speed_mps < settings.max_plausible_speed_mps) {
            const double v60 =
                riegel_speed_60min(*s.ngp_speed_mps, s.moving_s, settings.riegel_exponent);
            if (v60 > best) {
                best = v60;
                how = "normalized grade-adjusted speed of " + s.source +
                      " carried to 60 min (Riegel)";
            }
        }
    }
    if (best > 0) {
        return {best, true, how};
    }
    return {std::nullopt, true, "no speed data: pace load unavailable"};
}

} // namespace

AthleteProfile resolve_athlete(const AthleteSettings& given, const std::vector<Session>& sessions,
                               const std::vector<HeartRateHistogram>& histograms,
                               std::int64_t today, const HistorySettings& settings) {
    AthleteProfile p;
    p.sex = given.sex;
    const std::int64_t window_start = today - settings.estimate_window_days;
    p.hr_max = given.hr_max ? AthleteValue{given.hr_max, false, "given"}
                            : estimate_hr_max(sessions, histograms, window_start, settings);
    if (given.hr_rest) {
        p.hr_rest = {given.hr_rest, false, "given"};
    } else {
        p.hr_rest = {settings.hr_rest_default, true, "default"};
    }
    if (given.lthr) {
        p.lthr = {given.lthr, false, "given"};
    } else {
        const double lthr =
            *p.hr_rest.value + settings.lthr_fraction * (*p.hr_max.value - *p.hr_rest.value);
        p.lthr = {lthr, true,
                  "HRrest + " + format_number("%.2f", settings.lthr_fraction) +
                      " x (HRmax - HRrest)"};
    }
    p.threshold_speed_mps = given.threshold_speed_mps
                                ? AthleteValue{given.threshold_speed_mps, false, "given"}
                                : estimate_threshold_speed(sessions, window_start, settings);
    return p;
}

namespace {

/// Sorts activity indices by start time, then file name (deterministic for equal starts).
void sort_by_start(const std::vector<ActivityFeatures>& acts, std::vector<std::size_t>& order) {
    std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) {
        return *acts[x].start_utc < *acts[y].start_utc ||
               (*acts[x].start_utc == *acts[y].start_utc && acts[x].source < acts[y].source);
    });
}

/// The activities that count (§2.1), by start time, duplicates dropped:
/// running, hiking and walking in `foot`; completed strength in `strength`,
/// which counts in the load only (§1.4, §4.6).
struct Selected {
    std::vector<std::size_t> foot;
    std::vector<std::size_t> strength;
};

Selected select_activities(const std::vector<ActivityFeatures>& acts,
                           std::vector<Excluded>& excluded) {
    Selected sel;
    for (std::size_t i = 0; i < acts.size(); ++i) {
        const auto& a = acts[i];
        const bool foot =
            is_running(a.sport) || a.sport == Sport::hiking || a.sport == Sport::walking;
        if (a.sport == Sport::strength && a.start_utc && duration_of(a) > 0) {
            sel.strength.push_back(i);
        } else if (!foot) {
            excluded.push_back({a.source, std::string(to_string(a.sport)),
                                "not a running, hiking or walking activity"});
        } else if (!a.start_utc) {
            excluded.push_back({a.source, std::string(to_string(a.sport)), "no start time"});
        } else if (duration_of(a) <= 0) {
            excluded.push_back({a.source, std::string(to_string(a.sport)), "no duration"});
        } else {
            sel.foot.push_back(i);
        }
    }
    sort_by_start(acts, sel.foot);
    sel.foot = dedupe(acts, sel.foot, excluded);
    sort_by_start(acts, sel.strength);
    // Deduplicated among themselves, so a strength recording never replaces a run.
    sel.strength = dedupe(acts, sel.strength, excluded);
    return sel;
}

/// One activity as a session (§2.2): local day and time, duration, distance,
/// climbing and effort-km; no load yet.
Session make_session(const ActivityFeatures& a, std::size_t i, const HistoryInput& input,
                     const HistorySettings& settings) {
    Session s;
    s.input_index = i;
    s.source = a.source;
    s.name = a.name;
    s.sport = a.sport;
    s.start_utc = *a.start_utc;
    if (a.utc_offset_s) {
        s.utc_offset_s = *a.utc_offset_s;
        s.offset_from_file = true;
    } else {
        s.utc_offset_s = input.utc_offset_s.value_or(0);
    }
    const std::int64_t local = s.start_utc + s.utc_offset_s;
    s.local_day = floor_div(local, seconds_per_day);
    s.local_start_h = static_cast<double>(local - s.local_day * seconds_per_day) / 3600.0;
    s.moving_s = duration_of(a);
    s.elapsed_s = std::max(span_of(a), s.moving_s);
    s.has_distance = a.distance_m.has_value() && *a.distance_m > 0;
    s.distance_m = s.has_distance ? *a.distance_m : 0;
    s.has_altitude = a.ascent_m.has_value() && !a.has(Flag::no_altitude);
    s.ascent_m = a.ascent_m.value_or(0);
    s.descent_m = a.descent_m.value_or(0);
    s.avg_hr = a.avg_hr;
    s.ngp_speed_mps = a.ngp_speed_mps;
    s.best60_gap_speed_mps = a.best60_gap_speed_mps;
    s.has_hr = a.has_hr_histogram && histogram_seconds(a.hr_histogram) > 0;
    s.running = is_running(a.sport);
    s.in_volume = s.running || s.ascent_m >= settings.hike_min_ascent_m;
    if (!s.running) {
        s.notes.push_back(std::string(to_string(a.sport)) + ": counted in load and time" +
                          (s.in_volume
                               ? " and effort-km (D+ >= " +
                                     format_number("%.0f", settings.hike_min_ascent_m) + " m)"
                               : ", not in km or effort-km (D+ < " +
                                     format_number("%.0f", settings.hike_min_ascent_m) + " m)"));
    }
    s.effort_km = s.in_volume ? effort_km(s.distance_m, s.ascent_m) : 0;
    return s;
}

/// Sessions after the analysis date do not exist yet for it: dropped, with their histograms.
void drop_after_today(History& h, std::vector<HeartRateHistogram>& histograms) {
    std::vector<Session> kept;
    std::vector<HeartRateHistogram> kept_h;
    for (std::size_t i = 0; i < h.sessions.size(); ++i) {
        if (h.sessions[i].local_day > h.today) {
            h.excluded.push_back({h.sessions[i].source, std::string(to_string(h.sessions[i].sport)),
                                  "after the analysis date"});
            continue;
        }
        kept.push_back(std::move(h.sessions[i]));
        kept_h.push_back(histograms[i]);
    }
    h.sessions = std::move(kept);
    histograms = std::move(kept_h);
}

/// Strength sessions: in load and time of day only, never in km, D+ or effort-km.
/// Returns their heart-rate histograms.
std::vector<HeartRateHistogram> add_strength(History& h, const std::vector<std::size_t>& order,
                                             const HistoryInput& input,
                                             const HistorySettings& settings) {
    std::vector<HeartRateHistogram> histograms;
    for (const std::size_t i : order) {
        Session s = make_session(input.activities[i], i, input, settings);
        if (s.local_day > h.today) {
            h.excluded.push_back(
                {s.source, std::string(to_string(s.sport)), "after the analysis date"});
            continue;
        }
        s.running = false;
        s.in_volume = false;
        s.effort_km = 0;
        s.notes.assign(1, "strength: counted in load only, never in km, D+ or effort-km "
                          "(analysis.md §4.6)");
        h.strength.push_back(std::move(s));
        histograms.push_back(input.activities[i].hr_histogram);
    }
    return histograms;
}

/// Rungs 1 and 2 (§1.2) wherever they are valid: grade-adjusted pace and heart rate.
void score_pace_and_heart_rate(History& h, const std::vector<ActivityFeatures>& acts,
                               const std::vector<HeartRateHistogram>& histograms,
                               const HistorySettings& settings) {
    const double hr_max = *h.athlete.hr_max.value;
    const double hr_rest = *h.athlete.hr_rest.value;
    const double lthr = *h.athlete.lthr.value;
    const std::optional<double> v_t = h.athlete.threshold_speed_mps.value;
    const Sex sex = h.athlete.sex;
    for (std::size_t i = 0; i < h.sessions.size(); ++i) {
        Session& s = h.sessions[i];
        const ActivityFeatures& a = acts[s.input_index];
        const bool treadmill = a.sport == Sport::treadmill_running;
        if (v_t && s.ngp_speed_mps && *s.ngp_speed_mps > 0 &&
            s.moving_s >= settings.gap_min_moving_s && (s.has_altitude || treadmill)) {
            s.intensity_factor = *s.ngp_speed_mps / *v_t;
            s.gap_load = gap_tss(s.moving_s, *s.ngp_speed_mps, *v_t);
        }
        if (s.has_hr && histogram_seconds(histograms[i]) >= settings.hr_min_coverage * s.moving_s) {
            s.trimp = trimp_from_histogram(histograms[i], hr_rest, hr_max, sex, settings.hr_min_bpm,
                                           settings.hr_above_max_bpm);
            s.hr_load = hr_tss(*s.trimp, lthr, hr_rest, hr_max, sex);
        }
    }
}

/// §4.7: nobody holds more than IF 1.05 for over an hour (Coggan's IF table), races
/// included. A longer activity above it means the threshold speed is set too low:
/// raise it to put the hardest such activity at 1.05 and say so. Steep hikes,
/// where grade-adjusted pace misleads, are capped after the ladder (cap_intensity).
void raise_threshold_speed(History& h, const HistorySettings& settings) {
    const std::optional<double> v_t = h.athlete.threshold_speed_mps.value;
    if (!v_t) {
        return;
    }
    double worst = 0;
    for (const Session& s : h.sessions) {
        if (s.running && s.moving_s > 3600 && s.intensity_factor) {
            worst = std::max(worst, *s.intensity_factor);
        }
    }
    if (worst <= settings.max_if_over_an_hour) {
        return;
    }
    const double raised = *v_t * worst / settings.max_if_over_an_hour;
    h.notes.push_back("threshold speed re-estimated from " + format_number("%.2f", *v_t) + " to " +
                      format_number("%.2f", raised) + " m/s: a run over an hour scored IF " +
                      format_number("%.2f", worst) + " > " +
                      format_number("%.2f", settings.max_if_over_an_hour) + " (analysis.md §4.7)");
    for (Session& s : h.sessions) {
        if (s.gap_load && s.ngp_speed_mps) {
            s.intensity_factor = *s.ngp_speed_mps / raised;
            s.gap_load = gap_tss(s.moving_s, *s.ngp_speed_mps, raised);
        }
    }
}

/// Rung 3's c, fitted on the athlete's activities with both RPE and rung 1/2.
double fit_rpe_c(const History& h, const std::vector<ActivityFeatures>& acts,
                 const HistorySettings& settings) {
    double sum_load = 0;
    double sum_srpe = 0;
    int n = 0;
    for (const auto& s : h.sessions) {
        const auto& a = acts[s.input_index];
        const auto l = s.gap_load ? s.gap_load : s.hr_load;
        if (a.rpe && *a.rpe > 0 && l) {
            sum_load += *l;
            sum_srpe += session_rpe(*a.rpe, s.moving_s);
            ++n;
        }
    }
    return n >= settings.rpe_fit_min_activities && sum_srpe > 0 ? sum_load / sum_srpe
                                                                : settings.rpe_default_c;
}

/// Rung 4: the athlete's own recent load per effort-km (or per hour), from
/// the sessions before session `i`; else the default rate.
void score_from_recent_load(History& h, std::size_t i, const HistorySettings& settings) {
    Session& s = h.sessions[i];
    double sum_load = 0;
    double sum_ekm = 0;
    double sum_h = 0;
    int n = 0;
    for (std::size_t j = 0; j < i; ++j) {
        const Session& p = h.sessions[j];
        if (p.local_day < s.local_day - settings.model_window_days) {
            continue;
        }
        if (p.rung == LoadRung::gap_pace || p.rung == LoadRung::heart_rate) {
            sum_load += p.load;
            sum_ekm += p.effort_km;
            sum_h += p.moving_s / 3600.0;
            ++n;
        }
    }
    if (n >= settings.model_min_activities && s.in_volume && s.effort_km > 0 && sum_ekm > 0) {
        s.load = s.effort_km * sum_load / sum_ekm;
        s.rung = LoadRung::athlete_model;
        s.notes.push_back("load from your last " + std::to_string(settings.model_window_days) +
                          " days: " + format_number("%.1f", sum_load / sum_ekm) + " per effort-km");
        return;
    }
    if (n >= settings.model_min_activities && sum_h > 0) {
        s.load = s.moving_s / 3600.0 * sum_load / sum_h;
        s.rung = LoadRung::athlete_model;
        s.notes.push_back("load from your last " + std::to_string(settings.model_window_days) +
                          " days: " + format_number("%.1f", sum_load / sum_h) + " per hour");
        return;
    }
    s.load = settings.default_load_per_hour * s.moving_s / 3600.0;
    s.rung = LoadRung::default_rate;
}

/// The load ladder (§1.2), in time order so that rung 4 sees only earlier sessions.
void climb_ladder(History& h, const std::vector<ActivityFeatures>& acts, double rpe_c,
                  const HistorySettings& settings) {
    for (std::size_t i = 0; i < h.sessions.size(); ++i) {
        Session& s = h.sessions[i];
        const auto& a = acts[s.input_index];
        if (s.gap_load) {
            s.load = *s.gap_load;
            s.rung = LoadRung::gap_pace;
            // §1.2 hiking guard and §1.3 ultra hedge: GAP under-reads steep
            // power-hiking and long days, so take the larger of rungs 1 and 2.
            if (s.hr_load && (!s.running || s.moving_s > settings.ultra_hedge_s) &&
                *s.hr_load > s.load) {
                s.load = *s.hr_load;
                s.rung = LoadRung::heart_rate;
                s.notes.push_back(!s.running ? "hike: heart-rate load exceeded pace load"
                                             : "over 4 h: heart-rate load exceeded pace load");
            }
        } else if (s.hr_load) {
            s.load = *s.hr_load;
            s.rung = LoadRung::heart_rate;
        } else if (a.rpe && *a.rpe > 0) {
            s.load = session_rpe(*a.rpe, s.moving_s) * rpe_c;
            s.rung = LoadRung::rpe;
        } else {
            score_from_recent_load(h, i, settings);
        }
    }
}

/// §4.7 caps, whatever rung scored the activity: over an hour at most IF 1.05,
/// a hike over 2 h at most about IF 0.90 (load = hours x 100 x IF^2).
void cap_intensity(History& h, const HistorySettings& settings) {
    for (Session& s : h.sessions) {
        const double hours = s.moving_s / 3600;
        const double cap_if = !s.running && s.moving_s > 7200 ? settings.max_if_long_hike
                              : s.moving_s > 3600             ? settings.max_if_over_an_hour
                                                              : 0;
        if (cap_if > 0 && s.load > hours * 100 * cap_if * cap_if) {
            s.load = hours * 100 * cap_if * cap_if;
            s.notes.push_back("load capped at IF " + format_number("%.2f", cap_if) +
                              (s.running ? " for a run over an hour" : " for a hike over 2 h") +
                              " (analysis.md §4.7)");
        }
        if (s.intensity_factor && cap_if > 0) {
            s.intensity_factor = std::min(*s.intensity_factor, cap_if);
        }
    }
}

/// Completed strength (§4.6, §4.7): session-RPE, the method made for lifting
/// (Foster et al. 2001; Day et al. 2004), on the planner's scale: the recorded
/// RPE when there is one, else the RPE of a planned heavy/plyometric session,
/// with the default c the planner uses. Heart rate under-reads lifting, so it is
/// kept for display only: an athlete who keeps their routine projects no new load.
void score_strength(History& h, const std::vector<ActivityFeatures>& acts,
                    const std::vector<HeartRateHistogram>& histograms,
                    const HistorySettings& settings) {
    const double hr_max = *h.athlete.hr_max.value;
    const double hr_rest = *h.athlete.hr_rest.value;
    const double lthr = *h.athlete.lthr.value;
    const Sex sex = h.athlete.sex;
    const double planned_c = settings.rpe_default_c;
    for (std::size_t i = 0; i < h.strength.size(); ++i) {
        Session& s = h.strength[i];
        const auto& a = acts[s.input_index];
        if (s.has_hr && histogram_seconds(histograms[i]) >= settings.hr_min_coverage * s.moving_s) {
            s.trimp = trimp_from_histogram(histograms[i], hr_rest, hr_max, sex, settings.hr_min_bpm,
                                           settings.hr_above_max_bpm);
            s.hr_load = hr_tss(*s.trimp, lthr, hr_rest, hr_max, sex);
        }
        if (a.rpe && *a.rpe > 0) {
            s.load = session_rpe(*a.rpe, s.moving_s) * planned_c;
            s.rung = LoadRung::rpe;
        } else {
            s.load = session_rpe(settings.strength_default_rpe, s.moving_s) * planned_c;
            s.rung = LoadRung::default_rate;
            s.notes.push_back("no RPE: scored as session-RPE " +
                              format_number("%.0f", settings.strength_default_rpe) +
                              " x minutes x " + format_number("%.3f", planned_c) +
                              ", the planned sessions' scale (analysis.md §4.7)");
        }
    }
}

/// Daily load from the first session's day to today, indexed by day - first_day.
struct DailyLoad {
    std::int64_t first_day = 0;
    std::int64_t n_days = 0;
    std::vector<double> load;     ///< everything
    std::vector<double> strength; ///< of which completed strength
    std::vector<double> time_s;   ///< moving time of the running, hiking and walking sessions

    double at(const std::vector<double>& series, std::int64_t day) const {
        const auto i = day - first_day;
        return (i >= 0 && i < n_days) ? series[static_cast<std::size_t>(i)] : 0.0;
    }
};

/// Daily load, split at local midnight (§1.3 [choice]).
DailyLoad daily_load(const History& h, const HistorySettings& settings) {
    DailyLoad daily;
    daily.first_day = h.sessions.front().local_day;
    daily.n_days = h.today - daily.first_day + 1;
    const auto n = static_cast<std::size_t>(daily.n_days);
    daily.load.assign(n, 0.0);
    daily.strength.assign(n, 0.0);
    daily.time_s.assign(n, 0.0);
    for (const auto& s : h.strength) {
        // Before the first run there is no PMC yet to put it in.
        if (s.local_day >= daily.first_day && s.local_day <= h.today) {
            daily.load[static_cast<std::size_t>(s.local_day - daily.first_day)] += s.load;
            daily.strength[static_cast<std::size_t>(s.local_day - daily.first_day)] += s.load;
        }
    }
    for (const auto& s : h.sessions) {
        const std::int64_t local_start = s.start_utc + s.utc_offset_s;
        double remaining = s.elapsed_s;
        std::int64_t day = s.local_day;
        double t = static_cast<double>(local_start - day * seconds_per_day);
        while (true) {
            const double in_day =
                settings.split_at_midnight
                    ? std::min(remaining, static_cast<double>(seconds_per_day) - t)
                    : remaining;
            const double share = s.elapsed_s > 0 ? in_day / s.elapsed_s : 1.0;
            if (day <= h.today) {
                daily.load[static_cast<std::size_t>(day - daily.first_day)] += s.load * share;
            }
            remaining -= in_day;
            if (remaining <= 1e-9 || !settings.split_at_midnight) {
                break;
            }
            ++day;
            t = 0;
        }
        daily.time_s[static_cast<std::size_t>(s.local_day - daily.first_day)] += s.moving_s;
    }
    return daily;
}

/// Fitness, fatigue and form per day (§1.4), seeded with the mean daily load
/// of the first days. Returns the seed.
double fill_pmc(History& h, const DailyLoad& daily, const HistorySettings& settings) {
    const auto seed_n = std::min<std::int64_t>(settings.seed_days, daily.n_days);
    double seed = 0;
    for (std::int64_t d = 0; d < seed_n; ++d) {
        seed += daily.load[static_cast<std::size_t>(d)];
    }
    seed /= static_cast<double>(seed_n);
    double ctl = seed;
    double atl = seed;
    h.pmc_warming_up = daily.n_days < settings.warm_up_days;
    if (h.pmc_warming_up) {
        h.notes.push_back("fitness/fatigue warming up: only " + std::to_string(daily.n_days) +
                          " days of history (42 needed)");
    }
    for (std::int64_t d = 0; d < daily.n_days; ++d) {
        Day day;
        day.day = daily.first_day + d;
        day.load = daily.load[static_cast<std::size_t>(d)];
        day.strength_load = daily.strength[static_cast<std::size_t>(d)];
        day.tsb = ctl - atl;
        if (ctl > 0) {
            day.form_pct = day.tsb / ctl;
        }
        ctl = pmc_step(ctl, day.load, settings.ctl_days);
        atl = pmc_step(atl, day.load, settings.atl_days);
        day.ctl = ctl;
        day.atl = atl;
        day.ramp = ctl - (d >= 7 ? h.days[static_cast<std::size_t>(d - 7)].ctl : seed);
        if (ctl > 0) {
            day.acwr = atl / ctl;
        }
        day.warming_up = d < settings.warm_up_days;
        h.days.push_back(day);
    }
    return seed;
}

/// Single-session spike (Frandsen et al. 2025) on effort-km [choice]: session
/// `i` against the longest of the `spike_window_days` before its day.
std::optional<double> session_spike(const History& h, std::size_t i,
                                    const HistorySettings& settings) {
    const Session& s = h.sessions[i];
    double prior_max = 0;
    bool any_prior = false;
    for (std::size_t j = i; j-- > 0;) {
        const Session& p = h.sessions[j];
        if (p.local_day >= s.local_day) {
            continue;
        }
        if (p.local_day < s.local_day - settings.spike_window_days) {
            break;
        }
        any_prior = true;
        prior_max = std::max(prior_max, p.effort_km);
    }
    if (any_prior && prior_max > 0 && s.effort_km > 0) {
        return s.effort_km / prior_max;
    }
    return std::nullopt;
}

/// Adds running, hiking or walking session `i` to its week's volume and load (§2.3).
void add_session(Week& w, const History& h, std::size_t i, const HistorySettings& settings) {
    const Session& s = h.sessions[i];
    ++w.sessions;
    if (s.running) {
        ++w.runs;
        w.running_km += s.distance_m / 1000.0;
    }
    w.time_h += s.moving_s / 3600.0;
    w.load += s.load;
    if (s.in_volume) {
        w.km += s.distance_m / 1000.0;
        w.ascent_m += s.ascent_m;
        w.descent_m += s.descent_m;
        w.effort_km += s.effort_km;
    }
    if (s.moving_s > w.long_s) {
        w.long_s = s.moving_s;
        w.long_km = s.distance_m / 1000.0;
    }
    w.long_effort_km = std::max(w.long_effort_km, s.effort_km);
    if (const auto spike = session_spike(h, i, settings)) {
        w.spike = w.spike ? std::max(*w.spike, *spike) : *spike;
    }
}

/// The week's longest two-day block and its monotony (§2.3: mean / SD of the daily load).
void add_load_shape(Week& w, const DailyLoad& daily) {
    const std::int64_t ws = w.start_day;
    for (std::int64_t d = ws; d < ws + 7; ++d) {
        w.block_s = std::max(w.block_s, daily.at(daily.time_s, d - 1) + daily.at(daily.time_s, d));
    }
    double mean = 0;
    for (std::int64_t d = ws; d < ws + 7; ++d) {
        mean += daily.at(daily.load, d);
    }
    mean /= 7.0;
    double var = 0;
    for (std::int64_t d = ws; d < ws + 7; ++d) {
        var += (daily.at(daily.load, d) - mean) * (daily.at(daily.load, d) - mean);
    }
    const double sd = std::sqrt(var / 7.0);
    if (sd > 1e-9) {
        w.monotony = mean / sd;
    }
}

/// Fitness, fatigue, form and ramp at the week's end (or today), then its flags.
void add_load_state(Week& w, const History& h, const DailyLoad& daily, double seed,
                    const HistorySettings& settings) {
    const std::int64_t ws = w.start_day;
    const std::int64_t end = std::min(ws + 6, h.today);
    const Day& e = h.days[static_cast<std::size_t>(end - daily.first_day)];
    w.ctl = e.ctl;
    w.atl = e.atl;
    w.tsb = e.ctl - e.atl;
    if (e.ctl > 0) {
        w.form_pct = w.tsb / e.ctl;
    }
    const std::int64_t before = ws - 1;
    w.ramp = e.ctl - (before >= daily.first_day
                          ? h.days[static_cast<std::size_t>(before - daily.first_day)].ctl
                          : seed);
    if (w.spike && *w.spike > settings.spike_flag) {
        w.flags.push_back("spike");
    }
    if (w.monotony && *w.monotony > settings.monotony_flag) {
        w.flags.push_back("monotony");
    }
    if (w.ramp > 10) {
        w.flags.push_back("ramp>10");
    } else if (w.ramp > 8) {
        w.flags.push_back("ramp>8");
    }
}

/// Monday-based weeks from the first session's week to today's (§2.3).
void build_weeks(History& h, const DailyLoad& daily, double seed, const HistorySettings& settings) {
    const std::int64_t first_week = monday_of(daily.first_day);
    const std::int64_t last_week = monday_of(h.today);
    std::size_t next_session = 0;
    std::size_t next_strength = 0;
    for (std::int64_t ws = first_week; ws <= last_week; ws += 7) {
        Week w;
        w.start_day = ws;
        w.partial = ws + 6 > h.today;
        for (; next_strength < h.strength.size() && h.strength[next_strength].local_day < ws + 7;
             ++next_strength) {
            const Session& s = h.strength[next_strength];
            if (s.local_day >= daily.first_day) {
                ++w.strength_sessions;
                w.strength_load += s.load;
                w.load += s.load;
            }
        }
        for (; next_session < h.sessions.size() && h.sessions[next_session].local_day < ws + 7;
             ++next_session) {
            add_session(w, h, next_session, settings);
        }
        add_load_shape(w, daily);
        add_load_state(w, h, daily, seed, settings);
        h.weeks.push_back(std::move(w));
    }
}

/// A week's volume for §2.4: effort-km, or hours when it has none.
double week_volume(const Week& w) {
    return w.effort_km > 0 ? w.effort_km : w.time_h;
}

/// §2.4 missing data vs rest: known gaps, single near-zero weeks (recovery
/// weeks) and runs of them (breaks).
void mark_gaps(History& h, const HistoryInput& input, const HistorySettings& settings) {
    for (Week& w : h.weeks) {
        for (const auto& [a, b] : input.known_gaps) {
            if (a <= w.start_day + 6 && b >= w.start_day) {
                w.status = WeekStatus::known_gap;
            }
        }
    }
    // The mean of the 4 weeks before week i.
    const auto mean_before = [&](std::size_t i) {
        double mean = 0;
        for (std::size_t j = i - 4; j < i; ++j) {
            mean += week_volume(h.weeks[j]);
        }
        return mean / 4.0;
    };
    const auto near_zero = [&](std::size_t i) {
        if (i < 4 || h.weeks[i].status == WeekStatus::known_gap) {
            return false;
        }
        const double mean = mean_before(i);
        return mean > 0 && week_volume(h.weeks[i]) < settings.break_fraction * mean;
    };
    for (std::size_t i = 0; i < h.weeks.size(); ++i) {
        if (h.weeks[i].partial || !near_zero(i)) {
            continue;
        }
        // Count the run of near-zero weeks starting here; the 4-week mean
        // of a later week in the run already includes earlier zeros, so the
        // run is measured against the weeks before it started.
        const double mean = mean_before(i);
        std::size_t j = i;
        while (j < h.weeks.size() && !h.weeks[j].partial) {
            if (!(week_volume(h.weeks[j]) < settings.break_fraction * mean) ||
                h.weeks[j].status == WeekStatus::known_gap) {
                break;
            }
            ++j;
        }
        const bool is_break = static_cast<int>(j - i) >= settings.break_weeks;
        for (std::size_t k = i; k < j; ++k) {
            h.weeks[k].status = is_break ? WeekStatus::gap : WeekStatus::recovery_week;
        }
        i = j > i ? j - 1 : i;
    }
}

} // namespace

History build_history(const HistoryInput& input, const HistorySettings& settings) {
    History h;
    const auto& acts = input.activities;
    const Selected selected = select_activities(acts, h.excluded);

    std::vector<HeartRateHistogram> histograms;
    for (const std::size_t i : selected.foot) {
        h.sessions.push_back(make_session(acts[i], i, input, settings));
        histograms.push_back(acts[i].hr_histogram);
    }
    h.today = input.today.value_or(h.sessions.empty() ? 0 : h.sessions.back().local_day);
    drop_after_today(h, histograms);
    const auto strength_histograms = add_strength(h, selected.strength, input, settings);

    // Load (§1.2, §4.7), then completed strength (§4.6).
    h.athlete = resolve_athlete(input.athlete, h.sessions, histograms, h.today, settings);
    score_pace_and_heart_rate(h, acts, histograms, settings);
    raise_threshold_speed(h, settings);
    climb_ladder(h, acts, fit_rpe_c(h, acts, settings), settings);
    cap_intensity(h, settings);
    score_strength(h, acts, strength_histograms, settings);

    if (h.sessions.empty()) {
        h.notes.push_back("no running, hiking or walking activity to analyse");
        return h;
    }
    const DailyLoad daily = daily_load(h, settings);
    const double seed = fill_pmc(h, daily, settings);
    build_weeks(h, daily, seed, settings);
    mark_gaps(h, input, settings);
    return h;
}

} // namespace ultrastrength
