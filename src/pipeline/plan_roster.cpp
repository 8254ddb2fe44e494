#include "pipeline/plan_roster.hpp"

#include "cli/version.hpp"
#include "converters/stream.hpp"
#include "model/text.hpp"
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
#include <map>
#include <memory>
#include <set>
#include <stdexcept>

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
            report.status = AthleteStatus::failed;
            report.problem = row.error;
            return result;
        }
        const PlanRequest request = athlete_request(row, skip);
        result.options = request.write_options;
        if (const auto unknown = unknown_formats(request.formats); !unknown.empty()) {
            report.status = AthleteStatus::failed;
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
        // The roster's report counts every input scanned: no stop at the stamps.
        request.quick_check = false;
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
            report.status = AthleteStatus::failed;
            report.problem = outcome.error;
        } else {
            report.status = result.rejected.empty() ? AthleteStatus::ok : AthleteStatus::partial;
        }
        for (const auto& r : result.rejected) {
            append_problem(report.problem, r);
        }
        if (outcome.current_phase) {
            report.phase = std::string(to_string(*outcome.current_phase));
            // The race schedule can start the plan in another phase than the
            // history reads now: the summary says both, as the plan does.
            const auto& weeks = outcome.context.week_phases;
            if (!weeks.empty() && weeks.front().phase != *outcome.current_phase) {
                report.phase +=
                    " (plan starts " + std::string(to_string(weeks.front().phase)) + ")";
            }
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
            report.created += file.status == FolderSink::Outcome::created ? 1 : 0;
            report.updated += file.status == FolderSink::Outcome::updated ? 1 : 0;
            report.unchanged += file.status == FolderSink::Outcome::unchanged ? 1 : 0;
        }
    }

    const RosterRequest& m_request;
    FeatureCache* m_cache;
    ScanCounts& m_totals;
    const ReaderRegistry& m_readers = default_readers();
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
            r.report.status =
                athlete_status_from(stored[i].value("status", "")).value_or(r.report.status);
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

using Json = nlohmann::ordered_json;

/// The roster state's line for an athlete (what an up-to-date run reports).
Json state_athlete(const AthleteReport& r) {
    return {{"id", r.id},
            {"status", to_string(r.status)},
            {"problem", r.problem},
            {"phase", r.phase},
            {"sessions", r.sessions},
            {"next_session", r.next_session},
            {"this_week_min", r.this_week_minutes},
            {"next_week_min", r.next_week_minutes},
            {"attention", r.attention},
            {"files", r.created + r.updated + r.unchanged}};
}

/// An athlete's whole summary line, as a shard record keeps it for the merge.
Json report_json(const AthleteReport& r) {
    return {{"id", r.id},
            {"name", r.name},
            {"line", r.line},
            {"status", to_string(r.status)},
            {"problem", r.problem},
            {"phase", r.phase},
            {"race", r.race},
            {"weekly_km", r.weekly_km},
            {"flags", r.flags},
            {"sessions", r.sessions},
            {"files", r.files},
            {"next_session", r.next_session},
            {"this_week_min", r.this_week_minutes},
            {"next_week_min", r.next_week_minutes},
            {"attention", r.attention}};
}

/// Throws nlohmann's exceptions on a malformed line.
AthleteReport report_from_json(const Json& j) {
    AthleteReport r;
    r.id = j.at("id").get<std::string>();
    r.name = j.at("name").get<std::string>();
    r.line = j.at("line").get<std::size_t>();
    const auto status = athlete_status_from(j.at("status").get<std::string>());
    if (!status) {
        throw std::invalid_argument("unknown status " + j.at("status").dump());
    }
    r.status = *status;
    r.problem = j.at("problem").get<std::string>();
    r.phase = j.at("phase").get<std::string>();
    r.race = j.at("race").get<std::string>();
    r.weekly_km = j.at("weekly_km").get<std::vector<double>>();
    r.flags = j.at("flags").get<std::vector<std::string>>();
    r.sessions = j.at("sessions").get<std::size_t>();
    r.files = j.at("files").get<std::vector<std::string>>();
    r.next_session = j.at("next_session").get<std::string>();
    r.this_week_minutes = j.at("this_week_min").get<int>();
    r.next_week_minutes = j.at("next_week_min").get<int>();
    r.attention = j.at("attention").get<std::string>();
    return r;
}

