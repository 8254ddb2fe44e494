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
};

/// A group of exercises done as `sets` rounds (one FIT repeat block).
struct PlanBlock {
    ExerciseGroup group = ExerciseGroup::corrective;
    int sets = 1;
    std::vector<PlanStep> steps;
};

struct PlanSession {
    std::string id; ///< stable across runs: athlete, date and kind
    CivilDate date;
    Phase phase = Phase::early;
    std::string kind; ///< e.g. "heavy+corrective", "plyometric+corrective", "corrective"
    std::string title;
    int estimated_minutes = 0;
    double estimated_load = 0;        ///< TSS-equivalent (session-RPE, analysis.md §4.6)
    std::vector<std::string> reasons; ///< which rules set its content and volume
    std::vector<PlanBlock> blocks;
};

struct Plan {
    std::string athlete_id;
    std::string athlete_name;
    CivilDate start;
    int weeks = 0;
    std::optional<Race> race;
    std::vector<std::string> notes;    ///< plan-wide reasons (phase, load state, estimates used)
    std::vector<PlanSession> sessions; ///< in date order
};

} // namespace ultrastrength

#endif
