// `ultrastrength batch` end to end, with the real binary, real files and a
// real SQLite cache: the sample roster, a generated roster of 50 athletes
// with a year of history each, runs killed with SIGKILL at random moments,
// and two runs started together on one output folder.
#include "store/output_lock.hpp"
#include "tests/golden/cli_run.hpp"
#include "tests/support/temp_dir.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <csignal>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <regex>
#include <set>
#include <sstream>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace fs = std::filesystem;
using nlohmann::json;
using ultrastrength::OutputLock;
using ultrastrength::test::read_file;
using ultrastrength::test::run_cli;
using ultrastrength::test::TempDir;

namespace {

const std::string sample_roster = std::string(US_SOURCE_DIR) + "/samples/roster/roster.csv";

struct FileState {
    std::string bytes;
    fs::file_time_type mtime;
};
using Snapshot = std::map<std::string, FileState>;

bool is_temporary(const std::string& name) {
    return name.size() > 12 && name.front() == '.' && name.find(".tmp-") != std::string::npos;
}

/// Every file below `root` (relative names) but the lock file; temporaries
/// left by a killed run are counted in `temporaries` instead.
Snapshot snapshot(const fs::path& root, std::size_t* temporaries = nullptr) {
    Snapshot files;
    for (const auto& entry : fs::recursive_directory_iterator(root)) {
        if (!entry.is_regular_file()) {
            continue;
        }
        const std::string name = entry.path().filename().string();
        if (name == OutputLock::file_name) {
            continue;
        }
        if (is_temporary(name)) {
            if (temporaries != nullptr) {
                ++*temporaries;
            }
            continue;
        }
        files[fs::relative(entry.path(), root).string()] = {read_file(entry.path()),
                                                            fs::last_write_time(entry.path())};
    }
    return files;
}

std::string quote(const fs::path& p) {
    std::string quoted(1, '\'');
    quoted += p.string();
    quoted += '\'';
    return quoted;
}

/// Starts the binary with `args` (no shell), output to /dev/null.
pid_t spawn(const std::vector<std::string>& args) {
    const pid_t pid = ::fork();
    if (pid == 0) {
        const int null = ::open("/dev/null", O_WRONLY);
        ::dup2(null, 1);
        ::dup2(null, 2);
        std::vector<char*> argv;
        std::string cli = US_CLI;
        argv.push_back(cli.data());
        std::vector<std::string> copy = args;
        for (auto& a : copy) {
            argv.push_back(a.data());
        }
        argv.push_back(nullptr);
        ::execv(US_CLI, argv.data());
        ::_exit(127);
    }
    return pid;
}

std::vector<std::string> batch_args(const fs::path& out, const fs::path& cache,
                                    const std::string& today) {
    return {"batch",        sample_roster, "--out", out.string(), "--cache",
            cache.string(), "--today",     today,   "--quiet"};
}

int run_to_end(const std::vector<std::string>& args) {
    int status = 0;
    ::waitpid(spawn(args), &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/// Whether every file of `ref` is in `now` with the same bytes.
bool holds_all_of(const Snapshot& now, const Snapshot& ref) {
    for (const auto& [name, state] : ref) {
        const auto it = now.find(name);
        if (it == now.end() || it->second.bytes != state.bytes) {
            return false;
        }
    }
    return true;
}

} // namespace

TEST(Batch, SampleRosterIsPlannedAndAnUnchangedSecondRunRewritesNothing) {
    TempDir dir;
    const auto out = dir.path / "plans";
    const auto cache = dir.path / "cache.sqlite";
    const std::string command = "batch " + quote(sample_roster) + " --out " + quote(out) +
                                " --cache " + quote(cache) + " --json";
    const auto first = run_cli(command);
    ASSERT_EQ(first.exit_code, 0) << first.err;
    const json doc = json::parse(first.out);
    ASSERT_EQ(doc["athletes"].size(), 3U);
    for (const auto& a : doc["athletes"]) {
        EXPECT_EQ(a["status"], "ok") << a.dump();
        EXPECT_GT(a["sessions"].get<int>(), 0) << a.dump();
        EXPECT_TRUE(fs::is_directory(out / a["id"].get<std::string>()));
    }
    EXPECT_GT(doc["inputs"]["decoded"].get<int>(), 100);

    // Roster-wide TrainingPeaks file: the workouts of every athlete with a
    // TrainingPeaks id (the Partner API requires one); sam has none.
    const json tp = json::parse(read_file(out / "trainingpeaks.json"));
    ASSERT_TRUE(tp.is_array());
    std::map<std::int64_t, int> by_athlete;
    int without_id = 0;
    for (const auto& w : tp) {
        EXPECT_EQ(w["WorkoutType"], "strength");
        if (w.contains("AthleteId")) {
            ++by_athlete[w["AthleteId"].get<std::int64_t>()];
        } else {
            ++without_id;
        }
    }
    EXPECT_GT(by_athlete[1184321], 0); // alex
    EXPECT_GT(by_athlete[1184322], 0); // jana
    EXPECT_EQ(without_id, 0);          // sam: no TrainingPeaks id, so no JSON
    EXPECT_NE(first.err.find("sam: trainingpeaks: no TrainingPeaks JSON written"),
              std::string::npos)
        << first.err;

    const std::string csv = read_file(out / "plans.csv");
    for (const char* id : {",alex,", ",jana,", ",sam,"}) {
        EXPECT_NE(csv.find(id), std::string::npos) << id;
    }
    const std::string summary = read_file(out / "summary.csv");
    EXPECT_EQ(std::count(summary.begin(), summary.end(), '\n'), 4);
    const std::string html = read_file(out / "summary.html");
    EXPECT_NE(html.find("<svg"), std::string::npos);
    for (const char* external : {"<script", "<link", "src=", "url(", "@import"}) {
        EXPECT_EQ(html.find(external), std::string::npos) << external;
    }
    // The roster's calendar name and equipment reach the athlete's files.
    bool calendar_named = false;
    for (const auto& entry : fs::recursive_directory_iterator(out / "alex")) {
        if (entry.path().extension() == ".ics") {
            calendar_named =
                calendar_named ||
                read_file(entry.path()).find("X-WR-CALNAME:Alex – strength") != std::string::npos;
        }
    }
    EXPECT_TRUE(calendar_named);

    const Snapshot before = snapshot(out);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    const auto second = run_cli(command);
    ASSERT_EQ(second.exit_code, 0) << second.err;
    const json again = json::parse(second.out);
    EXPECT_EQ(again["inputs"]["decoded"].get<int>(), 0);
    EXPECT_EQ(again["inputs"]["cached"], doc["inputs"]["files"]);
    for (const auto& a : again["athletes"]) {
        EXPECT_EQ(a["created"].get<int>() + a["updated"].get<int>(), 0) << a.dump();
    }
    for (const auto& [name, status] : again["files"].items()) {
        EXPECT_EQ(status, "unchanged") << name;
    }
    const Snapshot after = snapshot(out);
    ASSERT_EQ(after.size(), before.size());
    for (const auto& [name, state] : before) {
        ASSERT_TRUE(after.count(name)) << name;
        EXPECT_EQ(after.at(name).bytes, state.bytes) << name;
        EXPECT_EQ(after.at(name).mtime, state.mtime) << name << " was rewritten";
    }
    // Up to date: the report is the first run's, with every file unchanged.
    ASSERT_EQ(again["athletes"].size(), doc["athletes"].size());
    for (std::size_t i = 0; i < doc["athletes"].size(); ++i) {
        const auto& a = doc["athletes"][i];
        const auto& b = again["athletes"][i];
        EXPECT_EQ(b["id"], a["id"]);
        EXPECT_EQ(b["status"], a["status"]);
        EXPECT_EQ(b["phase"], a["phase"]);
        EXPECT_EQ(b["sessions"], a["sessions"]);
        EXPECT_EQ(b["unchanged"].get<int>(),
                  a["created"].get<int>() + a["updated"].get<int>() + a["unchanged"].get<int>());
    }

    // A roster-wide file deleted or altered: the next run plans every athlete
    // again and writes it back as it was; the athletes' files stay untouched.
    fs::remove(out / "summary.html");
    { std::ofstream(out / "plans.csv", std::ios::app) << "edited\n"; }
    const auto third = run_cli(command);
    ASSERT_EQ(third.exit_code, 0) << third.err;
    const Snapshot restored = snapshot(out);
    ASSERT_EQ(restored.size(), before.size());
    for (const auto& [name, state] : before) {
        ASSERT_TRUE(restored.count(name)) << name;
        EXPECT_EQ(restored.at(name).bytes, state.bytes) << name;
        if (name != "summary.html" && name != "plans.csv") {
            EXPECT_EQ(restored.at(name).mtime, state.mtime) << name << " was rewritten";
        }
    }
}

TEST(Batch, FiftyAthletesOneCorruptExportOneInvalidRow) {
    TempDir dir;
    const auto roster_dir = dir.path / "roster";
    const std::string gen = std::string(US_NODE) + " '" + US_INTEROP_DIR + "/make_roster.mjs' " +
                            quote(roster_dir) +
                            " --athletes 50 --weeks 52 --formats csv > /dev/null";
    ASSERT_EQ(std::system(gen.c_str()), 0);

    // a07's export is a corrupt zip (a local header, then garbage).
    fs::remove_all(roster_dir / "a07");
    fs::create_directories(roster_dir / "a07");
    {
        std::ofstream zip(roster_dir / "a07/export.zip", std::ios::binary);
        zip << std::string("PK\x03\x04", 4) << std::string(300, '\x7f');
    }
    // a13's row names a sex the roster does not know.
    std::string roster = read_file(roster_dir / "roster.csv");
    const auto row = roster.find("\na13,");
    ASSERT_NE(row, std::string::npos);
    const auto sex = roster.find(",female,", row);
    ASSERT_NE(sex, std::string::npos);
    roster.replace(sex, 8, ",robot,");
    { std::ofstream(roster_dir / "roster.csv", std::ios::binary | std::ios::trunc) << roster; }

    const auto out = dir.path / "out";
    const std::string command = "batch " + quote(roster_dir / "roster.csv") + " --out " +
                                quote(out) + " --cache " + quote(dir.path / "c.sqlite") +
                                " --json --jobs 2";
    const auto r = run_cli(command);
    EXPECT_EQ(r.exit_code, 1) << r.err;
    const json doc = json::parse(r.out);
    ASSERT_EQ(doc["athletes"].size(), 50U);
    int planned = 0;
    for (const auto& a : doc["athletes"]) {
        const std::string id = a["id"];
        if (id == "a07" || id == "a13") {
            EXPECT_EQ(a["status"], "failed") << a.dump();
            EXPECT_FALSE(fs::exists(out / id / "plan.json")) << id;
            continue;
        }
        EXPECT_EQ(a["status"], "ok") << a.dump();
        EXPECT_TRUE(fs::exists(out / id / "plan.json")) << id;
        planned += fs::exists(out / id / "plan.json") ? 1 : 0;
    }
    EXPECT_EQ(planned, 48);
    EXPECT_NE(r.err.find("a07/export.zip"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("line 14"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("robot"), std::string::npos) << r.err;
    EXPECT_EQ(doc["inputs"]["decoded"].get<int>(), 48 * 52 * 4 + 1); // a13 is never read

    const std::string summary = read_file(out / "summary.csv");
    EXPECT_NE(summary.find("a07,"), std::string::npos);
    EXPECT_NE(summary.find("failed"), std::string::npos);

    // Warm: nothing decoded, the same two athletes reported.
    const auto warm = run_cli(command);
    EXPECT_EQ(warm.exit_code, 1);
    EXPECT_EQ(json::parse(warm.out)["inputs"]["decoded"].get<int>(), 0);
}

TEST(Batch, KilledAtRandomMomentsLeavesOldOrNewFilesAndTheNextRunCompletes) {
    TempDir dir;
    const auto cache = dir.path / "c.sqlite";
    const auto ref_old = dir.path / "old";
    const auto ref_new = dir.path / "new";
    ASSERT_EQ(run_to_end(batch_args(ref_old, cache, "2026-11-15")), 0);
    // The new version is what a run makes of the old folder: a calendar
    // carries the folder's state on (SEQUENCE and stamps of changed events).
    fs::copy(ref_old, ref_new, fs::copy_options::recursive);
    const auto started = std::chrono::steady_clock::now();
    ASSERT_EQ(run_to_end(batch_args(ref_new, cache, "2026-11-22")), 0);
    const auto full = std::chrono::duration_cast<std::chrono::microseconds>(
        std::chrono::steady_clock::now() - started);
    const Snapshot old_files = snapshot(ref_old);
    const Snapshot new_files = snapshot(ref_new);
    ASSERT_FALSE(holds_all_of(old_files, new_files)); // the two versions differ

    std::mt19937 random(20261122);
    // Kill moments uniform over the length of a whole run. Under load a run's
    // length varies: a run that ended before its kill narrows the range.
    long bound_us = full.count();
    const auto out = dir.path / "out";
    int killed = 0;
    for (int attempt = 0; attempt < 100 && killed < 25; ++attempt) {
        fs::remove_all(out);
        fs::copy(ref_old, out, fs::copy_options::recursive);
        const pid_t pid = spawn(batch_args(out, cache, "2026-11-22"));
        std::this_thread::sleep_for(
            std::chrono::microseconds(std::uniform_int_distribution<long>(0, bound_us)(random)));
        ::kill(pid, SIGKILL);
        int status = 0;
        ::waitpid(pid, &status, 0);
        if (WIFSIGNALED(status)) {
            ++killed;
        } else {
            bound_us = bound_us * 4 / 5;
        }

        for (const auto& [name, state] : snapshot(out)) {
            const auto o = old_files.find(name);
            const auto n = new_files.find(name);
            const bool is_old = o != old_files.end() && o->second.bytes == state.bytes;
            const bool is_new = n != new_files.end() && n->second.bytes == state.bytes;
            // The manifest is written ahead of the files it lists: between the
            // two versions it names both runs' files (sorted, one per line).
            bool is_union = false;
            if (fs::path(name).filename() == ".ultrastrength-files" && o != old_files.end() &&
                n != new_files.end()) {
                std::set<std::string> both;
                for (const std::string* text : {&o->second.bytes, &n->second.bytes}) {
                    std::istringstream lines(*text);
                    for (std::string line; std::getline(lines, line);) {
                        both.insert(line);
                    }
                }
                std::string expected;
                for (const auto& line : both) {
                    expected += line + "\n";
                }
                is_union = expected == state.bytes;
            }
            EXPECT_TRUE(is_old || is_new || is_union)
                << name << " is neither version (attempt " << attempt << ")";
        }
        ASSERT_EQ(run_to_end(batch_args(out, cache, "2026-11-22")), 0) << "attempt " << attempt;
        std::size_t temporaries = 0;
        const Snapshot done = snapshot(out, &temporaries);
        EXPECT_TRUE(holds_all_of(done, new_files)) << "attempt " << attempt;
        EXPECT_EQ(temporaries, 0U) << "attempt " << attempt;
    }
    EXPECT_GE(killed, 20);
}

/// A snapshot whose calendars lack the lines that depend on the folder's
/// earlier runs (SEQUENCE, DTSTAMP, LAST-MODIFIED) and whose state files are
/// left out (they record those calendars' hashes and history).
Snapshot without_calendar_history(Snapshot files) {
    for (auto it = files.begin(); it != files.end();) {
        const std::string& name = it->first;
        if (name.size() >= 20 && name.ends_with(".ultrastrength-state")) {
            it = files.erase(it);
            continue;
        }
        if (name.ends_with(".ics")) {
            std::string kept;
            std::istringstream lines(it->second.bytes);
            for (std::string line; std::getline(lines, line);) {
                if (!line.starts_with("SEQUENCE:") && !line.starts_with("DTSTAMP:") &&
                    !line.starts_with("LAST-MODIFIED:")) {
                    kept += line + '\n';
                }
            }
            it->second.bytes = kept;
        }
        ++it;
    }
    return files;
}

TEST(Batch, TwoRunsOnOneFolderNeverInterleave) {
    TempDir dir;
    const auto cache = dir.path / "c.sqlite";
    const auto ref_a = dir.path / "a";
    const auto ref_b = dir.path / "b";
    ASSERT_EQ(run_to_end(batch_args(ref_a, cache, "2026-11-15")), 0);
    ASSERT_EQ(run_to_end(batch_args(ref_b, cache, "2026-11-22")), 0);
    const Snapshot a = snapshot(ref_a);
    const Snapshot b = snapshot(ref_b);

    const auto out = dir.path / "out";
    for (int round = 0; round < 3; ++round) {
        auto args_a = batch_args(out, cache, "2026-11-15");
        auto args_b = batch_args(out, cache, "2026-11-22");
        args_a.push_back("--wait");
        args_b.push_back("--wait");
        const pid_t pa = spawn(args_a);
        const pid_t pb = spawn(args_b);
        int sa = 0;
        int sb = 0;
        ::waitpid(pa, &sa, 0);
        ::waitpid(pb, &sb, 0);
        EXPECT_TRUE(WIFEXITED(sa) && WEXITSTATUS(sa) == 0);
        EXPECT_TRUE(WIFEXITED(sb) && WEXITSTATUS(sb) == 0);
        // Whichever ran second left its complete set: no file of the other
        // run among the names both write. Calendars and the state that keeps
        // their SEQUENCE carry the folder's history, so they are compared
        // without it.
        const Snapshot now = without_calendar_history(snapshot(out));
        EXPECT_TRUE(holds_all_of(now, without_calendar_history(a)) ||
                    holds_all_of(now, without_calendar_history(b)))
            << "round " << round;
    }

    // Without --wait the second run exits at once, naming the folder and the holder.
    OutputLock held(out.string(), false);
    const auto busy = run_cli("batch " + quote(sample_roster) + " --out " + quote(out) +
                              " --cache " + quote(cache));
    EXPECT_EQ(busy.exit_code, 3);
    EXPECT_NE(busy.err.find(out.string()), std::string::npos) << busy.err;
    EXPECT_NE(busy.err.find("another run"), std::string::npos) << busy.err;
    EXPECT_NE(busy.err.find(std::to_string(::getpid())), std::string::npos) << busy.err;
    EXPECT_NE(busy.err.find("--wait"), std::string::npos) << busy.err;
}

// A roster file named "merge" is a roster when no shard folder follows it,
// not the `batch merge` subcommand; with shard folders it is the subcommand.
TEST(Batch, RosterFileNamedMergeIsPlanned) {
    TempDir tmp;
    const fs::path athlete = fs::path(US_SOURCE_DIR) / "samples" / "athlete";
    std::ofstream(tmp.path / "merge")
        << "id,name,exports\nmia,Mia,\"" << athlete.string() << "\"\n";
    const fs::path here = fs::current_path();
    fs::current_path(tmp.path);
    const auto r = run_cli("batch merge --out '" + (tmp.path / "out").string() + "' --quiet");
    const auto sub = run_cli("batch merge --out '" + (tmp.path / "merged").string() + "' '" +
                             (tmp.path / "no-such-shard").string() + "'");
    // "./merge" names the file whatever follows it: a second argument is then
    // one roster too many, not a shard folder.
    const auto dotted =
        run_cli("batch ./merge --out '" + (tmp.path / "dotted").string() + "' --quiet");
    const auto extra = run_cli("batch ./merge --out '" + (tmp.path / "extra").string() + "' '" +
                               (tmp.path / "no-such-shard").string() + "'");
    fs::current_path(here);
    EXPECT_EQ(dotted.exit_code, 0) << dotted.err;
    EXPECT_TRUE(fs::exists(tmp.path / "dotted" / "mia" / "plan.json")) << dotted.err;
    EXPECT_EQ(extra.exit_code, 2) << extra.out << extra.err;
    EXPECT_NE(extra.err.find("is one too many"), std::string::npos) << extra.err;
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(fs::exists(tmp.path / "out" / "mia" / "plan.json")) << r.err;
    EXPECT_TRUE(fs::exists(tmp.path / "out" / "summary.csv"));
    // With a SHARD_DIR after it, "merge" is the subcommand (and the shard is missing).
    EXPECT_EQ(sub.exit_code, 3) << sub.out << sub.err;
    EXPECT_FALSE(fs::exists(tmp.path / "merged" / "mia"));
}
