// The training phase of every week (analysis.md §3): from the goal race
// date when there is one (§3.1, backward schedule), from the weekly series
// otherwise (§3.2), kept stable by hysteresis (§3.3), with a confidence
// (§3.4) and a plain-language reason naming the numbers and the rule (§3.5).
#ifndef ULTRASTRENGTH_PHASE_PHASE_HPP
#define ULTRASTRENGTH_PHASE_PHASE_HPP

#include "history/history.hpp"
#include "history/races.hpp"
#include "model/plan.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ultrastrength {

enum class Confidence : std::uint8_t { low, medium, high };
std::string_view to_string(Confidence confidence) noexcept;

struct PhaseSettings {
    // §3.1 weeks before the race.
    int late_weeks_max = 8;            ///< 3-8 weeks out: Late
    int mid_weeks_max = 16;            ///< 9-16: Mid
    int early_weeks_max = 28;          ///< 17-28: Early; further out: series rules
    double long_taper_effort_km = 115; ///< races >= 115 effort-km get a 2-week taper ...
    double short_taper_effort_km = 75; ///< ... < 75 one week; in between 2 [choice]
    double behind_plan_r = 0.5;        ///< "behind plan" when r < 0.5 in Late/Taper weeks [choice]
    /// A race with less than half the effort-km of a race in the following
    /// `mid_weeks_max` weeks is a tune-up (B/C race) on the way to it: it is
    /// reported but keeps the phase, no Race week and no Recovery [choice].
    double tune_up_ratio = 0.5;
    /// A detected race that is not a tune-up drives the §3.1 schedule of the
    /// weeks before it, as a named race does (hindsight: past weeks only, so
    /// the current week never depends on it), where that schedule is within
    /// one step of the series rules [choice].
    bool detected_race_schedule = true;
    // Recovery days R by race effort-km (§3.1): < 45: 7, 45-114: 14, 115-209: 21, >= 210: 28.
    int recovery_days(double race_effort_km) const noexcept;

    // §3.2 series rules.
    int peak_window_weeks = 52; ///< "12-month peak" (§2.3)
    int r_window_weeks = 4;
    int trend_weeks = 6;
    int long_window_weeks = 3;
    double taper_drop_min = 0.4;
    double taper_drop_max = 0.75;
    double taper_prior_r = 0.8;
    double taper_if_tolerance = 0.05;
    double off_r = 0.35;
    double off_r_falling = 0.5;
    /// r < off_r is Off-season unless the volume is rebuilding: trend above
    /// this (per week) makes it Early (rule 4), the 4-week mean lags a rebuild [choice].
    double rebuild_trend = 0.05;
    double early_r = 0.6;
    double flat_trend = 0.05; ///< |trend| <= 5 %/week is flat [choice]
    double late_r = 0.8;
    double late_long_r = 0.8;
    double block_season_high = 0.95; ///< block >= 95 % of the year's longest block [choice]
    double mid_r = 0.5;

    // §3.3 hysteresis.
    int hold_weeks = 2;
    double late_to_mid_r = 0.65; ///< Late -> Mid only after 2 weeks of r < 0.65
    /// A change confirmed after `hold_weeks` is dated back to the first week of
    /// the run that confirmed it (the table shows when the phase began; the
    /// current week still waits for confirmation) [choice].
    bool backdate_changes = true;

    // §3.4 confidence.
    int high_weeks = 26;
    int medium_weeks = 12;
    double high_rung_share = 0.8;
    int low_until_days = 90; ///< §1.4: capped at low until 90 days of history
};

/// The series features of one week (§3.2), from completed weeks only.
struct SeriesFeatures {
    std::optional<double> r; ///< 4-week mean / 12-month peak of the 4-week mean (max of ekm, time)
    std::optional<double> r_effort_km;
    std::optional<double> r_time;
    double mean4_effort_km = 0;
    double peak4_effort_km = 0;
    bool peak_in_hindsight = false; ///< the peak's 12 months reach past the week (short history)
    std::optional<double> trend;    ///< least-squares slope of 6 weeks / their mean, per week
    std::optional<double> long_r;   ///< longest run of 3 weeks / longest of the year (effort-km)
    double long3_effort_km = 0;
    double long_year_effort_km = 0;
    std::optional<double> drop;    ///< ekm_t / mean(ekm t-3..t-1)
    bool block_high = false;       ///< two-day block at a season high
    std::optional<double> mean_if; ///< weekly mean intensity factor (rung-1 sessions)
};

struct WeekPhase {
    std::int64_t week_start = 0;
    Phase phase = Phase::early;
    Phase candidate = Phase::early; ///< what the rule said this week before hysteresis
    std::string rule;               ///< the rule that fired
    Confidence confidence = Confidence::low;
    SeriesFeatures features;
    std::optional<int> weeks_to_race; ///< to the next named race
    bool behind_plan = false;
    std::vector<std::string> reasons;
};

struct PhaseResult {
    std::vector<WeekPhase> weeks;        ///< one per History::weeks
    std::optional<Race> a_race;          ///< the race driving the schedule
    std::vector<std::string> races_used; ///< races that made Race/Recovery weeks, as text
    std::string explanation;             ///< the current phase in plain language (§3.5)
};

/// Picks the A race: the first named race on or after `today`, else the last one before it.
std::optional<Race> pick_a_race(const std::vector<Race>& races, std::int64_t today);

/// The race-date schedule (analysis.md §3.1): the phase of a week that starts
/// `weeks_to_race` whole weeks before the race week (at most the taper weeks:
/// Taper, two of them for a race of `race_effort_km` >= short_taper_effort_km;
/// then Late, Mid, Early); nullopt beyond early_weeks_max.
std::optional<Phase> race_schedule_phase(std::int64_t weeks_to_race, double race_effort_km,
                                         const PhaseSettings& settings = {});

/// Least-squares slope of `values` (x = 0, 1, ...) divided by their mean.
std::optional<double> relative_trend(const std::vector<double>& values);

PhaseResult classify_phases(const History& history, const std::vector<Race>& races,
                            const std::vector<DetectedRace>& detected,
                            const PhaseSettings& settings = {});

} // namespace ultrastrength

#endif