/// Every writer with a roster-wide file, in registry order.
std::vector<const Writer*> roster_writers(const WriterRegistry& writers) {
    std::vector<const Writer*> found;
    for (const auto& writer : writers.writers()) {
        if (!writer->roster_file_name().empty()) {
            found.push_back(writer.get());
        }
    }
    return found;
}

/// The roster-wide files from every planned athlete's shares (`parts[w]` for
/// roster_writers()[w], in roster order), the summary, and last the roster
/// state, through the atomic, unchanged-is-not-rewritten sink. Throws on a
/// write error.
std::vector<RosterFile> write_roster_wide(const std::filesystem::path& out,
                                          const std::string& roster_name,
                                          const std::string& fingerprint,
                                          const std::vector<const Writer*>& writers,
                                          const std::vector<std::vector<std::string>>& parts,
                                          const std::vector<AthleteReport>& reports) {
    FolderSink sink{out};
    for (std::size_t w = 0; w < writers.size(); ++w) {
        sink.put(std::string(writers[w]->roster_file_name()), writers[w]->roster_file(parts[w]));
    }
    sink.put("summary.csv", summary_csv(reports));
    sink.put("summary.html", summary_html(reports, roster_name));
    std::vector<RosterFile> files;
    std::vector<std::string> names;
    for (const auto& entry : sink.entries()) {
        files.push_back({entry.path.filename().string(), entry.outcome});
        names.push_back(files.back().name);
    }
    // Last, once everything it describes is in place.
    Json athletes = Json::array();
    for (const auto& r : reports) {
        athletes.push_back(state_athlete(r));
    }
    sink.put(roster_state_name, roster_state_text(out, fingerprint, names, athletes));
    return files;
}

/// The hash of an athlete folder's state file (its fingerprint and every
/// file's hash), "" when it has none: what ties a shard record to the
/// folders it describes.
std::string state_hash(const std::filesystem::path& folder) {
    std::error_code ec;
    const auto path = folder / plan_state_name;
    if (!std::filesystem::is_regular_file(path, ec)) {
        return {};
    }
    try {
        return hex64(hash_file(path.string()));
    } catch (const std::exception&) {
        return {};
    }
}

/// Writes a shard's record (and the shard folder's roster state over it).
std::vector<RosterFile> write_shard_record(const RosterRequest& request,
                                           const std::string& batch_fp, const std::string& shard_fp,
                                           const std::vector<RosterAthlete>& roster,
                                           const std::vector<std::size_t>& selected,
                                           const std::vector<RowResult>& rows) {
    const WriterRegistry& registry = default_writers();
    const auto writers = roster_writers(registry);
    Json doc;
    doc["shard"] = request.shard->index;
    doc["of"] = request.shard->count;
    doc["batch"] = batch_fp;
    doc["roster"] = std::filesystem::path(request.roster).filename().string();
    Json ids = Json::array();
    for (const auto& row : roster) {
        ids.push_back(row.id);
    }
    doc["rows"] = std::move(ids);
    Json athletes = Json::array();
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const RowResult& r = rows[i];
        Json parts = Json::object();
        if (r.report.status != AthleteStatus::failed) {
            for (const Writer* writer : writers) {
                parts[std::string(writer->roster_file_name())] =
                    writer->roster_part({&r.outcome.plan, r.options});
            }
        }
        athletes.push_back({{"row", selected[i]},
                            {"report", report_json(r.report)},
                            {"parts", std::move(parts)},
                            {"state", r.report.status == AthleteStatus::failed
                                          ? std::string()
                                          : state_hash(request.out / r.report.id)}});
    }
    doc["athletes"] = std::move(athletes);
    make_valid_utf8(doc);
    FolderSink sink{request.out};
    sink.put(shard_record_name, doc.dump(1) + "\n");
    std::vector<RosterFile> files = {{shard_record_name, sink.entries()[0].outcome}};
    Json state_athletes = Json::array();
    for (const auto& r : rows) {
        state_athletes.push_back(state_athlete(r.report));
    }
    sink.put(roster_state_name,
             roster_state_text(request.out, shard_fp, {shard_record_name}, state_athletes));
    return files;
}

