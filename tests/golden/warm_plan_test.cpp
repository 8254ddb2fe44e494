// A second `plan --out` with nothing changed: the real binary on the sample
// athlete's history (copied), a real feature cache and a real output folder.
// It must say the plan is up to date and leave every file alone; a changed
// input, option or output file must make it plan and write again.
#include "cli_run.hpp"
#include "tests/support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <sys/stat.h>

namespace fs = std::filesystem;
using ultrastrength::test::CliResult;
using ultrastrength::test::run_cli;
using ultrastrength::test::TempDir;

namespace {

/// What a rewrite would change: the bytes, the inode (temp + rename) and the
/// modification time of every file in the folder, by relative name.
struct FileState {
    std::string bytes;
    ino_t inode = 0;
    std::int64_t mtime_ns = 0;
    bool operator==(const FileState&) const = default;
};

std::map<std::string, FileState> snapshot(const fs::path& root) {
    std::map<std::string, FileState> files;
    for (const auto& entry : fs::recursive_directory_iterator(root)) {
        if (!entry.is_regular_file() || entry.path().filename() == ".ultrastrength.lock") {
            continue;
        }
        struct stat st {};
        EXPECT_EQ(::stat(entry.path().c_str(), &st), 0);
        std::ifstream in(entry.path(), std::ios::binary);
        FileState f;
        f.bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
        f.inode = st.st_ino;
        f.mtime_ns = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
        files[fs::relative(entry.path(), root).generic_string()] = f;
    }
    return files;
}

bool up_to_date(const CliResult& r) {
    return r.err.find("plan up to date") != std::string::npos;
}

class WarmPlan : public ::testing::Test {
protected:
    void SetUp() override {
        fs::copy(fs::path(US_SOURCE_DIR) / "samples/athlete", m_dir.path / "history",
                 fs::copy_options::recursive);
        m_cache = (m_dir.path / "cache/features.sqlite").string();
        m_out = m_dir.path / "out";
    }
    CliResult plan(const std::string& extra = {}) const {
        return run_cli("plan --verbose --jobs 2 --cache '" + m_cache + "' --out '" +
                       m_out.string() + "' " + extra + " '" + (m_dir.path / "history").string() +
                       "'");
    }
    TempDir m_dir;
    std::string m_cache;
    fs::path m_out;
};

} // namespace

TEST_F(WarmPlan, SecondRunIsUpToDateAndRewritesNothing) {
    const auto cold = plan();
    ASSERT_EQ(cold.exit_code, 0) << cold.err;
    EXPECT_FALSE(up_to_date(cold));
    EXPECT_NE(cold.err.find(" created, 0 updated, 0 unchanged"), std::string::npos) << cold.err;
    ASSERT_TRUE(fs::exists(m_out / ".ultrastrength-state"));
    const auto before = snapshot(m_out);
    ASSERT_GT(before.size(), 10U);

    const auto warm = plan();
    EXPECT_EQ(warm.exit_code, 0) << warm.err;
    EXPECT_TRUE(up_to_date(warm)) << warm.err;
    EXPECT_NE(warm.err.find(" 0 decoded,"), std::string::npos) << warm.err;
    EXPECT_EQ(snapshot(m_out), before);

    // --json prints the same plan as the run that wrote it.
    const auto json = plan("--json");
    EXPECT_TRUE(up_to_date(json)) << json.err;
    EXPECT_EQ(json.out, before.at("plan.json").bytes);
    EXPECT_EQ(snapshot(m_out), before);
}

TEST_F(WarmPlan, ChangedOptionPlansAgain) {
    ASSERT_EQ(plan().exit_code, 0);
    const auto before = snapshot(m_out);

    const auto changed = plan("--level advanced");
    ASSERT_EQ(changed.exit_code, 0) << changed.err;
    EXPECT_FALSE(up_to_date(changed)) << changed.err;
    const auto after = snapshot(m_out);
    EXPECT_NE(after.at("plan.json").bytes, before.at("plan.json").bytes);

    EXPECT_TRUE(up_to_date(plan("--level advanced")));
    EXPECT_EQ(snapshot(m_out), after);
    // Back to the first options: the first plan again, byte for byte.
    const auto back = plan();
    EXPECT_FALSE(up_to_date(back)) << back.err;
    EXPECT_EQ(snapshot(m_out).at("plan.json").bytes, before.at("plan.json").bytes);
}

TEST_F(WarmPlan, ChangedInputFilePlansAgain) {
    ASSERT_EQ(plan().exit_code, 0);
    // One activity file's bytes replaced by another's: same name, new content.
    const fs::path garmin = m_dir.path / "history/garmin";
    std::vector<fs::path> fits;
    for (const auto& e : fs::directory_iterator(garmin)) {
        if (e.path().extension() == ".fit") {
            fits.push_back(e.path());
        }
    }
    ASSERT_GE(fits.size(), 2U);
    std::sort(fits.begin(), fits.end());
    fs::copy_file(fits[0], fits[1], fs::copy_options::overwrite_existing);

    const auto changed = plan();
    EXPECT_FALSE(up_to_date(changed)) << changed.err;
    EXPECT_NE(changed.err.find("(1 recognised by content)"), std::string::npos) << changed.err;
    EXPECT_TRUE(up_to_date(plan()));

    // A GPX file with a byte more: decoded again, and the plan made again.
    fs::path gpx;
    for (const auto& e : fs::directory_iterator(garmin)) {
        if (e.path().extension() == ".gpx") {
            gpx = e.path();
        }
    }
    ASSERT_FALSE(gpx.empty());
    {
        std::ofstream out(gpx, std::ios::binary | std::ios::app);
        out << "\n";
    }
    const auto edited = plan();
    EXPECT_FALSE(up_to_date(edited)) << edited.err;
    EXPECT_NE(edited.err.find(" 1 decoded,"), std::string::npos) << edited.err;
    EXPECT_TRUE(up_to_date(plan()));

    // Touched without a change of content: still up to date.
    fs::last_write_time(fits[2], fs::last_write_time(fits[2]) + std::chrono::seconds(5));
    EXPECT_TRUE(up_to_date(plan()));
}

