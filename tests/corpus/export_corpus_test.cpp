// Bulk exports built at runtime from corpus files (spec input-formats.md 4):
// a Strava export zip, a Garmin export with its nested UploadedFiles zip,
// and both unpacked into folders. Scanning them together must list each
// activity once, with the names the exports give.
#include "converters/archive/zip_archive.hpp"
#include "converters/scan.hpp"
#include "model/time.hpp"
#include "tests/support/archive_builder.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>

namespace ultrastrength {
namespace {

namespace fs = std::filesystem;
using test::Bytes;
using test::make_gzip;
using test::make_zip;
using test::read_file;
using test::to_bytes;

const std::string corpus = US_CORPUS_DIR;

const nlohmann::json& expected_file(const std::string& name) {
    static const nlohmann::json doc = [] {
        std::ifstream in(corpus + "/expected.json");
        return nlohmann::json::parse(in);
    }();
    return doc["files"][name];
}

std::int64_t expected_start(const std::string& name) {
    return static_cast<std::int64_t>(
        *parse_iso8601(expected_file(name)["start_time"].get<std::string>()));
}

Bytes corpus_file(const std::string& name) {
    return read_file(corpus + "/" + name);
}

/// A Strava export. FIT files only, or (`with_xml`) also a GPX and a TCX:
/// those need the XML readers.
Bytes strava_export(bool with_xml) {
    std::string csv =
        "Activity ID,Activity Date,Activity Name,Activity Type,Activity Description,"
        "Elapsed Time,Distance,Filename,Elapsed Time,Distance\n"
        "6782987395,\"Jun 15, 2019, 9:42:23 AM\",Saturday long run,Trail Run,\"hot,\n"
        "very \"\"hot\"\"\",4989,14.0,activities/6782987395.fit.gz,4989.0,14004.85\n"
        "3,\"Oct 11, 2014, 6:08:45 PM\",10k race,Run,,2224,10.0,activities/3.fit.gz,2224.0,"
        "10010.82\n"
        "99,\"Feb 3, 2020, 11:19:33 AM\",Manual entry,Weight Training,,1800,0,,1800.0,0\n";
    std::vector<test::ZipMember> members{
        {"profile.csv", to_bytes("Athlete ID,Email Address\n1,a@example.com\n")},
        {"activities/", {}, true},
        {"activities/6782987395.fit.gz",
         make_gzip(corpus_file("fit/sportslib_run_6782987395.fit"))},
        {"activities/3.fit.gz", make_gzip(corpus_file("fit/gc_10kUNLP2014-Garmin15.fit"))},
        {"__MACOSX/activities/._6782987395.fit.gz", to_bytes("\0\5\26\7")},
        {"media/abc.jpg", Bytes{0xff, 0xd8, 0xff, 0xe0, 0, 0x10}}};
    if (with_xml) {
        csv += "2067489619,\"Oct 8, 2017, 2:54:11 PM\",Shakeout,Run,,2824,4.5,"
               "activities/2067489619.gpx,2824.0,4489.4\n"
               "6860622783,\"Feb 2, 2020, 11:19:33 AM\",Sunday 10k,Run,,3763,10.6,"
               "activities/6860622783.tcx.gz,3763.0,10630.37\n";
        members.push_back(
            {"activities/2067489619.gpx", corpus_file("gpx/sportslib_run_2067489619.gpx")});
        members.push_back({"activities/6860622783.tcx.gz",
                           make_gzip(corpus_file("tcx/sportslib_run_6860622783.tcx"))});
    }
    members.insert(members.begin(), {"activities.csv", to_bytes(csv)});
    return make_zip(members);
}

Bytes garmin_export() {
    nlohmann::json list = nlohmann::json::array();
    auto add = [&](const char* name, const std::string& file, const char* type) {
        list.push_back({{"name", name},
                        {"activityType", type},
                        {"startTimeGmt", static_cast<double>(expected_start(file)) * 1000.0 + 400},
                        {"distance", 1e6}});
    };
    add("Long run Garmin", "fit/sportslib_run_6782987395.fit", "running");
    add("10k UNLP", "fit/gc_10kUNLP2014-Garmin15.fit", "running");
    const nlohmann::json doc = nlohmann::json::array({{{"summarizedActivitiesExport", list}}});
    const Bytes uploads =
        make_zip({{"a@example.com_1.fit", corpus_file("fit/sportslib_run_6782987395.fit")},
                  {"a@example.com_2.fit", corpus_file("fit/sportslib_run_2067489619.fit")},
                  {"a@example.com_3.fit", corpus_file("fit/fitparse_sdk_MonitoringFile.fit")},
                  {"a@example.com_4.fit", corpus_file("fit/sportslib_run_6860622783.fit")},
                  {"a@example.com_5.fit", corpus_file("fit/gc_10kUNLP2014-Garmin15.fit")}});
    return make_zip({{"DI_CONNECT/DI-Connect-Fitness/a@example.com_0_summarizedActivities.json",
                      to_bytes(doc.dump())},
                     {"DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip", uploads},
                     {"DI_CONNECT/DI-Connect-Wellness/a_sleepData.json", to_bytes("[]")},
                     {"DI_CONNECT/DI-Connect-User/user_profile.json", to_bytes("{}")}});
}

// The corpus containers yield the activities expected.json lists for their
// members (values the FIT reader takes from the session message).
TEST(CorpusContainerActivities, MembersYieldTheExpectedActivities) {
    ReaderRegistry registry;
    register_all(registry);
    const char* const files[] = {"fit/gc_14582164182.fit.gz", "fit/gc_2019-09-07-11-22-19.zip",
                                 "fit/gc_4077461142.zip", "fit/gc_Fr955v19.28andStryd.fit.zip"};
    for (const std::string file : files) {
        SCOPED_TRACE(file);
        const auto& member = expected_file(file)["members"][0];
        for (const unsigned jobs : {1U, 2U}) {
            FileStream in(corpus + "/" + file);
            DecodeOptions options;
            options.jobs = jobs;
            const auto out = decode_input(registry, in, file, options);
            ASSERT_EQ(out.size(), 1U);
            ASSERT_EQ(out[0].kind, InputOutcome::Kind::read) << out[0].message;
            ASSERT_EQ(out[0].activities.size(), member["num_sessions"].get<std::size_t>());
            const auto& a = out[0].activities[0];
            EXPECT_EQ(a.source, out[0].source);
            EXPECT_EQ(a.format, Format::fit);
            EXPECT_EQ(a.start_utc, static_cast<std::int64_t>(
                                       *parse_iso8601(member["start_time"].get<std::string>())));
            EXPECT_NEAR(*a.distance_m, member["total_distance_m_summary"].get<double>(), 0.01);
            EXPECT_NEAR(*a.elapsed_s, member["total_elapsed_s"].get<double>(), 0.001);
            EXPECT_EQ(a.records, member["records"].get<std::uint64_t>());
            EXPECT_EQ(out[0].bytes, member["bytes"].get<std::uint64_t>());
        }
    }
}

class ExportCorpusTest : public ::testing::Test {
protected:
    void SetUp() override {
        m_dir = fs::temp_directory_path() /
                ("us_exports_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
                 "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(m_dir);
        fs::create_directories(m_dir);
        register_all(m_registry);
    }
    void TearDown() override { fs::remove_all(m_dir); }

    void write(const fs::path& path, const Bytes& bytes) {
        fs::create_directories(path.parent_path());
        std::ofstream(path, std::ios::binary)
            .write(reinterpret_cast<const char*>(bytes.data()),
                   static_cast<std::streamsize>(bytes.size()));
    }
    /// Unpacks a zip built above into a folder (the "unpacked export" case).
    void unpack(const Bytes& zip, const fs::path& into) {
        MemoryStream in(zip);
        ArchiveLimits limits;
        ExpansionBudget budget(limits.max_expanded_bytes);
        ZipArchive archive(in, "x.zip", limits, budget);
        ZipEntry entry;
        while (archive.next(entry)) {
            if (!entry.is_file) {
                continue;
            }
            Bytes bytes;
            std::uint8_t buf[65536];
            for (std::size_t n; (n = archive.member().read(buf, sizeof buf)) > 0;) {
                bytes.insert(bytes.end(), buf, buf + n);
            }
            write(into / entry.name, bytes);
        }
    }

    /// Activities listed by a scan, by start time.
    std::map<std::int64_t, const ActivityFeatures*> listed(const std::vector<InputOutcome>& out) {
        std::map<std::int64_t, const ActivityFeatures*> by_start;
        for (const auto& o : out) {
            for (const auto& a : o.activities) {
                EXPECT_TRUE(a.start_utc) << a.source;
                if (a.start_utc) {
                    EXPECT_TRUE(by_start.emplace(*a.start_utc, &a).second)
                        << "listed twice: " << a.source;
                }
            }
        }
        return by_start;
    }

    void check_both_exports(const std::vector<InputOutcome>& out, const std::string& garmin_base,
                            bool with_xml) {
        const auto by_start = listed(out);
        ASSERT_EQ(by_start.size(), 4U);
        std::size_t merged = 0;
        std::size_t skipped = 0;
        for (const auto& o : out) {
            merged += o.duplicates.size();
            skipped += o.kind == InputOutcome::Kind::skipped ? 1 : 0;
            EXPECT_NE(o.kind, InputOutcome::Kind::rejected) << o.source << ": " << o.message;
        }
        EXPECT_EQ(merged, with_xml ? 4U : 2U);
        // Strava: activities.csv, profile.csv, folder, AppleDouble, photo.
        // Garmin: monitoring FIT, two DI_CONNECT folders, summaries.
        // Unpacked, the folder entry is no input.
        EXPECT_EQ(skipped, garmin_base.back() == '/' ? 8U : 9U);
        // Both exports hold the same FIT: the tie goes to the smaller source
        // name, here Garmin's, which has the summary's name.
        const auto* long_run = by_start.at(expected_start("fit/sportslib_run_6782987395.fit"));
        EXPECT_EQ(long_run->format, Format::fit);
        EXPECT_EQ(long_run->source.rfind(garmin_base, 0), 0U) << long_run->source;
        EXPECT_EQ(long_run->name, "Long run Garmin");
        EXPECT_NEAR(*long_run->distance_m,
                    expected_file("fit/sportslib_run_6782987395.fit")["total_distance_m_summary"]
                        .get<double>(),
                    0.5);
        const auto* unlp = by_start.at(expected_start("fit/gc_10kUNLP2014-Garmin15.fit"));
        EXPECT_EQ(unlp->name, "10k UNLP");
        if (with_xml) {
            // Strava's GPX and TCX lose to Garmin's FITs but lend their names.
            const auto* shakeout = by_start.at(expected_start("fit/sportslib_run_2067489619.fit"));
            EXPECT_EQ(shakeout->format, Format::fit);
            EXPECT_EQ(shakeout->name, "Shakeout");
            const auto* ten_k = by_start.at(expected_start("fit/sportslib_run_6860622783.fit"));
            EXPECT_EQ(ten_k->format, Format::fit);
            EXPECT_EQ(ten_k->name, "Sunday 10k");
        }
    }

    fs::path m_dir;
    ReaderRegistry m_registry;
};

TEST_F(ExportCorpusTest, StravaExportAloneGetsNamesAndTypes) {
    write(m_dir / "export_1.zip", strava_export(false));
    for (const unsigned jobs : {1U, 2U}) {
        ScanOptions options;
        options.jobs = jobs;
        const auto out = scan_inputs(m_registry, {m_dir.string()}, options);
        const auto by_start = listed(out);
        ASSERT_EQ(by_start.size(), 2U);
        const auto* long_run = by_start.at(expected_start("fit/sportslib_run_6782987395.fit"));
        EXPECT_EQ(long_run->name, "Saturday long run");
        EXPECT_EQ(long_run->sport, Sport::trail_running);
        EXPECT_EQ(long_run->source,
                  (m_dir / "export_1.zip").string() + "!activities/6782987395.fit.gz");
        EXPECT_EQ(by_start.at(expected_start("fit/gc_10kUNLP2014-Garmin15.fit"))->name, "10k race");
    }
}

TEST_F(ExportCorpusTest, GarminExportSkipsMonitoringAndNamesBySummary) {
    write(m_dir / "garmin.zip", garmin_export());
    ScanOptions options;
    options.jobs = 2;
    const auto out = scan_inputs(m_registry, {m_dir.string()}, options);
    const auto by_start = listed(out);
    EXPECT_EQ(by_start.size(), 4U);
    const std::string up = (m_dir / "garmin.zip").string() +
                           "!DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip!";
    bool monitoring_skipped = false;
    for (const auto& o : out) {
        if (o.source == up + "a@example.com_3.fit") {
            monitoring_skipped = o.kind == InputOutcome::Kind::skipped;
        }
    }
    EXPECT_TRUE(monitoring_skipped);
    EXPECT_EQ(by_start.at(expected_start("fit/sportslib_run_6782987395.fit"))->name,
              "Long run Garmin");
}

TEST_F(ExportCorpusTest, BothExportsZippedListEachActivityOnce) {
    write(m_dir / "strava_export.zip", strava_export(false));
    write(m_dir / "garmin_export.zip", garmin_export());
    for (const unsigned jobs : {1U, 2U}) {
        SCOPED_TRACE(jobs);
        ScanOptions options;
        options.jobs = jobs;
        check_both_exports(scan_inputs(m_registry, {m_dir.string()}, options),
                           (m_dir / "garmin_export.zip").string() + "!", false);
    }
}

TEST_F(ExportCorpusTest, BothExportsUnpackedListEachActivityOnce) {
    unpack(strava_export(false), m_dir / "strava");
    // Garmin's nested zip stays a zip, as it does when an export is unpacked.
    unpack(garmin_export(), m_dir / "garmin");
    ScanOptions options;
    options.jobs = 2;
    check_both_exports(scan_inputs(m_registry, {m_dir.string()}, options),
                       (m_dir / "garmin").string() + "/", false);
}

// Needs the GPX and TCX readers: FIT, GPX and TCX of the same runs.
TEST_F(ExportCorpusTest, FitGpxAndTcxOfOneRunAreListedOnce) {
    if (m_registry.find("gpx") == nullptr || m_registry.find("tcx") == nullptr) {
        GTEST_SKIP() << "no GPX or TCX reader registered in this build";
    }
    write(m_dir / "strava_export.zip", strava_export(true));
    write(m_dir / "garmin_export.zip", garmin_export());
    ScanOptions options;
    options.jobs = 2;
    check_both_exports(scan_inputs(m_registry, {m_dir.string()}, options),
                       (m_dir / "garmin_export.zip").string() + "!", true);
}

} // namespace
} // namespace ultrastrength
