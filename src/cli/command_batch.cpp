#include "cli/command_batch.hpp"

#include "cli/batch_summary.hpp"
#include "cli/output.hpp"
#include "cli/plan_pipeline.hpp"
#include "cli/roster.hpp"
#include "cli/scanning.hpp"
#include "cli/version.hpp"
#include "converters/stream.hpp"
#include "model/time.hpp"
#include "store/feature_cache.hpp"
#include "store/output_lock.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <set>

#include <xxhash.h>

namespace ultrastrength::cli {

namespace {

/// Weeks shown in the summary's volume trend.
constexpr std::size_t trend_weeks = 12;
/// Weeks whose flags the summary lists.
constexpr std::size_t flag_weeks = 4;

std::vector<std::string> split_commas(const std::string& text) {
    std::vector<std::string> items;
    std::size_t pos = 0;
    while (pos <= text.size()) {
        const auto end = std::min(text.find(',', pos), text.size());
        if (end > pos) {
            items.push_back(text.substr(pos, end - pos));
        }
        pos = end + 1;
    }
    return items;
}

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

/// In the batch folder: the last run's roster fingerprint, the roster-wide
/// files it wrote (size and hash) and each athlete's line of the report, so a
/// run with nothing changed writes nothing and plans no athlete again.
constexpr const char* batch_state_name = ".ultrastrength-batch-state";
constexpr int batch_state_version = 1;
const char* const roster_file_names[] = {"trainingpeaks.json", "plans.csv", "summary.csv",
                                         "summary.html"};

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

/// The stored state when its fingerprint matches and every roster-wide file
/// is still there as written; else nullopt.
std::optional<nlohmann::json> matching_batch_state(const std::filesystem::path& out,
                                                   const std::string& fingerprint) {
    std::ifstream in(out / batch_state_name, std::ios::binary);
    if (!in) {
        return std::nullopt;
    }
    nlohmann::json state = nlohmann::json::parse(in, nullptr, false);
    if (state.is_discarded() || !state.is_object() ||
        state.value("fingerprint", "") != fingerprint || !state.contains("files") ||
        !state.contains("athletes") || !state["athletes"].is_array()) {
        return std::nullopt;
    }
    try {
        for (const char* name : roster_file_names) {
            const auto& f = state["files"].at(name);
            if (!file_as_recorded(out, name, f.at("size").get<std::uint64_t>(),
                                  f.at("hash").get<std::string>())) {
                return std::nullopt;
            }
        }
    } catch (const std::exception&) {
        return std::nullopt; // malformed state or unreadable file: plan again
    }
    return state;
}

} // namespace

std::string CommandBatch::usage() const {
    return "ultrastrength batch [OPTIONS] ROSTER.csv --out DIR";
}

std::string CommandBatch::details() const {
    return "ROSTER.csv has one row per athlete (schemas/roster.schema.json): id, name,\n"
           "exports (';'-separated paths, relative to the roster's folder), races, heart-rate\n"
           "and pace settings, equipment, days, formats, the TrainingPeaks athlete id and a\n"
           "calendar name. Each athlete's plan goes to DIR/ID/ (as `plan --out DIR/ID`);\n"
           "DIR also gets trainingpeaks.json and plans.csv (every athlete's sessions, for\n"
           "one import) and summary.csv and summary.html for the coach (phase, weekly\n"
           "volume trend, ramp and spike flags, files written).\n\n"
           "A bad row or an unreadable export affects that athlete only: the others are\n"
           "planned, the problem is listed, and the exit status is 1. Files whose bytes\n"
           "did not change are not rewritten. The run locks DIR: a second run on the same\n"
           "folder waits with --wait, else exits 3 naming the run that holds it.\n\n"
           "Exit status: 0 every athlete planned, 1 some athletes or inputs failed,\n"
           "2 usage error, 3 nothing could be planned (bad roster, folder locked).\n\n"
           "Examples:\n"
           "  ultrastrength batch samples/roster/roster.csv --out plans/\n"
           "  ultrastrength batch roster.csv --out /srv/plans --wait --quiet   # from cron\n";
}

void CommandBatch::add_options(po::options_description& options,
                               po::positional_options_description& positional) {
    // clang-format off
    options.add_options()
        ("roster", po::value(&m_roster)->value_name("ROSTER.csv"), "the roster")
        ("out,o", po::value(&m_out)->value_name("DIR"), "output folder (one subfolder per athlete)")
        ("format,f", po::value(&m_formats)->value_name("LIST"),
         "writers for rows without a formats column value (default: all)")
        ("today", po::value(&m_today)->value_name("DATE"),
         "plan as of this date (default: each athlete's last activity)")
        ("wait", po::bool_switch(&m_wait), "wait for another run on DIR instead of exiting");
    // clang-format on
    options.add(common_options(m_common));
    positional.add("roster", 1);
}

void CommandBatch::apply(const po::variables_map& vm) {
    if (vm.count("roster") == 0 || m_roster.empty()) {
        throw UsageError("no ROSTER.csv given");
    }
    if (vm.count("out") == 0 || m_out.empty()) {
        throw UsageError("--out DIR is required: the folder the plans are written to");
    }
    m_format_list = m_formats.empty() ? all_format_names() : split_commas(m_formats);
    if (const auto unknown = unknown_formats(m_format_list); !unknown.empty()) {
        throw UsageError("--format: unknown writer '" + unknown.front() +
                         "' (`ultrastrength formats` lists them)");
    }
    if (!m_today.empty()) {
        const auto date = parse_date(m_today);
        if (!date) {
            throw UsageError("--today '" + m_today + "': expected YYYY-MM-DD");
        }
        m_today_day = days_from_civil(*date);
    }
}

int CommandBatch::run() {
    std::vector<RosterAthlete> roster;
    try {
        roster = read_roster(m_roster);
    } catch (const RosterError& e) {
        std::cerr << "ultrastrength batch: " << e.what() << '\n';
        return exit_failed;
    }
    if (roster.empty()) {
        std::cerr << "ultrastrength batch: " << m_roster << ": no athletes in the roster\n";
        return exit_failed;
    }

    std::unique_ptr<OutputLock> lock;
    try {
        lock = std::make_unique<OutputLock>(m_out, m_wait);
    } catch (const LockBusy& e) {
        std::cerr << "ultrastrength batch: " << e.what() << '\n';
        return exit_failed;
    } catch (const std::exception& e) {
        std::cerr << "ultrastrength batch: " << e.what() << '\n';
        return exit_failed;
    }

    // One cache for the whole roster, opened once.
    std::unique_ptr<FeatureCache> cache;
    if (!m_common.no_cache) {
        const std::string path =
            m_common.cache.empty() ? FeatureCache::default_path() : m_common.cache;
        try {
            cache = std::make_unique<FeatureCache>(path);
            for (const auto& warning : cache->warnings()) {
                std::cerr << "warning: " << warning << '\n';
            }
        } catch (const std::exception& e) {
            std::cerr << "warning: " << e.what() << "; going on without a cache\n";
        }
    }
    std::size_t cache_warnings_shown = cache ? cache->warnings().size() : 0;
    ScanCounts totals;
    ReaderRegistry readers;
    register_all(readers);
    WriterRegistry writers;
    register_all_writers(writers);

    const bool progress = show_progress(m_common);

    // One roster row planned: its report line, the pipeline's outcome and the
    // rejected inputs. `skip` lets the pipeline stop at an up-to-date folder.
    struct RowResult {
        AthleteReport report;
        PlanOutcome outcome;
        std::vector<std::string> rejected;
        WriteOptions options;
        bool ran = false; ///< the pipeline was called (the row was valid)
    };
    const auto plan_row = [&](const RosterAthlete& row, bool skip) {
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
        PlanRequest request;
        request.athlete_id = row.id;
        request.athlete_name = row.name;
        request.inputs = row.exports;
        request.races = row.races;
        request.utc_offset_s = row.utc_offset_s;
        request.today = m_today_day;
        request.athlete = row.settings;
        request.jobs = m_common.jobs;
        request.scan = [&](const std::vector<std::string>& inputs) {
            ScanOptions options;
            options.jobs = m_common.jobs;
            options.cache = cache.get();
            auto scanned = scan(readers, inputs, options);
            totals.files += scanned.counts.files;
            totals.decoded += scanned.counts.decoded;
            totals.cached += scanned.counts.cached;
            totals.rehashed += scanned.counts.rehashed;
            return std::move(scanned.outcomes);
        };
        request.equipment = row.equipment;
        request.level = row.level;
        request.strength_weekdays = row.days;
        request.long_run_weekday = row.long_run_day;
        request.weeks = row.weeks;
        request.formats = row.formats.empty() ? m_format_list : row.formats;
        request.out_dir = std::filesystem::path(m_out) / row.id;
        request.wait_for_lock = m_wait;
        request.skip_when_up_to_date = skip;
        request.write_options.trainingpeaks_athlete_id = row.trainingpeaks_athlete_id;
        if (!row.calendar_name.empty()) {
            request.write_options.calendar_name = row.calendar_name;
        }
        result.options = request.write_options;
        if (const auto unknown = unknown_formats(request.formats); !unknown.empty()) {
            report.status = "failed";
            report.problem = m_roster + ": line " + std::to_string(row.line) +
                             ": formats: unknown writer '" + unknown.front() + "'";
            return result;
        }

        result.ran = true;
        result.outcome = run_plan(request);
        PlanOutcome& outcome = result.outcome;
        if (!m_common.quiet) {
            for (const auto& notice : outcome.notices) {
                std::cerr << "note: " << row.id << ": " << notice << '\n';
            }
        }
        if (cache) {
            for (; cache_warnings_shown < cache->warnings().size(); ++cache_warnings_shown) {
                std::cerr << "warning: " << cache->warnings()[cache_warnings_shown] << '\n';
            }
        }
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
        for (const auto& file : outcome.files) {
            report.files.push_back(row.id + "/" + file.name);
            report.created += file.status == "created" ? 1 : 0;
            report.updated += file.status == "updated" ? 1 : 0;
            report.unchanged += file.status == "unchanged" ? 1 : 0;
        }
        return result;
    };

    // First pass: every athlete may stop at an up-to-date folder. When all of
    // them did and the roster-wide files are as the last run wrote them,
    // nothing is planned or written; otherwise the up-to-date athletes are
    // planned again (their inputs come from the cache and their files stay
    // untouched), since the roster-wide files need every athlete's plan.
    const std::string fingerprint = batch_fingerprint(
        m_roster, m_today_day ? format_date(civil_from_days(*m_today_day)) : "", m_format_list);
    std::vector<RowResult> rows;
    rows.reserve(roster.size());
    bool all_up_to_date = true;
    std::size_t done = 0;
    for (const auto& row : roster) {
        ++done;
        if (progress) {
            std::fprintf(stderr, "\r\033[Kathlete %zu/%zu: %s", done, roster.size(),
                         row.id.c_str());
            std::fflush(stderr);
        }
        rows.push_back(plan_row(row, true));
        if (rows.back().ran && !rows.back().outcome.up_to_date &&
            rows.back().report.status != "failed") {
            all_up_to_date = false;
        }
    }
    if (progress) {
        std::fprintf(stderr, "\r\033[K");
        std::fflush(stderr);
    }
    const std::filesystem::path out_dir(m_out);
    std::optional<nlohmann::json> state;
    if (all_up_to_date) {
        state = matching_batch_state(out_dir, fingerprint);
    }
    if (!state) {
        for (std::size_t i = 0; i < rows.size(); ++i) {
            if (rows[i].ran && rows[i].outcome.up_to_date) {
                rows[i] = plan_row(roster[i], false);
            }
        }
    }

    std::vector<AthleteReport> reports;
    std::vector<PlannedAthlete> planned;
    int exit = exit_ok;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        auto& r = rows[i];
        if (state) {
            // Up to date: the report lines are the last run's, every file unchanged.
            const auto& stored = (*state)["athletes"];
            if (i < stored.size() && stored[i].is_object()) {
                r.report.status = stored[i].value("status", r.report.status);
                r.report.problem = stored[i].value("problem", r.report.problem);
                r.report.phase = stored[i].value("phase", "");
                r.report.sessions = stored[i].value("sessions", std::size_t{0});
                r.report.unchanged = stored[i].value("files", std::size_t{0});
            }
        }
        if (!m_common.quiet) {
            for (const auto& rejected : r.rejected) {
                std::cerr << r.report.id << ": rejected: " << rejected << '\n';
            }
        }
        if (r.report.status != "ok") {
            exit = exit_partial;
        }
        if (r.report.status != "failed") {
            planned.push_back({&r.outcome.plan, r.options});
        }
        reports.push_back(r.report);
    }