/// The roster rows a run plans: all, or the shard's slice (by id alone).
std::vector<std::size_t> selected_rows(const std::vector<RosterAthlete>& roster,
                                       const RosterRequest& request) {
    std::vector<std::size_t> selected;
    for (std::size_t i = 0; i < roster.size(); ++i) {
        if (!request.shard ||
            shard_of(roster[i].id, request.shard->count) == request.shard->index - 1) {
            selected.push_back(i);
        }
    }
    return selected;
}

/// The fingerprint of the run's roster state: the batch's, or for a shard
/// folder that of its record, made for this slice.
std::string state_fingerprint(const std::string& batch_fp, const RosterRequest& request) {
    if (!request.shard) {
        return batch_fp;
    }
    const std::string text = batch_fp + " shard " + std::to_string(request.shard->index) + "/" +
                             std::to_string(request.shard->count);
    return hex64(XXH3_64bits(text.data(), text.size()));
}

/// Every selected athlete, each of whom may stop at an up-to-date folder.
/// `all_up_to_date` says whether all of them did (or failed).
std::vector<RowResult> plan_first_pass(RosterPlanner& planner,
                                       const std::vector<RosterAthlete>& roster,
                                       const std::vector<std::size_t>& selected,
                                       const RosterRequest& request, bool& all_up_to_date) {
    std::vector<RowResult> rows;
    rows.reserve(selected.size());
    all_up_to_date = true;
    for (std::size_t n = 0; n < selected.size(); ++n) {
        const std::size_t i = selected[n];
        if (request.progress) {
            request.progress(n + 1, selected.size(), roster[i].id);
        }
        rows.push_back(planner.plan_row(roster[i], true));
        if (rows.back().ran && !rows.back().outcome.up_to_date &&
            rows.back().report.status != AthleteStatus::failed) {
            all_up_to_date = false;
        }
    }
    return rows;
}

/// The roster-wide files of an unsharded run: each roster writer's file from
/// the planned athletes' parts, and the summary.
std::vector<RosterFile> write_roster_files(const RosterRequest& request,
                                           const std::string& fingerprint,
                                           const std::vector<RowResult>& rows,
                                           const std::vector<AthleteReport>& reports) {
    const WriterRegistry& registry = default_writers();
    const auto writers = roster_writers(registry);
    std::vector<std::vector<std::string>> parts(writers.size());
    for (const auto& r : rows) {
        if (r.report.status != AthleteStatus::failed) {
            for (std::size_t w = 0; w < writers.size(); ++w) {
                parts[w].push_back(writers[w]->roster_part({&r.outcome.plan, r.options}));
            }
        }
    }
    return write_roster_wide(request.out, std::filesystem::path(request.roster).filename().string(),
                             fingerprint, writers, parts, reports);
}

/// The first pass's up-to-date athletes planned again (inputs from the cache,
/// files untouched): the roster-wide files need every athlete's plan.
void plan_up_to_date_again(RosterPlanner& planner, const std::vector<RosterAthlete>& roster,
                           const std::vector<std::size_t>& selected, std::vector<RowResult>& rows) {
    for (std::size_t n = 0; n < rows.size(); ++n) {
        if (rows[n].ran && rows[n].outcome.up_to_date) {
            rows[n] = planner.plan_row(roster[selected[n]], false);
        }
    }
}

/// The rows' reports and rejected inputs, in roster order; exit_partial when
/// an athlete is not ok.
void collect_rows(const std::vector<RowResult>& rows, RosterOutcome& result) {
    for (const auto& r : rows) {
        if (r.report.status != AthleteStatus::ok) {
            result.exit_code = exit_partial;
        }
        result.reports.push_back(r.report);
        result.rejected.push_back(r.rejected);
    }
}

