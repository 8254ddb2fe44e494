#include "pipeline/plan_roster.hpp"

#include "cli/version.hpp"
#include "converters/stream.hpp"
#include "model/time.hpp"
#include "pipeline/plan_athlete.hpp"
#include "pipeline/roster.hpp"
#include "store/feature_cache.hpp"
#include "store/output_lock.hpp"
#include "store/run_state.hpp"

#include <nlohmann/json.hpp>
#include <xxhash.h>

#include <cstdio>
#include <fstream>
#include <memory>
#include <set>

namespace ultrastrength::pipeline {

namespace {

/// Weeks shown in the summary's volume trend.
constexpr std::size_t trend_weeks = 12;
/// Weeks whose flags the summary lists.
constexpr std::size_t flag_weeks = 4;

constexpr int batch_state_version = 1;

void append_problem(std::string& problems, const std::string& problem) {
    if (!problems.empty()) {
        problems += "; ";
    }
    problems += problem;
}

std::string race_text(const Race& race) {
    const auto d = race.date;
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year, d.month, d.day);
    std::string text = buf;
    if (!race.name.empty()) {
        text += ' ';
        text += race.name;
    }
    return text;
}

const char* status_text(FolderSink::Outcome outcome) {
    return outcome == FolderSink::Outcome::created   ? "created"
           : outcome == FolderSink::Outcome::updated ? "updated"
                                                     : "unchanged";
}

/// What the roster-wide files depend on besides each athlete's own run (which
/// the athlete's fingerprint covers): the roster's bytes, the batch options
/// and the program.
std::string batch_fingerprint(const std::string& roster_path, const std::string& today,
                              const std::vector<std::string>& formats) {
    std::ifstream in(roster_path, std::ios::binary);
    std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    text += '\0';
    text += version;
    text += '\0' + std::to_string(batch_state_version) + '\0' + today + '\0';
    for (const auto& f : formats) {
        text += f + ',';
    }
    return hex64(XXH3_64bits(text.data(), text.size()));
}

/// One roster row planned: its report line, the pipeline's outcome and the
/// rejected inputs.
struct RowResult {
    AthleteReport report;
    PlanOutcome outcome;
    std::vector<std::string> rejected;
    WriteOptions options;
    bool ran = false; ///< the pipeline was called (the row was valid)
};

/// Plans the roster's rows with one reader registry and one cache.
class RosterPlanner {
public:
    RosterPlanner(const RosterRequest& request, FeatureCache* cache, ScanCounts& totals)
        : m_request(request), m_cache(cache), m_totals(totals) {
        register_all(m_readers);
        m_cache_warnings_shown = m_cache != nullptr ? m_cache->warnings().size() : 0;
    }

    /// `skip` lets the athlete's run stop at an up-to-date folder.
    RowResult plan_row(const RosterAthlete& row, bool skip) {
        RowResult result;
        AthleteReport& report = result.report;
        report.id = row.id;
        report.name = row.name;
        report.line = row.line;
        if (!row.error.empty()) {
            report.status = "failed";
            report.problem = row.error;
            return result;
        }
        const PlanRequest request = athlete_request(row, skip);
        result.options = request.write_options;
        if (const auto unknown = unknown_formats(request.formats); !unknown.empty()) {
            report.status = "failed";
            report.problem = m_request.roster + ": line " + std::to_string(row.line) +
                             ": formats: unknown writer '" + unknown.front() + "'";
            return result;
        }
        result.ran = true;
        result.outcome = plan_athlete(request);
        pass_cache_warnings();
        if (m_request.warn) {
            // What the user must act on (a missing TrainingPeaks id), once per run.
            for (const auto& notice : result.outcome.notices) {
                m_request.warn(row.id + ": " + notice);
            }
        }
        fill_report(row, result);
        return result;
    }

private:
    PlanRequest athlete_request(const RosterAthlete& row, bool skip) {
        PlanRequest request;
        request.athlete_id = row.id;
        request.athlete_name = row.name;
        request.inputs = row.exports;
        request.races = row.races;
        request.utc_offset_s = row.utc_offset_s;
        request.today = m_request.today;
        request.clock_today = m_request.clock_today;
        request.athlete = row.settings;
        request.jobs = m_request.jobs;
        request.scan = [this](const std::vector<std::string>& inputs) {
            ScanOptions options;
            options.jobs = m_request.jobs;
            options.cache = m_cache;
            auto scanned = scan(m_readers, inputs, options);
            m_totals.files += scanned.counts.files;
            m_totals.decoded += scanned.counts.decoded;
            m_totals.cached += scanned.counts.cached;
            m_totals.rehashed += scanned.counts.rehashed;
            return std::move(scanned.outcomes);
        };
        request.equipment = row.equipment;
        request.level = row.level;
        request.strength_history = row.strength_history;
        request.no_jumps = row.no_jumps;
        request.strength_weekdays = row.days;
        request.long_run_weekday = row.long_run_day;
        request.weeks = row.weeks;
        request.formats = row.formats.empty() ? m_request.formats : row.formats;
        request.out_dir = m_request.out / row.id;
        request.wait_for_lock = m_request.wait_for_lock;
        request.skip_when_up_to_date = skip;
        request.write_options.trainingpeaks_athlete_id = row.trainingpeaks_athlete_id;
        if (!row.calendar_name.empty()) {
            request.write_options.calendar_name = row.calendar_name;
        }
        return request;
    }

