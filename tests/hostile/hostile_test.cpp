// Hostile inputs and faults, mostly below the command line: planted symlinks
// and FIFOs in output folders, the manifest of a dead run, junk-filled zips,
// hostile export indexes (memory bounded per input), damaged zip members.
#include "converters/exports/export_index.hpp"
#include "converters/reader.hpp"
#include "converters/scan.hpp"
#include "model/safe_file.hpp"
#include "plugins/writer.hpp"
#include "store/feature_cache.hpp"
#include "store/output_lock.hpp"
#include "tests/golden/cli_run.hpp"
#include "tests/support/archive_builder.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <sys/stat.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace ultrastrength {
namespace {

namespace fs = std::filesystem;

fs::path scratch(const std::string& name) {
    const auto dir =
        fs::temp_directory_path() / ("us-hostile-" + std::to_string(::getpid()) + "-" + name);
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir;
}

std::string slurp(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

void spit(const fs::path& path, const std::string& bytes) {
    std::ofstream(path, std::ios::binary) << bytes;
}

// Issue item 1: a symlink planted as the lock file must not truncate (or
// write) the file it points at.
TEST(SafeFiles, LockFileSymlinkIsRefusedAndItsTargetUntouched) {
    const auto dir = scratch("lock-link");
    const auto victim = dir / "victim.txt";
    spit(victim, "precious\n");
    const auto out = dir / "out";
    fs::create_directories(out);
    fs::create_symlink(victim, out / OutputLock::file_name);
    try {
        OutputLock lock(out.string(), false);
        FAIL() << "a symlinked lock file was used";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("symbolic link"), std::string::npos) << e.what();
    }
    EXPECT_EQ(slurp(victim), "precious\n");
    fs::remove_all(dir);
}

TEST(SafeFiles, LockFileThatIsAFifoOrAHardLinkIsRefused) {
    const auto dir = scratch("lock-fifo");
    const auto fifo_out = dir / "fifo";
    fs::create_directories(fifo_out);
    ASSERT_EQ(::mkfifo((fifo_out / OutputLock::file_name).c_str(), 0644), 0);
    EXPECT_THROW(OutputLock(fifo_out.string(), false), std::runtime_error);

    const auto victim = dir / "victim.txt";
    spit(victim, "precious\n");
    const auto link_out = dir / "link";
    fs::create_directories(link_out);
    fs::create_hard_link(victim, link_out / OutputLock::file_name);
    EXPECT_THROW(OutputLock(link_out.string(), false), std::runtime_error);
    EXPECT_EQ(slurp(victim), "precious\n");
    fs::remove_all(dir);
}

TEST(SafeFiles, OutputOverASymlinkReplacesTheLinkNotItsTarget) {
    const auto dir = scratch("sink-link");
    const auto victim = dir / "victim.txt";
    spit(victim, "precious\n");
    const auto out = dir / "out";
    fs::create_directories(out);
    fs::create_symlink(victim, out / "plan.txt");
    ASSERT_EQ(::mkfifo((out / "plan.json").c_str(), 0644), 0);
    FolderSink sink(out);
    sink.put("plan.txt", "new plan\n");
    sink.put("plan.json", "{}\n"); // a FIFO there must not block the run
    EXPECT_EQ(slurp(victim), "precious\n");
    EXPECT_FALSE(fs::is_symlink(out / "plan.txt"));
    EXPECT_EQ(slurp(out / "plan.txt"), "new plan\n");
    EXPECT_EQ(slurp(out / "plan.json"), "{}\n");
    fs::remove_all(dir);
}

// Issue item 2: the manifest names every file before any is written, so the
// files a dead run left are removed by the next run.
TEST(ManagedFolder, ARunThatFailsPartWayLeavesNothingTheNextRunKeeps) {
    const auto dir = scratch("manifest");
    std::map<std::string, std::string> long_plan;
    std::string all;
    for (int i = 0; i < 12; ++i) {
        const std::string name = "garmin-fit/w" + std::to_string(i + 10) + ".fit";
        long_plan[name] = "session " + std::to_string(i);
        all += name + "\n";
    }
    // The run fails at its sixth file (as on a full disk): a folder is in
    // that file's place, so it cannot be renamed into place.
    fs::create_directories(dir / "garmin-fit/w15.fit/x");
    EXPECT_THROW(write_managed_folder(dir, long_plan, ".files"), OutputError);
    EXPECT_TRUE(fs::exists(dir / "garmin-fit/w14.fit"));
    EXPECT_EQ(slurp(dir / ".files"), all); // named before they were written
    fs::remove_all(dir / "garmin-fit/w15.fit");

    const std::map<std::string, std::string> short_plan{{"garmin-fit/w10.fit", "new"},
                                                        {"plan.txt", "short"}};
    const ManagedWrite done = write_managed_folder(dir, short_plan, ".files");
    EXPECT_EQ(done.removed.size(), 4U); // w11..w14; the rest were never written
    for (const auto& entry : fs::recursive_directory_iterator(dir)) {
        if (entry.is_regular_file()) {
            const auto name = fs::relative(entry.path(), dir).generic_string();
            EXPECT_TRUE(name == ".files" || short_plan.count(name) == 1) << name;
        }
    }
    EXPECT_EQ(slurp(dir / ".files"), "garmin-fit/w10.fit\nplan.txt\n");
    fs::remove_all(dir);
}

// Issue item 8: skipped entries are counted past a limit, not kept, and the
// summary still counts every one.
TEST(BoundedMemory, SkippedZipEntriesAreCountedPastTheLimit) {
    std::vector<test::ZipMember> members;
    for (int i = 0; i < 50; ++i) {
        members.push_back({"__MACOSX/._junk" + std::to_string(i), test::to_bytes("x")});
        members.push_back({"junk" + std::to_string(i) + ".bin", test::to_bytes("not activity")});
    }
    const auto inner = test::make_zip(members);
    const auto outer = test::make_zip({{"a.zip", inner}, {"b.zip", inner}});
    ReaderRegistry registry;
    register_all(registry);
    DecodeOptions options;
    options.limits.max_listed_skips = 10;
    MemoryStream in(outer);
    const auto outcomes = decode_input(registry, in, "junk.zip", options);
    std::uint64_t listed = 0;
    std::uint64_t counted = 0;
    for (const auto& o : outcomes) {
        ASSERT_EQ(o.kind, InputOutcome::Kind::skipped) << o.source << ": " << o.message;
        (o.count == 1 ? listed : counted) += o.count;
    }
    EXPECT_EQ(listed, 10U);
    EXPECT_EQ(listed + counted, 200U);
    EXPECT_LE(outcomes.size(), 10U + 2U); // two reasons counted
}

// Issue item 8: the Garmin summaries index is streamed: deep nesting, huge
// strings and junk are read in bounded memory, and what is usable is used.
TEST(BoundedMemory, GarminIndexIsStreamedWithBoundedStringsAndDepth) {
    std::string json = "[{\"summarizedActivitiesExport\": [";
    json += "{\"name\": \"" + std::string(1 << 20, 'A') + "\", \"startTimeGmt\": 1700000000000},";
    json += "{\"junk\": {\"a\": [1, 2, {\"b\": null}]}, \"parent\": true, \"startTimeGmt\": 1},";
    json += "{\"name\": \"Long run\", \"activityType\": {\"typeKey\": \"trail_running\"}, "
            "\"startTimeGmt\": 1700000500000}]}]";
    const auto index = parse_export_index(json, "x/DI_CONNECT/x_summarizedActivities.json");
    ASSERT_EQ(index.entries.size(), 2U);
    EXPECT_EQ(index.entries[0].name.size(), 64U * 1024); // cut, not kept whole
    EXPECT_EQ(index.entries[1].name, "Long run");
    EXPECT_EQ(index.entries[1].sport, Sport::trail_running);

    const std::string deep = std::string(100000, '[') + std::string(100000, ']');
    try {
        parse_export_index(deep, "x_summarizedActivities.json");
        FAIL() << "nesting accepted";
    } catch (const ReadError& e) {
        EXPECT_NE(std::string(e.what()).find("nested more than 64 deep"), std::string::npos)
            << e.what();
    }
}

TEST(BoundedMemory, StravaIndexFieldsAreCut) {
    const std::string csv = "Filename,Activity Name\nactivities/1.fit," +
                            std::string(1 << 20, 'n') + "\nactivities/2.fit,Hill reps\n";
    const auto index = parse_export_index(csv, "e.zip!activities.csv");
    ASSERT_EQ(index.entries.size(), 2U);
    EXPECT_EQ(index.entries[0].name.size(), 64U * 1024);
    EXPECT_EQ(index.entries[1].name, "Hill reps");
}

// Issue item 10: a stored member written with a data descriptor whose CRC is
// wrong. Reading forward, libarchive finds its end only at a descriptor with
// the right CRC, so it read on to the end of the file, called the zip
// truncated and lost the members after it.

/// A GPX 1.1 track of two points on 2024-03-`day`.
test::Bytes day_gpx(int day) {
    const std::string date = "2024-03-0" + std::to_string(day) + "T08:0";
    return test::to_bytes(
        "<?xml version=\"1.0\"?>\n"
        "<gpx xmlns=\"http://www.topografix.com/GPX/1/1\" version=\"1.1\" creator=\"t\">\n"
        "<trk><trkseg>\n<trkpt lat=\"46.5\" lon=\"7.5\"><time>" +
        date + "0:00Z</time></trkpt>\n<trkpt lat=\"46.501\" lon=\"7.5\"><time>" + date +
        "1:00Z</time></trkpt>\n</trkseg></trk></gpx>\n");
}

/// a.gpx, bad.gpx and c.gpx stored with data descriptors; bad.gpx's CRC is
/// wrong in its descriptor and its central directory entry.
test::Bytes zip_with_bad_descriptor() {
    const auto bad = day_gpx(2);
    auto zip = test::make_stored_zip(
        {{"a.gpx", day_gpx(1)}, {"bad.gpx", bad}, {"c.gpx", day_gpx(3)}}, true);
    test::corrupt_descriptor_crc(zip, bad, true);
    return zip;
}

void spit(const fs::path& path, const test::Bytes& bytes) {
    std::ofstream(path, std::ios::binary)
        .write(reinterpret_cast<const char*>(bytes.data()),
               static_cast<std::streamsize>(bytes.size()));
}

TEST(HostileZip, WrongDescriptorCrcCostsThatMemberOnly) {
    const auto dir = scratch("descriptor");
    const auto zip = dir / "a.zip";
    spit(zip, zip_with_bad_descriptor());
    ReaderRegistry registry;
    register_all(registry);
    const std::string expected = zip.string() + "!bad.gpx: stored member with a data descriptor "
                                                "whose CRC does not match its data; skipped";
    for (const unsigned jobs : {1U, 2U}) {
        SCOPED_TRACE(jobs);
        // The second run takes the zip from the cache: the same outcomes.
        FeatureCache cache((dir / ("cache" + std::to_string(jobs) + ".sqlite")).string());
        for (int run = 0; run < 2; ++run) {
            SCOPED_TRACE(run);
            ScanOptions options;
            options.jobs = jobs;
            options.cache = &cache;
            const auto result = scan(registry, {zip.string()}, options);
            EXPECT_EQ(result.counts.cached, run == 0 ? 0U : 1U);
            const auto& out = result.outcomes;
            ASSERT_EQ(out.size(), 3U);
            EXPECT_EQ(out[0].source, zip.string() + "!a.gpx");
            ASSERT_EQ(out[0].activities.size(), 1U) << out[0].message;
            EXPECT_EQ(out[1].source, zip.string() + "!bad.gpx");
            EXPECT_EQ(out[1].kind, InputOutcome::Kind::rejected);
            EXPECT_EQ(out[1].message.rfind(expected, 0), 0U) << out[1].message;
            EXPECT_EQ(out[2].source, zip.string() + "!c.gpx");
            ASSERT_EQ(out[2].activities.size(), 1U) << out[2].message;
            EXPECT_EQ(out[2].activities[0].start_utc, 1709452800); // 2024-03-03T08:00:00Z
        }
    }
    // As the user sees it.
    const auto r = test::run_cli("scan --no-cache --json '" + zip.string() + "'");
    EXPECT_EQ(r.exit_code, 1) << r.err; // something was rejected
    EXPECT_NE(r.out.find("a.zip!a.gpx\""), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("a.zip!c.gpx\""), std::string::npos) << r.out;
    EXPECT_NE(r.err.find("rejected: " + expected), std::string::npos) << r.err;
    fs::remove_all(dir);
}

TEST(HostileZip, WrongDescriptorCrcInAFifoIsNamedWithItsCause) {
    // A FIFO is read once, forward: the members after the bad one cannot be
    // found, and the messages say which member and why.
    const auto dir = scratch("descriptor-fifo");
    const auto fifo = dir / "pipe.zip";
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0644), 0);
    const auto bytes = zip_with_bad_descriptor();
    std::thread writer([&] { spit(fifo, bytes); });
    ReaderRegistry registry;
    register_all(registry);
    ScanOptions options;
    options.jobs = 1;
    const auto out = scan(registry, {fifo.string()}, options).outcomes;
    writer.join();
    ASSERT_EQ(out.size(), 3U);
    EXPECT_EQ(out[0].activities.size(), 1U) << out[0].message;
    EXPECT_EQ(out[1].message, fifo.string() +
                                  "!bad.gpx: stored member whose data descriptor is missing or "
                                  "does not match its data (CRC): its end cannot be found reading "
                                  "forward, so the members after it are not read either");
    EXPECT_EQ(out[2].source, fifo.string());
    EXPECT_EQ(out[2].kind, InputOutcome::Kind::rejected);
    EXPECT_NE(out[2].message.find("the members after member 2 (bad.gpx) cannot be found reading "
                                  "forward"),
              std::string::npos)
        << out[2].message;
    fs::remove_all(dir);
}

