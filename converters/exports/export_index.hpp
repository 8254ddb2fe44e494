// Bulk-export index files (spec input-formats.md section 4): Strava's
// activities.csv and Garmin's *_summarizedActivities.json carry the
// activity names (and the sport the athlete chose) that the activity files
// themselves often lack. They are parsed when met during a scan and applied
// to the activities of the same export afterwards.
#ifndef ULTRASTRENGTH_CONVERTERS_EXPORTS_EXPORT_INDEX_HPP
#define ULTRASTRENGTH_CONVERTERS_EXPORTS_EXPORT_INDEX_HPP

#include "converters/scan.hpp"
#include "model/activity.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ultrastrength {

struct ExportIndexEntry {
    std::string file;                      ///< Strava: path relative to the export root
    std::optional<std::int64_t> start_utc; ///< Garmin: Unix seconds
    std::string name;
    std::optional<Sport> sport; ///< unset when the type is not one we map
};

struct ExportIndex {
    enum class Kind : std::uint8_t { strava, garmin };
    Kind kind = Kind::strava;
    std::string source; ///< the index file (`export.zip!activities.csv`)
    std::string base;   ///< source prefix of the export's files (`export.zip!`)
    std::vector<ExportIndexEntry> entries;
    /// Set when the file is well-formed but not an index we can use: why.
    std::string unusable;
};

/// Whether a file of this path (inside an archive or on disk) is an index.
bool is_export_index_name(std::string_view path) noexcept;

/// Parses an index; `source` tells which kind. Throws ReadError (naming the
/// source and the line or what is missing) when it cannot be used.
ExportIndex parse_export_index(std::string_view text, const std::string& source);

/// The same, streamed: memory stays bounded whatever the content (a field or
/// JSON string keeps its first 64 KiB, JSON nests at most
/// max_index_depth deep, at most max_index_entries entries are kept), so a
/// hostile index of any size costs a few MB (README "scan").
ExportIndex parse_export_index(ByteStream& in, const std::string& source);

/// Entries in one index: a real export lists one per activity, and zips hold
/// at most ArchiveLimits::max_members files.
inline constexpr std::size_t max_index_entries = 200'000;
/// JSON nesting of a Garmin index: real ones nest 4 deep.
inline constexpr std::size_t max_index_depth = 64;

/// Strava "Activity Type" (English, some German) to our sport; nullopt when
/// unknown, so the file's own sport stays.
std::optional<Sport> sport_from_strava_type(std::string_view type) noexcept;
/// Garmin Connect activityType keys ("running", "trail_running", ...).
std::optional<Sport> sport_from_garmin_type(std::string_view type) noexcept;

/// Sets names and sports of the activities in `outcomes` that belong to an
/// index's export. Strava rows match by file name; Garmin summaries by start
/// time within `garmin_match_s`. Returns how many activities were matched.
std::size_t apply_export_indexes(const std::vector<ExportIndex>& indexes,
                                 std::vector<InputOutcome>& outcomes);

/// Start times of Garmin summaries and FIT sessions agree to the second in
/// real exports; 5 s allows for rounding of the milliseconds.
inline constexpr std::int64_t garmin_match_s = 5;

} // namespace ultrastrength

#endif
