// What a run leaves in its output folder so the next run can tell whether
// anything changed: the manifest (the files it wrote, one name a line, so the
// next run removes the ones it no longer writes) and the state (the run's
// fingerprint and each written file's size and content hash). One athlete's
// folder has both; a roster's folder has the roster state.
#ifndef ULTRASTRENGTH_STORE_RUN_STATE_HPP
#define ULTRASTRENGTH_STORE_RUN_STATE_HPP

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace ultrastrength {

/// In the output folder: the files the last run wrote, one relative name a
/// line, written before the files themselves (plugins/writer.hpp
/// write_managed_folder). The next run removes those it does not write again.
inline constexpr const char* plan_manifest_name = ".ultrastrength-files";

/// In the output folder: the last run's fingerprint and the size and hash of
/// every file it wrote (JSON), written after the manifest.
inline constexpr const char* plan_state_name = ".ultrastrength-state";

/// In a roster's folder: the last run's roster fingerprint, the roster-wide
/// files it wrote (size and hash) and each athlete's line of the report.
inline constexpr const char* roster_state_name = ".ultrastrength-batch-state";

/// A 64-bit hash as the state files write it: 16 lowercase hex digits.
std::string hex64(std::uint64_t value);

/// Whether `out/name` is still a regular file of `size` bytes whose content
/// hashes to `hash` (hex64 of hash_file), as a state file recorded it.
bool file_as_recorded(const std::filesystem::path& out, const std::string& name, std::uint64_t size,
                      const std::string& hash);

/// An athlete folder's state as the last run left it.
struct PlanState {
    std::vector<std::string> files;    ///< written files, the manifest included
    std::vector<std::string> warnings; ///< the run's warnings, shown again when up to date
    /// The "quick" member as the last run stored it (null when none): the
    /// inputs' stamps and what a run reports of them (plan_athlete.cpp).
    nlohmann::ordered_json quick;
};

/// The folder's state when it says the last run had this fingerprint and
/// every file it lists is still there with its size and hash; else nullopt.
std::optional<PlanState> matching_plan_state(const std::filesystem::path& out,
                                             const std::string& fingerprint);
/// Appends to `text` the stamp of every file below `paths` as a scan lists
/// it (converters/scan.hpp list_inputs: a path that is not a folder as it
/// is; a folder's regular files, symlinks to files included, recursively,
/// symlinked folders not followed), each with its size and modification
/// time, in a fixed order, and each path that does not exist or cannot be
/// listed: one pass of stat calls, no file read. False when it cannot be
/// told (a folder that fails part way).
bool append_input_stamps(const std::vector<std::string>& paths, std::string& text);

/// The folder's state when its "quick" member's "stamps" equal `stamps` (the
/// options and one stat of every input, no input read) and every file it
/// lists is still there with its size and hash; else nullopt.
std::optional<PlanState> matching_plan_state_by_stamps(const std::filesystem::path& out,
                                                       const std::string& stamps);
/// The state file's bytes: `written` (already on disk in `out`) and the
/// manifest, each with its size and hash. Throws when a file cannot be read.
/// `calendar`, when not empty, is kept as the state's "calendar" member (JSON
/// text: the calendar writer's per-event SEQUENCE and stamps, which the next
/// run carries on whatever its fingerprint). `quick`, when not null, is kept
/// as the state's "quick" member.
std::string plan_state_text(const std::filesystem::path& out, const std::string& fingerprint,
                            const std::set<std::string>& written,
                            const std::vector<std::string>& warnings,
                            const std::string& calendar = {},
                            const nlohmann::ordered_json& quick = nullptr);
/// Replaces the "quick" member of the folder's state (atomically; the rest
/// kept as it is): a run found up to date by its fingerprint after an input
/// was only touched stores the new stamps, so the next run stops at them.
/// Throws when the state cannot be read or written.
void restamp_plan_state(const std::filesystem::path& out, const nlohmann::ordered_json& quick);
/// The "calendar" member of the folder's state as JSON text, whatever the
/// last run's fingerprint; nullopt when there is no state or no such member.
std::optional<std::string> stored_calendar_state(const std::filesystem::path& out);

/// The stored roster state when its fingerprint matches and each file it
/// lists is still there as written; else nullopt. Its "files" object keeps
/// the order they were written in; its "athletes" array is the caller's, as
/// given to roster_state_text.
std::optional<nlohmann::ordered_json> matching_roster_state(const std::filesystem::path& out,
                                                            const std::string& fingerprint);
/// The roster state's bytes: `files` (already on disk in `out`) with size and hash.
std::string roster_state_text(const std::filesystem::path& out, const std::string& fingerprint,
                              const std::vector<std::string>& files,
                              const nlohmann::ordered_json& athletes);

} // namespace ultrastrength

#endif
