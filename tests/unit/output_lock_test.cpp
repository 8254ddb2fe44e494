#include "store/output_lock.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <signal.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using namespace ultrastrength;
namespace fs = std::filesystem;

namespace {
std::string temp_folder(const char* name) {
    const auto dir = fs::temp_directory_path() / ("us-lock-" + std::to_string(::getpid()) + name);
    fs::remove_all(dir);
    return dir.string();
}

/// Forks a child that takes the lock, signals through a pipe, then sleeps.
pid_t hold_in_child(const std::string& folder) {
    int fds[2];
    if (::pipe(fds) != 0) {
        return -1;
    }
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::close(fds[0]);
        OutputLock lock(folder, true);
        const char ready = 'x';
        [[maybe_unused]] auto n = ::write(fds[1], &ready, 1);
        ::sleep(30);
        ::_exit(0);
    }
    ::close(fds[1]);
    char ready = 0;
    [[maybe_unused]] auto n = ::read(fds[0], &ready, 1);
    ::close(fds[0]);
    return pid;
}
} // namespace

TEST(OutputLock, SecondRunIsToldWhoHoldsTheFolder) {
    const std::string folder = temp_folder("busy");
    const pid_t child = hold_in_child(folder);
    ASSERT_GT(child, 0);
    try {
        OutputLock second(folder, false);
        FAIL() << "the lock was taken twice";
    } catch (const LockBusy& e) {
        const std::string message = e.what();
        EXPECT_NE(message.find("another run is writing this output folder"), std::string::npos);
        EXPECT_NE(message.find(std::to_string(child)), std::string::npos) << message;
        EXPECT_NE(message.find("--wait"), std::string::npos);
    }
    ::kill(child, SIGKILL);
    ::waitpid(child, nullptr, 0);
    fs::remove_all(folder);
}

TEST(OutputLock, KilledHolderLeavesNoStaleLockAndWaitersGetIt) {
    const std::string folder = temp_folder("killed");
    const pid_t child = hold_in_child(folder);
    ASSERT_GT(child, 0);
    std::thread killer([child] {
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        ::kill(child, SIGKILL);
    });
    const auto start = std::chrono::steady_clock::now();
    {
        OutputLock waiting(folder, true); // blocks until the kill
        EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(150));
    }
    killer.join();
    ::waitpid(child, nullptr, 0);
    OutputLock again(folder, false); // free again after release
    fs::remove_all(folder);
}

TEST(OutputLock, TakingTheLockRemovesTemporariesOfAKilledRun) {
    const auto folder = temp_folder("temporaries");
    fs::create_directories(fs::path(folder) / "athlete/fit");
    fs::create_directories(fs::path(folder) / "other");
    auto touch = [&](const std::string& relative) {
        std::ofstream(fs::path(folder) / relative) << "x";
    };
    touch(".summary.csv.tmp-a1B2c3");        // left by a killed run
    touch("athlete/fit/.w1.fit.tmp-Zz9yX8"); // in a subfolder
    touch("summary.csv");                    // real outputs stay
    touch(".hidden");
    touch("notes.tmp-abcdef");
    touch("other/" + std::string(OutputLock::file_name)); // another run's folder
    touch("other/.plan.json.tmp-qwerty");
    {
        OutputLock lock(folder, false);
        EXPECT_EQ(lock.removed_temporaries(), 2U);
    }
    EXPECT_FALSE(fs::exists(fs::path(folder) / ".summary.csv.tmp-a1B2c3"));
    EXPECT_FALSE(fs::exists(fs::path(folder) / "athlete/fit/.w1.fit.tmp-Zz9yX8"));
    EXPECT_TRUE(fs::exists(fs::path(folder) / "summary.csv"));
    EXPECT_TRUE(fs::exists(fs::path(folder) / ".hidden"));
    EXPECT_TRUE(fs::exists(fs::path(folder) / "notes.tmp-abcdef"));
    EXPECT_TRUE(fs::exists(fs::path(folder) / "other/.plan.json.tmp-qwerty"));
    fs::remove_all(folder);
}
