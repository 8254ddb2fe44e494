// The plan: dated strength sessions -> blocks -> steps (DESIGN.md, "Plan"),
// and the context the planner builds it from. Writers (plugins/) see only
// these types: every step carries what each target needs (FIT numbers,
// Garmin Connect keys, display name, cue), so a writer is a pure function of
// the plan.
#ifndef ULTRASTRENGTH_MODEL_PLAN_HPP
#define ULTRASTRENGTH_MODEL_PLAN_HPP

#include "model/time.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ultrastrength {

/// Training phases (analysis.md §3).
enum class Phase : std::uint8_t { off_season, early, mid, late, taper, race, recovery };
/// "off-season", "early", "mid", "late", "taper", "race", "recovery".
std::string_view to_string(Phase phase) noexcept;
std::optional<Phase> phase_from_string(std::string_view name) noexcept;

/// Exercise groups of the catalogue (analysis.md §4.2).
enum class ExerciseGroup : std::uint8_t { heavy, plyometric, corrective, eccentric };
/// "heavy", "plyometric", "corrective", "eccentric".
std::string_view to_string(ExerciseGroup group) noexcept;
std::optional<ExerciseGroup> exercise_group_from_string(std::string_view name) noexcept;

/// A race the athlete names (`--race DATE[,NAME[,KM[,D+]]]`) or the analysis detected.
struct Race {
    CivilDate date;
    std::string name;
    std::optional<double> distance_km;
    std::optional<double> ascent_m;
};

/// One exercise step as performed: reps or seconds, then rest.
struct PlanStep {
    std::string exercise_id; ///< id in the exercise library
    std::string name;        ///< display name ("King deadlift")
    std::string cue;         ///< one coaching cue, for the watch's notes
    // Garmin FIT exercise numbers (fit-exercise-names.csv); unset when Garmin has none.
    std::optional<std::uint16_t> fit_category;
    std::optional<std::uint16_t> fit_name;
    /// Our own title when Garmin has no exact exercise (FIT exercise_title, step name).
    std::string fit_title;
    // Garmin Connect workout JSON keys ("BANDED_EXERCISES", "LATERAL_BAND_WALKS").
    std::string connect_category;
    std::string connect_name;

    std::optional<int> reps;    ///< per set (per side when `per_side`)
    std::optional<int> seconds; ///< for timed exercises (planks, carries, balance)
    bool per_side = false;
    int rest_s = 0;                     ///< rest after this step
    std::optional<double> percent_1rm;  ///< intensity when a 1RM is known
    std::optional<int> reps_in_reserve; ///< intensity otherwise
    std::optional<double> load_kg;      ///< when known

    // The session sheet (what an athlete reads; filled after planning from the library
    // and the prescription). Empty when not applicable.
    std::string tempo;     ///< e.g. "3 s down, 1 s pause, up with intent"
    std::string effort;    ///< the effort target in words ("stop 3 reps short of failure")
    std::string load_rule; ///< how to choose or progress the load when no kg is known
    std::string easier;    ///< display name of the easier swap
    std::string harder;    ///< display name of the harder swap
};

/// A group of exercises done as `sets` rounds (one FIT repeat block).
struct PlanBlock {
    ExerciseGroup group = ExerciseGroup::corrective;
    int sets = 1;
    std::vector<PlanStep> steps;
    /// A heavy block carrying the corrective exercises in its rests (each lift
    /// followed by its share of them): how the session is done when its
    /// corrective work is paired with the heavy sets.
    bool corrective_in_rests = false;
};

struct PlanSession {
    std::string id; ///< stable across runs: athlete, date and kind
    CivilDate date;
    Phase phase = Phase::early;
    std::string kind; ///< e.g. "heavy+corrective", "plyometric+corrective", "corrective"
    std::string title;
    int estimated_minutes = 0;
    double estimated_load = 0;        ///< TSS-equivalent (session-RPE, analysis.md §4.6)
    std::vector<std::string> reasons; ///< which rules set its content and volume (with references)
    std::vector<PlanBlock> blocks;
    /// The corrective exercises are done in the rests of the heavy sets (a time budget,
    /// analysis.md §4.7): the session is shorter by the overlap.
    bool corrective_in_heavy_rests = false;

    // The session sheet in plain words (no formulas, no section references).
    std::string warmup;           ///< what to do and for how long
    std::string cooldown;         ///< one line
    std::vector<std::string> why; ///< the reasons as an athlete reads them
};

/// One calendar week (Monday-Sunday) of the plan: the overview line of plan.txt and
/// `weeks` in plan.json.
struct PlanWeek {
    CivilDate start; ///< a Monday
    Phase phase = Phase::early;
    int sessions = 0;
    int minutes = 0;
    double strength_load = 0; ///< planned strength, session-RPE scale
    double running_load = 0;  ///< projected running load of the week
    int plyometric_contacts = 0;
    int heavy_sets = 0;
    int eccentric_sets = 0;
    bool lighter = false; ///< a deload week
    bool behind_plan =
        false;        ///< the race schedule asks for a later phase than the history supports
    std::string note; ///< one line in plain words ("lighter week", "race week")
};

struct Plan {
    std::string athlete_id;
    std::string athlete_name;
    CivilDate start;
    std::string start_note; ///< why the start was moved (to today), or empty
    /// Strength training history ("none", "some", "experienced") and where it comes from.
    std::string strength_history;
    std::string strength_history_source;
    /// The race schedule asks for a later phase than the history supports in some week.
    bool behind_plan = false;
    /// What the athlete must know before training from the plan (an unreadable week, a
    /// week with no day for heavy work): printed at the top of plan.txt.
    std::vector<std::string> attention;
    int weeks = 0;
    std::optional<Race> race;
    std::vector<std::string> notes;       ///< plan-wide reasons (phase, load state, estimates used)
    std::vector<PlanSession> sessions;    ///< in date order
    std::vector<PlanWeek> weeks_overview; ///< one per calendar week the plan covers
    /// Rules for real life in plain words (a missed session, sore legs, a moved long
    /// run, a new race, the next run of the plan): printed once in plan.txt and plan.html.
    std::vector<std::string> guidance;
};

/// The athlete's running week (analysis.md §4.4 places strength around it).
struct WeeklyPattern {
    int long_run_weekday = 6;       ///< weekday of the long run / back-to-back block start
    std::vector<int> hard_weekdays; ///< interval / key-run days (hard-day-hard, §4.4 rule 1)
    std::vector<int> rest_weekdays; ///< days without training: no strength there
    /// Days strength may go on (`--days`); empty = every day that is not a rest day.
    std::vector<int> strength_weekdays;
};

} // namespace ultrastrength

#endif