    void pass_cache_warnings() {
        if (m_cache == nullptr) {
            return;
        }
        for (; m_cache_warnings_shown < m_cache->warnings().size(); ++m_cache_warnings_shown) {
            if (m_request.warn) {
                m_request.warn(m_cache->warnings()[m_cache_warnings_shown]);
            }
        }
    }

    static void fill_report(const RosterAthlete& row, RowResult& result) {
        AthleteReport& report = result.report;
        const PlanOutcome& outcome = result.outcome;
        for (const auto& input : outcome.inputs) {
            if (input.kind == InputOutcome::Kind::rejected) {
                result.rejected.push_back(input.message.rfind(input.source, 0) == 0
                                              ? input.message
                                              : input.source + ": " + input.message);
            }
        }
        if (outcome.exit_code == exit_failed || !outcome.error.empty()) {
            report.status = "failed";
            report.problem = outcome.error;
        } else {
            report.status = result.rejected.empty() ? "ok" : "partial";
        }
        for (const auto& r : result.rejected) {
            append_problem(report.problem, r);
        }
        if (outcome.current_phase) {
            report.phase = std::string(to_string(*outcome.current_phase));
        }
        if (outcome.context.race) {
            report.race = race_text(*outcome.context.race);
        }
        const auto& weeks = outcome.history.weeks;
        for (std::size_t i = weeks.size() > trend_weeks ? weeks.size() - trend_weeks : 0;
             i < weeks.size(); ++i) {
            report.weekly_km.push_back(weeks[i].km);
        }
        std::set<std::string> flags;
        for (std::size_t i = weeks.size() > flag_weeks ? weeks.size() - flag_weeks : 0;
             i < weeks.size(); ++i) {
            flags.insert(weeks[i].flags.begin(), weeks[i].flags.end());
        }
        report.flags.assign(flags.begin(), flags.end());
        report.sessions = outcome.plan.sessions.size();
        attention_of(outcome.plan, report.flags, report);
        for (const auto& file : outcome.files) {
            report.files.push_back(row.id + "/" + file.name);
            report.created += file.status == "created" ? 1 : 0;
            report.updated += file.status == "updated" ? 1 : 0;
            report.unchanged += file.status == "unchanged" ? 1 : 0;
        }
    }

    const RosterRequest& m_request;
    FeatureCache* m_cache;
    ScanCounts& m_totals;
    ReaderRegistry m_readers;
    std::size_t m_cache_warnings_shown = 0;
};

/// The feature cache the request names, opened once for the whole roster;
/// null without one or when it cannot be opened (warned).
std::unique_ptr<FeatureCache> open_cache(const RosterRequest& request) {
    if (!request.cache) {
        return nullptr;
    }
    try {
        auto cache = std::make_unique<FeatureCache>(*request.cache);
        for (const auto& warning : cache->warnings()) {
            if (request.warn) {
                request.warn(warning);
            }
        }
        return cache;
    } catch (const std::exception& e) {
        if (request.warn) {
            request.warn(std::string(e.what()) + "; going on without a cache");
        }
        return nullptr;
    }
}

/// The up-to-date rows take their report lines from the stored roster state:
/// every file unchanged.
void reports_from_state(const nlohmann::ordered_json& state, std::vector<RowResult>& rows) {
    const auto& stored = state["athletes"];
    for (std::size_t i = 0; i < rows.size(); ++i) {
        auto& r = rows[i];
        if (i < stored.size() && stored[i].is_object()) {
            r.report.status = stored[i].value("status", r.report.status);
            r.report.problem = stored[i].value("problem", r.report.problem);
            r.report.phase = stored[i].value("phase", "");
            r.report.sessions = stored[i].value("sessions", std::size_t{0});
            r.report.next_session = stored[i].value("next_session", "");
            r.report.this_week_minutes = stored[i].value("this_week_min", 0);
            r.report.next_week_minutes = stored[i].value("next_week_min", 0);
            r.report.attention = stored[i].value("attention", "");
            r.report.unchanged = stored[i].value("files", std::size_t{0});
        }
    }
}

/// Roster-wide files (each writer's write_roster over every planned athlete),
/// the summary, and last the roster state, through the atomic,
/// unchanged-is-not-rewritten sink. Throws on a write error.
std::vector<RosterFile> write_roster_files(const RosterRequest& request,
                                           const std::string& fingerprint,
                                           const std::vector<RowResult>& rows,
                                           const std::vector<AthleteReport>& reports) {
    WriterRegistry writers;
    register_all_writers(writers);
    std::vector<Writer::RosterPlan> planned;
    for (const auto& r : rows) {
        if (r.report.status != "failed") {
            planned.push_back({&r.outcome.plan, r.options});
        }
    }
    FolderSink sink{request.out};
    for (const auto& writer : writers.writers()) {
        writer->write_roster(planned, sink);
    }
    sink.put("summary.csv", summary_csv(reports));
    sink.put("summary.html",
             summary_html(reports, std::filesystem::path(request.roster).filename().string()));
    std::vector<RosterFile> files;
    std::vector<std::string> names;
    for (const auto& entry : sink.entries()) {
        files.push_back({entry.path.filename().string(), status_text(entry.outcome)});
        names.push_back(files.back().name);
    }
    // Last, once everything it describes is in place.
    nlohmann::ordered_json athletes = nlohmann::ordered_json::array();
    for (const auto& r : reports) {
        athletes.push_back({{"id", r.id},
                            {"status", r.status},
                            {"problem", r.problem},
                            {"phase", r.phase},
                            {"sessions", r.sessions},
                            {"next_session", r.next_session},
                            {"this_week_min", r.this_week_minutes},
                            {"next_week_min", r.next_week_minutes},
                            {"attention", r.attention},
                            {"files", r.created + r.updated + r.unchanged}});
    }
    sink.put(roster_state_name, roster_state_text(request.out, fingerprint, names, athletes));
    return files;
}

} // namespace

