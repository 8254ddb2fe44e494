// The phase × group prescription table (analysis.md §4.3) and the planner's
// rule constants (§4.4-§4.6), read from src/plan/prescriptions.json (compiled
// in) so the numbers live in one reviewed data file, not in code branches.
#ifndef ULTRASTRENGTH_PLAN_PRESCRIPTION_HPP
#define ULTRASTRENGTH_PLAN_PRESCRIPTION_HPP

#include "model/plan.hpp"
#include "plan/context.hpp"

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ultrastrength {

/// An inclusive range from the table ("3-4 sets").
struct Range {
    int low = 0;
    int high = 0;
};

/// One cell of the §4.3 table: what a block of one group looks like in one phase.
struct GroupPrescription {
    std::vector<std::string> patterns; ///< one exercise per pattern
    Range sets;
    Range reps;
    std::optional<Range> seconds;     ///< for timed exercises
    std::optional<Range> percent_1rm; ///< when the 1RM is known
    std::optional<Range> rir;         ///< reps in reserve otherwise
    std::optional<Range> contacts;    ///< plyometric foot contacts per session
    int rest_s = 60;
    bool low_amplitude_only = false;
    bool bodyweight_only = false;
    std::optional<int> max_minutes; ///< cap on this block's time
};

using SessionGroups = std::vector<ExerciseGroup>;

struct PhasePrescription {
    std::vector<SessionGroups> sessions;            ///< the week's sessions, in order
    std::vector<SessionGroups> sessions_low_volume; ///< when r < low_volume_r_below
    std::optional<double> low_volume_r_below;
    std::vector<SessionGroups> sessions_later_weeks; ///< taper after its first week
    std::vector<SessionGroups> sessions_first_half;  ///< recovery before R/2
    std::optional<int> max_minutes;                  ///< per session (§4.7 session caps)
    std::optional<int> week_max_minutes; ///< the phase's cap on the weekly budget (§4.7)
    std::array<std::optional<GroupPrescription>, 4> groups; ///< by ExerciseGroup
    std::optional<GroupPrescription> heavy_technique;       ///< Early: first weeks
};

struct LevelRule {
    int set_delta = 0;
    int early_contacts_start = 60; ///< Early/Off-season weekly contacts at the start (§4.7)
    int contacts_step_per_week = 15;
    bool harder_variants = false;
};

struct PlanRules {
    int last_heavy_days_before_race = 10;           ///< an ultra (or a race of unknown length)
    int last_heavy_days_before_shorter_race = 7;    ///< a race up to `ultra_above_km`
    int heavy_window_days_before_race = 14;         ///< the last heavy session from here on
    int heavy_window_days_before_shorter_race = 10; ///< the same before a shorter race
    double ultra_above_km = 42.2;
    int novice_careful_weeks = 3;   ///< a novice keeps 48 h before hard runs these plan weeks
    int max_readable_hard_days = 3; ///< more hard weekdays: the pattern is unreadable
    int last_plyometric_days_before_race = 3;
    int last_eccentric_days_before_race = 10;
    int last_session_days_before_race = 3;
    int first_session_days_after_race = 3;
    int min_days_between_sessions = 2;
    int deload_every_weeks = 4;
    double deload_contacts_factor = 0.7;
    int technique_weeks = 2;
    double ramp_ceiling_ctl_per_week = 8;
    int c_only_max_minutes = 20;
    int warmup_minutes = 5;
    double session_rpe_heavy_or_plyometric = 6;
    double session_rpe_eccentric = 4;
    double session_rpe_corrective = 3;
    double session_rpe_to_load = 0.238;
    double low_confidence_factor = 0.8;
    double race_descent_bonus_m = 3000;
    double race_descent_bonus_recent_fraction = 0.3;
};

/// The dose rules of analysis.md §4.7 (issue review of the first plans).
struct DoseRules {
    int week_min_minutes = 75;                   ///< weekly budget floor
    double week_training_fraction = 0.25;        ///< of the mean weekly training time (4 weeks)
    double late_fraction_of_mid = 0.7;           ///< Late week vs the last 3 full Mid weeks
    double lighter_week_fraction = 0.7;          ///< lighter week vs the 3 loading weeks before
    int recorded_min_sessions = 10;              ///< recorded strength needed to cap by it
    double recorded_load_per_minute_ratio = 1.6; ///< planned vs recorded load per minute
    double recorded_week_load_ratio = 1.5;       ///< planned week vs recorded 4-week mean
    int week_max_contacts = 150;
    Range contacts_per_set{8, 15};
    Range contacts_rise_per_week{10, 20};  ///< Early/off-season loading week to the next
    int bodyweight_heavy_rest_s = 90;      ///< rest between body-weight heavy sets
    double flat_descent_m_per_km = 10;     ///< below: a flat race
    double mountain_descent_m_per_km = 40; ///< at or above: the full downhill progression
    int flat_eccentric_sets_per_week = 2;  ///< Late cap for a flat race
};

/// New to strength (analysis.md §4.7): the introductory block and the run-in to a race.
struct NewToStrength {
    int intro_weeks = 3;     ///< full weeks of the introductory block (2-4 with a part week)
    GroupPrescription intro; ///< the block's lifting: 1-2 sets of 10-15 at RIR 3-4
    int bodyweight_only_days_before_race = 42; ///< then corrective and body-weight work only
    int familiar_after_weeks = 4; ///< weeks of lifting that make the lifts familiar for the run-in
    int experienced_from_sessions = 12; ///< recorded sessions for "experienced" when inferred
};

struct Prescriptions {
    PlanRules rules;
    NewToStrength new_to_strength;
    DoseRules dose;
    std::array<LevelRule, 3> levels;         ///< by Level
    std::array<PhasePrescription, 7> phases; ///< by Phase
};

/// The compiled-in table (src/plan/prescriptions.json).
const Prescriptions& builtin_prescriptions();
/// Parses a prescriptions file; throws std::runtime_error naming `source` and the key.
Prescriptions parse_prescriptions(std::string_view text, std::string_view source);

} // namespace ultrastrength

#endif
