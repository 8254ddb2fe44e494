// What the planner needs to know about one athlete, filled by the CLI from the
// analysis stage (history, phase) and the command line. The planner reads
// nothing else, so it can be driven by hand-built contexts in tests.
#ifndef ULTRASTRENGTH_PLAN_CONTEXT_HPP
#define ULTRASTRENGTH_PLAN_CONTEXT_HPP

#include "model/plan.hpp"
#include "model/time.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace ultrastrength {

/// Training experience with strength work (decides sets, variants, drop jumps).
enum class Level : std::uint8_t { novice, intermediate, advanced };
/// "novice", "intermediate", "advanced".
std::string_view to_string(Level level) noexcept;
std::optional<Level> level_from_string(std::string_view name) noexcept;

/// Experience with strength training (analysis.md §4.7 new to strength): `none`
/// gets an introductory block first, and only corrective and body-weight work
/// close to the race.
enum class StrengthHistory : std::uint8_t { none, some, experienced };
/// "none", "some", "experienced".
std::string_view to_string(StrengthHistory history) noexcept;
std::optional<StrengthHistory> strength_history_from_string(std::string_view name) noexcept;

/// Phase confidence (analysis.md §3.4), as the planner sees it. Its own type,
/// not phase/phase.hpp's, so the planner builds and is tested without the analysis.
enum class PlanConfidence : std::uint8_t { low, medium, high };
/// "low", "medium", "high".
std::string_view to_string(PlanConfidence confidence) noexcept;
std::optional<PlanConfidence> confidence_from_string(std::string_view name) noexcept;

/// Weekdays are numbered 0 = Monday ... 6 = Sunday throughout the planner
/// (weekday_of and weekday_name are in model/time.hpp).
/// "mon".."sun" or full English names, case-insensitive.
std::optional<int> weekday_from_string(std::string_view name) noexcept;

/// Equipment names as the exercise library spells them. "none" is implied
/// (body-weight exercises need nothing); "dumbbell" stands for dumbbells or a
/// kettlebell, "gym" for machines and a trap bar.
inline constexpr std::string_view equipment_names[] = {"none",    "band", "dumbbell",
                                                       "barbell", "box",  "gym"};
bool is_equipment_name(std::string_view name) noexcept;

/// Load state at the plan start (analysis.md §1.4, §2.3, §3.2), all in TSS-equivalent units.
struct LoadState {
    double ctl = 0;               ///< fitness, 42-day EWMA of daily load (§1.4), TSS-eq/day
    double atl = 0;               ///< fatigue, 7-day EWMA (§1.4), TSS-eq/day
    double form_pct = 0;          ///< TSB/CTL × 100 for the start day (§1.4), percent
    double ramp_ctl_per_week = 0; ///< CTL_d − CTL_(d−7) at the start (§1.4), TSS-eq/day per week
    /// Largest single-session spike of the last 7 days: session effort-km / longest of
    /// the preceding 30 days (§2.3, Frandsen 2025), unitless; 0 when none or unknown.
    double spike_ratio_7d = 0;
    double mean_daily_run_load =
        0;                   ///< mean daily running load of the last 3 weeks (§4.6), TSS-eq/day
    double volume_ratio = 0; ///< r = mean effort-km of 4 weeks / 12-month peak (§3.2), 0-1+
};

/// The athlete's recorded strength (analysis.md §4.6, §4.7): the planned scale is
/// held to it once there are enough sessions to trust.
struct RecordedStrength {
    int sessions = 0;           ///< recorded strength sessions in the history
    double load_per_minute = 0; ///< their mean load per minute (session-RPE scale)
    double weekly_load_4w =
        0; ///< mean weekly strength load of the last 4 usual weeks (not taper, race, recovery)
};

/// One plan week's phase (analysis.md §3) and how sure the analysis is (§3.4).
struct PlanWeekPhase {
    Phase phase = Phase::early;
    PlanConfidence confidence = PlanConfidence::medium;
    /// The race schedule asks for a later phase than the history supports (§3.1).
    bool behind_plan = false;
};

struct PlanContext {
    std::string athlete_id; ///< stable id (roster id or folder name); part of session ids
    std::string athlete_name;
    /// First plan day (any weekday). Plan weeks are calendar weeks: week k runs from
    /// the Monday on or before `start` plus 7k to its Sunday; the first one from `start`.
    CivilDate start;
    /// Why the start is not the day after the last activity (moved to today), or empty.
    std::string start_note;
    int weeks = 4;                          ///< number of calendar weeks, 1-52
    std::vector<PlanWeekPhase> week_phases; ///< one per calendar week (§3), size == weeks

    std::optional<Race> race;             ///< the A race: date, km, D+ (§3.1)
    std::optional<double> race_descent_m; ///< the A race's D− in m (§4.5 eccentric rule)
    /// A race already run (recovery at the plan start, §3.1 table): date and km-effort.
    std::optional<CivilDate> last_race_date;
    double last_race_effort_km = 0;

    LoadState load;
    double recent_weekly_descent_m = 0; ///< mean weekly D− of the last 4 weeks (§2.3), m
    /// Mean weekly training time of the last 4 complete weeks (§4.7 weekly budget), min.
    double mean_weekly_training_min = 0;
    RecordedStrength recorded_strength;
    bool no_jumps = false; ///< `--no-jumps`: Achilles or bone-stress history, no plyometrics

    WeeklyPattern pattern;
    /// Plan weeks (0-based) where the athlete's running rhythm puts a recovery week
    /// (§4.7): a lighter strength week goes with them.
    std::vector<int> running_recovery_weeks;
    /// Weekdays the athlete usually lifts on (recorded strength, §4.4): preferred where they fit.
    std::vector<int> usual_strength_weekdays;
    std::set<std::string> equipment; ///< names from `equipment_names`; empty = body weight only
    Level level = Level::intermediate;
    StrengthHistory strength_history = StrengthHistory::some;
    /// Where `strength_history` comes from ("given" or what it was inferred from), for the plan.
    std::string strength_history_source = "given";
    /// Known 1RM per exercise id, kg (§4.3: intensity as %1RM when known, else RIR).
    std::map<std::string, double> one_rep_max_kg;
};

/// Recovery length R in days after a race of `effort_km` (analysis.md §3.1 table).
int recovery_days(double effort_km) noexcept;

} // namespace ultrastrength

#endif
