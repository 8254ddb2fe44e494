// One athlete from inputs to written plan files: the analysis
// (analyze_athlete) -> planner context -> plan -> plan.json, plan.txt and the
// chosen formats, all written atomically under the output folder's lock.
// `plan` runs it once; plan_roster runs it per roster row. It prints nothing:
// everything the caller may want to show comes back in PlanOutcome.
#ifndef ULTRASTRENGTH_PIPELINE_PLAN_ATHLETE_HPP
#define ULTRASTRENGTH_PIPELINE_PLAN_ATHLETE_HPP

#include "converters/scan.hpp"
#include "history/history.hpp"
#include "history/weekly_pattern.hpp"
#include "model/plan.hpp"
#include "phase/phase.hpp"
#include "pipeline/analyze_athlete.hpp"
#include "pipeline/exit_code.hpp"
#include "plan/context.hpp"
#include "plugins/writer.hpp"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace ultrastrength::pipeline {

/// Everything one athlete's plan depends on. Unset optionals are worked out
/// from the history (weekly pattern, start, weeks) or take the documented
/// defaults (level intermediate, equipment `default_equipment`).
/// The inputs and analysis settings are the AnalysisRequest's (as `analyze`
/// takes them).
struct PlanRequest : AnalysisRequest {
    // Identity: the id is part of session ids, file names and calendar UIDs.
    std::string athlete_id = "athlete";
    std::string athlete_name;

    std::optional<double> race_descent_m; ///< the A race's D-; default: its D+ (start = finish)

    // Planner settings.
    std::optional<std::set<std::string>> equipment; ///< unset = default_equipment
    std::optional<Level> level; ///< unset = novice when new to strength, else intermediate
    /// --strength-history; unset: inferred from the recorded strength sessions (§4.7).
    std::optional<StrengthHistory> strength_history;
    bool no_jumps = false; ///< --no-jumps: Achilles or bone-stress history, no plyometrics
    std::vector<int> strength_weekdays;  ///< --days (0 = Monday); empty = any non-rest day
    std::optional<int> long_run_weekday; ///< --long-run-day; unset = from the history
    std::optional<int> weeks;            ///< unset: up to race day (max 52), else 4
    std::optional<CivilDate> start; ///< unset: the later of the day after `today` and `clock_today`
    /// The real date (the CLI's clock or --today): a plan without --start never
    /// starts before it. Unset: no floor (tests and callers with a fixed history).
    std::optional<std::int64_t> clock_today;
    std::optional<std::filesystem::path> library; ///< --library FILE merged over the built-in one
    std::map<std::string, double> one_rep_max_kg; ///< known 1RM per exercise id

    // Output. Without `out_dir` nothing is written (the caller prints the plan).
    std::vector<std::string> formats; ///< writer names (`formats` lists them)
    std::optional<std::filesystem::path> out_dir;
    bool wait_for_lock = true; ///< false: fail when another run holds the folder
    WriteOptions write_options;
    /// plan.txt with the analysis, the planner's notes and each session's rule
    /// trace (formulas, section references): `--verbose`.
    bool verbose_text = false;
    /// With out_dir: when the run fingerprint (inputs as scanned, every option
    /// above, the program version) matches the one the folder's last run
    /// stored and every file it wrote is still there as written, stop after
    /// the scan and write nothing (PlanOutcome::up_to_date). `batch` plans an
    /// up-to-date athlete again when its roster-wide files must be rewritten.
    bool skip_when_up_to_date = true;
    /// With skip_when_up_to_date: first compare the options and one stat of
    /// every input file (path, size, modification time: what the feature
    /// cache trusts too) with what the folder's last run stored, and stop
    /// there when they match, before any cache is opened or input read. Not
    /// with verbose_text, whose report lists every input's notes.
    bool quick_check = true;
};

/// Equipment assumed when the request names none: a band and dumbbells or a
/// kettlebell, the kit most runners have at home.
const std::set<std::string>& default_equipment();

/// A file the run wrote (or found already identical on disk).
struct WrittenFile {
    std::string name; ///< relative to the output folder, '/'-separated
    FolderSink::Outcome status = FolderSink::Outcome::unchanged;
};

struct PlanOutcome {
    int exit_code = exit_ok;          ///< ExitCode (command.hpp): 0, 1 (inputs rejected), 3
    std::string error;                ///< set when nothing could be planned or written (exit 3)
    std::vector<InputOutcome> inputs; ///< per input, activities moved out (for print_problems)
    ScanSummary summary;
    std::vector<std::string> warnings; ///< estimates used, device limits hit, assumptions
    /// What the user must do to get every file asked for (a TrainingPeaks
    /// athlete id): printed unless --quiet. Also among `warnings`.
    std::vector<std::string> notices;

    History history; ///< the analysis the plan is built from
    PhaseResult phases;
    std::optional<Phase> current_phase; ///< of the last analysed week
    PlanContext context;                ///< what the planner was given
    Plan plan;
    std::string plan_json;            ///< plan.json (schemas/plan.schema.json)
    std::string plan_text;            ///< plan.txt, the readable summary
    std::vector<WrittenFile> files;   ///< empty without out_dir; the manifest not included
    std::vector<std::string> removed; ///< files of the previous run's plan no longer planned
    /// Nothing changed since the folder's last run: no analysis, no planning,
    /// nothing written. `files` are the last run's (all "unchanged"),
    /// plan_json and plan_text are read back from the folder (plan_text not
    /// when the quick check stopped the run: plan.txt is printed only without
    /// an output folder); `inputs` holds only the rejected ones then;
    /// `history`, `phases`, `context` and `plan` are left empty.
    bool up_to_date = false;
};

/// The fingerprint of a run: hex XXH3-64 over the scanned inputs' identities
/// (source, kind, size, content hash, activity counts), every request field
/// that shapes the plan or its files (the --library file by content) and the
/// program and feature versions. Throws when the --library file cannot be read.
std::string run_fingerprint(const PlanRequest& request, const std::vector<InputOutcome>& inputs);

/// Checks format names against the writers; returns the unknown ones.
std::vector<std::string> unknown_formats(const std::vector<std::string>& formats);
/// Every writer name, in the order `formats` lists them.
std::vector<std::string> all_format_names();

/// Runs the whole pipeline for one athlete. Never throws for bad inputs or
/// unwritable outputs: they come back in `error`/`inputs` with the exit code.
PlanOutcome plan_athlete(const PlanRequest& request);

// The stages, exposed for tests and for callers that already have a history.

/// The planner's context from the analysis and the request (phases of the
/// plan weeks: from the A race's date when it lies ahead, else the current
/// phase carried on, with recovery after a race running out into off-season).
PlanContext make_plan_context(const PlanRequest& request, const History& history,
                              const PhaseResult& phases, const std::vector<DetectedRace>& detected,
                              const PatternEvidence& pattern, std::vector<std::string>& notes);

} // namespace ultrastrength::pipeline

#endif
