// From activities to a training history: which activities count, their
// local dates, per-activity load (§1.2 ladder), the daily fitness/fatigue
// series (§1.4) and the weekly volume series (§2). Every threshold that the
// spec marks as a project choice lives in HistorySettings with the spec's
// default and the section it comes from.
#ifndef ULTRASTRENGTH_HISTORY_HISTORY_HPP
#define ULTRASTRENGTH_HISTORY_HISTORY_HPP

#include "history/load.hpp"
#include "model/activity.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ultrastrength {

/// What the athlete told us (all optional, §1.2 "Inputs per athlete").
struct AthleteSettings {
    std::optional<double> hr_max;              ///< bpm
    std::optional<double> hr_rest;             ///< bpm
    std::optional<double> lthr;                ///< bpm
    std::optional<double> threshold_speed_mps; ///< ~1-h race speed ("critical velocity")
    Sex sex = Sex::unknown;
};

/// A setting as used, and where it came from.
struct AthleteValue {
    std::optional<double> value;
    bool estimated = false;
    std::string how; ///< "given", or how it was estimated
};

struct AthleteProfile {
    AthleteValue hr_max;
    AthleteValue hr_rest;
    AthleteValue lthr;
    AthleteValue threshold_speed_mps;
    Sex sex = Sex::unknown;
};

struct HistorySettings {
    // §1.2 defaults when the athlete gives nothing.
    double hr_max_percentile = 0.995; ///< of 1-s HR samples of the last 12 months [choice]
    double hr_rest_default = 60;      ///< [choice]
    double lthr_fraction = 0.85;      ///< LTHR = HRrest + 0.85 (HRmax - HRrest) (Elevate)
    double hr_max_fallback = 190;     ///< no HR anywhere: only used to score RPE-less HR [choice]
    int estimate_window_days = 365;   ///< "last 12 months" for HRmax and v_T [choice]
    double threshold_min_duration_s =
        20 * 60; ///< shortest effort converted to 60 min (Riegel) [choice]
    double threshold_max_duration_s = 180 * 60; ///< longest [choice]
    double riegel_exponent = 1.06;
    double max_plausible_speed_mps = 7.0; ///< faster "runs" are GPS or sport errors [choice]

    // §1.2 ladder.
    double gap_min_moving_s = 600;        ///< rung 1 needs >= 10 min moving
    double hr_min_coverage = 0.8;         ///< rung 2 needs >= 80 % of moving time with HR [choice]
    double hr_min_bpm = 40;               ///< HR samples below are dropouts
    double hr_above_max_bpm = 5;          ///< HR samples above HRmax + this are spikes
    double rpe_default_c = 100.0 / 420.0; ///< 1 h at RPE 7 = 100 [choice]
    int rpe_fit_min_activities =
        3; ///< fit c on the athlete when this many have RPE and rung 1/2 [choice]
    int model_window_days = 42;        ///< rung 4: athlete's load per effort-km over 42 days
    int model_min_activities = 3;      ///< ... from at least this many activities [choice]
    double default_load_per_hour = 50; ///< rung 5 (~IF 0.71) [choice]
    double strength_default_rpe =
        6; ///< §4.6: strength with neither HR nor RPE scored as RPE 6 [choice]
    /// §4.7: no activity over an hour scores above IF 1.05 (Coggan's IF table) [choice]
    double max_if_over_an_hour = 1.05;
    /// §4.7: a hike over 2 h scores at most IF 0.90 (grade-adjusted pace misleads) [choice]
    double max_if_long_hike = 0.90;
    double ultra_hedge_s = 4 * 3600; ///< > 4 h: max(rung 1, rung 2) (§1.3) [choice]

    // §2.1 which activities count.
    double hike_min_ascent_m = 300; ///< hikes/walks enter effort-km only with D+ >= 300 m [choice]
    bool split_at_midnight = true; ///< multi-day activities split at local midnight (§1.3) [choice]

    // §1.4 PMC.
    double ctl_days = 42;
    double atl_days = 7;
    int seed_days = 42;    ///< seed CTL = ATL = mean daily load of the first days (§1.4)
    int warm_up_days = 42; ///< "warming up" until 42 days exist

    // §2.3/§2.4 weekly.
    int spike_window_days = 30;   ///< Frandsen et al. 2025: longest session of the prior 30 days
    double spike_flag = 1.10;     ///< > 10 % over the 30-day longest
    double monotony_flag = 2.0;   ///< Foster
    double break_fraction = 0.25; ///< a week < 25 % of the 4-week mean is near-zero (§2.4)
    int break_weeks = 2;          ///< >= 2 such weeks = a break (§2.4)
    int peak_window_weeks = 52;   ///< season peak over the last 365 days (§2.3)
};

/// One activity that counts (running, or a hike/walk per §2.1), or a
/// completed strength session (History::strength, load only).
struct Session {
    std::size_t input_index = 0; ///< position in HistoryInput::activities
    std::string source;
    std::string name;
    Sport sport = Sport::running;
    std::int64_t start_utc = 0;
    std::int32_t utc_offset_s = 0;
    bool offset_from_file = false;
    std::int64_t local_day = 0; ///< days since 1970-01-01 in local time
    double local_start_h = 0;   ///< local time of day, hours
    double moving_s = 0;
    double elapsed_s = 0;
    double distance_m = 0;
    double ascent_m = 0;
    double descent_m = 0;
    bool has_distance = false;
    bool has_altitude = false;
    bool has_hr = false;
    bool running = true;   ///< false: hike/walk, counted in load and time, flagged
    bool in_volume = true; ///< counts in km, D+, D-, effort-km
    double effort_km = 0;  ///< 0 when not in volume
    std::optional<double> avg_hr;
    std::optional<double> ngp_speed_mps;
    std::optional<double> best60_gap_speed_mps;