/// exit_failed when every athlete failed, else `code`.
int roster_exit_code(const std::vector<AthleteReport>& reports, int code) {
    std::size_t failed = 0;
    for (const auto& report : reports) {
        failed += report.status == AthleteStatus::failed ? 1 : 0;
    }
    return failed == reports.size() && !reports.empty() ? exit_failed : code;
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
    if (request.shard && (request.shard->count == 0 || request.shard->index == 0 ||
                          request.shard->index > request.shard->count)) {
        result.exit_code = exit_failed;
        result.error = "--shard " + std::to_string(request.shard->index) + "/" +
                       std::to_string(request.shard->count) + ": expected K/N with 1 <= K <= N";
        return result;
    }
    const std::vector<std::size_t> selected = selected_rows(roster, request);
    const std::unique_ptr<FeatureCache> cache = open_cache(request);
    result.cache_used = cache != nullptr;
    RosterPlanner planner(request, cache.get(), result.totals);

    // First pass: every athlete may stop at an up-to-date folder. When all of
    // them did and the roster-wide files are as the last run wrote them,
    // nothing is planned or written; otherwise the up-to-date athletes are
    // planned again (their inputs come from the cache and their files stay
    // untouched), since the roster-wide files need every athlete's plan.
    const std::string batch_fp = batch_fingerprint(
        request.roster,
        (request.today ? format_date(civil_from_days(*request.today)) : "") + "/" +
            (request.clock_today ? format_date(civil_from_days(*request.clock_today)) : ""),
        request.formats);
    const std::string fingerprint = state_fingerprint(batch_fp, request);
    bool all_up_to_date = true;
    std::vector<RowResult> rows =
        plan_first_pass(planner, roster, selected, request, all_up_to_date);
    std::optional<nlohmann::ordered_json> state;
    if (all_up_to_date) {
        state = matching_roster_state(request.out, fingerprint);
    }
    if (state) {
        reports_from_state(*state, rows);
    } else {
        plan_up_to_date_again(planner, roster, selected, rows);
    }
    collect_rows(rows, result);
    if (state) {
        for (const auto& [name, entry] : (*state)["files"].items()) {
            result.files.push_back({name, FolderSink::Outcome::unchanged});
        }
    } else {
        try {
            result.files =
                request.shard
                    ? write_shard_record(request, batch_fp, fingerprint, roster, selected, rows)
                    : write_roster_files(request, fingerprint, rows, result.reports);
        } catch (const std::exception& e) {
            result.exit_code = exit_failed;
            result.error = e.what();
            return result;
        }
    }
    result.exit_code = roster_exit_code(result.reports, result.exit_code);
    return result;
}

namespace {

/// One shard folder's record, read back.
struct ShardRecord {
    std::filesystem::path folder;
    Json doc;
};

/// Reads `folder`'s shard record; throws std::runtime_error naming the folder.
ShardRecord read_shard_record(const std::filesystem::path& folder) {
    const auto path = folder / shard_record_name;
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw std::runtime_error(folder.string() + ": no finished shard in this folder (no " +
                                 std::string(shard_record_name) + ")");
    }
    Json doc = Json::parse(in, nullptr, false);
    if (doc.is_discarded() || !doc.is_object() || !doc.contains("shard") ||
        !doc["shard"].is_number_unsigned() || !doc.contains("of") ||
        !doc["of"].is_number_unsigned() || !doc.contains("batch") || !doc["batch"].is_string() ||
        !doc.contains("rows") || !doc["rows"].is_array() || !doc.contains("athletes") ||
        !doc["athletes"].is_array() || !doc.contains("roster") || !doc["roster"].is_string()) {
        throw std::runtime_error(path.string() + ": not a shard record (damaged?)");
    }
    return {folder, std::move(doc)};
}

/// A shard folder's athlete as merge_roster copies it.
struct MergedRow {
    const ShardRecord* shard = nullptr;
    AthleteReport report;
    const Json* parts = nullptr;
    std::string state; ///< hash of the athlete folder's state file, as recorded
};

