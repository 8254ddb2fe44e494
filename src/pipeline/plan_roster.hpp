// A coach's roster from the roster file to every athlete's plan folder, the
// roster-wide import files (each writer's write_roster over all plans) and
// the coach's summary. `batch` runs it; it prints nothing: problems and
// counts come back in RosterOutcome, cache warnings and progress through the
// request's callbacks as they happen.
#ifndef ULTRASTRENGTH_PIPELINE_PLAN_ROSTER_HPP
#define ULTRASTRENGTH_PIPELINE_PLAN_ROSTER_HPP

#include "converters/scan.hpp"
#include "pipeline/exit_code.hpp"
#include "plugins/report/summary_report.hpp"
#include "plugins/writer.hpp"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace ultrastrength::pipeline {

/// One of N stable slices of a roster (`batch --shard K/N`): the athletes
/// whose shard_of(id, count) is index - 1.
struct RosterShard {
    std::size_t index = 1; ///< K, 1-based
    std::size_t count = 1; ///< N
};

/// In a shard's output folder: what `batch merge` needs of the shard (each
/// athlete's summary line and share of the roster-wide files), written last.
inline constexpr const char* shard_record_name = ".ultrastrength-shard";

struct RosterRequest {
    std::string roster;                ///< the roster file (schemas/roster.schema.json)
    std::filesystem::path out;         ///< one subfolder per athlete, roster-wide files beside them
    std::vector<std::string> formats;  ///< writers for rows without a formats value
    std::optional<std::int64_t> today; ///< plan as of this local day; unset: each athlete's last
    /// The real date: no plan starts before it (PlanRequest::clock_today).
    std::optional<std::int64_t> clock_today;
    bool wait_for_lock = false;       ///< wait for another run on `out` instead of failing
    unsigned jobs = 0;                ///< decoding threads, 0 = all cores
    std::optional<std::string> cache; ///< the feature cache file; unset: no cache
    /// Plan this slice only: `out` gets its athletes' folders and the shard
    /// record instead of the roster-wide files (merge_roster makes those).
    std::optional<RosterShard> shard;
    /// A cache problem (a corrupt file moved aside, results not stored), as it happens.
    std::function<void(const std::string& warning)> warn;
    /// Before athlete `done` (1-based) of `total` is planned.
    std::function<void(std::size_t done, std::size_t total, const std::string& id)> progress;
};

/// A roster-wide file and what this run did to it.
struct RosterFile {
    std::string name;
    FolderSink::Outcome status = FolderSink::Outcome::unchanged;
};

struct RosterOutcome {
    int exit_code = exit_ok;
    /// Set when nothing could be planned or written (bad roster, folder locked,
    /// roster-wide files not written): exit 3.
    std::string error;
    std::vector<AthleteReport> reports;             ///< one per roster row, in roster order
    std::vector<std::vector<std::string>> rejected; ///< per row: its rejected inputs
    std::vector<RosterFile> files;                  ///< the roster-wide files
    ScanCounts totals;                              ///< every athlete's scan counts added up
    bool cache_used = false;                        ///< a feature cache was open
    /// merge_roster: the roster's athletes no shard folder holds ("ID (shard
    /// K/N)"), in roster order; when not empty nothing was written (exit 3).
    std::vector<std::string> missing;
};

/// Plans every athlete of the roster. Never throws for bad rows, inputs or
/// outputs: they come back in the reports or `error`.
RosterOutcome plan_roster(const RosterRequest& request);

struct MergeRequest {
    std::filesystem::path out;                 ///< gets the athletes' folders and roster-wide files
    std::vector<std::filesystem::path> shards; ///< the shards' output folders
    bool wait_for_lock = false;
};

/// Joins the folders of a roster planned in shards (`batch --shard K/N`) into
/// `out` as one `batch` run would have left it: every athlete's folder, the
/// roster-wide files, the summary and the roster state. When an athlete of
/// the roster is in no finished shard folder, nothing is written: `missing`
/// names them and the exit code is 3. Never throws.
RosterOutcome merge_roster(const MergeRequest& request);

} // namespace ultrastrength::pipeline

#endif