// Issue item 7: runs opening one cache at the same moment. Each child opens
// the cache, stores one entry and exits 0 if it did so without a warning; the
// reasons a child failed go to stderr.
void race_runs_on_one_cache(const std::string& path, int runs, int round) {
    int go[2];
    ASSERT_EQ(::pipe(go), 0);
    std::vector<pid_t> children;
    for (int i = 0; i < runs; ++i) {
        const pid_t pid = ::fork();
        if (pid == 0) {
            ::close(go[1]);
            char c = 0;
            [[maybe_unused]] const auto n = ::read(go[0], &c, 1); // all start together
            try {
                FeatureCache cache(path);
                InputOutcome o;
                o.source = "run" + std::to_string(i) + ".fit";
                o.kind = InputOutcome::Kind::skipped;
                const DecodedFile decoded{{o}, {}};
                cache.store({{{o.source, 1, 1}, 7, &decoded}});
                for (const auto& w : cache.warnings()) {
                    std::fprintf(stderr, "run %d: warning: %s\n", i, w.c_str());
                }
                ::_exit(cache.warnings().empty() ? 0 : 1);
            } catch (const std::exception& e) {
                std::fprintf(stderr, "run %d: error: %s\n", i, e.what());
                ::_exit(2);
            }
        }
        children.push_back(pid);
    }
    ::close(go[0]);
    ::close(go[1]); // EOF: everyone goes
    for (const pid_t pid : children) {
        int status = 0;
        ::waitpid(pid, &status, 0);
        EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
            << "round " << round << ": exit " << WEXITSTATUS(status);
    }
    EXPECT_FALSE(fs::exists(path + ".corrupt")) << "round " << round;
    FeatureCache cache(path);
    EXPECT_TRUE(cache.warnings().empty()) << "round " << round;
    EXPECT_EQ(cache.size(), static_cast<std::size_t>(runs)) << "round " << round;
    for (int i = 0; i < runs; ++i) {
        EXPECT_TRUE(cache.find({"run" + std::to_string(i) + ".fit", 1, 1}))
            << "round " << round << ": entry of run " << i << " lost";
    }
}