    // Roster-wide files and the summary, through the same atomic,
    // unchanged-is-not-rewritten sink.
    std::size_t failed = 0;
    for (const auto& report : reports) {
        if (report.status == "failed") {
            ++failed;
            std::cerr << report.id << ": not planned: " << report.problem << '\n';
        }
    }
    std::vector<std::pair<std::string, std::string>> roster_files;
    if (state) {
        for (const char* name : roster_file_names) {
            roster_files.emplace_back(name, "unchanged");
        }
    } else {
        try {
            FolderSink sink{out_dir};
            sink.put("trainingpeaks.json", roster_trainingpeaks_json(planned, writers));
            sink.put("plans.csv", roster_csv(planned, writers));
            sink.put("summary.csv", summary_csv(reports));
            sink.put("summary.html",
                     summary_html(reports, std::filesystem::path(m_roster).filename().string()));
            for (const auto& entry : sink.entries()) {
                roster_files.emplace_back(entry.path.filename().string(),
                                          entry.outcome == FolderSink::Outcome::created
                                              ? "created"
                                              : (entry.outcome == FolderSink::Outcome::updated
                                                     ? "updated"
                                                     : "unchanged"));
            }
            // Last, once everything it describes is in place.
            nlohmann::ordered_json doc;
            doc["fingerprint"] = fingerprint;
            doc["files"] = nlohmann::ordered_json::object();
            for (const char* name : roster_file_names) {
                doc["files"][name] = {{"size", std::filesystem::file_size(out_dir / name)},
                                      {"hash", hex64(hash_file((out_dir / name).string()))}};
            }
            doc["athletes"] = nlohmann::ordered_json::array();
            for (const auto& r : reports) {
                doc["athletes"].push_back({{"id", r.id},
                                           {"status", r.status},
                                           {"problem", r.problem},
                                           {"phase", r.phase},
                                           {"sessions", r.sessions},
                                           {"files", r.created + r.updated + r.unchanged}});
            }
            sink.put(batch_state_name, doc.dump(1) + "\n");
        } catch (const std::exception& e) {
            std::cerr << "ultrastrength batch: " << e.what() << '\n';
            return exit_failed;
        }
    }