/// Copies `from` (an athlete's folder in a shard) into `to` as `plan` would
/// have written it there: every file its state lists, through the managed
/// folder (manifest first, earlier files no longer written removed), then the
/// state itself. Checks each file against the state's size and hash. Fills
/// the report's created/updated/unchanged. Throws std::runtime_error.
void copy_athlete(const std::filesystem::path& from, const std::filesystem::path& to,
                  const std::string& recorded_state, AthleteReport& report) {
    const std::string where = from.string();
    if (state_hash(from) != recorded_state) {
        throw std::runtime_error(where + ": changed since its shard finished: run the shard again");
    }
    std::ifstream in(from / plan_state_name, std::ios::binary);
    const std::string state_text{std::istreambuf_iterator<char>(in),
                                 std::istreambuf_iterator<char>()};
    const Json state = Json::parse(state_text, nullptr, false);
    if (state.is_discarded() || !state.is_object() || !state.contains("files") ||
        !state["files"].is_array()) {
        throw std::runtime_error(where + "/" + plan_state_name + ": damaged");
    }
    std::map<std::string, std::string> files;
    for (const Json& f : state["files"]) {
        const std::string name = f.value("name", "");
        check_relative_name(name);
        if (name == plan_manifest_name) {
            continue;
        }
        std::ifstream file(from / name, std::ios::binary);
        std::string bytes{std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
        if (!file.good() && !file.eof()) {
            throw std::runtime_error(where + "/" + name + ": cannot be read");
        }
        if (bytes.size() != f.value("size", std::uint64_t{0}) ||
            hex64(XXH3_64bits(bytes.data(), bytes.size())) != f.value("hash", "")) {
            throw std::runtime_error(where + "/" + name +
                                     ": changed since its shard finished: run the shard again");
        }
        files.emplace(name, std::move(bytes));
    }
    const ManagedWrite done = write_managed_folder(to, files, plan_manifest_name);
    for (const auto& entry : done.entries) {
        report.created += entry.outcome == FolderSink::Outcome::created ? 1 : 0;
        report.updated += entry.outcome == FolderSink::Outcome::updated ? 1 : 0;
        report.unchanged += entry.outcome == FolderSink::Outcome::unchanged ? 1 : 0;
    }
    FolderSink sink(to);
    sink.put(plan_state_name, state_text);
}

/// Empty when the shards are slices of one run (same roster, rows, count and
/// options) and none is given twice; else what is wrong.
std::string shards_mismatch(const std::vector<ShardRecord>& shards) {
    const Json& first = shards.front().doc;
    const std::size_t count = first["of"].get<std::size_t>();
    std::map<std::size_t, const ShardRecord*> by_index;
    for (const auto& shard : shards) {
        const Json& doc = shard.doc;
        if (doc["batch"] != first["batch"] || doc["rows"] != first["rows"] ||
            doc["of"] != first["of"] || doc["roster"] != first["roster"]) {
            return shard.folder.string() + ": a shard of another roster or other options than " +
                   shards.front().folder.string() +
                   " (roster, --format and --today must be the same)";
        }
        const std::size_t index = doc["shard"].get<std::size_t>();
        const auto [it, added] = by_index.emplace(index, &shard);
        if (!added) {
            return "shard " + std::to_string(index) + "/" + std::to_string(count) +
                   " given twice: " + it->second->folder.string() + " and " + shard.folder.string();
        }
    }
    return {};
}

/// Each of the roster's `row_count` rows from the shard that owns it (shard
/// nullptr: no shard given holds it). Throws when a record is damaged.
std::vector<MergedRow> merged_rows(const std::vector<ShardRecord>& shards, std::size_t row_count) {
    std::vector<MergedRow> rows(row_count);
    for (const auto& shard : shards) {
        for (const Json& a : shard.doc["athletes"]) {
            const std::size_t row = a.at("row").get<std::size_t>();
            if (row >= rows.size()) {
                throw std::runtime_error("row " + std::to_string(row) + " is not in the roster");
            }
            rows[row] = {&shard, report_from_json(a.at("report")), &a.at("parts"),
                         a.at("state").get<std::string>()};
        }
    }
    return rows;
}

/// The athletes no shard holds, into `missing`; empty when there are none,
/// else the error naming the shards to run again and the unfinished ones.
std::string missing_athletes(const std::vector<MergedRow>& rows, const Json& ids, std::size_t count,
                             const std::vector<std::string>& unfinished,
                             std::vector<std::string>& missing) {
    std::set<std::size_t> missing_shards;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        if (rows[i].shard == nullptr) {
            const std::string id = ids[i].is_string() ? ids[i].get<std::string>() : std::string();
            const std::size_t k = shard_of(id, count) + 1;
            missing_shards.insert(k);
            missing.push_back((id.empty() ? "row " + std::to_string(i + 1) : id) + " (shard " +
                              std::to_string(k) + "/" + std::to_string(count) + ")");
        }
    }
    if (missing.empty()) {
        return {};
    }
    std::string which;
    for (const std::size_t k : missing_shards) {
        which += (which.empty() ? "" : ", ") + std::to_string(k);
    }
    std::string error = std::to_string(missing.size()) + " athletes missing: shard" +
                        (missing_shards.size() > 1 ? "s " : " ") + which + " of " +
                        std::to_string(count) + " not finished or not given; run " +
                        (missing_shards.size() > 1 ? "them" : "it") + " again and merge";
    for (const auto& u : unfinished) {
        error += "\n" + u;
    }
    return error;
}