TEST_F(WarmPlan, DeletedOrAlteredOutputFileIsRestored) {
    ASSERT_EQ(plan().exit_code, 0);
    const auto before = snapshot(m_out);
    std::string deleted;
    std::string altered;
    for (const auto& [name, state] : before) {
        if (name.rfind("ics/", 0) == 0 || name.rfind("csv/", 0) == 0) {
            (deleted.empty() ? deleted : altered) = name;
        }
    }
    ASSERT_FALSE(deleted.empty());
    ASSERT_FALSE(altered.empty());

    fs::remove(m_out / deleted);
    const auto restored = plan();
    EXPECT_FALSE(up_to_date(restored)) << restored.err;
    EXPECT_EQ(snapshot(m_out).at(deleted).bytes, before.at(deleted).bytes);
    EXPECT_TRUE(up_to_date(plan()));

    {
        std::ofstream out(m_out / altered, std::ios::binary | std::ios::app);
        out << "x";
    }
    const auto rewritten = plan();
    EXPECT_FALSE(up_to_date(rewritten)) << rewritten.err;
    EXPECT_EQ(snapshot(m_out).at(altered).bytes, before.at(altered).bytes);
    EXPECT_TRUE(up_to_date(plan()));

    // The manifest is what the next run removes stale files by: it counts too.
    fs::remove(m_out / ".ultrastrength-files");
    EXPECT_FALSE(up_to_date(plan()));
    EXPECT_TRUE(fs::exists(m_out / ".ultrastrength-files"));
}

TEST_F(WarmPlan, WithoutVerboseItStopsAtTheInputsStampsWithoutOpeningTheCache) {
    const auto summary_line = [](const std::string& err) {
        const auto at = err.find(" inputs: ");
        const auto begin = err.rfind('\n', at);
        return at == std::string::npos
                   ? std::string()
                   : err.substr(begin == std::string::npos ? 0 : begin + 1,
                                err.find('\n', at) - (begin == std::string::npos ? 0 : begin + 1));
    };
    const auto quick = [&] {
        return run_cli("plan --jobs 2 --cache '" + m_cache + "' --out '" + m_out.string() + "' '" +
                       (m_dir.path / "history").string() + "'");
    };
    const auto cold = quick();
    ASSERT_EQ(cold.exit_code, 0) << cold.err;
    EXPECT_FALSE(up_to_date(cold));
    const auto before = snapshot(m_out);
    const auto remove_cache = [&] {
        for (const char* suffix : {"", "-wal", "-shm"}) {
            fs::remove(m_cache + suffix);
        }
    };

    // No cache at all: a run that opened one would create it.
    remove_cache();
    const auto warm = quick();
    EXPECT_EQ(warm.exit_code, 0) << warm.err;
    EXPECT_TRUE(up_to_date(warm)) << warm.err;
    EXPECT_FALSE(fs::exists(m_cache));
    EXPECT_EQ(summary_line(warm.err), summary_line(cold.err)) << warm.err;
    EXPECT_FALSE(summary_line(warm.err).empty());
    EXPECT_EQ(snapshot(m_out), before);

    // A touched input: its stamp differs, so the inputs are scanned (the cache
    // is opened again) and found the same by content; the new stamps are
    // stored, and the next run stops at them again.
    fs::path fit;
    for (const auto& e : fs::directory_iterator(m_dir.path / "history/garmin")) {
        if (e.path().extension() == ".fit") {
            fit = e.path();
        }
    }
    ASSERT_FALSE(fit.empty());
    fs::last_write_time(fit, fs::last_write_time(fit) + std::chrono::seconds(5));
    const auto touched = quick();
    EXPECT_TRUE(up_to_date(touched)) << touched.err;
    EXPECT_TRUE(fs::exists(m_cache));
    remove_cache();
    EXPECT_TRUE(up_to_date(quick()));
    EXPECT_FALSE(fs::exists(m_cache));

    // A new input file: planned again.
    fs::copy_file(fit, fit.parent_path() / "copy-of-an-activity.fit");
    const auto added = quick();
    EXPECT_FALSE(up_to_date(added)) << added.err;
    EXPECT_TRUE(fs::exists(m_cache));
    EXPECT_TRUE(up_to_date(quick()));
}

TEST_F(WarmPlan, TrainingPeaksAthleteIdTakesLongIds) {
    const auto r = plan("--format trainingpeaks --trainingpeaks-athlete-id 4820391");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    bool found = false;
    for (const auto& [name, state] : snapshot(m_out)) {
        if (name.rfind("trainingpeaks/", 0) == 0 &&
            state.bytes.find("\"AthleteId\": 4820391") != std::string::npos) {
            found = true;
        }
    }
    EXPECT_TRUE(found);
    EXPECT_TRUE(up_to_date(plan("--format trainingpeaks --trainingpeaks-athlete-id 4820391")));
    EXPECT_FALSE(up_to_date(plan("--format trainingpeaks --trainingpeaks-athlete-id 4820392")));
    for (const char* bad : {"0", "-5", "12x", "99999999999999999999"}) {
        EXPECT_EQ(plan(std::string("--trainingpeaks-athlete-id ") + bad).exit_code, 2) << bad;
    }
}
