// The exercise library: every exercise the planner may prescribe, with its
// Garmin FIT numbers and Connect keys (output-formats.md §1.5). The built-in
// library is src/plan/exercises.json, compiled in; `--library FILE` replaces
// or adds entries by id (schemas/exercise-library.schema.json).
#ifndef ULTRASTRENGTH_PLAN_LIBRARY_HPP
#define ULTRASTRENGTH_PLAN_LIBRARY_HPP

#include "model/plan.hpp"
#include "plan/context.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace ultrastrength {

struct Exercise {
    std::string id;
    std::string name;
    ExerciseGroup group = ExerciseGroup::corrective;
    std::string pattern;                ///< "hinge", "squat", "calf", "lateral-hip", ...
    std::vector<std::string> equipment; ///< all of these are needed; empty = body weight
    bool unilateral = false;            ///< reps/seconds are per side
    bool timed = false;                 ///< held for seconds instead of reps
    Level level = Level::novice;        ///< lowest level it is prescribed to
    bool low_amplitude = false;         ///< plyometric suited to Late/Taper (§4.3)
    int contacts_per_rep = 1;           ///< foot contacts per rep (plyometric volume)
    /// Body-weight heavy work (analysis.md §4.7): the rep range in which this
    /// variant can reach the target reps in reserve; 0 = the table's.
    int min_reps = 0;
    int max_reps = 0;
    std::string tempo;      ///< how it is made hard (slow lowering, pause); empty = the group's
    bool isometric = false; ///< a hold (wall sit): its own kind, not eccentric dose (§4.7)
    std::vector<std::string> cues;
    std::string easier; ///< exercise id or empty
    std::string harder; ///< exercise id or empty
    std::uint16_t fit_category = 0;
    std::uint16_t fit_name = 0;
    std::string fit_title; ///< our title when Garmin has no exact exercise
    std::string fit_match; ///< "exact", "close" or "none" (output-formats.md §1.5)
    std::string connect_category;
    std::string connect_name;
};

class ExerciseLibrary {
public:
    const std::vector<Exercise>& exercises() const noexcept { return m_exercises; }
    const Exercise* find(std::string_view id) const noexcept;
    /// Replaces the entry with the same id or appends a new one.
    void upsert(Exercise exercise);

private:
    std::vector<Exercise> m_exercises;
};

/// A library file that cannot be used: the message names the file, the entry and the field.
class LibraryError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// The compiled-in library (src/plan/exercises.json).
const ExerciseLibrary& builtin_library();

/// Parses library JSON text and merges its entries into a copy of `base` by id.
/// `source` names the text in errors. Variant ids must resolve after the merge.
ExerciseLibrary parse_library(std::string_view text, std::string_view source,
                              const ExerciseLibrary& base);
/// Reads and merges a library file (`--library FILE`).
ExerciseLibrary load_library(const std::filesystem::path& path, const ExerciseLibrary& base);

/// True when every item `exercise` needs is in `equipment` ("none" is always available).
bool has_equipment(const Exercise& exercise, const std::set<std::string>& equipment);

} // namespace ultrastrength

#endif