    if (m_common.json) {
        nlohmann::ordered_json doc;
        doc["roster"] = m_roster;
        doc["out"] = m_out;
        doc["athletes"] = nlohmann::ordered_json::array();
        for (const auto& r : reports) {
            nlohmann::ordered_json a;
            a["id"] = r.id;
            a["status"] = r.status;
            a["phase"] = r.phase;
            a["problem"] = r.problem;
            a["sessions"] = r.sessions;
            a["created"] = r.created;
            a["updated"] = r.updated;
            a["unchanged"] = r.unchanged;
            doc["athletes"].push_back(std::move(a));
        }
        doc["files"] = nlohmann::ordered_json::object();
        for (const auto& [name, status] : roster_files) {
            doc["files"][name] = status;
        }
        doc["inputs"] = {{"files", totals.files},
                         {"decoded", totals.decoded},
                         {"cached", totals.cached + totals.rehashed},
                         {"recognised_by_content", totals.rehashed}};
        const std::string out = doc.dump(1) + "\n";
        std::fwrite(out.data(), 1, out.size(), stdout);
    }
    if (!m_common.quiet) {
        std::size_t written = 0;
        std::size_t unchanged = 0;
        for (const auto& r : reports) {
            written += r.created + r.updated;
            unchanged += r.unchanged;
        }
        std::ostream& log = m_common.json ? std::cerr : std::cout;
        log << reports.size() << " athletes: " << (reports.size() - failed) << " planned, "
            << failed << " failed; " << written << " files written, " << unchanged
            << " unchanged; summary in " << (std::filesystem::path(m_out) / "summary.html").string()
            << '\n';
        if (m_common.verbose) {
            log << "inputs: " << describe_counts(totals) << (cache ? "" : " (no cache)") << '\n';
        }
    }
    if (failed == reports.size()) {
        return exit_failed;
    }
    return exit;
}

} // namespace ultrastrength::cli