    double load = 0; ///< TSS-equivalent
    LoadRung rung = LoadRung::default_rate;
    std::optional<double> gap_load;         ///< rung 1 value when computable
    std::optional<double> hr_load;          ///< rung 2 value when computable
    std::optional<double> trimp;            ///< raw Banister TRIMP
    std::optional<double> intensity_factor; ///< NGS / v_T
    std::vector<std::string> notes;         ///< why a rung or rule applied
};

/// An input activity that does not enter the history, and why.
struct Excluded {
    std::string source;
    std::string sport;
    std::string reason;
};

struct Day {
    std::int64_t day = 0;     ///< local days since 1970-01-01
    double load = 0;          ///< S_d: running-type and completed strength load (§1.4, §4.6)
    double strength_load = 0; ///< the part of S_d from completed strength sessions (§4.6)
    double ctl = 0;           ///< fitness at the end of the day
    double atl = 0;           ///< fatigue at the end of the day
    double tsb = 0;           ///< form for today = CTL - ATL at the end of yesterday
    std::optional<double> form_pct; ///< TSB / CTL(yesterday), as a fraction
    double ramp = 0;                ///< CTL_d - CTL_(d-7)
    std::optional<double> acwr;     ///< ATL/CTL
    bool warming_up = false;
};

enum class WeekStatus : std::uint8_t {
    loaded,        ///< normal training week
    recovery_week, ///< one near-zero week inside a loaded block (§2.4 a)
    gap,           ///< part of >= 2 near-zero weeks: rest, illness or no data (§2.4 b)
    known_gap,     ///< the athlete said there is no data for these days
};
std::string_view to_string(WeekStatus status) noexcept;

struct Week {
    std::int64_t start_day = 0; ///< Monday, local days since 1970-01-01
    bool partial = false;       ///< the current week, not complete yet
    int runs = 0;
    int sessions = 0;      ///< runs + counted hikes/walks
    double time_h = 0;     ///< moving hours
    double km = 0;         ///< running km (hikes with D+ >= 300 m too)
    double running_km = 0; ///< running only
    double ascent_m = 0;
    double descent_m = 0;
    double effort_km = 0;
    double load = 0;           ///< sum of S_d over the week, strength included (§4.6)
    int strength_sessions = 0; ///< completed strength sessions (in load, never in volume)
    double strength_load = 0;  ///< their part of `load`
    double long_s = 0;         ///< longest single session, moving s
    double long_effort_km = 0; ///< longest single session by effort-km
    double long_km = 0;
    double block_s = 0;             ///< max over two consecutive days of summed moving time
    std::optional<double> spike;    ///< max session ekm / longest ekm of the prior 30 days
    std::optional<double> monotony; ///< mean/sd of the 7 daily loads
    double ctl = 0;                 ///< at the end of the week
    double atl = 0;
    double tsb = 0;
    std::optional<double> form_pct;
    double ramp = 0; ///< CTL change over the week
    WeekStatus status = WeekStatus::loaded;
    std::vector<std::string> flags; ///< "spike", "monotony", "ramp>8", ...
};

struct History {
    AthleteProfile athlete;
    std::vector<Session> sessions; ///< counted, in start order
    /// Completed strength sessions (FIT training/strength_training, "strength"
    /// or "Weight Training" in other formats), in start order: they count in
    /// the daily load S_d (§1.4, §4.6) and never in volume, effort-km, phases.
    std::vector<Session> strength;
    std::vector<Excluded> excluded;
    std::vector<Day> days;   ///< first session's day .. today
    std::vector<Week> weeks; ///< Monday weeks covering `days`
    std::int64_t today = 0;  ///< last day of the analysis
    bool pmc_warming_up = false;
    std::vector<std::string> notes;
};

/// Parses a fixed UTC offset: "UTC", "Z", "+01:00", "-05:30", "+0530", "+1".
std::optional<std::int32_t> parse_utc_offset(std::string_view text) noexcept;

/// One PMC step (§1.4): x_d = x_(d-1) + (S_d - x_(d-1)) (1 - e^(-1/tau)).
double pmc_step(double previous, double load, double tau_days) noexcept;

/// HRmax, HRrest, LTHR and threshold speed: given values, else estimated
/// from the activities (§1.2), each marked as estimated.
AthleteProfile resolve_athlete(const AthleteSettings& given, const std::vector<Session>& sessions,
                               const std::vector<HeartRateHistogram>& histograms,
                               std::int64_t today, const HistorySettings& settings);

struct HistoryInput {
    std::vector<ActivityFeatures> activities;
    AthleteSettings athlete;
    std::optional<std::int32_t> utc_offset_s; ///< for files that do not say (--tz)
    std::optional<std::int64_t> today;        ///< local day; default: the last session's day
    std::vector<std::pair<std::int64_t, std::int64_t>> known_gaps; ///< [first, last] days
};

History build_history(const HistoryInput& input, const HistorySettings& settings = {});

/// Form (§1.4) for `day` as a fraction of fitness: TSB_d / CTL_(d-1) with
/// TSB_d = CTL_(d-1) - ATL_(d-1). Defined for the analysed days and for the
/// day after `today` (from today's end state); empty elsewhere or when CTL is 0.
std::optional<double> form_fraction_on(const History& history, std::int64_t day) noexcept;

/// Monday on or before `day` (1970-01-01 was a Thursday).
std::int64_t monday_of(std::int64_t day) noexcept;

} // namespace ultrastrength

#endif
