// The writer contract (DESIGN.md, "Contracts"): a writer turns a Plan into
// files for one target platform. Writers are pure: they build bytes and hand
// them to an OutputSink with a relative file name; only the sink touches the
// file system, so the same writer serves the CLI, a batch run and the tests.
#ifndef ULTRASTRENGTH_PLUGINS_WRITER_HPP
#define ULTRASTRENGTH_PLUGINS_WRITER_HPP

#include "model/plan.hpp"
#include "plugins/ics/calendar_state.hpp"

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace ultrastrength {

/// How loads are shown on the device and in text (weights are always stored in kg).
enum class WeightUnit : std::uint8_t { kilogram, pound };

struct WriteOptions {
    WeightUnit weight_unit = WeightUnit::kilogram;
    /// TrainingPeaks' numeric athlete id, when known: the Partner API requires
    /// it in every planned workout (output-formats.md §3.1), so without it no
    /// TrainingPeaks JSON is written, only the readable text.
    std::optional<std::int64_t> trainingpeaks_athlete_id;
    /// The day the plan is written on (the athlete's local date): the
    /// reference of TrainingPeaks' date window and the date a calendar event
    /// is stamped with when its content changes. Unset: the day before the
    /// plan's first day.
    std::optional<CivilDate> today;
    /// The calendar's events as the output folder's previous run wrote them
    /// (plugins/ics/calendar_state.hpp); unset or empty: every event is new.
    std::optional<CalendarState> calendar_state;
    /// The athlete's calendar name (a coach's roster gives one per athlete);
    /// unset: "Strength – NAME".
    std::optional<std::string> calendar_name;
};

/// A file could not be written; the message names the path and the reason.
class OutputError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Where writers put their bytes. `relative_name` uses '/' separators, is
/// relative and has no ".." component (put() throws OutputError otherwise).
class OutputSink {
public:
    OutputSink() = default;
    OutputSink(const OutputSink&) = delete;
    OutputSink& operator=(const OutputSink&) = delete;
    virtual ~OutputSink() = default;

    virtual void put(const std::string& relative_name, std::string_view bytes) = 0;

    /// `detail`: shown on request (--verbose); `action`: the user must do
    /// something to get a file (a missing id), shown unless --quiet.
    enum class NoteLevel : std::uint8_t { detail, action };
    /// Something the user should know about a file (steps merged or dropped
    /// to fit a device limit, a value left out).
    virtual void note(const std::string& relative_name, const std::string& message,
                      NoteLevel level = NoteLevel::detail);

    struct Note {
        std::string file;
        std::string message;
        NoteLevel level = NoteLevel::detail;
    };
    const std::vector<Note>& notes() const noexcept { return m_notes; }

protected:
    /// Checks the name (check_relative_name) and that no earlier put() of this
    /// sink used it: two writers, or two athletes, writing one file name into
    /// one folder would silently lose a file. Throws OutputError.
    void claim(const std::string& relative_name);

private:
    std::vector<Note> m_notes;
    std::set<std::string> m_claimed;
};

/// Keeps files in memory (tests, and callers that upload instead of saving).
class MemorySink final : public OutputSink {
public:
    void put(const std::string& relative_name, std::string_view bytes) override;
    /// name -> bytes, sorted by name.
    const std::map<std::string, std::string>& files() const noexcept { return m_files; }

private:
    std::map<std::string, std::string> m_files;
};

/// Writes files under a folder, atomically: the bytes go to a temporary file
/// in the destination folder, which is flushed to disk (fsync) and renamed
/// over the destination, so a reader (a sync job, the watch) never sees a
/// half-written file. A file whose bytes are already on disk is not touched,
/// so its mtime stays and cron users can diff and sync outputs.
class FolderSink final : public OutputSink {
public:
    /// Creates `root` (and parents) when missing.
    explicit FolderSink(std::filesystem::path root);

    void put(const std::string& relative_name, std::string_view bytes) override;

    enum class Outcome : std::uint8_t { created, updated, unchanged };
    struct Entry {
        std::filesystem::path path;
        Outcome outcome;
    };
    const std::vector<Entry>& entries() const noexcept { return m_entries; }
    const std::filesystem::path& root() const noexcept { return m_root; }

private:
    std::filesystem::path m_root;
    std::vector<Entry> m_entries;
};

/// "created", "updated" or "unchanged", as the commands print it.
std::string_view to_string(FolderSink::Outcome outcome) noexcept;

/// What write_managed_folder() did.
struct ManagedWrite {
    std::vector<FolderSink::Entry> entries; ///< every file of the run, in name order
    std::vector<std::string> removed;       ///< earlier runs' files no longer written
    std::vector<std::string> warnings;      ///< files that could not be removed
};

/// Writes `files` (relative name -> bytes) under `root`, a folder this tool
/// manages with a manifest `root/manifest_name` listing every file it may
/// have written there. The manifest grows BEFORE any file is written (the
/// earlier run's names plus this run's), so a run killed or stopped by a full
/// disk part way leaves a manifest naming everything it left; after the
/// files are in place, the earlier runs' files that this run did not write
/// are removed (regular files only: never a folder or what a symlink points
/// at) and the manifest is cut down to this run's files. Throws OutputError.
ManagedWrite write_managed_folder(const std::filesystem::path& root,
                                  const std::map<std::string, std::string>& files,
                                  const std::string& manifest_name);

/// Checks a writer-supplied relative name; throws OutputError when it is
/// empty, absolute, or climbs out of the output folder.
void check_relative_name(const std::string& relative_name);

class Writer {
public:
    Writer() = default;
    Writer(const Writer&) = delete;
    Writer& operator=(const Writer&) = delete;
    virtual ~Writer() = default;

    virtual std::string_view name() const noexcept = 0;        ///< "garmin-fit", "ics"
    virtual std::string_view description() const noexcept = 0; ///< one line for `formats`
    virtual std::string_view extension() const noexcept = 0;   ///< ".fit", ".ics"

    /// Writes every file for `plan` into `sink`. Deterministic: the same plan
    /// and options give byte-identical files (no clock, no randomness).
    virtual void write(const Plan& plan, const WriteOptions& options, OutputSink& sink) const = 0;

    /// One athlete's plan and the options its files are written with.
    struct RosterPlan {
        const Plan* plan = nullptr;
        WriteOptions options;
    };
    /// The roster-wide file of this target (every athlete's sessions for one
    /// import by a coach), e.g. "plans.csv"; empty when it has none (the default).
    virtual std::string_view roster_file_name() const noexcept { return {}; }
    /// One planned athlete's share of the roster-wide file (may be empty).
    /// A roster planned in shards (`batch --shard`) keeps each athlete's share
    /// and `batch merge` joins them with roster_file(), so a sharded roster
    /// gives the same bytes as one run. Deterministic like write().
    virtual std::string roster_part(const RosterPlan& plan) const;
    /// The roster-wide file from every planned athlete's share, in roster order.
    virtual std::string roster_file(const std::vector<std::string>& parts) const;
    /// Writes the roster-wide file, when there is one, into `sink`: roster_file
    /// of every plan's roster_part, plans in roster order.
    void write_roster(const std::vector<RosterPlan>& plans, OutputSink& sink) const;
};

class WriterRegistry {
public:
    /// Throws std::logic_error when a writer of that name is already registered.
    void add(std::unique_ptr<Writer> writer);
    const Writer* find(std::string_view name) const;
    const std::vector<std::unique_ptr<Writer>>& writers() const noexcept { return m_writers; }

private:
    std::vector<std::unique_ptr<Writer>> m_writers;
};

/// Registers every writer, one line each, in the order `formats` lists them.
void register_all_writers(WriterRegistry& registry);

/// The writers every command and the pipeline use: register_all_writers()'s,
/// built on first use. A writer added here before the first plan (a test's
/// target, a program embedding the library) is listed, chosen with --format
/// and written like the built-in ones. Not to be changed once plans are written.
WriterRegistry& default_writers();

} // namespace ultrastrength

#endif
