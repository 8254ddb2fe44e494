// `push` against local stand-ins of the three platforms (fake_platform.py,
// listening on 127.0.0.1 only and stopping by itself): first push, rerun,
// changed plan, token refresh, 403/429/500, SIGKILL mid-push; golden
// --dry-run requests; no secret in any output.
#include "../golden/cli_run.hpp"
#include "../support/temp_dir.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <map>
#include <set>
#include <thread>

namespace fs = std::filesystem;
using nlohmann::json;
using ultrastrength::test::read_file;
using ultrastrength::test::run_cli;
using ultrastrength::test::TempDir;

namespace {

const std::string source = US_SOURCE_DIR;
// Retries wait 2, 4, 8 s in real runs; a hundredth of that here.
const std::string env =
    "ULTRASTRENGTH_PUSH_DELAY_SCALE=0.01 ULTRASTRENGTH_PUSH_CONFIG=/nonexistent ";
const std::vector<std::string> secrets = {"secret-access", "secret-refresh", "stale-access",
                                          "access-1",      "refresh-1",      "access-2",
                                          "refresh-2"};

/// One fake platform process; stopped (SIGTERM, then SIGKILL) when destroyed.
class FakePlatform {
public:
    FakePlatform(const std::string& target, const fs::path& dir,
                 const std::vector<std::string>& extra = {})
        : m_dir(dir) {
        fs::create_directories(dir);
        std::vector<std::string> args = {
            US_PYTHON3,   std::string(US_PUSH_DIR) + "/fake_platform.py",
            "--target",   target,
            "--dir",      dir.string(),
            "--lifetime", "240"};
        args.insert(args.end(), extra.begin(), extra.end());
        m_pid = ::fork();
        if (m_pid == 0) {
            std::vector<char*> argv;
            for (auto& a : args) {
                argv.push_back(a.data());
            }
            argv.push_back(nullptr);
            ::execv(argv[0], argv.data());
            ::_exit(127);
        }
        for (int i = 0; i < 200 && !fs::exists(dir / "port"); ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        m_port = read_file(dir / "port");
    }
    ~FakePlatform() {
        ::kill(m_pid, SIGTERM);
        for (int i = 0; i < 100; ++i) {
            if (::waitpid(m_pid, nullptr, WNOHANG) == m_pid) {
                return;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        ::kill(m_pid, SIGKILL);
        ::waitpid(m_pid, nullptr, 0);
    }
    FakePlatform(const FakePlatform&) = delete;
    FakePlatform& operator=(const FakePlatform&) = delete;

    std::string url() const { return "http://127.0.0.1:" + m_port; }
    json state() const { return json::parse(read_file(m_dir / "state.json")); }
    bool up() const { return !m_port.empty(); }

private:
    fs::path m_dir;
    pid_t m_pid = -1;
    std::string m_port;
};

void write_config(const fs::path& path, const json& doc, mode_t mode = 0600) {
    std::ofstream(path) << doc.dump(2);
    ::chmod(path.c_str(), mode);
}

json target_config(const std::string& target, const FakePlatform& server) {
    if (target == "intervals-icu") {
        return {{"api_key", "secret-access"}, {"base_url", server.url()}};
    }
    json c = {{"access_token", "secret-access"},
              {"refresh_token", "secret-refresh"},
              {"client_id", "ultrastrength-test"},
              {"token_url", server.url() + "/oauth/token"},
              {"base_url", server.url()}};
    if (target == "trainingpeaks") {
        c["athlete_id"] = "4242";
    }
    return c;
}

/// Plans the sample athlete into `out` (FIT and TrainingPeaks files; the
/// TrainingPeaks JSON is written only with the athlete's TrainingPeaks id).
void plan(const fs::path& out, const std::string& extra = "") {
    const auto r = run_cli("plan '" + source + "/samples/athlete' --out '" + out.string() +
                           "' --format garmin-fit,trainingpeaks --trainingpeaks-athlete-id 4242 "
                           "--quiet " +
                           extra);
    ASSERT_EQ(r.exit_code, 0) << r.err;
}

ultrastrength::test::CliResult push(const std::string& target, const fs::path& dir,
                                    const fs::path& config, const std::string& extra = "") {
    auto r = run_cli("push " + target + " '" + dir.string() + "' --config '" + config.string() +
                     "' --today 2026-11-22 " + extra);
    for (const auto& secret : secrets) {
        EXPECT_EQ(r.out.find(secret), std::string::npos) << secret << " printed";
        EXPECT_EQ(r.err.find(secret), std::string::npos) << secret << " printed";
    }
    return r;
}

struct PlannedSession {
    std::string date;
    std::string title;
};

/// The sessions of the plan in `dir`, as session id -> {date, title}. With
/// `writer_names`, the title is the workout name the file writers gave the
/// session (the TrainingPeaks file's Title, one per day in the sample plan),
/// which the Garmin Training API push must use too: a workout pushed and one
/// imported from the files have one name.
std::map<std::string, PlannedSession> planned(const fs::path& dir, bool writer_names = false) {
    std::map<std::string, std::string> day_title;
    if (writer_names) {
        for (const auto& entry : fs::directory_iterator(dir / "trainingpeaks")) {
            if (entry.path().extension() == ".json") {
                const auto w = json::parse(read_file(entry.path()));
                const bool first = day_title.emplace(w["WorkoutDay"], w["Title"]).second;
                EXPECT_TRUE(first) << "two sessions on " << w["WorkoutDay"];
            }
        }
    }
    std::map<std::string, PlannedSession> out;
    const auto doc = json::parse(read_file(dir / "plan.json"));
    for (const auto& s : doc["sessions"]) {
        const std::string date = s["date"];
        out[s["id"]] = {date, writer_names ? day_title.at(date) : s["title"].get<std::string>()};
    }
    return out;
}

std::string marked_id(const std::string& description) {
    const std::string marker = "ultrastrength-id: ";
    const auto at = description.rfind(marker);
    return at == std::string::npos ? std::string() : description.substr(at + marker.size());
}

/// What the platform holds, as session id -> {date, title}; `orphans` counts
/// Garmin workouts on no calendar day.
std::map<std::string, PlannedSession> held(const std::string& target, const json& state,
                                           int* orphans = nullptr) {
    std::map<std::string, PlannedSession> out;
    const auto& store = state["store"];
    if (target == "intervals-icu") {
        for (const auto& [id, e] : store.items()) {
            out[id] = {e["start_date_local"].get<std::string>().substr(0, 10), e["name"]};
        }
    } else if (target == "trainingpeaks") {
        for (const auto& [id, w] : store.items()) {
            // The title is the writer's workout name ("W1 Tue Heavy+Corrective"),
            // not the plan's title: the writer tests check it; here only which
            // sessions on which days.
            out[marked_id(w["Description"])] = {w["WorkoutDay"], std::string()};
        }
    } else {
        std::set<std::string> scheduled;
        for (const auto& [id, s] : state["schedules"].items()) {
            const auto wid = s["workoutId"].dump();
            scheduled.insert(wid);
            const auto& w = store[wid];
            out[marked_id(w["description"])] = {s["date"], w["workoutName"]};
        }
        if (orphans != nullptr) {
            *orphans = static_cast<int>(store.size() - scheduled.size());
        }
    }
    return out;
}

bool same(const std::map<std::string, PlannedSession>& a,
          const std::map<std::string, PlannedSession>& b) {
    if (a.size() != b.size()) {
        return false;
    }
    for (const auto& [id, s] : a) {
        const auto it = b.find(id);
        if (it == b.end() || it->second.date != s.date) {
            return false;
        }
        if (!s.title.empty() && !it->second.title.empty() && it->second.title != s.title) {
            return false;
        }
    }
    return true;
}

std::vector<json> writes(const json& state, std::size_t from = 0) {
    std::vector<json> out;
    const auto& log = state["log"];
    for (std::size_t i = from; i < log.size(); ++i) {
        if (log[i]["method"] != "GET" && log[i]["path"] != "/oauth/token") {
            out.push_back(log[i]);
        }
    }
    return out;
}

void expect_no_secret_in(const fs::path& folder) {
    for (const auto& entry : fs::recursive_directory_iterator(folder)) {
        if (!entry.is_regular_file()) {
            continue;
        }
        const auto text = read_file(entry.path());
        for (const auto& secret : secrets) {
            EXPECT_EQ(text.find(secret), std::string::npos) << secret << " in " << entry.path();
        }
    }
}

class PushTarget : public ::testing::TestWithParam<std::string> {};

} // namespace

// First push creates every session; a rerun sends no write; a changed plan
// updates and deletes exactly the affected sessions.
TEST_P(PushTarget, CreatesThenLeavesUnchangedThenUpdatesAndDeletesExactly) {
    const auto target = GetParam();
    TempDir tmp;
    FakePlatform server(target, tmp.path / "server");
    ASSERT_TRUE(server.up());
    const auto plans = tmp.path / "plans";
    plan(plans);
    write_config(tmp.path / "push.json", {{target, target_config(target, server)}});

    auto r = push(target, plans, tmp.path / "push.json");
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    const auto first = planned(plans, target == "garmin-training-api");
    ASSERT_EQ(first.size(), 8U);
    EXPECT_TRUE(same(held(target, server.state()), first));
    EXPECT_NE(r.out.find("8 created, 0 updated, 0 deleted, 0 unchanged, 0 failed"),
              std::string::npos)
        << r.out;
    const auto after_first = server.state()["log"].size();

    r = push(target, plans, tmp.path / "push.json");
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_NE(r.out.find("0 created, 0 updated, 0 deleted, 8 unchanged"), std::string::npos)
        << r.out;
    EXPECT_EQ(server.state()["log"].size(), after_first)
        << "a rerun with nothing changed sent requests";

    // The plan changes: three weeks instead of four and a known 1RM.
    const auto old_plan = json::parse(read_file(plans / "plan.json"));
    plan(plans, "--weeks 3 --1rm rfe_split_squat_db=80");
    const auto second = planned(plans, target == "garmin-training-api");
    const auto new_plan = json::parse(read_file(plans / "plan.json"));
    std::set<std::string> changed;
    std::set<std::string> gone;
    for (const auto& s : old_plan["sessions"]) {
        bool kept = false;
        for (const auto& n : new_plan["sessions"]) {
            if (n["id"] == s["id"]) {
                kept = true;
                if (n != s) {
                    changed.insert(s["id"]);
                }
            }
        }
        if (!kept) {
            gone.insert(s["id"]);
        }
    }
    ASSERT_FALSE(changed.empty());
    ASSERT_FALSE(gone.empty());
    r = push(target, plans, tmp.path / "push.json");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    const auto state = server.state();
    EXPECT_TRUE(same(held(target, state), second));
    for (const auto& id : changed) {
        EXPECT_NE(r.out.find("updated  " + id.substr(8, 10) + "  " + id), std::string::npos)
            << r.out;
    }
    for (const auto& id : gone) {
        EXPECT_NE(r.out.find("deleted  " + id.substr(8, 10) + "  " + id), std::string::npos)
            << r.out;
    }
    // Exactly those: one write per updated session (Garmin: workout and
    // schedule), one delete per removed one (Garmin: schedule and workout).
    const auto sent = writes(state, after_first);
    const std::size_t per = target == "garmin-training-api" ? 2 : 1;
    EXPECT_EQ(sent.size(), per * (changed.size() + gone.size())) << state["log"].dump(1);
    for (const auto& w : sent) {
        const auto body = w.value("body", json()).dump();
        bool about_affected = w["method"] == "DELETE";
        for (const auto& id : changed) {
            about_affected =
                about_affected || body.find(id) != std::string::npos || w["method"] == "PUT";
        }
        for (const auto& id : gone) {
            about_affected = about_affected || body.find(id) != std::string::npos;
        }
        EXPECT_TRUE(about_affected) << w.dump();
    }
    expect_no_secret_in(plans);
}

// 401: the token is refreshed once, the rotated tokens are written back
// (still mode 0600), and the request goes through.
TEST_P(PushTarget, ExpiredTokenIsRefreshedAndWrittenBack) {
    const auto target = GetParam();
    if (target == "intervals-icu") {
        GTEST_SKIP() << "an API key does not expire";
    }
    TempDir tmp;
    FakePlatform server(target, tmp.path / "server");
    const auto plans = tmp.path / "plans";
    plan(plans);
    auto config = target_config(target, server);
    config["access_token"] = "stale-access";
    write_config(tmp.path / "push.json", {{target, config}});
    const auto r = push(target, plans, tmp.path / "push.json");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    const auto saved = json::parse(read_file(tmp.path / "push.json"))[target];
    EXPECT_EQ(saved["access_token"], "access-1");
    EXPECT_EQ(saved["refresh_token"], "refresh-1");
    struct stat info {};
    ASSERT_EQ(::stat((tmp.path / "push.json").c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 0777, 0600U);
    EXPECT_TRUE(
        same(held(target, server.state()), planned(plans, target == "garmin-training-api")));
    int refreshes = 0;
    const auto state = server.state();
    for (const auto& entry : state["log"]) {
        refreshes += entry["path"] == "/oauth/token" ? 1 : 0;
    }
    EXPECT_EQ(refreshes, 1);
    expect_no_secret_in(plans);
}

// 429 and 500: retried with backoff within the bound; a request that keeps
// failing fails its session only, and the next run completes.
TEST_P(PushTarget, RetriesThenReportsAndResumes) {
    const auto target = GetParam();
    const std::string create = target == "intervals-icu"   ? "POST:/api/v1/athlete/0/events/bulk"
                               : target == "trainingpeaks" ? "POST:/v2/workouts/plan"
                                                           : "POST:/workoutportal/workout/v2";
    TempDir tmp;
    FakePlatform server(target, tmp.path / "server",
                        {"--fault", create + ":429:2", "--fault", create + ":500:4"});
    const auto plans = tmp.path / "plans";
    plan(plans);
    write_config(tmp.path / "push.json", {{target, target_config(target, server)}});
    auto r = push(target, plans, tmp.path / "push.json");
    // Session 1: 429, 429, 500, 500 -> failed after 4 tries; session 2: 500, 500, ok.
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    EXPECT_NE(r.err.find("failed  2026-11-24"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("HTTP 500"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("gave up after 4 tries"), std::string::npos) << r.err;
    EXPECT_NE(r.out.find("7 created"), std::string::npos) << r.out;
    r = push(target, plans, tmp.path / "push.json");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("1 created, 0 updated, 0 deleted, 7 unchanged"), std::string::npos)
        << r.out;
    EXPECT_TRUE(
        same(held(target, server.state()), planned(plans, target == "garmin-training-api")));
}

// SIGKILL in the middle of a push, then a rerun: the platform holds exactly the plan.
TEST_P(PushTarget, KilledMidPushThenRerunHoldsExactlyThePlan) {
    const auto target = GetParam();
    TempDir tmp;
    FakePlatform server(target, tmp.path / "server", {"--delay", "0.25"});
    const auto plans = tmp.path / "plans";
    plan(plans);
    write_config(tmp.path / "push.json", {{target, target_config(target, server)}});
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::setenv("ULTRASTRENGTH_PUSH_CONFIG", "/nonexistent", 1);
        const std::string config = (tmp.path / "push.json").string();
        const std::string dir = plans.string();
        ::execl(US_CLI, US_CLI, "push", target.c_str(), dir.c_str(), "--config", config.c_str(),
                "--today", "2026-11-22", "--quiet", static_cast<char*>(nullptr));
        ::_exit(127);
    }
    // Kill while the platform is in the middle of a write (bounded wait).
    const std::size_t kill_after = target == "garmin-training-api" ? 5 : 3;
    for (int i = 0; i < 400 && writes(server.state()).size() < kill_after; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
    ASSERT_LT(writes(server.state()).size(), 8U) << "the push ended before it was killed";

    const auto r = push(target, plans, tmp.path / "push.json");
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    int orphans = 0;
    EXPECT_TRUE(same(held(target, server.state(), &orphans),
                     planned(plans, target == "garmin-training-api")))
        << server.state()["store"].dump(1);
    // The Training API lists schedules, not workouts: a workout created in the
    // instant of the kill, before it was scheduled, cannot be found again.
    EXPECT_LE(orphans, 1);
    const auto again = push(target, plans, tmp.path / "push.json");
    EXPECT_NE(again.out.find("8 unchanged"), std::string::npos) << again.out;
}

INSTANTIATE_TEST_SUITE_P(Targets, PushTarget,
                         ::testing::Values("intervals-icu", "trainingpeaks", "garmin-training-api"),
                         [](const auto& param_info) {
                             std::string name = param_info.param;
                             std::erase(name, '-');
                             return name;
                         });

// TrainingPeaks 403: a basic athlete's future workouts. Sent and refused by
// the platform (reported), or, when the config says "basic", refused before sending.
TEST(PushTrainingPeaks, BasicAthleteFutureWorkoutsAreForbidden) {
    TempDir tmp;
    FakePlatform server("trainingpeaks", tmp.path / "server", {"--basic"});
    const auto plans = tmp.path / "plans";
    plan(plans);
    auto config = target_config("trainingpeaks", server);
    write_config(tmp.path / "push.json", {{"trainingpeaks", config}});
    auto r = push("trainingpeaks", plans, tmp.path / "push.json", "--attempts 4");
    EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
    EXPECT_NE(r.err.find("HTTP 403"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("Premium athlete or a coach"), std::string::npos) << r.err;
    const auto sent = writes(server.state()).size();
    EXPECT_EQ(sent, 8U) << "403 is not retried";

    config["account"] = "basic";
    write_config(tmp.path / "push.json", {{"trainingpeaks", config}});
    r = push("trainingpeaks", plans, tmp.path / "push.json");
    EXPECT_EQ(r.exit_code, 3);
    EXPECT_NE(r.err.find("refused  2026-11-24"), std::string::npos) << r.err;
    EXPECT_EQ(writes(server.state()).size(), sent) << "refused sessions are not sent";
}

TEST(PushTrainingPeaks, DateWindowIsCheckedBeforeSending) {
    TempDir tmp;
    FakePlatform server("trainingpeaks", tmp.path / "server");
    const auto plans = tmp.path / "plans";
    plan(plans);
    write_config(tmp.path / "push.json",
                 {{"trainingpeaks", target_config("trainingpeaks", server)}});
    const auto r = run_cli("push trainingpeaks '" + plans.string() + "' --config '" +
                           (tmp.path / "push.json").string() + "' --today 2025-11-01");
    EXPECT_EQ(r.exit_code, 3);
    EXPECT_NE(r.err.find("at most a year ahead"), std::string::npos) << r.err;
    EXPECT_TRUE(writes(server.state()).empty());
}

TEST(PushCredentials, ConfigReadableByOthersIsRefused) {
    TempDir tmp;
    const auto plans = tmp.path / "plans";
    plan(plans);
    write_config(tmp.path / "push.json", {{"intervals-icu", {{"api_key", "secret-access"}}}}, 0644);
    const auto r = push("intervals-icu", plans, tmp.path / "push.json");
    EXPECT_EQ(r.exit_code, 3);
    EXPECT_NE(r.err.find("readable by group or others; run `chmod 600`"), std::string::npos)
        << r.err;
}

TEST(PushCredentials, MissingCredentialsStopWithoutPrompting) {
    TempDir tmp;
    const auto plans = tmp.path / "plans";
    plan(plans);
    const auto r = run_cli("push trainingpeaks '" + plans.string() + "' --config '" +
                           (tmp.path / "none.json").string() + "' --today 2026-11-22 </dev/null");
    EXPECT_EQ(r.exit_code, 3);
    EXPECT_NE(r.err.find("push --login trainingpeaks"), std::string::npos) << r.err;
}

TEST(PushCredentials, EnvironmentVariablesWork) {
    TempDir tmp;
    FakePlatform server("intervals-icu", tmp.path / "server");
    const auto plans = tmp.path / "plans";
    plan(plans);
    write_config(tmp.path / "push.json", {{"intervals-icu", {{"base_url", server.url()}}}});
    const auto r = run_cli("push intervals-icu '" + plans.string() + "' --config '" +
                           (tmp.path / "push.json").string() + "' --today 2026-11-22 --quiet");
    EXPECT_EQ(r.exit_code, 3) << "no key anywhere";
    const auto ok = run_cli("push intervals-icu '" + plans.string() + "' --config '" +
                            (tmp.path / "push.json").string() + "' --today 2026-11-22");
    (void)ok;
    ::setenv("ULTRASTRENGTH_INTERVALS_ICU_API_KEY", "secret-access", 1);
    const auto with_env = push("intervals-icu", plans, tmp.path / "push.json");
    ::unsetenv("ULTRASTRENGTH_INTERVALS_ICU_API_KEY");
    EXPECT_EQ(with_env.exit_code, 0) << with_env.err;
    EXPECT_TRUE(same(held("intervals-icu", server.state()), planned(plans)));
}

TEST(PushLogin, CodeIsExchangedWithPkceAndTokensSaved) {
    TempDir tmp;
    FakePlatform server("garmin-training-api", tmp.path / "server");
    const auto config = tmp.path / "push.json";
    write_config(config, {{"garmin-training-api",
                           {{"client_id", "ultrastrength-test"},
                            {"redirect_uri", "http://127.0.0.1/callback"},
                            {"token_url", server.url() + "/oauth/token"}}}});
    auto r = run_cli("push --login garmin-training-api --config '" + config.string() + "'");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("code_challenge_method=S256"), std::string::npos) << r.out;
    r = run_cli("push --login garmin-training-api --code good-code --config '" + config.string() +
                "'");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    const auto saved = json::parse(read_file(config))["garmin-training-api"];
    EXPECT_EQ(saved["access_token"], "access-1");
    EXPECT_EQ(saved["refresh_token"], "refresh-1");
    EXPECT_EQ(r.out.find("access-1"), std::string::npos);
}

// ---- golden --dry-run requests ----------------------------------------------

namespace {

/// Compares a dry-run folder with tests/push/golden/NAME (US_UPDATE_GOLDEN=1 rewrites it).
void expect_golden(const fs::path& got, const std::string& name) {
    const fs::path want = fs::path(US_PUSH_DIR) / "golden" / name;
    if (std::getenv("US_UPDATE_GOLDEN") != nullptr) {
        fs::remove_all(want);
        fs::create_directories(want);
        for (const auto& entry : fs::directory_iterator(got)) {
            fs::copy_file(entry.path(), want / entry.path().filename());
        }
    }
    std::set<std::string> got_names;
    std::set<std::string> want_names;
    for (const auto& entry : fs::directory_iterator(got)) {
        got_names.insert(entry.path().filename().string());
    }
    for (const auto& entry : fs::directory_iterator(want)) {
        want_names.insert(entry.path().filename().string());
    }
    EXPECT_EQ(got_names, want_names) << name;
    for (const auto& file : want_names) {
        EXPECT_EQ(read_file(got / file), read_file(want / file)) << name << "/" << file;
    }
}

std::string dry_run(const std::string& target, const fs::path& dir, const fs::path& out,
                    const std::string& config_json) {
    const auto config = out.parent_path() / (target + ".json");
    write_config(config, json::parse(config_json));
    const auto r = run_cli("push " + target + " '" + dir.string() + "' --dry-run '" + out.string() +
                           "' --config '" + config.string() + "' --today 2026-11-22");
    EXPECT_TRUE(r.exit_code == 0 || r.exit_code == 1) << r.err;
    for (const auto& secret : secrets) {
        EXPECT_EQ(r.out.find(secret), std::string::npos);
    }
    expect_no_secret_in(out);
    return r.out + r.err;
}

} // namespace

TEST(PushDryRun, SampleAthleteRequestsMatchGolden) {
    TempDir tmp;
    const auto plans = tmp.path / "plans";
    plan(plans);
    const std::map<std::string, std::string> configs = {
        {"intervals-icu", R"({"intervals-icu": {"api_key": "secret-access"}})"},
        {"trainingpeaks",
         R"({"trainingpeaks": {"access_token": "secret-access", "athlete_id": "4242"}})"},
        {"garmin-training-api", R"({"garmin-training-api": {"access_token": "secret-access"}})"},
    };
    for (const auto& [target, config] : configs) {
        const auto out = tmp.path / ("dry-" + target);
        dry_run(target, plans, out, config);
        expect_golden(out, "athlete-" + target);
        EXPECT_FALSE(fs::exists(plans / (".ultrastrength-push-" + target + ".json")))
            << "a dry run records nothing";
    }
}

TEST(PushDryRun, SampleRosterRequestsMatchGolden) {
    TempDir tmp;
    const auto plans = tmp.path / "roster";
    const auto b = run_cli("batch '" + source + "/samples/roster/roster.csv' --out '" +
                           plans.string() + "' --quiet");
    ASSERT_EQ(b.exit_code, 0) << b.err;
    const auto out = tmp.path / "dry-trainingpeaks";
    const auto text = dry_run("trainingpeaks", plans, out,
                              R"({"trainingpeaks": {"access_token": "secret-access"}})");
    expect_golden(out, "roster-trainingpeaks");
    // Sam's row gives no TrainingPeaks athlete id: refused before sending.
    EXPECT_NE(text.find("refused  2026-"), std::string::npos) << text;
    EXPECT_NE(text.find("no TrainingPeaks athlete id"), std::string::npos) << text;
}

// The Garmin Training API workout JSON, checked with Ajv against the schema
// written from the documented fields.
TEST(PushGarminTraining, WorkoutJsonMatchesTheDocumentedSchema) {
    TempDir tmp;
    const auto plans = tmp.path / "plans";
    plan(plans);
    const auto out = tmp.path / "dry";
    dry_run("garmin-training-api", plans, out,
            R"({"garmin-training-api": {"access_token": "secret-access"}})");
    std::vector<std::string> files;
    for (const auto& entry : fs::directory_iterator(out)) {
        const auto text = read_file(entry.path());
        if (text.rfind("POST https://apis.garmin.com/workoutportal/workout/v2\n", 0) != 0) {
            continue;
        }
        const auto body = text.substr(text.find("\n\n") + 2);
        const auto file = tmp.path / (entry.path().stem().string() + ".json");
        std::ofstream(file) << body;
        files.push_back(file.string());
    }
    ASSERT_EQ(files.size(), 8U);
    std::string command = std::string(US_NODE) + " '" + US_INTEROP_DIR + "/validate_json.mjs' '" +
                          source + "/schemas/garmin-training-workout.schema.json'";
    for (const auto& f : files) {
        command += " '" + f + "'";
    }
    FILE* pipe = ::popen(command.c_str(), "r");
    ASSERT_NE(pipe, nullptr);
    std::string text;
    char buf[4096];
    for (std::size_t n = 0; (n = std::fread(buf, 1, sizeof buf, pipe)) > 0;) {
        text.append(buf, n);
    }
    ASSERT_EQ(::pclose(pipe), 0) << text;
    for (const auto& result : json::parse(text)) {
        EXPECT_TRUE(result["valid"].get<bool>()) << result.dump();
    }
}

// A coach's nightly run: `batch --push trainingpeaks` plans the roster and
// pushes every athlete with a TrainingPeaks athlete id; Sam's row has none.
TEST(PushBatch, RosterIsPlannedThenPushed) {
    TempDir tmp;
    FakePlatform server("trainingpeaks", tmp.path / "server");
    auto config = target_config("trainingpeaks", server);
    config.erase("athlete_id");
    write_config(tmp.path / "push.json", {{"trainingpeaks", config}});
    const auto plans = tmp.path / "roster";
    auto r = run_cli("batch '" + source + "/samples/roster/roster.csv' --out '" + plans.string() +
                     "' --today 2026-11-22 --push trainingpeaks --push-config '" +
                     (tmp.path / "push.json").string() + "'");
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    EXPECT_NE(r.err.find("no TrainingPeaks athlete id"), std::string::npos) << r.err;
    std::map<std::string, PlannedSession> want;
    for (const char* athlete : {"alex", "jana"}) {
        const auto one = planned(plans / athlete);
        want.insert(one.begin(), one.end());
    }
    const auto state = server.state();
    EXPECT_TRUE(same(held("trainingpeaks", state), want))
        << held("trainingpeaks", state).size() << " held, " << want.size() << " planned\n"
        << r.out;
    for (const auto& [id, workout] : state["store"].items()) {
        const auto athlete = workout["AthleteId"].get<long>();
        EXPECT_TRUE(athlete == 1184321 || athlete == 1184322) << athlete;
    }
    for (const auto& secret : secrets) {
        EXPECT_EQ(r.out.find(secret), std::string::npos);
        EXPECT_EQ(r.err.find(secret), std::string::npos);
    }
}
