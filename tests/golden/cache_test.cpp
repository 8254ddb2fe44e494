// The feature cache as users meet it: a real SQLite file under --cache, the
// real binary, the sample athlete's history copied into a temporary folder.
#include "cli_run.hpp"
#include "tests/support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <regex>

namespace fs = std::filesystem;
using ultrastrength::test::CliResult;
using ultrastrength::test::run_cli;
using ultrastrength::test::TempDir;

namespace {

struct Counts {
    int files = -1;
    int decoded = -1;
    int cached = -1;
    int by_content = -1;
};

/// Reads the --verbose line "N files: D decoded, C from the cache (R recognised by content)".
Counts counts_of(const CliResult& r) {
    static const std::regex line(
        R"((\d+) files: (\d+) decoded, (\d+) from the cache \((\d+) recognised by content\))");
    std::smatch m;
    Counts c;
    if (std::regex_search(r.err, m, line)) {
        c = {std::stoi(m[1]), std::stoi(m[2]), std::stoi(m[3]), std::stoi(m[4])};
    }
    return c;
}

class CacheCommand : public ::testing::Test {
protected:
    void SetUp() override {
        fs::copy(fs::path(US_SOURCE_DIR) / "samples/athlete", m_dir.path / "history",
                 fs::copy_options::recursive);
        m_cache = (m_dir.path / "cache/features.sqlite").string();
    }
    CliResult scan(const std::string& extra = {}) const {
        return run_cli("scan --json --verbose --jobs 2 --cache '" + m_cache + "' " + extra + " '" +
                       (m_dir.path / "history").string() + "'");
    }
    TempDir m_dir;
    std::string m_cache;
};

} // namespace

TEST_F(CacheCommand, SecondRunDecodesNothingAndPrintsTheSame) {
    const auto cold = scan();
    ASSERT_EQ(cold.exit_code, 0) << cold.err;
    const auto first = counts_of(cold);
    ASSERT_GT(first.files, 200);
    EXPECT_EQ(first.decoded, first.files);
    EXPECT_EQ(first.cached, 0);
    EXPECT_TRUE(fs::exists(m_cache));

    const auto warm = scan();
    const auto second = counts_of(warm);
    EXPECT_EQ(second.files, first.files);
    EXPECT_EQ(second.decoded, 0);
    EXPECT_EQ(second.cached, first.files);
    EXPECT_EQ(warm.out, cold.out); // names from the Strava index included
    EXPECT_EQ(warm.exit_code, cold.exit_code);

    const auto uncached =
        run_cli("scan --json --no-cache --jobs 1 '" + (m_dir.path / "history").string() + "'");
    EXPECT_EQ(uncached.out, cold.out);
}

TEST_F(CacheCommand, TouchedFileIsHashedChangedFileIsDecodedAlone) {
    const auto cold = scan();
    ASSERT_EQ(counts_of(cold).cached, 0);

    // Touched: same bytes, new mtime. Hashed, recognised, not decoded.
    fs::path touched;
    fs::path changed;
    for (const auto& entry : fs::directory_iterator(m_dir.path / "history/garmin")) {
        const auto ext = entry.path().extension();
        if (ext == ".fit" && touched.empty()) {
            touched = entry.path();
        } else if ((ext == ".tcx" || ext == ".gpx") && changed.empty()) {
            changed = entry.path();
        }
    }
    ASSERT_FALSE(touched.empty());
    ASSERT_FALSE(changed.empty());
    fs::last_write_time(touched, fs::last_write_time(touched) + std::chrono::hours(1));
    const auto after_touch = scan();
    const auto t = counts_of(after_touch);
    EXPECT_EQ(t.decoded, 0);
    EXPECT_EQ(t.by_content, 1);
    EXPECT_EQ(after_touch.out, cold.out);

    // Changed: one more byte (trailing whitespace after the XML root).
    { std::ofstream(changed, std::ios::app) << "\n"; }
    const auto after_change = scan();
    const auto c = counts_of(after_change);
    EXPECT_EQ(c.decoded, 1);
    EXPECT_EQ(c.cached, c.files - 1);
    EXPECT_EQ(c.by_content, 0);

    // And both are remembered.
    EXPECT_EQ(counts_of(scan()).decoded, 0);
}

TEST_F(CacheCommand, CorruptCacheIsReportedAndRebuilt) {
    const auto cold = scan();
    ASSERT_EQ(cold.exit_code, 0);
    {
        std::ofstream out(m_cache, std::ios::binary | std::ios::trunc);
        out << std::string(8192, '\x5a');
    }
    const auto rebuilt = scan();
    EXPECT_NE(rebuilt.err.find("moved aside"), std::string::npos) << rebuilt.err;
    EXPECT_NE(rebuilt.err.find(m_cache), std::string::npos);
    EXPECT_EQ(rebuilt.exit_code, 0);
    EXPECT_EQ(rebuilt.out, cold.out);
    EXPECT_EQ(counts_of(rebuilt).decoded, counts_of(cold).files);
    EXPECT_TRUE(fs::exists(m_cache + ".corrupt"));

    const auto again = scan();
    EXPECT_EQ(again.err.find("moved aside"), std::string::npos);
    EXPECT_EQ(counts_of(again).decoded, 0);
}

TEST_F(CacheCommand, QuietRunPrintsNoProgressWhenStderrIsNotATerminal) {
    const auto r = scan();
    // run_cli sends stderr to a file, as cron does: no carriage-return redraws.
    EXPECT_EQ(r.err.find('\r'), std::string::npos);
    const auto quiet = run_cli("scan --quiet --cache '" + m_cache + "' '" +
                               (m_dir.path / "history").string() + "'");
    EXPECT_EQ(quiet.err, "");
}
