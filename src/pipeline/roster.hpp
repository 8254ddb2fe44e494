// A coach's roster: one CSV row per athlete (schemas/roster.schema.json).
// A bad row is that athlete's problem only: it comes back with its error and
// the rest of the roster is planned.
#ifndef ULTRASTRENGTH_PIPELINE_ROSTER_HPP
#define ULTRASTRENGTH_PIPELINE_ROSTER_HPP

#include "history/history.hpp"
#include "model/plan.hpp"
#include "plan/context.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace ultrastrength::pipeline {

struct RosterAthlete {
    std::size_t line = 0; ///< 1-based line of the row in the roster file
    std::string id;       ///< folder name under --out; part of session ids
    std::string name;
    std::vector<std::string> exports; ///< resolved against the roster's folder
    std::vector<Race> races;
    AthleteSettings settings;
    std::optional<std::int32_t> utc_offset_s;
    std::optional<Level> level;
    std::optional<StrengthHistory> strength_history; ///< unset: inferred from the history
    bool no_jumps = false;                           ///< Achilles or bone-stress history
    std::optional<std::set<std::string>> equipment;  ///< unset: the planner's default
    std::vector<int> days;                           ///< strength weekdays, 0 = Monday
    std::optional<int> long_run_day;
    std::optional<int> weeks;
    std::vector<std::string> formats; ///< empty: the run's --format
    std::optional<std::int64_t> trainingpeaks_athlete_id;
    std::string calendar_name;
    /// Set when the row cannot be used: "line N: column: problem".
    std::string error;
};

/// The roster file itself is unusable (unreadable, no header, unknown or
/// missing columns): nothing can be planned.
class RosterError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Every column the roster may have, in schema order.
const std::vector<std::string_view>& roster_columns();

/// The files `batch` writes beside the athletes' folders: an athlete id may
/// not be one of them (compared without case, for case-insensitive file
/// systems), or that athlete's folder and the roster-wide file would collide.
/// Ids starting with '.' (the lock and state files) are refused anyway.
const std::vector<std::string_view>& roster_wide_file_names();

/// A roster cell holds at most this many bytes (a name, a list of exports):
/// a real one is a few dozen; the limit keeps a hostile roster's memory and
/// output bounded. A roster file holds at most max_roster_bytes.
inline constexpr std::size_t max_roster_cell_bytes = 4096;
inline constexpr std::size_t max_roster_bytes = std::size_t{16} << 20;

/// Parses roster text. `base` is the folder relative export paths start
/// from; `source` names the file in messages. Throws RosterError for a bad
/// header; bad rows come back with `error` set.
std::vector<RosterAthlete> parse_roster(std::string_view text, const std::string& base,
                                        const std::string& source);

/// The shard (0 to count-1) an athlete id belongs to when a roster is planned
/// in `count` slices (`batch --shard K/N` plans those with shard_of == K-1):
/// FNV-1a (64-bit) of the id's bytes modulo count. It depends on the id
/// alone, so adding or removing an athlete moves no other one.
std::size_t shard_of(std::string_view id, std::size_t count);

/// Reads and parses a roster file. Throws RosterError.
std::vector<RosterAthlete> read_roster(const std::string& path);

} // namespace ultrastrength::pipeline

#endif
