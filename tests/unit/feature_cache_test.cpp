#include "store/feature_cache.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <unistd.h>

using namespace ultrastrength;
namespace fs = std::filesystem;

namespace {

class FeatureCacheTest : public ::testing::Test {
protected:
    void SetUp() override {
        m_dir = fs::temp_directory_path() /
                ("us-cache-test-" + std::to_string(::getpid()) + "-" +
                 ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(m_dir);
        fs::create_directories(m_dir);
    }
    void TearDown() override { fs::remove_all(m_dir); }
    std::string file(const std::string& name) const { return (m_dir / name).string(); }

    fs::path m_dir;
};

std::vector<InputOutcome> sample_outcomes(const std::string& source) {
    InputOutcome read;
    read.source = source;
    read.kind = InputOutcome::Kind::read;
    read.bytes = 1234;
    read.content_hash = 0xfeedface12345678ULL;
    read.warnings = {"file CRC mismatch"};
    ActivityFeatures a;
    a.source = source;
    a.format = Format::tcx;
    a.sport = Sport::trail_running;
    a.sub_sport = "trail";
    a.start_utc = 1700000000;
    a.utc_offset_s = 3600;
    a.distance_m = 21097.5;
    a.ascent_m = 812.0;
    a.records = 4321;
    a.set(Flag::crc_mismatch);
    a.has_hr_histogram = true;
    a.hr_histogram[142] = 600;
    a.hr_histogram[171] = 1200;
    read.activities.push_back(a);
    InputOutcome bad;
    bad.source = source + "!inner.fit";
    bad.kind = InputOutcome::Kind::rejected;
    bad.message = "byte 14: unexpected end";
    return {read, bad};
}

} // namespace

TEST(FeatureCacheCodec, RoundTripsEveryField) {
    const auto in = sample_outcomes("a.zip");
    const auto out = decode_outcomes(encode_outcomes(in));
    ASSERT_EQ(out.size(), 2U);
    EXPECT_EQ(out[0].kind, InputOutcome::Kind::read);
    EXPECT_EQ(out[0].warnings, in[0].warnings);
    EXPECT_EQ(out[0].content_hash, in[0].content_hash);
    const ActivityFeatures& a = out[0].activities.at(0);
    EXPECT_EQ(a.sport, Sport::trail_running);
    EXPECT_EQ(a.format, Format::tcx);
    EXPECT_EQ(*a.start_utc, 1700000000);
    EXPECT_EQ(*a.utc_offset_s, 3600);
    EXPECT_DOUBLE_EQ(*a.distance_m, 21097.5);
    EXPECT_FALSE(a.timer_s.has_value());
    EXPECT_EQ(a.hr_histogram[142], 600U);
    EXPECT_EQ(a.hr_histogram[171], 1200U);
    EXPECT_EQ(a.hr_histogram[150], 0U);
    EXPECT_TRUE(a.has(Flag::crc_mismatch));
    EXPECT_EQ(out[1].message, "byte 14: unexpected end");
    EXPECT_THROW(decode_outcomes({0xff, 0x00, 0x13}), std::runtime_error);
}

TEST_F(FeatureCacheTest, FindsOnlyTheSameStampAndSurvivesReopening) {
    const FileStamp stamp{"/data/run.fit", 1234, 1700000000123456789};
    {
        FeatureCache cache(file("c.sqlite"));
        EXPECT_TRUE(cache.warnings().empty());
        EXPECT_FALSE(cache.find(stamp));
        cache.begin();
        cache.put(stamp, 42, sample_outcomes(stamp.path));
        cache.commit();
    }
    FeatureCache cache(file("c.sqlite"));
    EXPECT_EQ(cache.size(), 1U);
    ASSERT_TRUE(cache.find(stamp));
    EXPECT_EQ(cache.find(stamp)->at(0).activities.at(0).records, 4321U);
    FileStamp touched = stamp;
    touched.mtime_ns += 1;
    EXPECT_FALSE(cache.find(touched));
    FileStamp grown = stamp;
    grown.size += 1;
    EXPECT_FALSE(cache.find(grown));
}

TEST_F(FeatureCacheTest, RecognisesAMovedFileByItsHash) {
    FeatureCache cache(file("c.sqlite"));
    cache.put({"/old/a.zip", 1234, 1}, 99, sample_outcomes("/old/a.zip"));
    const FileStamp moved{"/new/b.zip", 1234, 2};
    EXPECT_FALSE(cache.find(moved));
    const auto found = cache.find_moved(moved, 99);
    ASSERT_TRUE(found);
    EXPECT_EQ(found->at(0).source, "/new/b.zip");
    EXPECT_EQ(found->at(1).source, "/new/b.zip!inner.fit");
    EXPECT_EQ(found->at(0).activities.at(0).source, "/new/b.zip");
    EXPECT_FALSE(cache.find_moved(moved, 98));
}

TEST_F(FeatureCacheTest, AMovedFilesErrorsNameItsNewPath) {
    FeatureCache cache(file("c.sqlite"));
    InputOutcome bad;
    bad.source = "/tmp/run-1/cut.zip";
    bad.kind = InputOutcome::Kind::rejected;
    bad.message = "/tmp/run-1/cut.zip: archive broken in or after member 1 (a.txt)";
    bad.warnings = {"/tmp/run-1/cut.zip!a.txt: skipped"};
    cache.put({"/tmp/run-1/cut.zip", 50, 1}, 7, {bad});
    const auto found = cache.find_moved({"/tmp/run-22/cut.zip", 50, 2}, 7);
    ASSERT_TRUE(found);
    EXPECT_EQ(found->at(0).source, "/tmp/run-22/cut.zip");
    EXPECT_EQ(found->at(0).message,
              "/tmp/run-22/cut.zip: archive broken in or after member 1 (a.txt)");
    EXPECT_EQ(found->at(0).warnings.at(0), "/tmp/run-22/cut.zip!a.txt: skipped");
}

TEST_F(FeatureCacheTest, GarbageFileIsMovedAsideAndRebuilt) {
    {
        std::ofstream out(file("c.sqlite"), std::ios::binary);
        out << std::string(5000, 'x');
    }
    FeatureCache cache(file("c.sqlite"));
    ASSERT_EQ(cache.warnings().size(), 1U);
    EXPECT_NE(cache.warnings()[0].find("moved aside"), std::string::npos);
    EXPECT_TRUE(fs::exists(file("c.sqlite.corrupt")));
    cache.put({"/a", 1, 1}, 1, sample_outcomes("/a"));
    EXPECT_EQ(cache.size(), 1U);
}

TEST_F(FeatureCacheTest, ForeignDatabaseIsNeverTrustedNorDestroyed) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(file("c.sqlite").c_str(), &db), SQLITE_OK);
    sqlite3_exec(db, "CREATE TABLE inputs(path TEXT); INSERT INTO inputs VALUES('x');", nullptr,
                 nullptr, nullptr);
    sqlite3_close(db);

    FeatureCache cache(file("c.sqlite"));
    ASSERT_EQ(cache.warnings().size(), 1U);
    EXPECT_NE(cache.warnings()[0].find("not an ultrastrength cache"), std::string::npos);
    EXPECT_EQ(cache.size(), 0U);
    EXPECT_TRUE(fs::exists(file("c.sqlite.corrupt"))); // the other database is kept
}