RosterOutcome plan_roster(const RosterRequest& request) {
    RosterOutcome result;
    std::vector<RosterAthlete> roster;
    try {
        roster = read_roster(request.roster);
    } catch (const RosterError& e) {
        result.exit_code = exit_failed;
        result.error = e.what();
        return result;
    }
    if (roster.empty()) {
        result.exit_code = exit_failed;
        result.error = request.roster + ": no athletes in the roster";
        return result;
    }

    std::unique_ptr<OutputLock> lock;
    try {
        lock = std::make_unique<OutputLock>(request.out.string(), request.wait_for_lock);
    } catch (const std::exception& e) {
        result.exit_code = exit_failed;
        result.error = e.what();
        return result;
    }
    const std::unique_ptr<FeatureCache> cache = open_cache(request);
    result.cache_used = cache != nullptr;
    RosterPlanner planner(request, cache.get(), result.totals);

    // First pass: every athlete may stop at an up-to-date folder. When all of
    // them did and the roster-wide files are as the last run wrote them,
    // nothing is planned or written; otherwise the up-to-date athletes are
    // planned again (their inputs come from the cache and their files stay
    // untouched), since the roster-wide files need every athlete's plan.
    const std::string fingerprint = batch_fingerprint(
        request.roster,
        (request.today ? format_date(civil_from_days(*request.today)) : "") + "/" +
            (request.clock_today ? format_date(civil_from_days(*request.clock_today)) : ""),
        request.formats);
    std::vector<RowResult> rows;
    rows.reserve(roster.size());
    bool all_up_to_date = true;
    for (std::size_t i = 0; i < roster.size(); ++i) {
        if (request.progress) {
            request.progress(i + 1, roster.size(), roster[i].id);
        }
        rows.push_back(planner.plan_row(roster[i], true));
        if (rows.back().ran && !rows.back().outcome.up_to_date &&
            rows.back().report.status != "failed") {
            all_up_to_date = false;
        }
    }
    std::optional<nlohmann::ordered_json> state;
    if (all_up_to_date) {
        state = matching_roster_state(request.out, fingerprint);
    }
    if (state) {
        reports_from_state(*state, rows);
    } else {
        for (std::size_t i = 0; i < rows.size(); ++i) {
            if (rows[i].ran && rows[i].outcome.up_to_date) {
                rows[i] = planner.plan_row(roster[i], false);
            }
        }
    }

    for (auto& r : rows) {
        if (r.report.status != "ok") {
            result.exit_code = exit_partial;
        }
        result.reports.push_back(r.report);
        result.rejected.push_back(r.rejected);
    }
    if (state) {
        for (const auto& [name, entry] : (*state)["files"].items()) {
            result.files.push_back({name, "unchanged"});
        }
    } else {
        try {
            result.files = write_roster_files(request, fingerprint, rows, result.reports);
        } catch (const std::exception& e) {
            result.exit_code = exit_failed;
            result.error = e.what();
            return result;
        }
    }
    std::size_t failed = 0;
    for (const auto& report : result.reports) {
        failed += report.status == "failed" ? 1 : 0;
    }
    if (failed == result.reports.size()) {
        result.exit_code = exit_failed;
    }
    return result;
}

} // namespace ultrastrength::pipeline
