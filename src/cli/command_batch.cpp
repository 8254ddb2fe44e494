#include "cli/command_batch.hpp"

#include "cli/analysis_options.hpp"
#include "cli/command_push.hpp"
#include "push/credentials.hpp"

#include "cli/scanning.hpp"
#include "model/text.hpp"
#include "model/time.hpp"
#include "pipeline/plan_athlete.hpp"
#include "pipeline/plan_roster.hpp"
#include "store/feature_cache.hpp"

#include <nlohmann/json.hpp>

#include <charconv>
#include <cstdio>
#include <filesystem>
#include <iostream>

namespace ultrastrength::cli {

namespace {} // namespace

std::string CommandBatch::usage() const {
    return "ultrastrength batch [OPTIONS] ROSTER.csv --out DIR [--shard K/N]\n"
           "       ultrastrength batch merge --out DIR SHARD_DIR...";
}

std::string CommandBatch::details() const {
    return "ROSTER.csv has one row per athlete (schemas/roster.schema.json): id, name,\n"
           "exports (';'-separated paths, relative to the roster's folder), races, heart-rate\n"
           "and pace settings, equipment, days, formats, the TrainingPeaks athlete id and a\n"
           "calendar name. Each athlete's plan goes to DIR/ID/ (as `plan --out DIR/ID`);\n"
           "DIR also gets trainingpeaks.json (the Partner API bodies of every athlete with a\n"
           "TrainingPeaks id), plans.csv (every session, for a spreadsheet), and summary.csv\n"
           "and summary.html for the coach (phase, weekly\n"
           "volume trend, ramp and spike flags, files written).\n\n"
           "A bad row or an unreadable export affects that athlete only: the others are\n"
           "planned, the problem is listed, and the exit status is 1. Files whose bytes\n"
           "did not change are not rewritten. The run locks DIR: a second run on the same\n"
           "folder waits with --wait, else exits 3 naming the run that holds it.\n\n"
           "Rosters beyond one machine: --shard K/N plans only the K-th of N slices of\n"
           "the roster (an athlete's slice depends on its id alone, so adding an athlete\n"
           "moves no other) into its own DIR, with a record of the slice instead of the\n"
           "roster-wide files. `batch merge --out DIR SHARD_DIR...` then makes DIR as\n"
           "one run would have: every athlete's folder, the roster-wide files and the\n"
           "summary. When a shard did not finish, merge names its missing athletes,\n"
           "writes nothing and exits 3; run that shard again alone, then merge.\n"
           "Recipes for Kubernetes, Slurm and GNU parallel: docs/cluster.md. A roster file\n"
           "named merge is planned when no SHARD_DIR follows it; ./merge always names it.\n\n"
           "Exit status: 0 every athlete planned, 1 some athletes or inputs failed,\n"
           "2 usage error, 3 nothing could be planned (bad roster, folder locked,\n"
           "athletes missing from the shards given to merge).\n\n"
           "Examples:\n"
           "  ultrastrength batch samples/roster/roster.csv --out plans/\n"
           "  ultrastrength batch roster.csv --out /srv/plans --wait --quiet   # from cron\n"
           "  ultrastrength batch roster.csv --shard 2/4 --out /nfs/coach/shard-2\n"
           "  ultrastrength batch merge --out /srv/plans /nfs/coach/shard-1 /nfs/coach/shard-2 \\\n"
           "      /nfs/coach/shard-3 /nfs/coach/shard-4\n";
}

void CommandBatch::add_options(po::options_description& options,
                               po::positional_options_description& positional) {
    // clang-format off
    options.add_options()
        ("roster", po::value(&m_roster)->value_name("ROSTER.csv"), "the roster")
        ("shard-folder", po::value(&m_shard_folders)->value_name("SHARD_DIR"),
         "batch merge: a shard's output folder")
        ("out,o", po::value(&m_out)->value_name("DIR"), "output folder (one subfolder per athlete)")
        ("format,f", po::value(&m_formats)->value_name("LIST"),
         "writers for rows without a formats column value (default: all)")
        ("today", po::value(&m_today)->value_name("DATE"),
         "plan as of this date (default: each athlete's last activity; no plan starts "
         "before today)")
        ("shard", po::value(&m_shard)->value_name("K/N"),
         "plan only the K-th (1 to N) of N slices of the roster, for `batch merge`")
        ("wait", po::bool_switch(&m_wait), "wait for another run on DIR instead of exiting")
        ("push", po::value(&m_push)->value_name("TARGET"),
         "then push every athlete's plan (as `push TARGET DIR`)")
        ("push-config", po::value(&m_push_config)->value_name("FILE"),
         "credentials for --push (default as `push`)");
    // clang-format on
    options.add(common_options(m_common));
    positional.add("roster", 1);
    positional.add("shard-folder", -1);
}

void CommandBatch::apply(const po::variables_map& vm) {
    if (vm.count("roster") == 0 || m_roster.empty()) {
        throw UsageError("no ROSTER.csv given");
    }
    if (vm.count("out") == 0 || m_out.empty()) {
        throw UsageError("--out DIR is required: the folder the plans are written to");
    }
    // `batch merge` is the subcommand, except for a roster file named "merge"
    // given alone (no SHARD_DIR follows it): that is planned. "./merge" always
    // names the file.
    std::error_code ec;
    m_merge = m_roster == "merge" &&
              (!m_shard_folders.empty() || !std::filesystem::is_regular_file(m_roster, ec));
    if (m_merge) {
        if (m_shard_folders.empty()) {
            throw UsageError("merge: no SHARD_DIR given (the --out folders of `batch --shard`)");
        }
        for (const char* option : {"shard", "format", "today"}) {
            if (vm.count(option) != 0) {
                throw UsageError(std::string("merge: --") + option +
                                 " belongs to the shards' runs, not to merge");
            }
        }
    } else if (!m_shard_folders.empty()) {
        throw UsageError("one ROSTER.csv only: '" + m_shard_folders.front() +
                         "' is one too many (`batch merge` joins shard folders)");
    }
    if (!m_shard.empty()) {
        const auto slash = m_shard.find('/');
        std::size_t k = 0;
        std::size_t n = 0;
        const char* text = m_shard.data();
        const char* end = text + m_shard.size();
        if (slash == std::string::npos ||
            std::from_chars(text, text + slash, k).ptr != text + slash ||
            std::from_chars(text + slash + 1, end, n).ptr != end || slash == 0 ||
            slash + 1 == m_shard.size() || n == 0 || k == 0 || k > n || n > 100000) {
            throw UsageError("--shard '" + m_shard +
                             "': expected K/N, the K-th of N slices, 1 <= K <= N (e.g. 2/4)");
        }
        m_shard_value = pipeline::RosterShard{k, n};
    }
    if (!m_push.empty() && std::find(push::push_targets().begin(), push::push_targets().end(),
                                     m_push) == push::push_targets().end()) {
        throw UsageError("--push: unknown target '" + m_push + "' (`push --help` lists them)");
    }
    m_format_list = m_formats.empty() ? pipeline::all_format_names() : split_list(m_formats, ',');
    if (const auto unknown = pipeline::unknown_formats(m_format_list); !unknown.empty()) {
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
    if (m_merge) {
        return run_merge();
    }
    pipeline::RosterRequest request;
    request.roster = m_roster;
    request.out = m_out;
    request.formats = m_format_list;
    request.today = m_today_day;
    request.clock_today = m_today_day ? *m_today_day : clock_today();
    request.wait_for_lock = m_wait;
    request.shard = m_shard_value;
    request.jobs = m_common.jobs;
    if (!m_common.no_cache) {
        request.cache = m_common.cache.empty() ? FeatureCache::default_path() : m_common.cache;
    }
    request.warn = [](const std::string& warning) {
        std::cerr << "warning: " << printable(warning) << '\n';
    };
    const bool progress = show_progress(m_common);
    if (progress) {
        request.progress = [](std::size_t done, std::size_t total, const std::string& id) {
            std::fprintf(stderr, "\r\033[Kathlete %zu/%zu: %s", done, total, id.c_str());
            std::fflush(stderr);
        };
    }
    const pipeline::RosterOutcome outcome = pipeline::plan_roster(request);
    if (progress) {
        std::fprintf(stderr, "\r\033[K");
        std::fflush(stderr);
    }
    return report(outcome);
}

int CommandBatch::run_merge() {
    pipeline::MergeRequest request;
    request.out = m_out;
    request.wait_for_lock = m_wait;
    for (const auto& folder : m_shard_folders) {
        request.shards.emplace_back(folder);
    }
    const pipeline::RosterOutcome outcome = pipeline::merge_roster(request);
    if (!outcome.missing.empty()) {
        for (const auto& missing : outcome.missing) {
            std::cerr << "missing: " << printable(missing) << '\n';
        }
    }
    return report(outcome);
}

int CommandBatch::report(const pipeline::RosterOutcome& outcome) const {
    const auto& reports = outcome.reports;
    if (reports.empty() && (!outcome.error.empty() || outcome.exit_code == exit_failed)) {
        // the roster itself could not be used
        std::cerr << "ultrastrength batch: " << outcome.error << '\n';
        return outcome.exit_code;
    }
    if (!m_common.quiet) {
        for (std::size_t i = 0; i < reports.size(); ++i) {
            for (const auto& rejected : outcome.rejected[i]) {
                std::cerr << reports[i].id << ": rejected: " << printable(rejected) << '\n';
            }
        }
    }
    std::size_t failed = 0;
    for (const auto& report : reports) {
        if (report.status == AthleteStatus::failed) {
            ++failed;
            std::cerr << report.id << ": not planned: " << printable(report.problem) << '\n';
        }
    }
    if (!outcome.error.empty()) {
        std::cerr << "ultrastrength batch: " << outcome.error << '\n';
        return outcome.exit_code;
    }
    print_json(outcome);
    if (!m_common.quiet) {
        std::size_t written = 0;
        std::size_t unchanged = 0;
        for (const auto& r : reports) {
            written += r.created + r.updated;
            unchanged += r.unchanged;
        }
        std::ostream& log = m_common.json ? std::cerr : std::cout;
        log << (m_shard_value ? "shard " + m_shard + ": " : std::string()) << reports.size()
            << " athletes: " << (reports.size() - failed) << " planned, " << failed << " failed; "
            << written << " files written, " << unchanged << " unchanged; ";
        if (m_shard_value) {
            log << "merge with `ultrastrength batch merge --out DIR` and every shard's folder\n";
        } else {
            log << (m_merge ? "merged; " : "") << "summary in "
                << (std::filesystem::path(m_out) / "summary.html").string() << '\n';
        }
        if (m_common.verbose) {
            log << "inputs: " << describe_counts(outcome.totals)
                << (outcome.cache_used ? "" : " (no cache)") << '\n';
        }
    }
    if (m_push.empty() || outcome.exit_code == exit_failed) {
        return outcome.exit_code;
    }
    return std::max(outcome.exit_code, push_roster());
}

int CommandBatch::push_roster() const {
    push::PushOptions options;
    options.target = m_push;
    options.folder = m_out;
    options.config =
        m_push_config.empty() ? push::default_config_path() : std::filesystem::path(m_push_config);
    // --today plans as of that day; the platforms' date windows then count from it too.
    options.today = m_today_day ? civil_from_days(*m_today_day) : local_today();
    return push_and_report(options, m_common.quiet);
}

void CommandBatch::print_json(const pipeline::RosterOutcome& outcome) const {
    if (!m_common.json) {
        return;
    }
    nlohmann::ordered_json doc;
    if (m_merge) {
        doc["shards"] = m_shard_folders;
    } else {
        doc["roster"] = m_roster;
    }
    if (m_shard_value) {
        doc["shard"] = m_shard;
    }
    doc["out"] = m_out;
    doc["athletes"] = nlohmann::ordered_json::array();
    for (const auto& r : outcome.reports) {
        nlohmann::ordered_json a;
        a["id"] = r.id;
        a["status"] = to_string(r.status);
        a["phase"] = r.phase;
        a["problem"] = r.problem;
        a["sessions"] = r.sessions;
        a["next_session"] = r.next_session;
        a["this_week_min"] = r.this_week_minutes;
        a["next_week_min"] = r.next_week_minutes;
        a["attention"] = r.attention;
        a["created"] = r.created;
        a["updated"] = r.updated;
        a["unchanged"] = r.unchanged;
        doc["athletes"].push_back(std::move(a));
    }
    doc["files"] = nlohmann::ordered_json::object();
    for (const auto& file : outcome.files) {
        doc["files"][file.name] = to_string(file.status);
    }
    const ScanCounts& totals = outcome.totals;
    doc["inputs"] = {{"files", totals.files},
                     {"decoded", totals.decoded},
                     {"cached", totals.cached + totals.rehashed},
                     {"recognised_by_content", totals.rehashed}};
    make_valid_utf8(doc); // names are bytes; JSON must be UTF-8
    const std::string out = doc.dump(1) + "\n";
    std::fwrite(out.data(), 1, out.size(), stdout);
}

} // namespace ultrastrength::cli