TEST_F(FeatureCacheTest, EntriesOfAnotherReaderVersionAreDropped) {
    {
        FeatureCache cache(file("c.sqlite"));
        cache.put({"/a", 1, 1}, 1, sample_outcomes("/a"));
    }
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(file("c.sqlite").c_str(), &db), SQLITE_OK);
    sqlite3_exec(db, "UPDATE meta SET value='0' WHERE key='features_version'", nullptr, nullptr,
                 nullptr);
    sqlite3_close(db);
    FeatureCache cache(file("c.sqlite"));
    EXPECT_TRUE(cache.warnings().empty());
    EXPECT_EQ(cache.size(), 0U);
}

TEST_F(FeatureCacheTest, CorruptEntryIsAMissNotACrash) {
    {
        FeatureCache cache(file("c.sqlite"));
        cache.put({"/a", 1, 1}, 1, sample_outcomes("/a"));
    }
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(file("c.sqlite").c_str(), &db), SQLITE_OK);
    sqlite3_exec(db, "UPDATE inputs SET outcomes=x'a1ff00'", nullptr, nullptr, nullptr);
    sqlite3_close(db);
    FeatureCache cache(file("c.sqlite"));
    EXPECT_FALSE(cache.find({"/a", 1, 1}));
}

TEST_F(FeatureCacheTest, SchemaOneIsMigratedAndItsEntriesDropped) {
    // A cache as schema 1 wrote it: no column for export indexes.
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(file("c.sqlite").c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db,
                           "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
                           "CREATE TABLE inputs(path TEXT PRIMARY KEY, size INTEGER NOT NULL,"
                           " mtime_ns INTEGER NOT NULL, hash INTEGER NOT NULL,"
                           " outcomes BLOB NOT NULL);"
                           "INSERT INTO meta VALUES('features_version', '1');"
                           "INSERT INTO inputs VALUES('/a', 1, 1, 1, x'80');"
                           "PRAGMA application_id=1431524434; PRAGMA user_version=1;",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(db);

    FeatureCache cache(file("c.sqlite"));
    EXPECT_TRUE(cache.warnings().empty());
    EXPECT_EQ(cache.size(), 0U);
    ExportIndex index;
    index.source = "/e.zip!activities.csv";
    index.base = "/e.zip!";
    index.entries.push_back({"activities/1.fit.gz", std::nullopt, "Morning Run", Sport::running});
    cache.put({"/e.zip", 10, 2}, 7, sample_outcomes("/e.zip"), {index});
    const auto found = cache.lookup({"/e.zip", 10, 2});
    ASSERT_TRUE(found);
    ASSERT_EQ(found->indexes.size(), 1U);
    EXPECT_EQ(found->indexes[0].entries.at(0).name, "Morning Run");
    EXPECT_EQ(found->indexes[0].entries.at(0).sport, Sport::running);
    const auto moved = cache.lookup_moved({"/new/f.zip", 10, 3}, 7);
    ASSERT_TRUE(moved);
    EXPECT_EQ(moved->indexes.at(0).source, "/new/f.zip!activities.csv");
    EXPECT_EQ(moved->indexes.at(0).base, "/new/f.zip!");
}
