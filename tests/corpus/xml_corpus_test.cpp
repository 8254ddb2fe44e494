// Every TCX and GPX of the shared corpus against expected.json (values from
// independent tools: lxml, gpxpy, gpsbabel; conventions in its
// "conventions" object).
#include "converters/reader.hpp"
#include "converters/stream.hpp"
#include "model/time.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cctype>
#include <cmath>
#include <fstream>
#include <string>
#include <vector>

namespace ultrastrength {
namespace {

const std::string corpus_dir = US_CORPUS_DIR;

const nlohmann::json& expected_files() {
    static const nlohmann::json files = [] {
        std::ifstream in(corpus_dir + "/expected.json");
        return nlohmann::json::parse(in).at("files");
    }();
    return files;
}

std::vector<std::string> xml_files(bool bad) {
    std::vector<std::string> names;
    for (const auto& [name, entry] : expected_files().items()) {
        const std::string format = entry.value("format", "");
        if ((format == "tcx" || format == "gpx") && (name.rfind("bad/", 0) == 0) == bad) {
            names.push_back(name);
        }
    }
    return names;
}

const ReaderRegistry& registry() {
    static const ReaderRegistry readers = [] {
        ReaderRegistry r;
        register_all(r);
        return r;
    }();
    return readers;
}

ReadResult read_file(const std::string& name) {
    FileStream file(corpus_dir + "/" + name);
    PeekStream in(file);
    const Reader* reader = registry().identify(in.head(), name);
    if (reader == nullptr) {
        throw std::runtime_error(name + ": not identified");
    }
    return reader->read(in, name);
}

std::optional<double> number(const nlohmann::json& entry, const char* key) {
    const auto it = entry.find(key);
    if (it == entry.end() || !it->is_number()) {
        return std::nullopt;
    }
    return it->get<double>();
}

// The sports the files state in words we can check: the TCX schema's enum,
// Strava's verified numeric code 9, and Garmin's words.
std::optional<Sport> stated_sport(const nlohmann::json& sport) {
    if (!sport.is_string()) {
        return std::nullopt;
    }
    const std::string s = sport.get<std::string>();
    if (s == "Running" || s == "running" || s == "9") {
        return Sport::running;
    }
    if (s == "Biking") {
        return Sport::cycling;
    }
    if (s == "Other") {
        return Sport::other;
    }
    if (s == "16") {
        return Sport::swimming;
    }
    return std::nullopt;
}

class XmlCorpus : public testing::TestWithParam<std::string> {};

TEST_P(XmlCorpus, MatchesExpected) {
    const std::string& name = GetParam();
    const nlohmann::json& e = expected_files().at(name);
    ASSERT_TRUE(e.value("valid", false));
    const ReadResult r = read_file(name);
    const bool is_tcx = e.at("format") == "tcx";

    if (!e.value("is_activity_file", false)) {
        EXPECT_TRUE(r.activities.empty());
        EXPECT_FALSE(r.skipped.empty());
        return;
    }
    ASSERT_EQ(r.activities.size(), is_tcx ? e.at("num_activities").get<std::size_t>() : 1U)
        << r.skipped;
    const ActivityFeatures& a = r.activities.front();

    EXPECT_EQ(a.records, e.at("records").get<std::uint64_t>());

    // Start to the second. GPX needs two good times (a single time, or
    // times before 1990 such as Unix -2^31, are not a start: see gpx_reader.cpp).
    const auto start = parse_iso8601(e.at("start_time").get<std::string>());
    ASSERT_TRUE(start.has_value());
    const bool start_expected =
        *start >= 631152000.0 && (is_tcx || e.at("trackpoints_with_time").get<int>() >= 2);
    if (start_expected) {
        ASSERT_TRUE(a.start_utc.has_value());
        EXPECT_EQ(*a.start_utc, static_cast<std::int64_t>(std::floor(*start)));
        ASSERT_TRUE(a.elapsed_s.has_value());
        EXPECT_NEAR(*a.elapsed_s, e.at("total_elapsed_s").get<double>(), 1.0);
    } else {
        EXPECT_FALSE(a.start_utc.has_value());
        EXPECT_TRUE(a.has(Flag::no_timestamps));
    }

    if (const auto sport = stated_sport(e.at("sport"))) {
        EXPECT_EQ(a.sport, *sport) << e.at("sport");
    } else if (!is_tcx && e.at("sport").is_null()) {
        EXPECT_EQ(a.sport, Sport::running); // GPX without a type: running (analysis.md §2.1)
    }

    if (is_tcx) {
        const auto summary = number(e, "total_distance_m_summary");
        const auto records_max = number(e, "total_distance_m_records_max");
        const auto haversine = number(e, "total_distance_m_points_haversine");
        if (summary && *summary > 0) {
            ASSERT_TRUE(a.distance_m.has_value());
            EXPECT_NEAR(*a.distance_m, *summary, 0.001 * *summary);
        } else if (records_max) {
            ASSERT_TRUE(a.distance_m.has_value());
            EXPECT_NEAR(*a.distance_m, *records_max, 0.001 * *records_max);
        } else if (haversine) {
            ASSERT_TRUE(a.distance_m.has_value());
            EXPECT_NEAR(*a.distance_m, *haversine, 0.005 * *haversine);
        } else {
            EXPECT_FALSE(a.distance_m.has_value() && *a.distance_m > 0);
        }
        if (const auto timer = number(e, "total_timer_s")) {
            ASSERT_TRUE(a.timer_s.has_value());
            EXPECT_NEAR(*a.timer_s, *timer, 0.01);
        }
    } else {
        const double haversine = e.at("total_distance_m_points_haversine").get<double>();
        if (haversine > 0) {
            ASSERT_TRUE(a.distance_m.has_value());
            EXPECT_NEAR(*a.distance_m, haversine, 0.005 * haversine);
        }
    }

    // avg HR: the laps' summary when the TCX has one, else the plain mean
    // over points with HR > 0 (expected.json's avg_hr_records convention).
    const auto hr_summary = number(e, "avg_hr_summary");
    const auto hr_records = number(e, "avg_hr_records");
    if (hr_summary) {
        ASSERT_TRUE(a.avg_hr.has_value());
        EXPECT_NEAR(*a.avg_hr, *hr_summary, 0.01);
    } else if (hr_records) {
        ASSERT_TRUE(a.avg_hr.has_value());
        EXPECT_NEAR(*a.avg_hr, *hr_records, 0.01); // expected is rounded to 0.01
    } else {
        EXPECT_TRUE(a.has(Flag::no_heart_rate));
    }
}

INSTANTIATE_TEST_SUITE_P(Files, XmlCorpus, testing::ValuesIn(xml_files(false)),
                         [](const testing::TestParamInfo<std::string>& param) {
                             std::string id;
                             for (const char c : param.param) {
                                 id += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
                             }
                             return id;
                         });

TEST(XmlCorpusBad, EveryBadXmlFileIsReadWithAFlagOrRefusedClearly) {
    const auto names = xml_files(true);
    ASSERT_EQ(names.size(), 2U);
    for (const auto& name : names) {
        SCOPED_TRACE(name);
        const ReadResult r = read_file(name);
        ASSERT_EQ(r.activities.size(), 1U);
        EXPECT_NE(r.activities[0].flags, 0U);
    }
}

TEST(XmlCorpusBad, StravaLeadingWhitespaceTcx) {
    // input-formats.md §2 defect 1: 10 spaces before <?xml; after a left trim
    // 1545 trackpoints and 4156.7 m of laps.
    const std::string name = "bad/sportslib_run_6281425038_strava-leading-ws.tcx";
    const ReadResult r = read_file(name);
    ASSERT_EQ(r.activities.size(), 1U);
    const ActivityFeatures& a = r.activities[0];
    EXPECT_TRUE(a.has(Flag::leading_whitespace));
    const nlohmann::json& e = expected_files().at(name);
    EXPECT_EQ(a.records, e.at("activities")[0].at("trackpoints").get<std::uint64_t>());
    EXPECT_NEAR(a.distance_m.value_or(0), e.at("activities")[0].at("lap_distance_m").get<double>(),
                0.01);
    EXPECT_NEAR(a.timer_s.value_or(0), e.at("total_timer_s").get<double>(), 0.01);
    EXPECT_EQ(a.start_utc, 1473679195); // 2016-09-12T11:19:55Z
    EXPECT_EQ(a.sport, Sport::running);
}

TEST(XmlCorpusBad, StravaUndeclaredPrefixGpx) {
    // input-formats.md §3: gpxdata: used without xmlns:gpxdata; lxml, gpxpy
    // and gpsbabel reject it; the points are all there.
    const std::string name = "bad/sportslib_run_6048438275_strava-undeclared-prefix.gpx";
    const ReadResult r = read_file(name);
    ASSERT_EQ(r.activities.size(), 1U);
    const ActivityFeatures& a = r.activities[0];
    EXPECT_TRUE(a.has(Flag::undeclared_prefix));
    const nlohmann::json& e = expected_files().at(name);
    EXPECT_EQ(a.records, e.at("trackpoints").get<std::uint64_t>());
    const double haversine = e.at("total_distance_m_points_haversine").get<double>();
    EXPECT_NEAR(a.distance_m.value_or(0), haversine, 0.005 * haversine);
    EXPECT_NEAR(a.elapsed_s.value_or(0), e.at("total_elapsed_s").get<double>(), 1.0);
    EXPECT_EQ(a.sport, Sport::running); // <type>9</type>
    ASSERT_FALSE(r.warnings.empty());
    EXPECT_NE(r.warnings[0].find("Namespace prefix gpxdata"), std::string::npos) << r.warnings[0];
}

} // namespace
} // namespace ultrastrength