/// Copies every planned athlete's folder from its shard into `request.out`,
/// collects the reports into `result` and writes the roster-wide files.
/// Throws on a damaged record or a write that fails.
void copy_and_write(const MergeRequest& request, const Json& first, std::vector<MergedRow>& rows,
                    RosterOutcome& result) {
    const WriterRegistry& registry = default_writers();
    const auto writers = roster_writers(registry);
    std::vector<std::vector<std::string>> parts(writers.size());
    for (auto& row : rows) {
        AthleteReport& report = row.report;
        if (report.status != AthleteStatus::failed) {
            // The id names a folder: as the roster allows (roster.cpp valid_id).
            if (report.id.empty() || report.id.front() == '.' ||
                report.id.find_first_of("/\\") != std::string::npos) {
                throw std::runtime_error(row.shard->folder.string() + "/" + shard_record_name +
                                         ": damaged (athlete id '" + report.id + "')");
            }
            copy_athlete(row.shard->folder / report.id, request.out / report.id, row.state, report);
            for (std::size_t w = 0; w < writers.size(); ++w) {
                const auto part = row.parts->find(std::string(writers[w]->roster_file_name()));
                parts[w].push_back(part != row.parts->end() && part->is_string()
                                       ? part->get<std::string>()
                                       : std::string());
            }
        }
        if (report.status != AthleteStatus::ok) {
            result.exit_code = exit_partial;
        }
        result.reports.push_back(report);
        result.rejected.emplace_back();
    }
    result.files =
        write_roster_wide(request.out, first["roster"].get<std::string>(),
                          first["batch"].get<std::string>(), writers, parts, result.reports);
}

} // namespace

RosterOutcome merge_roster(const MergeRequest& request) {
    RosterOutcome result;
    result.exit_code = exit_failed;
    if (request.shards.empty()) {
        result.error = "no shard folders given";
        return result;
    }
    // Every finished shard; the folders without a record are named with the
    // athletes they should have held.
    std::vector<ShardRecord> shards;
    std::vector<std::string> unfinished;
    for (const auto& folder : request.shards) {
        try {
            shards.push_back(read_shard_record(folder));
        } catch (const std::exception& e) {
            unfinished.push_back(e.what());
        }
    }
    if (shards.empty()) {
        result.error = unfinished.front();
        return result;
    }
    result.error = shards_mismatch(shards);
    if (!result.error.empty()) {
        return result;
    }
    const Json& first = shards.front().doc;
    const Json& ids = first["rows"];
    std::vector<MergedRow> rows;
    try {
        rows = merged_rows(shards, ids.size());
    } catch (const std::exception& e) {
        result.error = "a shard record is damaged: " + std::string(e.what());
        return result;
    }
    result.error =
        missing_athletes(rows, ids, first["of"].get<std::size_t>(), unfinished, result.missing);
    if (!result.error.empty()) {
        return result;
    }

    std::unique_ptr<OutputLock> lock;
    try {
        lock = std::make_unique<OutputLock>(request.out.string(), request.wait_for_lock);
    } catch (const std::exception& e) {
        result.error = e.what();
        return result;
    }
    result.exit_code = exit_ok;
    try {
        copy_and_write(request, first, rows, result);
    } catch (const std::exception& e) {
        result.exit_code = exit_failed;
        result.error = e.what();
        return result;
    }
    result.exit_code = roster_exit_code(result.reports, result.exit_code);
    return result;
}

} // namespace ultrastrength::pipeline