// A new cache: none of the runs takes another's half-made cache for corrupt
// or moves it aside, none fails on a lock SQLite does not wait for (the
// journal mode change), none clears the entries stored by those that opened
// it a moment earlier.
TEST(CacheRace, EightRunsCreatingOneNewCacheAtOnceAllSucceed) {
    for (int round = 0; round < 4; ++round) {
        const auto dir = scratch("cache-race");
        race_runs_on_one_cache((dir / "features.sqlite").string(), 8, round);
        fs::remove_all(dir);
    }
}

// A cache of schema 1 (before export indexes): the runs migrating it at once
// do it once; none fails on the column another has just added.
TEST(CacheRace, EightRunsUpgradingOneOldCacheAtOnceAllSucceed) {
    for (int round = 0; round < 4; ++round) {
        const auto dir = scratch("cache-upgrade-race");
        const std::string path = (dir / "features.sqlite").string();
        sqlite3* db = nullptr;
        ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
        ASSERT_EQ(sqlite3_exec(db,
                               "PRAGMA journal_mode=WAL;"
                               "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
                               "CREATE TABLE inputs(path TEXT PRIMARY KEY, size INTEGER NOT NULL,"
                               " mtime_ns INTEGER NOT NULL, hash INTEGER NOT NULL,"
                               " outcomes BLOB NOT NULL);"
                               "CREATE INDEX inputs_by_hash ON inputs(hash, size);"
                               "INSERT INTO meta VALUES('features_version', '1');"
                               "INSERT INTO inputs VALUES('/old.fit', 1, 1, 1, x'80');"
                               "PRAGMA application_id=1431524434; PRAGMA user_version=1;",
                               nullptr, nullptr, nullptr),
                  SQLITE_OK);
        sqlite3_close(db);
        race_runs_on_one_cache(path, 8, round);
        fs::remove_all(dir);
    }
}

} // namespace
} // namespace ultrastrength
