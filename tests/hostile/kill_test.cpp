// A plan killed at any moment, then a shorter plan in the same folder: the
// folder must equal what a clean shorter plan writes, with nothing the
// killed run left behind (README "Unattended runs"; the manifest is written
// before the files it lists, plugins/writer.hpp write_managed_folder).
#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace fs = std::filesystem;

namespace {

fs::path scratch(const std::string& name) {
    const auto dir =
        fs::temp_directory_path() / ("us-kill-" + std::to_string(::getpid()) + "-" + name);
    fs::remove_all(dir);
    return dir;
}

/// Starts `US_CLI plan samples/athlete --weeks W --out OUT` with output to
/// /dev/null; returns the child's pid.
pid_t start_plan(int weeks, const fs::path& out, const fs::path& cache) {
    const pid_t pid = ::fork();
    if (pid == 0) {
        const int null = ::open("/dev/null", O_WRONLY);
        ::dup2(null, 1);
        ::dup2(null, 2);
        const std::string input = std::string(US_SOURCE_DIR) + "/samples/athlete";
        const std::string w = std::to_string(weeks);
        // US_TEST_CLI runs the test against another build (an older one, to
        // see it fail there).
        const char* cli =
            std::getenv("US_TEST_CLI") != nullptr ? std::getenv("US_TEST_CLI") : US_CLI;
        ::execl(cli, cli, "plan", input.c_str(), "--weeks", w.c_str(), "--out", out.c_str(),
                "--cache", cache.c_str(), "--quiet", static_cast<char*>(nullptr));
        ::_exit(127);
    }
    return pid;
}

int wait_exit(pid_t pid) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/// Every file below `dir` (relative name -> bytes); the lock file only by
/// name, since it holds the pid of the last run.
std::map<std::string, std::string> snapshot(const fs::path& dir) {
    std::map<std::string, std::string> files;
    for (const auto& entry : fs::recursive_directory_iterator(dir)) {
        if (entry.is_directory()) {
            continue;
        }
        const std::string name = fs::relative(entry.path(), dir).generic_string();
        std::ifstream in(entry.path(), std::ios::binary);
        std::ostringstream bytes;
        bytes << in.rdbuf();
        files[name] = name == ".ultrastrength.lock" ? std::string() : bytes.str();
    }
    return files;
}

std::string differences(const std::map<std::string, std::string>& got,
                        const std::map<std::string, std::string>& want) {
    std::string out;
    for (const auto& [name, bytes] : got) {
        const auto it = want.find(name);
        if (it == want.end()) {
            out += "  extra: " + name + "\n";
        } else if (it->second != bytes) {
            out += "  differs: " + name + "\n";
        }
    }
    for (const auto& [name, bytes] : want) {
        if (got.count(name) == 0) {
            out += "  missing: " + name + "\n";
        }
    }
    return out;
}

} // namespace

TEST(KilledPlan, TwentyKillsThenAShortPlanLeaveExactlyTheShortPlan) {
    const fs::path cache = scratch("cache") / "features.sqlite";
    fs::create_directories(cache.parent_path());
    const fs::path reference = scratch("reference");
    ASSERT_EQ(wait_exit(start_plan(2, reference, cache)), 0);
    const auto want = snapshot(reference);
    ASSERT_GT(want.size(), 5U);

    // How long a whole long plan takes (the cache warm, as in the trials).
    const fs::path timing = scratch("timing");
    const auto t0 = std::chrono::steady_clock::now();
    ASSERT_EQ(wait_exit(start_plan(52, timing, cache)), 0);
    const auto long_run = std::chrono::steady_clock::now() - t0;
    const auto long_files = snapshot(timing).size();
    ASSERT_GT(long_files, want.size() * 4);
    fs::remove_all(timing);

    const fs::path out = scratch("out");
    std::mt19937 random(20261202);
    // Kill moments are drawn over the measured length of a long plan. A run
    // that ends before its kill (the machine got faster) is not counted: the
    // window shrinks and the trial is drawn again, so all 20 kills land while
    // a long plan runs, whatever the load on the machine.
    auto window = std::chrono::duration_cast<std::chrono::microseconds>(long_run).count();
    int killed_while_running = 0;
    int attempts = 0;
    while (killed_while_running < 20 && attempts < 80) {
        ++attempts;
        std::uniform_int_distribution<long> moment(0, window);
        const pid_t pid = start_plan(52, out, cache);
        std::this_thread::sleep_for(std::chrono::microseconds(moment(random)));
        ::kill(pid, SIGKILL);
        int status = 0;
        ::waitpid(pid, &status, 0);
        if (WIFSIGNALED(status)) {
            ++killed_while_running;
        } else {
            window = window * 3 / 4;
        }
        ASSERT_EQ(wait_exit(start_plan(2, out, cache)), 0) << "attempt " << attempts;
        const std::string diff = differences(snapshot(out), want);
        EXPECT_TRUE(diff.empty()) << "attempt " << attempts << ":\n" << diff;
    }
    EXPECT_EQ(killed_while_running, 20) << "in " << attempts << " attempts";
    fs::remove_all(out);
    fs::remove_all(reference);
    fs::remove_all(cache.parent_path());
}
